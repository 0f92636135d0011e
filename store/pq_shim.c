/*
 * pq_shim.c - libpq loaded on demand.
 *
 * A field-office laptop runs ctis on SQLite and never talks to PostgreSQL,
 * yet linking libpq makes every start of the program map some thirty
 * shared libraries (libpq's TLS, Kerberos and LDAP chain): about 12 ms of a
 * 20 ms 'ctis report'. So ctis does not link libpq. This file defines the
 * libpq functions the PostgreSQL backend calls, each forwarding to the real
 * one, which store_pq_load() finds with dlopen() the first time a
 * postgresql:// URL is opened. A machine without libpq5 runs everything
 * but the PostgreSQL backend, which then fails with a clear message.
 *
 * The table of pointers is written once, under pthread_once, and only read
 * afterwards: the same role as the dynamic linker's own tables, and the
 * only process-global state of store/.
 */
#include <dlfcn.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "store_int.h"

#define LIBPQ "libpq.so.5"

struct pq_table {
    void (*clear)(PGresult *);
    int (*ntuples)(const PGresult *);
    ExecStatusType (*result_status)(const PGresult *);
    PGresult *(*exec)(PGconn *, const char *);
    ConnStatusType (*status)(const PGconn *);
    char *(*getvalue)(const PGresult *, int, int);
    void (*finish)(PGconn *);
    PGresult *(*get_result)(PGconn *);
    int (*getisnull)(const PGresult *, int, int);
    void (*conninfo_free)(PQconninfoOption *);
    PQnoticeProcessor (*set_notice_processor)(PGconn *, PQnoticeProcessor,
                                              void *);
    char *(*result_error_message)(const PGresult *);
    char *(*result_error_field)(const PGresult *, int);
    char *(*error_message)(const PGconn *);
    PQconninfoOption *(*conninfo_parse)(const char *, char **);
    PGTransactionStatusType (*transaction_status)(const PGconn *);
    int (*send_query)(PGconn *, const char *);
    void (*reset)(PGconn *);
    int (*put_copy_end)(PGconn *, const char *);
    int (*put_copy_data)(PGconn *, const char *, int);
    void (*freemem)(void *);
    PGresult *(*exec_params)(PGconn *, const char *, int, const Oid *,
                             const char *const *, const int *, const int *,
                             int);
    char *(*escape_identifier)(PGconn *, const char *, size_t);
    PGconn *(*connectdb_params)(const char *const *, const char *const *,
                                int);
};

static pthread_once_t pq_once = PTHREAD_ONCE_INIT;
static struct pq_table pq;
static int pq_loaded;
static char pq_error[160];

/* dlsym returns void *; going through memcpy keeps -Wpedantic quiet about
 * converting an object pointer to a function pointer. */
static int bind(void *lib, const char *name, void *slot, size_t size)
{
    void *sym = dlsym(lib, name);

    if (sym == NULL) {
        snprintf(pq_error, sizeof pq_error, "%s has no %s", LIBPQ, name);
        return -1;
    }
    memcpy(slot, &sym, size);
    return 0;
}

#define BIND(field, name) bind(lib, name, &pq.field, sizeof pq.field)

static void load_once(void)
{
    void *lib = dlopen(LIBPQ, RTLD_NOW | RTLD_LOCAL);
    int rc = 0;

    if (lib == NULL) {
        snprintf(pq_error, sizeof pq_error,
                 "cannot load %s (install Debian's libpq5)", LIBPQ);
        return;
    }
    rc |= BIND(clear, "PQclear");
    rc |= BIND(ntuples, "PQntuples");
    rc |= BIND(result_status, "PQresultStatus");
    rc |= BIND(exec, "PQexec");
    rc |= BIND(status, "PQstatus");
    rc |= BIND(getvalue, "PQgetvalue");
    rc |= BIND(finish, "PQfinish");
    rc |= BIND(get_result, "PQgetResult");
    rc |= BIND(getisnull, "PQgetisnull");
    rc |= BIND(conninfo_free, "PQconninfoFree");
    rc |= BIND(set_notice_processor, "PQsetNoticeProcessor");
    rc |= BIND(result_error_message, "PQresultErrorMessage");
    rc |= BIND(result_error_field, "PQresultErrorField");
    rc |= BIND(error_message, "PQerrorMessage");
    rc |= BIND(conninfo_parse, "PQconninfoParse");
    rc |= BIND(transaction_status, "PQtransactionStatus");
    rc |= BIND(send_query, "PQsendQuery");
    rc |= BIND(reset, "PQreset");
    rc |= BIND(put_copy_end, "PQputCopyEnd");
    rc |= BIND(put_copy_data, "PQputCopyData");
    rc |= BIND(freemem, "PQfreemem");
    rc |= BIND(exec_params, "PQexecParams");
    rc |= BIND(escape_identifier, "PQescapeIdentifier");
    rc |= BIND(connectdb_params, "PQconnectdbParams");
    pq_loaded = rc == 0;
}

