import StewardCore
import StewardSQL

/// `steward audit`: the services' roles against the ownership boundaries, in a live database.
public enum LiveAudit {
    public static func run(_ analysis: Analysis?, manifest: OwnershipManifest, session: InspectionSession) throws(LiveError) -> PrivilegeAuditResult {
        let roles = manifest.services.flatMap(\.roles)
        let snapshot = try session.read { connection throws(LiveError) in try AccessReader.snapshot(connection, roles: roles) }
        return PrivilegeAudit.run(snapshot, manifest: manifest) { relation in
            if relation.kind == "schema" { return manifest.owner(ofSchema: relation.name.name) }
            if let analysis { return SchemaDrift.owner(of: relation.name, in: analysis.model, manifest: manifest) }
            return manifest.owner(of: relation.name)?.service
        }
    }
}
