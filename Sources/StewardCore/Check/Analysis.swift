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
    /// With `--since`: what the pull request changes (findings are reported for its files only).
    public var history: MigrationHistory?
    /// Original text of every file a finding can point into, for carets.
    public var sources: SourceFiles
    /// What the services' query files read and write (empty on a cache hit).
    public var queries = QueryInventory()
    /// The result cache's entry for this run, being written while the caller reports: wait for
    /// it before the process exits.
    public var pendingCacheWrite: ResultCache.PendingWrite?

    public var errorCount: Int { counts.errors }
    public var warningCount: Int { counts.warnings }
    public var infoCount: Int { counts.notes }

    /// Findings by severity (allowed ones counted apart), in one pass.
    public var counts: (errors: Int, warnings: Int, notes: Int, allowed: Int) {
        var counts = (errors: 0, warnings: 0, notes: 0, allowed: 0)
        for index in findings.indices {
            if findings[index].isAllowed {
                counts.allowed += 1
                continue
            }
            switch findings[index].severity {
            case .error: counts.errors += 1
            case .warning: counts.warnings += 1
            case .info: counts.notes += 1
            }
        }
        return counts
    }
}

public struct AnalysisOptions: Sendable {
    public var directory: String
    /// nil: no manifest, ownership rules are skipped.
    public var manifestPath: String?
    public var layout: MigrationLayout?
    /// Keep findings covered by `boundaries.allow` (marked as allowed).
    public var showAllowed: Bool
    /// Where to reuse earlier work (nil: no cache): the findings of an identical earlier run.
    /// A hit has findings but an empty model, so `steward model` never uses the cache.
    public var cache: ResultCache?
    /// Whether the caller reads `Analysis.model` (`steward model` does, `check` does not).
    /// When false the model is released but for its change log as soon as the rules that read
    /// it have run (`Rule.readsChangeLogOnly`), and that change log once every rule has run: the
    /// findings, sorting, caching and report reuse its memory instead of adding to the peak.
    public var keepModel: Bool
    /// With `keepModel` false: what to do with what is left of the model (its change log) once
    /// the rules are done (by default it is freed on another core). A process that exits after the report can keep it instead
    /// and skip tearing it down (millions of values) while the report is produced.
    public var retireModel: (@Sendable (SchemaModel) -> Void)?
    /// Told when each phase of the pipeline ends (the CLI times them for `STEWARD_TIMING=1`;
    /// the library itself reads no clock).
    public var onPhaseEnd: (@Sendable (AnalysisPhase) -> Void)?
    /// `--select` / `--ignore` (the manifest's `rules:` section is read from the manifest).
    public var configuration = RuleConfiguration()
    /// `--pg-version`: the PostgreSQL major version the migrations run on.
    public var postgresVersion = 15
    /// `--since <git-ref>`: report findings only for migrations added or changed since the
    /// merge base with that ref; their tables count as new.
    public var since: String?
    /// Who approved the change (`--approved-by`, `--reviews`, `--author`).
    public var approvals: ApprovalInput?
    /// Release each migration's text once it is replayed (see `MigrationSet.releaseSources()`):
    /// the report reads the files it quotes again. For a caller that reads the files from disk
    /// and does not need their text afterwards (`steward check`).
    public var releaseSources = false

    public init(directory: String, manifestPath: String?, layout: MigrationLayout? = nil, showAllowed: Bool = false,
                cache: ResultCache? = nil, keepModel: Bool = true, onPhaseEnd: (@Sendable (AnalysisPhase) -> Void)? = nil) {
        self.directory = directory
        self.manifestPath = manifestPath
        self.layout = layout
        self.showAllowed = showAllowed
        self.cache = cache
        self.keepModel = keepModel
        self.onPhaseEnd = onPhaseEnd
    }
}

/// The phases of `Analyzer.analyze`, in order.
public enum AnalysisPhase: String, Sendable {
    case discover, cacheHit = "cache hit", parseAndReplay = "parse+replay", ownershipAndRules = "ownership+rules"
    case reportOrder = "suppressions+sort"
}

