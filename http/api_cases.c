/*
 * api_cases.c - the handlers of /api/cases and /api/search: each parses
 * the request, calls one ops/ function with the caller's context and
 * answers its result. A case is answered as its JSON line of
 * docs/formats.md with "version" and "stage" added, its version also in
 * ETag; a list holds summaries without identifying fields.
 */
#include <string.h>

#include "http_int.h"

/* The case as JSON: the file format's line with version and stage. */
static int answer_case(struct http_req *req, struct http_resp *resp,
                       int status, const struct model_case *c, long version,
                       int public_only)
{
    struct io_record rec;
    struct ctis_buf *b = &resp->body;

    memset(&rec, 0, sizeof rec);
    rec.type = IO_REC_CASE;
    rec.u.kase = *c;
    ctis_buf_reset(b);
    if (io_jsonl_write(b, &rec, public_only) != 0 || b->len < 2) {
        return http_error(resp, CTIS_ENOMEM, NULL, NULL);
    }
    /* The line ends with "}\n": insert before the brace. */
    b->len -= 2;
    b->data[b->len] = '\0';
    ctis_buf_printf(b, ",\"version\":%ld,\"stage\":\"%s\"}\n", version,
                    model_case_stage(c));
    resp->status = status;
    resp->content_type = "application/json";
    http_etag(req, resp, version);
    return status;
}

/* Read the case again after a write (inside the same transaction) and
 * answer it. */
static int answer_current(struct http_server *srv, struct http_req *req,
                          struct http_resp *resp, int status, const char *id)
{
    struct ops o;
    struct model_case c;
    struct ctis_err err;
    long v = 0;
    int rc;

    http_ops(srv, req, &o);
    model_case_init(&c);
    rc = ops_case_get(&o, id, 0, &c, &v, &err);
    if (rc != 0) {
        model_case_release(&c);
        return http_fail(resp, rc, &err, NULL);
    }
    status = answer_case(req, resp, status, &c, v, !ops_sees_identity(&o));
    model_case_release(&c);
    return status;
}

/* ---- list ---------------------------------------------------------------- */

struct list_ctx {
    json_t *items;
    long skip;
    long want;      /* per_page + 1: one more tells there is a next page */
    long seen;
};

static int list_one(void *ctx, const struct model_case *c)
{
    struct list_ctx *l = ctx;
    json_t *j;
    char date[11];
    int ident = 0;
    size_t i;

    if (l->seen++ < l->skip) {
        return 0;
    }
    for (i = 0; i < c->n_events; i++) {
        if (c->events[i].type == MODEL_EV_IDENTIFICATION) {
            ident = c->events[i].date;
            break;
        }
    }
    ctis_date_format(ident, date);
    j = json_pack(
        "{ss ss ss ss ss ss ss}", "id", c->id, "agency", c->agency, "status",
        model_code_name(model_case_status_codes, c->status), "stage",
        model_case_stage(c), "movement",
        model_code_name(model_movement_codes, c->movement),
        "trafficking_status",
        model_code_name(model_tstatus_codes, c->trafficking_status),
        "home_province", c->person.home_province);
    if (j == NULL) {
        return CTIS_ENOMEM;
    }
    if (ident != 0) {
        json_object_set_new(j, "identification_date", json_string(date));
    }
    json_array_append_new(l->items, j);
    return (long)json_array_size(l->items) >= l->want ? 1 : 0;
}

int http_get_cases(struct http_server *srv, struct http_req *req,
                     struct http_resp *resp)
{
    struct store_case_filter f;
    struct http_page pg;
    struct list_ctx l;
    struct ctis_err err;
    struct ops o;
    const char *v;
    long year = 0;
    int rc;

    memset(&f, 0, sizeof f);
    f.status = -1;
    if (http_page_parse(req, resp, &pg) != 0 ||
        http_query_long(req, resp, "year", 1900, 2100, 0, &year) != 0) {
        return resp->status;
    }
    f.year = (int)year;
    v = http_query(req, "status");
    if (v != NULL && (f.status = model_code_parse(model_case_status_codes,
                                                 v)) < 0) {
        return http_error(resp, CTIS_EINVAL, "unknown status", "status");
    }
    v = http_query(req, "movement");
    if (v != NULL) {
        int m = model_code_parse(model_movement_codes, v);

        if (m < 0) {
            return http_error(resp, CTIS_EINVAL, "unknown movement",
                              "movement");
        }
        f.movement = m + 1;
    }
    v = http_query(req, "province");
    if (v != NULL && model_province_find(v) == NULL) {
        return http_error(resp, CTIS_EINVAL, "unknown province", "province");
    }
    f.province = v;
    f.agency = http_query(req, "agency");
    f.offset = http_page_offset(&pg);
    f.limit = pg.per_page + 1;
    memset(&l, 0, sizeof l);
    l.items = json_array();
    l.want = pg.per_page + 1;
    http_ops(srv, req, &o);
    rc = ops_case_list(&o, &f, list_one, &l, &err);
    return http_page_answer(req, resp, &pg, rc, &err, l.items);
}

