import ArgumentParser
import Foundation
import StewardCore
import StewardLive

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record table sizes, activity and database time per role from a live database.",
        discussion: """
            Writes JSON: per table the planner's row estimate (pg_class.reltuples), its total size, and its insert, \
            update, delete and scan counters (pg_stat_user_tables); per role the calls and execution time from \
            pg_stat_statements when it is installed. No data, no query text, no credentials. \
            `steward check --stats FILE` weighs lock findings by table size; `steward report --stats FILE` shows each \
            service's share of size, writes and database time. Read-only. Exit codes: 0 written, 2 an input or connection error.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("Write the statistics to this file instead of standard output.", valueName: "file"))
    var output: String?

    func run() throws {
        let statistics: DatabaseStatistics
        do throws(LiveError) {
            let session = try InspectionSession(try PostgresConnection(database.target), statementTimeoutMilliseconds: database.statementTimeout * 1000)
            statistics = try StatisticsReader.read(session)
        } catch {
            failWithLiveError(error)
        }
        let text = statistics.json()
        writeDocument(text, to: output, what: "statistics")
    }
}
