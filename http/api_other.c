/*
 * api_other.c - the handlers of sessions, tasks, the report, users, the
 * audit trail and the smaller record kinds (agencies, activities,
 * instruments, criminal cases, offenders). As in api_cases.c each parses,
 * calls one ops/ function and answers.
 */
#include <string.h>
#include <time.h>

#include "http_int.h"
#include "report/report.h"

/* ---- sessions ---------------------------------------------------------- */

static json_t *user_json(const struct ops_caller *who, int must_change)
{
    return json_pack("{ss ss ss sb}", "username", who->user, "agency",
                     who->agency, "role",
                     model_code_name(ops_role_codes, who->role),
                     "must_change_password", must_change);
}

int http_post_session(struct http_server *srv, struct http_req *req,
                      struct http_resp *resp)
{
    static const char *const members[] = {"username", "password", NULL};
    struct http_caller who;
    struct ctis_err err;
    struct ops o;
    json_t *body = NULL;
    json_t *u;
    json_t *p;
    char token[65];
    char csrf[65];
    char cookie[160];
    int rc;

    if (http_body_object(req, resp, &body) != 0) {
        return resp->status;
    }
    if (http_check_members(resp, body, members) != 0) {
        json_decref(body);
        return resp->status;
    }
    u = json_object_get(body, "username");
    p = json_object_get(body, "password");
    if (!json_is_string(u) || json_string_length(u) == 0 ||
        json_string_length(u) > 63) {
        json_decref(body);
        return http_error(resp, CTIS_EINVAL, "must be a user name",
                          "username");
    }
    if (!json_is_string(p) || json_string_length(p) > 1024) {
        json_decref(body);
        return http_error(resp, CTIS_EINVAL, "must be a string", "password");
    }
    if (http_throttle_check(srv->sessions, json_string_value(u),
                            req->address)) {
        json_decref(body);
        http_add_header(req, resp, "Retry-After", "60");
        return http_error(resp, HTTP_E_THROTTLED,
                          "too many failed logins: wait and try again",
                          NULL);
    }
    memset(&who, 0, sizeof who);
    rc = ops_login(req->store, json_string_value(u), json_string_value(p),
                   &who.who, &err);
    if (rc == 0) {
        ops_init(&o, req->store, &who.who);
        rc = ops_must_change_password(&o, &who.must_change, &err);
    }
    http_throttle_note(srv->sessions, json_string_value(u), req->address,
                       rc == 0);
    json_decref(body);
    http_ops(srv, req, &o);
    if (rc != 0) {
        ops_audit_note(&o, "session.login_failed", "user", "", rc, 0,
                       NULL);
        return http_fail(resp, rc == CTIS_EPERM ? HTTP_E_UNAUTHENTICATED : rc,
                         &err, NULL);
    }
    req->caller = who;
    req->caller.authenticated = 1;
    http_ops(srv, req, &o);
    ops_audit_note(&o, "session.login", "user", who.who.user, 0, 0, NULL);
    if (http_session_create(srv->sessions, &who, token, csrf) != 0) {
        return http_error(resp, CTIS_ENOMEM, NULL, NULL);
    }
    snprintf(cookie, sizeof cookie,
             "ctis_session=%s; Path=/; HttpOnly; SameSite=Strict%s", token,
             srv->tls_cert_pem != NULL ? "; Secure" : "");
    http_add_header(req, resp, "Set-Cookie", cookie);
    return http_json(resp, 201,
                     json_pack("{ss ss sI so}", "token", token, "csrf", csrf,
                               "expires",
                               (json_int_t)(time(NULL) + srv->cfg.session_ttl),
                               "user", user_json(&who.who, who.must_change)));
}

int http_get_session(struct http_server *srv, struct http_req *req,
                     struct http_resp *resp)
{
    (void)srv;
    return http_json(
        resp, 200,
        json_pack("{ss so}", "csrf", req->caller.csrf, "user",
                  user_json(&req->caller.who, req->caller.must_change)));
}

/* The token the request came with (bearer or cookie). */
static const char *request_token(struct http_req *req)
{
    const char *a = http_header(req, "Authorization");
    const char *c = http_header(req, "Cookie");
    const char *p;

    if (a != NULL && strncmp(a, "Bearer ", 7) == 0) {
        return a + 7;
    }
    p = c != NULL ? strstr(c, "ctis_session=") : NULL;
    if (p != NULL) {
        char *t = ctis_arena_strdup(&req->arena, p + 13);

        if (t != NULL) {
            t[strcspn(t, "; ")] = '\0';
        }
        return t;
    }
    return NULL;
}

