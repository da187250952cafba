import Dispatch
import Foundation
import StewardSQL

/// The result of reading a migration directory: the ordered migrations, the replayed and
/// owned model, and every finding in report order.
public struct Analysis: Sendable {
    public var migrations: MigrationSet
    public var model: SchemaModel
    public var manifest: OwnershipManifest?
    public var findings: [Finding]
    /// Original text of every file a finding can point into, for carets.
    public var sources: [String: SourceText]

    public var errorCount: Int { findings.filter { $0.severity == .error && $0.allowedBy == nil }.count }
    public var warningCount: Int { findings.filter { $0.severity == .warning && $0.allowedBy == nil }.count }
}

public struct AnalysisOptions: Sendable {
    public var directory: String
    /// nil: no manifest, ownership rules are skipped.
    public var manifestPath: String?
    public var layout: MigrationLayout?
    /// Keep findings covered by `boundaries.allow` (marked as allowed).
    public var showAllowed: Bool
    /// Where to reuse results of an identical earlier run (nil: no cache). Only findings are
    /// cached, so a cached analysis has an empty model: `steward model` never uses it.
    public var cache: ResultCache?

    public init(directory: String, manifestPath: String?, layout: MigrationLayout? = nil, showAllowed: Bool = false,
                cache: ResultCache? = nil) {
        self.directory = directory
        self.manifestPath = manifestPath
        self.layout = layout
        self.showAllowed = showAllowed
        self.cache = cache
    }
}

public enum Analyzer {
    /// Discovers, parses (in parallel), replays (in order), assigns ownership and runs the rules.
    /// Throws only for input that stops everything: a missing directory or an invalid manifest.
    public static func analyze(_ options: AnalysisOptions) throws(InputErrors) -> Analysis {
        var clock = PhaseClock()
        defer { clock.report() }
        let manifest = try options.manifestPath.map { path throws(InputErrors) in try ManifestLoader.load(path: path) }
        let migrations: MigrationSet
        do {
            migrations = try MigrationDiscovery.discover(at: options.directory, layout: options.layout)
        } catch {
            throw InputErrors(errors: [error])
        }

        clock.lap("discover")
        var sources: [String: SourceText] = [:]
        for file in migrations.files { sources[file.path] = file.original }
        if let manifest { sources[manifest.path] = manifest.source }

        let cacheKey = options.cache.map { _ in ResultCache.key(migrations: migrations, manifest: manifest, options: options) }
        if let cache = options.cache, let key = cacheKey, let entry = cache.load(key) {
            var model = SchemaModel()
            model.statementCount = entry.statementCount
            clock.lap("cache hit")
            return Analysis(migrations: migrations, model: model, manifest: manifest, findings: entry.findings, sources: sources)
        }

        var analysis = analyze(migrations, manifest: manifest, clock: &clock)
        analysis.findings = Suppressions.filter(analysis.findings, sources: sources)
        if !options.showAllowed { analysis.findings.removeAll { $0.allowedBy != nil } }
        analysis.findings.sort(by: Finding.reportOrder)
        if let cache = options.cache, let key = cacheKey {
            cache.store(ResultCache.Entry(findings: analysis.findings, statementCount: analysis.model.statementCount), key: key)
        }
        return analysis
    }

    /// The pipeline after discovery, on migrations already in memory: parse (in parallel),
    /// replay (in order), ownership, rules. Findings are unsorted and unsuppressed.
    public static func analyze(_ migrations: MigrationSet, manifest: OwnershipManifest?) -> Analysis {
        var clock = PhaseClock()
        return analyze(migrations, manifest: manifest, clock: &clock)
    }