public enum Analyzer {
    /// Discovers, parses (in parallel), replays (in order), assigns ownership and runs the rules.
    /// Throws only for input that stops everything: a missing directory or an invalid manifest.
    public static func analyze(_ options: AnalysisOptions) throws(InputErrors) -> Analysis {
        let phaseEnded = options.onPhaseEnd ?? { _ in }
        let manifest = try options.manifestPath.map { path throws(InputErrors) in try ManifestLoader.load(path: path) }
        let migrations: MigrationSet
        do {
            migrations = try MigrationDiscovery.discover(at: options.directory, layout: options.layout)
        } catch {
            throw InputErrors(errors: [error])
        }

        let history: MigrationHistory?
        do {
            history = try options.since.map { reference throws(InputError) in
                try MigrationHistory.read(reference: reference, directory: options.directory,
                                          files: migrations.files.map(\.path) + migrations.downFiles.map(\.path), manifest: manifest?.path)
            }
        } catch {
            throw InputErrors(errors: [error])
        }
        let queries = manifest.map(QuerySet.load(for:)) ?? .none
        if options.approvals != nil, let manifest {
            // Approvals are counted against team members: every team owner must list them.
            let undeclared = manifest.services.flatMap { service in
                service.owners.filter { $0.contains("/") && manifest.teams[$0] == nil }.map { (service, $0) }
            }
            if !undeclared.isEmpty {
                throw InputErrors(errors: undeclared.map { service, team in
                    InputError(path: manifest.path, line: service.line, column: 1, message: """
                        owner \(team) of service `\(service.name)` is a team, but `teams:` does not list its members; approvals \
                        are counted per member: teams: {"\(team)": {members: ["@login", …]}}
                        """)
                })
            }
        }
        let settings = RuleSettings(postgresVersion: options.postgresVersion, history: history, review: options.approvals)
        var configuration = options.configuration
        configuration.settings = manifest?.rules ?? [:]

        phaseEnded(.discover)
        let cacheKey = options.cache.map { _ in ResultCache.key(migrations: migrations, manifest: manifest, queries: queries, options: options,
                                                                    history: history) }
        if let cache = options.cache, let key = cacheKey, let entry = cache.load(key) {
            var model = SchemaModel()
            model.statementCount = entry.statementCount
            phaseEnded(.cacheHit)
            return Analysis(migrations: migrations, model: model, manifest: manifest, findings: entry.findings, history: history,
                            sources: sources(of: migrations, manifest: manifest, queries: queries))
        }

        // Consumed: with `releaseSources`, the analysis must hold the only copy of the files' text.
        var analysis = analyze(consume migrations, manifest: manifest, settings: settings, configuration: configuration, queries: queries,
                               releaseSources: options.releaseSources, releaseModel: !options.keepModel, phaseEnded: phaseEnded)
        analysis.history = history
        if !options.keepModel {
            var empty = SchemaModel()
            empty.statementCount = analysis.model.statementCount
            let retired = analysis.model
            analysis.model = empty
            if let retire = options.retireModel {
                retire(retired)
            } else {
                // Freed on another core: tearing down a large model value by value takes longer
                // than the work that follows (suppressions, sorting, the report).
                releaseOnAnotherCore(consume retired)
            }
        }
        report(&analysis.findings, migrations: analysis.migrations, manifest: manifest, configuration: configuration,
               history: history, showAllowed: options.showAllowed, queries: queries)
        phaseEnded(.reportOrder)
        if let cache = options.cache, let key = cacheKey {
            analysis.pendingCacheWrite = cache.storeInBackground(ResultCache.Entry(findings: analysis.findings,
                                                                                   statementCount: analysis.model.statementCount), key: key)
        }
        return analysis
    }

    /// The pipeline after discovery, on migrations already in memory: parse (in parallel),
    /// replay (in order), ownership, rules. Findings are unsorted and unsuppressed.
    /// `configuration` decides which rules run (by default, every rule that is on by default).
    public static func analyze(_ migrations: MigrationSet, manifest: OwnershipManifest?, settings: RuleSettings = RuleSettings(),
                               configuration: RuleConfiguration = RuleConfiguration(), queries: QuerySet = .none) -> Analysis {
        analyze(migrations, manifest: manifest, settings: settings, configuration: configuration, queries: queries, releaseSources: false,
                releaseModel: false, phaseEnded: { _ in })
    }

    /// `report` for tests: what `analyze(_ options:)` reports, without `--show-allowed`'s choice.
    public static func reportForTesting(_ findings: [Finding], migrations: MigrationSet, manifest: OwnershipManifest?,
                                        configuration: RuleConfiguration, history: MigrationHistory?, queries: QuerySet = .none) -> [Finding] {
        var findings = findings
        report(&findings, migrations: migrations, manifest: manifest, configuration: configuration, history: history, showAllowed: true,
               queries: queries)
        return findings
    }

