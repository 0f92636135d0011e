/*
 * ops_int.h - private to ops/: the one writer every operation goes
 * through, the JSON helpers of patches and history, and the clock.
 */
#ifndef CTIS_OPS_INT_H
#define CTIS_OPS_INT_H

#include <jansson.h>

#include "ops/ops.h"

/* Seconds since 1970: o->now, or the clock when it is 0. */
long ops_now(const struct ops *o);

/* Write record r (any type) and append its version: op names the
 * operation ("case.add", "import", ...), note says why (may be ""). For
 * a case, events without an id are numbered and the status derived
 * first (r is changed). Inside a write transaction. */
int ops_put_record(struct ops *o, struct io_record *r, const char *op,
                   const char *note, struct ctis_err *err);

/* Lock (kind, id) and read its current version number (0: none). */
int ops_lock_version(struct ops *o, int kind, const char *id, long *version,
                     struct ctis_err *err);

/* Refuse a stale version: CTIS_ECONFLICT unless if_version is -1 or
 * equals current. */
int ops_check_version(const char *id, long if_version, long current,
                      struct ctis_err *err);

/* The JSON line of a case (without its newline) as a jansson object
 * (owned by the caller, json_decref), or NULL on out of memory. */
json_t *ops_case_json(const struct model_case *c);

/* Parse a JSON object (as text) back into a case; problems as
 * io_jsonl_parse. */
int ops_case_from_json(const json_t *obj, struct model_case *out,
                       struct model_problems *problems,
                       struct ctis_err *err);

/* RFC 7386: apply patch to target in place. 0 or CTIS_ENOMEM. */
int ops_merge_patch(json_t *target, const json_t *patch);

/* The field paths where a and b differ ("agency, person.sex,
 * events[2]"), appended to out with ", " between them. Either may be
 * NULL (everything differs). 0 or CTIS_ENOMEM. */
int ops_json_diff(const json_t *a, const json_t *b, const char *prefix,
                  struct ctis_buf *out);

/* Clear the identifying fields of a person (for callers that may not see
 * them). */
void ops_clear_identity(struct model_person *p);

#endif
