import StewardCore
import StewardSQL

/// The model's facts against a database's catalog, read through `connection` inside an
/// `InspectionSession.read`: the one comparison `steward verify` and `steward diff` share.
enum CatalogComparison {
    /// `othersBookkeeping`: leave out what migration tools keep for themselves and the model does
    /// not hold (another tool's table, Sqitch's and Atlas's registry schemas, and this tool's
    /// table when the database was never migrated by it). A live database has them; a scratch
    /// database Steward migrated has only what the model has.
    static func drifts(_ analysis: Analysis, _ connection: PostgresConnection, othersBookkeeping: Bool) throws(LiveError)
        -> (drifts: [Drift], comparedFacts: Int) {
        let model = analysis.model
        let ofModel = SchemaFacts.of(model, sources: analysis.sources)
        var modelFacts = ofModel.facts
        var liveFacts: [SchemaFact]
        if othersBookkeeping {
            let otherTables = Set(MigrationBookkeeping.allTables.filter { model.tables[$0] == nil })
            liveFacts = try CatalogReader.facts(connection, excludingRelations: otherTables).filter { fact in
                let schema = fact.relation.schema ?? ""
                return !ofModel.skipped.contains(fact.key) && (!MigrationBookkeeping.registrySchemas.contains(schema) || model.schemas[schema] != nil)
            }
            // A database the tool never migrated lacks the tool's table: said once, by the bookkeeping status.
            let liveRelations = Set(liveFacts.filter { $0.kind == .table }.map(\.relation))
            let absent = Set(model.tables.values.filter { $0.managedBy != nil && !liveRelations.contains($0.name) }.map(\.name))
            modelFacts.removeAll { absent.contains($0.relation) }
        } else {
            liveFacts = try CatalogReader.facts(connection).filter { !ofModel.skipped.contains($0.key) }
        }
        try ExpressionNormalizer.normalizeDiffering(model: &modelFacts, live: &liveFacts, connection)
        let drifts = SchemaDrift.compare(model: modelFacts, live: liveFacts) {
            SchemaDrift.owner(of: $0, in: model, manifest: analysis.manifest)
        }
        return (drifts, modelFacts.count)
    }
}