/* ---- one case ------------------------------------------------------------- */

int http_get_case(struct http_server *srv, struct http_req *req,
                    struct http_resp *resp)
{
    return answer_current(srv, req, resp, 200, req->params[0]);
}

/* The body as a case line: "type":"case" first when it was left out. */
static int body_case(struct http_req *req, struct http_resp *resp,
                     struct model_case *c, struct model_problems *pr)
{
    struct io_record rec;
    json_t *body = NULL;
    json_t *line;
    json_t *t;
    char *text;
    int rc;

    if (http_body_object(req, resp, &body) != 0) {
        return -1;
    }
    t = json_object_get(body, "type");
    if (t != NULL && !(json_is_string(t) &&
                       strcmp(json_string_value(t), "case") == 0)) {
        json_decref(body);
        http_error(resp, CTIS_EINVAL, "must be \"case\"", "type");
        return -1;
    }
    line = json_pack("{ss}", "type", "case");
    json_object_del(body, "type");
    json_object_update(line, body);
    json_decref(body);
    text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(line);
    if (text == NULL) {
        http_error(resp, CTIS_ENOMEM, NULL, NULL);
        return -1;
    }
    io_record_init(&rec);
    model_problems_clear(pr);
    rc = io_jsonl_parse(text, strlen(text), &rec, pr);
    ctis_free(text);
    if (rc != 0) {
        io_record_release(&rec);
        http_fail(resp, rc, NULL, pr);
        return -1;
    }
    *c = rec.u.kase;
    return 0;
}

int http_post_cases(struct http_server *srv, struct http_req *req,
                      struct http_resp *resp)
{
    struct model_problems pr;
    struct model_case c;
    struct ops_write w = {0, -1};
    struct ops_duplicate dup;
    struct ctis_err err;
    struct ops o;
    char loc[MODEL_ID_MAX + 16];
    long version = 0;
    int rc;

    model_case_init(&c);
    if (body_case(req, resp, &c, &pr) != 0) {
        return resp->status;
    }
    http_ops(srv, req, &o);
    memset(&dup, 0, sizeof dup);
    rc = ops_case_add(&o, &c, &w, &version, &dup, &pr, &err);
    if (rc != 0) {
        model_case_release(&c);
        return http_fail(resp, rc == CTIS_ECONFLICT ? CTIS_EEXIST : rc, &err,
                         &pr);
    }
    snprintf(loc, sizeof loc, "/api/cases/%s", c.id);
    http_add_header(req, resp, "Location", loc);
    if (dup.weight > 0) {
        char d[MODEL_ID_MAX + 32];

        snprintf(d, sizeof d, "%s; weight=%.1f", dup.case_id, dup.weight);
        http_add_header(req, resp, "X-Possible-Duplicate", d);
    }
    rc = answer_case(req, resp, 201, &c, version, !ops_sees_identity(&o));
    model_case_release(&c);
    return rc;
}

/* A stale If-Match is 412; the current version goes in the ETag. */
static int answer_stale(struct http_req *req, struct http_resp *resp,
                        const struct ctis_err *err, long current)
{
    http_error(resp, HTTP_E_PRECONDITION, err->msg, NULL);
    http_etag(req, resp, current);
    return 412;
}

int http_patch_case(struct http_server *srv, struct http_req *req,
                      struct http_resp *resp)
{
    struct model_problems pr;
    struct ctis_err err;
    struct ops o;
    json_t *body = NULL;
    char *text;
    long if_version;
    long version = 0;
    int rc;
    const char *ct = http_header(req, "Content-Type");

    if (http_if_match(req, resp, &if_version) != 0) {
        return resp->status;
    }
    if (ct != NULL &&
        strncmp(ct, "application/merge-patch+json", 28) == 0) {
        /* http_body_object wants application/json; both mean the same
         * here. */
        size_t i;

        for (i = 0; i < req->n_headers; i++) {
            if (req->headers[i].value == ct) {
                req->headers[i].value = "application/json";
            }
        }
    }
    if (http_body_object(req, resp, &body) != 0) {
        return resp->status;
    }
    text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(body);
    if (text == NULL) {
        return http_error(resp, CTIS_ENOMEM, NULL, NULL);
    }
    http_ops(srv, req, &o);
    model_problems_clear(&pr);
    rc = ops_case_update(&o, req->params[0], text, if_version, &version, &pr,
                         &err);
    ctis_free(text);
    if (rc == CTIS_ECONFLICT) {
        return answer_stale(req, resp, &err, version);
    }
    if (rc != 0) {
        return http_fail(resp, rc, &err, &pr);
    }
    return answer_current(srv, req, resp, 200, req->params[0]);
}

