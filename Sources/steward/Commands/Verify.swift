import ArgumentParser
import Dispatch
import Foundation
import StewardCore
import StewardLive
import StewardReporting

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the migrations to a scratch PostgreSQL and check the model against its catalog.",
        discussion: """
            Creates a temporary database (--scratch-db: on that server, which must let the user CREATE DATABASE; \
            --ephemeral: on a private server started with initdb), applies the migrations as their tool would, \
            compares the catalog with Steward's model, and drops the database (also on failure and Ctrl-C). \
            Exit codes: 0 the model and PostgreSQL agree, 1 a disagreement or a migration PostgreSQL rejects, \
            2 an input or connection error.
            """)

    @OptionGroup var input: InputOptions

    @Option(name: .long, help: ArgumentHelp("Server on which to create the scratch database (connection string or URL).", valueName: "url"))
    var scratchDb: String?

    @Flag(name: .long, help: "Start a private PostgreSQL for the run (needs initdb and pg_ctl).")
    var ephemeral = false

    @Option(name: .long, help: "Output format: text, json or markdown.")
    var format: LiveOutputFormat = .text

    func validate() throws {
        if (scratchDb == nil) == !ephemeral {
            throw ValidationError("pass either --scratch-db URL or --ephemeral")
        }
    }

    func run() throws {
        let analysis = analyzedMigrations(input, purpose: "verify")
        let comparison: LiveComparison
        do throws(LiveError) {
            let server = ephemeral ? try EphemeralServer() : nil
            let scratch = try ScratchDatabase(on: server?.target ?? ConnectionTarget(scratchDb ?? ""))
            let cleanup = Cleanup { scratch.dropFromAnotherConnection(); server?.stop() }
            defer { cleanup.run() }
            comparison = try Verification.run(analysis, in: scratch)
        } catch {
            // After Ctrl-C the signal handler drops the database and exits; the error is its doing.
            while Cleanup.wasInterrupted { pause() }
            failWithLiveError(error)
        }
        // A migration that failed because the database was dropped under it is no result either.
        while Cleanup.wasInterrupted { pause() }
        writeLiveComparison(comparison, format: format, directory: input.directory)
    }
}

