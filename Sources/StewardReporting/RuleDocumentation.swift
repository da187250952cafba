import Foundation
import StewardCore

/// `steward rules`, `steward explain` and docs/rules.md, all from the rules' own declarations.
public struct RuleDocumentation: Sendable {
    public var terminal: Terminal

    public init(terminal: Terminal) { self.terminal = terminal }

    public func list() -> String {
        var text = ""
        let width = (RuleRegistry.all.map(\.descriptor.id.count) + RuleRegistry.diagnostics.map(\.id.count)).max() ?? 0
        func row(_ id: String, _ category: String, _ level: String, _ summary: String) -> String {
            terminal.paint(id.padding(toLength: width, withPad: " ", startingAt: 0), .bold)
                + "  \(category.padding(toLength: 9, withPad: " ", startingAt: 0))  \(level.padding(toLength: 7, withPad: " ", startingAt: 0))  \(summary)\n"
        }
        for rule in RuleRegistry.all {
            let descriptor = rule.descriptor
            text += row(descriptor.id, descriptor.category.rawValue, Self.level(descriptor), descriptor.summary)
        }
        for diagnostic in RuleRegistry.diagnostics {
            text += row(diagnostic.id, "input", diagnostic.severity.rawValue, diagnostic.summary)
        }
        return text
    }

    /// The default severity, or `off` for rules that only run when configured.
    static func level(_ descriptor: RuleDescriptor) -> String { descriptor.enabledByDefault ? descriptor.defaultSeverity.rawValue : "off" }

    public func explain(_ rule: any Rule) -> String {
        let descriptor = rule.descriptor
        var text = terminal.paint("\(descriptor.id)", .bold) + " (\(descriptor.category.rawValue), \(Self.level(descriptor)))\n"
        text += descriptor.summary + "\n\n"
        if let lock = descriptor.lock { text += terminal.paint("Lock", .bold) + "\n" + lock + "\n\n" }
        text += terminal.paint("Why it matters", .bold) + "\n" + descriptor.rationale + "\n\n"
        text += terminal.paint("What to do instead", .bold) + "\n" + descriptor.remedy + "\n\n"
        text += terminal.paint("Flagged", .bold) + "\n"
        for example in descriptor.triggering { text += indent(example) + "\n" }
        text += terminal.paint("Not flagged", .bold) + "\n"
        for example in descriptor.nonTriggering { text += indent(example) + "\n" }
        text += "Silence one occurrence with a comment on the line or the line above: -- steward:ignore \(descriptor.id) -- <reason>\n"
        if !descriptor.enabledByDefault { text += "Off by default: turn it on with `rules: {\(descriptor.id): warning}` in ownership.yml or --select \(descriptor.id).\n" }
        return text
    }

    // MARK: JSON (`--format json`)

    /// One rule as data: what `rules --format json` lists and `explain --format json` prints.
    struct RuleEntry: Encodable {
        struct Example: Encodable {
            struct File: Encodable { var name: String; var sql: String }
            var files: [File]
            var manifest: String?
        }

        var id: String
        var kind: String
        var category: String?
        var defaultSeverity: String
        var enabledByDefault: Bool
        var summary: String
        var lock: String?
        var rationale: String?
        var remedy: String?
        var triggering: [Example]?
        var nonTriggering: [Example]?

        enum CodingKeys: String, CodingKey {
            case id, kind, category, summary, lock, rationale, remedy, triggering
            case defaultSeverity = "default_severity", enabledByDefault = "enabled_by_default", nonTriggering = "non_triggering"
        }
    }

