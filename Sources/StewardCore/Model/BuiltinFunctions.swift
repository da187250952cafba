/// Facts about PostgreSQL's own functions that the replay needs.
public enum BuiltinFunctions {
    /// Functions marked volatile in `pg_proc` (PostgreSQL 15, and the uuid-ossp extension)
    /// that appear in column defaults: a default calling one is computed per row, so adding
    /// the column rewrites the table. The agreement tests check the list against `pg_proc`.
    public static let volatile: Set<String> = [
        "random", "gen_random_uuid", "clock_timestamp", "timeofday", "nextval", "currval", "lastval", "setval",
        "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
    ]
}