int http_delete_session(struct http_server *srv, struct http_req *req,
                        struct http_resp *resp)
{
    const char *t = request_token(req);
    struct ops o;

    if (t != NULL) {
        http_session_end(srv->sessions, t);
    }
    http_ops(srv, req, &o);
    ops_audit_note(&o, "session.logout", "user", req->caller.who.user, 0, 0,
                   NULL);
    http_add_header(req, resp, "Set-Cookie",
                    "ctis_session=; Path=/; HttpOnly; SameSite=Strict; "
                    "Max-Age=0");
    resp->status = 204;
    return 204;
}

int http_post_password(struct http_server *srv, struct http_req *req,
                       struct http_resp *resp)
{
    static const char *const members[] = {"password", "new_password", NULL};
    struct ops_caller check;
    struct ctis_err err;
    struct ops o;
    json_t *body = NULL;
    json_t *p;
    json_t *n;
    int rc;

    if (http_body_object(req, resp, &body) != 0) {
        return resp->status;
    }
    if (http_check_members(resp, body, members) != 0) {
        json_decref(body);
        return resp->status;
    }
    p = json_object_get(body, "password");
    n = json_object_get(body, "new_password");
    if (!json_is_string(p)) {
        json_decref(body);
        return http_error(resp, CTIS_EINVAL, "must be a string", "password");
    }
    if (!json_is_string(n)) {
        json_decref(body);
        return http_error(resp, CTIS_EINVAL, "must be a string",
                          "new_password");
    }
    rc = ops_login(req->store, req->caller.who.user, json_string_value(p),
                   &check, &err);
    if (rc != 0) {
        json_decref(body);
        return http_fail(resp, rc == CTIS_EPERM ? HTTP_E_UNAUTHENTICATED : rc,
                         &err, NULL);
    }
    http_ops(srv, req, &o);
    rc = ops_user_passwd(&o, req->caller.who.user, json_string_value(n),
                         &err);
    if (rc == 0) {
        rc = ops_user_set_must_change(&o, req->caller.who.user, 0, &err);
    }
    json_decref(body);
    if (rc != 0) {
        return http_fail(resp, rc, &err, NULL);
    }
    /* Every session of the user ends; this one is made anew below by the
     * client logging in again with the new password. */
    http_session_end_user(srv->sessions, req->caller.who.user);
    resp->status = 204;
    return 204;
}

/* ---- tasks -------------------------------------------------------------- */

struct tasks_ctx {
    json_t *open;
    json_t *due;
};

static int task_open(void *ctx, const struct model_case *c)
{
    struct tasks_ctx *t = ctx;

    return json_array_append_new(
               t->open,
               json_pack("{ss ss ss}", "id", c->id, "status",
                         model_code_name(model_case_status_codes, c->status),
                         "stage", model_case_stage(c))) != 0
               ? CTIS_ENOMEM
               : 0;
}

static int task_due(void *ctx, const char *case_id, int last, int due)
{
    struct tasks_ctx *t = ctx;
    char l[11];
    char d[11];

    ctis_date_format(last, l);
    ctis_date_format(due, d);
    return json_array_append_new(t->due,
                                 json_pack("{ss ss ss}", "case", case_id,
                                           "last_visit", l, "due", d)) != 0
               ? CTIS_ENOMEM
               : 0;
}

static int referral_row(void *ctx, const struct store_referral *r)
{
    static const char *const states[] = {"pending", "accepted", "declined"};

    return json_array_append_new(
               ctx,
               json_pack("{sI ss ss ss ss ss}", "id", (json_int_t)r->id,
                         "case", r->case_id, "from_agency", r->from_agency,
                         "to_agency", r->to_agency, "service",
                         model_code_name(model_service_codes, r->service),
                         "state",
                         r->state >= 0 && r->state <= 2 ? states[r->state]
                                                        : "?")) != 0
               ? CTIS_ENOMEM
               : 0;
}

int http_get_tasks(struct http_server *srv, struct http_req *req,
                   struct http_resp *resp)
{
    struct ops_tasks_fns fns;
    struct tasks_ctx t;
    struct store_referral_filter f;
    struct ctis_err err;
    struct ops o;
    json_t *waiting;
    time_t now = time(NULL);
    struct tm tm;
    int interval = 0;
    int rc;

