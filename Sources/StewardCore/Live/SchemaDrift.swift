import StewardSQL

/// One difference between the replayed model and a database.
public struct Drift: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable {
        /// The migrations create it; the database does not have it.
        case missing
        /// The database has it; no migration creates it.
        case extra
        /// Both have it, not the same.
        case differs
    }

    public var kind: Kind
    public var factKind: SchemaFact.Kind
    public var object: String
    public var relation: ObjectName
    /// The owning service, from the model or else from the manifest (nil: no service claims it).
    public var service: String?
    /// As the migrations leave it.
    public var expected: String?
    /// As the database has it.
    public var actual: String?
    /// Where a migration created it.
    public var origin: Origin?
}

public enum SchemaDrift {
    /// The differences between the model's facts and the database's, sorted by service and
    /// object. A missing or extra table, view, sequence, type or schema stands for its own
    /// columns, keys, indexes, privileges… (they are not listed again).
    public static func compare(model: [SchemaFact], live: [SchemaFact], owner: (ObjectName) -> String?) -> [Drift] {
        let modelByKey = Dictionary(model.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let liveByKey = Dictionary(live.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var drifts: [Drift] = []
        for (key, fact) in modelByKey {
            switch liveByKey[key] {
            case nil:
                drifts.append(Drift(kind: .missing, factKind: key.kind, object: key.object, relation: fact.relation,
                                    expected: fact.value.text, origin: fact.origin))
            case let liveFact? where liveFact.value != fact.value:
                drifts.append(Drift(kind: .differs, factKind: key.kind, object: key.object, relation: fact.relation,
                                    expected: fact.value.text, actual: liveFact.value.text, origin: fact.origin))
            default:
                break
            }
        }
        for (key, fact) in liveByKey where modelByKey[key] == nil {
            drifts.append(Drift(kind: .extra, factKind: key.kind, object: key.object, relation: fact.relation, actual: fact.value.text))
        }
        drifts = folded(drifts)
        drifts = runtimePartitionsFolded(drifts, model: modelByKey, live: liveByKey)
        for index in drifts.indices { drifts[index].service = owner(drifts[index].relation) }
        return drifts.sorted { ($0.service ?? "~", $0.relation, $0.factKind, $0.object) < ($1.service ?? "~", $1.relation, $1.factKind, $1.object) }
    }

    /// Kinds whose absence implies the absence of everything they hold.
    private static let containers: Set<SchemaFact.Kind> = [.table, .view, .sequence, .type]

    private static func folded(_ drifts: [Drift]) -> [Drift] {
        var wholeRelations = Set<String>(), wholeSchemas = Set<String>()
        for drift in drifts where drift.kind != .differs {
            if containers.contains(drift.factKind) { wholeRelations.insert("\(drift.kind) \(drift.relation)") }
            if drift.factKind == .schema { wholeSchemas.insert("\(drift.kind) \(drift.object)") }
        }
        return drifts.filter { drift in
            guard drift.kind != .differs else { return true }
            if drift.factKind != .schema, wholeSchemas.contains("\(drift.kind) \(drift.relation.schema ?? "public")") { return false }
            if !containers.contains(drift.factKind), drift.factKind != .schema, wholeRelations.contains("\(drift.kind) \(drift.relation)") { return false }
            return true
        }
    }

    /// Partitions that no migration creates, of a partitioned table a migration does create:
    /// made at run time (pg_partman, a scheduled job, a function the migrations call). One line
    /// per partitioned table says how many, instead of one per partition.
    private static func runtimePartitionsFolded(_ drifts: [Drift], model: [FactKey: SchemaFact], live: [FactKey: SchemaFact]) -> [Drift] {
        var partitions: [ObjectName: [String]] = [:]
        let kept = drifts.filter { drift in
            guard drift.kind == .extra, drift.factKind == .table else { return true }
            // Up the chain of partitions (a run-time partition may be partitioned itself) to the
            // first partitioned table a migration creates.
            var parent = live[FactKey(kind: .table, object: drift.object)]?.partitionOf
            var depth = 0
            while let current = parent, model[FactKey(kind: .table, object: current.description)] == nil, depth < 16 {
                parent = live[FactKey(kind: .table, object: current.description)]?.partitionOf
                depth += 1
            }
            guard let parent, model[FactKey(kind: .table, object: parent.description)] != nil else { return true }
            partitions[parent, default: []].append(drift.relation.name)
            return false
        }
        guard !partitions.isEmpty else { return drifts }
        let summaries = partitions.map { parent, names in
            let sorted = names.sorted()
            let listed = sorted.prefix(5).joined(separator: ", ") + (sorted.count > 5 ? ", …" : "")
            return Drift(kind: .extra, factKind: .runtimePartitions, object: parent.description, relation: parent,
                         actual: "\(sorted.count) no migration creates (made at run time?): \(listed)",
                         origin: model[FactKey(kind: .table, object: parent.description)]?.origin)
        }
        return kept + summaries
    }

    /// The service answerable for `relation`: the model's owner of the table, view, type or
    /// sequence, else the manifest's (tables created by hand live are claimed by its patterns).
    public static func owner(of relation: ObjectName, in model: SchemaModel, manifest: OwnershipManifest?) -> String? {
        if let owner = model.tables[relation]?.owner ?? model.views[relation]?.owner ?? model.types[relation]?.owner {
            return owner.service
        }
        if let table = model.sequences[relation]?.ownedBy, let owner = model.tables[table]?.owner { return owner.service }
        return manifest?.owner(of: relation)?.service
    }
}
