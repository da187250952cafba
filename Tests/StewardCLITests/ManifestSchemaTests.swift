import Foundation
import StewardCore
import Testing

/// ownership.schema.json (for editors) must accept the manifests Steward accepts.
struct ManifestSchemaTests {
    static let manifests = ["ownership.yml", "../shared/corpus/specvital/ownership.yml", "Tests/Fixtures/syntax-error/ownership.yml",
                                   "Tests/Fixtures/specvital-queries/ownership.yml"]

    @Test("the JSON Schema accepts the bundled manifests", arguments: manifests)
    func schemaAcceptsManifest(_ relativePath: String) throws {
        let script = """
            import json, sys, yaml, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.validate(yaml.safe_load(open(sys.argv[2])), schema)
            """
        let result = try run("/usr/bin/env", ["python3", "-c", script, "ownership.schema.json", relativePath], in: Paths.packageRoot)
        #expect(result.status == 0, "\(relativePath) does not match ownership.schema.json: \(result.stderr)")
    }

    /// `rules:` as Steward reads it: levels (a bare `off` included), objects, and only known
    /// ids and categories, the same list Steward validates against.
    @Test func theSchemaDescribesTheRulesSection() throws {
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Paths.packageRoot.appendingPathComponent("ownership.schema.json"))) as? [String: Any])
        let rules = try #require((schema["properties"] as? [String: Any])?["rules"] as? [String: Any])
        let names = try #require((rules["propertyNames"] as? [String: Any])?["enum"] as? [String])
        #expect(Set(names) == RuleConfiguration.knownNames, "ownership.schema.json lists other rule ids than Steward knows")
        let script = """
            import json, sys, yaml, jsonschema
            schema = json.load(open(sys.argv[1]))
            good = yaml.safe_load("version: 1\\nservices: {}\\nrules:\\n  types: off\\n  drop-column: error\\n  create-index-without-concurrently: {severity: warning, exclude: ['legacy/*'], services: {billing: info}}\\n")
            jsonschema.validate(good, schema)
            try:
                jsonschema.validate(yaml.safe_load("version: 1\\nservices: {}\\nrules: {no-such-rule: error}\\n"), schema)
            except jsonschema.ValidationError:
                sys.exit(3)
            """
        let result = try run("/usr/bin/env", ["python3", "-c", script, "ownership.schema.json"], in: Paths.packageRoot)
        #expect(result.status == 3, "\(result.stderr)")
    }

    @Test func theSchemaRejectsAnUnknownKeyLikeSteward() throws {
        let script = """
            import json, sys, yaml, jsonschema
            schema = json.load(open(sys.argv[1]))
            try:
                jsonschema.validate(yaml.safe_load(open(sys.argv[2])), schema)
            except jsonschema.ValidationError:
                sys.exit(3)
            """
        let result = try run("/usr/bin/env", ["python3", "-c", script, "ownership.schema.json", "Tests/Fixtures/invalid-manifest/ownership.yml"], in: Paths.packageRoot)
        #expect(result.status == 3)
    }
}
