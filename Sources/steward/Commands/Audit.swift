import ArgumentParser
import Foundation
import StewardCore
import StewardLive
import StewardReporting

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check what the services' database roles can really do across service boundaries.",
        discussion: """
            For each service's roles (ownership.yml `roles:`), reads their effective privileges on every table, view, \
            sequence and schema (through role membership and PUBLIC too), object owners, default privileges, role \
            attributes and connection limits, in a read-only transaction. Checks: \
            \(AuditCheck.allCases.map(\.rawValue).joined(separator: ", ")). Ownership comes from the migrations \
            (renames, partitions) and the manifest's patterns. \
            Exit codes: 0 no error-level finding, 1 error-level findings, 2 an input or connection error.
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Output format: text, json or markdown.")
    var format: LiveOutputFormat = .text

    func run() throws {
        guard let manifestPath = input.resolvedManifest() else {
            failWithInputErrors([InputError(path: input.directory, message: "no \(ManifestLoader.fileName) found: the audit checks its services' roles; pass --manifest")], colors: false)
        }
        var options = input.analysisOptions()
        options.manifestPath = manifestPath
        let analysis: Analysis
        do {
            analysis = try Analyzer.analyze(options)
        } catch {
            failWithInputErrors(error.errors, colors: false)
        }
        guard let manifest = analysis.manifest else {
            failWithInputErrors([InputError(path: manifestPath, message: "the manifest could not be read")], colors: false)
        }
        guard manifest.services.contains(where: { !$0.roles.isEmpty }) else {
            failWithInputErrors([InputError(path: manifestPath, message: "no service lists `roles:`: nothing to audit")], colors: false)
        }
        let result: PrivilegeAuditResult
        let target = database.target
        do throws(LiveError) {
            let session = try InspectionSession(try PostgresConnection(target), statementTimeoutMilliseconds: database.statementTimeout * 1000)
            result = try LiveAudit.run(analysis, manifest: manifest, session: session)
        } catch {
            failWithLiveError(error)
        }
        switch format {
        case .text: writeOutput(AuditReporter.renderText(result, target: target.description))
        case .json: writeOutput(AuditReporter.renderJSON(result, target: target.description))
        case .markdown: writeOutput(AuditReporter.renderMarkdown(result, target: target.description))
        }
        if result.errorCount > 0 { throw ExitCode(ExitStatus.findings.rawValue) }
    }
}