    gmtime_r(&now, &tm);
    http_ops(srv, req, &o);
    t.open = json_array();
    t.due = json_array();
    waiting = json_array();
    fns.open = task_open;
    fns.due = task_due;
    rc = ops_tasks(&o,
                   (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
                       tm.tm_mday,
                   &fns, &t, &interval, &err);
    if (rc == 0) {
        memset(&f, 0, sizeof f);
        f.to_agency = o.who.agency[0] != '\0' ? o.who.agency : NULL;
        f.state = STORE_REF_PENDING;
        rc = ops_referral_list(&o, &f, referral_row, waiting, &err);
    }
    if (rc != 0) {
        json_decref(t.open);
        json_decref(t.due);
        json_decref(waiting);
        return http_fail(resp, rc, &err, NULL);
    }
    return http_json(resp, 200,
                     json_pack("{so so so si}", "open_cases", t.open,
                               "referrals_waiting", waiting,
                               "monitoring_due", t.due,
                               "monitoring_interval_days", interval));
}

/* An agency's settings: for now its monitoring interval, the one field
 * of an agency the API changes (the record itself is imported). */
int http_patch_agency(struct http_server *srv, struct http_req *req,
                      struct http_resp *resp)
{
    static const char *const members[] = {"monitoring_interval_days", NULL};
    struct io_record r;
    struct ctis_err err;
    struct ops o;
    json_t *body = NULL;
    json_t *d;
    long if_version;
    long version = 0;
    int rc;

    if (http_if_match(req, resp, &if_version) != 0) {
        return resp->status;
    }
    http_ops(srv, req, &o);
    io_record_init(&r);
    rc = ops_record_get(&o, IO_REC_AGENCY, req->params[0], &r, &version,
                        &err);
    io_record_release(&r);
    if (rc != 0) {
        return http_fail(resp, rc, &err, NULL);
    }
    if (version != if_version) {
        http_etag(req, resp, version);
        return http_error(resp, HTTP_E_PRECONDITION,
                          "the agency changed: read it again", NULL);
    }
    if (http_body_object(req, resp, &body) != 0) {
        return resp->status;
    }
    if (http_check_members(resp, body, members) != 0) {
        json_decref(body);
        return resp->status;
    }
    d = json_object_get(body, "monitoring_interval_days");
    if (!json_is_integer(d) || json_integer_value(d) < 1 ||
        json_integer_value(d) > 3650) {
        json_decref(body);
        return http_error(resp, CTIS_EINVAL, "must be 1 to 3650 days",
                          "monitoring_interval_days");
    }
    rc = ops_agency_set_monitoring(&o, req->params[0],
                                   (int)json_integer_value(d), &err);
    json_decref(body);
    if (rc != 0) {
        return http_fail(resp, rc, &err, NULL);
    }
    return http_get_record(srv, req, resp);
}

/* ---- the report ----------------------------------------------------------- */

int http_get_report(struct http_server *srv, struct http_req *req,
                    struct http_resp *resp)
{
    struct ops_report_opts ro;
    struct ctis_err err;
    struct ops o;
    long from;
    long to;
    long k;
    int rc;

    if (http_query_long(req, resp, "from", 1900, 2100, 0, &from) != 0 ||
        http_query_long(req, resp, "to", 1900, 2100, 0, &to) != 0 ||
        http_query_long(req, resp, "k", 0, 1000, 0, &k) != 0) {
        return resp->status;
    }
    memset(&ro, 0, sizeof ro);
    ro.from = (int)from;
    ro.to = (int)to;
    ro.k = (int)k;
    ro.format = REPORT_JSON;
    http_ops(srv, req, &o);
    ctis_buf_reset(&resp->body);
    rc = ops_report(&o, &ro, &resp->body, &err);
    if (rc != 0) {
        return http_fail(resp, rc, &err, NULL);
    }
    resp->status = 200;
    resp->content_type = "application/json";
    return 200;
}

/* ---- users ---------------------------------------------------------------- */

static int user_row(void *ctx, const struct store_user *u)
{
    return json_array_append_new(
               ctx, json_pack("{ss ss ss sb}", "username", u->username,
                              "agency", u->agency, "role",
                              model_code_name(ops_role_codes, u->role),
                              "disabled", u->disabled)) != 0
               ? CTIS_ENOMEM
               : 0;
}

int http_get_users(struct http_server *srv, struct http_req *req,
                   struct http_resp *resp)
{
    struct ctis_err err;
    struct ops o;
    json_t *items = json_array();
    int rc;

