import StewardCore
import StewardSQL
import Testing

@Suite struct SchemaDriftTests {
    let users = ObjectName(schema: "public", name: "users")

    func facts(_ pairs: [(SchemaFact.Kind, String, String)]) -> [SchemaFact] {
        pairs.map { SchemaFact($0.0, $0.1, relation: users, $0.2) }
    }

    @Test func missingExtraAndDiffering() {
        let model = facts([(.table, "public.users", "table"), (.column, "public.users.id", "bigint not null"),
                           (.column, "public.users.email", "text not null")])
        let live = facts([(.table, "public.users", "table"), (.column, "public.users.id", "integer not null"),
                          (.column, "public.users.nick", "text")])
        let drifts = SchemaDrift.compare(model: model, live: live) { _ in "accounts" }
        #expect(drifts.map { "\($0.kind) \($0.object)" } == [
            "missing public.users.email", "differs public.users.id", "extra public.users.nick",
        ])
        #expect(drifts.allSatisfy { $0.service == "accounts" })
        #expect(drifts[1].expected == "bigint not null" && drifts[1].actual == "integer not null")
    }

    /// A missing table is one difference, not one per column, key and index.
    @Test func aMissingTableStandsForItsContents() {
        let model = facts([(.table, "public.users", "table"), (.column, "public.users.id", "bigint"),
                           (.key, "public.users users_pkey", "primary key (id)")])
        let drifts = SchemaDrift.compare(model: model, live: []) { _ in nil }
        #expect(drifts.map(\.object) == ["public.users"])
    }

    /// Partitions made at run time of a partitioned table the migrations create: one line.
    @Test func runtimePartitionsAreOneLine() {
        let events = ObjectName(schema: "public", name: "events")
        var parent = SchemaFact(.table, "public.events", relation: events, "partitioned table")
        let model = [parent]
        parent.origin = nil
        var live = [parent]
        for day in ["2026_01_01", "2026_01_02"] {
            let name = ObjectName(schema: "public", name: "events_\(day)")
            var partition = SchemaFact(.table, name.description, relation: name, "table")
            partition.partitionOf = events
            live.append(partition)
            live.append(SchemaFact(.column, "\(name).id", relation: name, "bigint"))
        }
        let drifts = SchemaDrift.compare(model: model, live: live) { _ in "events-service" }
        #expect(drifts.map { "\($0.kind) \($0.factKind.rawValue) \($0.object): \($0.actual ?? "")" } == [
            "extra partitions public.events: 2 no migration creates (made at run time?): events_2026_01_01, events_2026_01_02",
        ])
    }

    /// Expressions compare on PostgreSQL's normalised text once there is one.
    @Test func normalisedExpressionsDecide() {
        let context = ExpressionContext.scalar(relation: users, castTo: "integer")
        let model = [SchemaFact(.columnDefault, "public.users.score", relation: users,
                                value: FactValue([.expression("(1 + 2) * 3", context, normalized: "9")]))]
        let live = [SchemaFact(.columnDefault, "public.users.score", relation: users,
                               value: FactValue([.expression("((1 + 2) * 3)", context, normalized: "9")]))]
        #expect(SchemaDrift.compare(model: model, live: live) { _ in nil }.isEmpty)
        let unnormalised = [SchemaFact(.columnDefault, "public.users.score", relation: users,
                                       value: FactValue([.expression("((1 + 2) * 3)", context, normalized: nil)]))]
        #expect(SchemaDrift.compare(model: model, live: unnormalised) { _ in nil }.count == 1)
    }
}