    /// From what the rules found to what is reported: suppression comments mark findings as
    /// allowed (and are themselves checked), the configuration turns rules off or changes
    /// their severity, `--since` keeps the pull request's files, and allowed findings are
    /// dropped unless asked for. Sorted in report order.
    ///
    /// In place, every step: at 100k statements a report holds ~55k findings, and each copy of
    /// the array would add its size to the run's peak memory.
    static func report(_ findings: inout [Finding], migrations: MigrationSet, manifest: OwnershipManifest?, configuration: RuleConfiguration,
                       history: MigrationHistory?, showAllowed: Bool, queries: QuerySet = .none) {
        let skipped = Set(RuleRegistry.all.map(\.descriptor).filter { !configuration.mayRun($0) }.map(\.id))
        Suppressions.apply(to: &findings, migrations: migrations, manifest: manifest, skippedRules: skipped, queryFiles: queries.files)
        var kept = 0
        for index in findings.indices {
            let category = RuleRegistry.category(of: findings[index].ruleID)?.rawValue
            guard let configured = configuration.apply(to: findings[index], category: category,
                                                       enabledByDefault: RuleRegistry.isEnabledByDefault(findings[index].ruleID)) else { continue }
            if configured.severity != findings[index].severity || kept != index { findings[kept] = configured }
            kept += 1
        }
        findings.removeLast(findings.count - kept)
        if let history {
            let pending = history.pending
            let migrationPaths = Set(migrations.files.map(\.path))
            findings.removeAll { finding in
                guard let path = finding.location?.path else { return false }
                if path == manifest?.path { return !history.manifestChanged }
                return !pending.contains(path) && migrationPaths.contains(path)
            }
        }
        findings.removeAll { finding in
            guard finding.allowedBy != nil, !showAllowed else { return false }
            // In a pull request, silencing a boundary finding is shown, never hidden.
            let suppressedBoundary = history != nil && finding.allowance?.source == .suppressionComment
                && RuleRegistry.category(of: finding.ruleID) == .ownership
            return !suppressedBoundary
        }
        findings.rearrange(by: reportOrder(of: findings))
    }

    /// The positions of `findings` in report order (`Finding.reportOrder`). Sorted on a compact
    /// key first (the path's rank among the paths, line and column packed in a `PackedSortKey`), which
    /// decides almost every comparison without reading the findings; equal keys fall back to
    /// `reportOrder` itself, so the order is exactly its order.
    static func reportOrder(of findings: [Finding]) -> [Int] {
        // Each path gets an id in order of appearance (consecutive findings mostly share theirs:
        // one rule, one file), then its rank among the paths sorted.
        var pathIDs = FirstAppearanceIDs()
        let ids = findings.map { finding in finding.location.map { Int32(pathIDs.id(of: $0.path).id) } ?? -1 }
        let rank = pathIDs.ranks()
        // The path's rank (from 1: no location sorts first), line and column.
        let keys = findings.indices.map { index in
            var key = PackedSortKey.Builder()
            if let location = findings[index].location {
                key.append(rank[Int(ids[index])] + 1, bits: 24)
                key.append(location.line, bits: 40)
                key.append(location.column, bits: 24)
            }
            return key.key
        }
        return PackedSortKey.order(of: findings, keys: keys, by: Finding.reportOrder)
    }

    /// The original text of every file a finding can point into, for carets.
    static func sources(of migrations: MigrationSet, manifest: OwnershipManifest?, queries: QuerySet = .none) -> SourceFiles {
        SourceFiles(migrations: migrations, queries: queries, manifest: manifest)
    }

