import Foundation
import StewardSQL

/// Sqitch (pg engine): the order comes from `sqitch.plan`, not from file names; only
/// `deploy/<change>.sql` scripts are replayed (never `revert/` or `verify/`).
///
/// As Sqitch's own source defines it (lib/App/Sqitch/Plan.pm, Plan/Change.pm, Engine/pg.pm):
/// - plan lines are `%pragma`, `[+|-]change [deps] <timestamp> <planner> <email> # note`,
///   `@tag …` (tagging the change before it), blank lines and `#` comments;
/// - a change named again later is *reworked*: the earlier occurrence's script is
///   `deploy/<change>@<tag>.sql` for the first of the tags between it and its rework whose
///   file exists (else the first tag's name), the last occurrence's is `deploy/<change>.sql`;
/// - a change name may contain `/` (sub-folders of `deploy/`);
/// - scripts run through psql (`--set ON_ERROR_STOP=1`), so psql variables and
///   meta-commands are features here; Sqitch adds no transaction: the script's own
///   `BEGIN`/`COMMIT` (the `sqitch add` template writes them) decides.
enum SqitchLayout: MigrationLayoutReader {
    static let layout = MigrationLayout.sqitch
    static let planFile = "sqitch.plan"

    static func recognizes(_ directory: MigrationDirectory) -> Bool { directory.isRegularFile(planFile) }

    static func candidates(in directory: MigrationDirectory) -> [String] { [] }

    /// One line of the plan that names a change to deploy.
    struct PlannedChange {
        var name: String
        var line: Int
        var isRevert: Bool
        /// Tags written right after this change (before the next change).
        var tags: [String]
    }

    static func read(_ directory: MigrationDirectory) -> MigrationSet {
        var findings: [Finding] = []
        let planPath = directory.displayPath(planFile)
        guard case .success(let planBytes) = directory.read(planFile) else {
            findings.append(Finding(diagnostic: .unreadableFile, message: "cannot read \(planFile)",
                                    help: "fix the file's permissions", location: FileLocation(path: planPath, line: 1, column: 1)))
            return MigrationSet(directory: directory.displayRoot, layout: layout, files: [], findings: findings)
        }
        let changes = parsePlan(planBytes, path: planPath, findings: &findings)
        var files: [MigrationFile] = []
        for (index, change) in changes.enumerated() {
            if change.isRevert {
                findings.append(Finding(diagnostic: .migrationFormat,
                                        message: "plan line reverts `\(change.name)`: Steward replays deploy scripts only and skips it",
                                        help: "remove the change from the plan if it is no longer deployed",
                                        location: FileLocation(path: planPath, line: change.line, column: 1)))
                continue
            }
            let script = deployScript(for: index, in: changes, directory: directory)
            guard directory.isRegularFile(script) else {
                findings.append(Finding(diagnostic: .migrationFormat, severity: .error,
                                        message: "change `\(change.name)` has no deploy script \(script); sqitch deploy would fail",
                                        help: "add the script, or remove the change from sqitch.plan",
                                        location: FileLocation(path: planPath, line: change.line, column: 1)))
                continue
            }
            let file = MigrationDiscovery.load(script, in: directory, findings: &findings) { path, bytes in
                MigrationFile(path: path, version: String(format: "%05d", index + 1), name: change.name, direction: .up,
                              transaction: .perStatement, original: SourceText(bytes: bytes))
            }
            if var file {
                file.hasDown = directory.isRegularFile("revert/" + script.dropFirst("deploy/".count))
                files.append(file)
            }
        }
        return MigrationSet(directory: directory.displayRoot, layout: layout, files: files, findings: findings)
    }

    /// `deploy/<name>.sql`, or for an occurrence that is reworked later, `deploy/<name>@<tag>.sql`.
    static func deployScript(for index: Int, in changes: [PlannedChange], directory: MigrationDirectory) -> String {
        let change = changes[index]
        guard let rework = changes[(index + 1)...].firstIndex(where: { $0.name == change.name }) else {
            return "deploy/\(change.name).sql"
        }
        let tags = changes[index..<rework].flatMap(\.tags)
        let candidates = tags.map { "deploy/\(change.name)@\($0).sql" }
        return candidates.first(where: directory.isRegularFile) ?? candidates.first ?? "deploy/\(change.name).sql"
    }

    static func parsePlan(_ bytes: [UInt8], path: String, findings: inout [Finding]) -> [PlannedChange] {
        var changes: [PlannedChange] = []
        for (number, range) in lineRanges(bytes).enumerated() {
            let line = String(decoding: bytes[range], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("%") { continue }
            if line.hasPrefix("@") {
                let tag = line.prefix { !$0.isWhitespace }.dropFirst()
                guard !changes.isEmpty else {
                    findings.append(Finding(diagnostic: .migrationFormat, severity: .error,
                                            message: "tag @\(tag) before any change: sqitch refuses the plan",
                                            location: FileLocation(path: path, line: number + 1, column: 1)))
                    continue
                }
                changes[changes.count - 1].tags.append(String(tag))
                continue
            }
            var rest = Substring(line)
            var isRevert = false
            if rest.first == "+" || rest.first == "-" {
                isRevert = rest.first == "-"
                rest = rest.dropFirst().drop { $0.isWhitespace }
            }
            let name = String(rest.prefix { !$0.isWhitespace && $0 != "[" })
            guard !name.isEmpty else {
                findings.append(Finding(diagnostic: .migrationFormat, severity: .error, message: "sqitch.plan: cannot read this line",
                                        location: FileLocation(path: path, line: number + 1, column: 1)))
                continue
            }
            // A name is a path below deploy/: one that climbs out of it is never followed (a
            // plan in a pull request must not make Steward print files from elsewhere).
            guard !name.hasPrefix("/"), !name.split(separator: "/").contains("..") else {
                findings.append(Finding(diagnostic: .migrationFormat, severity: .error,
                                        message: "change `\(name)` names a script outside deploy/: not read",
                                        help: "change names are paths below deploy/, revert/ and verify/",
                                        location: FileLocation(path: path, line: number + 1, column: 1)))
                continue
            }
            changes.append(PlannedChange(name: name, line: number + 1, isRevert: isRevert, tags: []))
        }
        return changes
    }
}
