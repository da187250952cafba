import StewardSQL

extension RuleContext {
    /// The migrations under review: those added or changed since the base (`--since`), else all.
    public func isUnderReview(_ path: String) -> Bool {
        guard let history = settings.history else { return true }
        return history.pending.contains(path)
    }

    /// The services whose consent the migrations under review need, in the order their first
    /// reason appears: owners of what they create, alter or drop; owners of private tables that
    /// gain a dependent of another service; and, for a breaking change, the services that depend
    /// on the object (when `review.dependents_must_approve`).
    public func touchedServices() -> [TouchedService] {
        guard let manifest else { return [] }
        var touched: [String: TouchedService] = [:]
        func touch(_ service: String?, _ reason: TouchedService.Reason, at location: FileLocation) {
            guard let service else { return }
            if var entry = touched[service] {
                if !entry.reasons.contains(reason) { entry.reasons.append(reason) }
                if location < entry.location { entry.location = location }
                touched[service] = entry
            } else {
                touched[service] = TouchedService(service: service, reasons: [reason], location: location)
            }
        }
        for table in model.tables.values where isUnderReview(table.origin.path) && table.partitionOf == nil {
            touch(table.owner?.service, .owns("creates table \(table.name.display)"), at: table.origin.fileLocation)
        }
        for view in model.views.values where isUnderReview(view.origin.path) {
            touch(view.owner?.service, .owns("creates view \(view.name.display)"), at: view.origin.fileLocation)
        }
        for change in model.changes where isUnderReview(change.location.path) {
            let object = change.table ?? change.object
            if case .setting = change.kind { continue }
            // A change to an object created in the same review is part of creating it.
            if let createdIn = change.createdIn, isUnderReview(createdIn) { continue }
            touch(owner(of: object), .owns("\(change.kind.verb) \(object.display)"), at: change.location)
            guard manifest.review.dependentsMustApprove, change.kind.isBreaking else { continue }
            let owner = owner(of: change.object)
            for other in otherServices(dependingOn: change) {
                touch(other.service, .dependsOnBrokenObject("\(change.kind.verb) \(change.object.display), which it depends on"), at: change.location)
            }
            for broken in queriesBroken(by: change, owner: owner) {
                touch(broken.service, .dependsOnBrokenObject("\(change.kind.verb) \(change.object.display), which its queries use"), at: change.location)
            }
        }
        for dependency in serviceDependencies
        where isUnderReview(dependency.location.path) && !dependency.targetIsPublic && dependency.allowance == nil
            && ![.queryRead, .queryWrite].contains(dependency.kind) {
            touch(dependency.to, .newDependent("\(dependency.dependent) of `\(dependency.from)` depends on private \(dependency.target)"),
                  at: dependency.location)
        }
        for (service, reason, line) in manifestChanges(manifest) {
            touch(service, .owns(reason), at: FileLocation(path: manifest.path, line: line, column: 1))
        }
        return touched.values.sorted { ($0.location, $0.service) < ($1.location, $1.service) }
    }

    /// What a pull request's edit of ownership.yml does to each service: its own entry changed,
    /// a table moving to or from it, a new `boundaries.allow` onto it (its consent). Nothing when
    /// the manifest did not change or its base version does not parse.
    func manifestChanges(_ manifest: OwnershipManifest) -> [(service: String, reason: String, line: Int)] {
        guard let history = settings.history, history.manifestChanged, let text = history.baseManifest,
              let base = try? ManifestLoader.parse(text, path: manifest.path) else { return [] }
        var changes: [(service: String, reason: String, line: Int)] = []
        func summary(_ service: Service) -> [[String]] {
            [service.owners, service.tables.map(\.text), service.publicTables.map(\.text), service.schemas, service.roles,
             service.cachePrefixes.map(\.text), service.queries.map(\.path.text)]
        }
        for service in manifest.services {
            guard let before = base.service(named: service.name) else {
                changes.append((service.name, "adds service `\(service.name)` to ownership.yml", service.line))
                continue
            }
            if summary(before) != summary(service) { changes.append((service.name, "changes its entry in ownership.yml", service.line)) }
        }
        for service in base.services where manifest.service(named: service.name) == nil {
            changes.append((service.name, "removes service `\(service.name)` from ownership.yml", 1))
        }
        for name in model.tables.keys.sorted() {
            let before = base.owner(of: name)?.service, after = manifest.owner(of: name)?.service
            guard before != after else { continue }
            let line = after.flatMap { manifest.service(named: $0)?.line } ?? 1
            if let before { changes.append((before, "moves table \(name.display) to \(after.map { "`\($0)`" } ?? "no service") in ownership.yml", line)) }
            if let after { changes.append((after, "takes table \(name.display) from \(before.map { "`\($0)`" } ?? "no service") in ownership.yml", line)) }
        }
        let existing = Set(base.allowances.map { "\($0.from)\u{1F}\($0.to)\u{1F}\($0.objects.map(\.text))" })
        for allowance in manifest.allowances where !existing.contains("\(allowance.from)\u{1F}\(allowance.to)\u{1F}\(allowance.objects.map(\.text))") {
            changes.append((allowance.to, "allows `\(allowance.from)` to depend on it (boundaries.allow in ownership.yml)", allowance.line))
        }
        return changes
    }
}

extension SchemaChange.Kind {
    /// What the statement does, for a reviewer: `drops column x of`, `renames`.
    var verb: String {
        switch self {
        case .dropTable: "drops table"
        case .dropColumn(let column, _): "drops column \(column) of"
        case .dropSchema: "drops schema"
        case .dropView: "drops view"
        case .dropFunction: "drops function"
        case .dropIndex: "drops an index of"
        case .renameTable(let to): "renames to \(to.display)"
        case .renameColumn(let from, let to): "renames column \(from) to \(to) of"
        case .renameEnumValue(let from, let to): "renames value \(from) to \(to) of"
        case .changeColumnType(let column, _, let to, _): "changes the type of \(column) to \(to) in"
        case .addColumn(let column, _, _, _, _, _): "adds column \(column) to"
        case .setNotNull(let column, _): "sets \(column) NOT NULL in"
        case .dropDefault(let column): "drops the default of \(column) in"
        case .changePrimaryKey: "changes the primary key of"
        case .addConstraint(let name, _, _, _, _, _): "adds constraint \(name) to"
        case .createIndex(let name, _, _): "creates index \(name) on"
        case .tableOperation(let operation, _): "runs \(operation) on"
        case .rewrite(let what): "sets \(what) on"
        case .setting: "sets"
        }
    }

    /// Changes that break what other services read or write (the `breaking` rules' kinds).
    var isBreaking: Bool {
        switch self {
        case .dropTable, .dropColumn, .dropSchema, .dropView, .dropFunction, .renameTable, .renameColumn, .renameEnumValue,
             .changeColumnType, .setNotNull, .dropDefault, .changePrimaryKey: true
        case .addColumn(_, let notNull, let hasDefault, _, _, _): notNull && !hasDefault
        default: false
        }
    }
}
