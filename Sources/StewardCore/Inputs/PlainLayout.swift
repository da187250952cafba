import StewardSQL

/// Numbered or timestamped `*.sql` files run with `psql -f`: numeric order of the leading
/// digits (then name), each statement autocommits.
enum PlainLayout: MigrationLayoutReader {
    static let layout = MigrationLayout.plain

    static func recognizes(_ directory: MigrationDirectory) -> Bool { !directory.sqlFiles.isEmpty }

    static func read(_ directory: MigrationDirectory) -> MigrationSet {
        var findings: [Finding] = []
        let ordered = directory.sqlFiles.sorted { lhs, rhs in
            switch (Versions.leadingDigits(lhs), Versions.leadingDigits(rhs)) {
            case let (left?, right?) where Versions.normalizedDigits(left) != Versions.normalizedDigits(right):
                return Versions.numericLess(left, right)
            case (_?, nil): return true
            case (nil, _?): return false
            default: return lhs < rhs
            }
        }
        let files = ordered.compactMap { name in
            MigrationDiscovery.load(name, in: directory, findings: &findings) { path, bytes in
                let version = Versions.leadingDigits(name) ?? String(name.dropLast(4))
                return MigrationFile(path: path, version: version, name: MigrationDiscovery.describe(name, afterVersion: Versions.leadingDigits(name) ?? ""),
                                     direction: .up, transaction: .perStatement, original: SourceText(bytes: bytes))
            }
        }
        return MigrationSet(directory: directory.displayRoot, layout: layout, files: files, downFiles: [], gaps: [], findings: findings)
    }
}
