import Foundation
import StewardCore
import StewardSQL

/// `steward diff` and `steward verify` as text, JSON or Markdown.
public struct LiveComparisonReporter {
    public var paths: RepositoryPaths

    public init(paths: RepositoryPaths) { self.paths = paths }

    /// How each side is named: verify compares the model with PostgreSQL; diff compares what
    /// the migrations say with what the database has.
    private func sides(_ mode: LiveComparison.Mode) -> (expected: String, actual: String) {
        mode == .verify ? ("model", "PostgreSQL") : ("migrations", "database")
    }

    private func describe(_ drift: Drift, mode: LiveComparison.Mode) -> String {
        let (expected, actual) = sides(mode)
        switch drift.kind {
        case .missing: return "\(expected) only: \(drift.factKind.rawValue) \(drift.object)" + (drift.expected.map { ": \($0)" } ?? "")
        case .extra: return "\(actual) only: \(drift.factKind.rawValue) \(drift.object)" + (drift.actual.map { ": \($0)" } ?? "")
        case .differs: return "differs: \(drift.factKind.rawValue) \(drift.object)"
        }
    }

    private func location(_ origin: Origin?) -> String? {
        guard let origin, !origin.path.hasPrefix("(") else { return nil }
        return "\(paths.relative(origin.path)):\(origin.line)"
    }

    /// Groups drifts by owning service; unowned last.
    private func byService(_ drifts: [Drift]) -> [(service: String?, drifts: [Drift])] {
        var groups: [(service: String?, drifts: [Drift])] = []
        for drift in drifts {
            if let last = groups.last, last.service == drift.service { groups[groups.count - 1].drifts.append(drift) } else { groups.append((drift.service, [drift])) }
        }
        return groups
    }

    public func renderText(_ comparison: LiveComparison) -> String {
        let (expected, actual) = sides(comparison.mode)
        var text = "steward \(comparison.mode.rawValue): \(paths.relative(comparison.directory)) (\(comparison.layout.rawValue)) "
            + "against \(comparison.target), PostgreSQL \(comparison.serverVersionText)\n"
        for gap in comparison.gaps {
            text += "note: \(paths.relative(gap.path)) was not applied: \(gap.reason)\n"
        }
        if let failure = comparison.failure {
            text += "\(paths.relative(failure.location.path)):\(failure.location.line):\(failure.location.column): PostgreSQL rejected the migration"
                + (failure.sqlState.map { " (SQLSTATE \($0))" } ?? "") + ": \(failure.message)\n"
            text += "\(comparison.appliedFiles ?? 0) of \(comparison.totalFiles) migrations applied before it; nothing compared\n"
            return text
        }
        if comparison.mode == .verify {
            text += "\(plural(comparison.totalFiles, "migration")) applied by PostgreSQL\n"
        }
        for group in byService(comparison.drifts) {
            text += "\n\(group.service ?? "unowned") (\(group.drifts.count))\n"
            for drift in group.drifts {
                text += "  \(describe(drift, mode: comparison.mode))"
                if drift.kind == .extra, drift.service == nil, drift.factKind == .table { text += " [unowned-object: no service claims it]" }
                text += "\n"
                if drift.kind == .differs {
                    text += "      \(expected): \(drift.expected ?? "")\n      \(actual): \(drift.actual ?? "")\n"
                }
                if let location = location(drift.origin) { text += "      created at \(location)\n" }
            }
        }
        if let status = comparison.migrations { text += "\n" + renderText(status) }
        let noun = comparison.mode == .verify ? "disagreement" : "difference"
        text += "\n\(plural(comparison.drifts.count, noun)) (\(comparison.comparedFacts) facts of the model compared)\n"
        return text
    }

