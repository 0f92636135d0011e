/*
 * handle.c - the core request handler, the same for real connections
 * (server.c) and for the fuzz target (http_handle_raw): checks what every
 * request must satisfy, matches the route table, finds the caller from the
 * session and calls the route's handler.
 *
 * Order of checks, each answered with a JSON error and the server going
 * on: too many or too long headers (431), a body over HTTP_MAX_BODY (413),
 * a target that is not valid percent-encoded UTF-8 or that climbs out of
 * its root with "." or ".." segments (400), no route (404) or the wrong
 * method (405), no session (401), a cookie session writing without its
 * CSRF token (403), a role the route does not allow (403). Then the
 * handler, which calls ops/; ops/ answers another agency's record as
 * not found (404), so ids cannot be probed.
 */
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sodium.h>

#include "http_int.h"

void http_req_init(struct http_req *req)
{
    memset(req, 0, sizeof *req);
    ctis_arena_init(&req->arena, 4096);
}

void http_req_release(struct http_req *req)
{
    ctis_arena_release(&req->arena);
}

void http_resp_init(struct http_resp *resp)
{
    memset(resp, 0, sizeof *resp);
    ctis_buf_init(&resp->body);
    resp->fd = -1;
}

void http_resp_release(struct http_resp *resp)
{
    ctis_buf_release(&resp->body);
}

/* The body is compact JSON and a newline. */
int http_json(struct http_resp *resp, int status, json_t *j)
{
    char *s;

    resp->status = status;
    resp->content_type = "application/json";
    ctis_buf_reset(&resp->body);
    if (j == NULL) {
        return status;
    }
    s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (s != NULL) {
        ctis_buf_puts(&resp->body, s);
        ctis_buf_putc(&resp->body, '\n');
        ctis_free(s);
    }
    return status;
}

int http_add_header(struct http_req *req, struct http_resp *resp,
                    const char *name, const char *value)
{
    char *v;

    if (resp->n_headers >= HTTP_MAX_RESP_HEADERS) {
        return CTIS_ENOMEM;
    }
    v = ctis_arena_strdup(&req->arena, value);
    if (v == NULL) {
        return CTIS_ENOMEM;
    }
    resp->headers[resp->n_headers].name = name;
    resp->headers[resp->n_headers].value = v;
    resp->n_headers++;
    return 0;
}

const char *http_header(const struct http_req *req, const char *name)
{
    size_t i;

    for (i = 0; i < req->n_headers; i++) {
        if (strcasecmp(req->headers[i].name, name) == 0) {
            return req->headers[i].value;
        }
    }
    return NULL;
}

