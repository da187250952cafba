import Foundation
import Testing

/// ownership.schema.json (for editors) must accept the manifests Steward accepts.
struct ManifestSchemaTests {
    static let manifests = ["ownership.yml", "../shared/corpus/specvital/ownership.yml", "Tests/Fixtures/syntax-error/ownership.yml"]

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
