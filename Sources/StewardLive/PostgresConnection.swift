import CLibPQ
import Foundation

/// One libpq connection. Statements are sent with `PQexecParams` (values as parameters,
/// never spliced into SQL); `executeScript` exists only for applying migration files to a
/// scratch database, where the tool's own protocol (one simple query per file) matters.
///
/// Not `Sendable`: a libpq connection must not be used from two threads at once.
public final class PostgresConnection {
    private let handle: OpaquePointer
    private let libpq: StewardLibPQ
    public let target: ConnectionTarget

    /// Connects, with `connect_timeout` seconds to reach the server. Errors say whether the
    /// server refused, the password was wrong, the time ran out or SSL failed.
    /// `database`: connect to that database on the same server instead of the target's own.
    public init(_ target: ConnectionTarget, database: String? = nil, connectTimeout: Int = 10,
                applicationName: String = "steward") throws(LiveError) {
        try target.validate()
        let libpq = try LibPQ.load()
        // The user's string goes in as `dbname` with expand_dbname: libpq parses it (URL or
        // key=value), and what it sets overrides the defaults before it (a `connect_timeout` of
        // the user's own wins).
        var keywords = ["connect_timeout", "fallback_application_name"]
        var values = [String(connectTimeout), applicationName]
        if !target.conninfo.isEmpty {
            keywords.append("dbname")
            values.append(target.conninfo)
        }
        // Only the first `dbname` is expanded as a connection string; a later one is a plain name.
        if let database {
            keywords.append("dbname")
            values.append(database)
        }
        let connection = withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in libpq.connectdbParams(keywordPointers, valuePointers, 1) }
        }
        guard let connection else { throw LiveError(.connection, "cannot connect to \(target): out of memory") }
        guard libpq.status(connection) == CONNECTION_OK else {
            let reason = cText(libpq.errorMessage(connection)).trimmingTrailingNewlines
            libpq.finish(connection)
            throw Self.connectionError(reason, target: target)
        }
        _ = libpq.setNoticeProcessor(connection, steward_libpq_ignore_notice, nil)
        self.handle = connection
        self.libpq = libpq
        self.target = target
    }

    deinit { libpq.finish(handle) }

    /// `PQserverVersion`: 150004 for 15.4.
    public var serverVersion: Int { Int(libpq.serverVersion(handle)) }

    /// Runs one statement with `$1`, `$2`… bound to `parameters` (text format; nil is NULL).
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) throws(LiveError) -> QueryResult {
        let result: OpaquePointer? = withOptionalCStrings(parameters) { pointers in
            libpq.execParams(handle, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
        }
        return try consume(result)
    }

    /// Sends `script` as one simple-protocol query: PostgreSQL runs its statements in one
    /// implicit transaction unless they contain their own BEGIN/COMMIT. Scratch databases only.
    @discardableResult
    public func executeScript(_ script: String) throws(LiveError) -> QueryResult {
        try consume(libpq.exec(handle, script))
    }

    private func consume(_ result: OpaquePointer?) throws(LiveError) -> QueryResult {
        guard let result else {
            throw LiveError(.connection, target.mask(cText(libpq.errorMessage(handle)).trimmingTrailingNewlines))
        }
        defer { libpq.clear(result) }
        switch libpq.resultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return QueryResult(columns: [], rows: [])
        case PGRES_TUPLES_OK:
            let columnCount = libpq.nfields(result), rowCount = libpq.ntuples(result)
            let columns = (0..<columnCount).map { cText(libpq.fname(result, $0)) }
            var rows: [[String?]] = []
            rows.reserveCapacity(Int(rowCount))
            for row in 0..<rowCount {
                rows.append((0..<columnCount).map { column in
                    libpq.getisnull(result, row, column) == 1 ? nil : cText(libpq.getvalue(result, row, column))
                })
            }
            return QueryResult(columns: columns, rows: rows)
        default:
            func field(_ code: Character) -> String? {
                libpq.resultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
            }
            let message = field("M") ?? cText(libpq.resultErrorMessage(result)).trimmingTrailingNewlines
            throw LiveError(.query, target.mask(message), sqlState: field("C"),
                            position: field("P").flatMap { Int($0) })
        }
    }

    static func connectionError(_ reason: String, target: ConnectionTarget) -> LiveError {
        // libpq's message spans lines (a hint on a tab-indented second line): one line here.
        let masked = target.mask(reason).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        // libpq's own wording (fe-connect.c, fe-auth.c, fe-secure-openssl.c).
        let kind: LiveError.Kind
        if reason.contains("Connection refused") || reason.contains("No such file or directory") {
            kind = .refused
        } else if reason.contains("authentication failed") || reason.contains("no password supplied")
                    || reason.contains("password authentication") || reason.contains("no pg_hba.conf entry") {
            kind = .authentication
        } else if reason.contains("timeout expired") || reason.contains("timed out") {
            kind = .timeout
        } else if reason.contains("SSL") {
            kind = .ssl
        } else {
            kind = .connection
        }
        let advice: String
        switch kind {
        case .refused: advice = "check the host and port"
        case .authentication: advice = "check the user and password (in the URL, PGPASSWORD or ~/.pgpass) and pg_hba.conf"
        case .timeout: advice = "the server did not answer in time; check the host, port and firewall"
        case .ssl: advice = "check sslmode and the server's certificates"
        default: advice = "check the connection string"
        }
        return LiveError(kind, "cannot connect to \(target): \(masked) (\(advice))")
    }
}

