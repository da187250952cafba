/// Why a live command could not talk to PostgreSQL. Every message has the password masked
/// (`ConnectionTarget.mask`) and says what to do next; the CLI exits with 2.
public struct LiveError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// libpq.so.5 is not installed.
        case libraryUnavailable = "libpq unavailable"
        /// The connection string or URL does not parse.
        case invalidConnectionString = "invalid connection string"
        case refused = "connection refused"
        case authentication = "authentication failed"
        case timeout = "timeout"
        case ssl = "SSL"
        case connection = "connection failed"
        /// A statement failed (SQLSTATE in `sqlState`).
        case query = "query failed"
        /// The server is not one Steward can read (PostgreSQL older than 12).
        case unsupportedServer = "unsupported server"
    }

    public var kind: Kind
    public var message: String
    /// The SQLSTATE of a failed statement (`25006`: read-only transaction).
    public var sqlState: String?
    /// Where in the statement it failed (1-based character offset, PostgreSQL's `P` field).
    public var position: Int?

    public init(_ kind: Kind, _ message: String, sqlState: String? = nil) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
    }

    public var description: String { message }
}
