import Foundation
import Testing

/// `steward cache attribute --keys FILE`: keys of the shared Redis attributed to services by prefix.
struct CacheAttributionTests {
    func scratch(_ files: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: directory.appendingPathComponent(name)) }
        return directory
    }

    static let manifest = """
        version: 1
        services:
          identity: {owners: ["@acme/identity"], cache: {prefixes: ["user"]}}
          sessions: {owners: ["@acme/identity"], cache: {prefixes: ["user:session:"]}}
          billing: {owners: ["@acme/billing"], cache: {prefixes: ["billing:", "billing:jobs:"]}}

        """

    @Test func keysAreCountedPerServiceWithUnprefixedAndAmbiguousOnes() throws {
        let directory = try scratch(["ownership.yml": Self.manifest,
                                     "keys.txt": "user42\nuser:session:9\nbilling:inv:1\nbilling:jobs:7\r\nstray\n\nlegacy:\u{1B}x\n"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try steward(["cache", "attribute", "--keys", "keys.txt"], in: directory)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout == """
            6 keys in keys.txt, attributed by the prefixes of ownership.yml

            service     prefixes                 keys  share
            identity    user                        1  16.7%
            sessions    user:session:               0   0.0%
            billing     billing:, billing:jobs:     2  33.3%
            unprefixed                              2  33.3%
            ambiguous                               1  16.7%

            keys no service's prefix matches, e.g.:
              stray
              legacy:\\u{1B}x

            keys that match several services' prefixes, e.g.:
              user:session:9  (identity, sessions)

            """)
    }

    @Test func cleanKeysFromStandardInputExitZeroAndJSONHasTheCounts() throws {
        let directory = try scratch(["ownership.yml": Self.manifest])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run(Paths.steward, ["cache", "attribute", "--keys", "-", "--format", "json"], in: directory, stdin: "billing:a\nbilling:b\nuser1")
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let attribution = try #require(document["attribution"] as? [String: Any])
        #expect(attribution["total"] as? Int == 3)
        #expect(attribution["unprefixed"] as? Int == 0)
        let services = try #require(attribution["services"] as? [[String: Any]])
        #expect(services.map { $0["keys"] as? Int } == [1, 0, 2])
    }

    @Test func badInputIsAnInputError() throws {
        let directory = try scratch(["ownership.yml": Self.manifest, "empty.txt": "\n\n"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = try steward(["cache", "attribute", "--keys", "nope.txt"], in: directory)
        #expect(missing.status == 2)
        #expect(missing.stderr == "nope.txt: error: cannot read the keys: No such file or directory\n")
        let empty = try steward(["cache", "attribute", "--keys", "empty.txt"], in: directory)
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("no keys in the file"))
        let noManifest = try steward(["cache", "attribute", "--keys", "empty.txt", "--manifest", "missing.yml"], in: directory)
        #expect(noManifest.status == 2)
        #expect(noManifest.stderr.contains("missing.yml"))
    }
}
