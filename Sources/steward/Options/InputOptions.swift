import ArgumentParser
import Foundation
import StewardCore

/// Where the migrations and the ownership manifest are.
struct InputOptions: ParsableArguments {
    @Argument(help: "Directory of migrations.", completion: .directory)
    var directory: String = "schema"

    @Option(name: .long, help: ArgumentHelp(
        "Ownership manifest.",
        discussion: "Default: the first ownership.yml found in the migrations directory or above it, then in the current directory or above it."),
        completion: .file(extensions: ["yml", "yaml"]))
    var manifest: String?

    @Option(name: .long, help: ArgumentHelp(
        "Migration tool layout (default: detected).",
        discussion: """
            One of: \(MigrationLayout.allCases.map(\.rawValue).joined(separator: ", ")). sqitch scripts run through psql, \
            so psql meta-commands (\\set) and variables (:'name') are features there, reported as notes.
            """,
        valueName: "layout"))
    var layout: MigrationLayout?

    @Flag(name: .long, help: "Check the migrations alone, without an ownership manifest (ownership rules do not run).")
    var noManifest = false

    /// Where `resolvedManifest()` looks (and their parents), for the error when it finds nothing.
    var manifestSearchStarts: [String] {
        [URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL.path, FileManager.default.currentDirectoryPath]
    }

    /// The manifest to use: the explicit one (which must exist), else one discovered upward;
    /// nil with `--no-manifest`.
    func resolvedManifest() -> String? {
        if noManifest { return nil }
        if let manifest { return manifest }
        let fileManager = FileManager.default
        var starts = [URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL]
        starts.append(URL(fileURLWithPath: fileManager.currentDirectoryPath, isDirectory: true))
        for start in starts {
            var current = start
            while true {
                let candidate = current.appendingPathComponent(ManifestLoader.fileName)
                if fileManager.fileExists(atPath: candidate.path) { return relativeToCurrentDirectory(candidate.path) }
                let parent = current.deletingLastPathComponent()
                if parent.path == current.path { break }
                current = parent
            }
        }
        return nil
    }

    private func relativeToCurrentDirectory(_ path: String) -> String {
        let current = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(current) ? String(path.dropFirst(current.count)) : path
    }

    func analysisOptions(showAllowed: Bool = false, cache: ResultCache? = nil, keepModel: Bool = true,
                         onPhaseEnd: (@Sendable (AnalysisPhase) -> Void)? = nil) -> AnalysisOptions {
        AnalysisOptions(directory: directory, manifestPath: resolvedManifest(), layout: layout, showAllowed: showAllowed, cache: cache,
                        keepModel: keepModel, onPhaseEnd: onPhaseEnd)
    }
}

extension MigrationLayout: ExpressibleByArgument {}
