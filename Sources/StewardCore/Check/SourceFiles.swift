import Foundation
import StewardSQL

/// The text of the files a report quotes (source lines under findings, view queries), by path
/// as findings give it.
///
/// Migration files whose text was released after replay (`MigrationSet.releaseSources()`,
/// which `steward check` uses to keep its peak memory down) are read again when first asked
/// for, and only the few most recently asked for are kept: reports go through findings in
/// file order. A file whose size changed since it was parsed is not quoted at all, rather than
/// quoted wrongly.
public struct SourceFiles: Sendable {
    private let texts: [String: SourceText]
    private let released: ReleasedFiles?

    public init(_ texts: [String: SourceText] = [:]) {
        self.texts = texts
        released = nil
    }

    /// The files of `migrations` (read again when released), of the query files and the manifest.
    init(migrations: MigrationSet, queries: QuerySet, manifest: OwnershipManifest?) {
        var texts: [String: SourceText] = [:]
        var sizes: [String: Int] = [:]
        for file in migrations.files {
            if let released = file.released { sizes[file.path] = released.byteCount } else { texts[file.path] = file.original }
        }
        for file in queries.files { texts[file.path] = file.source }
        if let manifest { texts[manifest.path] = manifest.source }
        self.texts = texts
        released = sizes.isEmpty ? nil : ReleasedFiles(sizes: sizes)
    }

    public subscript(path: String) -> SourceText? { texts[path] ?? released?.text(of: path) }
}

/// Released migration files, read again on demand (see `SourceFiles`).
final class ReleasedFiles: @unchecked Sendable {
    // @unchecked: `lock` guards `recent`; `sizes` is immutable.
    private let lock = NSLock()
    private let sizes: [String: Int]
    /// The files read last, most recent last.
    private var recent: [(path: String, text: SourceText?)] = []
    private static let kept = 4

    init(sizes: [String: Int]) { self.sizes = sizes }

    func text(of path: String) -> SourceText? {
        guard let size = sizes[path] else { return nil }
        lock.lock()
        let hit = recent.first(where: { $0.path == path })
        lock.unlock()
        if let hit { return hit.text }
        // Read without the lock: reports render on all cores, each reading the next file (two
        // threads may read the same file at once; both get the same text).
        let bytes = try? MigrationDirectory.readRegularFile(path).get()
        let text = bytes.flatMap { $0.count == size ? SourceText(bytes: $0) : nil }
        lock.lock()
        defer { lock.unlock() }
        recent.append((path, text))
        if recent.count > Self.kept { recent.removeFirst() }
        return text
    }
}
