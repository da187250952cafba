import Foundation
import StewardSQL
import Yams
#if canImport(Glibc)
import Glibc
#endif

/// Several input problems found at once (e.g. every mistake in a manifest), so the user
/// can fix them in one go.
public struct InputErrors: Error, Sendable {
    public var errors: [InputError]
}

/// Reads and validates `ownership.yml`. Every error names the file, line, column and key.
public enum ManifestLoader {
    public static let fileName = "ownership.yml"

    public static func load(path: String) throws(InputErrors) -> OwnershipManifest {
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            throw InputErrors(errors: [InputError(path: path, message: "the manifest is not a regular file")])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read the manifest (permission denied or a directory)" : "no such manifest file"
            throw InputErrors(errors: [InputError(path: path, message: reason)])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputErrors(errors: [InputError(path: path, line: 1, message: "the manifest is not valid UTF-8")])
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws(InputErrors) -> OwnershipManifest {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw InputErrors(errors: [yamlError(error, path: path)])
        } catch {
            throw InputErrors(errors: [InputError(path: path, message: "invalid YAML: \(error)")])
        }
        var reader = Reader(path: path)
        let manifest = reader.manifest(root, source: SourceText(text))
        if !reader.errors.isEmpty { throw InputErrors(errors: reader.errors) }
        return manifest
    }

    /// Walks the manifest, appending an error for each problem instead of stopping at the first.
    private struct Reader {
        let path: String
        var errors: [InputError] = []

        mutating func fail(_ node: Node?, _ message: String) {
            errors.append(InputError(path: path, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, message: message))
        }

        mutating func manifest(_ root: Node?, source: SourceText) -> OwnershipManifest {
            guard let root, case .mapping(let mapping) = root else {
                fail(root, "the manifest must be a mapping with `version: 1` and `services:`")
                return OwnershipManifest(path: path, services: [], source: source)
            }
            var sawVersion = false
            var services: [Service] = [], teams: [String: Team] = [:], allowances: [BoundaryAllowance] = []
            var rules: [String: RuleSetting] = [:]
            var prefixPattern: ManifestString?
            var review: ReviewPolicy?
            for (key, value) in mapping {
                switch key.string ?? "" {
                case "version":
                    sawVersion = true
                    if value.int != 1 { fail(value, "unsupported manifest version `\(value.string ?? "?")`; this Steward reads `version: 1`") }
                case "services": services = self.services(value)
                case "teams": teams = self.teams(value)
                case "boundaries": allowances = boundaries(value)
                case "rules": rules = self.rules(value)
                case "cache": prefixPattern = cacheConvention(value)
                case "review": review = reviewPolicy(value)
                default: unknownKey(key, at: "top level", allowed: ["version", "services", "teams", "boundaries", "rules", "cache", "review"])
                }
            }
            if !sawVersion { fail(root, "missing `version: 1`") }
            var manifest = OwnershipManifest(path: path, services: services, teams: teams, allowances: allowances, source: source)
            manifest.rules = rules
            if let prefixPattern { manifest.cachePrefixPattern = prefixPattern }
            if let review {
                manifest.review = review
                for (service, line) in review.serviceLines where manifest.service(named: service) == nil {
                    errors.append(InputError(path: path, line: line, column: 1, message: "review.services names unknown service `\(service)`"))
                }
            }
            for (name, setting) in rules {
                for service in setting.services.keys where manifest.service(named: service) == nil {
                    errors.append(InputError(path: path, line: setting.line, column: 1,
                                             message: "rules.\(name).services names unknown service `\(service)`"))
                }
            }
            validateClaims(manifest)
            validateAllowances(manifest)
            return manifest
        }

        mutating func unknownKey(_ key: Node, at place: String, allowed: [String]) {
            fail(key, "unknown key `\(key.string ?? "?")` at \(place); expected one of: \(allowed.joined(separator: ", "))")
        }

