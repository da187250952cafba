import Foundation

/// The read-only `../shared` directory next to the package: real migration sets, PostgreSQL's
/// regression SQL, and the benchmark's corpus generator. Tests of every target read it here.
public enum SharedFiles {
    /// The package's root directory.
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// `../shared`.
    public static let root = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// Why a corpus could not be generated.
    public struct GenerationFailed: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes the deterministic corpus of `../shared/bench/gen_corpus.py` (golang-migrate files,
    /// eight services and a matching ownership.yml) into `directory`, which the caller removes.
    public static func generateCorpus(statements: Int, files: Int, into directory: URL) throws {
        let generator = root.appendingPathComponent("bench/gen_corpus.py")
        guard FileManager.default.fileExists(atPath: generator.path) else { throw GenerationFailed(description: "missing \(generator.path)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", generator.path, "--statements", "\(statements)", "--files", "\(files)", "--out", directory.path]
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        // Read to the end before waiting: a full pipe would block the generator.
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GenerationFailed(description: "gen_corpus.py exited with status \(process.terminationStatus): \(message)")
        }
    }
}
