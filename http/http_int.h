/*
 * http_int.h - private to http/: a request and its response as the core
 * handler (handle.c) sees them, independent of libmicrohttpd (server.c
 * fills them from a connection, http_handle_raw from bytes), the route
 * table's row, the sessions and the error table.
 *
 * Lifetime: a request owns an arena; everything a handler allocates for
 * the request (decoded path segments, query values, JSON text) comes from
 * it and is freed in one place when the response has been sent.
 */
#ifndef CTIS_HTTP_INT_H
#define CTIS_HTTP_INT_H

#include <pthread.h>
#include <stdint.h>

#include <jansson.h>

#include "http/http.h"
#include "ops/ops.h"
#include "store/store.h"

#define HTTP_MAX_HEADERS 64
#define HTTP_MAX_PARAMS 4
#define HTTP_MAX_QUERY 16
#define HTTP_MAX_RESP_HEADERS 8

struct http_kv {
    const char *name;
    const char *value;
};

/* The caller, once its session is known. */
struct http_caller {
    struct ops_caller who;
    int authenticated;   /* 0: no valid session */
    int by_cookie;       /* the session came from the cookie, not a bearer */
    int must_change;     /* must change its password before anything else */
    char csrf[65];       /* the session's CSRF token (hex) */
};

struct http_req {
    const char *method;
    const char *target;          /* raw: path, then "?query" */
    char *path;                  /* decoded path, arena */
    struct http_kv headers[HTTP_MAX_HEADERS];
    size_t n_headers;
    int too_many_headers;
    const char *body;
    size_t body_len;
    int body_too_large;
    char address[64];            /* the peer's IP address */
    struct http_kv query[HTTP_MAX_QUERY];
    size_t n_query;
    const char *params[HTTP_MAX_PARAMS]; /* {id} captures, in order */
    size_t n_params;
    const char *route;           /* the matched pattern, for the log */
    struct http_caller caller;
    struct ctis_arena arena;
    struct store *store;         /* borrowed from the pool */
};

struct http_resp {
    int status;
    const char *content_type;    /* static string */
    struct ctis_buf body;
    int fd;                      /* >= 0: send this file instead of body */
    uint64_t fd_size;
    struct http_kv headers[HTTP_MAX_RESP_HEADERS]; /* values in req arena */
    size_t n_headers;
};

struct http_server;

typedef int (*http_handler)(struct http_server *srv, struct http_req *req,
                            struct http_resp *resp);

/* Route flags. */
enum {
    HTTP_R_WRITES = 1 << 0, /* changes data: needs CSRF with a cookie */
    HTTP_R_PUBLIC = 1 << 1, /* no session needed */
    HTTP_R_IDEM = 1 << 2,   /* a create: honours Idempotency-Key */
    HTTP_R_PASSWORD = 1 << 3 /* allowed before a first password change */
};

struct http_route {
    const char *method;
    const char *pattern;  /* "/api/cases/{id}/events" */
    http_handler handler;
    const char *role;     /* roles allowed, "admin,case_worker"; "*" any */
    int flags;
};

/* The route table (routes.c) and its length. */
extern const struct http_route http_routes[];
extern const size_t http_n_routes;

/* ---- errors (errors.c) -------------------------------------------------
 * HTTP-only error codes, beside the CTIS_E* codes of base.h; one table
 * maps each to a status and a stable "code" string. */
enum {
    HTTP_E_UNAUTHENTICATED = -101, /* 401: no or expired session */
    HTTP_E_FORBIDDEN = -102,       /* 403: role not allowed */
    HTTP_E_CSRF = -103,            /* 403: cookie write without CSRF */
    HTTP_E_METHOD = -104,          /* 405 */
    HTTP_E_TOO_LARGE = -105,       /* 413 */
    HTTP_E_HEADER = -106,          /* 431 */
    HTTP_E_THROTTLED = -107,       /* 429 */
    HTTP_E_MEDIA = -108,           /* 415: body not JSON */
    HTTP_E_PRECONDITION = -109,    /* 412: If-Match stale */
    HTTP_E_ROUTE = -110,           /* 404: no such route */
    HTTP_E_PRECOND_REQUIRED = -111, /* 428: If-Match missing */
    HTTP_E_CHANGE_PASSWORD = -112  /* 403: first login, change password */
};

/* The status of an error code (CTIS_E* or HTTP_E_*). */
int http_status_of(int code);
/* The "code" string of the JSON error for an error code. */
const char *http_code_name(int code);
/* Fill resp with the JSON error for code, message (never an identifying
 * value: messages come from ctis_err, which holds none) and field (NULL
 * for none). Returns the status. */
int http_error(struct http_resp *resp, int code, const char *message,
               const char *field);
