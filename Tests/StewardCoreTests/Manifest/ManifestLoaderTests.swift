import StewardCore
import StewardSQL
import Testing

struct ManifestLoaderTests {
    func errors(_ yaml: String) -> [String] {
        do {
            _ = try ManifestLoader.parse(yaml, path: "ownership.yml")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func readsServicesTeamsAndBoundaries() throws {
        let manifest = try ManifestLoader.parse("""
            version: 1
            services:
              billing:
                description: Payments
                owners: ["@acme/payments", "@frank"]
                tables: [invoices, "billing_*", audit.payments]
                schemas: [billing]
                roles: [svc_billing]
                cache: {prefixes: ["billing:"]}
              identity: {owners: ["@acme/identity"], tables: [users]}
            teams:
              "@acme/payments": {members: ["@frank"]}
            boundaries:
              allow:
                - {from: billing, to: identity, objects: [users], reason: "invoices are per user"}
            """, path: "ownership.yml")
        #expect(manifest.services.map(\.name) == ["billing", "identity"])
        #expect(manifest.services[0].cachePrefixes.map(\.text) == ["billing:"])
        #expect(manifest.teams["@acme/payments"]?.members == ["@frank"])
        #expect(manifest.owner(of: ObjectName(schema: "public", name: "billing_events"))?.service == "billing")
        #expect(manifest.owner(of: ObjectName(schema: "billing", name: "anything"))?.basis == .schema)
        #expect(manifest.owner(of: ObjectName(schema: "audit", name: "payments"))?.service == "billing")
        #expect(manifest.owner(of: ObjectName(schema: "public", name: "users"))?.service == "identity")
        #expect(manifest.allowance(from: "billing", to: "identity", object: ObjectName(schema: "public", name: "users")) != nil)
    }

    @Test func unknownKeysNameTheFileLineAndKey() {
        #expect(errors("version: 1\nservices:\n  api:\n    ownerz: [\"@a\"]\n") == [
            "ownership.yml:4:5: unknown key `ownerz` at services.api; expected one of: description, owners, tables, public, schemas, roles, cache, queries",
        ])
    }

    @Test func aTableClaimedTwiceIsAnError() {
        #expect(errors("version: 1\nservices:\n  a: {tables: [users]}\n  b: {tables: [public.users]}\n") == [
            "ownership.yml:4:16: table `public.users` is claimed by both `a` and `b`; a table has one owning service (document shared access in `boundaries.allow`)",
        ])
    }

    @Test func exceptionsMustNameKnownServicesAndGiveAReason() {
        let found = errors("version: 1\nservices:\n  a: {}\nboundaries:\n  allow:\n    - {from: a, to: ghost}\n")
        #expect(found.count == 2)
        #expect(found.contains { $0.hasPrefix("ownership.yml:6:7:") && $0.contains("needs a `reason`") })
        #expect(found.contains { $0.contains("unknown service `ghost`") })
    }

    @Test func wrongTypesAndBadOwnersAreReported() {
        let found = errors("version: 1\nservices:\n  a:\n    tables: users\n    owners: [alice]\n")
        #expect(found == [
            "ownership.yml:4:13: `services.a.tables` must be a list, e.g. [\"a\", \"b\"]",
            "ownership.yml:5:14: owner `alice` of service `a` must be a GitHub user `@alice` or team `@org/team`",
        ])
    }

    @Test func invalidYAMLPointsAtTheProblem() {
        let found = errors("version: 1\nservices:\n  a: [unclosed\n")
        #expect(found.count == 1)
        #expect(found[0].hasPrefix("ownership.yml:4:1: invalid YAML"))
    }

    @Test func versionIsRequired() {
        #expect(errors("services: {}\n") == ["ownership.yml:1:1: missing `version: 1`"])
    }
}