    http_ops(srv, req, &o);
    rc = ops_user_list(&o, user_row, items, &err);
    return http_items_answer(resp, rc, &err, items);
}

static int parse_role(struct http_resp *resp, json_t *r, int *role)
{
    *role = json_is_string(r) ? model_code_parse(ops_role_codes,
                                                 json_string_value(r))
                              : -1;
    if (*role < 0) {
        http_error(resp, CTIS_EINVAL,
                   "must be admin, case_worker, police, analyst or viewer",
                   "role");
        return -1;
    }
    return 0;
}

int http_post_users(struct http_server *srv, struct http_req *req,
                    struct http_resp *resp)
{
    static const char *const members[] = {"username", "agency", "role",
                                          "password", NULL};
    struct ctis_err err;
    struct ops o;
    json_t *body = NULL;
    json_t *u;
    json_t *a;
    json_t *p;
    int role;
    int rc;

    if (http_body_object(req, resp, &body) != 0) {
        return resp->status;
    }
    if (http_check_members(resp, body, members) != 0) {
        json_decref(body);
        return resp->status;
    }
    u = json_object_get(body, "username");
    a = json_object_get(body, "agency");
    p = json_object_get(body, "password");
    if (!json_is_string(u) || !model_id_valid(json_string_value(u))) {
        json_decref(body);
        return http_error(resp, CTIS_EINVAL,
                          "must be 1-63 of A-Z a-z 0-9 . _ : -", "username");
    }
    if (a != NULL && !json_is_string(a)) {
        json_decref(body);
        return http_error(resp, CTIS_EINVAL, "must be an agency id",
                          "agency");
    }
    if (!json_is_string(p)) {
        json_decref(body);
        return http_error(resp, CTIS_EINVAL, "must be a string", "password");
    }
    if (parse_role(resp, json_object_get(body, "role"), &role) != 0) {
        json_decref(body);
        return resp->status;
    }
    http_ops(srv, req, &o);
    rc = ops_user_add(&o, json_string_value(u),
                      a != NULL ? json_string_value(a) : "", role,
                      json_string_value(p), &err);
    if (rc == 0) {
        rc = ops_user_set_must_change(&o, json_string_value(u), 1, &err);
    }
    if (rc != 0) {
        json_decref(body);
        return http_fail(resp, rc == CTIS_ECONFLICT ? CTIS_EEXIST : rc, &err,
                         NULL);
    }
    rc = http_json(resp, 201,
                   json_pack("{ss ss ss sb sb}", "username",
                             json_string_value(u), "agency",
                             a != NULL ? json_string_value(a) : "", "role",
                             model_code_name(ops_role_codes, role),
                             "disabled", 0, "must_change_password", 1));
    json_decref(body);
    return rc;
}

int http_patch_user(struct http_server *srv, struct http_req *req,
                    struct http_resp *resp)
{
    static const char *const members[] = {"disabled", "password", NULL};
    struct ctis_err err;
    struct ops o;
    json_t *body = NULL;
    json_t *d;
    json_t *p;
    int rc = 0;

    if (http_body_object(req, resp, &body) != 0) {
        return resp->status;
    }
    if (http_check_members(resp, body, members) != 0) {
        json_decref(body);
        return resp->status;
    }
    d = json_object_get(body, "disabled");
    p = json_object_get(body, "password");
    if (d != NULL && !json_is_true(d)) {
        json_decref(body);
        return http_error(resp, CTIS_EINVAL,
                          "only true (disable) can be set", "disabled");
    }
    if (p != NULL && !json_is_string(p)) {
        json_decref(body);
        return http_error(resp, CTIS_EINVAL, "must be a string", "password");
    }
    http_ops(srv, req, &o);
    if (p != NULL) {
        rc = ops_user_passwd(&o, req->params[0], json_string_value(p), &err);
        if (rc == 0) {
            rc = ops_user_set_must_change(&o, req->params[0], 1, &err);
        }
    }
    if (rc == 0 && d != NULL) {
        rc = ops_user_disable(&o, req->params[0], &err);
    }
    json_decref(body);
    if (rc != 0) {
        return http_fail(resp, rc, &err, NULL);
    }
    http_session_end_user(srv->sessions, req->params[0]);
    return http_json(resp, 200,
                     json_pack("{ss}", "username", req->params[0]));
}

/* ---- the audit trail ------------------------------------------------------- */

static int audit_row(void *ctx, const struct store_audit *e)
{
    return json_array_append_new(
               ctx,
               json_pack("{sI sI ss ss ss ss ss ss ss si ss ss}", "seq",
                         (json_int_t)e->seq, "at", (json_int_t)e->at, "user",
                         e->user, "role", e->role, "agency", e->agency,
                         "action", e->action, "kind", e->kind, "record",
                         e->record, "address", e->address, "status",
                         e->status, "prev", e->prev, "hash", e->hash)) != 0
               ? CTIS_ENOMEM
               : 0;
}

int http_get_audit(struct http_server *srv, struct http_req *req,
                   struct http_resp *resp)
{
    struct store_audit_filter f;
    struct ctis_err err;
    struct ops o;
    json_t *items;
    json_t *last;
    long after;
    long limit;
    int rc;

