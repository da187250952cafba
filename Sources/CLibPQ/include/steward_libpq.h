#ifndef STEWARD_LIBPQ_H
#define STEWARD_LIBPQ_H

// libpq's declarations (Debian: libpq-dev), for their types only: the functions are called
// through the table below, filled from libpq.so.5 when a live command first needs it, so that
// `steward check` and the release binary do not depend on libpq being installed.
#include <libpq-fe.h>

typedef void (*StewardNoticeProcessor)(void *arg, const char *message);

/// The libpq functions Steward uses, with libpq's own signatures.
typedef struct StewardLibPQ {
    __typeof__(PQconnectdbParams) *connectdbParams;
    __typeof__(PQstatus) *status;
    __typeof__(PQerrorMessage) *errorMessage;
    __typeof__(PQfinish) *finish;
    __typeof__(PQexec) *exec;
    __typeof__(PQexecParams) *execParams;
    __typeof__(PQresultStatus) *resultStatus;
    __typeof__(PQresultErrorMessage) *resultErrorMessage;
    __typeof__(PQresultErrorField) *resultErrorField;
    __typeof__(PQntuples) *ntuples;
    __typeof__(PQnfields) *nfields;
    __typeof__(PQfname) *fname;
    __typeof__(PQgetvalue) *getvalue;
    __typeof__(PQgetisnull) *getisnull;
    __typeof__(PQclear) *clear;
    __typeof__(PQconninfoParse) *conninfoParse;
    __typeof__(PQconninfoFree) *conninfoFree;
    __typeof__(PQserverVersion) *serverVersion;
    __typeof__(PQdb) *db;
    __typeof__(PQuser) *user;
    __typeof__(PQhost) *host;
    __typeof__(PQport) *port;
    __typeof__(PQsetNoticeProcessor) *setNoticeProcessor;
    __typeof__(PQfreemem) *freemem;
} StewardLibPQ;

/// Loads libpq once (thread-safe). Returns the table, or NULL with `*error` set to the
/// loader's message (static storage: do not free).
const StewardLibPQ *steward_libpq(const char **error);

/// A notice processor that drops NOTICE and WARNING messages (libpq prints them to stderr
/// by default; `IF NOT EXISTS … skipping` while applying migrations is not the user's business).
void steward_libpq_ignore_notice(void *arg, const char *message);

#endif