    static func entry(_ descriptor: RuleDescriptor, detailed: Bool) -> RuleEntry {
        func examples(_ list: [RuleExample]) -> [RuleEntry.Example] {
            list.map { example in
                RuleEntry.Example(files: example.files.map { .init(name: $0.name, sql: $0.sql.replacingOccurrences(of: "↓", with: "")) },
                                  manifest: example.manifest?.replacingOccurrences(of: "↓", with: ""))
            }
        }
        return RuleEntry(id: descriptor.id, kind: "rule", category: descriptor.category.rawValue, defaultSeverity: descriptor.defaultSeverity.rawValue,
                         enabledByDefault: descriptor.enabledByDefault, summary: descriptor.summary, lock: descriptor.lock,
                         rationale: detailed ? descriptor.rationale : nil, remedy: detailed ? descriptor.remedy : nil,
                         triggering: detailed ? examples(descriptor.triggering) : nil, nonTriggering: detailed ? examples(descriptor.nonTriggering) : nil)
    }

    static func encode<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self) + "\n"
    }

    public static func listJSON() -> String {
        struct Document: Encodable { var format_version = 1; var rules: [RuleEntry] }
        let rules = RuleRegistry.all.map { entry($0.descriptor, detailed: false) } + RuleRegistry.diagnostics.map {
            RuleEntry(id: $0.id, kind: "input", category: nil, defaultSeverity: $0.severity.rawValue, enabledByDefault: true, summary: $0.summary)
        }
        return encode(Document(rules: rules))
    }

    public static func explainJSON(_ rule: any Rule) -> String { encode(entry(rule.descriptor, detailed: true)) }

    // MARK: docs/rules.md

    /// docs/rules.md; a test fails when the committed file differs.
    public static func markdown() -> String {
        var text = "# Steward rules\n\nGenerated from the rules' own declarations (`RuleDocumentation.markdown()`); do not edit by hand.\n"
        text += "Silence one occurrence with `-- steward:ignore <rule-id> -- <reason>` on the flagged line or the line above it\n"
        text += "(`# steward:ignore <rule-id> -- <reason>` in ownership.yml). Configure levels under `rules:` in ownership.yml.\n\n"
        text += "| rule | category | default | lock | summary |\n|---|---|---|---|---|\n"
        for rule in RuleRegistry.all {
            let d = rule.descriptor
            text += "| [`\(d.id)`](#\(d.id)) | \(d.category.rawValue) | \(level(d)) | \(d.lock.map { $0.components(separatedBy: ":").first ?? $0 } ?? "") | \(d.summary) |\n"
        }
        for diagnostic in RuleRegistry.diagnostics {
            text += "| `\(diagnostic.id)` | input | \(diagnostic.severity.rawValue) | | \(diagnostic.summary) |\n"
        }
        for rule in RuleRegistry.all {
            let d = rule.descriptor
            text += "\n## \(d.id)\n\n\(d.summary)\n\n"
            if let lock = d.lock { text += "**Lock.** \(lock)\n\n" }
            if !d.enabledByDefault { text += "**Off by default**: enable it with `rules: {\(d.id): warning}` or `--select \(d.id)`.\n\n" }
            text += "**Why it matters.** \(d.rationale)\n\n**What to do instead.** \(d.remedy)\n"
            for (title, examples) in [("Flagged", d.triggering), ("Not flagged", d.nonTriggering)] {
                text += "\n\(title):\n"
                for example in examples {
                    if let manifest = example.manifest {
                        text += "\n```yaml\n# ownership.yml\n\(manifest.replacingOccurrences(of: "↓", with: "").trimmingCharacters(in: .newlines))\n```\n"
                    }
                    text += "\n```sql\n" + example.files.map { file in
                        (example.files.count > 1 ? "-- \(file.name)\n" : "") + file.sql.replacingOccurrences(of: "↓", with: "").trimmingCharacters(in: .newlines)
                    }.joined(separator: "\n\n") + "\n```\n"
                    if let applied = example.applied {
                        text += "\n(with `--since`; at the merge base: " + (applied.keys.sorted().map { "`\($0)`" }.joined(separator: ", ")) + ")\n"
                    }
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
        for file in example.files {
            text += "    -- \(file.name)\n" + file.sql.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n").replacingOccurrences(of: "↓", with: "") + "\n"
        }
        return text
    }
}
