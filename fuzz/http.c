/*
 * http.c - fuzz target for the HTTP request handler: each input is a
 * whole request (METHOD SP TARGET LF headers LF LF body, http_handle_raw)
 * answered by the same code as a real connection, over a real SQLite
 * database made once in a temporary folder with an admin, an agency and a
 * case. The target logs in once; "@T@" in an input becomes the session's
 * token, so the fuzzer reaches the handlers behind the login. Every
 * answer must be a status from 200 to 599 (a crash, a leak or undefined
 * behaviour fails under ASan and UBSan).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/http.h"
#include "io/io.h"
#include "ops/ops.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static struct http_server *srv;
static char token[65];
static char dir[] = "/tmp/ctis-fuzz-http-XXXXXX";

static void cleanup(void)
{
    static const char *const files[] = {"f.db", "f.db-wal", "f.db-shm"};
    char path[128];
    size_t i;

    http_server_stop(srv, 0);
    for (i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void die(const char *what, const struct ctis_err *err)
{
    fprintf(stderr, "fuzz http: %s: %s\n", what, err != NULL ? err->msg : "");
    abort();
}

/* The admin, an agency and a case, through ops/ like any caller. */
static void seed(const char *db)
{
    struct ops_caller me;
    struct ctis_err err;
    struct store *st = NULL;
    struct ops o;

    if (store_open(&st, db, STORE_OPEN_CREATE, &err) != 0) {
        die("open", &err);
    }
    ops_caller_local_admin(&me);
    ops_init(&o, st, &me);
    if (store_begin(st, &err) != 0 ||
        ops_user_add(&o, "fz", "", OPS_ROLE_ADMIN, "fuzz-password", &err) !=
            0 ||
        store_commit(st, &err) != 0) {
        die("seed", &err);
    }
    store_close(st);
}

static int raw(const char *s, struct ctis_buf *body)
{
    return http_handle_raw(srv, s, strlen(s), body);
}

static void start(void)
{
    struct http_config cfg;
    static char db[128];
    struct ctis_err err;
    struct ctis_buf b;
    const char *t;

    io_init();
    if (mkdtemp(dir) == NULL) {
        abort();
    }
    snprintf(db, sizeof db, "%s/f.db", dir);
    seed(db);
    memset(&cfg, 0, sizeof cfg);
    cfg.db_url = db;
    cfg.listen = "none";
    cfg.threads = 1;
    cfg.log = fopen("/dev/null", "w");
    if (http_server_start(&srv, &cfg, &err) != 0) {
        die("start", &err);
    }
    atexit(cleanup);
    ctis_buf_init(&b);
    raw("POST /api/session\nContent-Type: application/json\n\n"
        "{\"username\":\"fz\",\"password\":\"fuzz-password\"}",
        &b);
    t = b.data != NULL ? strstr(b.data, "\"token\":\"") : NULL;
    if (t == NULL || strlen(t) < 9 + 64) {
        die("login", NULL);
    }
    memcpy(token, t + 9, 64);
    token[64] = '\0';
    ctis_buf_release(&b);
    {
        char req[512];

        snprintf(req, sizeof req,
                 "POST /api/agencies\nAuthorization: Bearer %s\n"
                 "Content-Type: application/json\n\n"
                 "{\"id\":\"ngo-1\",\"name\":\"One\",\"kind\":\"ngo\"}",
                 token);
        raw(req, NULL);
        snprintf(req, sizeof req,
                 "POST /api/cases\nAuthorization: Bearer %s\n"
                 "Content-Type: application/json\n\n"
                 "{\"id\":\"C-1\",\"agency\":\"ngo-1\",\"events\":[{\"type\":"
                 "\"identification\",\"date\":\"2007-01-02\"}]}",
                 token);
        raw(req, NULL);
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    struct ctis_buf in;
    size_t i;
    int status;

    if (srv == NULL) {
        start();
    }
    /* "@T@" becomes the token. */
    ctis_buf_init(&in);
    for (i = 0; i < size; i++) {
        if (i + 3 <= size && memcmp(data + i, "@T@", 3) == 0) {
            ctis_buf_puts(&in, token);
            i += 2;
        } else {
            ctis_buf_putc(&in, (char)data[i]);
        }
    }
    status = http_handle_raw(srv, in.data != NULL ? in.data : "", in.len,
                             NULL);
    ctis_buf_release(&in);
    if (status != 0 && (status < 200 || status > 599)) {
        abort();
    }
    return 0;
}
