import StewardCore
import StewardSQL
import Testing

/// A finding holds one object and its rare fields (allowance, related places) apart from the
/// rest; whichever way its fields are set, it reads, compares and hashes by their values.
struct FindingTests {
    static let table = FindingObject.relation(ObjectName(schema: "analyzer", name: "codebases"))
    static let column = FindingObject.relation(ObjectName(schema: "analyzer", name: "codebases"), kind: .column, column: "stars")
    static let allowance = Allowance(source: .suppressionComment, path: "m.sql", line: 3, reason: "ticket 12")
    static let related = [RelatedLocation(FileLocation(path: "m.sql", line: 1, column: 1), "created here")]

    static func finding(objects: [FindingObject] = [], allowance: Allowance? = nil, related: [RelatedLocation] = []) -> Finding {
        Finding(ruleID: "drop-column", severity: .warning, message: "m", allowance: allowance, objects: objects, related: related)
    }

    @Test(arguments: [[], [table], [table, column]])
    func objectsReadBackAsWritten(_ objects: [FindingObject]) {
        let finding = Self.finding(objects: objects)
        #expect(finding.objects == objects)
        #expect(finding.hasNoObjects == objects.isEmpty)
        var changed = Self.finding(objects: [Self.column, Self.table])
        changed.objects = objects
        #expect(changed == finding)
        #expect(changed.hashValue == finding.hashValue)
        #expect(Set([changed, finding]).count == 1)
    }

    @Test func rareFieldsAreSetAndClearedIndependently() {
        var finding = Self.finding()
        #expect(finding.allowance == nil && finding.related.isEmpty && !finding.isAllowed)
        finding.related = Self.related
        #expect(finding.related == Self.related && finding.allowance == nil)
        finding.allowance = Self.allowance
        #expect(finding.related == Self.related && finding.allowance == Self.allowance && finding.isAllowed)
        #expect(finding == Self.finding(allowance: Self.allowance, related: Self.related))
        finding.related = []
        #expect(finding.allowance == Self.allowance && finding.related.isEmpty)
        finding.allowance = nil
        #expect(finding == Self.finding())
        #expect(finding.hashValue == Self.finding().hashValue)
    }

    @Test func aCopyIsIndependent() {
        let original = Self.finding(objects: [Self.table])
        var copy = original
        copy.objects = [Self.column]
        copy.allowance = Self.allowance
        #expect(original.objects == [Self.table] && original.allowance == nil)
        #expect(copy != original)
    }
}
