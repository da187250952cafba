import Foundation
import StewardCore
import Testing

/// A change rule is asked only about the kinds of change it declares (`ChangeRule.changeKinds`).
/// Asked about every change of a log instead, each rule must find exactly what its `check`
/// finds: a kind it flags but does not declare would be a finding silently lost.
struct ChangeKindsTests {
    /// Operations on existing objects that, with the context corpus's, make every kind of change.
    static let operations: [(setup: String, operation: String)] = ContextCorpusTests.cases.map { ($0.setup, $0.operation) } + [
        ("CREATE SCHEMA billing; CREATE TABLE billing.invoices (id int);", "DROP SCHEMA billing CASCADE;"),
        ("CREATE FUNCTION total() RETURNS int LANGUAGE sql AS 'SELECT 1';", "DROP FUNCTION total();"),
        ("CREATE TYPE mood AS ENUM ('sad', 'happy');", "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';"),
        ("CREATE TABLE t (id int, owner text);", "BEGIN;\nCREATE INDEX CONCURRENTLY t_owner_idx ON t (owner);\nCOMMIT;"),
        ("CREATE TABLE t (id int, owner text);\nCREATE INDEX t_owner_idx ON t (owner);", "BEGIN;\nDROP INDEX CONCURRENTLY t_owner_idx;\nCOMMIT;"),
        ("CREATE TABLE t (id int);", "BEGIN;\nVACUUM t;\nCOMMIT;"),
        ("CREATE TABLE t (id int);", "BEGIN;\nREINDEX TABLE CONCURRENTLY t;\nCOMMIT;"),
        ("CREATE TABLE t (id int);", "SET statement_timeout = 0;\nALTER TABLE t ADD COLUMN c int;"),
        ("CREATE TABLE t (id int);", "ALTER TABLE t SET UNLOGGED;"),
        ("CREATE TABLE t (id int PRIMARY KEY, code int NOT NULL);",
         "ALTER TABLE t DROP CONSTRAINT t_pkey, ADD PRIMARY KEY (code);"),
    ]

    func model(setup: String, operation: String) throws -> (SchemaModel, MigrationSet) {
        let directory = try TemporaryDirectory()
        try directory.write("migrations/001_setup.sql", setup + "\n")
        try directory.write("migrations/002_change.sql", operation + "\n")
        let migrations = try MigrationDiscovery.discover(at: directory.url.appendingPathComponent("migrations").path, layout: nil)
        return (Analyzer.analyze(migrations, manifest: nil).model, migrations)
    }

    @Test func eachChangeRuleDeclaresEveryKindItFlags() throws {
        let rules = RuleRegistry.all.compactMap { $0 as? any ChangeRule }
        #expect(rules.count >= 30)
        var flaggedRules = Set<String>()
        var kinds = Set<SchemaChange.Kind.Tag>()
        for (setup, operation) in Self.operations {
            let (model, migrations) = try model(setup: setup, operation: operation)
            let context = RuleContext(model: model, manifest: nil, migrations: migrations)
            kinds.formUnion(model.changes.map(\.kind.tag))
            for rule in rules {
                let everyChange = model.changes.compactMap { rule.finding(for: $0, in: context) }
                #expect(rule.check(context).map(\.message) == everyChange.map(\.message), "\(rule.descriptor.id) on \(operation)")
                if !everyChange.isEmpty { flaggedRules.insert(rule.descriptor.id) }
            }
        }
        // The operations exercise every rule and every kind of change, or the test proves little.
        #expect(flaggedRules == Set(rules.map(\.descriptor.id)))
        #expect(kinds == Set(SchemaChange.Kind.Tag.allCases))
    }

    @Test func theIndexListsEachKindsPositionsInLogOrder() throws {
        let (model, _) = try model(setup: ContextCorpusTests.indexed,
                                   operation: "CREATE INDEX a ON codebases (stars);\nDROP INDEX codebases_owner_idx;\nCREATE INDEX b ON codebases (name);")
        let index = ChangeLogIndex(model.changes)
        #expect(index.count == model.changes.count)
        let creates = index.positions(of: [.createIndex])
        #expect(creates.map { model.changes[$0].object.name } == ["codebases_owner_idx", "a", "b"])
        #expect(index.positions(of: [.dropIndex, .createIndex]) == Array(model.changes.indices).filter {
            [.createIndex, .dropIndex].contains(model.changes[$0].kind.tag)
        })
        #expect(index.positions(of: []) == [])
    }
}