        mutating func services(_ node: Node) -> [Service] {
            guard case .mapping(let mapping) = node else {
                fail(node, "`services` must be a mapping of service name to its description")
                return []
            }
            var result: [Service] = []
            for (key, value) in mapping {
                let name = key.string ?? ""
                var service = Service(name: name, description: nil, owners: [], tables: [], schemas: [], roles: [],
                                      cachePrefixes: [], line: key.mark?.line ?? 1)
                guard case .mapping(let fields) = value else {
                    if value.tag.rawValue != Tag.Name.null.rawValue { fail(value, "service `\(name)` must be a mapping (owners, tables, schemas, roles, cache, description)") }
                    result.append(service)
                    continue
                }
                for (field, fieldValue) in fields {
                    switch field.string ?? "" {
                    case "description": service.description = scalar(fieldValue, key: "services.\(name).description")
                    case "owners":
                        service.owners = stringList(fieldValue, key: "services.\(name).owners").map(\.text)
                        for (owner, node) in zip(service.owners, listNodes(fieldValue)) where !isValidOwner(owner) {
                            fail(node, "owner `\(owner)` of service `\(name)` must be a GitHub user `@alice` or team `@org/team`")
                        }
                    case "tables":
                        service.tables = stringList(fieldValue, key: "services.\(name).tables").map {
                            TablePattern(text: $0.text, line: $0.line, column: $0.column)
                        }
                    case "public":
                        service.publicTables = stringList(fieldValue, key: "services.\(name).public").map {
                            TablePattern(text: $0.text, line: $0.line, column: $0.column)
                        }
                    case "schemas": service.schemas = stringList(fieldValue, key: "services.\(name).schemas").map(\.text)
                    case "roles": service.roles = stringList(fieldValue, key: "services.\(name).roles").map(\.text)
                    case "cache":
                        service.cachePrefixes = cache(fieldValue, service: name)
                        service.cacheDeclaration = ManifestString(text: "cache", line: (field.mark?.line ?? 1), column: (field.mark?.column ?? 1))
                    case "queries": service.queries = querySources(fieldValue, service: name)
                    default:
                        unknownKey(field, at: "services.\(name)", allowed: ["description", "owners", "tables", "public", "schemas", "roles", "cache", "queries"])
                    }
                }
                result.append(service)
            }
            return result
        }

        /// `rules: {id-or-category: level | {severity, exclude, services}}`.
        mutating func rules(_ node: Node) -> [String: RuleSetting] {
            guard case .mapping(let mapping) = node else {
                fail(node, "`rules` must be a mapping of rule id or category to off, info, warning or error")
                return [:]
            }
            let known = RuleConfiguration.knownNames
            var result: [String: RuleSetting] = [:]
            for (key, value) in mapping {
                let name = key.string ?? ""
                guard known.contains(name) else {
                    fail(key, "unknown rule or category `\(name)` in rules; `steward rules` lists them")
                    continue
                }
                var setting = RuleSetting(line: key.mark?.line ?? 1)
                switch value {
                case .scalar:
                    setting.level = level(value, key: "rules.\(name)")
                case .mapping(let fields):
                    for (field, fieldValue) in fields {
                        switch field.string ?? "" {
                        case "severity": setting.level = level(fieldValue, key: "rules.\(name).severity")
                        case "exclude": setting.exclude = stringList(fieldValue, key: "rules.\(name).exclude").map(\.text)
                        case "services":
                            guard case .mapping(let perService) = fieldValue else {
                                fail(fieldValue, "`rules.\(name).services` must map service names to off, info, warning or error")
                                continue
                            }
                            for (service, serviceLevel) in perService {
                                if let parsed = level(serviceLevel, key: "rules.\(name).services.\(service.string ?? "")") {
                                    setting.services[service.string ?? ""] = parsed
                                }
                            }
                        default: unknownKey(field, at: "rules.\(name)", allowed: ["severity", "exclude", "services"])
                        }
                    }
                default:
                    fail(value, "`rules.\(name)` must be off, info, warning, error or a mapping with severity, exclude, services")
                }
                result[name] = setting
            }
            return result
        }

