import Foundation
import StewardCore
import StewardSQL

/// `steward model`: the replayed schema grouped by owning service, and what was not modelled.
public struct ModelReporter: Sendable {
    public var terminal: Terminal

    public init(terminal: Terminal) { self.terminal = terminal }

    // MARK: Text

    public func renderText(_ analysis: Analysis) -> String {
        let model = analysis.model
        var output = ""
        var groups: [(title: String, tables: [Table])] = []
        if let manifest = analysis.manifest {
            for service in manifest.services {
                let tables = model.sortedTables.filter { $0.owner?.service == service.name }
                let owners = service.owners.joined(separator: ", ")
                groups.append(("service \(service.name)" + (owners.isEmpty ? "" : " (\(owners))"), tables))
            }
            groups.append(("unowned", model.sortedTables.filter { $0.owner == nil && $0.managedBy == nil }))
            groups.append(("migration tool", model.sortedTables.filter { $0.managedBy != nil }))
        } else {
            groups.append(("all tables (no ownership manifest)", model.sortedTables))
        }
        for group in groups where !group.tables.isEmpty || group.title.hasPrefix("service ") {
            output += terminal.paint(group.title, .bold) + " — \(group.tables.count) table\(group.tables.count == 1 ? "" : "s")\n"
            for table in group.tables { output += renderTable(table, model: model) }
            output += "\n"
        }
        output += renderOtherObjects(model)
        output += renderGaps(analysis)
        return output
    }

    private func renderTable(_ table: Table, model: SchemaModel) -> String {
        var text = "  " + terminal.paint("table \(table.name)", .boldCyan)
        if let parent = table.partitionOf { text += " partition of \(parent)" }
        if table.isPartitioned { text += " (partitioned)" }
        text += terminal.paint("  \(table.origin.path):\(table.origin.line)", .dim) + "\n"
        let width = table.columns.map(\.name.count).max() ?? 0
        let typeWidth = table.columns.map(\.type.count).max() ?? 0
        for column in table.columns {
            var line = "    " + column.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                + column.type.padding(toLength: typeWidth, withPad: " ", startingAt: 0)
            line += column.notNull ? "  not null" : "          "
            if let identity = column.identity { line += "  generated \(identity) as identity" }
            if let generated = column.generated { line += "  generated always as (\(generated)) stored" }
            if let value = column.defaultExpression { line += "  default \(value)" }
            text += line.trimmingTrailingSpaces() + "\n"
        }
        for constraint in table.constraints where !constraint.inherited {
            var line = "    " + terminal.paint(constraint.kind.rawValue, .dim) + " \(constraint.name)"
            if !constraint.columns.isEmpty { line += " (\(constraint.columns.joined(separator: ", ")))" }
            if let target = constraint.references {
                let targetOwner = model.tables[target.table]?.owner?.service
                line += " → \(target.table)(\(target.columns.joined(separator: ", ")))"
                if let targetOwner, targetOwner != table.owner?.service { line += terminal.paint(" [\(targetOwner)]", .magenta) }
                if target.onDelete != .noAction { line += " on delete \(target.onDelete.rawValue.lowercased())" }
            }
            if let expression = constraint.expression, constraint.kind == .check { line += " \(expression)" }
            if !constraint.validated { line += " not valid" }
            text += line + "\n"
        }
        for index in model.indexes.values.filter({ $0.table == table.name && $0.constraint == nil }).sorted(by: { $0.name < $1.name }) {
            var line = "    " + terminal.paint(index.unique ? "unique index" : "index", .dim) + " \(index.name.name) (\(index.keys.map(\.text).joined(separator: ", ")))"
            if index.method != "btree" { line += " using \(index.method)" }
            if let predicate = index.predicate { line += " where \(predicate)" }
            text += line + "\n"
        }
        for trigger in table.triggers { text += "    " + terminal.paint("trigger", .dim) + " \(trigger.name) → \(trigger.function)()\n" }
        return text
    }

