import Foundation
import StewardReporting
import StewardTestSupport
import Testing

struct GeneratedDocsTests {
    /// docs/rules.md is generated from the rule declarations; STEWARD_UPDATE_SNAPSHOTS=1 regenerates it.
    @Test func rulesDocumentationIsUpToDate() throws {
        let path = SharedFiles.packageRoot.appendingPathComponent("docs/rules.md")
        let generated = RuleDocumentation.markdown()
        if ProcessInfo.processInfo.environment["STEWARD_UPDATE_SNAPSHOTS"] == "1" {
            try generated.write(to: path, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: path, encoding: .utf8)
        #expect(committed == generated, "docs/rules.md is stale: run STEWARD_UPDATE_SNAPSHOTS=1 swift test --filter GeneratedDocs")
    }
}
