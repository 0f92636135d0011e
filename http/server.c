/*
 * server.c - libmicrohttpd glue: the daemon (a thread pool sized to the
 * cores), one request's state from the raw target to the log line, the
 * pool of store handles, and the graceful stop.
 *
 * A request's life: MHD calls uri_logged() with the raw target before any
 * parsing (so the core sees the target as sent, and the log never needs
 * it); answer() is called first with the headers, then with each piece of
 * the body, then once more at the end, when the core handler (handle.c)
 * runs and its response is queued; completed() writes the log line and
 * frees everything the request held. A body announced larger than
 * HTTP_MAX_BODY is answered 413 at once; one that grows past it while
 * arriving (chunked) is discarded and answered 413 at its end.
 *
 * Stopping: SIGTERM or SIGINT (http_serve) quiesces the daemon (no new
 * connections), waits for the requests in flight to be answered, then
 * stops the threads. Nothing a client was told succeeded is lost: every
 * write commits before its answer is queued.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http_int.h"
#include "io/io.h"

struct conn {
    struct http_server *srv;
    struct http_req req;
    struct ctis_buf body;
    double t0;
    int started;
    int status;
    int done;
};

static double now_ms(void)
{
    return ctis_now() * 1000.0;
}

struct store *http_pool_get(struct http_server *srv, struct ctis_err *err)
{
    struct store *st = NULL;

    pthread_mutex_lock(&srv->pool_lock);
    while (srv->pool_len == 0 && srv->pool_cap > 0) {
        pthread_cond_wait(&srv->pool_cond, &srv->pool_lock);
    }
    if (srv->pool_len > 0) {
        st = srv->pool[--srv->pool_len];
    }
    pthread_mutex_unlock(&srv->pool_lock);
    if (st == NULL) {
        ctis_err_set(err, CTIS_EINTERNAL, "no store handle");
    }
    return st;
}

void http_pool_put(struct http_server *srv, struct store *st)
{
    if (st == NULL) {
        return;
    }
    pthread_mutex_lock(&srv->pool_lock);
    srv->pool[srv->pool_len++] = st;
    pthread_cond_signal(&srv->pool_cond);
    pthread_mutex_unlock(&srv->pool_lock);
}

/* One line per request: time, method, route pattern (never the path as
 * sent: it may hold an id, and never the query), status, milliseconds,
 * user id. Written with one fputs under a lock. */
void http_log(struct http_server *srv, const struct http_req *req,
              int status, double ms)
{
    char line[256];
    char when[32];
    time_t t = time(NULL);
    struct tm tm;
    const char *m = req->method != NULL ? req->method : "-";
    size_t i;
    int known = 0;
    static const char *const methods[] = {"GET", "HEAD", "POST", "PUT",
                                          "PATCH", "DELETE", "OPTIONS"};

    for (i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        if (strcmp(m, methods[i]) == 0) {
            known = 1;
        }
    }
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(line, sizeof line, "%s %s %s %d %.3fms user=%s\n", when,
             known ? m : "OTHER", req->route != NULL ? req->route : "-",
             status, ms,
             req->caller.authenticated ? req->caller.who.user : "-");
    pthread_mutex_lock(&srv->log_lock);
    fputs(line, srv->log);
    fflush(srv->log);
    pthread_mutex_unlock(&srv->log_lock);
}

static void *uri_logged(void *cls, const char *uri, struct MHD_Connection *c)
{
    struct http_server *srv = cls;
    struct conn *k = ctis_calloc(1, sizeof *k);
    const union MHD_ConnectionInfo *ci;

    (void)c;
    if (k == NULL) {
        return NULL;
    }
    k->srv = srv;
    k->t0 = now_ms();
    http_req_init(&k->req);
    ctis_buf_init(&k->body);
    k->req.target = ctis_arena_strdup(&k->req.arena, uri);
    ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci != NULL && ci->client_addr != NULL) {
        const struct sockaddr *sa = ci->client_addr;

        if (sa->sa_family == AF_INET) {
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
                      k->req.address, sizeof k->req.address);
        } else if (sa->sa_family == AF_INET6) {
            inet_ntop(AF_INET6,
                      &((const struct sockaddr_in6 *)sa)->sin6_addr,
                      k->req.address, sizeof k->req.address);
        }
    }
    pthread_mutex_lock(&srv->count_lock);
    srv->in_flight++;
    pthread_mutex_unlock(&srv->count_lock);
    return k;
}

static enum MHD_Result take_header(void *cls, enum MHD_ValueKind kind,
                                   const char *name, const char *value)
{
    struct conn *k = cls;

    (void)kind;
    if (k->req.n_headers >= HTTP_MAX_HEADERS) {
        k->req.too_many_headers = 1;
        return MHD_NO;
    }
    k->req.headers[k->req.n_headers].name = name;
    k->req.headers[k->req.n_headers].value = value != NULL ? value : "";
    k->req.n_headers++;
    return MHD_YES;
}