/* Load libpq once; every PQ* call below is valid only after a 0 here. */
int store_pq_load(struct ctis_err *err)
{
    pthread_once(&pq_once, load_once);
    if (!pq_loaded) {
        return ctis_err_set(err, CTIS_EUNSUPPORTED, "postgresql backend: %s",
                            pq_error);
    }
    return 0;
}

void PQclear(PGresult *res)
{
    pq.clear(res);
}

int PQntuples(const PGresult *res)
{
    return pq.ntuples(res);
}

ExecStatusType PQresultStatus(const PGresult *res)
{
    return pq.result_status(res);
}

PGresult *PQexec(PGconn *conn, const char *query)
{
    return pq.exec(conn, query);
}

ConnStatusType PQstatus(const PGconn *conn)
{
    return pq.status(conn);
}

char *PQgetvalue(const PGresult *res, int row, int col)
{
    return pq.getvalue(res, row, col);
}

void PQfinish(PGconn *conn)
{
    pq.finish(conn);
}

PGresult *PQgetResult(PGconn *conn)
{
    return pq.get_result(conn);
}

int PQgetisnull(const PGresult *res, int row, int col)
{
    return pq.getisnull(res, row, col);
}

void PQconninfoFree(PQconninfoOption *options)
{
    pq.conninfo_free(options);
}

PQnoticeProcessor PQsetNoticeProcessor(PGconn *conn, PQnoticeProcessor proc,
                                       void *arg)
{
    return pq.set_notice_processor(conn, proc, arg);
}

char *PQresultErrorMessage(const PGresult *res)
{
    return pq.result_error_message(res);
}

char *PQresultErrorField(const PGresult *res, int code)
{
    return pq.result_error_field(res, code);
}

char *PQerrorMessage(const PGconn *conn)
{
    return pq.error_message(conn);
}

PQconninfoOption *PQconninfoParse(const char *conninfo, char **errmsg)
{
    return pq.conninfo_parse(conninfo, errmsg);
}

PGTransactionStatusType PQtransactionStatus(const PGconn *conn)
{
    return pq.transaction_status(conn);
}

int PQsendQuery(PGconn *conn, const char *query)
{
    return pq.send_query(conn, query);
}

void PQreset(PGconn *conn)
{
    pq.reset(conn);
}

int PQputCopyEnd(PGconn *conn, const char *errormsg)
{
    return pq.put_copy_end(conn, errormsg);
}

int PQputCopyData(PGconn *conn, const char *buffer, int nbytes)
{
    return pq.put_copy_data(conn, buffer, nbytes);
}

void PQfreemem(void *ptr)
{
    pq.freemem(ptr);
}

PGresult *PQexecParams(PGconn *conn, const char *command, int n,
                       const Oid *types, const char *const *values,
                       const int *lengths, const int *formats, int result)
{
    return pq.exec_params(conn, command, n, types, values, lengths, formats,
                          result);
}

char *PQescapeIdentifier(PGconn *conn, const char *str, size_t len)
{
    return pq.escape_identifier(conn, str, len);
}

PGconn *PQconnectdbParams(const char *const *keywords,
                          const char *const *values, int expand_dbname)
{
    return pq.connectdb_params(keywords, values, expand_dbname);
}