/* ---- history, events -------------------------------------------------- */

static int history_one(void *ctx, const struct ops_history_entry *h)
{
    json_t *items = ctx;

    return json_array_append_new(
               items, json_pack("{sI sI ss ss ss ss}", "version",
                                (json_int_t)h->v->version, "at",
                                (json_int_t)h->v->at, "actor", h->v->actor,
                                "op", h->v->op, "note", h->v->note,
                                "changed", h->changed)) != 0
               ? CTIS_ENOMEM
               : 0;
}

int http_get_history(struct http_server *srv, struct http_req *req,
                       struct http_resp *resp)
{
    struct ctis_err err;
    struct ops o;
    json_t *items = json_array();
    int rc;

    http_ops(srv, req, &o);
    rc = ops_case_history(&o, req->params[0], history_one, items, &err);
    return http_items_answer(resp, rc, &err, items);
}

int http_get_events(struct http_server *srv, struct http_req *req,
                      struct http_resp *resp)
{
    struct ctis_err err;
    struct model_case c;
    struct io_record rec;
    struct ctis_buf b;
    struct ops o;
    json_t *line;
    json_t *events;
    long v = 0;
    int rc;

    http_ops(srv, req, &o);
    model_case_init(&c);
    rc = ops_case_get(&o, req->params[0], 0, &c, &v, &err);
    if (rc != 0) {
        model_case_release(&c);
        return http_fail(resp, rc, &err, NULL);
    }
    memset(&rec, 0, sizeof rec);
    rec.type = IO_REC_CASE;
    rec.u.kase = c;
    ctis_buf_init(&b);
    rc = io_jsonl_write(&b, &rec, 1);
    model_case_release(&c);
    line = rc == 0 ? json_loadb(b.data, b.len, 0, NULL) : NULL;
    ctis_buf_release(&b);
    events = line != NULL ? json_object_get(line, "events") : NULL;
    rc = http_json(resp, 200,
                   json_pack("{sO}", "items",
                             events != NULL ? events : json_array()));
    json_decref(line);
    http_etag(req, resp, v);
    return rc;
}

int http_post_event(struct http_server *srv, struct http_req *req,
                      struct http_resp *resp)
{
    struct model_problems pr;
    struct model_case c;
    struct ctis_err err;
    struct ops o;
    json_t *body = NULL;
    json_t *line;
    char *text;
    int event_id = 0;
    long version = 0;
    long if_version = -1;
    int rc;

    if (http_header(req, "If-Match") != NULL &&
        http_if_match(req, resp, &if_version) != 0) {
        return resp->status;
    }
    if (http_body_object(req, resp, &body) != 0) {
        return resp->status;
    }
    /* Check the event as the file format checks a case's event: one case
     * line holding it. */
    line = json_pack("{ss ss ss s[O]}", "type", "case", "id", "x", "agency",
                     "x", "events", body);
    json_decref(body);
    text = line != NULL ? json_dumps(line, JSON_COMPACT) : NULL;
    json_decref(line);
    if (text == NULL) {
        return http_error(resp, CTIS_ENOMEM, NULL, NULL);
    }
    {
        struct io_record rec;

        io_record_init(&rec);
        model_problems_clear(&pr);
        rc = io_jsonl_parse(text, strlen(text), &rec, &pr);
        ctis_free(text);
        if (rc != 0) {
            size_t i;

            /* Paths say events[0].x: the body is the event itself. */
            for (i = 0; i < (size_t)pr.n; i++) {
                if (strncmp(pr.items[i].path, "events[0].", 10) == 0) {
                    memmove(pr.items[i].path, pr.items[i].path + 10,
                            strlen(pr.items[i].path + 10) + 1);
                }
            }
            io_record_release(&rec);
            return http_fail(resp, rc, NULL, &pr);
        }
        c = rec.u.kase;
    }
    http_ops(srv, req, &o);
    if (if_version >= 0) {
        /* An event with If-Match: refuse it when the case moved on. */
        long cur = 0;
        struct model_case now;

        model_case_init(&now);
        rc = ops_case_get(&o, req->params[0], 0, &now, &cur, &err);
        model_case_release(&now);
        if (rc != 0) {
            model_case_release(&c);
            return http_fail(resp, rc, &err, NULL);
        }
        if (cur != if_version) {
            model_case_release(&c);
            ctis_err_set(&err, CTIS_ECONFLICT,
                         "'%s' is at version %ld, not %ld", req->params[0],
                         cur, if_version);
            return answer_stale(req, resp, &err, cur);
        }
    }
    model_problems_clear(&pr);
    rc = ops_case_event(&o, req->params[0], &c.events[0], &event_id, &version,
                        &pr, &err);
    model_case_release(&c);
    if (rc != 0) {
        return http_fail(resp, rc, &err, &pr);
    }
    return answer_current(srv, req, resp, 201, req->params[0]);
}

