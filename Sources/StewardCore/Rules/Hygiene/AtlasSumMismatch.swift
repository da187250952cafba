import Foundation
import StewardSQL

/// `atlas.sum` does not match the migration files, as Atlas checks it before applying.
public struct AtlasSumMismatch: Rule {
    public let descriptor = RuleDescriptor(
        id: "atlas-sum-mismatch",
        category: .hygiene,
        defaultSeverity: .error,
        summary: "atlas.sum does not match the migration files: `atlas migrate apply` refuses the directory.",
        rationale: """
            Atlas verifies every hash in atlas.sum (a running SHA-256 over each file's name and bytes) before it \
            applies anything: a file edited, added or renamed without `atlas migrate hash` stops every deploy.
            """,
        remedy: "Run `atlas migrate hash` and commit atlas.sum with the migration (and never edit an applied migration).",
        triggering: [
            RuleExample(files: [ExampleFile("20240101000000_init.sql", "↓CREATE TABLE a (id int);"),
                                ExampleFile("atlas.sum", "h1:AAAA\n20240101000000_init.sql h1:AAAA\n")]),
            RuleExample(files: [ExampleFile("20240101000000_init.sql", "CREATE TABLE a (id int);\n"),
                                ExampleFile("20240102000000_more.sql", "↓CREATE TABLE b (id int);"),
                                ExampleFile("atlas.sum", "h1:JcZu6ntPP9uHrnKjBgoDLy1Jl850E4sONNsaln95dJ0=\n20240101000000_init.sql h1:GNFHbZd3i09ZBAyAUFbgUkkpDeYFczWqAJn4sjeJ5Ew=\n")]),
        ],
        nonTriggering: [
            RuleExample(files: [ExampleFile("20240101000000_init.sql", "CREATE TABLE a (id int);\n"),
                                ExampleFile("atlas.sum", "h1:JcZu6ntPP9uHrnKjBgoDLy1Jl850E4sONNsaln95dJ0=\n20240101000000_init.sql h1:GNFHbZd3i09ZBAyAUFbgUkkpDeYFczWqAJn4sjeJ5Ew=\n")]),
            RuleExample("CREATE TABLE a (id int);"),
        ])

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard let sum = context.migrations.atlasSum else { return [] }
        let computed = context.migrations.atlasHashes
        let recorded = Dictionary(sum.entries.map { ($0.file, $0) }, uniquingKeysWith: { first, _ in first })
        var findings: [Finding] = []
        var firstEdited: String?
        for file in context.migrations.files {
            let name = (file.path as NSString).lastPathComponent
            guard let hash = computed.hashes[name] else { continue }
            let location = file.firstStatementLocation
            guard let entry = recorded[name] else {
                findings.append(finding("\(name) is not in atlas.sum: `atlas migrate apply` refuses the directory", at: location))
                continue
            }
            if entry.hash != hash, firstEdited == nil {
                // Hashes are cumulative: once one file differs, every later one does too.
                firstEdited = name
                findings.append(finding("\(name) hashes to h1:\(hash), but atlas.sum (line \(entry.line)) records h1:\(entry.hash): the file changed after `atlas migrate hash`",
                                        at: location))
            }
        }
        let present = Set(computed.hashes.keys)
        for entry in sum.entries where !present.contains(entry.file) {
            findings.append(finding("atlas.sum lists \(entry.file), which is not in the directory: `atlas migrate apply` refuses the directory",
                                    at: FileLocation(path: sum.path, line: entry.line, column: 1, length: entry.file.count)))
        }
        if findings.isEmpty, computed.sum != sum.sum {
            findings.append(finding("the sum on atlas.sum's first line is h1:\(sum.sum), Atlas computes h1:\(computed.sum)",
                                    at: FileLocation(path: sum.path, line: 1, column: 1, length: sum.sum.count + 3)))
        }
        return findings
    }
}