    private func renderOtherObjects(_ model: SchemaModel) -> String {
        var text = ""
        let views = model.views.values.sorted { $0.name < $1.name }
        if !views.isEmpty {
            text += terminal.paint("views", .bold) + "\n"
            for view in views {
                text += "  \(view.materialized ? "materialized view" : "view") \(view.name) [\(view.owner?.service ?? "unowned")] reads \(view.reads.map(\.description).joined(separator: ", "))\n"
            }
            text += "\n"
        }
        let types = model.types.values.sorted { $0.name < $1.name }
        if !types.isEmpty {
            text += terminal.paint("types", .bold) + "\n"
            for type in types {
                let body: String
                switch type.kind {
                case .enumeration: body = "enum (\(type.values.joined(separator: ", ")))"
                case .domain: body = "domain over \(type.domainOf ?? "")"
                case .composite: body = "composite (\(type.attributes.map { "\($0.name) \($0.type)" }.joined(separator: ", ")))"
                }
                text += "  \(type.name) \(body) [\(ownerLabel(type.owner))]\n"
            }
            text += "\n"
        }
        let functions = model.functions.values.sorted { $0.signature < $1.signature }
        if !functions.isEmpty {
            text += terminal.paint("functions", .bold) + "\n"
            for function in functions {
                text += "  \(function.isProcedure ? "procedure" : "function") \(function.signature) [\(ownerLabel(function.owner))]\n"
            }
            text += "\n"
        }
        if !model.grants.isEmpty {
            text += terminal.paint("grants", .bold) + "\n"
            for grant in model.grants {
                let objects = grant.objects.map(\.description).joined(separator: ", ")
                let target = grant.allInSchema ? "all \(grant.objectKind)s in schema \(objects)" : "\(grant.objectKind) \(objects)"
                text += "  \(grant.isGrant ? "grant" : "revoke") \(grant.privileges.joined(separator: ", ")) on \(target) \(grant.isGrant ? "to" : "from") \(grant.grantees.joined(separator: ", "))\n"
            }
            text += "\n"
        }
        return text
    }

    /// Types and functions are rarely listed in the manifest: say when the owner was inferred.
    private func ownerLabel(_ owner: Ownership?) -> String {
        owner.map { $0.service + ($0.basis == .inferred ? ", inferred" : "") } ?? "shared"
    }

    private func renderGaps(_ analysis: Analysis) -> String {
        let model = analysis.model
        var text = terminal.paint("not modelled", .bold) + ": \(model.unmodelled.count) of \(model.statementCount) statements"
        let counts = Dictionary(grouping: model.unmodelled, by: \.kind).map { ($0.key, $0.value.count) }.sorted { ($1.1, $0.0) < ($0.1, $1.0) }
        if !counts.isEmpty { text += " (" + counts.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + ")" }
        text += "\n"
        for gap in model.gaps { text += "  gap: \(gap.path): \(gap.reason)\n" }
        if !model.issues.isEmpty {
            text += terminal.paint("replay issues", .bold) + ": \(model.issues.count) (the model may be incomplete)\n"
            for issue in model.issues.prefix(20) { text += "  \(issue.origin.path):\(issue.origin.line): \(issue.message)\n" }
            if model.issues.count > 20 { text += "  … and \(model.issues.count - 20) more (see --format json)\n" }
        }
        return text
    }

    // MARK: JSON

    struct ModelDocument: Encodable {
        var formatVersion = JSONReporter.formatVersion
        var directory: String
        var layout: String
        var statements: Int
        var tables: [TableRecord]
        var views: [ViewRecord]
        var types: [TypeRecord]
        var functions: [FunctionRecord]
        var sequences: [SequenceRecord]
        var indexes: [IndexRecord]
        var unmodelled: Unmodelled
        var issues: [ReplayIssue]
        var gaps: [MigrationGap]
    }

    struct TableRecord: Encodable {
        var schema: String
        var name: String
        var owner: String?
        var ownerBasis: String?
        var partitionOf: String?
        var isPartitioned: Bool
        var managedBy: String?
        var comment: String?
        var columns: [Column]
        var constraints: [ConstraintRecord]
        var triggers: [TriggerRecord]
        var privileges: [String: [String]]
        var origin: Origin
    }

    struct ConstraintRecord: Encodable {
        var name: String
        var kind: String
        var columns: [String]
        var references: ReferenceRecord?
        var expression: String?
        var expressionPredatesRename: Bool
        var validated: Bool
        var inherited: Bool
        var origin: Origin
    }

    struct ReferenceRecord: Encodable {
        var schema: String
        var table: String
        var columns: [String]
        var onDelete: String
        var onUpdate: String
    }

    struct TriggerRecord: Encodable {
        var name: String
        var function: String
    }

    struct SequenceRecord: Encodable {
        var schema: String
        var name: String
        var ownedBy: String?
        var privileges: [String: [String]]
    }

