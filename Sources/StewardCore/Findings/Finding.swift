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

/// An `Int` held in 32 bits, clamped beyond them, and encoded as the `Int` it holds: locations
/// are held by the hundred thousand at 100k statements (findings, the change log, every column),
/// and 64-bit lines and columns put each finding and each change a malloc size class higher.
@propertyWrapper
public struct Int32Clamped: Hashable, Sendable, Codable {
    private var stored: Int32

    public init(wrappedValue: Int) { stored = Int32(clamping: wrappedValue) }

    public var wrappedValue: Int {
        get { Int(stored) }
        set { stored = Int32(clamping: newValue) }
    }

    public init(from decoder: any Decoder) throws { self.init(wrappedValue: try decoder.singleValueContainer().decode(Int.self)) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

/// A place in a migration file (or the manifest): path as given on the command line.
public struct FileLocation: Hashable, Codable, Sendable, Comparable {
    public var path: String
    @Int32Clamped public var line: Int
    @Int32Clamped public var column: Int
    /// Length in characters of the span to underline (at least 1).
    @Int32Clamped public var length: Int

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

/// What a finding is about, as data: tools group, filter and fingerprint findings by it.
/// `table` names the relation (table, view, materialized view); `name` names an object that
/// is not a relation or a column (an index, a function, a type, a schema, a cache prefix…).
public struct FindingObject: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case schema, table, view, column, constraint, index, function, type, sequence, trigger, setting
        case cachePrefix = "cache-prefix", query, migration, manifestEntry = "manifest-entry"
    }

    // `kind` last: it fills the end of the value instead of padding its start, which puts each
    // finding (one object held inline) a malloc size class lower.
    public var schema: String?
    public var table: String?
    public var column: String?
    public var constraint: String?
    public var name: String?
    public var kind: Kind

    public init(kind: Kind, schema: String? = nil, table: String? = nil, column: String? = nil, constraint: String? = nil,
                name: String? = nil) {
        self.kind = kind
        self.schema = schema
        self.table = table
        self.column = column
        self.constraint = constraint
        self.name = name
    }

    /// A relation (or a column or constraint of one) by its possibly unqualified name; an
    /// unqualified name is in `public`, as on the default search path.
    public static func relation(_ relation: ObjectName, kind: Kind = .table, column: String? = nil, constraint: String? = nil) -> FindingObject {
        FindingObject(kind: kind, schema: relation.qualified.schema, table: relation.name, column: column, constraint: constraint)
    }

    /// What identifies the object, the same however the finding's message is worded.
    public var identity: String {
        [kind.rawValue, schema ?? "", table ?? "", column ?? "", constraint ?? "", name ?? ""].joined(separator: "\u{1F}")
    }
}

/// Why an allowed finding is allowed: a documented exception in the manifest or a
/// `steward:ignore` comment, with where it is written.
public struct Allowance: Codable, Sendable, Hashable {
    public enum Source: String, Codable, Sendable {
        case boundaryAllow = "boundaries.allow"
        case suppressionComment = "steward:ignore"
    }

    public var source: Source
    public var path: String
    public var line: Int
    public var reason: String?

    public init(source: Source, path: String, line: Int, reason: String?) {
        self.source = source
        self.path = path
        self.line = line
        self.reason = reason
    }

    /// `boundaries.allow (ownership.yml:51): reason`, as the text report prints it.
    public var description: String {
        "\(source.rawValue) (\(path):\(line))" + (reason.map { ": \($0)" } ?? "")
    }
}

/// Another place that explains a finding: the referenced table's `CREATE`, the manifest entry…
public struct RelatedLocation: Codable, Sendable, Hashable {
    public var location: FileLocation
    public var message: String

    public init(_ location: FileLocation, _ message: String) {
        self.location = location
        self.message = message
    }
}

/// One thing Steward reports: a rule violation, a syntax error, an input problem.
///
/// A value type whose fields live in one copy-on-write box: a run at 100k statements holds
/// ~55k findings, which are gathered from the rules, filtered and sorted as arrays. With the
/// box an array element is one reference (copying it is one retain, not one per string and
/// array inside), and joining the rules' results does not hold every finding twice.
public struct Finding: Sendable, Hashable {
    private var storage: Storage

