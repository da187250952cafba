import Foundation
import StewardCore

/// One output format of `steward check`. Every reporter is fed the same `CheckReport`, so a
/// run can write several formats from one analysis (`--format sarif --output x.sarif …`).
public protocol Reporter: Sendable {
    /// Writes the report in pieces (large reports are never held whole in memory).
    func write(_ report: CheckReport, to emit: (String) -> Void)
}

extension Reporter {
    /// The whole report as one string (tests, small reports).
    public func render(_ report: CheckReport) -> String {
        var text = ""
        write(report) { text += $0 }
        return text
    }
}

/// What every format needs beyond the analysis: fingerprints, paths relative to the
/// repository, owners of services and the rule a finding comes from.
public struct CheckReport: Sendable {
    public var analysis: Analysis
    /// One per finding, in the same order (`Fingerprints.of`); empty when the formats written
    /// do not print them (text: hashing 50,000 findings is not free).
    public var fingerprints: [String]
    public var paths: RepositoryPaths
    /// `--fail-on`: the severity from which a finding fails the run.
    public var failLevel: Severity

    public init(analysis: Analysis, paths: RepositoryPaths, failLevel: Severity = .error, fingerprinted: Bool = true) {
        self.analysis = analysis
        self.fingerprints = fingerprinted ? Fingerprints.of(analysis.findings) : []
        self.paths = paths
        self.failLevel = failLevel
    }

    public var findings: [Finding] { analysis.findings }

    /// The fingerprints, computed here when the report was made without them.
    public var findingFingerprints: [String] {
        fingerprints.count == findings.count ? fingerprints : Fingerprints.of(findings)
    }

    /// Owners of the services a finding concerns, in the services' order, without repeats.
    public func owners(of services: [String]) -> [String] {
        guard let manifest = analysis.manifest else { return [] }
        var seen = Set<String>()
        return services.flatMap { manifest.service(named: $0)?.owners ?? [] }.filter { seen.insert($0).inserted }
    }

    /// Whether the finding fails the run (exit 1): not allowed, and at `--fail-on` or worse.
    public func fails(_ finding: Finding) -> Bool { !finding.isAllowed && finding.severity >= failLevel }

    /// Counts that every format's summary line uses.
    public var counts: (errors: Int, warnings: Int, notes: Int, allowed: Int) { Self.counts(of: findings) }

    /// Findings that are not allowed, by severity, and the allowed ones.
    public static func counts(of findings: some Sequence<Finding>) -> (errors: Int, warnings: Int, notes: Int, allowed: Int) {
        var counts = (errors: 0, warnings: 0, notes: 0, allowed: 0)
        for finding in findings {
            if finding.isAllowed { counts.allowed += 1; continue }
            switch finding.severity {
            case .error: counts.errors += 1
            case .warning: counts.warnings += 1
            case .info: counts.notes += 1
            }
        }
        return counts
    }

    /// `1 error, 38 warnings, 2 notes, 3 allowed` (notes and allowed only when there are some).
    public var verdict: String {
        let counts = counts
        var text = "\(counts.errors) error\(counts.errors == 1 ? "" : "s"), \(counts.warnings) warning\(counts.warnings == 1 ? "" : "s")"
        if counts.notes > 0 { text += ", \(counts.notes) note\(counts.notes == 1 ? "" : "s")" }
        if counts.allowed > 0 { text += ", \(counts.allowed) allowed" }
        return text
    }

    /// Summary and description of a rule or diagnostic id.
    public static func summary(ofRule id: String) -> String? {
        RuleRegistry.rule(id: id)?.descriptor.summary ?? RuleRegistry.diagnostics.first { $0.id == id }?.summary
    }
}

/// `1 migration`, `24 migrations`; `plural` for nouns that do not take an `s` (`dependencies`).
func plural(_ count: Int, _ noun: String, _ plural: String? = nil) -> String {
    "\(count) \(count == 1 ? noun : plural ?? noun + "s")"
}

/// Turns the paths findings carry (as given on the command line, relative to the working
/// directory or absolute) into paths relative to the repository root, which CI annotations,
/// SARIF and code review need.
public struct RepositoryPaths: Sendable, Hashable {
    /// Absolute, normalised, without a trailing slash.
    public var root: String
    /// Absolute, normalised, without a trailing slash.
    public var workingDirectory: String

    public init(root: String, workingDirectory: String) {
        self.root = Self.normalise(root)
        self.workingDirectory = Self.normalise(workingDirectory)
    }

    /// The path relative to the root, with `/` separators; a path outside the root stays
    /// absolute.
    public func relative(_ path: String) -> String {
        let absolute = Self.normalise(path.hasPrefix("/") ? path : workingDirectory + "/" + path)
        if absolute == root { return "." }
        let prefix = root == "/" ? "/" : root + "/"
        return absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : absolute
    }

    /// Resolves `.` and `..` and repeated slashes without touching the file system.
    static func normalise(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
