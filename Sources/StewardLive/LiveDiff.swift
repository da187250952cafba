import StewardCore
import StewardSQL

/// `steward diff`: the replayed model against a live database, read in one read-only
/// transaction, and the migration tool's bookkeeping against the repository.
public enum LiveDiff {
    public static func run(_ analysis: Analysis, session: InspectionSession) throws(LiveError) -> LiveComparison {
        let migrations = analysis.migrations
        let connection = session.connection
        var comparison = LiveComparison(mode: .diff, directory: migrations.directory, layout: migrations.layout,
                                        target: connection.target.description, serverVersion: connection.serverVersion,
                                        drifts: [], comparedFacts: 0, totalFiles: migrations.files.count)
        comparison.gaps = migrations.gaps
        try session.read { connection throws(LiveError) in
            (comparison.drifts, comparison.comparedFacts) = try CatalogComparison.drifts(analysis, connection, othersBookkeeping: true)
            comparison.migrations = try MigrationBookkeeping.status(of: migrations, connection)
        }
        return comparison
    }
}