        mutating func level(_ node: Node, key: String) -> RuleLevel? {
            // YAML 1.1 reads a bare `off` as false: accept it as the level `off`.
            if node.bool == false { return .off }
            guard let text = node.string, let level = RuleLevel(rawValue: text) else {
                fail(node, "`\(key)` must be one of off, info, warning, error")
                return nil
            }
            return level
        }

        /// `queries: [GLOB | {path: GLOB, only: [NAME…], except: [NAME…]}]`.
        mutating func querySources(_ node: Node, service: String) -> [QuerySource] {
            let key = "services.\(service).queries"
            guard case .sequence(let items) = node else {
                fail(node, "`\(key)` must be a list of query file globs or {path, only, except} entries")
                return []
            }
            var sources: [QuerySource] = []
            for item in items {
                switch item {
                case .scalar:
                    if let path = manifestString(item, key: key) { sources.append(QuerySource(path: path)) }
                case .mapping(let fields):
                    var path: ManifestString?
                    var source = QuerySource(path: ManifestString(text: "", line: item.mark?.line ?? 1, column: item.mark?.column ?? 1))
                    for (field, value) in fields {
                        switch field.string ?? "" {
                        case "path": path = manifestString(value, key: "\(key).path")
                        case "only": source.only = stringList(value, key: "\(key).only").map(\.text)
                        case "except": source.except = stringList(value, key: "\(key).except").map(\.text)
                        default: unknownKey(field, at: key, allowed: ["path", "only", "except"])
                        }
                    }
                    guard let path, !path.text.isEmpty else {
                        fail(item, "an entry of `\(key)` needs `path:` (a glob of query files relative to the manifest)")
                        continue
                    }
                    source.path = path
                    sources.append(source)
                default:
                    fail(item, "an entry of `\(key)` must be a glob or {path, only, except}")
                }
            }
            return sources
        }

        /// `review: {approvals: 1, dependents_must_approve: true, author_counts: false, services: {billing: 2}}`.
        mutating func reviewPolicy(_ node: Node) -> ReviewPolicy? {
            guard case .mapping(let mapping) = node else {
                fail(node, "`review` must be a mapping (approvals, dependents_must_approve, author_counts, services)")
                return nil
            }
            var policy = ReviewPolicy()
            func count(_ value: Node, _ key: String) -> Int? {
                guard let number = value.int, number >= 0 else {
                    fail(value, "`\(key)` must be a number of approvals (0 or more)")
                    return nil
                }
                return number
            }
            func flag(_ value: Node, _ key: String) -> Bool? {
                guard let flag = value.bool else {
                    fail(value, "`\(key)` must be true or false")
                    return nil
                }
                return flag
            }
            for (key, value) in mapping {
                switch key.string ?? "" {
                case "approvals": policy.approvals = count(value, "review.approvals") ?? policy.approvals
                case "dependents_must_approve": policy.dependentsMustApprove = flag(value, "review.dependents_must_approve") ?? true
                case "author_counts": policy.authorCounts = flag(value, "review.author_counts") ?? false
                case "services":
                    guard case .mapping(let services) = value else {
                        fail(value, "`review.services` must map service names to numbers of approvals")
                        continue
                    }
                    for (name, number) in services {
                        let service = name.string ?? ""
                        policy.serviceApprovals[service] = count(number, "review.services.\(service)") ?? policy.approvals
                        policy.serviceLines[service] = name.mark?.line ?? 1
                    }
                default: unknownKey(key, at: "review", allowed: ["approvals", "dependents_must_approve", "author_counts", "services"])
                }
            }
            return policy
        }