    if (http_query_long(req, resp, "after", 0, 1L << 50, 0, &after) != 0 ||
        http_query_long(req, resp, "limit", 1, 1000, 100, &limit) != 0) {
        return resp->status;
    }
    memset(&f, 0, sizeof f);
    f.after = after;
    f.limit = limit;
    f.user = http_query(req, "user");
    f.record = http_query(req, "record");
    f.action = http_query(req, "action");
    items = json_array();
    http_ops(srv, req, &o);
    rc = ops_audit_list(&o, &f, audit_row, items, &err);
    if (rc != 0) {
        json_decref(items);
        return http_fail(resp, rc, &err, NULL);
    }
    last = json_array_size(items) > 0
               ? json_object_get(json_array_get(items,
                                                json_array_size(items) - 1),
                                 "seq")
               : NULL;
    return http_json(resp, 200,
                     json_pack("{so sI}", "items", items, "next_after",
                               (json_int_t)(last != NULL
                                                ? json_integer_value(last)
                                                : after)));
}

/* ---- agencies, activities, instruments, criminal cases ---------------------- */

/* The record type a route's pattern names. */
static int type_of_route(const char *route)
{
    if (strncmp(route, "/api/agencies", 13) == 0) {
        return IO_REC_AGENCY;
    }
    if (strncmp(route, "/api/activities", 15) == 0) {
        return IO_REC_ACTIVITY;
    }
    if (strncmp(route, "/api/instruments", 16) == 0) {
        return IO_REC_INSTRUMENT;
    }
    return IO_REC_CRIMINAL_CASE;
}

static const char *type_name(int type)
{
    static const char *const names[] = {"agency", "case", "criminal_case",
                                        "activity", "instrument"};

    return names[type];
}

/* A record as JSON: its file line with "version" added. */
static json_t *record_json(const struct io_record *r, long version)
{
    struct ctis_buf b;
    json_t *j = NULL;

    ctis_buf_init(&b);
    if (io_jsonl_write(&b, r, 1) == 0) {
        j = json_loadb(b.data, b.len, 0, NULL);
    }
    ctis_buf_release(&b);
    if (j != NULL && version > 0) {
        json_object_set_new(j, "version", json_integer(version));
    }
    return j;
}

struct rec_list {
    json_t *items;
};

static int record_row(void *ctx, const struct io_record *r, long version)
{
    struct rec_list *l = ctx;
    json_t *j = record_json(r, version);

    return j == NULL || json_array_append_new(l->items, j) != 0 ? CTIS_ENOMEM
                                                                 : 0;
}

int http_get_records(struct http_server *srv, struct http_req *req,
                     struct http_resp *resp)
{
    struct http_page pg;
    struct rec_list l;
    struct ctis_err err;
    struct ops o;
    int rc;

    if (http_page_parse(req, resp, &pg) != 0) {
        return resp->status;
    }
    l.items = json_array();
    http_ops(srv, req, &o);
    rc = ops_record_list(&o, type_of_route(req->route),
                         http_page_offset(&pg), pg.per_page + 1,
                         record_row, &l, &err);
    return http_page_answer(req, resp, &pg, rc, &err, l.items);
}

int http_get_record(struct http_server *srv, struct http_req *req,
                    struct http_resp *resp)
{
    struct io_record r;
    struct ctis_err err;
    struct ops o;
    json_t *j;
    long version = 0;
    int rc;