/* ---- transfer, referrals ---------------------------------------------- */

int http_post_transfer(struct http_server *srv, struct http_req *req,
                         struct http_resp *resp)
{
    static const char *const members[] = {"to", "consent", "note", NULL};
    struct ctis_err err;
    struct ops o;
    json_t *body = NULL;
    json_t *to;
    json_t *consent;
    long if_version = -1;
    long version = 0;
    int cv;
    int rc;

    if (http_header(req, "If-Match") != NULL &&
        http_if_match(req, resp, &if_version) != 0) {
        return resp->status;
    }
    if (http_body_object(req, resp, &body) != 0) {
        return resp->status;
    }
    if (http_check_members(resp, body, members) != 0) {
        json_decref(body);
        return resp->status;
    }
    to = json_object_get(body, "to");
    consent = json_object_get(body, "consent");
    if (!json_is_string(to)) {
        json_decref(body);
        return http_error(resp, CTIS_EINVAL, "must be an agency id", "to");
    }
    cv = json_is_string(consent)
             ? model_code_parse(ops_consent_codes,
                                json_string_value(consent))
             : -1;
    if (cv < 0) {
        json_decref(body);
        return http_error(resp, CTIS_EINVAL,
                          "must be given, refused or not_required",
                          "consent");
    }
    http_ops(srv, req, &o);
    rc = ops_case_transfer(&o, req->params[0], json_string_value(to), cv,
                           if_version, &version, &err);
    if (rc == CTIS_ECONFLICT) {
        json_decref(body);
        return answer_stale(req, resp, &err, version);
    }
    if (rc != 0) {
        json_decref(body);
        return http_fail(resp, rc, &err, NULL);
    }
    /* After a transfer the case may no longer be the caller's to read. */
    http_etag(req, resp, version);
    rc = http_json(resp, 200,
                   json_pack("{ss ss sI}", "id", req->params[0], "agency",
                             json_string_value(to), "version",
                             (json_int_t)version));
    json_decref(body);
    return rc;
}

static json_t *referral_json(const struct store_referral *r)
{
    static const char *const states[] = {"pending", "accepted", "declined"};

    return json_pack(
        "{sI ss ss ss ss ss sI ss}", "id", (json_int_t)r->id, "case",
        r->case_id, "from_agency", r->from_agency, "to_agency", r->to_agency,
        "service", model_code_name(model_service_codes, r->service), "state",
        r->state >= 0 && r->state <= 2 ? states[r->state] : "?", "at",
        (json_int_t)r->at, "actor", r->actor);
}

static int referral_one(void *ctx, const struct store_referral *r)
{
    return json_array_append_new(ctx, referral_json(r)) != 0 ? CTIS_ENOMEM
                                                              : 0;
}

int http_get_referrals(struct http_server *srv, struct http_req *req,
                         struct http_resp *resp)
{
    struct store_referral_filter f;
    struct model_case c;
    struct ctis_err err;
    struct ops o;
    json_t *items;
    long v;
    int rc;

    http_ops(srv, req, &o);
    /* The case must be the caller's to see, as for GET /api/cases/{id}. */
    model_case_init(&c);
    rc = ops_case_get(&o, req->params[0], 0, &c, &v, &err);
    model_case_release(&c);
    if (rc != 0) {
        return http_fail(resp, rc, &err, NULL);
    }
    memset(&f, 0, sizeof f);
    f.case_id = req->params[0];
    f.state = -1;
    items = json_array();
    rc = ops_referral_list(&o, &f, referral_one, items, &err);
    return http_items_answer(resp, rc, &err, items);
}

int http_post_referral(struct http_server *srv, struct http_req *req,
                         struct http_resp *resp)
{
    static const char *const members[] = {"to", "service", NULL};
    struct ctis_err err;
    struct ops o;
    json_t *body = NULL;
    json_t *to;
    json_t *service;
    long id = 0;
    long version = 0;
    int sv;
    int rc;

