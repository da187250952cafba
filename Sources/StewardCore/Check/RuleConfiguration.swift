import Foundation

/// A rule's level as configured: off, or the severity its findings get.
public enum RuleLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case off, info, warning, error

    public var severity: Severity? {
        switch self {
        case .off: nil
        case .info: .info
        case .warning: .warning
        case .error: .error
        }
    }
}

/// One entry of `rules:` in ownership.yml, for a rule id or a whole category:
/// `drop-column: error`, or `{severity: warning, exclude: ["legacy/*"], services: {billing: off}}`.
public struct RuleSetting: Sendable, Hashable {
    public var level: RuleLevel?
    /// Globs of migration paths (as Steward prints them) where the rule is off.
    public var exclude: [String]
    /// Per service (the owner of the object a finding is about): a level that wins over `level`.
    public var services: [String: RuleLevel]
    public var line: Int

    public init(level: RuleLevel? = nil, exclude: [String] = [], services: [String: RuleLevel] = [:], line: Int = 1) {
        self.level = level
        self.exclude = exclude
        self.services = services
        self.line = line
    }
}

/// Which rules run and how severe their findings are: the manifest's `rules:` section with
/// the command line's `--select` / `--ignore` on top. Ids and categories both work.
public struct RuleConfiguration: Sendable, Hashable {
    public var settings: [String: RuleSetting]
    /// `--select`: only these rule ids or categories run (this also turns on rules that are off
    /// by default); input diagnostics are not affected. Empty: every rule that is on.
    public var select: [String]
    /// `--ignore`: these ids or categories never run.
    public var ignore: [String]

    public init(settings: [String: RuleSetting] = [:], select: [String] = [], ignore: [String] = []) {
        self.settings = settings
        self.select = select
        self.ignore = ignore
    }

    /// Every id and category a configuration may name.
    public static var knownNames: Set<String> {
        Set(RuleRegistry.all.map(\.descriptor.id) + RuleRegistry.diagnostics.map(\.id) + RuleCategory.allCases.map(\.rawValue))
    }

    /// The rule's setting: its own entry, else its category's.
    private func setting(id: String, category: String?) -> RuleSetting? {
        settings[id] ?? category.flatMap { settings[$0] }
    }

    /// Whether the rule runs at all.
    public func isEnabled(id: String, category: String?, enabledByDefault: Bool) -> Bool {
        let names = [id] + (category.map { [$0] } ?? [])
        if names.contains(where: ignore.contains) { return false }
        // --select picks among rules; input diagnostics (a syntax error, an unreadable file) stay.
        if !select.isEmpty, category != nil { return names.contains(where: select.contains) }
        if let level = setting(id: id, category: category)?.level { return level != .off || !(setting(id: id, category: category)?.services.isEmpty ?? true) }
        return enabledByDefault
    }

    /// Whether the rule has to run: it is on somewhere (by default, by level, or for a service).
    public func mayRun(_ descriptor: RuleDescriptor) -> Bool {
        isEnabled(id: descriptor.id, category: descriptor.category.rawValue, enabledByDefault: descriptor.enabledByDefault)
    }

    /// The finding as configured: nil when its rule is off there (by level, path or service).
    public func apply(to finding: Finding, category: String?, enabledByDefault: Bool) -> Finding? {
        if settings.isEmpty, select.isEmpty, ignore.isEmpty { return enabledByDefault ? finding : nil }
        guard isEnabled(id: finding.ruleID, category: category, enabledByDefault: enabledByDefault) else { return nil }
        guard let setting = setting(id: finding.ruleID, category: category) else { return finding }
        if let path = finding.location?.path, setting.exclude.contains(where: { Self.glob($0, matches: path) }) { return nil }
        var result = finding
        let level = finding.services.first.flatMap { setting.services[$0] } ?? setting.level
        switch level {
        case .off: return nil
        case .some(let level): result.severity = level.severity ?? finding.severity
        case nil: break
        }
        return result
    }

    /// A deterministic text of the whole configuration, for cache keys.
    public var canonicalText: String {
        let entries = settings.keys.sorted().map { name -> String in
            let setting = settings[name]!
            let services = setting.services.keys.sorted().map { "\($0):\(setting.services[$0]!.rawValue)" }.joined(separator: ",")
            return "\(name)=\(setting.level?.rawValue ?? "-")|\(setting.exclude.joined(separator: ","))|\(services)"
        }
        return entries.joined(separator: ";") + " select=" + select.joined(separator: ",") + " ignore=" + ignore.joined(separator: ",")
    }

    /// fnmatch(3) without FNM_PATHNAME, so `*` also crosses `/` (`legacy/*` covers nested folders);
    /// a leading `./` on either side is ignored.
    static func glob(_ pattern: String, matches path: String) -> Bool {
        func trimmed(_ text: String) -> String { text.hasPrefix("./") ? String(text.dropFirst(2)) : text }
        return fnmatch(trimmed(pattern), trimmed(path), 0) == 0
    }
}
