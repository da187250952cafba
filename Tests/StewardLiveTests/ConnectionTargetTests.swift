import StewardLive
import Testing

@Suite struct ConnectionTargetTests {
    @Test("a URL's password is masked, also where libpq cannot parse the rest", arguments: [
        "postgresql://app:s3cr%t@db.internal:5432/prod",
        "postgresql://app:s3cr%t@[::1",
        "postgres://app:s3cr%t@db.internal/prod?sslmode=require",
    ])
    func maskURLPassword(_ url: String) {
        let target = ConnectionTarget(url)
        #expect(!target.mask("failed for \(url)").contains("s3cr%t"))
        #expect(!target.description.contains("s3cr%t"))
    }

    @Test func maskKeyValuePassword() {
        let target = ConnectionTarget("host=db user=app password='pa ss' dbname=prod")
        #expect(target.mask("password 'pa ss' rejected") == "password '****' rejected")
        #expect(target.description == "user=app dbname=prod host=db")
    }

    @Test func invalidConnectionStringsAreRejectedWithoutTheirPassword() throws {
        for text in ["host=db password=hunter2 port", "postgresql://u:hunter2@[::1"] {
            let error = try #require(throws: LiveError.self) { try ConnectionTarget(text).validate() }
            #expect(error.kind == .invalidConnectionString)
            #expect(!error.message.contains("hunter2"), "\(error.message)")
        }
        try ConnectionTarget("").validate()
        try ConnectionTarget("postgresql:///db").validate()
    }
}
