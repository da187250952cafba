import Foundation
import StewardSQL

/// Atlas versioned directory: top-level `*.sql` in lexical filename order plus an
/// `atlas.sum` integrity file. One transaction per file unless `-- atlas:txmode none`.
enum AtlasLayout: MigrationLayoutReader {
    static let layout = MigrationLayout.atlas

    static func recognizes(_ directory: MigrationDirectory) -> Bool { directory.isRegularFile("atlas.sum") }

    static func read(_ directory: MigrationDirectory) -> MigrationSet {
        var findings: [Finding] = []
        let files = directory.sqlFiles.sorted().compactMap { name in
            MigrationDiscovery.load(name, in: directory, findings: &findings) { path, bytes in
                let version = String(name.dropLast(4).prefix { $0 != "_" })
                return MigrationFile(path: path, version: version, name: MigrationDiscovery.describe(name, afterVersion: version),
                                     direction: .up, transaction: transactionMode(bytes), original: SourceText(bytes: bytes))
            }
        }
        var set = MigrationSet(directory: directory.displayRoot, layout: layout, files: files, downFiles: [], gaps: [], findings: findings)
        if case .success(let bytes) = directory.read("atlas.sum") {
            set.atlasSum = AtlasSum(path: directory.displayPath("atlas.sum"), text: String(decoding: bytes, as: UTF8.self))
        }
        return set
    }

    /// `atlas:sum ignore` on the file's first line (Atlas matches `^[ -~]*atlas:sum ignore` against
    /// the whole content): the file adds its name, not its bytes, to atlas.sum.
    static func ignoresSum(_ bytes: [UInt8]) -> Bool {
        let firstLine = String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        guard firstLine.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value <= 0x7E }), let range = firstLine.range(of: "atlas:sum") else { return false }
        return firstLine[range.upperBound...].trimmingCharacters(in: .whitespaces).hasPrefix("ignore") && firstLine[range.upperBound...].hasPrefix(" ")
    }

    /// `-- atlas:txmode none` among the directives at the top of the file.
    static func transactionMode(_ bytes: [UInt8]) -> TransactionMode {
        for range in lineRanges(bytes) {
            // Directives end at the first line that is not a comment (a blank line included).
            guard let line = commentLine(bytes, range) else { break }
            if line.replacingOccurrences(of: " ", with: "").hasPrefix("--atlas:txmodenone") { return .perStatement }
        }
        return .explicitPerFile
    }
}
