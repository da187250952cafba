import Foundation
import Testing

/// What a user's CI runs: a binary without libpg_query installed, the GitHub Action's shell
/// steps (run here with a fake GITHUB_* environment), the release tarball it can download.
struct CIPackagingTests {
    /// libpg_query and protobuf-c are linked from their static archives; everything else the
    /// binary needs is glibc, the GCC runtime, or (debug builds only) the Swift toolchain.
    @Test func theBinaryNeedsNoParserLibraryAtRunTime() throws {
        let result = try run("/usr/bin/env", ["ldd", Paths.steward])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("libpg_query"), "\(result.stdout)")
        #expect(!result.stdout.contains("libprotobuf-c"), "\(result.stdout)")
        // glibc and the GCC runtime every glibc distribution installs; a debug build may also use
        // the Swift toolchain's own libraries (the release build links them statically).
        let allowed = ["linux-vdso.so", "libc.so", "libm.so", "libpthread.so", "libdl.so", "librt.so", "ld-linux", "libstdc++.so", "libgcc_s.so",
                       "libutil.so", "libswift", "libFoundation", "lib_Foundation", "libdispatch", "libBlocksRuntime"]
        let libraries = result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let unexpected = libraries.filter { line in !allowed.contains { line.components(separatedBy: " ").first?.contains($0) == true } }
        #expect(unexpected.isEmpty, "libraries a plain glibc system lacks: \(unexpected)")
    }

    /// A repository with a pull request: `main` has one migration, the branch adds a foreign key
    /// across services. `origin/main` stands for the remote base branch.
    final class PullRequest {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("steward-action-\(UUID().uuidString)")
        var github: URL { url.appendingPathComponent(".github-fake") }

        init() throws {
            try FileManager.default.createDirectory(at: url.appendingPathComponent("schema"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: github, withIntermediateDirectories: true)
            try git("init", "-q", "-b", "main")
            try git("config", "user.email", "test@example.com")
            try git("config", "user.name", "Steward Test")
            try write("ownership.yml", """
                version: 1
                services:
                  billing: {owners: ["@acme/billing"], tables: [invoices]}
                  notifier: {owners: ["@acme/notify"], tables: [emails]}

                """)
            try write(".gitignore", ".github-fake/\n*.sarif\n")
            try write("schema/001_init.up.sql", "CREATE TABLE invoices (id bigint PRIMARY KEY);\nCREATE TABLE emails (id bigint PRIMARY KEY, invoice_id bigint);\n")
            try git("add", "-A")
            try git("commit", "-q", "-m", "base")
            try git("update-ref", "refs/remotes/origin/main", "main")
            try git("checkout", "-q", "-b", "feature")
            try write("schema/002_link.up.sql", "SET lock_timeout = '2s';\nALTER TABLE emails ADD CONSTRAINT emails_invoice_fk FOREIGN KEY (invoice_id) REFERENCES invoices (id) NOT VALID;\n")
            try git("add", "-A")
            try git("commit", "-q", "-m", "link")
        }

        deinit { try? FileManager.default.removeItem(at: url) }

        func write(_ path: String, _ text: String) throws { try Data(text.utf8).write(to: url.appendingPathComponent(path)) }

        func read(_ name: String) throws -> String { try String(contentsOf: github.appendingPathComponent(name), encoding: .utf8) }

        @discardableResult
        func git(_ arguments: String...) throws -> CommandResult {
            let result = try run("/usr/bin/env", ["git"] + arguments, in: url)
            try #require(result.status == 0, "git \(arguments.joined(separator: " ")): \(result.stderr)")
            return result
        }

        /// One of the action's steps, as the runner runs it: in the workspace, with GITHUB_* files.
        func step(_ script: String, _ environment: [String: String]) throws -> CommandResult {
            for file in ["env", "output", "summary"] where !FileManager.default.fileExists(atPath: github.appendingPathComponent(file).path) {
                try Data().write(to: github.appendingPathComponent(file))
            }
            var env = ["GITHUB_ENV": github.appendingPathComponent("env").path, "GITHUB_OUTPUT": github.appendingPathComponent("output").path,
                       "GITHUB_STEP_SUMMARY": github.appendingPathComponent("summary").path, "GITHUB_ACTIONS": "true",
                       "GITHUB_BASE_REF": "main", "GITHUB_WORKSPACE": url.path, "RUNNER_TEMP": github.path]
            for (key, value) in environment { env[key] = value }
            return try run(Paths.packageRoot.appendingPathComponent("scripts/action/\(script)").path, [], in: url, environment: env)
        }
    }

    @Test func theActionAnnotatesThePullRequestAndWritesSARIF() throws {
        let pr = try PullRequest()
        let setup = try pr.step("setup.sh", ["INPUT_STEWARD_PATH": Paths.steward])
        #expect(setup.status == 0, "\(setup.stdout) \(setup.stderr)")
        let environment = try pr.read("env")
        #expect(environment == "STEWARD_BIN=\(Paths.steward)\n")

        let check = try pr.step("check.sh", ["STEWARD_BIN": Paths.steward, "INPUT_DIRECTORY": "schema", "INPUT_SARIF": "steward.sarif"])
        #expect(check.status == 1, "\(check.stdout) \(check.stderr)")
        let annotations = check.stdout.split(separator: "\n").filter { $0.hasPrefix("::error") || $0.hasPrefix("::warning") }
        // Who must approve: a notice per touched service.
        #expect(check.stdout.split(separator: "\n").filter { $0.hasPrefix("::notice") && $0.contains("title=steward missing-approval::") }.count == 2)
        // Only the pull request's migration is reported (--since origin/main).
        #expect(annotations.count == 1, "\(check.stdout)")
        #expect(annotations.first?.hasPrefix("::error file=schema/002_link.up.sql,line=2,") == true)
        #expect(annotations.first?.contains("title=steward cross-service-foreign-key::") == true)
        #expect(try pr.read("output") == "sarif=steward.sarif\nexit-code=1\n")
        let summary = try pr.read("summary")
        #expect(summary.hasPrefix("<!-- steward:check -->\n### ❌ Steward: 1 error, 0 warnings, 2 notes\n"))
        #expect(summary.contains("#### Required approvals\n\n- ⏳ `notifier` must approve this change"), "\(summary)")
        let sarif = try String(contentsOf: pr.url.appendingPathComponent("steward.sarif"), encoding: .utf8)
        #expect(sarif.contains("\"uri\" : \"schema/002_link.up.sql\""))

        // `verify: true`: PostgreSQL applies the migrations on a private server; the result goes to the summary.
        try Data().write(to: pr.github.appendingPathComponent("summary-verify"))
        let verify = try pr.step("verify.sh", ["STEWARD_BIN": Paths.steward, "INPUT_DIRECTORY": "schema",
                                               "GITHUB_STEP_SUMMARY": pr.github.appendingPathComponent("summary-verify").path])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        #expect(try pr.read("output").hasSuffix("verify-exit-code=0\n"))
        let verifySummary = try pr.read("summary-verify")
        #expect(verifySummary.contains("No disagreement ("), "\(verifySummary)")

        // More arguments through `args`, and a clean run exits 0.
        let ignored = try pr.step("check.sh", ["STEWARD_BIN": Paths.steward, "INPUT_ARGS": "--ignore ownership"])
        #expect(ignored.status == 0, "\(ignored.stdout) \(ignored.stderr)")
        #expect(try pr.read("output").hasSuffix("exit-code=0\n"))
    }

    /// `steward-version`: the tarball scripts/release makes, downloaded and checked against its sum.
    @Test func theActionDownloadsAReleaseAndChecksItsSum() throws {
        let pr = try PullRequest()
        let releases = pr.github.appendingPathComponent("releases")
        try FileManager.default.createDirectory(at: releases, withIntermediateDirectories: true)
        let name = "steward-9.9.9-linux-\(try run("/usr/bin/env", ["uname", "-m"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))"
        let stage = releases.appendingPathComponent("stage")
        try FileManager.default.createDirectory(at: stage, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Paths.steward, toPath: stage.appendingPathComponent("steward").path)
        #expect(try run("/usr/bin/env", ["tar", "-C", stage.path, "-czf", releases.appendingPathComponent("\(name).tar.gz").path, "steward"]).status == 0)
        let sum = try run("/usr/bin/env", ["sha256sum", "\(name).tar.gz"], in: releases)
        try Data(sum.stdout.utf8).write(to: releases.appendingPathComponent("\(name).tar.gz.sha256"))

        let setup = try pr.step("setup.sh", ["INPUT_STEWARD_VERSION": "v9.9.9", "STEWARD_RELEASE_URL": releases.absoluteString])
        #expect(setup.status == 0, "\(setup.stdout) \(setup.stderr)")
        let binary = pr.github.appendingPathComponent("steward-9.9.9/steward").path
        #expect(try pr.read("env") == "STEWARD_BIN=\(binary)\n")
        #expect(FileManager.default.isExecutableFile(atPath: binary))

        // A tarball that does not match its sum is refused.
        try Data("0000000000000000000000000000000000000000000000000000000000000000  \(name).tar.gz\n".utf8)
            .write(to: releases.appendingPathComponent("\(name).tar.gz.sha256"))
        let tampered = try pr.step("setup.sh", ["INPUT_STEWARD_VERSION": "9.9.9", "STEWARD_RELEASE_URL": releases.absoluteString])
        #expect(tampered.status == 2)
        #expect(tampered.stdout.contains("::error title=steward::\(name).tar.gz does not match its SHA-256 sum"), "\(tampered.stdout)")
        // A version that does not exist.
        let missing = try pr.step("setup.sh", ["INPUT_STEWARD_VERSION": "1.2.3", "STEWARD_RELEASE_URL": releases.absoluteString])
        #expect(missing.status == 2)
        #expect(missing.stdout.contains("cannot download"))
    }

    /// action.yml runs the scripts tested above, with the inputs they read.
    @Test func actionYAMLRunsTheTestedScripts() throws {
        let script = """
            import sys, yaml
            action = yaml.safe_load(open(sys.argv[1]))
            steps = action["runs"]["steps"]
            print(action["runs"]["using"])
            for step in steps:
                print(step["run"], " ".join(sorted(step.get("env", {}))))
            print(" ".join(sorted(action["inputs"])))
            """
        let result = try run("/usr/bin/env", ["python3", "-c", script, "action.yml"], in: Paths.packageRoot)
        #expect(result.stdout == """
            composite
            "$GITHUB_ACTION_PATH/scripts/action/setup.sh" INPUT_STEWARD_PATH INPUT_STEWARD_VERSION
            "$GITHUB_ACTION_PATH/scripts/action/check.sh" INPUT_ARGS INPUT_BASE INPUT_DIRECTORY INPUT_MANIFEST INPUT_SARIF
            "$GITHUB_ACTION_PATH/scripts/action/verify.sh" INPUT_DIRECTORY INPUT_MANIFEST
            args base directory manifest sarif steward-path steward-version verify

            """, "\(result.stderr)")
        let hooks = try run("/usr/bin/env", ["python3", "-c", "import yaml; h = yaml.safe_load(open('.pre-commit-hooks.yaml')); print(h[0]['id'], h[0]['entry'])"],
                            in: Paths.packageRoot)
        #expect(hooks.stdout == "steward-check steward check\n")
    }
}
