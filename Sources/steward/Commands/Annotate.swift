import ArgumentParser
import Foundation
import StewardCore
import StewardReporting

struct Annotate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a migration that tags each table's comment with its owner (`@owner <service>`).",
        discussion: """
            The new migration is named as the directory's migration tool expects (next version or timestamp, up/down \
            sections or files); its COMMENT ON statements add or fix the tag and keep the existing comment text; its down \
            migration restores the comments. --dry-run prints it instead. Exits 0, or 2 on an input error.
            """)

    @OptionGroup var input: InputOptions

    @Flag(name: .long, help: "Print the migration instead of writing it.")
    var dryRun = false

    func run() throws {
        guard let manifest = input.resolvedManifest() else {
            failWithInputErrors([InputError(path: input.directory, message: "no \(ManifestLoader.fileName) found; pass --manifest (the tags name its services)")],
                                colors: false)
        }
        var options = input.analysisOptions(keepModel: true)
        options.manifestPath = manifest
        options.configuration = RuleConfiguration(select: [Diagnostic.syntaxError.id])
        let analysis: Analysis
        do { analysis = try Analyzer.analyze(options) } catch { failWithInputErrors(error.errors, colors: false) }
        // A migration Steward cannot read or parse would leave tables out: fix the set first.
        let broken = analysis.findings.filter { finding in
            finding.severity == .error && Diagnostic(rawValue: finding.ruleID) != nil
        }
        if !broken.isEmpty {
            failWithInputErrors(broken.map { finding in
                InputError(path: finding.location?.path ?? input.directory, line: finding.location?.line, column: finding.location?.column,
                           message: "\(finding.message); fix the migrations first (`steward check` lists what is wrong)")
            }, colors: false)
        }
        let annotations = OwnershipComments.annotations(analysis.model)
        guard !annotations.isEmpty else {
            writeOutput("steward annotate: every owned table's comment already names its owner\n")
            return
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss"
        let files: [AnnotationMigration.File]
        do {
            files = try AnnotationMigration.files(for: annotations, in: analysis.migrations, timestamp: formatter.string(from: Date()))
        } catch {
            if dryRun { writeOutput(OwnershipComments.sql(annotations)); return }
            failWithInputErrors([InputError(path: input.directory, message: error.message)], colors: false)
        }
        let directory = URL(fileURLWithPath: analysis.migrations.directory)
        if dryRun {
            for file in files { writeOutput("-- \(directory.appendingPathComponent(file.path).relativePath)\n" + file.text) }
            return
        }
        for file in files {
            let url = directory.appendingPathComponent(file.path)
            guard !FileManager.default.fileExists(atPath: url.path) else {
                failWithInputErrors([InputError(path: url.relativePath, message: "already exists; Steward does not overwrite a migration")], colors: false)
            }
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.text.utf8).write(to: url)
            } catch {
                failWithInputErrors([InputError(path: url.relativePath, message: "cannot write: \(error.localizedDescription)")], colors: false)
            }
            writeOutput("wrote \(url.relativePath) (\(annotations.count) table comment\(annotations.count == 1 ? "" : "s"))\n")
        }
        if analysis.migrations.layout == .atlas {
            writeOutput("note: run `atlas migrate hash` to add it to atlas.sum\n")
        }
    }
}
