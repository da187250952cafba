// libpg_query makes PostgreSQL's per-backend globals thread-local (`__thread`), which the
// server headers do not say. The three this file touches (through PG_TRY, makeNode and the
// memory-context switch) are renamed away while the headers are read, then declared as
// libpg_query defines them; the headers' inline MemoryContextSwitchTo is not used for the same
// reason (see switch_context).
#define CurrentMemoryContext steward_unused_CurrentMemoryContext
#define PG_exception_stack steward_unused_PG_exception_stack
#define error_context_stack steward_unused_error_context_stack
#include "steward_raw.h"
#include "nodes/nodeFuncs.h"
#include "utils/memutils.h"
#undef CurrentMemoryContext
#undef PG_exception_stack
#undef error_context_stack
extern __thread MemoryContext CurrentMemoryContext;
extern __thread sigjmp_buf *PG_exception_stack;
extern __thread ErrorContextCallback *error_context_stack;

#include <stdlib.h>
#include <string.h>

static inline void switch_context(MemoryContext context) { CurrentMemoryContext = context; }

// pg_query.h defines the version macros of the PostgreSQL it was built from; keep the server
// headers' before including it, and refuse to build when the two majors differ (node layouts
// are only stable within a major version).
enum { STEWARD_HEADERS_VERSION_NUM = PG_VERSION_NUM };
#undef PG_MAJORVERSION
#undef PG_VERSION
#undef PG_VERSION_NUM
#include <pg_query.h>
#include <pg_query/pg_query_internal.h>

_Static_assert(STEWARD_HEADERS_VERSION_NUM / 10000 == PG_VERSION_NUM / 10000,
               "PostgreSQL server headers (postgresql-server-dev-N) and libpg_query are of different major versions; "
               "install the server headers of libpg_query's PostgreSQL version");

// Exported by libpg_query (src/pg_query_outfuncs.h, not installed): serialises a List of RawStmt
// allocated in the current memory context. Raises a PostgreSQL error on failure.
PgQueryProtobuf pg_query_nodes_to_protobuf(const void *obj);

int steward_raw_headers_version_num(void) { return STEWARD_HEADERS_VERSION_NUM; }
int steward_raw_parser_version_num(void) { return PG_VERSION_NUM; }

void *steward_raw_enter(void) { return pg_query_enter_memory_context(); }

void steward_raw_exit(void *context) { pg_query_exit_memory_context((MemoryContext)context); }

steward_raw_parse_result steward_raw_parse(const char *input) {
    steward_raw_parse_result result = {NULL, NULL, 0};
    PgQueryInternalParsetreeAndError parsed = pg_query_raw_parse(input);
    free(parsed.stderr_buffer);
    if (parsed.error != NULL) {
        result.error_message = strdup(parsed.error->message != NULL ? parsed.error->message : "syntax error");
        result.error_cursor = parsed.error->cursorpos;
        pg_query_free_error(parsed.error);
        return result;
    }
    result.statements = parsed.tree;
    return result;
}

typedef struct {
    steward_visitor visit;
    void *context;
} walk_state;

static bool walk(Node *node, void *context) {
    if (node == NULL) return false;
    walk_state *state = (walk_state *)context;
    if (!state->visit(node, state->context)) return false;
    return raw_expression_tree_walker(node, walk, context);
}

bool steward_raw_walk(Node *node, steward_visitor visit, void *context) {
    walk_state state = {visit, context};
    MemoryContext saved = CurrentMemoryContext;
    volatile bool complete = true;
    PG_TRY();
    {
        walk(node, &state);
    }
    PG_CATCH();
    {
        // An unrecognised node type (or the stack-depth guard): keep what was visited.
        switch_context(saved);
        FlushErrorState();
        complete = false;
    }
    PG_END_TRY();
    return complete;
}

/// Serialises `statement` wrapped in a RawStmt and runs libpg_query's deparser on it. The
/// deparser enters and leaves a memory context of its own, which leaves the thread in
/// TopMemoryContext: the caller's context is restored before returning.
static char *deparse_raw_statement(Node *statement) {
    MemoryContext saved = CurrentMemoryContext;
    char *volatile text = NULL;
    PG_TRY();
    {
        RawStmt *raw = makeNode(RawStmt);
        raw->stmt = statement;
        raw->stmt_location = 0;
        raw->stmt_len = 0;
        PgQueryProtobuf protobuf = pg_query_nodes_to_protobuf(list_make1(raw));
        PgQueryDeparseResult deparsed = pg_query_deparse_protobuf(protobuf);
        switch_context(saved);
        free(protobuf.data);
        if (deparsed.error == NULL && deparsed.query != NULL) text = strdup(deparsed.query);
        pg_query_free_deparse_result(deparsed);
    }
    PG_CATCH();
    {
        switch_context(saved);
        FlushErrorState();
        text = NULL;
    }
    PG_END_TRY();
    switch_context(saved);
    return text;
}

char *steward_raw_deparse_statement(Node *statement) { return deparse_raw_statement(statement); }

char *steward_raw_deparse_expression(Node *expression) {
    MemoryContext saved = CurrentMemoryContext;
    SelectStmt *volatile select = NULL;
    PG_TRY();
    {
        ResTarget *target = makeNode(ResTarget);
        target->val = expression;
        target->location = -1;
        SelectStmt *statement = makeNode(SelectStmt);
        statement->targetList = list_make1(target);
        statement->limitOption = LIMIT_OPTION_DEFAULT;
        statement->op = SETOP_NONE;
        select = statement;
    }
    PG_CATCH();
    {
        switch_context(saved);
        FlushErrorState();
        select = NULL;
    }
    PG_END_TRY();
    return select == NULL ? NULL : deparse_raw_statement((Node *)select);
}