    /// `releaseModel`: the caller does not read the model (`keepModel` false). The rules that
    /// read only the change log then run last, after the rest of the model is released: they
    /// make most of the findings, and those take the model's memory instead of adding to it.
    /// The analysis's model is then that change log.
    static func analyze(_ migrations: consuming MigrationSet, manifest: OwnershipManifest?, settings: RuleSettings,
                        configuration: RuleConfiguration, queries: QuerySet, releaseSources: Bool, releaseModel: Bool,
                        phaseEnded: (AnalysisPhase) -> Void) -> Analysis {
        var findings = migrations.findings
        // The rules read the model; the files' text is not needed again until the report.
        var model = replay(&migrations, findings: &findings, releasingSources: releaseSources)
        if releaseModel {
            // No rule reads the indexes (`steward model`, the reports and the live commands do, and
            // they keep the model): a large part of the model, gone before the rules allocate.
            // Freed on another core, off the critical path.
            let indexes = model.indexes
            model.indexes = [:]
            releaseOnAnotherCore(consume indexes)
        }
        phaseEnded(.parseAndReplay)
        if let manifest { OwnershipResolver.assign(manifest, to: &model) }
        // The services' queries, resolved against the schema the migrations leave.
        let inventory = QueryInventory.resolve(queries, model: model)
        findings += queries.findings + inventory.findings
        // Rules the configuration turns off everywhere do not run; the configuration's finer
        // parts (paths, services, severities) apply to what the others find.
        let context = RuleContext(model: model, manifest: manifest, migrations: copy migrations, settings: settings, queries: inventory)
        let running = RuleRegistry.all.filter { configuration.mayRun($0.descriptor) }
        if manifest != nil, running.contains(where: \.readsServiceDependencies) { _ = context.functionAccesses }
        var found: [[Finding]]
        if releaseModel {
            // The rules that read the whole model are handed out first (the dependency graph's
            // readers, the longest, before the others), then those that read only the change log
            // (they make most findings). The last rule to finish with the whole model releases it,
            // on its own core, while the other core goes on with the change log's rules.
            let modelRules = running.filter { !$0.readsChangeLogOnly && $0.readsServiceDependencies }
                + running.filter { !$0.readsChangeLogOnly && !$0.readsServiceDependencies }
            let changeLog = context.changeLogOnly()
            model = changeLog.model
            let lease = ModelLease(consume context, readers: modelRules.count)
            let changeLogRules = running.filter(\.readsChangeLogOnly)
            found = Array(0..<modelRules.count + changeLogRules.count).concurrentMap { position in
                position < modelRules.count ? lease.check(modelRules[position])
                                            : check(changeLogRules[position - modelRules.count], changeLog)
            }
        } else {
            found = running.concurrentMap { check($0, context) }
        }
        // One exact allocation, and each rule's array released as soon as it is copied in.
        findings.reserveCapacity(findings.count + found.reduce(0) { $0 + $1.count })
        for index in found.indices {
            findings += found[index]
            found[index] = []
        }
        phaseEnded(.ownershipAndRules)
        let sources = sources(of: migrations, manifest: manifest, queries: queries)
        var analysis = Analysis(migrations: migrations, model: model, manifest: manifest, findings: findings, sources: sources)
        analysis.queries = inventory
        return analysis
    }

    /// One rule's findings.
    fileprivate static func check(_ rule: any Rule, _ context: RuleContext) -> [Finding] {
        var findings = rule.check(context)
        shareRepeatedValues(in: &findings)
        return findings
    }

    /// One copy of a help text repeated by consecutive findings: a rule builds them finding by
    /// finding (a help naming the rule's remedy), and thousands of findings would otherwise each
    /// hold their own. (Services lists are shared as findings are made: `SharedServiceLists`.)
    ///
    /// Helps are compared with the previous finding's only: a help that differs from one finding
    /// to the next names the finding's objects and rarely repeats later, and hashing it (often
    /// with non-ASCII text, which hashes through Unicode normalization) cost more than it saved.
    static func shareRepeatedValues(in findings: inout [Finding]) {
        var lastHelp = ""
        for index in findings.indices {
            if let help = findings[index].help, help.utf8.count > 15 {
                if help == lastHelp {
                    if !sameStorage(help.utf8, lastHelp.utf8) { findings[index].help = lastHelp }
                } else {
                    lastHelp = help
                }
            }
        }
    }

    /// Whether two collections are one buffer in memory (then sharing them gains nothing).
    private static func sameStorage<C: Collection>(_ left: C, _ right: C) -> Bool {
        let first = left.withContiguousStorageIfAvailable { $0.baseAddress.map(UnsafeRawPointer.init) } ?? nil
        let second = right.withContiguousStorageIfAvailable { $0.baseAddress.map(UnsafeRawPointer.init) } ?? nil
        return first != nil && first == second
    }

