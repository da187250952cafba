import ArgumentParser
import Foundation
import StewardLive

/// The live database: `--db`, else `DATABASE_URL`, else libpq's own defaults (`PGHOST`,
/// `PGDATABASE`, `PGUSER`, `PGPASSWORD`… and `~/.pgpass`), as `psql` reads them.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Connection string or URL of the database (read only).",
        discussion: "Default: DATABASE_URL, else libpq's PG* environment variables and ~/.pgpass. The password is never printed.",
        valueName: "url"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Give up a statement after this many seconds.", valueName: "seconds"))
    var statementTimeout: Int = 30

    var target: ConnectionTarget {
        ConnectionTarget(db ?? ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "")
    }
}

/// A live command's error: the message (password masked by StewardLive), exit 2.
func failWithLiveError(_ error: LiveError) -> Never {
    FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
    Foundation.exit(ExitStatus.inputError.rawValue)
}

enum LiveOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}
