import Foundation
import StewardSQL
import StewardTestSupport
import Testing

/// The raw parse tree, read through PostgreSQL 15's server headers, must give exactly the
/// statements that libpg_query's protobuf API gave: the same values, ranges and syntax errors,
/// statement by statement. This is what proves that the installed headers and the library
/// agree on every node layout Steward reads.
struct RawParseDifferentialTests {
    static let root = SharedFiles.packageRoot
    static let shared = SharedFiles.root

    /// Every `.sql` file of ../shared/corpus (pg-regress included) and of the test fixtures.
    static func corpusFiles() -> [URL] {
        var files: [URL] = []
        for directory in [shared.appendingPathComponent("corpus"), root.appendingPathComponent("Tests/Fixtures"),
                          root.appendingPathComponent("schema")] {
            guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in enumerator where url.pathExtension == "sql" { files.append(url) }
        }
        return files.sorted { $0.path < $1.path }
    }

    @Test func everyCorpusFileConvertsAlikeThroughBothPaths() throws {
        let files = Self.corpusFiles()
        try #require(files.count > 1000, "expected ../shared/corpus next to the package, found \(files.count) files")
        var statements = 0
        for file in files {
            statements += try compare(SourceText(bytes: Array(try Data(contentsOf: file))), label: file.path)
        }
        #expect(statements > 30_000)
    }

    @Test func generatedCorpusConvertsAlikeThroughBothPaths() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("steward-raw-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        try SharedFiles.generateCorpus(statements: 20_000, files: 400, into: output)
        var statements = 0
        let names = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasSuffix(".sql") }.sorted()
        for name in names {
            let url = output.appendingPathComponent(name)
            statements += try compare(SourceText(bytes: Array(try Data(contentsOf: url))), label: name)
        }
        #expect(statements >= 20_000)
    }

    @Test func hostileInputsConvertAlike() throws {
        let cases = [
            "", ";", "SELECT", "CREATE TABLE (", "CREATE TABLE t (a int DEFAULT (1 + 2) * 3 CHECK (a > 0 AND NOT a IS NULL));",
            "CREATE INDEX ON t ((lower(a)), (a::text COLLATE \"C\")) WHERE a IS NOT NULL;",
            "CREATE VIEW v AS WITH x AS (SELECT * FROM a) SELECT * FROM x JOIN b USING (id) FOR UPDATE OF b;",
            "ALTER TABLE t ALTER COLUMN c SET STATISTICS 100, ALTER COLUMN c TYPE bigint USING c::bigint;",
            "CREATE TABLE t (a numeric(10,2)[] DEFAULT ARRAY[]::numeric[], b bit varying(3) DEFAULT B'101', c interval hour to second(3));",
            "SELECT 1; SELECT 'unterminated",
            "CREATE TABLE é (ü text DEFAULT 'ß'); CREATE TABLE \"Ä\" (x int,);",
        ]
        for sql in cases { _ = try compare(SourceText(sql), label: sql) }
    }

    /// Compares the whole text, and each statement found by the scanner on its own, as the
    /// analysis parses big files. Returns the number of statements compared.
    @discardableResult
    func compare(_ source: SourceText, label: String) throws -> Int {
        var ranges = [0..<source.bytes.count]
        if case .success(let split) = SQLParser.split(source) { ranges += split }
        var compared = 0
        for range in ranges {
            let raw = SQLParser.parse(source, range: range)
            let protobuf = SQLParser.parseThroughProtobuf(source, range: range)
            switch (raw, protobuf) {
            case (.success(let rawStatements), .success(let protobufStatements)):
                #expect(rawStatements.count == protobufStatements.count, "\(label) \(range): statement count")
                for (left, right) in zip(rawStatements, protobufStatements) {
                    let lhs = SQLParser.referenceDescription(left), rhs = SQLParser.referenceDescription(right)
                    if lhs != rhs {
                        Issue.record("\(label) \(range): statements differ\nraw:      \(lhs)\nprotobuf: \(rhs)")
                        return compared
                    }
                    compared += 1
                }
            case (.failure(let rawError), .failure(let protobufError)):
                #expect(rawError == protobufError, "\(label) \(range): syntax errors differ")
            default:
                Issue.record("\(label) \(range): one path failed, the other did not: raw \(raw), protobuf \(protobuf)")
            }
        }
        return compared
    }
}
