import Foundation
import StewardSQL

/// Flyway: `V<version>__<description>.sql` (versioned, numeric dotted order, `_` = `.`),
/// then `R__<description>.sql` repeatables sorted by description. Locations are scanned
/// recursively. Each migration runs in its own transaction unless a `<file>.conf` sidecar
/// says `executeInTransaction=false`.
enum FlywayLayout: MigrationLayoutReader {
    static let layout = MigrationLayout.flyway

    static func parse(_ fileName: String) -> (prefix: Character, version: String, description: String)? {
        guard fileName.hasSuffix(".sql"), let separator = fileName.range(of: "__"), let prefix = fileName.first,
              prefix == "V" || prefix == "R" || prefix == "U" else { return nil }
        let version = String(fileName[fileName.index(after: fileName.startIndex)..<separator.lowerBound])
        let description = String(fileName[separator.upperBound...].dropLast(4))
        if prefix == "R" { return version.isEmpty ? (prefix, "", description) : nil }
        guard !version.isEmpty, version.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_" || $0 == ".") }) else { return nil }
        return (prefix, version, description)
    }

    static func recognizes(_ directory: MigrationDirectory) -> Bool {
        directory.recursiveFiles().contains { parse(($0 as NSString).lastPathComponent) != nil }
    }

    static func candidates(in directory: MigrationDirectory) -> [String] {
        directory.recursiveFiles().filter { $0.hasSuffix(".sql") }
    }

    static func read(_ directory: MigrationDirectory) -> MigrationSet {
        var findings: [Finding] = []
        var versioned: [MigrationFile] = [], repeatable: [MigrationFile] = [], undo: [MigrationFile] = []
        for relative in directory.recursiveFiles() {
            guard let parsed = parse((relative as NSString).lastPathComponent) else { continue }
            let conf = directory.read(relative + ".conf")
            let noTransaction = (try? conf.get()).map { String(decoding: $0, as: UTF8.self) }
                .map { $0.replacingOccurrences(of: " ", with: "").contains("executeInTransaction=false") } ?? false
            guard let file = MigrationDiscovery.load(relative, in: directory, findings: &findings, make: { path, bytes in
                MigrationFile(path: path, version: parsed.version, name: parsed.description,
                              direction: parsed.prefix == "R" ? .repeatable : parsed.prefix == "U" ? .down : .up,
                              transaction: noTransaction ? .perStatement : .explicitPerFile, original: SourceText(bytes: bytes))
            }) else { continue }
            switch parsed.prefix {
            case "V": versioned.append(file)
            case "R": repeatable.append(file)
            default: undo.append(file)
            }
        }
        versioned.sort { Versions.flywayLess($0.version, $1.version) || (!Versions.flywayLess($1.version, $0.version) && $0.path < $1.path) }
        repeatable.sort { $0.name < $1.name }
        return MigrationSet(directory: directory.displayRoot, layout: layout, files: versioned + repeatable, downFiles: undo, gaps: [], findings: findings)
    }
}
