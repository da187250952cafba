import StewardSQL

/// Prisma Migrate: `<timestamp>_<name>/migration.sql` folders in lexical order. The
/// script is sent in one simple query: one implicit transaction.
enum PrismaLayout: MigrationLayoutReader {
    static let layout = MigrationLayout.prisma

    static func recognizes(_ directory: MigrationDirectory) -> Bool {
        directory.entries.contains { directory.isRegularFile($0 + "/migration.sql") }
    }

    static func candidates(in directory: MigrationDirectory) -> [String] {
        directory.entries.map { $0 + "/migration.sql" }
    }

    static func read(_ directory: MigrationDirectory) -> MigrationSet {
        var findings: [Finding] = []
        let folders = directory.entries.filter { directory.isDirectory($0) && directory.isRegularFile($0 + "/migration.sql") }
        let files = folders.sorted().compactMap { folder in
            MigrationDiscovery.load(folder + "/migration.sql", in: directory, findings: &findings) { path, bytes in
                let version = String(folder.prefix { $0 != "_" })
                return MigrationFile(path: path, version: version, name: MigrationDiscovery.describe(folder, afterVersion: version),
                                     direction: .up, transaction: .implicitSingleQuery, original: SourceText(bytes: bytes))
            }
        }
        return MigrationSet(directory: directory.displayRoot, layout: layout, files: files, downFiles: [], gaps: [], findings: findings)
    }
}
