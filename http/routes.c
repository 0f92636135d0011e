/*
 * routes.c - the route table (STYLE.md section 6): method, path pattern,
 * handler, the roles that may call it, and whether it writes. The
 * dispatcher (handle.c) matches a request against it, finds the caller
 * and checks the role; each handler turns the request into one ops/ call
 * with the caller's context and the answer into JSON, nothing else.
 *
 * Adding a route: write the handler below (parse, call ops/, answer),
 * add its row, document it in docs/openapi.json, and add its row to the
 * role x route matrix of tests/http/test_api.sh.
 */
#include <string.h>

#include "http_int.h"

extern const char http_openapi_doc[];
extern const unsigned long http_openapi_doc_len;

static int get_openapi(struct http_server *srv, struct http_req *req,
                       struct http_resp *resp)
{
    (void)srv;
    (void)req;
    resp->status = 200;
    resp->content_type = "application/json";
    ctis_buf_append(&resp->body, http_openapi_doc, http_openapi_doc_len);
    return 200;
}

static int get_health(struct http_server *srv, struct http_req *req,
                      struct http_resp *resp)
{
    (void)srv;
    return http_json(resp, 200,
                     json_pack("{ss ss}", "status", "ok", "backend",
                               store_backend(req->store)));
}

/* Roles, as the route table names them (ops_role_codes). */
#define ALL "admin,case_worker,police,analyst,viewer"
#define CW "admin,case_worker"
#define CASES "admin,case_worker,police,viewer"
#define ADMIN "admin"
#define POLICE "admin,police"
#define W HTTP_R_WRITES
#define I (HTTP_R_WRITES | HTTP_R_IDEM)
#define PW HTTP_R_PASSWORD

const struct http_route http_routes[] = {
    {"GET", "/api/openapi.json", get_openapi, "*", HTTP_R_PUBLIC},
    {"GET", "/api/health", get_health, "*", HTTP_R_PUBLIC},
    {"POST", "/api/session", http_post_session, "*", HTTP_R_PUBLIC},
    {"GET", "/api/session", http_get_session, ALL, PW},
    {"DELETE", "/api/session", http_delete_session, ALL, PW},
    {"POST", "/api/session/password", http_post_password, ALL, W | PW},
    {"GET", "/api/cases", http_get_cases, CASES, 0},
    {"POST", "/api/cases", http_post_cases, CW, I},
    {"GET", "/api/cases/{id}", http_get_case, CASES, 0},
    {"PATCH", "/api/cases/{id}", http_patch_case, CW, W},
    {"GET", "/api/cases/{id}/history", http_get_history,
     "admin,case_worker,viewer", 0},
    {"GET", "/api/cases/{id}/events", http_get_events, CASES, 0},
    {"POST", "/api/cases/{id}/events", http_post_event, CW, I},
    {"POST", "/api/cases/{id}/transfer", http_post_transfer, CW, W},
    {"GET", "/api/cases/{id}/referrals", http_get_referrals, CW, 0},
    {"POST", "/api/cases/{id}/referrals", http_post_referral, CW, I},
    {"POST", "/api/cases/{id}/referrals/{rid}/accept", http_post_accept, CW,
     W},
    {"POST", "/api/cases/{id}/referrals/{rid}/decline", http_post_decline,
     CW, W},
    {"GET", "/api/search", http_get_search, CW, 0},
    {"GET", "/api/tasks", http_get_tasks, CW, 0},
    {"GET", "/api/criminal-cases", http_get_records, POLICE, 0},
    {"POST", "/api/criminal-cases", http_post_records, POLICE, I},
    {"GET", "/api/criminal-cases/{id}", http_get_record, POLICE, 0},
    {"GET", "/api/offenders", http_get_offenders, POLICE, 0},
    {"GET", "/api/offenders/{id}", http_get_offender, POLICE, 0},
    {"GET", "/api/agencies", http_get_records, ALL, 0},
    {"POST", "/api/agencies", http_post_records, ADMIN, I},
    {"GET", "/api/agencies/{id}", http_get_record, ALL, 0},
    {"PATCH", "/api/agencies/{id}", http_patch_agency, ADMIN, W},
    {"GET", "/api/activities", http_get_records, ALL, 0},
    {"POST", "/api/activities", http_post_records, CW, I},
    {"GET", "/api/activities/{id}", http_get_record, ALL, 0},
    {"GET", "/api/instruments", http_get_records, ALL, 0},
    {"POST", "/api/instruments", http_post_records, ADMIN, I},
    {"GET", "/api/instruments/{id}", http_get_record, ALL, 0},
    {"GET", "/api/report", http_get_report, "admin,analyst", 0},
    {"GET", "/api/users", http_get_users, ADMIN, 0},
    {"POST", "/api/users", http_post_users, ADMIN, W},
    {"PATCH", "/api/users/{username}", http_patch_user, ADMIN, W},
    {"GET", "/api/audit", http_get_audit, ADMIN, 0},
};

const size_t http_n_routes = sizeof http_routes / sizeof http_routes[0];
