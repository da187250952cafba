import Crypto

/// Stable identities for findings, so that code-scanning alerts and bot comments follow a
/// finding across unrelated edits: built from the rule, the file and the objects the finding
/// is about, never from line or column numbers.
public enum Fingerprints {
    /// One fingerprint per finding, in the order given (report order). Findings of the same
    /// rule on the same object in the same file are told apart by their rank among those.
    public static func of(_ findings: [Finding]) -> [String] {
        var seen: [String: Int] = [:]
        return findings.map { finding in
            let base = identity(of: finding)
            let rank = seen[base, default: 0]
            seen[base] = rank + 1
            return digest(rank == 0 ? base : base + "\u{1F}\(rank)")
        }
    }

    /// Rule, file and objects; for a finding about no object, its message with the numbers
    /// taken out (they are often line numbers or counts that move with unrelated edits).
    static func identity(of finding: Finding) -> String {
        var parts = [finding.ruleID, finding.location?.path ?? ""]
        if finding.hasNoObjects {
            var message = ""
            var inNumber = false
            for scalar in finding.message.unicodeScalars {
                let digit = ("0"..."9").contains(scalar)
                if digit { if !inNumber { message.append("#") } } else { message.unicodeScalars.append(scalar) }
                inNumber = digit
            }
            parts.append(message)
        } else {
            parts += finding.objects.map(\.identity)
        }
        return parts.joined(separator: "\u{1E}")
    }

    private static func digest(_ text: String) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var result: [UInt8] = []
        result.reserveCapacity(32)
        for byte in SHA256.hash(data: Array(text.utf8)).prefix(16) {
            result.append(hex[Int(byte >> 4)])
            result.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: result, as: UTF8.self)
    }
}
