import StewardSQL

/// A model's facts, and those it cannot state: a view query or CHECK / index expression that
/// reads a column or relation renamed later keeps the text it was written with, where
/// PostgreSQL tracks the object itself. The database's side of those is not compared.
public struct ModelFacts: Sendable {
    public var facts: [SchemaFact]
    public var skipped: Set<FactKey>

    public init(facts: [SchemaFact], skipped: Set<FactKey> = []) {
        self.facts = facts
        self.skipped = skipped
    }
}

/// The facts of a replayed model, in the same form `CatalogReader` reads from PostgreSQL.
///
/// Compared: schemas; tables and their kind; columns (`format_type`, nullability, identity),
/// defaults and generated expressions; primary keys, unique, check and foreign-key constraints
/// (with their actions); indexes (method, uniqueness, keys, predicate); views, what they read and
/// their queries; sequences and the column that owns them; enum, domain and composite types;
/// functions and procedures (signature, language, volatility, result); triggers; comments; privileges on relations. `notCompared` lists the rest.
public enum SchemaFacts {
    public static let notCompared = [
        "privileges on columns, schemas and functions, and those granted to CURRENT_USER / SESSION_USER",
        "index INCLUDE columns, operator classes, collations and ordering; indexes that partitions inherit from a partitioned index",
        "view queries and CHECK or index expressions that read a column or relation renamed later (the model keeps the text they were written with)",
        "function and procedure bodies, argument names and defaults (compared: name, argument types, kind, language, volatility, result); domain constraints and defaults; column order",
    ]

    /// `sources`: the files' text, to print view queries from their defining statements.
    public static func of(_ model: SchemaModel, sources: SourceFiles) -> ModelFacts {
        var facts: [SchemaFact] = []
        var skipped = Set<FactKey>()
        for (schema, origin) in model.schemas {
            facts.append(SchemaFact(.schema, schema, relation: ObjectName(schema: schema, name: schema), "schema", origin: origin))
        }
        for table in model.tables.values { tableFacts(table, into: &facts, skipped: &skipped) }
        for index in model.indexes.values where index.constraint == nil {
            guard !index.expressionPredatesRename else {
                skipped.insert(FactKey(kind: .index, object: index.name.qualified.description))
                continue
            }
            facts.append(SchemaFact(.index, index.name.qualified.description, relation: index.table.qualified,
                                    value: indexValue(index), origin: index.origin))
        }
        for view in model.views.values { viewFacts(view, sources: sources, into: &facts, skipped: &skipped) }
        for sequence in model.sequences.values {
            let owner = sequence.ownedBy.map { owner in " owned by \(owner.qualified)" + (sequence.ownedByColumn.map { ".\($0)" } ?? "") } ?? ""
            let name = sequence.name.qualified
            facts.append(SchemaFact(.sequence, name.description, relation: name, "sequence" + owner, origin: sequence.origin))
            privilegeFacts(sequence.privileges, of: name, origin: sequence.origin, into: &facts)
        }
        for type in model.types.values {
            let name = type.name.qualified
            let text: String
            switch type.kind {
            case .enumeration: text = "enum (\(type.values.joined(separator: ", ")))"
            case .domain: text = "domain over \(type.domainOf ?? "")"
            case .composite: text = "composite (\(type.attributes.map { "\($0.name) \($0.type)" }.joined(separator: ", ")))"
            }
            facts.append(SchemaFact(.type, name.description, relation: name, text, origin: type.origin))
        }
        for function in model.functions.values {
            let name = function.name.qualified
            facts.append(SchemaFact(.function, "\(name)(\(function.argumentTypes.joined(separator: ", ")))", relation: name,
                                    functionText(isProcedure: function.isProcedure, language: function.language ?? "sql",
                                                 volatility: function.volatility.rawValue) + " returns \(function.returnType ?? "-")",
                                    origin: function.origin))
        }
        return ModelFacts(facts: facts, skipped: skipped)
    }

