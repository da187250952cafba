import Foundation
import StewardSQL

/// The query files that the manifest's `queries:` entries name, read from disk: the only I/O
/// of the query analysis. Globs are relative to the manifest's folder; `*` and `?` stay within a
/// folder, `**` crosses folders (`queries/**/*.sql`).
public struct QuerySet: Sendable {
    public struct File: Sendable {
        /// As Steward prints it: the manifest's folder as given, then the file's path below it.
        public var path: String
        public var source: SourceText
        /// Every entry that matched the file, by service, in manifest order.
        public var claims: [Claim]
    }

    public struct Claim: Sendable {
        public var service: String
        public var entry: QuerySource
    }

    public var files: [File]
    /// Globs that match nothing and files that cannot be read.
    public var findings: [Finding]

    public static let none = QuerySet(files: [], findings: [])

    public var isEmpty: Bool { files.isEmpty }

    public static func load(for manifest: OwnershipManifest) -> QuerySet {
        let manifestFolder = (manifest.path as NSString).deletingLastPathComponent
        // Paths print relative to the working directory when the manifest is in it (`queries/a.sql`).
        let folder = manifestFolder == "." ? "" : manifestFolder
        var files: [String: File] = [:]
        var order: [String] = []
        var findings: [Finding] = []
        for service in manifest.services {
            for entry in service.queries {
                let matches = expand(entry.path.text, in: folder)
                if matches.isEmpty {
                    findings.append(Finding(diagnostic: .querySourceEmpty,
                                            message: "`queries:` entry `\(entry.path.text)` of service `\(service.name)` matches no file (relative to \(folder.isEmpty ? "." : folder))",
                                            help: "fix the glob, or remove the entry; `*` stays within a folder, `**` crosses folders",
                                            location: FileLocation(path: manifest.path, line: entry.path.line, column: entry.path.column)))
                    continue
                }
                for path in matches {
                    if files[path] == nil {
                        guard let source = read(path, findings: &findings) else { continue }
                        files[path] = File(path: path, source: source, claims: [])
                        order.append(path)
                    }
                    files[path]?.claims.append(Claim(service: service.name, entry: entry))
                }
            }
        }
        return QuerySet(files: order.compactMap { files[$0] }, findings: findings)
    }

    /// The files a glob names, as display paths, sorted.
    static func expand(_ pattern: String, in folder: String) -> [String] {
        let absolute = pattern.hasPrefix("/")
        let base = absolute ? "" : folder
        func join(_ base: String, _ relative: String) -> String { base.isEmpty ? relative : base + "/" + relative }
        let components = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let firstWild = components.firstIndex(where: { $0.contains(where: { "*?[".contains($0) }) }) else {
            let path = absolute ? pattern : join(folder, components.joined(separator: "/"))
            var status = stat()
            return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG ? [path] : []
        }
        let literal = components[..<firstWild].joined(separator: "/")
        let root = absolute ? "/" + literal : (literal.isEmpty ? (base.isEmpty ? "." : base) : join(base, literal))
        let relativePattern = components.joined(separator: "/")
        var result: [String] = []
        var visited = Set<String>()
        func walk(_ directory: String, relative: String, depth: Int) {
            guard depth < 32, let resolved = realpath(directory, nil) else { return }
            defer { free(resolved) }
            guard visited.insert(String(cString: resolved)).inserted,
                  let children = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
            for child in children.sorted() where !child.hasPrefix(".") {
                let path = directory + "/" + child
                let childRelative = relative.isEmpty ? child : relative + "/" + child
                var status = stat()
                guard stat(path, &status) == 0 else { continue }
                if (status.st_mode & S_IFMT) == S_IFDIR {
                    walk(path, relative: childRelative, depth: depth + 1)
                } else if (status.st_mode & S_IFMT) == S_IFREG, matches(relativePattern, childRelative) {
                    result.append(absolute ? "/" + childRelative : join(base, childRelative))
                }
            }
        }
        walk(root, relative: literal, depth: 0)
        return result
    }

    /// fnmatch(3): `*` within a folder; `**/` also matches no folder at all.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        guard pattern.contains("**") else { return fnmatch(pattern, path, FNM_PATHNAME) == 0 }
        return fnmatch(pattern, path, 0) == 0 || fnmatch(pattern.replacingOccurrences(of: "**/", with: ""), path, FNM_PATHNAME) == 0
    }

    static func read(_ path: String, findings: inout [Finding]) -> SourceText? {
        guard let data = FileManager.default.contents(atPath: path) else {
            findings.append(Finding(diagnostic: .unreadableFile, message: "cannot read query file \(path)",
                                    help: "fix the file's permissions or the `queries:` glob",
                                    location: FileLocation(path: path, line: 1, column: 1)))
            return nil
        }
        let bytes = [UInt8](data)
        if let (offset, reason) = MigrationDiscovery.notText(bytes) {
            let location = SourceText(bytes: bytes).location(ofByte: offset)
            findings.append(Finding(diagnostic: .unreadableFile, message: "\(reason) at line \(location.line), column \(location.column)",
                                    help: "save the query file as UTF-8 text without NUL bytes",
                                    location: FileLocation(path: path, line: location.line, column: location.column)))
            return nil
        }
        return SourceText(bytes: bytes)
    }
}
