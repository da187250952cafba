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
        let starts = [directory, FileManager.default.currentDirectoryPath]
        return starts.lazy.compactMap { ancestor(of: $0, containing: ManifestLoader.fileName) }.first
            .map { relativeToCurrentDirectory($0.appendingPathComponent(ManifestLoader.fileName).path) }
    }

    func analysisOptions(showAllowed: Bool = false, cache: ResultCache? = nil, keepModel: Bool = true,
                         onPhaseEnd: (@Sendable (AnalysisPhase) -> Void)? = nil) -> AnalysisOptions {
        AnalysisOptions(directory: directory, manifestPath: resolvedManifest(), layout: layout, showAllowed: showAllowed, cache: cache,
                        keepModel: keepModel, onPhaseEnd: onPhaseEnd)
    }
}

extension MigrationLayout: ExpressibleByArgument {}

/// The first of `directory` and its parents that holds an entry called `name`.
func ancestor(of directory: String, containing name: String) -> URL? {
    var current = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
    while true {
        if FileManager.default.fileExists(atPath: current.appendingPathComponent(name).path) { return current }
        let parent = current.deletingLastPathComponent()
        if parent.path == current.path { return nil }
        current = parent
    }
}

/// A path as the user would write it from the current directory.
func relativeToCurrentDirectory(_ path: String) -> String {
    let current = FileManager.default.currentDirectoryPath + "/"
    return path.hasPrefix(current) ? String(path.dropFirst(current.count)) : path
}
