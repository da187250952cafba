// PostgreSQL's own parse tree, as libpg_query's `pg_query_raw_parse` returns it, for Swift.
//
// The node structs come from PostgreSQL 15's server headers (Debian: postgresql-server-dev-15);
// libpg_query is built from the same major version, whose node layouts do not change within a
// major release (raw_parse.c refuses to build against a different major version). This header
// hides the few macros Swift cannot import (nodeTag, list_length, list_nth, strVal) behind
// inline functions; everything that allocates or can raise a PostgreSQL error is in raw_parse.c.
#ifndef STEWARD_RAW_H
#define STEWARD_RAW_H

// PostgreSQL names some types like Swift's own (`String`, `Float`) and like Steward's readers
// (`text`): they are renamed for Swift, keeping their layout.
#define String PgString
#define Float PgFloat
#define text PgText

#include "postgres.h"
#include "nodes/parsenodes.h"
#include "nodes/pg_list.h"
#include "nodes/value.h"
#include <stdbool.h>

static inline NodeTag steward_node_tag(const void *node) { return nodeTag(node); }
static inline int steward_list_length(const List *list) { return list_length(list); }
static inline Node *steward_list_node(const List *list, int index) { return (Node *)list_nth(list, index); }

/// The result of parsing one piece of SQL. `statements` (a List of RawStmt) lives in the memory
/// context entered with `steward_raw_enter`; `error_message` is malloc'd (free it with `free`).
typedef struct {
    List *statements;
    char *error_message;
    /// 1-based character position PostgreSQL points at, 0 when it points nowhere.
    int error_cursor;
} steward_raw_parse_result;

/// Enters a fresh memory context on this thread (libpg_query keeps its context thread-local);
/// every parse tree made until `steward_raw_exit` lives in it and is freed there at once.
void *steward_raw_enter(void);
void steward_raw_exit(void *context);

/// PostgreSQL's raw parser (the default, statement-list grammar) on a NUL-terminated string.
steward_raw_parse_result steward_raw_parse(const char *input);

/// Calls `visit` for `node` and every node below it, as PostgreSQL's own
/// `raw_expression_tree_walker` finds them (SELECT, INSERT, UPDATE, DELETE, MERGE and all
/// expressions); the nodes below a node are skipped when `visit` returns false for it. Returns
/// false if the walk met a node that walker does not cover: what was visited until then is
/// still valid.
typedef bool (*steward_visitor)(Node *node, void *context);
bool steward_raw_walk(Node *node, steward_visitor visit, void *context);

/// libpg_query's deparser on one expression (printed as the target of `SELECT`) or one
/// statement: malloc'd text, or NULL when it cannot print the tree.
char *steward_raw_deparse_expression(Node *expression);
char *steward_raw_deparse_statement(Node *statement);

/// `T_InsertStmt` -> "InsertStmt" (node_tag_names.c); NULL for a tag PostgreSQL 15 does not have.
const char *steward_node_tag_name(NodeTag tag);

/// PG_VERSION_NUM of the server headers and of libpg_query, checked at build time to share a major.
int steward_raw_headers_version_num(void);
int steward_raw_parser_version_num(void);

#endif
