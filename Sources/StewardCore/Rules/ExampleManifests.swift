/// Manifests shared by the rules' examples: `analyzer` owns `codebases`, `web` owns
/// `bookmarks`, whose foreign key (documented as allowed) depends on `codebases`.
enum ExampleManifests {
    static let analyzerAndWeb = """
        version: 1
        services:
          analyzer: {owners: ["@acme/analyzer"], tables: [codebases, analyses]}
          web: {owners: ["@acme/web"], tables: [bookmarks], roles: [svc_web]}
        boundaries:
          allow:
            - {from: web, to: analyzer, objects: [codebases], reason: "bookmarks point at codebases"}

        """

    /// `codebases` with a foreign key from `bookmarks` (another service).
    static let codebasesWithBookmarks = """
        CREATE TABLE codebases (id bigint PRIMARY KEY, name text NOT NULL, last_viewed_at timestamptz);
        CREATE TABLE bookmarks (id bigint PRIMARY KEY, codebase_id bigint REFERENCES codebases (id));
        """
}