        /// Top-level `cache: {prefix_pattern: "{service}*:"}`.
        mutating func cacheConvention(_ node: Node) -> ManifestString? {
            guard case .mapping(let mapping) = node else {
                fail(node, "`cache` must be a mapping with `prefix_pattern: \"{service}*:\"`")
                return nil
            }
            var pattern: ManifestString?
            for (key, value) in mapping {
                if key.string == "prefix_pattern" {
                    pattern = manifestString(value, key: "cache.prefix_pattern")
                    if let text = pattern?.text, !text.contains("{service}") {
                        fail(value, "cache.prefix_pattern `\(text)` must contain `{service}` (the service's name)")
                    }
                } else {
                    unknownKey(key, at: "cache", allowed: ["prefix_pattern"])
                }
            }
            return pattern
        }

        mutating func cache(_ node: Node, service: String) -> [ManifestString] {
            // `cache:` with nothing under it: the service uses the cache and names no prefix
            // (cache-prefix-missing says so).
            if node.tag.rawValue == Tag.Name.null.rawValue { return [] }
            guard case .mapping(let mapping) = node else {
                fail(node, "`services.\(service).cache` must be a mapping with `prefixes: [...]`")
                return []
            }
            var prefixes: [ManifestString] = []
            for (key, value) in mapping {
                if key.string == "prefixes" {
                    prefixes = stringList(value, key: "services.\(service).cache.prefixes").map {
                        ManifestString(text: $0.text, line: $0.line, column: $0.column)
                    }
                } else {
                    unknownKey(key, at: "services.\(service).cache", allowed: ["prefixes"])
                }
            }
            return prefixes
        }

        mutating func teams(_ node: Node) -> [String: Team] {
            guard case .mapping(let mapping) = node else {
                fail(node, "`teams` must be a mapping of team (`@org/team`) to `members: [...]`")
                return [:]
            }
            var result: [String: Team] = [:]
            for (key, value) in mapping {
                let name = key.string ?? ""
                var members: [String] = []
                switch value {
                case .sequence: members = stringList(value, key: "teams.\(name)").map(\.text)
                case .mapping(let fields):
                    for (field, fieldValue) in fields {
                        if field.string == "members" {
                            members = stringList(fieldValue, key: "teams.\(name).members").map(\.text)
                        } else {
                            unknownKey(field, at: "teams.\(name)", allowed: ["members"])
                        }
                    }
                default: fail(value, "team `\(name)` must have `members: [...]`")
                }
                result[name] = Team(name: name, members: members)
            }
            return result
        }

        mutating func boundaries(_ node: Node) -> [BoundaryAllowance] {
            guard case .mapping(let mapping) = node else {
                fail(node, "`boundaries` must be a mapping with `allow: [...]`")
                return []
            }
            var result: [BoundaryAllowance] = []
            for (key, value) in mapping {
                guard key.string == "allow" else {
                    unknownKey(key, at: "boundaries", allowed: ["allow"])
                    continue
                }
                guard case .sequence(let items) = value else {
                    fail(value, "`boundaries.allow` must be a list of {from, to, objects, reason}")
                    continue
                }
                for item in items {
                    guard case .mapping(let fields) = item else {
                        fail(item, "each `boundaries.allow` entry must be a mapping {from, to, objects, reason}")
                        continue
                    }
                    var allowance = BoundaryAllowance(from: "", to: "", objects: [], reason: "", line: item.mark?.line ?? 1)
                    for (field, fieldValue) in fields {
                        switch field.string ?? "" {
                        case "from": allowance.from = scalar(fieldValue, key: "boundaries.allow.from") ?? ""
                        case "to": allowance.to = scalar(fieldValue, key: "boundaries.allow.to") ?? ""
                        case "reason": allowance.reason = scalar(fieldValue, key: "boundaries.allow.reason") ?? ""
                        case "objects":
                            allowance.objects = stringList(fieldValue, key: "boundaries.allow.objects").map {
                                TablePattern(text: $0.text, line: $0.line, column: $0.column)
                            }
                        default: unknownKey(field, at: "boundaries.allow", allowed: ["from", "to", "objects", "reason"])
                        }
                    }
                    if allowance.from.isEmpty || allowance.to.isEmpty { fail(item, "a `boundaries.allow` entry needs both `from` and `to`") }
                    if allowance.reason.trimmingCharacters(in: .whitespaces).isEmpty {
                        fail(item, "a `boundaries.allow` entry needs a `reason`: an exception nobody can explain is not documented")
                    }
                    result.append(allowance)
                }
            }
            return result
        }

