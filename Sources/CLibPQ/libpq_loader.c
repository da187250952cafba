#include "steward_libpq.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static StewardLibPQ table;
static const char *load_error;
static char load_error_text[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void *symbol(void *library, const char *name) {
    void *address = dlsym(library, name);
    if (address == NULL && load_error == NULL) {
        snprintf(load_error_text, sizeof load_error_text, "libpq.so.5 lacks %s (libpq older than PostgreSQL 10?)", name);
        load_error = load_error_text;
    }
    return address;
}

static void load(void) {
    // The soname, not libpq.so: the unversioned link exists only with libpq-dev installed.
    void *library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        snprintf(load_error_text, sizeof load_error_text,
                 "cannot load libpq (%s): install the PostgreSQL client library (Debian/Ubuntu: apt-get install libpq5)", dlerror());
        load_error = load_error_text;
        return;
    }
#define LOAD(field, name) table.field = (__typeof__(name) *)symbol(library, #name)
    LOAD(connectdbParams, PQconnectdbParams);
    LOAD(status, PQstatus);
    LOAD(errorMessage, PQerrorMessage);
    LOAD(finish, PQfinish);
    LOAD(exec, PQexec);
    LOAD(execParams, PQexecParams);
    LOAD(resultStatus, PQresultStatus);
    LOAD(resultErrorMessage, PQresultErrorMessage);
    LOAD(resultErrorField, PQresultErrorField);
    LOAD(ntuples, PQntuples);
    LOAD(nfields, PQnfields);
    LOAD(fname, PQfname);
    LOAD(getvalue, PQgetvalue);
    LOAD(getisnull, PQgetisnull);
    LOAD(clear, PQclear);
    LOAD(conninfoParse, PQconninfoParse);
    LOAD(conninfoFree, PQconninfoFree);
    LOAD(serverVersion, PQserverVersion);
    LOAD(db, PQdb);
    LOAD(user, PQuser);
    LOAD(host, PQhost);
    LOAD(port, PQport);
    LOAD(setNoticeProcessor, PQsetNoticeProcessor);
    LOAD(freemem, PQfreemem);
#undef LOAD
}

const StewardLibPQ *steward_libpq(const char **error) {
    pthread_once(&once, load);
    if (load_error != NULL) {
        if (error != NULL) *error = load_error;
        return NULL;
    }
    return &table;
}

void steward_libpq_ignore_notice(void *arg, const char *message) {
    (void)arg;
    (void)message;
}
