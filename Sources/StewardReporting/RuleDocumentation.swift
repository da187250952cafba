import Foundation
import StewardCore

/// `steward rules`, `steward explain` and docs/rules.md, all from the rules' own declarations.
public struct RuleDocumentation: Sendable {
    public var terminal: Terminal

    public init(terminal: Terminal) { self.terminal = terminal }

    public func list() -> String {
        var text = ""
        let width = (RuleRegistry.all.map(\.descriptor.id.count) + RuleRegistry.diagnostics.map(\.id.count)).max() ?? 0
        for rule in RuleRegistry.all {
            let descriptor = rule.descriptor
            text += terminal.paint(descriptor.id.padding(toLength: width, withPad: " ", startingAt: 0), .bold)
                + "  \(descriptor.category.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0))  \(descriptor.defaultSeverity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0))  \(descriptor.summary)\n"
        }
        for diagnostic in RuleRegistry.diagnostics {
            text += terminal.paint(diagnostic.id.padding(toLength: width, withPad: " ", startingAt: 0), .bold)
                + "  \("input".padding(toLength: 10, withPad: " ", startingAt: 0))  \(diagnostic.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0))  \(diagnostic.summary)\n"
        }
        return text
    }

    public func explain(_ rule: any Rule) -> String {
        let descriptor = rule.descriptor
        var text = terminal.paint("\(descriptor.id)", .bold) + " (\(descriptor.category.rawValue), \(descriptor.defaultSeverity.rawValue))\n"
        text += descriptor.summary + "\n\n"
        text += terminal.paint("Why it matters", .bold) + "\n" + descriptor.rationale + "\n\n"
        text += terminal.paint("What to do instead", .bold) + "\n" + descriptor.remedy + "\n\n"
        text += terminal.paint("Flagged", .bold) + "\n"
        for example in descriptor.triggering { text += indent(example) + "\n" }
        text += terminal.paint("Not flagged", .bold) + "\n"
        for example in descriptor.nonTriggering { text += indent(example) + "\n" }
        text += "Silence one occurrence with a comment on the line or the line above: -- steward:ignore \(descriptor.id)\n"
        return text
    }

    /// docs/rules.md; a test fails when the committed file differs.
    public static func markdown() -> String {
        var text = "# Steward rules\n\nGenerated from the rules' own declarations (`RuleDocumentation.markdown()`); do not edit by hand.\n"
        text += "Silence one occurrence with `-- steward:ignore <rule-id>` on the flagged line or the line above it\n"
        text += "(`# steward:ignore <rule-id>` in ownership.yml).\n\n"
        text += "| rule | category | default severity | summary |\n|---|---|---|---|\n"
        for rule in RuleRegistry.all {
            let d = rule.descriptor
            text += "| [`\(d.id)`](#\(d.id)) | \(d.category.rawValue) | \(d.defaultSeverity.rawValue) | \(d.summary) |\n"
        }
        for diagnostic in RuleRegistry.diagnostics {
            text += "| `\(diagnostic.id)` | input | \(diagnostic.severity.rawValue) | \(diagnostic.summary) |\n"
        }
        for rule in RuleRegistry.all {
            let d = rule.descriptor
            text += "\n## \(d.id)\n\n\(d.summary)\n\n**Why it matters.** \(d.rationale)\n\n**What to do instead.** \(d.remedy)\n"
            for (title, examples) in [("Flagged", d.triggering), ("Not flagged", d.nonTriggering)] {
                text += "\n\(title):\n"
                for example in examples {
                    if let manifest = example.manifest {
                        text += "\n```yaml\n# ownership.yml\n\(manifest.replacingOccurrences(of: "↓", with: "").trimmingCharacters(in: .newlines))\n```\n"
                    }
                    text += "\n```sql\n\(example.sql.replacingOccurrences(of: "↓", with: ""))\n```\n"
                }
            }
        }
        return text
    }

    private func indent(_ example: RuleExample) -> String {
        var text = ""
        if let manifest = example.manifest {
            text += "    # ownership.yml\n" + manifest.split(separator: "\n", omittingEmptySubsequences: false)
                .map { "    " + $0 }.joined(separator: "\n").replacingOccurrences(of: "↓", with: "") + "\n"
        }
        text += "    -- migration\n" + example.sql.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n").replacingOccurrences(of: "↓", with: "") + "\n"
        return text
    }
}