/* The same from a ctis_err filled by a lower layer. A message of the form
 * "field 'PATH': reason" gives the field. */
int http_error_from(struct http_resp *resp, const struct ctis_err *err);

/* ---- responses (handle.c) ---------------------------------------------- */
/* Serialise j (stolen: decref'd here) as the body with the status. */
int http_json(struct http_resp *resp, int status, json_t *j);
/* Add a header to resp; value copied into req's arena. 0 or CTIS_ENOMEM. */
int http_add_header(struct http_req *req, struct http_resp *resp,
                    const char *name, const char *value);
/* A request header by name (case-insensitive), or NULL. */
const char *http_header(const struct http_req *req, const char *name);
/* A query parameter by name, or NULL. */
const char *http_query(const struct http_req *req, const char *name);
/* Parse the body as one JSON object into *out (owned by the caller,
 * json_decref). Errors answered in resp: 415, 400 with the field. */
int http_body_object(struct http_req *req, struct http_resp *resp,
                     json_t **out);

/* ---- helpers of the handlers (api.c) ---------------------------------- */
/* The ops context of the request's caller, with its address and the
 * server's audit writer. */
void http_ops(struct http_server *srv, struct http_req *req, struct ops *o);
/* Answer an ops/ failure: the code's status, the message, and the first
 * problem's field when problems has any (may be NULL). */
int http_fail(struct http_resp *resp, int rc, const struct ctis_err *err,
              const struct model_problems *problems);
/* A query integer in [min, max], def when absent; -1 when malformed (the
 * error is answered). */
int http_query_long(struct http_req *req, struct http_resp *resp,
                    const char *name, long min, long max, long def,
                    long *out);
/* The version of If-Match ("\"7\"", "7" or "W/\"7\""): 0 with *v, or
 * answered 428 (absent) / 400 (malformed). */
int http_if_match(struct http_req *req, struct http_resp *resp, long *v);
/* Set ETag to the version. */
void http_etag(struct http_req *req, struct http_resp *resp, long version);
/* A JSON string member of obj, or NULL; unknown members of obj (not in
 * the NULL-ended allowed list) and wrong types are answered 400. */
int http_check_members(struct http_resp *resp, json_t *obj,
                       const char *const *allowed);
/* The paging of a list: page and per_page from the query, the
 * store_case_filter-style offset, and the Link header once the list is
 * known to have more (has_next). */
struct http_page {
    long page;
    long per_page;
};
int http_page_parse(struct http_req *req, struct http_resp *resp,
                    struct http_page *pg);
void http_page_links(struct http_req *req, struct http_resp *resp,
                     const struct http_page *pg, int has_next);
/* The offset of pg's first row; ask the store for pg->per_page + 1 rows
 * from there. */
long http_page_offset(const struct http_page *pg);
/* Answer a list read with rc (a negative code is the failure, answered
 * with err's message; 0 or a count is success): 200 with {"items", "page", "per_page"} and the Link header;
 * items holds the rows read (up to per_page + 1; the extra one only
 * tells that a next page exists and is dropped). Takes items. Returns
 * the status. */
int http_page_answer(struct http_req *req, struct http_resp *resp,
                     const struct http_page *pg, int rc,
                     const struct ctis_err *err, json_t *items);
/* The same for a list without pages: 200 with {"items"}. */
int http_items_answer(struct http_resp *resp, int rc,
                      const struct ctis_err *err, json_t *items);

/* ---- the handlers (api_*.c), named after method and resource ---------- */
int http_get_cases(struct http_server *srv, struct http_req *req,
                   struct http_resp *resp);
int http_post_cases(struct http_server *srv, struct http_req *req,
                    struct http_resp *resp);
int http_get_case(struct http_server *srv, struct http_req *req,
                  struct http_resp *resp);
int http_patch_case(struct http_server *srv, struct http_req *req,
                    struct http_resp *resp);
int http_get_history(struct http_server *srv, struct http_req *req,
                     struct http_resp *resp);
int http_get_events(struct http_server *srv, struct http_req *req,
                    struct http_resp *resp);
int http_post_event(struct http_server *srv, struct http_req *req,
                    struct http_resp *resp);
int http_post_transfer(struct http_server *srv, struct http_req *req,
                       struct http_resp *resp);
int http_get_referrals(struct http_server *srv, struct http_req *req,
                       struct http_resp *resp);
int http_post_referral(struct http_server *srv, struct http_req *req,
                       struct http_resp *resp);
int http_post_accept(struct http_server *srv, struct http_req *req,
                     struct http_resp *resp);
int http_post_decline(struct http_server *srv, struct http_req *req,
                      struct http_resp *resp);
int http_get_search(struct http_server *srv, struct http_req *req,
                    struct http_resp *resp);
