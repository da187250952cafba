import Crypto
import Foundation

/// `atlas.sum`: `h1:<sum>` on its first line, then `<file> h1:<hash>` per migration.
///
/// Atlas hashes with one SHA-256 that is never reset: for each file, in name order, it absorbs
/// the file name and then its bytes, and records the digest so far (so editing one file
/// changes every later hash). The first line is the SHA-256 of every name and recorded hash,
/// concatenated (ariga/atlas sql/migrate/dir.go, `NewHashFile`, `HashFile.Sum`).
public struct AtlasSum: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var file: String
        public var hash: String
        public var line: Int
    }

    public var path: String
    public var sum: String
    public var entries: [Entry]

    /// Parses the file's text; nil when it does not look like an atlas.sum at all.
    public init?(path: String, text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first, first.hasPrefix("h1:") else { return nil }
        self.path = path
        self.sum = String(first.dropFirst(3))
        self.entries = lines.enumerated().dropFirst().compactMap { index, line in
            let parts = line.split(separator: " ")
            guard parts.count == 2, parts[1].hasPrefix("h1:") else { return nil }
            return Entry(file: String(parts[0]), hash: String(parts[1].dropFirst(3)), line: index + 1)
        }
    }

    /// The hashes Atlas computes for `files` (name and bytes, in name order), by name, and the
    /// sum line. `ignored` files (`-- atlas:sum ignore`) add their name only and get no entry.
    public static func compute(_ files: [(name: String, bytes: [UInt8], ignored: Bool)]) -> (hashes: [String: String], sum: String) {
        var hasher = SHA256()
        var hashes: [String: String] = [:]
        var sumHasher = SHA256()
        for file in files.sorted(by: { $0.name < $1.name }) {
            hasher.update(data: Array(file.name.utf8))
            guard !file.ignored else { continue }
            hasher.update(data: file.bytes)
            // finalize() works on a copy: the running hash goes on absorbing later files.
            let hash = Data(hasher.finalize()).base64EncodedString()
            hashes[file.name] = hash
            sumHasher.update(data: Array(file.name.utf8))
            sumHasher.update(data: Array(hash.utf8))
        }
        return (hashes, Data(sumHasher.finalize()).base64EncodedString())
    }
}