    private static func tableFacts(_ table: Table, into facts: inout [SchemaFact], skipped: inout Set<FactKey>) {
        let name = table.name.qualified, key = name.description
        let kind = table.isPartitioned ? "partitioned table" : table.isUnlogged ? "unlogged table" : "table"
        var tableFact = SchemaFact(.table, key, relation: name, kind, origin: table.origin)
        tableFact.partitionOf = table.partitionOf?.qualified
        facts.append(tableFact)
        if let comment = table.comment {
            facts.append(SchemaFact(.comment, "table \(key)", relation: name, comment, origin: table.commentOrigin ?? table.origin))
        }
        privilegeFacts(table.privileges, of: name, origin: table.origin, into: &facts)
        for column in table.columns {
            let object = "\(key).\(column.name)"
            var text = column.type + (column.notNull ? " not null" : "")
            if let identity = column.identity { text += " generated \(identity) as identity" }
            facts.append(SchemaFact(.column, object, relation: name, text, origin: column.typeOrigin ?? column.origin))
            if let expression = column.defaultExpression, column.generated == nil {
                facts.append(SchemaFact(.columnDefault, object, relation: name,
                                        value: FactValue([.expression(expression, .scalar(relation: name, castTo: column.type), normalized: nil)]),
                                        origin: column.origin))
            }
            if let expression = column.generated {
                facts.append(SchemaFact(.generated, object, relation: name,
                                        value: FactValue([.expression(expression, .scalar(relation: name, castTo: column.type), normalized: nil)]),
                                        origin: column.origin))
            }
            if let comment = column.comment {
                facts.append(SchemaFact(.comment, "column \(object)", relation: name, comment, origin: column.origin))
            }
        }
        for constraint in table.constraints {
            let object = "\(key) \(constraint.name)"
            let columns = constraint.columns.joined(separator: ", ")
            switch constraint.kind {
            case .primaryKey, .unique:
                facts.append(SchemaFact(.key, object, relation: name, "\(constraint.kind.rawValue) (\(columns))", origin: constraint.origin))
            case .foreignKey where !constraint.inherited:
                guard let target = constraint.references else { continue }
                facts.append(SchemaFact(.foreignKey, object, relation: name,
                                        foreignKeyText(columns: constraint.columns, target: target, validated: constraint.validated),
                                        origin: constraint.referencesOrigin ?? constraint.origin))
            case .check where !constraint.inherited && constraint.expressionPredatesRename:
                skipped.insert(FactKey(kind: .check, object: object))
            case .check where !constraint.inherited:
                guard let expression = constraint.expression else { continue }
                facts.append(SchemaFact(.check, object, relation: name, value: FactValue([
                    .expression(expression, .scalar(relation: name, castTo: nil), normalized: nil),
                    .text(constraint.validated ? "" : " not valid"),
                ]), origin: constraint.origin))
            default:
                break
            }
        }
        for trigger in table.triggers {
            facts.append(SchemaFact(.trigger, "\(key) \(trigger.name)", relation: name,
                                    "executes \(trigger.function.qualified)", origin: trigger.origin))
        }
    }

    /// `function language plpgsql stable` (a procedure has no volatility).
    public static func functionText(isProcedure: Bool, language: String, volatility: String) -> String {
        isProcedure ? "procedure language \(language.lowercased())" : "function language \(language.lowercased()) \(volatility)"
    }

    /// `(a, b) references public.t (x, y) on delete cascade`; the default actions (NO ACTION) are left out.
    public static func foreignKeyText(columns: [String], target: ForeignKeyTarget, validated: Bool) -> String {
        var text = "(\(columns.joined(separator: ", "))) references \(target.table.qualified)"
            + " (\(target.columns.joined(separator: ", ")))"
        if target.onDelete != .noAction { text += " on delete \(target.onDelete.rawValue.lowercased())" }
        if target.onUpdate != .noAction { text += " on update \(target.onUpdate.rawValue.lowercased())" }
        return text + (validated ? "" : " not valid")
    }

    private static func indexValue(_ index: Index) -> FactValue {
        let table = index.table.qualified
        var parts: [FactValue.Part] = [.text("on \(table) using \(index.method)\(index.unique ? " unique" : "") (")]
        for (position, key) in index.keys.enumerated() {
            if position > 0 { parts.append(.text(", ")) }
            if let column = key.column {
                parts.append(.text(column))
            } else {
                parts.append(.expression(key.expression ?? "", .scalar(relation: table, castTo: nil), normalized: nil))
            }
        }
        parts.append(.text(")"))
        if let predicate = index.predicate {
            parts.append(.text(" where "))
            parts.append(.expression(predicate, .scalar(relation: table, castTo: nil), normalized: nil))
        }
        return FactValue(parts)
    }

    private static func viewFacts(_ view: View, sources: SourceFiles, into facts: inout [SchemaFact], skipped: inout Set<FactKey>) {
        let name = view.name.qualified, key = name.description
        let reads = Set(view.reads.map { $0.qualified.description }).sorted().joined(separator: ", ")
        facts.append(SchemaFact(.view, key, relation: name, "\(view.materialized ? "materialized view" : "view") reads \(reads)", origin: view.origin))
        if !view.queryPredatesRename, let query = query(of: view, sources: sources) {
            facts.append(SchemaFact(.viewQuery, key, relation: name, value: FactValue([.expression(query, .query, normalized: nil)]), origin: view.origin))
        } else {
            skipped.insert(FactKey(kind: .viewQuery, object: key))
        }
        if let comment = view.comment { facts.append(SchemaFact(.comment, "view \(key)", relation: name, comment, origin: view.origin)) }
        privilegeFacts(view.privileges, of: name, origin: view.origin, into: &facts)
    }

    /// A view's query, deparsed from its defining statement.
    public static func query(of view: View, sources: SourceFiles) -> String? {
        switch view.definition {
        case .inFile(let start, let end)?:
            guard let source = sources[view.origin.path], end <= source.bytes.count else { return nil }
            return SQLParser.viewQuery(inStatement: source.text(start..<end))
        case .text(let statement)?:
            return SQLParser.viewQuery(inStatement: statement)
        case nil:
            return nil
        }
    }

    private static func privilegeFacts(_ grants: PrivilegeGrants, of relation: ObjectName, origin: Origin, into facts: inout [SchemaFact]) {
        for entry in grants.entries {
            facts.append(SchemaFact(.privilege, "\(relation) to \(entry.grantee)", relation: relation,
                                    entry.privileges.names.joined(separator: ", "), origin: origin))
        }
    }
}
