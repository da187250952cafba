import Foundation
@testable import StewardCore
import StewardSQL
import Testing

/// The result cache's format: every field comes back as it was, and no input, however
/// damaged, crashes the decoder or decodes to something else silently.
struct FindingArchiveTests {
    static let findings = [
        Finding(ruleID: "drop-column", severity: .error, message: "ALTER TABLE codebases DROP COLUMN last_viewed_at (owned by `analyzer`)",
                help: "Stop using the column first.", location: FileLocation(path: "migrations/0002.sql", line: 12, column: 3, length: 14),
                services: ["analyzer", "web"], objects: [.relation(ObjectName(schema: nil, name: "codebases"), kind: .column, column: "last_viewed_at")],
                related: [RelatedLocation(FileLocation(path: "migrations/0001.sql", line: 1, column: 1), "created here")]),
        Finding(ruleID: "unused-suppression", severity: .warning, message: "steward:ignore x silences nothing", help: nil, location: nil),
        Finding(ruleID: "cross-service-foreign-key", severity: .info, message: "é ✓ multi-byte text", help: "",
                location: FileLocation(path: "migrations/0002.sql", line: 300_000, column: 1),
                allowance: Allowance(source: .boundaryAllow, path: "ownership.yml", line: 51, reason: nil),
                objects: [FindingObject(kind: .cachePrefix, name: "api:"), FindingObject(kind: .manifestEntry)]),
        Finding(ruleID: "drop-table", severity: .warning, message: "", allowance: Allowance(source: .suppressionComment, path: "m.sql", line: 2,
                                                                                           reason: "retired in ticket 12")),
    ]

    func decode(_ bytes: [UInt8]) -> (findings: [Finding], statementCount: Int)? {
        bytes.withUnsafeBytes { FindingArchive.decode($0) }
    }

    @Test func everyFieldComesBack() throws {
        let encoded = FindingArchive.encode(Self.findings, statementCount: 1234)
        let decoded = try #require(decode(encoded))
        #expect(decoded.statementCount == 1234)
        #expect(decoded.findings == Self.findings)
        #expect(decode(FindingArchive.encode([], statementCount: 0)).map { $0.findings.isEmpty && $0.statementCount == 0 } == true)
    }

    @Test func repeatedStringsAreStoredOnce() {
        let one = FindingArchive.encode([Self.findings[0]], statementCount: 1).count
        let many = FindingArchive.encode(Array(repeating: Self.findings[0], count: 1000), statementCount: 1).count
        // Each further copy is its message (written in place) and its numbers, not its paths,
        // rule id, services, help and object names again.
        let message = Self.findings[0].message.utf8.count
        #expect(one > message + 150)
        #expect(many < one + 999 * (message + 40), "paths, rule ids, services and help once, not 1,000 times")
    }

    @Test func consecutiveFindingsOfTheSameServicesShareOneList() throws {
        var other = Self.findings[0]
        other.services = ["web"]
        let findings = [Self.findings[0], Self.findings[0], other, Self.findings[0]]
        let decoded = try #require(decode(FindingArchive.encode(findings, statementCount: 1))).findings
        #expect(decoded == findings)
        func storage(_ finding: Finding) -> UnsafeRawPointer? { finding.services.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) } }
        #expect(storage(decoded[0]) == storage(decoded[1]), "a run of findings with the same services holds one list")
        #expect(storage(decoded[1]) != storage(decoded[2]))
        #expect(decoded[3].services == ["analyzer", "web"])
    }

    @Test func damagedInputDecodesToNilAndNeverCrashes() {
        let encoded = FindingArchive.encode(Self.findings, statementCount: 7)
        for length in 0..<encoded.count { #expect(decode(Array(encoded.prefix(length))) == nil, "cut to \(length) bytes") }
        #expect(decode(encoded + [0]) == nil, "trailing bytes")
        var wrongVersion = encoded
        wrongVersion[0] &+= 1
        #expect(decode(wrongVersion) == nil)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var damaged = encoded
            damaged[Int.random(in: 0..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            _ = decode(damaged)
            _ = decode((0..<Int.random(in: 0..<64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        // A huge count must not make the decoder reserve or loop its way out of memory.
        #expect(decode([FindingArchive.version, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) == nil)
        #expect(decode([FindingArchive.version, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 1, 0x41]) == nil, "a huge string count")
    }
}
