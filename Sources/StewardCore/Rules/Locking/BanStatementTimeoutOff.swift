import StewardSQL

/// `SET statement_timeout = 0` in a migration.
public struct BanStatementTimeoutOff: ChangeRule {
    public static let changeKinds: [SchemaChange.Kind.Tag] = [.setting]
    public let descriptor = RuleDescriptor(
        id: "ban-statement-timeout-off",
        category: .locking,
        defaultSeverity: .warning,
        summary: "A migration turns statement_timeout off.",
        rationale: """
            Without a statement timeout a slow statement holds its locks for as long as it runs: the other services' \
            queries queue behind it with no upper bound.
            """,
        remedy: "Set a generous but finite timeout for the slow statement (`SET LOCAL statement_timeout = '15min'`), and a short lock_timeout.",
        triggering: [
            RuleExample("↓SET statement_timeout = 0;"),
            RuleExample("BEGIN;\n↓SET LOCAL statement_timeout TO '0';\nCOMMIT;"),
        ],
        nonTriggering: [
            RuleExample("SET statement_timeout = '15min';"),
            RuleExample("SET lock_timeout = 0;\nRESET statement_timeout;"),
        ])

    public init() {}

    public func finding(for change: SchemaChange, in context: RuleContext) -> Finding? {
        guard case .setting(let value?, _) = change.kind, change.object.name == "statement_timeout",
              SchemaReplayer.isZeroDuration(value) else { return nil }
        return finding("SET statement_timeout = \(value) removes the upper bound on how long this migration's statements hold their locks",
                       at: change.location)
    }
}