    struct IndexRecord: Encodable {
        var schema: String
        var name: String
        var table: String
        var keys: [IndexKey]
        var unique: Bool
        var method: String
        var predicate: String?
        var constraint: String?
        var expressionPredatesRename: Bool
    }

    struct ViewRecord: Encodable {
        var schema: String
        var name: String
        var materialized: Bool
        var owner: String?
        var reads: [String]
        var query: String?
        var queryPredatesRename: Bool
        var comment: String?
        var privileges: [String: [String]]
    }

    struct TypeRecord: Encodable {
        var schema: String
        var name: String
        var kind: String
        var values: [String]
        var domainOf: String?
        var attributes: [TypeAttribute]
        var owner: String?
    }

    struct FunctionRecord: Encodable {
        var signature: String
        var language: String?
        var owner: String?
    }

    struct Unmodelled: Encodable {
        var count: Int
        var byKind: [String: Int]
        var statements: [UnmodelledStatement]
    }

    public func renderJSON(_ analysis: Analysis) -> String {
        let model = analysis.model
        let document = ModelDocument(
            directory: analysis.migrations.directory,
            layout: analysis.migrations.layout.rawValue,
            statements: model.statementCount,
            tables: model.sortedTables.map { table in
                TableRecord(
                    schema: table.name.schema ?? "public", name: table.name.name, owner: table.owner?.service,
                    ownerBasis: table.owner?.basis.rawValue, partitionOf: table.partitionOf?.description,
                    isPartitioned: table.isPartitioned, managedBy: table.managedBy, comment: table.comment, columns: table.columns,
                    constraints: table.constraints.map { constraint in
                        ConstraintRecord(
                            name: constraint.name, kind: constraint.kind.rawValue, columns: constraint.columns,
                            references: constraint.references.map {
                                ReferenceRecord(schema: $0.table.schema ?? "public", table: $0.table.name, columns: $0.columns,
                                                onDelete: $0.onDelete.rawValue, onUpdate: $0.onUpdate.rawValue)
                            },
                            expression: constraint.expression, expressionPredatesRename: constraint.expressionPredatesRename,
                            validated: constraint.validated, inherited: constraint.inherited,
                            origin: constraint.origin)
                    },
                    triggers: table.triggers.map { TriggerRecord(name: $0.name, function: $0.function.description) },
                    privileges: table.privileges.byGrantee,
                    origin: table.origin)
            },
            views: model.views.values.sorted { $0.name < $1.name }.map {
                ViewRecord(schema: $0.name.schema ?? "public", name: $0.name.name, materialized: $0.materialized,
                           owner: $0.owner?.service, reads: $0.reads.map(\.description), query: SchemaFacts.query(of: $0, sources: analysis.sources),
                           queryPredatesRename: $0.queryPredatesRename, comment: $0.comment, privileges: $0.privileges.byGrantee)
            },
            types: model.types.values.sorted { $0.name < $1.name }.map {
                TypeRecord(schema: $0.name.schema ?? "public", name: $0.name.name, kind: $0.kind.rawValue, values: $0.values,
                           domainOf: $0.domainOf, attributes: $0.attributes, owner: $0.owner?.service)
            },
            functions: model.functions.values.sorted { $0.signature < $1.signature }.map {
                FunctionRecord(signature: $0.signature, language: $0.language, owner: $0.owner?.service)
            },
            sequences: model.sequences.values.sorted { $0.name < $1.name }.map {
                SequenceRecord(schema: $0.name.schema ?? "public", name: $0.name.name, ownedBy: $0.ownedBy?.description,
                               privileges: $0.privileges.byGrantee)
            },
            indexes: model.indexes.values.sorted { $0.name < $1.name }.map {
                IndexRecord(schema: $0.name.schema ?? "public", name: $0.name.name, table: $0.table.description, keys: $0.keys,
                            unique: $0.unique, method: $0.method, predicate: $0.predicate, constraint: $0.constraint,
                            expressionPredatesRename: $0.expressionPredatesRename)
            },
            unmodelled: Unmodelled(count: model.unmodelled.count,
                                   byKind: Dictionary(grouping: model.unmodelled, by: \.kind).mapValues(\.count),
                                   statements: model.unmodelled),
            issues: model.issues,
            gaps: model.gaps)
        return JSONOutput.encode(document)
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.hasSuffix(" ") { copy.removeLast() }
        return copy
    }
}
