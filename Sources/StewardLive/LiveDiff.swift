import StewardCore
import StewardSQL

/// `steward diff`: the replayed model against a live database, read in one read-only
/// transaction, and the migration tool's bookkeeping against the repository.
public enum LiveDiff {
    public static func run(_ analysis: Analysis, session: InspectionSession) throws(LiveError) -> LiveComparison {
        let migrations = analysis.migrations
        let ofModel = SchemaFacts.of(analysis.model, sources: analysis.sources)
        var modelFacts = ofModel.facts
        let connection = session.connection
        var comparison = LiveComparison(mode: .diff, directory: migrations.directory, layout: migrations.layout,
                                        target: connection.target.description, serverVersion: connection.serverVersion,
                                        drifts: [], comparedFacts: modelFacts.count, totalFiles: migrations.files.count)
        comparison.gaps = migrations.gaps
        try session.read { connection throws(LiveError) in
            // Other tools' bookkeeping is not the schema's (the model holds its own tool's table).
            let bookkeeping = Set(MigrationBookkeeping.allTables.filter { analysis.model.tables[$0] == nil })
            var liveFacts = try CatalogReader.facts(connection, excludingRelations: bookkeeping)
                .filter { !ofModel.skipped.contains($0.key) }
                .filter { !MigrationBookkeeping.registrySchemas.contains($0.relation.schema ?? "") || analysis.model.schemas[$0.relation.schema ?? ""] != nil }
            // A database the tool never migrated lacks the tool's table: said once, by the status below.
            let liveRelations = Set(liveFacts.filter { $0.kind == .table }.map(\.relation))
            let absentBookkeeping = Set(analysis.model.tables.values.filter { $0.managedBy != nil && !liveRelations.contains($0.name) }.map(\.name))
            modelFacts.removeAll { absentBookkeeping.contains($0.relation) }
            try ExpressionNormalizer.normalizeDiffering(model: &modelFacts, live: &liveFacts, connection)
            comparison.drifts = SchemaDrift.compare(model: modelFacts, live: liveFacts) {
                SchemaDrift.owner(of: $0, in: analysis.model, manifest: analysis.manifest)
            }
            comparison.comparedFacts = modelFacts.count
            comparison.migrations = try MigrationBookkeeping.status(of: migrations, connection)
        }
        return comparison
    }
}
