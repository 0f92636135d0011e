/*
 * http.h - the ctis HTTP API server (`ctis serve`): JSON REST under /api/
 * over libmicrohttpd, and the browser's files from a web/ folder at /.
 *
 * http/ only translates: a request is matched against the route table
 * (routes.c: method, path pattern, handler, role, writes), the caller is
 * found from its session, and the handler calls one ops/ function with the
 * caller's context; ops/ checks roles and agencies and writes the audit
 * trail. Errors become {"error":{"code","message","field"}} through one
 * table of codes and statuses (errors.c).
 *
 * The server is one struct http_server: a pool of store handles (one per
 * worker thread), the sessions, the login throttle and the request log.
 * There is no global state; the signal handling of http_serve is the
 * caller's process's (it blocks SIGTERM and SIGINT and waits for them).
 */
#ifndef CTIS_HTTP_H
#define CTIS_HTTP_H

#include <stddef.h>
#include <stdio.h>

#include "base/base.h"
#include "seal/seal.h"

/* The largest request body accepted, in bytes (docs/api.md). A larger one
 * is answered 413 "too_large". */
#define HTTP_MAX_BODY (1024 * 1024)
/* The longest request header line (name and value) accepted; a longer one
 * is answered 431 "header_too_large". */
#define HTTP_MAX_HEADER 8192

struct http_config {
    const char *db_url;     /* the database (file or postgresql:// URL) */
    const char *listen;     /* "127.0.0.1:8080"; port 0 picks a free one */
    const char *tls_cert;   /* PEM files, both or neither */
    const char *tls_key;
    const char *web_dir;    /* served at /; NULL or missing: no files */
    unsigned threads;       /* worker threads; 0: one per core */
    long session_ttl;       /* seconds a session lives; 0: 8 hours */
    FILE *log;              /* one line per request; NULL: stderr */
    const char *port_file;  /* when set, the bound port is written there */
    /* The key that unlocks a sealed database (the caller's, borrowed for
     * the server's life), or NULL: a sealed database's identities then
     * answer 503 "key_unavailable". */
    const struct seal_kek *kek;
};

struct http_server;

/* Start serving cfg in background threads. *out is owned by the caller
 * (http_server_stop). Errors: CTIS_EINVAL (bad listen address, one of the
 * TLS files without the other), CTIS_EIO (a TLS file unreadable, the
 * address in use), the store's errors opening the database. */
int http_server_start(struct http_server **out, const struct http_config *cfg,
                      struct ctis_err *err);
/* The TCP port the server listens on. */
unsigned http_server_port(const struct http_server *srv);
/* Stop taking connections, let the requests in flight finish (at most
 * `grace` seconds), flush the audit entries still queued, close the store
 * handles and free srv. Accepts NULL. */
void http_server_stop(struct http_server *srv, double grace);

/* Run the server until SIGTERM or SIGINT, then stop it gracefully. The
 * signals are blocked in every thread and taken with sigwait. Prints
 * "listening on http://HOST:PORT/" on stderr when ready. 0 or an error
 * from http_server_start. */
int http_serve(const struct http_config *cfg, struct ctis_err *err);

/*
 * The request handler without the network, for the fuzz target and for
 * tests: `raw` is a whole request as
 *   METHOD SP TARGET LF (NAME ":" SP VALUE LF)* LF BODY
 * answered by the same code that answers real connections. Returns the
 * status, and appends the body to body when it is not NULL. srv comes from
 * http_server_start with the listen address "none" (no socket).
 */
int http_handle_raw(struct http_server *srv, const char *raw, size_t len,
                    struct ctis_buf *body);

#endif
