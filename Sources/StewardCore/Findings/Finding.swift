import StewardSQL

public enum Severity: String, Codable, Sendable, Comparable, CaseIterable {
    case info, warning, error

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A place in a migration file (or the manifest): path as given on the command line.
public struct FileLocation: Hashable, Codable, Sendable, Comparable {
    public var path: String
    public var line: Int
    public var column: Int
    /// Length in characters of the span to underline (at least 1).
    public var length: Int

    public init(path: String, line: Int, column: Int, length: Int = 1) {
        self.path = path
        self.line = line
        self.column = column
        self.length = max(1, length)
    }

    public static func < (lhs: FileLocation, rhs: FileLocation) -> Bool {
        (lhs.path, lhs.line, lhs.column) < (rhs.path, rhs.line, rhs.column)
    }
}

/// One thing Steward reports: a rule violation, a syntax error, an input problem.
public struct Finding: Codable, Sendable, Hashable {
    public var ruleID: String
    public var severity: Severity
    public var message: String
    /// What to do about it.
    public var help: String?
    public var location: FileLocation?
    /// Services concerned (owner of the changed object first).
    public var services: [String]
    /// True when a documented exception (`boundaries.allow`) covers the finding.
    public var allowedBy: String?

    public init(ruleID: String, severity: Severity, message: String, help: String? = nil,
                location: FileLocation? = nil, services: [String] = [], allowedBy: String? = nil) {
        self.ruleID = ruleID
        self.severity = severity
        self.message = message
        self.help = help
        self.location = location
        self.services = services
        self.allowedBy = allowedBy
    }

    /// Deterministic report order: by file position, then rule, then message.
    public static func reportOrder(_ lhs: Finding, _ rhs: Finding) -> Bool {
        switch (lhs.location, rhs.location) {
        case let (left?, right?) where left != right: return left < right
        case (nil, _?): return true
        case (_?, nil): return false
        default: return (lhs.ruleID, lhs.message) < (rhs.ruleID, rhs.message)
        }
    }
}