    private func renderText(_ status: MigrationStatus) -> String {
        guard status.tableExists else { return "migrations: no \(status.table) table: the database was never migrated with this tool\n" }
        var text = "migrations (\(status.table)):"
        if !status.hasProblems { text += " up to date" }
        text += "\n"
        if !status.pending.isEmpty {
            text += "  \(status.pending.count) pending: " + status.pending.prefix(10).map { paths.relative($0.path) }.joined(separator: ", ")
                + (status.pending.count > 10 ? ", …" : "") + "\n"
        }
        if !status.unknownApplied.isEmpty {
            text += "  applied but not in the repository: \(status.unknownApplied.joined(separator: ", "))\n"
        }
        for mismatch in status.checksumMismatches {
            text += "  checksum differs: \(paths.relative(mismatch.path)) (recorded \(mismatch.recorded), file \(mismatch.expected)): edited after it was applied\n"
        }
        if !status.failed.isEmpty { text += "  failed or dirty: \(status.failed.joined(separator: ", ")): the tool stops until this is resolved\n" }
        for note in status.notes { text += "  note: \(note)\n" }
        return text
    }

    public func renderMarkdown(_ comparison: LiveComparison) -> String {
        let (expected, actual) = sides(comparison.mode)
        var text = "## steward \(comparison.mode.rawValue): `\(paths.relative(comparison.directory))`\n\n"
        text += "Against \(comparison.target), PostgreSQL \(comparison.serverVersionText).\n\n"
        if let failure = comparison.failure {
            text += "**PostgreSQL rejected** `\(paths.relative(failure.location.path)):\(failure.location.line)`: \(failure.message)\n"
            return text
        }
        if comparison.drifts.isEmpty {
            text += "No \(comparison.mode == .verify ? "disagreement" : "drift") (\(comparison.comparedFacts) facts compared).\n"
        } else {
            text += "| Service | Object | Kind | \(expected.capitalized) | \(actual) | Created at |\n|---|---|---|---|---|---|\n"
            for drift in comparison.drifts {
                let cells = [drift.service ?? "unowned", "`\(drift.object)`", "\(drift.kind.rawValue) \(drift.factKind.rawValue)",
                             drift.expected ?? "—", drift.actual ?? "—", location(drift.origin) ?? ""]
                text += "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }.joined(separator: " | ") + " |\n"
            }
        }
        if let status = comparison.migrations { text += "\n```\n" + renderText(status) + "```\n" }
        return text
    }

    public func renderJSON(_ comparison: LiveComparison) -> String {
        var document: [String: Any] = [
            "format_version": 1,
            "command": comparison.mode.rawValue,
            "directory": paths.relative(comparison.directory),
            "layout": comparison.layout.rawValue,
            "target": comparison.target,
            "server_version": comparison.serverVersionText,
            "compared_facts": comparison.comparedFacts,
            "differences": comparison.drifts.map { drift -> [String: Any] in
                var entry: [String: Any] = ["kind": drift.kind.rawValue, "object_kind": drift.factKind.rawValue, "object": drift.object,
                                            "relation": drift.relation.description]
                entry["service"] = drift.service
                entry["expected"] = drift.expected
                entry["actual"] = drift.actual
                if let origin = drift.origin, !origin.path.hasPrefix("(") {
                    entry["created_at"] = ["path": paths.relative(origin.path), "line": origin.line, "column": origin.column]
                }
                return entry
            },
        ]
        if let failure = comparison.failure {
            document["failure"] = ["path": paths.relative(failure.location.path), "line": failure.location.line,
                                   "column": failure.location.column, "message": failure.message, "sqlstate": failure.sqlState.map { $0 as Any } ?? NSNull()]
        }
        if let applied = comparison.appliedFiles { document["applied_files"] = applied }
        document["not_applied"] = comparison.gaps.map { ["path": paths.relative($0.path), "reason": $0.reason] }
        if let status = comparison.migrations {
            document["migrations"] = [
                "table": status.table, "table_exists": status.tableExists,
                "pending": status.pending.map { ["path": paths.relative($0.path), "version": $0.version] },
                "applied_not_in_repository": status.unknownApplied,
                "checksum_mismatches": status.checksumMismatches.map {
                    ["path": paths.relative($0.path), "version": $0.version, "recorded": $0.recorded, "expected": $0.expected]
                },
                "failed": status.failed, "notes": status.notes,
            ] as [String: Any]
        }
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
