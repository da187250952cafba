import ArgumentParser
import Foundation
import StewardCore
import StewardReporting

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the ownership report: services, dependency graph, coupling, decomposition readiness.",
        discussion: "Markdown (GitHub renders its Mermaid graph) or JSON. Exits 0 when the report is written, 2 on an input error.")

    @OptionGroup var input: InputOptions

    @Option(name: .long, help: "Output format: markdown or json.")
    var format: ReportDocumentFormat = .markdown

    @Option(name: .long, help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Add each service's share of size, writes and database time, from a file `steward stats` wrote.", valueName: "file"))
    var stats: String?

    func run() throws {
        guard let manifest = input.resolvedManifest() else {
            failWithInputErrors([InputError(path: input.directory, message: """
                no \(ManifestLoader.fileName) found (searched \(input.manifestSearchStarts.joined(separator: " and ")) and their parents); \
                the report is about ownership: pass --manifest
                """)], colors: false)
        }
        var options = input.analysisOptions(keepModel: true)
        options.manifestPath = manifest
        let analysis: Analysis
        do {
            analysis = try Analyzer.analyze(options)
        } catch {
            failWithInputErrors(error.errors, colors: false)
        }
        var report = OwnershipReport.build(model: analysis.model, manifest: analysis.manifest, migrations: analysis.migrations,
                                           queries: analysis.queries, findings: analysis.findings)
        if let stats, let manifest = analysis.manifest {
            do {
                report.load = ServiceLoad.of(try DatabaseStatistics.load(path: stats), model: analysis.model, manifest: manifest)
            } catch {
                failWithInputErrors([error], colors: false)
            }
        }
        let paths = RepositoryPaths(root: RepositoryRoot.of(input.directory), workingDirectory: FileManager.default.currentDirectoryPath)
        let text = format == .json ? OwnershipReportJSON.render(report)
            : OwnershipReportMarkdown(paths: paths).render(report, title: paths.relative(input.directory))
        writeDocument(text, to: output, what: "report")
    }
}

enum ReportDocumentFormat: String, ExpressibleByArgument, CaseIterable {
    case markdown, json
}
