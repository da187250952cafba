import StewardSQL

/// `review:` in ownership.yml: who must approve a schema change.
public struct ReviewPolicy: Sendable, Hashable {
    /// Approvals each touched service needs from its owners (default 1).
    public var approvals = 1
    /// Per-service overrides of `approvals` (`review: {services: {billing: 2}}`), with their line.
    public var serviceApprovals: [String: Int] = [:]
    public var serviceLines: [String: Int] = [:]
    /// Whether the owners of services that depend on an object must approve a breaking change to it.
    public var dependentsMustApprove = true
    /// Whether the pull request's author counts as an approver of their own change.
    public var authorCounts = false

    public init() {}

    public func approvals(for service: String) -> Int { serviceApprovals[service] ?? approvals }
}

/// Who approved the change: `--approved-by`, `--reviews` (GitHub's reviews of the pull
/// request) and `--author`. Logins are compared without `@` and case-insensitively, as GitHub does.
public struct ApprovalInput: Sendable, Hashable {
    public var approvedBy: Set<String>
    public var author: String?

    public init(approvedBy: some Sequence<String>, author: String?) {
        self.approvedBy = Set(approvedBy.map(Self.login))
        self.author = author.map(Self.login)
    }

    /// `@Alice` → `alice`.
    public static func login(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: " \t")
        return (trimmed.hasPrefix("@") ? String(trimmed.dropFirst()) : trimmed).lowercased()
    }
}

/// GitHub's "list reviews for a pull request" response (`GET /repos/{o}/{r}/pulls/{n}/reviews`):
/// the users whose latest review approves. A later `CHANGES_REQUESTED` or `DISMISSED` review
/// takes a user's approval back; `COMMENTED` and `PENDING` reviews change nothing (as on GitHub).
public enum GitHubReviews {
    public struct NotGitHubsShape: Error, Sendable {
        public var message: String
    }

    public static func approvers(fromJSON object: Any) throws(NotGitHubsShape) -> Set<String> {
        guard let reviews = object as? [Any] else {
            throw NotGitHubsShape(message: "expected a JSON array of reviews, as GitHub's `list reviews for a pull request` returns")
        }
        var latest: [String: String] = [:]
        for (index, item) in reviews.enumerated() {
            guard let review = item as? [String: Any], let user = review["user"] as? [String: Any], let login = user["login"] as? String,
                  let state = review["state"] as? String else {
                throw NotGitHubsShape(message: "review \(index + 1) has no `user.login` and `state`, as GitHub's reviews have")
            }
            switch state {
            case "APPROVED", "CHANGES_REQUESTED", "DISMISSED": latest[ApprovalInput.login(login)] = state
            case "COMMENTED", "PENDING": continue
            default: throw NotGitHubsShape(message: "review \(index + 1) has state `\(state)`; GitHub's states are APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING")
            }
        }
        return Set(latest.filter { $0.value == "APPROVED" }.keys)
    }
}

extension String {
    fileprivate func trimmingCharacters(in characters: String) -> String {
        var result = Substring(self)
        while let first = result.first, characters.contains(first) { result.removeFirst() }
        while let last = result.last, characters.contains(last) { result.removeLast() }
        return String(result)
    }
}

/// A service whose consent a change needs, and why.
public struct TouchedService: Sendable {
    public enum Reason: Sendable, Hashable {
        /// The change creates, alters or drops the service's objects.
        case owns(String)
        /// Another service's new object depends on the service's private table.
        case newDependent(String)
        /// A breaking change to an object the service depends on.
        case dependsOnBrokenObject(String)
    }

    public var service: String
    public var reasons: [Reason]
    /// Where the first reason is written.
    public var location: FileLocation
}

extension OwnershipManifest {
    /// The logins (without `@`, lower case) who may approve for a service: its user owners and
    /// the members of its team owners. `nil` members: a team owner `teams:` does not declare.
    public func approvers(of service: String) -> (logins: [String], undeclaredTeams: [String]) {
        var logins: [String] = [], undeclared: [String] = []
        for owner in self.service(named: service)?.owners ?? [] {
            if owner.contains("/") {
                if let team = teams[owner] { logins += team.members.map(ApprovalInput.login) } else { undeclared.append(owner) }
            } else {
                logins.append(ApprovalInput.login(owner))
            }
        }
        var seen = Set<String>()
        return (logins.filter { seen.insert($0).inserted }, undeclared)
    }

    /// The approvals that count for a service: given by one who may approve for it, and not by
    /// the author unless `review.author_counts`.
    public func validApprovals(among approvers: [String], given input: ApprovalInput) -> [String] {
        approvers.filter { input.approvedBy.contains($0) && (review.authorCounts || $0 != input.author) }
    }
}
