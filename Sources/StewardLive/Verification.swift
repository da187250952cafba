import StewardCore
import StewardSQL

/// `steward verify`: the migrations applied by PostgreSQL itself, its catalog compared with the
/// replayed model. Every disagreement is a model bug (or a migration PostgreSQL rejects).
public enum Verification {
    /// Applies `analysis.migrations` to `scratch` and compares; the caller drops `scratch`.
    public static func run(_ analysis: Analysis, in scratch: ScratchDatabase) throws(LiveError) -> LiveComparison {
        let migrations = analysis.migrations
        var comparison = LiveComparison(mode: .verify, directory: migrations.directory, layout: migrations.layout,
                                        target: "a scratch database (\(scratch.name)) on \(scratch.server)",
                                        serverVersion: scratch.connection.serverVersion, drifts: [], comparedFacts: 0,
                                        appliedFiles: migrations.files.count, totalFiles: migrations.files.count)
        comparison.gaps = migrations.gaps
        if case .failure(let failure) = MigrationApplier.apply(migrations, to: scratch.connection) {
            comparison.failure = failure
            comparison.appliedFiles = migrations.files.firstIndex { $0.path == failure.location.path } ?? 0
            return comparison
        }
        let session = try InspectionSession(scratch.connection)
        (comparison.drifts, comparison.comparedFacts) = try session.read { connection throws(LiveError) in
            try CatalogComparison.drifts(analysis, connection, othersBookkeeping: false)
        }
        return comparison
    }
}
