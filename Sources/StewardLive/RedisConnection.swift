import CHiredis
import Foundation

/// Where the shared Redis is: `redis://[user:password@]host[:port][/db]` or
/// `unix:///path/to/socket[?db=N]`. The password never appears in messages.
public struct RedisTarget: Sendable, CustomStringConvertible {
    public var host: String?
    public var port: Int
    public var socketPath: String?
    public var user: String?
    public var password: String?
    public var database: Int

    public init(url: String) throws(LiveError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme else {
            throw LiveError(.invalidConnectionString, "invalid Redis URL (expected redis://[user:password@]host[:port][/db] or unix:///path): \(Self.mask(url))")
        }
        switch scheme {
        case "redis":
            guard let host = components.host, !host.isEmpty else {
                throw LiveError(.invalidConnectionString, "invalid Redis URL \(Self.mask(url)): no host")
            }
            self.host = host
            self.port = components.port ?? 6379
            let path = components.path.drop { $0 == "/" }
            guard path.isEmpty || Int(path) != nil else {
                throw LiveError(.invalidConnectionString, "invalid Redis URL \(Self.mask(url)): the path must be a database number")
            }
            self.database = Int(path) ?? 0
        case "unix":
            guard !components.path.isEmpty else { throw LiveError(.invalidConnectionString, "invalid Redis URL \(Self.mask(url)): no socket path") }
            self.socketPath = components.path
            self.port = 0
            self.database = components.queryItems?.first { $0.name == "db" }?.value.flatMap { Int($0) } ?? 0
        case "rediss":
            throw LiveError(.ssl, "rediss:// (TLS) is not supported yet: reach the server through a TLS tunnel, or audit an export with `steward cache attribute`")
        default:
            throw LiveError(.invalidConnectionString, "invalid Redis URL \(Self.mask(url)): the scheme must be redis:// or unix://")
        }
        self.user = components.user.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding }
        self.password = components.password?.removingPercentEncoding
    }

    public var description: String {
        let place = socketPath.map { "unix://\($0)" } ?? "redis://\(user.map { "\($0)@" } ?? "")\(host ?? ""):\(port)"
        return database == 0 ? place : "\(place) db \(database)"
    }

    /// A URL with the password part of its user information replaced by `****`.
    public static func mask(_ url: String) -> String {
        guard let password = urlPassword(in: url) else { return url }
        return url.replacingCharacters(in: password, with: "****")
    }

    func mask(_ text: String) -> String {
        guard let password, !password.isEmpty else { return text }
        return text.replacingOccurrences(of: password, with: "****")
    }
}

/// A reply, as hiredis decodes it.
public indirect enum RedisReply: Sendable, Equatable {
    case string([UInt8])
    case integer(Int64)
    case array([RedisReply])
    case status(String)
    case null
}

/// One hiredis connection. Steward sends only commands that read (AUTH, SELECT, SCAN, PTTL,
/// MEMORY USAGE, INFO); arguments go through `redisCommandArgv`, never formatted into a string.
public final class RedisConnection {
    // Debian 12's hiredis is 0.14: RESP2 replies only (no VERB, SET or PUSH types).
    private let context: UnsafeMutablePointer<redisContext>
    public let target: RedisTarget

    public init(_ target: RedisTarget, timeoutSeconds: Int = 5) throws(LiveError) {
        let timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        let connected: UnsafeMutablePointer<redisContext>?
        if let socket = target.socketPath {
            connected = redisConnectUnixWithTimeout(socket, timeout)
        } else {
            connected = redisConnectWithTimeout(target.host ?? "", Int32(target.port), timeout)
        }
        guard let connected else { throw LiveError(.connection, "cannot connect to \(target): out of memory") }
        if connected.pointee.err != 0 {
            let reason = withUnsafeBytes(of: connected.pointee.errstr) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            redisFree(connected)
            let kind: LiveError.Kind = reason.contains("refused") || reason.contains("No such file") ? .refused
                : reason.contains("timed out") || reason.contains("Timeout") ? .timeout : .connection
            throw LiveError(kind, "cannot connect to \(target): \(target.mask(reason))")
        }
        redisSetTimeout(connected, timeout)
        self.context = connected
        self.target = target
        if let password = target.password {
            do {
                _ = try command(target.user.map { ["AUTH", $0, password] } ?? ["AUTH", password])
            } catch {
                throw LiveError(.authentication, "cannot connect to \(target): \(target.mask(error.message)) (check the user and password in the URL)")
            }
        }
        if target.database != 0 { _ = try command(["SELECT", String(target.database)]) }
    }

    deinit { redisFree(context) }

    public func command(_ arguments: [String]) throws(LiveError) -> RedisReply {
        try command(bytes: arguments.map { Array($0.utf8) })
    }

    /// Arguments as bytes: keys are binary-safe in Redis and need not be UTF-8.
    public func command(bytes arguments: [[UInt8]]) throws(LiveError) -> RedisReply {
        let copies = arguments.map { $0.map { CChar(bitPattern: $0) } + [0] }
        var pointers: [UnsafePointer<CChar>?] = []
        var lengths: [Int] = []
        let reply: UnsafeMutableRawPointer? = copies.withUnsafeBufferPointers { buffers in
            pointers = buffers.map { $0.baseAddress }
            lengths = buffers.map { $0.count - 1 }
            return redisCommandArgv(context, Int32(arguments.count), &pointers, &lengths)
        }
        guard let reply else {
            let reason = withUnsafeBytes(of: context.pointee.errstr) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw LiveError(reason.contains("timed out") || reason.contains("Resource temporarily") ? .timeout : .connection,
                            "\(target): \(target.mask(reason))")
        }
        defer { freeReplyObject(reply) }
        return try Self.decode(reply.assumingMemoryBound(to: redisReply.self), target: target)
    }

    private static func decode(_ reply: UnsafeMutablePointer<redisReply>, target: RedisTarget) throws(LiveError) -> RedisReply {
        let value = reply.pointee
        func bytes() -> [UInt8] {
            guard let text = value.str else { return [] }
            return Array(UnsafeRawBufferPointer(start: text, count: Int(value.len)))
        }
        switch value.type {
        case REDIS_REPLY_STRING: return .string(bytes())
        case REDIS_REPLY_STATUS: return .status(String(decoding: bytes(), as: UTF8.self))
        case REDIS_REPLY_INTEGER: return .integer(value.integer)
        case REDIS_REPLY_NIL: return .null
        case REDIS_REPLY_ERROR: throw LiveError(.query, target.mask(String(decoding: bytes(), as: UTF8.self)))
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            for index in 0..<Int(value.elements) {
                guard let element = value.element[index] else { continue }
                elements.append(try decode(element, target: target))
            }
            return .array(elements)
        default:
            return .null
        }
    }
}

private extension Array where Element == [CChar] {
    /// Every element's buffer at once, valid for the duration of `body`.
    func withUnsafeBufferPointers<Result>(_ body: ([UnsafeBufferPointer<CChar>]) -> Result) -> Result {
        func nest(_ index: Int, _ collected: [UnsafeBufferPointer<CChar>]) -> Result {
            guard index < count else { return body(collected) }
            return self[index].withUnsafeBufferPointer { nest(index + 1, collected + [$0]) }
        }
        return nest(0, [])
    }
}