static const char *status_text_header(int status)
{
    return status >= 500 ? "close" : NULL;
}

static enum MHD_Result queue(struct MHD_Connection *c, struct conn *k,
                             struct http_resp *resp)
{
    struct MHD_Response *r;
    enum MHD_Result ret;
    size_t i;

    if (resp->fd >= 0) {
        r = MHD_create_response_from_fd64(resp->fd_size, resp->fd);
        resp->fd = -1;
    } else {
        r = MHD_create_response_from_buffer(resp->body.len,
                                            resp->body.data != NULL
                                                ? resp->body.data
                                                : (char *)"",
                                            MHD_RESPMEM_MUST_COPY);
    }
    if (r == NULL) {
        return MHD_NO;
    }
    if (resp->content_type != NULL && resp->status != 304) {
        MHD_add_response_header(r, "Content-Type", resp->content_type);
    }
    for (i = 0; i < resp->n_headers; i++) {
        MHD_add_response_header(r, resp->headers[i].name,
                                resp->headers[i].value);
    }
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    if (k->req.path != NULL && strncmp(k->req.path, "/api", 4) == 0) {
        /* Case data must not stay in a browser's or a proxy's cache. */
        MHD_add_response_header(r, "Cache-Control", "no-store");
    }
    if (status_text_header(resp->status) != NULL) {
        MHD_add_response_header(r, "Connection", "close");
    }
    k->status = resp->status;
    ret = MHD_queue_response(c, (unsigned)resp->status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result answer_now(struct MHD_Connection *c, struct conn *k,
                                  int code, const char *msg)
{
    struct http_resp resp;
    enum MHD_Result ret;

    http_resp_init(&resp);
    http_error(&resp, code, msg, NULL);
    ret = queue(c, k, &resp);
    http_resp_release(&resp);
    k->done = 1;
    return ret;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    struct http_server *srv = cls;
    struct conn *k = *con_cls;
    struct http_resp resp;
    struct ctis_err err;
    enum MHD_Result ret;

    (void)url;
    (void)version;
    if (k == NULL) {
        return MHD_NO;
    }
    if (!k->started) {
        const char *cl;

        k->started = 1;
        k->req.method = ctis_arena_strdup(&k->req.arena, method);
        if (k->req.method == NULL) {
            return MHD_NO;
        }
        MHD_get_connection_values(c, MHD_HEADER_KIND, take_header, k);
        cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                         "Content-Length");
        if (cl != NULL) {
            long n = 0;

            if (ctis_parse_long(cl, 0, 1L << 40, &n) != 0 ||
                n > HTTP_MAX_BODY) {
                return answer_now(
                    c, k, HTTP_E_TOO_LARGE,
                    "the request body is larger than the limit of 1 MiB");
            }
        }
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (!k->done) {
            if (k->body.len + *upload_size > HTTP_MAX_BODY) {
                k->req.body_too_large = 1;
            } else if (ctis_buf_append(&k->body, upload, *upload_size) !=
                       0) {
                k->req.body_too_large = 1;
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (k->done) {
        return MHD_YES;
    }
    k->done = 1;
    k->req.body = k->body.data != NULL ? k->body.data : "";
    k->req.body_len = k->body.len;
    http_resp_init(&resp);
    k->req.store = http_pool_get(srv, &err);
    if (k->req.store == NULL) {
        http_error_from(&resp, &err);
    } else {
        http_dispatch(srv, &k->req, &resp);
        http_pool_put(srv, k->req.store);
        k->req.store = NULL;
    }
    ret = queue(c, k, &resp);
    if (resp.fd >= 0) {
        close(resp.fd);
    }
    http_resp_release(&resp);
    return ret;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode why)
{
    struct http_server *srv = cls;
    struct conn *k = *con_cls;

    (void)c;
    (void)why;
    if (k == NULL) {
        return;
    }
    if (k->req.method != NULL) {
        http_log(srv, &k->req, k->status, now_ms() - k->t0);
    }
    http_req_release(&k->req);
    ctis_buf_release(&k->body);
    ctis_free(k);
    *con_cls = NULL;
    pthread_mutex_lock(&srv->count_lock);
    srv->in_flight--;
    pthread_cond_broadcast(&srv->count_cond);
    pthread_mutex_unlock(&srv->count_lock);
}

/* Read a whole (small) file into memory, NUL-terminated. */
static int slurp(const char *path, char **out, struct ctis_err *err)
{
    FILE *f = fopen(path, "rb");
    struct ctis_buf b;
    char chunk[4096];
    size_t n;

    *out = NULL;
    if (f == NULL) {
        return ctis_err_set(err, CTIS_EIO, "cannot read '%s': %s", path,
                            strerror(errno));
    }
    ctis_buf_init(&b);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (ctis_buf_append(&b, chunk, n) != 0 || b.len > (1 << 20)) {
            fclose(f);
            ctis_buf_release(&b);
            return ctis_err_set(err, CTIS_EIO, "cannot read '%s'", path);
        }
    }
    fclose(f);
    if (b.data == NULL && ctis_buf_putc(&b, '\0') == 0) {
        b.len = 0;
    }
    *out = b.data;
    return 0;
}

static int parse_listen(struct http_server *srv, const char *listen,
                        struct sockaddr_in *sa, struct ctis_err *err)
{
    const char *colon = strrchr(listen, ':');
    long port = 0;
    size_t hn;

    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    if (colon == NULL ||
        ctis_parse_long(colon + 1, 0, 65535, &port) != 0) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "listen address '%s' is not HOST:PORT", listen);
    }
    hn = (size_t)(colon - listen);
    if (hn == 0 || hn >= sizeof srv->listen_host) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "listen address '%s' is not HOST:PORT", listen);
    }
    memcpy(srv->listen_host, listen, hn);
    srv->listen_host[hn] = '\0';
    if (strcmp(srv->listen_host, "localhost") == 0) {
        ctis_strlcpy(srv->listen_host, "127.0.0.1", sizeof srv->listen_host);
    }
    if (inet_pton(AF_INET, srv->listen_host, &sa->sin_addr) != 1) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "listen host '%s' is not an IPv4 address",
                            srv->listen_host);
    }
    sa->sin_port = htons((unsigned short)port);
    return 0;
}