int http_post_session(struct http_server *srv, struct http_req *req,
                      struct http_resp *resp);
int http_get_session(struct http_server *srv, struct http_req *req,
                     struct http_resp *resp);
int http_delete_session(struct http_server *srv, struct http_req *req,
                        struct http_resp *resp);
int http_post_password(struct http_server *srv, struct http_req *req,
                       struct http_resp *resp);
int http_get_tasks(struct http_server *srv, struct http_req *req,
                   struct http_resp *resp);
int http_get_report(struct http_server *srv, struct http_req *req,
                    struct http_resp *resp);
int http_get_users(struct http_server *srv, struct http_req *req,
                   struct http_resp *resp);
int http_post_users(struct http_server *srv, struct http_req *req,
                    struct http_resp *resp);
int http_patch_user(struct http_server *srv, struct http_req *req,
                    struct http_resp *resp);
int http_get_audit(struct http_server *srv, struct http_req *req,
                   struct http_resp *resp);
int http_get_records(struct http_server *srv, struct http_req *req,
                     struct http_resp *resp);
int http_post_records(struct http_server *srv, struct http_req *req,
                      struct http_resp *resp);
int http_get_record(struct http_server *srv, struct http_req *req,
                    struct http_resp *resp);
int http_patch_agency(struct http_server *srv, struct http_req *req,
                      struct http_resp *resp);
int http_get_offenders(struct http_server *srv, struct http_req *req,
                       struct http_resp *resp);
int http_get_offender(struct http_server *srv, struct http_req *req,
                      struct http_resp *resp);

/* ---- static files (static.c) ------------------------------------------- */
/* A file or folder of the browser's that may be served: ours or root's,
 * not writable by others, writable by its group only when that is our own
 * group (Debian's private group of each user, under umask 002), a file
 * with one link. */
struct stat;
int http_web_trusted(const struct stat *sb);
/* Answer GET/HEAD of a path outside /api/ from web_dir: content types by
 * extension, no traversal, Cache-Control. */
int http_static(struct http_server *srv, struct http_req *req,
                struct http_resp *resp);

/* ---- sessions (session.c) ---------------------------------------------- */
struct http_sessions;

int http_sessions_new(struct http_sessions **out, long ttl,
                      struct ctis_err *err);
void http_sessions_free(struct http_sessions *s);
/* Create a session for a caller; token and csrf (65 bytes each) receive
 * hex strings. 0 or CTIS_ENOMEM. */
int http_session_create(struct http_sessions *s,
                        const struct http_caller *who, char token[65],
                        char csrf[65]);
/* Find the caller of a token; 1 found (who filled), 0 unknown or expired. */
int http_session_find(struct http_sessions *s, const char *token,
                      struct http_caller *who);
/* End a session; nothing if unknown. */
void http_session_end(struct http_sessions *s, const char *token);
/* End every session of a user (password changed, disabled). */
void http_session_end_user(struct http_sessions *s, const char *user);
/* Login throttle: 1 when a login for user from address must wait now. */
int http_throttle_check(struct http_sessions *s, const char *user,
                        const char *address);
/* Record a failed (ok = 0) or successful (1) login. */
void http_throttle_note(struct http_sessions *s, const char *user,
                        const char *address, int ok);

/* ---- the server (server.c) -------------------------------------------- */
struct http_server {
    struct http_config cfg;
    char listen_host[64];
    unsigned port;
    void *daemon;                 /* struct MHD_Daemon */
    struct http_sessions *sessions;
    pthread_mutex_t pool_lock;
    pthread_cond_t pool_cond;
    struct store **pool;          /* free handles */
    size_t pool_len;
    size_t pool_cap;
    pthread_mutex_t log_lock;
    FILE *log;
    pthread_mutex_t count_lock;
    pthread_cond_t count_cond;
    long in_flight;
    char *tls_cert_pem;
    char *tls_key_pem;
    char web_dir[4096];
    int has_web;
    struct ops_audit *audit;      /* the group commit of read entries */
};

/* Borrow a store handle for one request; NULL with err set on failure. */
struct store *http_pool_get(struct http_server *srv, struct ctis_err *err);
/* Give it back. */
void http_pool_put(struct http_server *srv, struct store *st);

/* Answer one request: route, authenticate, call the handler. */
void http_dispatch(struct http_server *srv, struct http_req *req,
                   struct http_resp *resp);
/* One log line for a finished request. */
void http_log(struct http_server *srv, const struct http_req *req,
              int status, double ms);
/* Initialise and release a request and a response. */
void http_req_init(struct http_req *req);
void http_req_release(struct http_req *req);
void http_resp_init(struct http_resp *resp);
void http_resp_release(struct http_resp *resp);

#endif