const char *http_query(const struct http_req *req, const char *name)
{
    size_t i;

    for (i = 0; i < req->n_query; i++) {
        if (strcmp(req->query[i].name, name) == 0) {
            return req->query[i].value;
        }
    }
    return NULL;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Percent-decode s[0..n) into the arena; plus_space turns '+' into ' '
 * (query strings). NULL when an escape is broken, decodes to NUL, or the
 * result is not UTF-8. */
static char *decode(struct http_req *req, const char *s, size_t n,
                    int plus_space)
{
    char *out = ctis_arena_alloc(&req->arena, n + 1);
    size_t i;
    size_t j = 0;

    if (out == NULL) {
        return NULL;
    }
    for (i = 0; i < n; i++) {
        int c = (unsigned char)s[i];

        if (c == '%') {
            int h;
            int l;

            if (i + 2 >= n) {
                return NULL;
            }
            h = hexval((unsigned char)s[i + 1]);
            l = hexval((unsigned char)s[i + 2]);
            if (h < 0 || l < 0) {
                return NULL;
            }
            c = h * 16 + l;
            i += 2;
        } else if (c == '+' && plus_space) {
            c = ' ';
        }
        if (c == 0) {
            return NULL;
        }
        out[j++] = (char)c;
    }
    out[j] = '\0';
    if (!ctis_utf8_valid(out, j)) {
        return NULL;
    }
    return out;
}

/* A decoded path must start with '/' and hold no "." or ".." segment and
 * no backslash: nothing may name a place above the root it is served
 * from, however it was encoded. */
static int path_safe(const char *p)
{
    const char *seg;

    if (p[0] != '/' || strchr(p, '\\') != NULL) {
        return 0;
    }
    for (seg = p + 1;; seg++) {
        size_t n = strcspn(seg, "/");

        if ((n == 1 && seg[0] == '.') ||
            (n == 2 && seg[0] == '.' && seg[1] == '.')) {
            return 0;
        }
        seg += n;
        if (*seg == '\0') {
            return 1;
        }
    }
}

/* Split the raw target into the decoded path and query pairs. */
static int parse_target(struct http_req *req)
{
    const char *t = req->target;
    size_t plen = strcspn(t, "?#");
    const char *q;

    req->path = decode(req, t, plen, 0);
    if (req->path == NULL || !path_safe(req->path)) {
        return CTIS_EINVAL;
    }
    if (t[plen] != '?') {
        return 0;
    }
    q = t + plen + 1;
    while (*q != '\0' && *q != '#') {
        size_t n = strcspn(q, "&#");
        size_t k = strcspn(q, "=&#");
        char *name;
        char *value;

        if (n > 0) {
            if (req->n_query >= HTTP_MAX_QUERY) {
                return CTIS_EINVAL;
            }
            name = decode(req, q, k < n ? k : n, 1);
            value = k < n ? decode(req, q + k + 1, n - k - 1, 1)
                          : decode(req, "", 0, 1);
            if (name == NULL || value == NULL) {
                return CTIS_EINVAL;
            }
            req->query[req->n_query].name = name;
            req->query[req->n_query].value = value;
            req->n_query++;
        }
        q += n;
        if (*q == '&') {
            q++;
        }
    }
    return 0;
}

/* Match path against a pattern; {name} takes one non-empty segment. */
static int match(struct http_req *req, const char *pattern, const char *path)
{
    const char *p = pattern;
    const char *s = path;

    req->n_params = 0;
    while (*p != '\0' && *s != '\0') {
        if (*p == '{') {
            size_t n = strcspn(s, "/");
            char *v;

            if (n == 0 || req->n_params >= HTTP_MAX_PARAMS) {
                return 0;
            }
            v = ctis_arena_alloc(&req->arena, n + 1);
            if (v == NULL) {
                return 0;
            }
            memcpy(v, s, n);
            v[n] = '\0';
            req->params[req->n_params++] = v;
            s += n;
            p = strchr(p, '}');
            if (p == NULL) {
                return 0;
            }
            p++;
            continue;
        }
        if (*p != *s) {
            return 0;
        }
        p++;
        s++;
    }
    return *p == '\0' && *s == '\0';
}

static int role_allowed(const char *roles, const char *role)
{
    size_t n = strlen(role);
    const char *p = roles;

    if (strcmp(roles, "*") == 0) {
        return 1;
    }
    while (*p != '\0') {
        size_t k = strcspn(p, ",");

        if (k == n && n > 0 && strncmp(p, role, n) == 0) {
            return 1;
        }
        p += k;
        if (*p == ',') {
            p++;
        }
    }
    return 0;
}

/* The token of "Authorization: Bearer T" or of the ctis_session cookie. */
static const char *session_token(struct http_req *req, int *by_cookie)
{
    const char *a = http_header(req, "Authorization");
    const char *c = http_header(req, "Cookie");

    *by_cookie = 0;
    if (a != NULL && strncasecmp(a, "Bearer ", 7) == 0) {
        return a + 7;
    }
    while (c != NULL && *c != '\0') {
        size_t n;

        while (*c == ' ' || *c == ';') {
            c++;
        }
        n = strcspn(c, ";");
        if (n > 13 && strncmp(c, "ctis_session=", 13) == 0) {
            char *t = ctis_arena_alloc(&req->arena, n - 12);

            if (t == NULL) {
                return NULL;
            }
            memcpy(t, c + 13, n - 13);
            t[n - 13] = '\0';
            *by_cookie = 1;
            return t;
        }
        c += n;
    }
    return NULL;
}

static int check_headers(const struct http_req *req)
{
    size_t i;

    if (req->too_many_headers) {
        return HTTP_E_HEADER;
    }
    for (i = 0; i < req->n_headers; i++) {
        if (strlen(req->headers[i].name) + strlen(req->headers[i].value) >
            HTTP_MAX_HEADER) {
            return HTTP_E_HEADER;
        }
        if (!ctis_utf8_valid(req->headers[i].value,
                             strlen(req->headers[i].value))) {
            return CTIS_EINVAL;
        }
    }
    return 0;
}

/* Authenticate and authorise the caller for route r; 0 or an error code
 * (answered by the caller). */
static int admit(struct http_server *srv, struct http_req *req,
                 const struct http_route *r)
{
    int by_cookie = 0;
    const char *token = session_token(req, &by_cookie);
    const char *csrf;

    if (token != NULL &&
        http_session_find(srv->sessions, token, &req->caller)) {
        req->caller.by_cookie = by_cookie;
    } else {
        memset(&req->caller, 0, sizeof req->caller);
    }
    if (r->flags & HTTP_R_PUBLIC) {
        return 0;
    }
    if (!req->caller.authenticated) {
        return HTTP_E_UNAUTHENTICATED;
    }
    if ((r->flags & HTTP_R_WRITES) && req->caller.by_cookie) {
        csrf = http_header(req, "X-CSRF-Token");
        if (csrf == NULL || strlen(csrf) != strlen(req->caller.csrf) ||
            sodium_memcmp(csrf, req->caller.csrf, strlen(csrf)) != 0) {
            return HTTP_E_CSRF;
        }
    }
    if (!role_allowed(r->role,
                      model_code_name(ops_role_codes, req->caller.who.role))) {
        return HTTP_E_FORBIDDEN;
    }
    if (req->caller.must_change && !(r->flags & HTTP_R_PASSWORD)) {
        return HTTP_E_CHANGE_PASSWORD;
    }
    return 0;
}

/* The Idempotency-Key of a create: 1-128 printable ASCII. NULL when
 * absent; "" when malformed. */
static const char *idem_key(const struct http_req *req)
{
    const char *k = http_header(req, "Idempotency-Key");
    size_t i;

    if (k == NULL) {
        return NULL;
    }
    for (i = 0; k[i] != '\0'; i++) {
        if (k[i] < 0x21 || k[i] > 0x7e) {
            return "";
        }
    }
    return i == 0 || i > 128 ? "" : k;
}

/* A saved answer to the same key: the first answer again. */
static int replay(struct http_server *srv, struct http_req *req,
                  struct http_resp *resp, const char *key, int *found)
{
    struct ops_idem saved;
    struct ctis_err err;
    struct ops o;
    int rc;

    *found = 0;
    http_ops(srv, req, &o);
    memset(&saved, 0, sizeof saved);
    ctis_buf_init(&saved.body);
    rc = ops_idem_get(&o, key, &saved, &err);
    if (rc < 0) {
        ctis_buf_release(&saved.body);
        http_fail(resp, rc, &err, NULL);
        return rc;
    }
    if (rc == 1) {
        *found = 1;
        resp->status = saved.status;
        resp->content_type = "application/json";
        ctis_buf_reset(&resp->body);
        ctis_buf_append(&resp->body, saved.body.data, saved.body.len);
        if (saved.location[0] != '\0') {
            http_add_header(req, resp, "Location", saved.location);
        }
        if (saved.etag[0] != '\0') {
            http_add_header(req, resp, "ETag", saved.etag);
        }
        http_add_header(req, resp, "Idempotent-Replayed", "true");
    }
    ctis_buf_release(&saved.body);
    return 0;
}

static int save(struct http_server *srv, struct http_req *req,
                struct http_resp *resp, const char *key,
                struct ctis_err *err)
{
    struct ops_idem s;
    struct ops o;
    size_t i;
    int rc;

    memset(&s, 0, sizeof s);
    s.status = resp->status;
    s.body = resp->body;
    for (i = 0; i < resp->n_headers; i++) {
        if (strcmp(resp->headers[i].name, "Location") == 0) {
            ctis_strlcpy(s.location, resp->headers[i].value,
                         sizeof s.location);
        } else if (strcmp(resp->headers[i].name, "ETag") == 0) {
            ctis_strlcpy(s.etag, resp->headers[i].value, sizeof s.etag);
        }
    }
    http_ops(srv, req, &o);
    rc = ops_idem_put(&o, key, &s, err);
    return rc;
}

/* Run the handler inside the transaction the route asks for: writers
 * commit only when the answer is a success (and a failed commit changes
 * the answer), readers see one snapshot. A create with an
 * Idempotency-Key answers a key seen before with the first answer. */
static void run(struct http_server *srv, struct http_req *req,
                struct http_resp *resp, const struct http_route *r)
{
    struct ctis_err err;
    const char *key = NULL;
    int found = 0;
    int rc;

    if (r->flags & HTTP_R_IDEM) {
        key = idem_key(req);
        if (key != NULL && key[0] == '\0') {
            http_error(resp, CTIS_EINVAL,
                       "Idempotency-Key must be 1-128 printable characters",
                       "Idempotency-Key");
            return;
        }
    }
    if (!(r->flags & HTTP_R_WRITES)) {
        rc = store_begin_read(req->store, &err);
        if (rc != 0) {
            http_fail(resp, rc, &err, NULL);
            return;
        }
        r->handler(srv, req, resp);
        store_end_read(req->store);
        return;
    }
    rc = store_begin(req->store, &err);
    if (rc != 0) {
        http_fail(resp, rc, &err, NULL);
        return;
    }
    if (key != NULL && (replay(srv, req, resp, key, &found) != 0 || found)) {
        store_rollback(req->store);
        return;
    }
    r->handler(srv, req, resp);
    if (resp->status >= 400 || resp->status == 0) {
        store_rollback(req->store);
        return;
    }
    rc = key != NULL ? save(srv, req, resp, key, &err) : 0;
    if (rc == 0) {
        rc = store_commit(req->store, &err);
    } else {
        store_rollback(req->store);
    }
    if (rc != 0) {
        resp->n_headers = 0;
        http_fail(resp, rc, &err, NULL);
    }
}

void http_dispatch(struct http_server *srv, struct http_req *req,
                   struct http_resp *resp)
{
    const struct http_route *found = NULL;
    int path_matched = 0;
    int rc;
    size_t i;

    req->route = "-";
    rc = check_headers(req);
    if (rc != 0) {
        http_error(resp, rc,
                   rc == HTTP_E_HEADER
                       ? "a request header is too long or there are too many"
                       : "a request header is not valid UTF-8",
                   NULL);
        return;
    }
    if (req->body_too_large) {
        http_error(resp, HTTP_E_TOO_LARGE,
                   "the request body is larger than the limit of 1 MiB",
                   NULL);
        return;
    }
    if (parse_target(req) != 0) {
        http_error(resp, CTIS_EINVAL,
                   "the request target is not a valid path or query", NULL);
        return;
    }
    if (strncmp(req->path, "/api/", 5) != 0 &&
        strcmp(req->path, "/api") != 0) {
        req->route = "/*";
        http_static(srv, req, resp);
        return;
    }
    for (i = 0; i < http_n_routes; i++) {
        if (match(req, http_routes[i].pattern, req->path)) {
            path_matched = 1;
            if (strcmp(http_routes[i].method, req->method) == 0 ||
                (strcmp(req->method, "HEAD") == 0 &&
                 strcmp(http_routes[i].method, "GET") == 0)) {
                found = &http_routes[i];
                break;
            }
        }
    }
    if (found == NULL) {
        req->n_params = 0;
        http_error(resp, path_matched ? HTTP_E_METHOD : HTTP_E_ROUTE,
                   path_matched ? "method not allowed on this resource"
                                : "no such resource",
                   NULL);
        return;
    }
    req->route = found->pattern;
    rc = admit(srv, req, found);
    if (rc != 0) {
        http_error(resp, rc, NULL, NULL);
        if (rc == HTTP_E_UNAUTHENTICATED) {
            http_add_header(req, resp, "WWW-Authenticate", "Bearer");
        }
        return;
    }
    run(srv, req, resp, found);
    if (resp->status == 0) {
        http_error(resp, CTIS_EINTERNAL, "the handler gave no answer", NULL);
    }
}

/* A write body must be one JSON object, valid UTF-8, no duplicate keys. */
int http_body_object(struct http_req *req, struct http_resp *resp,
                     json_t **out)
{
    const char *ct = http_header(req, "Content-Type");
    json_error_t je;
    json_t *j;

    *out = NULL;
    if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0) {
        http_error(resp, HTTP_E_MEDIA,
                   "the request body must be application/json", NULL);
        return HTTP_E_MEDIA;
    }
    if (!ctis_utf8_valid(req->body, req->body_len)) {
        http_error(resp, CTIS_EINVAL, "the request body is not valid UTF-8",
                   NULL);
        return CTIS_EINVAL;
    }
    j = json_loadb(req->body != NULL ? req->body : "", req->body_len,
                   JSON_REJECT_DUPLICATES, &je);
    if (j == NULL) {
        char msg[200];

        /* jansson's text names the problem and position, never a value
         * longer than a token; keep only the position to be safe. */
        snprintf(msg, sizeof msg,
                 "the request body is not valid JSON (line %d, column %d)",
                 je.line, je.column);
        http_error(resp, CTIS_EINVAL, msg, NULL);
        return CTIS_EINVAL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        http_error(resp, CTIS_EINVAL, "the request body must be an object",
                   NULL);
        return CTIS_EINVAL;
    }
    *out = j;
    return 0;
}

