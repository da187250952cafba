import ArgumentParser
import Foundation
import StewardCore

/// Who approved the change: `--approved-by`, `--reviews`, `--author` (check and review).
struct ApprovalOptions: ParsableArguments {
    @Option(name: .customLong("approved-by"), parsing: .upToNextOption, help: ArgumentHelp(
        "Users who approved the change (comma- or space-separated, with or without @): missing-approval checks each touched service.",
        valueName: "login"))
    var approvedBy: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "GitHub's reviews of the pull request as JSON (`gh api repos/O/R/pulls/N/reviews`): the latest review of each user counts.",
        valueName: "file"))
    var reviews: String?

    @Option(name: .long, help: ArgumentHelp("The pull request's author: their own approval does not count (unless review.author_counts).",
                                            valueName: "login"))
    var author: String?

    /// The approvals as one input; nil when none is given. A reviews file that cannot be read
    /// or is not GitHub's shape is an input error (exit 2).
    func input(colors: Bool) -> ApprovalInput? {
        guard !approvedBy.isEmpty || reviews != nil || author != nil else { return nil }
        var logins = approvedBy.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let reviews {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: reviews))
            } catch {
                failWithInputErrors([InputError(path: reviews, message: "cannot read the reviews: \(error.localizedDescription)")], colors: colors)
            }
            guard !data.isEmpty else {
                failWithInputErrors([InputError(path: reviews, message: "the file is empty; expected GitHub's JSON array of reviews")], colors: colors)
            }
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: data)
            } catch {
                failWithInputErrors([InputError(path: reviews, message: "not JSON; expected GitHub's array of reviews (`gh api repos/O/R/pulls/N/reviews`)")],
                                    colors: colors)
            }
            do {
                logins += try GitHubReviews.approvers(fromJSON: object)
            } catch {
                failWithInputErrors([InputError(path: reviews, message: "not GitHub's reviews: \(error.message)")], colors: colors)
            }
        }
        return ApprovalInput(approvedBy: logins, author: author)
    }
}