    public var ruleID: String {
        get { storage.fields.ruleID }
        set { unique().fields.ruleID = newValue }
    }
    public var severity: Severity {
        get { storage.fields.severity }
        set { unique().fields.severity = newValue }
    }
    public var message: String {
        get { storage.fields.message }
        set { unique().fields.message = newValue.compacted() }
    }
    /// What to do about it.
    public var help: String? {
        get { storage.fields.help }
        set { unique().fields.help = newValue }
    }
    public var location: FileLocation? {
        get { storage.fields.location }
        set { unique().fields.location = newValue }
    }
    /// Services concerned (owner of the changed object first).
    public var services: [String] {
        get { storage.fields.services }
        set { unique().fields.services = SharedServiceLists.shared(newValue) }
    }
    /// Set when a documented exception (`boundaries.allow`) or a suppression comment covers the finding.
    public var allowance: Allowance? {
        get { storage.fields.extras?.allowance }
        set { unique().fields.extras = Extras(allowance: newValue, related: related) }
    }
    /// What the finding is about (empty for findings about a file as a whole).
    public var objects: [FindingObject] {
        get { storage.fields.objects.array }
        set { unique().fields.objects = Objects(newValue) }
    }
    /// Whether the finding names no object (cheaper than `objects.isEmpty`, which builds the array).
    public var hasNoObjects: Bool { storage.fields.objects.isEmpty }
    /// Other places that explain it.
    public var related: [RelatedLocation] {
        get { storage.fields.extras?.related ?? [] }
        set { unique().fields.extras = Extras(allowance: allowance, related: newValue) }
    }

    public init(ruleID: String, severity: Severity, message: String, help: String? = nil, location: FileLocation? = nil,
                services: [String] = [], allowance: Allowance? = nil, objects: [FindingObject] = [], related: [RelatedLocation] = []) {
        storage = Storage(Fields(ruleID: ruleID, message: message.compacted(), help: help, location: location, severity: severity,
                                 services: SharedServiceLists.shared(services),
                                 objects: Objects(objects), extras: Extras(allowance: allowance, related: related)))
    }

    /// `boundaries.allow (ownership.yml:51): reason`, or nil when nothing allows the finding.
    public var allowedBy: String? { allowance?.description }

    public var isAllowed: Bool { storage.fields.extras?.allowance != nil }

    /// Deterministic report order: by file position, then rule, then message, then the length
    /// of the span. A strict total order on what is reported: two findings at one position
    /// (spans of different lengths, from different rules) sort the same whatever order the
    /// rules ran in.
    public static func reportOrder(_ lhs: Finding, _ rhs: Finding) -> Bool {
        // Through the box's fields one by one: copying `fields` whole would retain all of them.
        switch (lhs.storage.fields.location, rhs.storage.fields.location) {
        case let (left?, right?) where left < right || right < left: return left < right
        case (nil, _?): return true
        case (_?, nil): return false
        default:
            let (left, right) = (lhs.storage.fields, rhs.storage.fields)
            return (left.ruleID, left.message, left.location?.length ?? 0) < (right.ruleID, right.message, right.location?.length ?? 0)
        }
    }

    /// The box, copied first if another finding shares it.
    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
        return storage
    }

    public static func == (lhs: Finding, rhs: Finding) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(storage.fields) }

    /// A finding's fields, compared and hashed as one value.
    /// Ordered so that `severity` fills what the optional location leaves of its last word:
    /// 200 bytes with the box's header, a malloc size class under the 216 of the natural order.
    private struct Fields: Hashable {
        var ruleID: String
        var message: String
        var help: String?
        var location: FileLocation?
        var severity: Severity
        var services: [String]
        var objects: Objects
        var extras: Extras?
    }

    /// A finding's objects. Almost every finding names one: held in the box itself, that one
    /// costs no array (an allocation of its own, ~55k of them at 100k statements).
    private enum Objects: Hashable {
        case one(FindingObject)
        case list([FindingObject])

        init(_ objects: [FindingObject]) { self = objects.count == 1 ? .one(objects[0]) : .list(objects) }

        var array: [FindingObject] {
            switch self {
            case .one(let object): [object]
            case .list(let objects): objects
            }
        }

        var isEmpty: Bool {
            if case .list(let objects) = self { return objects.isEmpty }
            return false
        }

        // By the objects, however they are held.
        static func == (lhs: Objects, rhs: Objects) -> Bool {
            switch (lhs, rhs) {
            case let (.one(left), .one(right)): left == right
            default: lhs.array == rhs.array
            }
        }

        // As an array hashes: its count, then its elements.
        func hash(into hasher: inout Hasher) {
            switch self {
            case .one(let object):
                hasher.combine(1)
                hasher.combine(object)
            case .list(let objects):
                hasher.combine(objects.count)
                for object in objects { hasher.combine(object) }
            }
        }
    }

    /// What few findings have (an allowance, related places), boxed apart: nil for the others,
    /// so that each of them is smaller by the size of these fields.
    private indirect enum Extras: Hashable {
        case values(allowance: Allowance?, related: [RelatedLocation])

        /// nil when there is neither.
        init?(allowance: Allowance?, related: [RelatedLocation]) {
            guard allowance != nil || !related.isEmpty else { return nil }
            self = .values(allowance: allowance, related: related)
        }

        var allowance: Allowance? {
            switch self { case .values(let allowance, _): allowance }
        }

        var related: [RelatedLocation] {
            switch self { case .values(_, let related): related }
        }
    }

    /// The box. Mutated only through `unique()`, that is while no other finding (and so no
    /// other thread) can see it: that is what makes it Sendable.
    private final class Storage: @unchecked Sendable {
        var fields: Fields

        init(_ fields: Fields) { self.fields = fields }
    }
}
