import Foundation
import StewardCore
import StewardSQL

/// Lets PostgreSQL decide whether two expressions are the same: each is analysed and printed
/// back by the server (`EXPLAIN (VERBOSE)` prints a query's output expressions with the
/// deparser `pg_get_expr` uses, after the analyser has added implicit casts and the planner has
/// folded constants). So `'a'` and `'a'::character varying` as a varchar default agree, and
/// `(1 + 2) * 3` and `1 + 2 * 3` do not.
///
/// `EXPLAIN` without `ANALYZE` runs nothing and writes nothing: it is allowed in a read-only
/// transaction and takes `AccessShareLock` on the relation. Each probe runs in a savepoint, so
/// that an expression PostgreSQL rejects (a column missing live) keeps its text and the
/// transaction goes on.
public enum ExpressionNormalizer {
    /// Normalises the expressions of the facts whose two sides differ as written (the others
    /// already agree). Call inside `InspectionSession.read`.
    public static func normalizeDiffering(model: inout [SchemaFact], live: inout [SchemaFact], _ connection: PostgresConnection) throws(LiveError) {
        let liveIndex = Dictionary(live.enumerated().map { ($0.element.key, $0.offset) }, uniquingKeysWith: { first, _ in first })
        var cache: [String: String?] = [:]
        for modelPosition in model.indices {
            guard let livePosition = liveIndex[model[modelPosition].key], model[modelPosition].value != live[livePosition].value,
                  !model[modelPosition].value.expressions.isEmpty else { continue }
            model[modelPosition].value = try normalize(model[modelPosition].value, connection, cache: &cache)
            live[livePosition].value = try normalize(live[livePosition].value, connection, cache: &cache)
        }
    }

    static func normalize(_ value: FactValue, _ connection: PostgresConnection, cache: inout [String: String?]) throws(LiveError) -> FactValue {
        var parts = value.parts
        for position in parts.indices {
            guard case .expression(let text, let context, _) = parts[position] else { continue }
            let probe = probe(text, context)
            let normalized: String?
            if let cached = cache[probe] {
                normalized = cached
            } else {
                normalized = try explain(probe, scalar: context != .query, connection)
                cache[probe] = normalized
            }
            parts[position] = .expression(text, context, normalized: normalized)
        }
        return FactValue(parts)
    }

    /// The statement whose plan prints the expression as PostgreSQL understands it.
    static func probe(_ expression: String, _ context: ExpressionContext) -> String {
        switch context {
        case .scalar(let relation, let type):
            let value = type.map { "(\(expression))::\($0)" } ?? "(\(expression))"
            return "EXPLAIN (VERBOSE, COSTS OFF, FORMAT JSON) SELECT \(value) FROM ONLY \(relation.qualified.quotedSQL) AS steward_probe"
        case .query:
            return "EXPLAIN (VERBOSE, COSTS OFF, FORMAT JSON) \(expression)"
        }
    }

    /// The plan's text (for a query) or its one output expression; nil when PostgreSQL rejects it.
    private static func explain(_ probe: String, scalar: Bool, _ connection: PostgresConnection) throws(LiveError) -> String? {
        try connection.query("SAVEPOINT steward_probe")
        let plan: String?
        do {
            plan = try connection.query(probe).rows.first?.first ?? nil
        } catch where error.kind == .query {
            try connection.query("ROLLBACK TO SAVEPOINT steward_probe")
            return nil
        }
        try connection.query("RELEASE SAVEPOINT steward_probe")
        guard let plan, let data = plan.data(using: .utf8),
              let document = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]],
              let root = document.first?["Plan"] as? [String: Any] else { return plan }
        if scalar, let output = root["Output"] as? [String], output.count == 1 { return output[0] }
        return plan
    }

}