        // MARK: Cross-entry validation

        mutating func validateClaims(_ manifest: OwnershipManifest) {
            var tableClaims: [String: String] = [:]
            var schemaClaims: [String: String] = [:]
            for service in manifest.services {
                for pattern in service.tables {
                    // `users` and `public.users` name the same table on the default search path.
                    let key = pattern.schema == "public" ? pattern.name : pattern.text
                    if let other = tableClaims[key], other != service.name {
                        errors.append(InputError(path: path, line: pattern.line, column: pattern.column,
                                                 message: "table `\(pattern.text)` is claimed by both `\(other)` and `\(service.name)`; a table has one owning service (document shared access in `boundaries.allow`)"))
                    } else {
                        tableClaims[key] = service.name
                    }
                }
                for schema in service.schemas {
                    if let other = schemaClaims[schema], other != service.name {
                        errors.append(InputError(path: path, line: service.line, column: 1,
                                                 message: "schema `\(schema)` is claimed by both `\(other)` and `\(service.name)`"))
                    } else {
                        schemaClaims[schema] = service.name
                    }
                }
            }
        }

        mutating func validateAllowances(_ manifest: OwnershipManifest) {
            let names = Set(manifest.services.map(\.name))
            for allowance in manifest.allowances {
                for name in [allowance.from, allowance.to] where !name.isEmpty && !names.contains(name) {
                    errors.append(InputError(path: path, line: allowance.line, column: 1,
                                             message: "`boundaries.allow` names unknown service `\(name)`; known services: \(names.sorted().joined(separator: ", "))"))
                }
            }
        }

        // MARK: Scalars and lists

        mutating func scalar(_ node: Node, key: String) -> String? {
            guard case .scalar(let scalar) = node else {
                fail(node, "`\(key)` must be a string")
                return nil
            }
            return scalar.string
        }

        func listNodes(_ node: Node) -> [Node] {
            if case .sequence(let items) = node { return Array(items) }
            return []
        }

        mutating func manifestString(_ node: Node, key: String) -> ManifestString? {
            guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
                fail(node, "`\(key)` must be a non-empty string")
                return nil
            }
            return ManifestString(text: scalar.string, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        }

        mutating func stringList(_ node: Node, key: String) -> [(text: String, line: Int, column: Int)] {
            guard case .sequence(let items) = node else {
                if case .scalar(let scalar) = node, scalar.tag.rawValue == Tag.Name.null.rawValue || scalar.string.isEmpty { return [] }
                fail(node, "`\(key)` must be a list, e.g. [\"a\", \"b\"]")
                return []
            }
            var result: [(String, Int, Int)] = []
            for item in items {
                guard case .scalar(let scalar) = item else {
                    fail(item, "each item of `\(key)` must be a string")
                    continue
                }
                result.append((scalar.string, item.mark?.line ?? 1, item.mark?.column ?? 1))
            }
            return result
        }

        func isValidOwner(_ owner: String) -> Bool {
            guard owner.hasPrefix("@"), owner.count > 1 else { return false }
            let body = owner.dropFirst()
            let parts = body.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count <= 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." } }
        }
    }

    private static func yamlError(_ error: YamlError, path: String) -> InputError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return InputError(path: path, line: mark.line, column: mark.column, message: "invalid YAML: \(problem)")
        default:
            return InputError(path: path, line: 1, message: "invalid YAML: \(error)")
        }
    }
}
