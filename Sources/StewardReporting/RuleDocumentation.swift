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

import Foundation