    /// Parses windows of jobs on all cores and replays them in order, the next window parsing
    /// while this one replays. Each window's trees are dropped after replay, and the replayer's
    /// lookup indexes once it is done, so memory stays bounded by two windows and the model
    /// (the rules that run next reuse what was freed), whatever the corpus size.
    ///
    /// `releasingSources`: each file's text is released (`MigrationFile.releaseText()`) as soon
    /// as its last statement is replayed, so that the texts already replayed and the model that
    /// grows from them are not in memory together.
    static func replay(_ migrations: inout MigrationSet, findings: inout [Finding], releasingSources: Bool = false) -> SchemaModel {
        var replayer = SchemaReplayer()
        replayer.seedToolTables(for: migrations.layout)
        // The files are read through `migrations` only: a second reference to its array would
        // keep every text alive when one of them is released.
        replayer.reserveCapacity(forSQLBytes: migrations.files.reduce(0) { $0 + $1.source.bytes.count })
        let windows = makeWindows(migrations.files.indices.flatMap { parseJobs(for: migrations.files[$0], index: $0) }, files: migrations.files)
        if releasingSources { migrations.prepareToReleaseSources() }
        var started = Set<Int>()
        var next = windows.first.map { WindowParse($0, of: migrations.files) }
        for index in windows.indices {
            // The window's results are moved out of it: `results` is their only owner.
            let results = next!.results()
            next = index + 1 < windows.count ? WindowParse(windows[index + 1], of: migrations.files) : nil
            for (job, result) in zip(windows[index], results) {
                if started.insert(job.file).inserted {
                    findings += migrations.files[job.file].notices
                    replayer.begin(migrations.files[job.file])
                }
                findings += result.findings
                replayer.apply(result.statements)
            }
            // A window's statements are freed on another core: on this one, which replays,
            // tearing down tens of thousands of small values would delay the next window.
            releaseOnAnotherCore(consume results)
            if releasingSources {
                // Jobs run file by file: only the window's last file can go on in the next one.
                let continued = index + 1 < windows.count ? windows[index + 1][0].file : nil
                for job in windows[index] where job.file != continued { migrations.files[job.file].releaseText() }
            }
        }
        replayer.recordGaps(migrations.gaps)
        let model = replayer.takeModel()
        // The replayer's lookup indexes are freed on another core, off the critical path.
        releaseOnAnotherCore(consume replayer)
        return model
    }

    struct FileParse: Sendable {
        var statements: [ParsedStatement] = []
        var findings: [Finding] = []
    }

    /// Files above this size are split with libpg_query's scanner and parsed in chunks, so a
    /// huge file neither holds one giant parse tree in memory nor runs on a single core.
    static let chunkThreshold = 1 << 20
    static let chunkSize = 256 << 10

    /// A unit of parsing work: a whole file, or a chunk of whole statements of a big file.
    struct ParseJob: Sendable {
        var file: Int
        var range: Range<Int>?
    }

    /// Jobs parsed per window (many per core, so uneven files still balance).
    static let parseWindow = 64
    /// …and at most this much SQL, so that chunks of one huge file are not all in flight at once
    /// (two windows are: one parsing, one replaying). The replay waits for the first window
    /// alone, and the parse keeps well ahead of it: 128 KiB rather than 256 KiB gave ~50-90 ms
    /// less wall time and 1-2 MB less peak memory at 100k statements, neutral at 20k and on one
    /// 100k-statement file (docs/benchmarks.md).
    static let parseWindowBytes = 1 << 17

    /// Consecutive jobs, at most `parseWindow` of them and about `parseWindowBytes` of SQL.
    static func makeWindows(_ jobs: [ParseJob], files: [MigrationFile]) -> [[ParseJob]] {
        var windows: [[ParseJob]] = []
        var current: [ParseJob] = []
        var bytes = 0
        for job in jobs {
            if !current.isEmpty, current.count >= parseWindow || bytes >= parseWindowBytes {
                windows.append(current)
                current = []
                bytes = 0
            }
            current.append(job)
            bytes += job.range?.count ?? files[job.file].source.bytes.count
        }
        if !current.isEmpty { windows.append(current) }
        return windows
    }

    /// One window being parsed in the background on all cores; `results()` waits for it.
    /// Results keep the jobs' order, so output is deterministic.
    final class WindowParse: Sendable {
        private let group = DispatchGroup()
        private let slots: LockedSlots<FileParse>

