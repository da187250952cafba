import StewardCore
import StewardSQL

/// `steward review`: per touched service, the schema diff, the findings of the changed
/// migrations, the cross-service dependencies added or removed, and who must approve.
public struct ReviewReporter: Sendable {
    public var terminal: Terminal
    public var paths: RepositoryPaths

    public init(terminal: Terminal, paths: RepositoryPaths) {
        self.terminal = terminal
        self.paths = paths
    }

    public func render(_ review: Review) -> String {
        let base = "\(review.reference) (\(review.baseCommit.prefix(12)))"
        guard !review.isEmpty else {
            return "steward review: no schema change since \(base)\n"
        }
        let services = review.sections.compactMap(\.service)
        var text = terminal.paint("steward review", .bold) + ": \(plural(review.changedMigrations.count, "migration")) changed since \(base); "
            + "\(plural(services.count, "service")) touched: \(services.map { "`\($0)`" }.joined(separator: ", "))\n"
        for migration in review.changedMigrations { text += "  \(paths.relative(migration).escapingControls())\n" }
        for section in review.sections {
            let heading = section.service.map { "`\($0)`" + (section.owners.isEmpty ? "" : " (\(section.owners.joined(separator: ", ")))") } ?? "no service"
            text += "\n" + terminal.paint(heading, .bold) + "\n"
            if !section.diff.isEmpty {
                text += "  schema\n"
                for entry in section.diff {
                    let color: Terminal.Style = entry.change == .added ? .green : entry.change == .dropped ? .boldRed : .boldYellow
                    text += "    " + terminal.paint(entry.change.rawValue, color) + " \(entry.object.escapingControls())"
                        + (entry.detail.map { ": \($0.escapingControls())" } ?? "") + "\n"
                }
            }
            if !section.findings.isEmpty {
                text += "  findings\n"
                for finding in section.findings {
                    let label: String
                    switch (finding.severity, finding.isAllowed) {
                    case (_, true): label = terminal.paint("allowed", .green)
                    case (.error, _): label = terminal.paint("error", .boldRed)
                    case (.warning, _): label = terminal.paint("warning", .boldYellow)
                    case (.info, _): label = terminal.paint("note", .boldBlue)
                    }
                    let place = finding.location.map { "\(paths.relative($0.path)):\($0.line):\($0.column): " } ?? ""
                    text += "    \(place.escapingControls())\(label)[\(finding.ruleID)] \(finding.message.escapingControls())\n"
                }
            }
            if !section.dependenciesAdded.isEmpty || !section.dependenciesRemoved.isEmpty {
                text += "  cross-service dependencies\n"
                for (sign, dependencies, color) in [("+", section.dependenciesAdded, Terminal.Style.boldYellow), ("-", section.dependenciesRemoved, .green)] {
                    for dependency in dependencies {
                        text += "    " + terminal.paint(sign, color) + " \(dependency.dependent.escapingControls())"
                            + (dependency.privileges.map { " (\($0))" } ?? "") + " of `\(dependency.from)` → \(dependency.target) of `\(dependency.to)`"
                            + (dependency.targetIsPublic ? " (public)" : "") + (dependency.allowedBecause.map { " (allowed: \($0.escapingControls()))" } ?? "") + "\n"
                    }
                }
            }
            if let approval = section.approval {
                // Team owners are named with the members who can approve for them.
                let teams = approval.owners.contains { $0.contains("/") }
                let who = approval.owners.joined(separator: ", ")
                    + (teams && !approval.approvers.isEmpty ? " (\(approval.approvers.map { "@\($0)" }.joined(separator: ", ")))" : "")
                var line = "  approval: \(approval.needed) from \(who)"
                if let approvedBy = approval.approvedBy {
                    line += approval.isSatisfied
                        ? " — " + terminal.paint("approved", .boldGreen) + " by \(approvedBy.map { "@\($0)" }.joined(separator: ", "))"
                        : " — " + terminal.paint("missing", .boldRed) + (approvedBy.isEmpty ? "" : " (\(approvedBy.count) of \(approval.needed))")
                }
                text += line + "\n    because it \(approval.reasons.joined(separator: "; ").escapingControls())\n"
            }
        }
        return text
    }
}