    io_record_init(&r);
    http_ops(srv, req, &o);
    rc = ops_record_get(&o, type_of_route(req->route), req->params[0], &r,
                        &version, &err);
    if (rc != 0) {
        io_record_release(&r);
        return http_fail(resp, rc, &err, NULL);
    }
    j = record_json(&r, version);
    if (j != NULL && r.type == IO_REC_AGENCY) {
        int days = 0;

        rc = ops_agency_monitoring(&o, req->params[0], &days, &err);
        if (rc != 0) {
            json_decref(j);
            io_record_release(&r);
            return http_fail(resp, rc, &err, NULL);
        }
        json_object_set_new(j, "monitoring_interval_days", json_integer(days));
    }
    rc = http_json(resp, 200, j);
    io_record_release(&r);
    http_etag(req, resp, version);
    return rc;
}

int http_post_records(struct http_server *srv, struct http_req *req,
                      struct http_resp *resp)
{
    struct model_problems pr;
    struct io_record r;
    struct ctis_err err;
    struct ops o;
    int type = type_of_route(req->route);
    json_t *body = NULL;
    json_t *line;
    json_t *t;
    char *text;
    long version = 0;
    int rc;

    if (http_body_object(req, resp, &body) != 0) {
        return resp->status;
    }
    t = json_object_get(body, "type");
    if (t != NULL && !(json_is_string(t) &&
                       strcmp(json_string_value(t), type_name(type)) == 0)) {
        json_decref(body);
        return http_error(resp, CTIS_EINVAL, "names another kind of record",
                          "type");
    }
    line = json_pack("{ss}", "type", type_name(type));
    json_object_del(body, "type");
    json_object_update(line, body);
    json_decref(body);
    text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(line);
    if (text == NULL) {
        return http_error(resp, CTIS_ENOMEM, NULL, NULL);
    }
    io_record_init(&r);
    model_problems_clear(&pr);
    rc = io_jsonl_parse(text, strlen(text), &r, &pr);
    ctis_free(text);
    if (rc != 0) {
        io_record_release(&r);
        return http_fail(resp, rc, NULL, &pr);
    }
    http_ops(srv, req, &o);
    rc = ops_record_add(&o, &r, &version, &err);
    if (rc != 0) {
        io_record_release(&r);
        return http_fail(resp, rc == CTIS_ECONFLICT ? CTIS_EEXIST : rc, &err,
                         NULL);
    }
    rc = http_json(resp, 201, record_json(&r, version));
    http_etag(req, resp, version);
    io_record_release(&r);
    return rc;
}

/* ---- offenders -------------------------------------------------------------- */

static json_t *offender_json(const struct model_offender *f)
{
    json_t *j = json_pack("{ss ss ss}", "id", f->id, "sex",
                          model_code_name(model_sex_codes, f->sex), "role",
                          model_code_name(model_role_codes, f->role));

    if (j != NULL && f->citizenship[0] != '\0') {
        json_object_set_new(j, "citizenship", json_string(f->citizenship));
    }
    return j;
}

static int offender_row(void *ctx, const struct model_offender *f,
                        const char *criminal_case)
{
    (void)criminal_case;
    return json_array_append_new(ctx, offender_json(f)) != 0 ? CTIS_ENOMEM
                                                              : 0;
}

int http_get_offenders(struct http_server *srv, struct http_req *req,
                       struct http_resp *resp)
{
    struct http_page pg;
    struct ctis_err err;
    struct ops o;
    json_t *items;
    int rc;

    if (http_page_parse(req, resp, &pg) != 0) {
        return resp->status;
    }
    items = json_array();
    http_ops(srv, req, &o);
    rc = ops_offender_list(&o, NULL, http_page_offset(&pg), pg.per_page + 1,
                           offender_row, items, &err);
    return http_page_answer(req, resp, &pg, rc, &err, items);
}

struct one_offender {
    json_t *j;
    json_t *cases;
};

static int offender_one(void *ctx, const struct model_offender *f,
                        const char *criminal_case)
{
    struct one_offender *x = ctx;

    if (x->j == NULL) {
        x->j = offender_json(f);
    }
    return json_array_append_new(x->cases, json_string(criminal_case)) != 0
               ? CTIS_ENOMEM
               : 0;
}

int http_get_offender(struct http_server *srv, struct http_req *req,
                      struct http_resp *resp)
{
    struct one_offender x;
    struct ctis_err err;
    struct ops o;
    int rc;

    x.j = NULL;
    x.cases = json_array();
    http_ops(srv, req, &o);
    rc = ops_offender_list(&o, req->params[0], 0, 0, offender_one, &x, &err);
    if (rc == 0 && x.j == NULL) {
        rc = ctis_err_set(&err, CTIS_ENOTFOUND, "no offender has the id given");
    }
    if (rc != 0) {
        json_decref(x.j);
        json_decref(x.cases);
        return http_fail(resp, rc, &err, NULL);
    }
    json_object_set_new(x.j, "criminal_cases", x.cases);
    return http_json(resp, 200, x.j);
}