static unsigned cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n > 0 && n < 256 ? (unsigned)n : 2;
}

static int open_pool(struct http_server *srv, size_t n, struct ctis_err *err)
{
    size_t i;
    int rc;

    srv->pool = ctis_calloc(n, sizeof *srv->pool);
    if (srv->pool == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    srv->pool_cap = n;
    for (i = 0; i < n; i++) {
        rc = store_open(&srv->pool[i], srv->cfg.db_url, STORE_OPEN_LEAN, err);
        if (rc != 0) {
            return rc;
        }
        srv->pool_len++;
        if (srv->cfg.kek != NULL && store_is_sealed(srv->pool[i])) {
            rc = store_unlock(srv->pool[i], srv->cfg.kek, err);
            /* the first handle brings a stale search index up to date */
            if (rc == 0 && i == 0) {
                rc = store_upgrade_names(srv->pool[i], NULL, err);
            }
            if (rc != 0) {
                return rc;
            }
        }
    }
    return 0;
}

static void free_server(struct http_server *srv)
{
    size_t i;

    if (srv == NULL) {
        return;
    }
    for (i = 0; i < srv->pool_len; i++) {
        store_close(srv->pool[i]);
    }
    ctis_free(srv->pool);
    ops_audit_close(srv->audit);
    http_sessions_free(srv->sessions);
    ctis_free(srv->tls_cert_pem);
    ctis_free(srv->tls_key_pem);
    pthread_mutex_destroy(&srv->pool_lock);
    pthread_cond_destroy(&srv->pool_cond);
    pthread_mutex_destroy(&srv->log_lock);
    pthread_mutex_destroy(&srv->count_lock);
    pthread_cond_destroy(&srv->count_cond);
    ctis_free(srv);
}

int http_server_start(struct http_server **out, const struct http_config *cfg,
                      struct ctis_err *err)
{
    struct http_server *srv = ctis_calloc(1, sizeof *srv);
    struct sockaddr_in sa;
    unsigned threads;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
                     MHD_USE_AUTO | MHD_USE_TURBO;
    const union MHD_DaemonInfo *di;
    struct MHD_Daemon *d;
    int rc;

    *out = NULL;
    if (srv == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&srv->pool_lock, NULL);
    pthread_cond_init(&srv->pool_cond, NULL);
    pthread_mutex_init(&srv->log_lock, NULL);
    pthread_mutex_init(&srv->count_lock, NULL);
    pthread_cond_init(&srv->count_cond, NULL);
    srv->cfg = *cfg;
    srv->log = cfg->log != NULL ? cfg->log : stderr;
    threads = cfg->threads > 0 ? cfg->threads : cores();
    rc = cfg->listen != NULL && strcmp(cfg->listen, "none") == 0
             ? 0
             : parse_listen(srv,
                            cfg->listen != NULL ? cfg->listen
                                                : "127.0.0.1:8080",
                            &sa, err);
    if (rc == 0 && (cfg->tls_cert == NULL) != (cfg->tls_key == NULL)) {
        rc = ctis_err_set(err, CTIS_EINVAL,
                          "--tls-cert and --tls-key go together");
    }
    if (rc == 0 && cfg->tls_cert != NULL) {
        if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
            rc = ctis_err_set(err, CTIS_EUNSUPPORTED,
                              "this libmicrohttpd has no TLS");
        }
        if (rc == 0) {
            rc = slurp(cfg->tls_cert, &srv->tls_cert_pem, err);
        }
        if (rc == 0) {
            rc = slurp(cfg->tls_key, &srv->tls_key_pem, err);
        }
        flags |= MHD_USE_TLS;
    }
    if (rc == 0 && cfg->web_dir != NULL &&
        realpath(cfg->web_dir, srv->web_dir) != NULL) {
        struct stat sb;

        srv->has_web = 1;
        /* the default --web is "web" in the working directory: in a
         * shared folder, another user's */
        if (stat(srv->web_dir, &sb) != 0 || !http_web_trusted(&sb)) {
            rc = ctis_err_set(err, CTIS_EARG,
                              "--web '%s' belongs to another user or others "
                              "may write to it; its script would run with "
                              "every user's session",
                              cfg->web_dir);
        }
    }
    if (rc == 0) {
        rc = http_sessions_new(&srv->sessions, cfg->session_ttl, err);
    }
    if (rc == 0) {
        rc = open_pool(srv, threads + 1, err);
    }
    if (rc == 0) {
        rc = ops_audit_open(&srv->audit, cfg->db_url, err);
    }
    if (rc != 0) {
        free_server(srv);
        return rc;
    }
    if (cfg->listen != NULL && strcmp(cfg->listen, "none") == 0) {
        *out = srv;
        return 0;
    }
    if (srv->tls_cert_pem != NULL) {
        d = MHD_start_daemon(
            flags, 0, NULL, NULL, answer, srv, MHD_OPTION_SOCK_ADDR, &sa,
            MHD_OPTION_THREAD_POOL_SIZE, threads,
            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536,
            MHD_OPTION_CONNECTION_TIMEOUT, 60U,
            MHD_OPTION_URI_LOG_CALLBACK, uri_logged, srv,
            MHD_OPTION_NOTIFY_COMPLETED, completed, srv,
            MHD_OPTION_HTTPS_MEM_CERT, srv->tls_cert_pem,
            MHD_OPTION_HTTPS_MEM_KEY, srv->tls_key_pem, MHD_OPTION_END);
    } else {
        d = MHD_start_daemon(
            flags, 0, NULL, NULL, answer, srv, MHD_OPTION_SOCK_ADDR, &sa,
            MHD_OPTION_THREAD_POOL_SIZE, threads,
            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536,
            MHD_OPTION_CONNECTION_TIMEOUT, 60U,
            MHD_OPTION_URI_LOG_CALLBACK, uri_logged, srv,
            MHD_OPTION_NOTIFY_COMPLETED, completed, srv, MHD_OPTION_END);
    }
    if (d == NULL) {
        free_server(srv);
        return ctis_err_set(err, CTIS_EIO,
                            "cannot listen on '%s' (in use, or no such "
                            "address, or a bad TLS key)",
                            cfg->listen != NULL ? cfg->listen
                                                : "127.0.0.1:8080");
    }
    srv->daemon = d;
    di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di != NULL ? di->port : ntohs(sa.sin_port);
    *out = srv;
    return 0;
}

