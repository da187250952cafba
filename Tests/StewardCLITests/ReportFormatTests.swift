import Foundation
import Testing

/// `steward check --format sarif|github|markdown|junit|json`, end to end through the built CLI:
/// validated against their schemas, escaped against hostile input, pinned by golden files.
struct ReportFormatTests {
    let root = Paths.packageRoot
    func snapshot(_ name: String) -> URL { Paths.fixtures.appendingPathComponent("snapshots/\(name)") }

    /// A folder of plain migrations (no manifest) for hostile-input cases, removed afterwards.
    func migrations(_ files: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steward-formats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, sql) in files { try Data(sql.utf8).write(to: directory.appendingPathComponent(name)) }
        return directory
    }

    func python(_ script: String, _ arguments: [String]) throws -> CommandResult {
        try run("/usr/bin/env", ["python3", "-c", script] + arguments, in: root)
    }

    // MARK: SARIF

    static let validateSARIF = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1]))
        log = json.load(open(sys.argv[2]))
        jsonschema.validate(log, schema)
        run = log["runs"][0]
        rules = run["tool"]["driver"]["rules"]
        for result in run["results"]:
            assert rules[result["ruleIndex"]]["id"] == result["ruleId"], result["ruleId"]
            region = result["locations"][0]["physicalLocation"]["region"]
            assert region["endColumn"] > region["startColumn"], region
        print(len(run["results"]), len(rules), len({r["ruleId"] for r in run["results"]}))
        """

    @Test("SARIF validates against the official 2.1.0 schema", arguments: [
        ["check"],
        ["check", "Tests/Fixtures/syntax-error/migrations", "--manifest", "Tests/Fixtures/syntax-error/ownership.yml", "--show-allowed"],
    ])
    func sarifIsValid(_ arguments: [String]) throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("steward-\(UUID().uuidString).sarif")
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try steward(arguments + ["--format", "sarif", "--output", output.path], in: root)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty, "a report written to a file prints nothing: \(result.stdout)")
        let check = try python(Self.validateSARIF, [Paths.shared.appendingPathComponent("schemas/sarif-schema-2.1.0.json").path, output.path])
        #expect(check.status == 0, "\(check.stderr)")
        let counts = check.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(counts.count == 3 && counts[0] > 0 && counts[2] > 1, "\(check.stdout)")
    }

    @Test func sarifPointsIntoTheRepositoryWithFingerprintsAndRelatedLocations() throws {
        let result = try steward(["check", "--format", "sarif"], in: root)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
        let base = try #require((run["originalUriBaseIds"] as? [String: [String: String]])?["%SRCROOT%"]?["uri"])
        #expect(base == URL(fileURLWithPath: root.path, isDirectory: true).absoluteString)
        let results = try #require(run["results"] as? [[String: Any]])
        let foreignKey = try #require(results.first { $0["ruleId"] as? String == "cross-service-foreign-key" })
        #expect(foreignKey["level"] as? String == "error")
        let physical = try #require(((foreignKey["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any])
        let artifact = try #require(physical["artifactLocation"] as? [String: String])
        #expect(artifact == ["uri": "schema/0013_invoice_emails.up.sql", "uriBaseId": "%SRCROOT%"])
        let region = try #require(physical["region"] as? [String: Int])
        #expect(region == ["startLine": 5, "startColumn": 77, "endLine": 5, "endColumn": 87])
        let fingerprint = try #require((foreignKey["partialFingerprints"] as? [String: String])?["stewardFindingHash/v1"])
        #expect(fingerprint.count == 32)
        let related = try #require(foreignKey["relatedLocations"] as? [[String: Any]])
        #expect((related.first?["message"] as? [String: String])?["text"] == "billing.invoices is created here (owned by `billing`)")
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let rule = try #require(rules.first { $0["id"] as? String == "cross-service-foreign-key" })
        #expect(rule["name"] as? String == "CrossServiceForeignKey")
        #expect((rule["helpUri"] as? String)?.hasSuffix("docs/rules.md#cross-service-foreign-key") == true)
        #expect((rule["defaultConfiguration"] as? [String: Any])?["level"] as? String == "error")
    }

    /// Allowed findings (`--show-allowed`) are results with a suppression and its justification.
    @Test func sarifMarksAllowedFindingsAsSuppressed() throws {
        let result = try steward(["check", "--format", "sarif", "--show-allowed", "--select", "ownership"], in: root)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        let suppressed = results.compactMap { ($0["suppressions"] as? [[String: String]])?.first }
        #expect(suppressed.count == 4)
        #expect(suppressed.allSatisfy { $0["kind"] == "external" && $0["justification"]?.hasPrefix("boundaries.allow (ownership.yml:") == true })
    }

    // MARK: GitHub workflow commands

    @Test func githubAnnotationsOfTheExampleArePinned() throws {
        let result = try steward(["check", "--format", "github"], in: root)
        #expect(result.status == 1)
        try assertSnapshot(result.stdout, named: snapshot("check-example.github.txt"))
    }

    /// Names with `%`, `,`, `:`, a newline and an escape character, in a file whose name has
    /// them too: every finding stays one command line, and its properties cannot end early.
    @Test func githubEscapingSurvivesHostileNamesAndMessages() throws {
        let directory = try migrations([
            "001_a%b,c:d.sql": "CREATE TABLE \"we%ird,na:me\nx\u{1B}[31m\" (id int);\n",
            "002_index.sql": "CREATE INDEX \"idx%1\" ON \"we%ird,na:me\nx\u{1B}[31m\" (id);\n",
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try steward(["check", directory.path, "--no-manifest", "--format", "github", "--select", "create-index-without-concurrently"],
                                 in: directory)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 2, "\(result.stdout)")
        let command = try #require(lines.first)
        #expect(command.hasPrefix("::warning file=002_index.sql,line=1,col=1,endLine=1,endColumn=7,title=steward create-index-without-concurrently::"))
        #expect(command.contains("CREATE INDEX idx%251 takes a SHARE lock on we%25ird,na:me%0Ax\\u{1B}[31m (blocks writes)"), "\(command)")
        #expect(!result.stdout.contains("\u{1B}"))
        #expect(lines.last?.hasPrefix("steward: 2 migrations") == true)

        // The same names in a property: the file name of a finding in the first file.
        let first = try steward(["check", directory.path, "--no-manifest", "--format", "github", "--select", "prefer-bigint-primary-key,missing-lock-timeout,types"],
                                in: directory)
        let names = first.stdout.split(separator: "\n").filter { $0.hasPrefix("::") }
        #expect(!names.isEmpty)
        #expect(names.allSatisfy { $0.hasPrefix("::warning file=001_a%25b%2Cc%3Ad.sql,") || !$0.contains("001_a") }, "\(first.stdout)")
    }

    @Test func githubEscapingFunctionsMatchTheRunner() throws {
        // The runner's own unescaping (actions/runner ActionCommand.cs) applied to our output
        // gives back the original text, for data and for properties.
        let script = """
            import subprocess, sys
            out = subprocess.run(sys.argv[1:], capture_output=True, text=True).stdout
            def unescape_property(v):
                return v.replace('%0D', '\\r').replace('%0A', '\\n').replace('%3A', ':').replace('%2C', ',').replace('%25', '%')
            def unescape_data(v):
                return v.replace('%0D', '\\r').replace('%0A', '\\n').replace('%25', '%')
            for line in out.splitlines():
                if not line.startswith('::'):
                    continue
                head, _, message = line[2:].partition('::')
                command, _, props = head.partition(' ')
                values = dict(p.split('=', 1) for p in props.split(','))
                print(unescape_property(values['file']))
                print(repr(unescape_data(message).split('\\n')[0]))
                break
            """
        let directory = try migrations(["001_a%b,c:d.sql": "CREATE TABLE t (\"100%, really\" varchar(10));\n"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run("/usr/bin/env", ["python3", "-c", script, Paths.steward, "check", directory.path, "--no-manifest", "--format", "github"],
                             in: directory, environment: ["NO_COLOR": "1"])
        #expect(result.stdout == "001_a%b,c:d.sql\n'column t.100%, really is character varying(10): prefer text (and a CHECK constraint if the limit matters)'\n",
                "\(result.stdout) \(result.stderr)")
    }

    // MARK: Markdown

    @Test func markdownCommentOfTheExampleIsPinned() throws {
        let result = try steward(["check", "--format", "markdown"], in: root)
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("<!-- steward:check -->\n### ❌ Steward: 1 error, 38 warnings, 3 notes\n"))
        try assertSnapshot(result.stdout, named: snapshot("check-example.md"))
    }

    /// Many findings: large groups collapsed, and the comment cut under GitHub's size limit with
    /// a count of what it left out.
    @Test func markdownCollapsesLongGroupsAndStaysUnderGitHubsLimit() throws {
        let columns = (1...1500).map { "c\($0) varchar(10)" }.joined(separator: ", ")
        let directory = try migrations(["001_wide.sql": "CREATE TABLE wide (\(columns));\n", "002_small.sql": "CREATE TABLE small (a varchar(3));\n"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try steward(["check", directory.path, "--no-manifest", "--format", "markdown"], in: directory)
        #expect(result.status == 0)
        #expect(result.stdout.utf8.count < 65_536)
        #expect(result.stdout.contains("<details><summary><code>001_wide.sql</code>: 1500 warnings</summary>"))
        let match = try #require(result.stdout.range(of: #"… and (\d+) more findings"#, options: .regularExpression))
        #expect(result.stdout[match].contains("more findings"))
        // Names with Markdown's special characters print as written.
        let hostile = try migrations(["001_x.sql": "CREATE TABLE \"a_b*c<script>\" (\"x|y\" char(2));\n"])
        defer { try? FileManager.default.removeItem(at: hostile) }
        let escaped = try steward(["check", hostile.path, "--no-manifest", "--format", "markdown"], in: hostile)
        #expect(escaped.stdout.contains("column a\\_b\\*c&lt;script&gt;.x\\|y is character(2)"), "\(escaped.stdout)")
        // Raw only inside the fenced SQL excerpt, where Markdown prints it as code.
        #expect(escaped.stdout.components(separatedBy: "<script>").count == 2)
        #expect(escaped.stdout.contains("  1 | CREATE TABLE \"a_b*c<script>\""))
    }

    // MARK: JUnit

    @Test func junitHasOneCasePerMigrationAndAFailurePerFailingFinding() throws {
        let script = """
            import sys, xml.etree.ElementTree as ET
            suite = ET.parse(sys.argv[1]).getroot().find('testsuite')
            cases = suite.findall('testcase')
            failures = [f for c in cases for f in c.findall('failure')]
            outs = [c for c in cases if c.find('system-out') is not None]
            print(len(cases), len(failures), suite.get('failures'), len(outs), failures[0].get('type'))
            """
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("steward-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try steward(["check", "--format", "junit", "--output", output.path], in: root)
        #expect(result.status == 1)
        let parsed = try python(script, [output.path])
        #expect(parsed.stdout == "24 1 1 21 cross-service-foreign-key\n", "\(parsed.stdout) \(parsed.stderr)")
        // --fail-on warning: warnings fail the run, so they are failures too.
        let strict = try steward(["check", "--format", "junit", "--output", output.path, "--fail-on", "warning"], in: root)
        #expect(strict.status == 1)
        #expect(try python(script, [output.path]).stdout.hasPrefix("24 39 39 2 "))
    }

    @Test func junitIsWellFormedWithControlCharactersInNames() throws {
        let directory = try migrations(["001_x.sql": "CREATE TABLE \"t\u{1B}\u{07}&<\" (c char(1));\n"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try steward(["check", directory.path, "--no-manifest", "--format", "junit", "--fail-on", "warning"], in: directory)
        #expect(result.status == 1)
        let parsed = try run("/usr/bin/env", ["python3", "-c", "import sys, xml.dom.minidom as m; d = m.parseString(sys.stdin.read()); print(d.getElementsByTagName('failure')[0].getAttribute('message'))"],
                             stdin: result.stdout)
        #expect(parsed.status == 0, "\(parsed.stderr)")
        #expect(parsed.stdout.contains("t\\u{1B}\\u{7}&<"), "\(parsed.stdout)")
    }

    // MARK: JSON

    @Test("JSON validates against its published schema", arguments: zip([
        ["check", "--show-allowed"],
        ["check", "Tests/Fixtures/syntax-error/migrations", "--manifest", "Tests/Fixtures/syntax-error/ownership.yml"],
        ["check", "schema", "--no-manifest"],
    ], [Int32(1), 1, 0]))
    func jsonMatchesItsSchema(_ arguments: [String], status: Int32) throws {
        let result = try steward(arguments + ["--format", "json"], in: root)
        #expect(result.status == status)
        let script = "import json, sys, jsonschema; jsonschema.validate(json.loads(sys.stdin.read()), json.load(open(sys.argv[1])))"
        let check = try run("/usr/bin/env", ["python3", "-c", script, "docs/check-report.schema.json"], in: root, stdin: result.stdout)
        #expect(check.status == 0, "\(check.stderr)")
    }

    /// Fingerprints follow a finding when lines above it move; line numbers do not.
    @Test func fingerprintsSurviveUnrelatedEdits() throws {
        let sql = "CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\n"
        let directory = try migrations(["001_t.sql": "CREATE TABLE t (id int, name varchar(5));\n", "002_i.sql": sql])
        defer { try? FileManager.default.removeItem(at: directory) }
        func fingerprints() throws -> [String: String] {
            let result = try steward(["check", directory.path, "--no-manifest", "--format", "json", "--no-cache"], in: directory)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let findings = try #require(document["findings"] as? [[String: Any]])
            return Dictionary(findings.map { ("\($0["rule"]!) \(($0["location"] as? [String: Any])?["path"] ?? "")", $0["fingerprint"] as! String) },
                              uniquingKeysWith: { first, _ in first })
        }
        let before = try fingerprints()
        try Data(("-- a comment\n\n\n" + "CREATE TABLE t (id int, name varchar(5));\n").utf8).write(to: directory.appendingPathComponent("001_t.sql"))
        let after = try fingerprints()
        #expect(!before.isEmpty)
        #expect(before == after)
    }

    // MARK: Several reports from one run

    @Test func severalFormatsFromOneRun() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("steward-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let sarif = scratch.appendingPathComponent("r.sarif").path, junit = scratch.appendingPathComponent("r.xml").path
        let result = try steward(["check", "--format", "sarif", "--output", sarif, "--format", "text", "--format=junit", "--output=\(junit)"], in: root)
        #expect(result.status == 1)
        #expect(result.stdout.hasSuffix("1 error, 38 warnings, 3 notes\n"), "text goes to stdout")
        #expect(try String(contentsOfFile: sarif, encoding: .utf8).contains("\"version\" : \"2.1.0\""))
        #expect(try String(contentsOfFile: junit, encoding: .utf8).hasPrefix("<?xml"))
        // --output alone writes text to the file.
        let textFile = scratch.appendingPathComponent("r.txt").path
        let alone = try steward(["check", "--output", textFile], in: root)
        #expect(alone.stdout.isEmpty)
        #expect(try String(contentsOfFile: textFile, encoding: .utf8).hasSuffix("1 error, 38 warnings, 3 notes\n"))
    }

    @Test func badOutputCombinationsAreUsageErrors() throws {
        let twoOnStdout = try steward(["check", "--format", "json", "--format", "sarif"], in: root)
        #expect(twoOnStdout.status == 2)
        #expect(twoOnStdout.stderr.contains("only one --format can write to standard output"))
        let unwritable = try steward(["check", "--format", "sarif", "--output", "/nonexistent/dir/r.sarif"], in: root)
        #expect(unwritable.status == 2)
        #expect(unwritable.stderr.contains("/nonexistent/dir/r.sarif: error: cannot write the sarif report: No such file or directory"), "\(unwritable.stderr)")
        // A device that refuses every write (ENOSPC): the report's failure is an input error, not a silent green run.
        let full = try steward(["check", "--format", "json", "--output", "/dev/full"], in: root)
        #expect(full.status == 2)
        #expect(full.stderr.contains("/dev/full: error: cannot write the json report: No space left on device"), "\(full.stderr)")
        let twice = try steward(["check", "--format", "json", "--output", "/tmp/x.json", "--format", "sarif", "--output", "/tmp/x.json"], in: root)
        #expect(twice.status == 2)
        let unknown = try steward(["check", "--format", "yaml"], in: root)
        #expect(unknown.status == 2)
    }
}
