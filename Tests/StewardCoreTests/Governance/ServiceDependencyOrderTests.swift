@testable import StewardCore
import StewardSQL
import Testing

struct ServiceDependencyOrderTests {
    /// The packed keys only speed the sort up: the order is `reportOrder`'s, for dependencies
    /// that differ in any of its fields (the services, the kind, the path, line and column,
    /// the length alone, the target, the object) and for lines too large for their field.
    @Test func packedOrderIsTheComparatorsOrder() {
        var generator = SystemRandomNumberGenerator()
        let services = ["web", "analyzer", "billing", "a", "zeta"]
        let paths = ["db/002_b.sql", "db/001_a.sql", "db/010_c.sql", "db/001_a.sql.bak"]
        let lines = [1, 2, 7, 1 << 41, (1 << 41) + 1]
        let dependencies = (0..<3_000).map { _ in
            ServiceDependency(
                kind: ServiceDependency.Kind.allCases.randomElement(using: &generator)!,
                from: services.randomElement(using: &generator)!, to: services.randomElement(using: &generator)!,
                object: ["view v", "role r", "trigger t"].randomElement(using: &generator)!,
                target: ["public.a", "public.b"].randomElement(using: &generator)!, targetName: ObjectName(schema: "public", name: "a"),
                location: FileLocation(path: paths.randomElement(using: &generator)!, line: lines.randomElement(using: &generator)!,
                                       column: Int.random(in: 1...3, using: &generator), length: Int.random(in: 1...2, using: &generator)),
                allowance: nil, targetIsPublic: false, writes: false, privileges: nil)
        }
        let expected = dependencies.sorted(by: ServiceDependency.reportOrder)
        let actual = ServiceDependency.reportOrder(of: dependencies).map { dependencies[$0] }
        #expect(actual.elementsEqual(expected) { ServiceDependency.reportOrder($0, $1) == false && ServiceDependency.reportOrder($1, $0) == false })
        #expect(ServiceDependency.reportOrder(of: []).isEmpty)
    }
}