extension LiveError {
    init(_ kind: Kind, _ message: String, sqlState: String?, position: Int?) {
        self.init(kind, message, sqlState: sqlState)
        self.position = position
    }
}

/// Rows of text values, as PostgreSQL's text output prints them.
public struct QueryResult: Sendable {
    public var columns: [String]
    public var rows: [[String?]]

    /// The rows with typed accessors.
    public var typedRows: [Row] { rows.map { Row(columns: columns, values: $0) } }

    /// One row, decoded by column: a value that is NULL or not of the expected type is an
    /// error naming the column (a catalog that does not look as expected, not a crash).
    public struct Row: Sendable {
        public var columns: [String]
        public var values: [String?]

        public func optionalText(_ index: Int) -> String? { values[index] }

        public func text(_ index: Int) throws(LiveError) -> String {
            guard let value = values[index] else { throw unexpected(index, "NULL", expected: "a value") }
            return value
        }

        public func integer(_ index: Int) throws(LiveError) -> Int64 {
            let value = try text(index)
            guard let number = Int64(value) else { throw unexpected(index, value, expected: "an integer") }
            return number
        }

        public func optionalInteger(_ index: Int) throws(LiveError) -> Int64? {
            values[index] == nil ? nil : try integer(index)
        }

        public func double(_ index: Int) throws(LiveError) -> Double {
            let value = try text(index)
            guard let number = Double(value) else { throw unexpected(index, value, expected: "a number") }
            return number
        }

        /// `t`/`f` (boolean output) or `true`/`false` (boolean cast to text).
        public func bool(_ index: Int) throws(LiveError) -> Bool {
            switch try text(index) {
            case "t", "true": return true
            case "f", "false": return false
            case let other: throw unexpected(index, other, expected: "a boolean")
            }
        }

        private func unexpected(_ index: Int, _ value: String, expected: String) -> LiveError {
            LiveError(.query, "unexpected \(value) in column \(index < columns.count ? columns[index] : String(index)) (expected \(expected))")
        }
    }
}

private func withCStrings<Result>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> Result) -> Result {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

private func withOptionalCStrings<Result>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> Result) -> Result {
    let copies = strings.map { $0.map { strdup($0) } ?? nil }
    defer { copies.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
}
