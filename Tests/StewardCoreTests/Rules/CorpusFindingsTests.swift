import Foundation
import StewardCore
import StewardTestSupport
import Testing

/// Every rule's findings on every real migration set of ../shared/corpus, pinned: a change in
/// a rule's reach shows up here, set by set, in review. And on each set, no lock finding is on a
/// table that was created earlier in the same file.
struct CorpusFindingsTests {
    static let corpus = SharedFiles.root.appendingPathComponent("corpus")

    static let expected: [String: [String: Int]] = [
        "harbor": ["add-unique-constraint": 8, "alter-column-type-rewrite": 13, "ban-char": 4, "change-column-type": 2, "create-index-without-concurrently": 23, "drop-column": 21, "drop-index-without-concurrently": 7, "drop-table": 13, "missing-lock-timeout": 31, "prefer-bigint-primary-key": 41, "prefer-identity-over-serial": 47, "prefer-jsonb": 6, "prefer-text-over-varchar": 127, "prefer-timestamptz": 67, "rename-column": 7, "rename-table": 3, "set-not-null": 5, "set-not-null-without-validated-check": 5],
        "hatchet": ["add-check-without-not-valid": 6, "add-column-volatile-default": 2, "add-foreign-key-without-not-valid": 15, "add-not-null-column-without-default": 9, "add-stored-generated-column": 1, "add-unique-constraint": 5, "alter-column-type-rewrite": 5, "change-column-type": 2, "change-primary-key": 5, "create-index-without-concurrently": 32, "drop-column": 25, "drop-function": 19, "drop-index-without-concurrently": 8, "drop-table": 18, "lock-table": 6, "missing-lock-timeout": 120, "prefer-identity-over-serial": 18, "prefer-timestamptz": 169, "set-not-null": 7, "set-not-null-without-validated-check": 4, "statement-would-fail": 4, "truncate": 2],
        "kestra": ["add-stored-generated-column": 13, "change-primary-key": 1, "create-index-without-concurrently": 22, "drop-column": 2, "drop-index-without-concurrently": 18, "drop-table": 1, "missing-lock-timeout": 13, "prefer-identity-over-serial": 1, "prefer-text-over-varchar": 73, "prefer-timestamptz": 2, "rename-enum-value": 1, "rename-table": 1],
        "trigger-dev": ["add-foreign-key-without-not-valid": 116, "add-not-null-column-without-default": 134, "alter-column-type-rewrite": 17, "change-column-type": 17, "create-index-without-concurrently": 94, "drop-column": 173, "drop-default": 9, "drop-index-without-concurrently": 38, "drop-table": 96, "missing-lock-timeout": 587, "prefer-bigint-primary-key": 1, "prefer-identity-over-serial": 2, "prefer-timestamptz": 217, "rename-column": 5, "set-not-null": 16, "set-not-null-without-validated-check": 16],
        "specvital": ["add-check-without-not-valid": 2, "add-column-volatile-default": 2, "add-foreign-key-without-not-valid": 2, "add-not-null-column-without-default": 2, "add-unique-constraint": 8, "change-primary-key": 2, "create-index-without-concurrently": 14, "cross-service-foreign-key": 2, "drop-column": 3, "drop-index-without-concurrently": 6, "drop-table": 1, "missing-lock-timeout": 20, "prefer-identity-over-serial": 1, "prefer-text-over-varchar": 36, "set-not-null": 1, "set-not-null-without-validated-check": 1],
        "pg-regress": ["ban-char": 39, "ban-money": 4, "cluster": 1, "create-index-without-concurrently": 3, "drop-index-without-concurrently": 2, "drop-schema": 1, "missing-lock-timeout": 1, "prefer-bigint-primary-key": 39, "prefer-identity-over-serial": 7, "prefer-text-over-varchar": 5, "prefer-timestamptz": 4, "psql-meta-command": 446, "statement-would-fail": 327, "syntax-error": 367, "unreadable-file": 1],
    ]

    static func analyze(_ set: String) throws -> Analysis {
        let root = corpus.appendingPathComponent(set)
        let migrations = root.appendingPathComponent(set == "pg-regress" ? "sql" : "migrations")
        try #require(FileManager.default.fileExists(atPath: migrations.path), "missing \(migrations.path)")
        let manifest = root.appendingPathComponent("ownership.yml")
        return try Analyzer.analyze(AnalysisOptions(directory: migrations.path,
                                                    manifestPath: FileManager.default.fileExists(atPath: manifest.path) ? manifest.path : nil))
    }

    @Test(arguments: expected.keys.sorted())
    func eachRulesFindingsArePinned(_ set: String) throws {
        let analysis = try Self.analyze(set)
        var counts: [String: Int] = [:]
        for finding in analysis.findings { counts[finding.ruleID, default: 0] += 1 }
        #expect(counts == Self.expected[set], "\(set): \(counts.sorted { $0.key < $1.key })")
    }

    @Test(arguments: expected.keys.sorted())
    func noLockFindingIsOnATableCreatedEarlierInTheSameFile(_ set: String) throws {
        let analysis = try Self.analyze(set)
        let onNewTables = Set(analysis.model.changes.filter(\.isOnObjectCreatedInSameFile).map(\.location))
        let lockFindings = analysis.findings.filter { RuleRegistry.category(of: $0.ruleID) == .locking && $0.ruleID != "concurrently-in-transaction" }
        let wrong = lockFindings.filter { finding in finding.location.map { onNewTables.contains($0) } ?? false }
        #expect(wrong.isEmpty, "\(set): \(wrong.map { "\($0.location!.path):\($0.location!.line) \($0.ruleID)" })")
        #expect(!analysis.model.changes.isEmpty)
    }
}