        /// Holds the window's own files only, until they are parsed: the replay releases the
        /// text of each file it is done with.
        init(_ jobs: [ParseJob], of files: [MigrationFile]) {
            let slots = LockedSlots<FileParse>(count: jobs.count)
            self.slots = slots
            let windowFiles = jobs.map { files[$0.file] }
            DispatchQueue.global().async(group: group) {
                DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
                    let file = windowFiles[index]
                    slots.set(index, parseChunk(file, range: jobs[index].range ?? 0..<file.source.bytes.count))
                }
            }
        }

        /// The parse's results, moved out (this window holds none afterwards); call once.
        func results() -> [FileParse] {
            group.wait()
            return slots.values()
        }
    }

    static func parseJobs(for file: MigrationFile, index: Int) -> [ParseJob] {
        let bytes = file.source.bytes
        guard bytes.count > chunkThreshold, case .success(let ranges) = SQLParser.split(file.source) else {
            return [ParseJob(file: index, range: nil)]
        }
        var jobs: [ParseJob] = []
        var chunk: Range<Int>?
        for segment in segments(covering: ranges, in: bytes) {
            if let current = chunk, segment.upperBound - current.lowerBound > chunkSize {
                jobs.append(ParseJob(file: index, range: current))
                chunk = segment
            } else {
                chunk = (chunk?.lowerBound ?? segment.lowerBound)..<segment.upperBound
            }
        }
        if let chunk { jobs.append(ParseJob(file: index, range: chunk)) }
        return jobs
    }

    /// A run of whole statements. If it does not parse, it is split with libpg_query's scanner
    /// and parsed statement by statement, so every syntax error is reported and the valid
    /// statements still count. Text the splitter skips (it drops pieces that start with an
    /// unknown word) is parsed on its own too, so that its error is not lost.
    static func parseChunk(_ file: MigrationFile, range: Range<Int>) -> FileParse {
        switch SQLParser.parse(file.source, range: range) {
        case .success(let statements):
            return FileParse(statements: statements)
        case .failure(let error):
            var result = FileParse()
            let inner = SQLParser.split(SourceText(bytes: Array(file.source.bytes[range])))
            guard case .success(let relative) = inner, relative.count > 1 else {
                return FileParse(findings: [syntaxFinding(error, file: file)])
            }
            let shifted = relative.map { ($0.lowerBound + range.lowerBound)..<($0.upperBound + range.lowerBound) }
            for segment in segments(covering: shifted, in: file.source.bytes, within: range) {
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
    static func segments(covering ranges: [Range<Int>], in bytes: [UInt8], within bounds: Range<Int>? = nil) -> [Range<Int>] {
        let bounds = bounds ?? 0..<bytes.count
        var segments: [Range<Int>] = []
        var position = bounds.lowerBound
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound > position, hasContent(bytes, position..<range.lowerBound) { segments.append(position..<range.lowerBound) }
            segments.append(range)
            position = max(position, range.upperBound)
        }
        if position < bounds.upperBound, hasContent(bytes, position..<bounds.upperBound) { segments.append(position..<bounds.upperBound) }
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
        return Finding(diagnostic: .syntaxError, message: error.message,
                       help: "PostgreSQL 15 rejects this statement, so the migration would fail; fix the SQL",
                       location: FileLocation(path: file.path, line: location.line, column: location.column))
    }
}

/// The whole model, lent to the rules that read it (`Rule.readsChangeLogOnly` false) as they
/// run beside the others: the last of them to finish releases it, on its own thread.
private final class ModelLease: @unchecked Sendable {
    // @unchecked: `lock` guards `context` and `readers`.
    private let lock = NSLock()
    private var context: RuleContext?
    private var readers: Int

    init(_ context: RuleContext, readers: Int) {
        self.context = readers > 0 ? context : nil
        self.readers = readers
    }

    /// `rule`'s findings on the whole model; each reader calls this exactly once.
    func check(_ rule: any Rule) -> [Finding] {
        let findings: [Finding]
        do {
            let context = lock.withLock { self.context! }
            findings = Analyzer.check(rule, context)
        }
        // This reader's copy of the context has ended with its scope: if it was the last
        // reader, the lease's own reference is the model's last one, dropped here (outside the
        // lock: tearing the model down takes tens of milliseconds).
        let last = lock.withLock { () -> RuleContext? in
            readers -= 1
            guard readers == 0 else { return nil }
            defer { context = nil }
            return context
        }
        _ = consume last
        return findings
    }
}

