import ArgumentParser
import Foundation
import StewardCore
import StewardLive
import StewardReporting

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare the migrations' schema with a live database: drift per service and pending migrations.",
        discussion: """
            Reads the database's catalog in one read-only transaction (statement_timeout, lock_timeout, no lock \
            stronger than AccessShareLock) and never writes to it. Lists, per owning service, objects the migrations \
            create that the database lacks, objects the database has that no migration creates (unowned-object when no \
            service claims them), and objects that differ; then the migration tool's bookkeeping table against the \
            repository: pending migrations, applied migrations missing from the repository, checksum mismatches, \
            a dirty or failed state. Exit codes: 0 no drift, 1 drift, 2 an input or connection error.
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Output format: text, json or markdown.")
    var format: LiveOutputFormat = .text

    func run() throws {
        let analysis = analyzedMigrations(input, purpose: "compare")
        let comparison: LiveComparison
        do throws(LiveError) {
            let connection = try PostgresConnection(database.target)
            let session = try InspectionSession(connection, statementTimeoutMilliseconds: database.statementTimeout * 1000)
            comparison = try LiveDiff.run(analysis, session: session)
        } catch {
            failWithLiveError(error)
        }
        writeLiveComparison(comparison, format: format, directory: input.directory)
    }
}
