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
        findings += filesMissingFromSum(directory, files: files)
        return MigrationSet(directory: directory.displayRoot, layout: layout, files: files, downFiles: [], gaps: [], findings: findings)
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

    /// A migration without a line in `atlas.sum` makes `atlas migrate apply` fail its
    /// integrity check (the file was added or renamed by hand).
    static func filesMissingFromSum(_ directory: MigrationDirectory, files: [MigrationFile]) -> [Finding] {
        guard case .success(let bytes) = directory.read("atlas.sum") else { return [] }
        let listed = Set(String(decoding: bytes, as: UTF8.self).split(separator: "\n").dropFirst()
            .compactMap { $0.split(separator: " ").first.map(String.init) })
        return files.filter { !listed.contains(($0.path as NSString).lastPathComponent) }.map { file in
            Finding(diagnostic: .migrationFormat,
                    message: "\((file.path as NSString).lastPathComponent) is not listed in atlas.sum; `atlas migrate apply` will reject the directory",
                    help: "run `atlas migrate hash` after adding or renaming a migration",
                    location: FileLocation(path: file.path, line: 1, column: 1))
        }
    }
}
