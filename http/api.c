/*
 * api.c - what every handler needs to turn a request into an ops/ call
 * and its result into an answer: the caller's ops context, the mapping
 * of failures (with the field of the first problem), query integers,
 * If-Match and ETag, strict JSON members, and paging with a Link header.
 */
#include <stdlib.h>
#include <string.h>

#include "http_int.h"

void http_ops(struct http_server *srv, struct http_req *req, struct ops *o)
{
    ops_init(o, req->store, &req->caller.who);
    o->address = req->address;
    o->audit = srv->audit;
}

int http_fail(struct http_resp *resp, int rc, const struct ctis_err *err,
              const struct model_problems *problems)
{
    struct ctis_err e;

    if (problems != NULL && problems->n > 0) {
        char msg[sizeof problems->items[0].path +
                 sizeof problems->items[0].msg + 16];

        snprintf(msg, sizeof msg, "field '%s': %s", problems->items[0].path,
                 problems->items[0].msg);
        return http_error(resp, CTIS_EINVAL, msg, problems->items[0].path);
    }
    if (err == NULL || err->code == 0) {
        memset(&e, 0, sizeof e);
        e.code = rc;
        ctis_strlcpy(e.msg, ctis_strerror(rc), sizeof e.msg);
        err = &e;
    } else if (err->code != rc) {
        e = *err;
        e.code = rc;
        err = &e;
    }
    return http_error_from(resp, err);
}

int http_query_long(struct http_req *req, struct http_resp *resp,
                    const char *name, long min, long max, long def,
                    long *out)
{
    const char *v = http_query(req, name);
    char msg[96];

    *out = def;
    if (v == NULL || v[0] == '\0') {
        return 0;
    }
    if (ctis_parse_long(v, min, max, out) != 0) {
        snprintf(msg, sizeof msg, "query parameter must be a number from "
                                  "%ld to %ld", min, max);
        http_error(resp, CTIS_EINVAL, msg, name);
        return -1;
    }
    return 0;
}

int http_if_match(struct http_req *req, struct http_resp *resp, long *v)
{
    const char *h = http_header(req, "If-Match");
    char num[32];
    size_t n;

    if (h == NULL) {
        http_error(resp, HTTP_E_PRECOND_REQUIRED,
                   "an update needs If-Match with the version it changes "
                   "(the ETag of the record)",
                   NULL);
        return -1;
    }
    if (strncmp(h, "W/", 2) == 0) {
        h += 2;
    }
    if (h[0] == '"') {
        h++;
    }
    n = strcspn(h, "\"");
    if (n == 0 || n >= sizeof num) {
        http_error(resp, CTIS_EINVAL, "If-Match must be a version number",
                   "If-Match");
        return -1;
    }
    memcpy(num, h, n);
    num[n] = '\0';
    if (ctis_parse_long(num, 0, 1L << 40, v) != 0) {
        http_error(resp, CTIS_EINVAL, "If-Match must be a version number",
                   "If-Match");
        return -1;
    }
    return 0;
}

void http_etag(struct http_req *req, struct http_resp *resp, long version)
{
    char t[32];

    snprintf(t, sizeof t, "\"%ld\"", version);
    http_add_header(req, resp, "ETag", t);
}

int http_check_members(struct http_resp *resp, json_t *obj,
                       const char *const *allowed)
{
    const char *key;
    json_t *v;

    json_object_foreach(obj, key, v)
    {
        size_t i;
        int known = 0;

        (void)v;
        for (i = 0; allowed[i] != NULL; i++) {
            if (strcmp(key, allowed[i]) == 0) {
                known = 1;
            }
        }
        if (!known) {
            char field[64];

            ctis_strlcpy(field, key, sizeof field);
            http_error(resp, CTIS_EINVAL, "unknown field",
                       ctis_utf8_valid(field, strlen(field)) ? field
                                                             : NULL);
            return -1;
        }
    }
    return 0;
}

int http_page_parse(struct http_req *req, struct http_resp *resp,
                    struct http_page *pg)
{
    if (http_query_long(req, resp, "page", 1, 1000000, 1, &pg->page) != 0 ||
        http_query_long(req, resp, "per_page", 1, 500, 50, &pg->per_page) !=
            0) {
        return -1;
    }
    return 0;
}

/* The first row of the page, for the store's offset. */
long http_page_offset(const struct http_page *pg)
{
    return (pg->page - 1) * pg->per_page;
}

/* The answer of a whole list, or the failure that ended it. */
int http_items_answer(struct http_resp *resp, int rc,
                      const struct ctis_err *err, json_t *items)
{
    if (rc < 0) {
        json_decref(items);
        return http_fail(resp, rc, err, NULL);
    }
    return http_json(resp, 200, json_pack("{so}", "items", items));
}

/* The rows asked of the store: one more than a page says whether there
 * is a next one; that row is dropped here, never shown. */
int http_page_answer(struct http_req *req, struct http_resp *resp,
                     const struct http_page *pg, int rc,
                     const struct ctis_err *err, json_t *items)
{
    int has_next;

    if (rc < 0) {
        json_decref(items);
        return http_fail(resp, rc, err, NULL);
    }
    has_next = (long)json_array_size(items) > pg->per_page;
    if (has_next) {
        json_array_remove(items, json_array_size(items) - 1);
    }
    http_page_links(req, resp, pg, has_next);
    return http_json(resp, 200,
                     json_pack("{so sI sI}", "items", items, "page",
                               (json_int_t)pg->page, "per_page",
                               (json_int_t)pg->per_page));
}

/* rel=next when there is more, rel=prev after the first page, rel=first;
 * the other query parameters are kept as they came (already decoded and
 * re-encoded minimally: only safe characters are copied, others
 * percent-encoded). */
void http_page_links(struct http_req *req, struct http_resp *resp,
                     const struct http_page *pg, int has_next)
{
    struct ctis_buf q;
    struct ctis_buf link;
    size_t i;

    ctis_buf_init(&q);
    ctis_buf_init(&link);
    for (i = 0; i < req->n_query; i++) {
        const char *s;

        if (strcmp(req->query[i].name, "page") == 0 ||
            strcmp(req->query[i].name, "per_page") == 0) {
            continue;
        }
        ctis_buf_printf(&q, "&%s=", req->query[i].name);
        for (s = req->query[i].value; *s != '\0'; s++) {
            unsigned char c = (unsigned char)*s;

            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.') {
                ctis_buf_putc(&q, (char)c);
            } else {
                ctis_buf_printf(&q, "%%%02X", c);
            }
        }
    }
    ctis_buf_printf(&link, "<%s?page=1&per_page=%ld%s>; rel=\"first\"",
                    req->path, pg->per_page, q.data != NULL ? q.data : "");
    if (pg->page > 1) {
        ctis_buf_printf(&link, ", <%s?page=%ld&per_page=%ld%s>; rel=\"prev\"",
                        req->path, pg->page - 1, pg->per_page,
                        q.data != NULL ? q.data : "");
    }
    if (has_next) {
        ctis_buf_printf(&link, ", <%s?page=%ld&per_page=%ld%s>; rel=\"next\"",
                        req->path, pg->page + 1, pg->per_page,
                        q.data != NULL ? q.data : "");
    }
    if (link.data != NULL) {
        http_add_header(req, resp, "Link", link.data);
    }
    ctis_buf_release(&q);
    ctis_buf_release(&link);
}