    if (http_body_object(req, resp, &body) != 0) {
        return resp->status;
    }
    if (http_check_members(resp, body, members) != 0) {
        json_decref(body);
        return resp->status;
    }
    to = json_object_get(body, "to");
    service = json_object_get(body, "service");
    if (!json_is_string(to)) {
        json_decref(body);
        return http_error(resp, CTIS_EINVAL, "must be an agency id", "to");
    }
    sv = json_is_string(service)
             ? model_code_parse(model_service_codes,
                                json_string_value(service))
             : -1;
    if (sv < 0) {
        json_decref(body);
        return http_error(resp, CTIS_EINVAL, "unknown service", "service");
    }
    http_ops(srv, req, &o);
    rc = ops_case_refer(&o, req->params[0], json_string_value(to), sv, &id,
                        &version, &err);
    json_decref(body);
    if (rc != 0) {
        return http_fail(resp, rc, &err, NULL);
    }
    {
        struct store_referral_filter f;
        json_t *items = json_array();

        memset(&f, 0, sizeof f);
        f.id = id;
        f.state = -1;
        rc = ops_referral_list(&o, &f, referral_one, items, &err);
        if (rc != 0 || json_array_size(items) != 1) {
            json_decref(items);
            return http_fail(resp, rc != 0 ? rc : CTIS_EINTERNAL, &err,
                             NULL);
        }
        rc = http_json(resp, 201, json_incref(json_array_get(items, 0)));
        json_decref(items);
        return rc;
    }
}

static int decide(struct http_server *srv, struct http_req *req,
                  struct http_resp *resp, int accept)
{
    struct store_referral_filter f;
    struct ctis_err err;
    struct ops o;
    json_t *items;
    long id;
    int rc;

    if (ctis_parse_long(req->params[1], 1, 1L << 50, &id) != 0) {
        return http_error(resp, CTIS_ENOTFOUND, "no such referral", NULL);
    }
    http_ops(srv, req, &o);
    rc = ops_referral_decide(&o, id, accept, &err);
    if (rc != 0) {
        return http_fail(resp, rc, &err, NULL);
    }
    memset(&f, 0, sizeof f);
    f.id = id;
    f.state = -1;
    items = json_array();
    rc = ops_referral_list(&o, &f, referral_one, items, &err);
    if (rc != 0 || json_array_size(items) != 1) {
        json_decref(items);
        return http_fail(resp, rc != 0 ? rc : CTIS_ENOTFOUND, &err, NULL);
    }
    if (strcmp(json_string_value(json_object_get(json_array_get(items, 0),
                                                 "case")),
               req->params[0]) != 0) {
        json_decref(items);
        return http_error(resp, CTIS_ENOTFOUND, "no such referral", NULL);
    }
    rc = http_json(resp, 200, json_incref(json_array_get(items, 0)));
    json_decref(items);
    return rc;
}

int http_post_accept(struct http_server *srv, struct http_req *req,
                       struct http_resp *resp)
{
    return decide(srv, req, resp, 1);
}

int http_post_decline(struct http_server *srv, struct http_req *req,
                        struct http_resp *resp)
{
    return decide(srv, req, resp, 0);
}

/* ---- search ------------------------------------------------------------ */

int http_get_search(struct http_server *srv, struct http_req *req,
                      struct http_resp *resp)
{
    struct ops_find_hit hits[50];
    struct ctis_err err;
    struct ops o;
    const char *q = http_query(req, "q");
    const char *province = http_query(req, "province");
    json_t *items;
    long born = 0;
    size_t n = 0;
    size_t i;
    int rc;

    if (q == NULL || q[0] == '\0') {
        return http_error(resp, CTIS_EINVAL, "give a name to search for",
                          "q");
    }
    if (strlen(q) > 200) {
        return http_error(resp, CTIS_EINVAL, "the name is too long", "q");
    }
    if (http_query_long(req, resp, "born", 1900, 2100, 0, &born) != 0) {
        return resp->status;
    }
    http_ops(srv, req, &o);
    rc = ops_case_find(&o, q, (int)born, province, hits,
                       sizeof hits / sizeof hits[0], &n, &err);
    if (rc != 0) {
        return http_fail(resp, rc, &err, NULL);
    }
    items = json_array();
    for (i = 0; i < n; i++) {
        json_array_append_new(items,
                              json_pack("{ss ss sf}", "case", hits[i].case_id,
                                        "agency", hits[i].agency, "weight",
                                        hits[i].weight));
    }
    return http_json(resp, 200, json_pack("{so}", "items", items));
}