/* Parse "METHOD TARGET\nName: value\n...\n\nbody" into a request whose
 * strings live in its arena, and answer it. */
int http_handle_raw(struct http_server *srv, const char *raw, size_t len,
                    struct ctis_buf *body)
{
    struct http_req req;
    struct http_resp resp;
    struct ctis_err err;
    char *copy;
    char *p;
    char *end;
    char *nl;
    char *sp;
    int status;

    http_req_init(&req);
    http_resp_init(&resp);
    copy = ctis_arena_alloc(&req.arena, len + 1);
    if (copy == NULL) {
        http_req_release(&req);
        return 0;
    }
    memcpy(copy, raw, len);
    copy[len] = '\0';
    end = copy + len;
    p = copy;
    nl = memchr(p, '\n', (size_t)(end - p));
    if (nl == NULL || memchr(copy, '\0', (size_t)(nl - copy)) != NULL) {
        http_req_release(&req);
        return 0;
    }
    *nl = '\0';
    sp = strchr(p, ' ');
    if (sp == NULL) {
        http_req_release(&req);
        return 0;
    }
    *sp = '\0';
    req.method = p;
    req.target = sp + 1;
    p = nl + 1;
    while (p < end && *p != '\n') {
        char *colon;

        nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL) {
            nl = end;
        }
        *nl = '\0';
        colon = strchr(p, ':');
        if (colon != NULL) {
            *colon = '\0';
            if (req.n_headers < HTTP_MAX_HEADERS) {
                req.headers[req.n_headers].name = p;
                req.headers[req.n_headers].value =
                    colon[1] == ' ' ? colon + 2 : colon + 1;
                req.n_headers++;
            } else {
                req.too_many_headers = 1;
            }
        }
        p = nl < end ? nl + 1 : end;
    }
    if (p < end) {
        p++;
    }
    req.body = p;
    req.body_len = (size_t)(end - p);
    req.body_too_large = req.body_len > HTTP_MAX_BODY;
    ctis_strlcpy(req.address, "127.0.0.1", sizeof req.address);
    req.store = http_pool_get(srv, &err);
    if (req.store == NULL) {
        http_req_release(&req);
        return 0;
    }
    http_dispatch(srv, &req, &resp);
    status = resp.status;
    if (body != NULL && resp.body.len > 0) {
        ctis_buf_append(body, resp.body.data, resp.body.len);
    }
    if (resp.fd >= 0) {
        close(resp.fd);
    }
    http_pool_put(srv, req.store);
    http_resp_release(&resp);
    http_req_release(&req);
    return status;
}
