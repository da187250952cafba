import Foundation
import StewardCore
import StewardSQL

/// `steward audit` as text, JSON or Markdown.
public enum AuditReporter {
    public static func renderText(_ result: PrivilegeAuditResult, target: String) -> String {
        var text = "steward audit: \(target)\n"
        for service in result.services {
            let roles = service.roles.map { role in
                "\(role.name) (connection limit \(role.connectionLimit < 0 ? "none" : String(role.connectionLimit))"
                    + (role.memberOf.isEmpty ? "" : ", member of \(role.memberOf.joined(separator: ", "))") + ")"
            }
            text += "\n\(service.service): \(roles.isEmpty ? "no role in the database" : roles.joined(separator: ", ")); owns \(plural(service.ownedRelations, "relation"))\n"
            for access in service.foreignAccess {
                text += "  can \(access.privileges.names.joined(separator: ", ")) \(access.relation) (\(access.owner))\n"
            }
        }
        let defaults = result.snapshot.defaultPrivileges
        if !defaults.isEmpty {
            text += "\ndefault privileges:\n"
            for entry in defaults {
                text += "  objects \(entry.ownerRole) creates\(entry.schema.map { " in \($0)" } ?? ""): \(entry.objectKind) grant \(entry.privileges.joined(separator: ", ")) to \(entry.grantee)\n"
            }
        }
        let limits = result.services.flatMap(\.roles).map(\.connectionLimit)
        text += "\nconnections: max_connections \(result.snapshot.maxConnections) (\(result.snapshot.reservedConnections) reserved for superusers); "
            + (limits.contains { $0 < 0 } ? "some service roles are unlimited" : "service limits add up to \(limits.reduce(0, +))") + "\n"
        if !result.findings.isEmpty { text += "\n" }
        for finding in result.findings {
            text += "\(finding.severity.rawValue)[\(finding.check.rawValue)]: \(finding.message)\n"
        }
        let errors = result.errorCount, warnings = result.findings.count { $0.severity == .warning }
        text += "\n\(plural(errors, "error")), \(plural(warnings, "warning"))\n"
        return text
    }

    public static func renderMarkdown(_ result: PrivilegeAuditResult, target: String) -> String {
        var text = "## steward audit\n\nAgainst \(target).\n\n"
        if result.findings.isEmpty {
            text += "No finding.\n"
        } else {
            text += "| Severity | Check | Service | Object | Finding |\n|---|---|---|---|---|\n"
            for finding in result.findings {
                let cells = [finding.severity.rawValue, "`\(finding.check.rawValue)`", finding.service ?? "", finding.object.map { "`\($0)`" } ?? "", finding.message]
                text += "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
            }
        }
        text += "\n| Service | Roles | Owns | Reaches in other services |\n|---|---|---|---|\n"
        for service in result.services {
            let reach = service.foreignAccess.map { "\($0.privileges.names.joined(separator: "/")) `\($0.relation)`" }.joined(separator: ", ")
            text += "| \(service.service) | \(service.roles.map(\.name).joined(separator: ", ")) | \(service.ownedRelations) | \(reach.isEmpty ? "—" : reach) |\n"
        }
        return text
    }

    public static func renderJSON(_ result: PrivilegeAuditResult, target: String) -> String {
        let document: [String: Any] = [
            "format_version": 1,
            "command": "audit",
            "target": target,
            "max_connections": result.snapshot.maxConnections,
            "reserved_connections": result.snapshot.reservedConnections,
            "findings": result.findings.map { finding -> [String: Any] in
                var entry: [String: Any] = ["check": finding.check.rawValue, "severity": finding.severity.rawValue, "message": finding.message]
                entry["service"] = finding.service
                entry["object"] = finding.object
                return entry
            },
            "services": result.services.map { service -> [String: Any] in
                [
                    "service": service.service,
                    "owned_relations": service.ownedRelations,
                    "roles": service.roles.map { ["name": $0.name, "superuser": $0.superuser, "bypassrls": $0.bypassRowLevelSecurity,
                                                  "connection_limit": $0.connectionLimit, "member_of": $0.memberOf] as [String: Any] },
                    "reaches": service.foreignAccess.map { ["relation": $0.relation.description, "owner": $0.owner, "privileges": $0.privileges.names] as [String: Any] },
                ]
            },
            "default_privileges": result.snapshot.defaultPrivileges.map {
                ["owner_role": $0.ownerRole, "schema": $0.schema ?? NSNull(), "objects": $0.objectKind, "grantee": $0.grantee, "privileges": $0.privileges] as [String: Any]
            },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