unsigned http_server_port(const struct http_server *srv)
{
    return srv->port;
}

void http_server_stop(struct http_server *srv, double grace)
{
    double until = ctis_now() + grace;

    if (srv == NULL) {
        return;
    }
    if (srv->daemon != NULL) {
        MHD_quiesce_daemon(srv->daemon);
        pthread_mutex_lock(&srv->count_lock);
        while (srv->in_flight > 0 && ctis_now() < until) {
            struct timespec ts;

            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 50 * 1000 * 1000;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&srv->count_cond, &srv->count_lock, &ts);
        }
        pthread_mutex_unlock(&srv->count_lock);
        MHD_stop_daemon(srv->daemon);
        srv->daemon = NULL;
    }
    free_server(srv);
}

int http_serve(const struct http_config *cfg, struct ctis_err *err)
{
    struct http_server *srv = NULL;
    sigset_t set;
    int sig = 0;
    int rc;

    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    rc = http_server_start(&srv, cfg, err);
    if (rc != 0) {
        return rc;
    }
    if (cfg->port_file != NULL) {
        char p[16];

        snprintf(p, sizeof p, "%u\n", srv->port);
        ctis_write_file(cfg->port_file, p, strlen(p), NULL);
    }
    fprintf(stderr, "ctis serve: listening on %s://%s:%u/\n",
            cfg->tls_cert != NULL ? "https" : "http", srv->listen_host,
            srv->port);
    fflush(stderr);
    sigwait(&set, &sig);
    fprintf(stderr, "ctis serve: stopping (signal %d)\n", sig);
    http_server_stop(srv, 10.0);
    return 0;
}
