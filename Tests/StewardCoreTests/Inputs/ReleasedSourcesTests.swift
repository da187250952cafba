import Foundation
@testable import StewardCore
import StewardSQL
import Testing

/// `steward check` releases each migration's text once it is replayed: what the rules and the
/// report need from the text is kept, and the report reads the files it quotes again.
struct ReleasedSourcesTests {
    @Test func aReleasedFileKeepsItsFirstStatementAndSuppressionsAndIsReadAgainForTheReport() throws {
        let directory = try TemporaryDirectory()
        try directory.write("1_init.up.sql", "-- header\n\nCREATE TABLE a (id int);\n")
        try directory.write("2_more.up.sql", "-- steward:ignore drop-table -- retired in ticket 12\nDROP TABLE a;\n")
        var set = try MigrationDiscovery.discover(at: directory.path, layout: .golangMigrate)
        let before = set.files.map(\.firstStatementLocation)
        let suppressionsBefore = set.files.map { Suppressions.inSQL($0) }
        set.releaseSources()

        #expect(set.files.allSatisfy { $0.original.bytes.isEmpty && $0.source.bytes.isEmpty })
        #expect(set.files.map(\.firstStatementLocation) == before)
        #expect(set.files.map { Suppressions.inSQL($0) } == suppressionsBefore)
        #expect(suppressionsBefore[1].first?.reason == "retired in ticket 12")

        let sources = Analyzer.sources(of: set, manifest: nil)
        #expect(sources[set.files[0].path]?.line(3) == "CREATE TABLE a (id int);")
        #expect(sources[set.files[1].path]?.line(2) == "DROP TABLE a;")
        #expect(sources[directory.path + "/elsewhere.sql"] == nil, "only the set's own files are read again")
    }

    @Test func aFileEditedSinceItWasParsedIsNotQuoted() throws {
        let directory = try TemporaryDirectory()
        try directory.write("1_init.up.sql", "CREATE TABLE a (id int);\n")
        var set = try MigrationDiscovery.discover(at: directory.path, layout: .golangMigrate)
        set.releaseSources()
        try directory.write("1_init.up.sql", "CREATE TABLE a (id int, name text);\n")
        // Quoting the new text under the old positions would show the wrong line.
        #expect(Analyzer.sources(of: set, manifest: nil)[set.files[0].path] == nil)
    }

    @Test func theReleasedRunReportsWhatTheRunThatKeepsTheTextReports() throws {
        let directory = try TemporaryDirectory()
        // A function of `jobs` writes a table of `web`: found by resolving its body, which the
        // released run reads from the text its code site kept.
        try directory.write("1_init.up.sql", """
            CREATE SCHEMA jobs;
            CREATE TABLE a (id int);
            CREATE FUNCTION jobs.touch() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              UPDATE public.a SET id = id;
              RETURN NEW;
            END $$;
            CREATE FUNCTION jobs.total() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM public.a $$;

            """)
        try directory.write("2_more.up.sql", "-- steward:ignore create-index-without-concurrently -- empty table\nCREATE INDEX a_id ON a (id);\nALTER TABLE a ADD COLUMN b varchar(10);\n")
        try directory.write("ownership.yml", """
            version: 1
            services:
              web: {owners: ["@web"], tables: [a]}
              jobs: {owners: ["@jobs"], schemas: [jobs]}

            """)
        func run(release: Bool) throws -> [Finding] {
            var options = AnalysisOptions(directory: directory.path, manifestPath: directory.path + "/ownership.yml", showAllowed: true,
                                          keepModel: false)
            options.releaseSources = release
            return try Analyzer.analyze(options).findings
        }
        let kept = try run(release: false), released = try run(release: true)
        #expect(!kept.isEmpty)
        #expect(kept == released)
        #expect(released.contains { $0.isAllowed && $0.ruleID == "create-index-without-concurrently" })
        let bodies = released.filter { $0.ruleID == "cross-service-dependency" }
        #expect(bodies.map { $0.location?.line } == [5, 8], "the UPDATE in the PL/pgSQL body, the SELECT in the SQL body")
    }
}
