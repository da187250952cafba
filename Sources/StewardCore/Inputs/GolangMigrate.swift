import StewardSQL

/// golang-migrate: `{version}_{title}.up.sql` / `.down.sql`, numeric (uint64) version order.
/// The postgres driver sends the whole file in one Exec, i.e. one implicit transaction.
enum GolangMigrateLayout: MigrationLayoutReader {
    static let layout = MigrationLayout.golangMigrate

    static func parse(_ name: String) -> (version: String, title: String, direction: MigrationDirection)? {
        guard let version = Versions.leadingDigits(name), name.dropFirst(version.count).first == "_" else { return nil }
        let rest = name.dropFirst(version.count + 1)
        for (suffix, direction) in [(".up.sql", MigrationDirection.up), (".down.sql", .down)] where rest.hasSuffix(suffix) {
            return (version, String(rest.dropLast(suffix.count)), direction)
        }
        return nil
    }

    static func recognizes(_ directory: MigrationDirectory) -> Bool {
        let sql = directory.sqlFiles
        return !sql.isEmpty && sql.filter { parse($0) != nil }.count * 2 > sql.count
    }

    static func read(_ directory: MigrationDirectory) -> MigrationSet {
        var findings: [Finding] = []
        var up: [MigrationFile] = [], down: [MigrationFile] = []
        let named = directory.sqlFiles.compactMap { name in parse(name).map { (name, $0) } }
            .sorted { Versions.numericLess($0.1.version, $1.1.version) || ($0.1.version == $1.1.version && $0.0 < $1.0) }
        for (name, parsed) in named {
            guard let file = MigrationDiscovery.load(name, in: directory, findings: &findings, make: { path, bytes in
                MigrationFile(path: path, version: parsed.version, name: parsed.title, direction: parsed.direction,
                              transaction: .implicitSingleQuery, original: SourceText(bytes: bytes))
            }) else { continue }
            if parsed.direction == .up { up.append(file) } else { down.append(file) }
        }
        let downVersions = Set(down.map(\.version))
        for index in up.indices { up[index].hasDown = downVersions.contains(up[index].version) }
        return MigrationSet(directory: directory.displayRoot, layout: layout, files: up, downFiles: down, gaps: [], findings: findings)
    }
}
