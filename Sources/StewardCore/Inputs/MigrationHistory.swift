import Foundation

/// What a pull request changes, relative to the merge base of `--since <ref>`: the model is
/// replayed from every migration, but findings are reported for pending files only.
public struct MigrationHistory: Sendable, Hashable {
    /// The ref as given, and the merge base it resolved to.
    public var reference: String
    public var baseCommit: String
    /// Migration files (paths as `MigrationFile.path`) that did not exist at the base.
    public var added: Set<String>
    /// Migration files that existed at the base and differ now: an applied migration edited.
    public var modified: Set<String>
    /// The manifest differs from the base (its findings are reported then).
    public var manifestChanged: Bool
    /// The manifest's text at the base, when it changed and existed there: approvals compare the two.
    public var baseManifest: String?

    public init(reference: String, baseCommit: String, added: Set<String>, modified: Set<String>, manifestChanged: Bool) {
        self.reference = reference
        self.baseCommit = baseCommit
        self.added = added
        self.modified = modified
        self.manifestChanged = manifestChanged
    }

    /// Files whose findings are reported, and whose tables are new (empty) for the lock rules.
    public var pending: Set<String> { added.union(modified) }

    /// Reads the history through `git` (a subprocess; Steward links no git library). Errors
    /// (no repository, unknown ref, git missing) are input errors with exit code 2.
    public static func read(reference: String, directory: String, files: [String], manifest: String?) throws(InputError) -> MigrationHistory {
        guard !reference.hasPrefix("-") else {
            throw InputError(path: directory, message: "--since \(reference): a git ref cannot start with `-`")
        }
        let top = try git(["rev-parse", "--show-toplevel"], in: directory, what: "\(directory) is not inside a git repository (--since needs one)")
            .trimmingCharacters(in: .newlines)
        let base = try git(["merge-base", reference, "HEAD"], in: directory,
                           what: "--since \(reference): git cannot find that ref or a merge base with HEAD (fetch it, e.g. `git fetch origin main`)")
            .trimmingCharacters(in: .newlines)
        let topURL = URL(fileURLWithPath: top).resolvingSymlinksInPath()
        func relative(_ path: String) -> String? {
            let resolved = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
            let prefix = topURL.path.hasSuffix("/") ? topURL.path : topURL.path + "/"
            return resolved.hasPrefix(prefix) ? String(resolved.dropFirst(prefix.count)) : nil
        }
        let tracked = (manifest.map { [$0] } ?? []) + files
        var relativePaths: [String: String] = [:]
        for path in tracked { if let relativePath = relative(path) { relativePaths[path] = relativePath } }
        // Blob ids at the base, and of the working-tree files (git's own filters applied).
        let listing = try git(["ls-tree", "-r", "-z", "--full-tree", base], in: top, what: "git ls-tree \(base) failed")
        var blobAtBase: [String: String] = [:]
        for entry in listing.split(separator: "\0") {
            // "<mode> blob <id>\t<path>"
            guard let tab = entry.firstIndex(of: "\t") else { continue }
            let fields = entry[..<tab].split(separator: " ")
            guard fields.count == 3, fields[1] == "blob" else { continue }
            blobAtBase[String(entry[entry.index(after: tab)...])] = String(fields[2])
        }
        let existing = tracked.filter { relativePaths[$0].map { blobAtBase[$0] != nil } ?? false }
        let current = existing.isEmpty ? [] : try git(["hash-object", "--stdin-paths"], in: top, input: existing.map { relativePaths[$0]! }.joined(separator: "\n") + "\n",
                                                      what: "git hash-object failed").split(separator: "\n").map(String.init)
        var modified = Set<String>()
        for (path, id) in zip(existing, current) where blobAtBase[relativePaths[path]!] != id { modified.insert(path) }
        let added = Set(files.filter { path in relativePaths[path].map { blobAtBase[$0] == nil } ?? true })
        let manifestChanged = manifest.map { !existing.contains($0) || modified.contains($0) } ?? false
        var history = MigrationHistory(reference: reference, baseCommit: base, added: added, modified: modified.subtracting(manifest.map { [$0] } ?? []),
                                       manifestChanged: manifestChanged)
        if manifestChanged, let manifest, let relativePath = relativePaths[manifest], blobAtBase[relativePath] != nil {
            history.baseManifest = try git(["cat-file", "blob", "\(base):\(relativePath)"], in: top, what: "git cat-file \(base):\(relativePath) failed")
        }
        return history
    }

    /// Writes the migrations directory as it was at `commit` into `destination` (files read from
    /// git's objects, never from the work tree). Returns false when the directory did not exist then.
    public static func export(directory: String, at commit: String, to destination: String) throws(InputError) -> Bool {
        let prefix = try git(["rev-parse", "--show-prefix"], in: directory, what: "\(directory) is not inside a git repository")
            .trimmingCharacters(in: .newlines)
        let top = try git(["rev-parse", "--show-toplevel"], in: directory, what: "\(directory) is not inside a git repository")
            .trimmingCharacters(in: .newlines)
        let listing = try git(["ls-tree", "-r", "-z", "--name-only", commit, "--", prefix.isEmpty ? "." : prefix], in: top,
                              what: "git ls-tree \(commit) failed")
        let paths = listing.split(separator: "\0").map(String.init)
        guard !paths.isEmpty else { return false }
        let root = URL(fileURLWithPath: destination)
        for path in paths {
            // git prints the blob's bytes exactly (no filters): what a migration tool would read at that commit.
            let bytes = try gitData(["cat-file", "blob", "\(commit):\(path)"], in: top, what: "git cat-file \(commit):\(path) failed")
            let relative = String(path.dropFirst(prefix.count))
            let file = root.appendingPathComponent(relative)
            do {
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try bytes.write(to: file)
            } catch {
                throw InputError(path: destination, message: "cannot write \(relative) of \(commit): \(error.localizedDescription)")
            }
        }
        return true
    }

    /// The commit a ref names (`git rev-parse --verify`), or nil when it names none.
    public static func resolve(_ reference: String, in directory: String) -> String? {
        guard !reference.hasPrefix("-") else { return nil }
        return try? git(["rev-parse", "--verify", "--quiet", reference + "^{commit}"], in: directory, what: "").trimmingCharacters(in: .newlines)
    }

    private static func git(_ arguments: [String], in directory: String, input: String? = nil, what: String) throws(InputError) -> String {
        String(decoding: try gitData(arguments, in: directory, input: input, what: what), as: UTF8.self)
    }

    private static func gitData(_ arguments: [String], in directory: String, input: String? = nil, what: String) throws(InputError) -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        process.environment = environment
        let output = Pipe(), errors = Pipe(), stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        do {
            try process.run()
        } catch {
            throw InputError(path: directory, message: "cannot run git (\(error.localizedDescription)); --since needs git on PATH")
        }
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try? stdin.fileHandleForWriting.close()
        // Standard output is read to its end before waiting (a large listing would fill the
        // pipe and block git); git's error output is a line or two, well within a pipe's buffer.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let detail = String(decoding: errorData, as: UTF8.self).split(separator: "\n").first.map { " (git: \($0))" } ?? ""
            throw InputError(path: directory, message: what + detail)
        }
        return data
    }
}