    static func analyze(_ migrations: MigrationSet, manifest: OwnershipManifest?, clock: inout PhaseClock) -> Analysis {
        var sources: [String: SourceText] = [:]
        for file in migrations.files { sources[file.path] = file.original }
        if let manifest { sources[manifest.path] = manifest.source }
        let parsed = parseAll(migrations.files)
        clock.lap("parse")
        var replayer = SchemaReplayer()
        replayer.seedToolTables(for: migrations.layout)
        var findings = migrations.findings
        for (file, result) in zip(migrations.files, parsed) {
            findings += file.notices + result.findings
            replayer.apply(result.statements, file: file)
        }
        replayer.recordGaps(migrations.gaps)
        var model = replayer.model
        clock.lap("replay")
        if let manifest {
            OwnershipResolver.assign(manifest, to: &model)
            let context = RuleContext(model: model, manifest: manifest, migrations: migrations)
            for rule in RuleRegistry.all { findings += rule.check(context) }
        }
        clock.lap("ownership+rules")
        return Analysis(migrations: migrations, model: model, manifest: manifest, findings: findings, sources: sources)
    }

    struct FileParse: Sendable {
        var statements: [ParsedStatement] = []
        var findings: [Finding] = []
    }

    /// Parses files on all cores; results keep the input order, so output is deterministic.
    static func parseAll(_ files: [MigrationFile]) -> [FileParse] {
        let results = UnsafeMutableBufferPointer<FileParse>.allocate(capacity: files.count)
        results.initialize(repeating: FileParse())
        defer { results.deallocate() }
        // Each iteration writes only its own slot.
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            slots[index] = parse(files[index])
        }
        return Array(results)
    }

    /// A file that does not parse is split with libpg_query's scanner and parsed statement
    /// by statement, so every syntax error is reported and the valid statements still count.
    /// Text the splitter skips (it drops pieces that start with an unknown word) is parsed
    /// on its own too, so that its error is not lost.
    static func parse(_ file: MigrationFile) -> FileParse {
        switch SQLParser.parse(file.source) {
        case .success(let statements):
            return FileParse(statements: statements)
        case .failure(let error):
            guard case .success(let ranges) = SQLParser.split(file.source), ranges.count > 1 else {
                return FileParse(findings: [syntaxFinding(error, file: file)])
            }
            var result = FileParse()
            for segment in segments(covering: ranges, in: file.source.bytes) {
                switch SQLParser.parse(file.source, range: segment) {
                case .success(let statements): result.statements += statements
                case .failure(let error): result.findings.append(syntaxFinding(error, file: file))
                }
            }
            if result.findings.isEmpty { result.findings.append(syntaxFinding(error, file: file)) }
            return result
        }
    }

    /// The splitter's ranges plus every gap between them that holds more than trivia and `;`.
    static func segments(covering ranges: [Range<Int>], in bytes: [UInt8]) -> [Range<Int>] {
        var segments: [Range<Int>] = []
        var position = 0
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound > position, hasContent(bytes, position..<range.lowerBound) { segments.append(position..<range.lowerBound) }
            segments.append(range)
            position = max(position, range.upperBound)
        }
        if position < bytes.count, hasContent(bytes, position..<bytes.count) { segments.append(position..<bytes.count) }
        return segments
    }

    private static func hasContent(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        var index = range.lowerBound
        while index < range.upperBound {
            index = Trivia.firstToken(in: bytes, from: index)
            guard index < range.upperBound else { return false }
            if bytes[index] != UInt8(ascii: ";") { return true }
            index += 1
        }
        return false
    }

    static func syntaxFinding(_ error: SyntaxError, file: MigrationFile) -> Finding {
        let location = file.source.location(ofByte: error.offset)
        return Finding(ruleID: "syntax-error", severity: .error, message: error.message,
                       help: "PostgreSQL 15 rejects this statement, so the migration would fail; fix the SQL",
                       location: FileLocation(path: file.path, line: location.line, column: location.column))
    }
}

/// `STEWARD_TIMING=1` prints how long each phase took to stderr (for profiling, not for tests).
struct PhaseClock {
    private let enabled = ProcessInfo.processInfo.environment["STEWARD_TIMING"] == "1"
    private var last = DispatchTime.now()
    private var laps: [(String, Double)] = []

    mutating func lap(_ name: String) {
        guard enabled else { return }
        let now = DispatchTime.now()
        laps.append((name, Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e6))
        last = now
    }

    func report() {
        guard enabled else { return }
        let text = laps.map { "\($0.0) \(String(format: "%.0f", $0.1)) ms" }.joined(separator: ", ")
        FileHandle.standardError.write(Data("steward timing: \(text)\n".utf8))
    }
}
