/*
 * pg_put.c - the PostgreSQL backend's writers: puts append COPY text rows
 * to per-table buffers; pg_flush sends them with COPY into the session's
 * staging tables and merges them into the real tables (pg_int.h has the
 * design). Callers see the semantics of store.h: a put replaces a record
 * wholly, a reference to a missing record fails at the put with
 * CTIS_ENOTFOUND and leaves the transaction usable, and every read sees
 * the puts made before it (reads flush first; store_exists looks at the
 * buffered ids).
 *
 * Invariant: within one batch (the rows since the last flush) an id
 * appears at most once per kind, so each merge touches a row once; a put
 * of an id already in the batch flushes the batch first. Offenders are the
 * exception: one offender may be named by several criminal cases of a
 * batch, so their merge keeps the last row per id (ord, seq).
 */
#include <string.h>
#include <unistd.h>

#include "pg_int.h"

/* ---- string sets ------------------------------------------------------- */

static size_t hash(char kind, const char *s)
{
    size_t h = 1469598103934665603u ^ (unsigned char)kind;

    for (; *s != '\0'; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    }
    return h;
}

/* Empty set; allocates nothing. */
void pg_set_init(struct pg_set *s)
{
    s->slots = NULL;
    s->cap = 0;
    s->len = 0;
    ctis_arena_init(&s->arena, 64 * 1024);
}

/* Free everything and leave the set empty. */
void pg_set_clear(struct pg_set *s)
{
    ctis_free(s->slots);
    ctis_arena_release(&s->arena);
    pg_set_init(s);
}

static size_t find(const struct pg_set *s, char kind, const char *id)
{
    size_t i = hash(kind, id) & (s->cap - 1);

    while (s->slots[i] != NULL &&
           (s->slots[i][0] != kind || strcmp(s->slots[i] + 1, id) != 0)) {
        i = (i + 1) & (s->cap - 1);
    }
    return i;
}

/* 1 if present. */
int pg_set_has(const struct pg_set *s, char kind, const char *id)
{
    return s->cap > 0 && s->slots[find(s, kind, id)] != NULL;
}

static int grow(struct pg_set *s)
{
    size_t cap = s->cap > 0 ? s->cap * 2 : 1024;
    char **old = s->slots;
    size_t ocap = s->cap;
    size_t i;

    s->slots = ctis_calloc(cap, sizeof *s->slots);
    if (s->slots == NULL) {
        s->slots = old;
        return CTIS_ENOMEM;
    }
    s->cap = cap;
    for (i = 0; i < ocap; i++) {
        if (old[i] != NULL) {
            s->slots[find(s, old[i][0], old[i] + 1)] = old[i];
        }
    }
    ctis_free(old);
    return 0;
}

/* Add kind+id (kept in the arena). */
int pg_set_add(struct pg_set *s, char kind, const char *id)
{
    size_t n = strlen(id);
    size_t i;
    char *k;

    if ((s->len + 1) * 2 > s->cap && grow(s) != 0) {
        return CTIS_ENOMEM;
    }
    i = find(s, kind, id);
    if (s->slots[i] != NULL) {
        return 0;
    }
    k = ctis_arena_alloc(&s->arena, n + 2);
    if (k == NULL) {
        return CTIS_ENOMEM;
    }
    k[0] = kind;
    memcpy(k + 1, id, n + 1);
    s->slots[i] = k;
    s->len++;
    return 0;
}

/* ---- COPY text rows ---------------------------------------------------- */

/* A text field: empty is NULL (\N), as SQLite stores it. Runs of bytes
 * that need no escape go in at once (the bulk of an import's bytes). */
static int f_text(struct ctis_buf *b, const char *s)
{
    int rc = 0;

    if (b->len > 0 && b->data[b->len - 1] != '\n') {
        rc = ctis_buf_putc(b, '\t');
    }
    if (s == NULL || s[0] == '\0') {
        return rc != 0 ? rc : ctis_buf_puts(b, "\\N");
    }
    while (rc == 0 && *s != '\0') {
        size_t n = strcspn(s, "\\\t\n\r");

        if (n > 0) {
            rc = ctis_buf_append(b, s, n);
            s += n;
            continue;
        }
        switch (*s) {
        case '\\':
            rc = ctis_buf_puts(b, "\\\\");
            break;
        case '\t':
            rc = ctis_buf_puts(b, "\\t");
            break;
        case '\n':
            rc = ctis_buf_puts(b, "\\n");
            break;
        default:
            rc = ctis_buf_puts(b, "\\r");
            break;
        }
        s++;
    }
    return rc;
}

/* A text field that is never NULL (an empty string stays empty). */
static int f_str(struct ctis_buf *b, const char *s)
{
    if (s[0] == '\0') {
        if (b->len > 0 && b->data[b->len - 1] != '\n') {
            return ctis_buf_putc(b, '\t');
        }
        return 0;
    }
    return f_text(b, s);
}

/* Decimal, without printf (a field of nearly every row). */
static int f_long(struct ctis_buf *b, long v)
{
    char d[24];
    size_t i = sizeof d;
    unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
    int rc = 0;

    if (b->len > 0 && b->data[b->len - 1] != '\n') {
        rc = ctis_buf_putc(b, '\t');
    }
    do {
        d[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    if (v < 0) {
        d[--i] = '-';
    }
    return rc != 0 ? rc : ctis_buf_append(b, d + i, sizeof d - i);
}

/* Negative means unknown: NULL. */
static int f_long_or_null(struct ctis_buf *b, long v)
{
    return v < 0 ? f_text(b, NULL) : f_long(b, v);
}

static int f_end(struct ctis_buf *b)
{
    return ctis_buf_putc(b, '\n');
}

/* Undo a half-written row after out of memory. */
static int row_failed(struct ctis_buf *b, size_t len, struct ctis_err *err)
{
    b->len = len;
    if (b->cap > 0) {
        b->data[len] = '\0';
    }
    return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
}

/* ---- flushing ---------------------------------------------------------- */

static const char *const stage_table[PG_S_COUNT] = {
    "s_agency", "s_case", "s_event", "s_rescue", "s_repat", "s_cc",
    "s_cc_off", "s_cc_vic", "s_crim_event", "s_activity", "s_instrument",
    "s_party", "s_version", "s_vid", NULL, NULL};

/* The merges, in order; each runs when its first staging table has rows.
 * Rows go in by id so that concurrent writers lock rows in one order. */
static const char merge_agency[] =
    "INSERT INTO agency(id, name, kind, pillars, provinces)"
    " SELECT id, name, kind, pillars, provinces FROM s_agency ORDER BY id"
    " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name,"
    " kind = EXCLUDED.kind, pillars = EXCLUDED.pillars,"
    " provinces = EXCLUDED.provinces;";

/* The case rows go in first and hand back their rids (s_rid), so the
 * person, events and facts join two small staging tables and never the
 * whole cases table: a batch costs the same however big the database. */
static const char merge_case[] =
    "WITH ins AS (INSERT INTO cases(id, agency, trafficking_status,"
    " movement, exploitation, labour_sector, means, recruiter_relationship,"
    " destination_country, destination_province, destination_city,"
    " status, sex, citizenship, home_province, home_district,"
    " age_at_identification, age_group, identification_date, stage)"
    " SELECT id, agency, trafficking_status, movement, exploitation,"
    " labour_sector, means, recruiter_relationship, destination_country,"
    " destination_province, destination_city, status, sex, citizenship,"
    " home_province, home_district, age_at_identification, age_group,"
    " identification_date, stage FROM s_case ORDER BY id"
    " ON CONFLICT (id) DO UPDATE SET agency = EXCLUDED.agency,"
    " trafficking_status = EXCLUDED.trafficking_status,"
    " movement = EXCLUDED.movement, exploitation = EXCLUDED.exploitation,"
    " labour_sector = EXCLUDED.labour_sector, means = EXCLUDED.means,"
    " recruiter_relationship = EXCLUDED.recruiter_relationship,"
    " destination_country = EXCLUDED.destination_country,"
    " destination_province = EXCLUDED.destination_province,"
    " destination_city = EXCLUDED.destination_city,"
    " status = EXCLUDED.status, sex = EXCLUDED.sex,"
    " citizenship = EXCLUDED.citizenship,"
    " home_province = EXCLUDED.home_province,"
    " home_district = EXCLUDED.home_district,"
    " age_at_identification = EXCLUDED.age_at_identification,"
    " age_group = EXCLUDED.age_group,"
    " identification_date = EXCLUDED.identification_date,"
    " stage = EXCLUDED.stage,"
    " rev = cases.rev + 1 RETURNING id, rid, rev)"
    " INSERT INTO s_rid SELECT id, rid, rev FROM ins;";

/* Statistics for the joins below, worth their cost on a bulk batch only
 * (a single-case transaction is planned well without them). */
static const char analyze_rid[] = "ANALYZE s_rid;";

static const char merge_case_events[] =
    "DELETE FROM event e USING s_rid r"
    " WHERE r.rev > 0 AND e.case_rid = r.rid;";

/* In a sealed database, the blind index rows of the batch's cases that
 * existed (rev > 0) go before their new ones are sealed (pg_seal.c): a
 * new case has none, so the usual import deletes nothing. */
static const char merge_case_bidx[] =
    "DELETE FROM person_bidx b USING s_rid r"
    " WHERE r.rev > 0 AND b.case_rid = r.rid;";

/* The person row in clear (a sealed database writes it in pg_seal.c). */
static const char merge_person[] =
    "INSERT INTO person_identity(case_rid, given_name, family_name,"
    " given_name_km, family_name_km, birth_date, birth_year, age,"
    " home_commune, home_village, phone, email)"
    " SELECT r.rid, s.given_name, s.family_name, s.given_name_km,"
    " s.family_name_km, s.birth_date, s.birth_year, s.age, s.home_commune,"
    " s.home_village, s.phone, s.email FROM s_case s JOIN s_rid r"
    " ON r.id = s.id ORDER BY r.rid"
    " ON CONFLICT (case_rid) DO UPDATE SET given_name = EXCLUDED.given_name,"
    " family_name = EXCLUDED.family_name,"
    " given_name_km = EXCLUDED.given_name_km,"
    " family_name_km = EXCLUDED.family_name_km,"
    " birth_date = EXCLUDED.birth_date, birth_year = EXCLUDED.birth_year,"
    " age = EXCLUDED.age, home_commune = EXCLUDED.home_commune,"
    " home_village = EXCLUDED.home_village, phone = EXCLUDED.phone,"
    " email = EXCLUDED.email;";

static const char merge_case_rest[] =
    "INSERT INTO event(case_rid, seq, type, date, from_country,"
    " to_country, official, service, referral, eid, supersedes)"
    " SELECT r.rid, e.seq, e.type, e.date, e.from_country, e.to_country,"
    " e.official, e.service, e.referral, e.eid, e.supersedes"
    " FROM s_event e JOIN s_rid r"
    " ON r.id = e.case_id;"
    "DELETE FROM rescue_fact x USING s_rid r"
    " WHERE r.rev > 0 AND x.case_rid = r.rid;"
    "INSERT INTO rescue_fact(case_rid, year, referred_to)"
    " SELECT r.rid, f.year, f.referred_to FROM s_rescue f JOIN s_rid r"
    " ON r.id = f.case_id;"
    "DELETE FROM repatriation_fact x USING s_rid r"
    " WHERE r.rev > 0 AND x.case_rid = r.rid;"
    "INSERT INTO repatriation_fact(case_rid, year, from_country,"
    " to_country) SELECT r.rid, f.year, f.from_country, f.to_country"
    " FROM s_repat f JOIN s_rid r ON r.id = f.case_id;";

static const char merge_cc[] =
    "INSERT INTO offender(id, sex, citizenship, role)"
    " SELECT DISTINCT ON (offender_id) offender_id, sex, citizenship, role"
    " FROM s_cc_off ORDER BY offender_id, ord DESC, seq DESC"
    " ON CONFLICT (id) DO UPDATE SET sex = EXCLUDED.sex,"
    " citizenship = EXCLUDED.citizenship, role = EXCLUDED.role;"
    "INSERT INTO criminal_case(id, kind) SELECT id, kind FROM s_cc"
    " ORDER BY id ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind,"
    " rev = criminal_case.rev + 1;"
    "DELETE FROM criminal_case_offender x USING s_cc s, criminal_case k"
    " WHERE k.id = s.id AND k.rev > 0 AND x.cc_rid = k.rid;"
    "DELETE FROM criminal_case_victim x USING s_cc s, criminal_case k"
    " WHERE k.id = s.id AND k.rev > 0 AND x.cc_rid = k.rid;"
    "DELETE FROM crim_event x USING s_cc s, criminal_case k"
    " WHERE k.id = s.id AND k.rev > 0 AND x.cc_rid = k.rid;"
    "INSERT INTO criminal_case_offender(cc_rid, seq, offender_id)"
    " SELECT k.rid, o.seq, o.offender_id FROM s_cc_off o"
    " JOIN criminal_case k ON k.id = o.cc_id;"
    "INSERT INTO criminal_case_victim(cc_rid, seq, case_id)"
    " SELECT k.rid, v.seq, v.case_id FROM s_cc_vic v"
    " JOIN criminal_case k ON k.id = v.cc_id;"
    "INSERT INTO crim_event(cc_rid, seq, type, date, offender,"
    " sentence_months, law_articles)"
    " SELECT k.rid, e.seq, e.type, e.date, e.offender, e.sentence_months,"
    " e.law_articles FROM s_crim_event e"
    " JOIN criminal_case k ON k.id = e.cc_id;";

static const char merge_activity[] =
    "INSERT INTO activity(id, agency, kind, province, start, \"end\","
    " reached) SELECT id, agency, kind, province, start, \"end\", reached"
    " FROM s_activity ORDER BY id ON CONFLICT (id) DO UPDATE SET"
    " agency = EXCLUDED.agency, kind = EXCLUDED.kind,"
    " province = EXCLUDED.province, start = EXCLUDED.start,"
    " \"end\" = EXCLUDED.\"end\", reached = EXCLUDED.reached;";

static const char merge_instrument[] =
    "INSERT INTO instrument(id, title, kind, date)"
    " SELECT id, title, kind, date FROM s_instrument ORDER BY id"
    " ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title,"
    " kind = EXCLUDED.kind, date = EXCLUDED.date;"
    "DELETE FROM instrument_party x USING s_instrument s, instrument i"
    " WHERE i.id = s.id AND x.ins_rid = i.rid;"
    "INSERT INTO instrument_party(ins_rid, seq, country)"
    " SELECT i.rid, x.seq, x.country FROM s_party x"
    " JOIN instrument i ON i.id = x.ins_id;";

/* Versions last, after the records they describe: the record's merge
 * took its row lock, so max + 1 is this transaction's to give. */
static const char merge_version[] =
    "INSERT INTO record_version(kind, id, version, at, actor, op, note,"
    " body) SELECT s.kind, s.id, coalesce((SELECT max(r.version)"
    " FROM record_version r WHERE r.kind = s.kind AND r.id = s.id), 0) + 1,"
    " s.at, s.actor, s.op, s.note, s.body FROM s_version s"
    " ORDER BY s.kind, s.id;";

/* Batches smaller than this (a few cases) skip the bulk statements. */
#define SMALL_BATCH ((size_t)64 << 10)

/* COPY bytes [from, to) of buffer t into its staging table. */
static int copy_range(struct store_pg *p, int t, size_t from, size_t to,
                      struct ctis_err *err)
{
    char sql[64];
    PGresult *r;
    int ok;

    ok = pg_wait(p, err);
    if (ok != 0) {
        return ok;
    }
    snprintf(sql, sizeof sql, "COPY %s FROM STDIN", stage_table[t]);
    r = PQexec(p->conn, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        int rc = pg_fail(p, r, "cannot write", err);

        PQclear(r);
        return rc;
    }
    PQclear(r);
    ok = 1;
    while (ok && from < to) {
        size_t n = to - from > (1u << 20) ? (1u << 20) : to - from;

        ok = PQputCopyData(p->conn, p->buf[t].data + from, (int)n) == 1;
        from += n;
    }
    if (PQputCopyEnd(p->conn, ok ? NULL : "send failed") != 1) {
        ok = 0;
    }
    r = PQgetResult(p->conn);
    if (r == NULL || PQresultStatus(r) != PGRES_COMMAND_OK) {
        int rc = pg_fail(p, r, "cannot write", err);

        PQclear(r);
        while ((r = PQgetResult(p->conn)) != NULL) {
            PQclear(r);
        }
        return rc;
    }
    PQclear(r);
    while ((r = PQgetResult(p->conn)) != NULL) {
        PQclear(r);
    }
    return ok ? 0 : pg_fail(p, NULL, "cannot write", err);
}

/* One batch, given by where each buffer starts and ends: COPY, merge,
 * empty the staging tables. With async the merge is sent and not waited
 * for (pg_wait reads its result). */
static int send_batch(struct store_pg *p, const size_t *from,
                      const size_t *to, int async, struct ctis_err *err)
{
    size_t bytes = 0;
    struct ctis_buf head;
    struct ctis_buf sql;
    int t;
    int rc = 0;
    int any = 0;
    int sealed = p->base.sealed;

    for (t = 0; t < PG_S_COUNT; t++) {
        bytes += to[t] - from[t];
    }
    if (sealed && p->bidx_defer == PG_BIDX_UNDECIDED && p->sent == 0 &&
        bytes >= SMALL_BATCH && to[PG_S_IDENT] > from[PG_S_IDENT]) {
        rc = pg_bidx_defer(p, err);
    }
    for (t = 0; rc == 0 && t < PG_S_COUNT; t++) {
        if (to[t] > from[t] && stage_table[t] != NULL) {
            rc = copy_range(p, t, from[t], to[t], err);
            any = 1;
        }
    }
    if (rc != 0 || !any) {
        return rc;
    }
    p->sent += bytes;
    /* head: the merges up to the cases' numbers; sql: the rest */
    ctis_buf_init(&head);
    ctis_buf_init(&sql);
    if (to[PG_S_AGENCY] > from[PG_S_AGENCY]) {
        rc |= ctis_buf_puts(&head, merge_agency);
    }
    if (to[PG_S_CASE] > from[PG_S_CASE]) {
        rc |= ctis_buf_puts(&head, merge_case);
        if (bytes >= SMALL_BATCH) {
            rc |= ctis_buf_puts(&head, analyze_rid);
        }
        rc |= ctis_buf_puts(&head, merge_case_events);
        rc |= ctis_buf_puts(&head, sealed ? merge_case_bidx : merge_person);
        rc |= ctis_buf_puts(&sql, merge_case_rest);
    }
    if (to[PG_S_CC] > from[PG_S_CC]) {
        rc |= ctis_buf_puts(&sql, merge_cc);
    }
    if (to[PG_S_ACTIVITY] > from[PG_S_ACTIVITY]) {
        rc |= ctis_buf_puts(&sql, merge_activity);
    }
    if (to[PG_S_INSTRUMENT] > from[PG_S_INSTRUMENT]) {
        rc |= ctis_buf_puts(&sql, merge_instrument);
    }
    if (to[PG_S_VERSION] > from[PG_S_VERSION]) {
        rc |= ctis_buf_puts(&sql, merge_version);
    }
    if (bytes >= SMALL_BATCH) {
        rc |= ctis_buf_puts(&sql, "TRUNCATE s_agency, s_case, s_event,"
                                  " s_rescue, s_repat, s_rid, s_cc,"
                                  " s_cc_off, s_cc_vic, s_crim_event,"
                                  " s_activity, s_instrument, s_party,"
                                  " s_version");
        /* a bulk transaction's deleted rows stay in the temporary table
         * until it ends, and every later batch would scan them */
        if (sealed) {
            rc |= ctis_buf_puts(&sql, ", s_vid, s_seal, s_bidx, s_vbody");
        }
    } else {
        /* TRUNCATE makes new files for every table: for the few rows of
         * one case, DELETE of what was written is far cheaper. */
        for (t = 0; t < PG_S_COUNT; t++) {
            if (to[t] > from[t] && stage_table[t] != NULL) {
                rc |= ctis_buf_printf(&sql, "DELETE FROM %s;",
                                      stage_table[t]);
            }
        }
        if (to[PG_S_CASE] > from[PG_S_CASE]) {
            rc |= ctis_buf_puts(&sql, "DELETE FROM s_rid;");
        }
    }
    if (rc != 0) {
        rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    } else if (sealed && (to[PG_S_IDENT] > from[PG_S_IDENT] ||
                          to[PG_S_BODY] > from[PG_S_BODY])) {
        /* head numbers the cases and the client reads the numbers while
         * the server goes on with the rest; the batch's persons and
         * versions are sealed under those numbers and copied in
         * (pg_seal.c). No identifying field reaches the server in
         * clear. */
        rc = pg_seal_batch(p, head.data != NULL ? head.data : "", sql.data,
                           from, to, async, err);
    } else if (ctis_buf_append(&head, sql.data, sql.len) != 0) {
        rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    } else if (!async) {
        rc = pg_exec(p, head.data, "cannot write", err);
    } else if (PQsendQuery(p->conn, head.data) == 1) {
        p->busy = 1;
    } else {
        rc = pg_fail(p, NULL, "cannot write", err);
    }
    ctis_buf_release(&head);
    ctis_buf_release(&sql);
    return rc;
}

/* Every kept batch, in order. */
int pg_replay(struct store_pg *p, struct ctis_err *err)
{
    size_t zero[PG_S_COUNT];
    const size_t *from = zero;
    size_t i;
    int rc = 0;

    memset(zero, 0, sizeof zero);
    /* the server rolled the transaction back: person_bidx's indexes too */
    p->bidx_defer = PG_BIDX_UNDECIDED;
    p->sent = 0;
    for (i = 0; rc == 0 && i < p->n_marks; i++) {
        rc = send_batch(p, from, p->marks[i].off, 0, err);
        from = p->marks[i].off;
    }
    return rc;
}

static size_t unsent(const struct store_pg *p)
{
    size_t n = 0;
    int t;

    for (t = 0; t < PG_S_COUNT; t++) {
        n += p->buf[t].len - p->flushed[t];
    }
    return n;
}

/* Forget the buffers and marks. */
void pg_reset_buffers(struct store_pg *p)
{
    int t;

    for (t = 0; t < PG_S_COUNT; t++) {
        if (stage_table[t] == NULL && p->buf[t].cap > 0) {
            seal_wipe(p->buf[t].data, p->buf[t].cap);
        }
        ctis_buf_reset(&p->buf[t]);
        p->flushed[t] = 0;
    }
    p->n_marks = 0;
    pg_set_clear(&p->pending);
}

/* After a batch is in: keep it for replay, or drop everything once the
 * transaction has grown past PG_REPLAY_MAX. */
static int batch_done(struct store_pg *p)
{
    size_t total = 0;
    int t;

    for (t = 0; t < PG_S_COUNT; t++) {
        total += p->buf[t].len;
    }
    if (p->replayable && total <= p->replay_max) {
        if (p->n_marks == p->cap_marks) {
            size_t cap = p->cap_marks > 0 ? p->cap_marks * 2 : 16;
            struct pg_mark *m = ctis_realloc(p->marks, cap * sizeof *m);

            if (m == NULL) {
                return CTIS_ENOMEM;
            }
            p->marks = m;
            p->cap_marks = cap;
        }
        for (t = 0; t < PG_S_COUNT; t++) {
            p->marks[p->n_marks].off[t] = p->buf[t].len;
            p->flushed[t] = p->buf[t].len;
        }
        p->n_marks++;
    } else {
        p->replayable = 0;
        p->n_marks = 0;
        for (t = 0; t < PG_S_COUNT; t++) {
            ctis_buf_reset(&p->buf[t]);
            p->flushed[t] = 0;
        }
    }
    pg_set_clear(&p->pending);
    return 0;
}

/* Send the current batch (async: without waiting for its merge); on a
 * deadlock or serialisation failure, here or in the merge sent before,
 * roll back and replay the kept batches first, on a lost connection
 * reconnect and replay (pg_recover), a few times at most. */
static int flush(struct store_pg *p, int async, struct ctis_err *err)
{
    size_t to[PG_S_COUNT];
    int more = unsent(p) > 0;
    int tries;
    int rc;
    int t;

    for (t = 0; t < PG_S_COUNT; t++) {
        to[t] = p->buf[t].len;
    }
    if (more) {
        rc = send_batch(p, p->flushed, to, async, err);
    } else {
        rc = pg_wait(p, err);
    }
    for (tries = 0; rc != 0 && pg_retryable(rc) && tries < 5; tries++) {
        if (rc == CTIS_ECONN) {
            if (tries > 0) {
                break;
            }
            rc = pg_recover(p, err);
        } else if (!p->replayable) {
            break;
        } else {
            PQclear(PQexec(p->conn, "ROLLBACK"));
            usleep(20000u * (unsigned)(tries + 1));
            rc = pg_exec(p, "BEGIN", "cannot begin a transaction", err);
            if (rc == 0) {
                rc = pg_replay(p, err);
            }
        }
        if (rc == 0 && more) {
            rc = send_batch(p, p->flushed, to, 0, err);
        }
    }
    if (rc == 0 && more && batch_done(p) != 0) {
        rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    return rc;
}

/* Everything buffered, and every merge sent, is in the database. */
int pg_flush(struct store_pg *p, struct ctis_err *err)
{
    if (unsent(p) == 0 && !p->busy) {
        return 0;
    }
    return flush(p, 0, err);
}

/* Exported to pg_hist.c. */
int pg_f_text(struct ctis_buf *b, const char *s)
{
    return f_text(b, s);
}

int pg_f_long(struct ctis_buf *b, long v)
{
    return f_long(b, v);
}

int pg_f_end(struct ctis_buf *b)
{
    return f_end(b);
}

/* Flush first when the id is already in the batch or the batch is big. */
static int make_room(struct store_pg *p, char kind, const char *id,
                     struct ctis_err *err)
{
    if (pg_set_has(&p->pending, kind, id) || unsent(p) >= p->flush_bytes) {
        return flush(p, 1, err);
    }
    return 0;
}

int pg_make_room(struct store_pg *p, char kind, const char *id,
                 struct ctis_err *err)
{
    int rc = make_room(p, kind, id, err);

    return rc != 0 ? pg_abort(p, rc, err) : 0;
}

/* A failure while flushing abandons the transaction (as SQLite's
 * sq_abort does): nothing half-written can be committed. */
static int flush_failed(struct store_pg *p, int rc, struct ctis_err *err)
{
    return pg_abort(p, rc, err);
}

/* ---- references -------------------------------------------------------- */

static int missing(const char *kind, const char *id, const char *by_kind,
                   const char *by_id, struct ctis_err *err)
{
    return ctis_err_set(err, CTIS_ENOTFOUND,
                        "%s '%s' named by %s '%s' does not exist", kind, id,
                        by_kind, by_id);
}

/* 1 when the row exists in the database (the transaction's view). */
static int in_db(struct store_pg *p, const char *table, const char *id,
                 struct ctis_err *err)
{
    char sql[96];
    const char *params[1] = {id};
    PGresult *r = NULL;
    int rc;

    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE id = $1", table);
    rc = pg_query(p, sql, 1, params, &r, "cannot look up a reference", err);
    if (rc == 0) {
        rc = PQntuples(r) > 0;
    }
    PQclear(r);
    return rc;
}

/* An agency is known once seen in the database or put; agencies are
 * never deleted, and a rollback forgets them all. */
static int agency_ok(struct store_pg *p, const char *id, const char *kind,
                     const char *by, struct ctis_err *err)
{
    int rc;

    if (id[0] == '\0' || pg_set_has(&p->agencies, 'a', id)) {
        return 0;
    }
    rc = in_db(p, "agency", id, err);
    if (rc < 0) {
        return rc;
    }
    if (rc == 0) {
        return missing("agency", id, kind, by, err);
    }
    if (pg_set_add(&p->agencies, 'a', id) != 0) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    return 0;
}

/* ---- puts -------------------------------------------------------------- */

/* Upsert an agency. */
int pg_put_agency(struct store *st, const struct model_agency *a,
                  struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    struct ctis_buf *b = &p->buf[PG_S_AGENCY];
    size_t len;
    int rc = make_room(p, 'a', a->id, err);

    if (rc != 0) {
        return flush_failed(p, rc, err);
    }
    len = b->len;
    if (f_text(b, a->id) || f_text(b, a->name) || f_long(b, a->kind) ||
        f_long(b, (long)a->pillars) || f_long(b, (long)a->provinces) ||
        f_end(b) || pg_set_add(&p->pending, 'a', a->id) ||
        pg_set_add(&p->agencies, 'a', a->id)) {
        return row_failed(b, len, err);
    }
    p->ord++;
    return 0;
}

/* The staging row of a case; in a sealed database (id is then a copy of
 * the person without identity) the identifying columns are NULL. */
static int case_row(struct ctis_buf *b, const struct model_case *c,
                    const struct model_person *id)
{
    const struct model_person *q = &c->person;
    int ident = model_case_first_date(c, MODEL_EV_IDENTIFICATION);

    return f_text(b, c->id) || f_text(b, c->agency) ||
           f_long(b, c->trafficking_status) || f_long(b, c->movement) ||
           f_long(b, (long)c->exploitation) || f_long(b, c->labour_sector) ||
           f_long(b, (long)c->means) ||
           f_long(b, c->recruiter_relationship) ||
           f_text(b, c->destination_country) ||
           f_text(b, c->destination_province) ||
           f_text(b, c->destination_city) || f_long(b, c->status) ||
           f_long(b, q->sex) || f_text(b, q->citizenship) ||
           f_text(b, q->home_province) || f_text(b, q->home_district) ||
           f_long_or_null(b, model_age_at(q, ident)) ||
           f_str(b, model_age_group(q, ident)) || f_long(b, ident) ||
           f_text(b, id->given_name) || f_text(b, id->family_name) ||
           f_text(b, id->given_name_km) || f_text(b, id->family_name_km) ||
           f_long_or_null(b, id->birth_date > 0 ? id->birth_date : -1) ||
           f_long_or_null(b, q->birth_year > 0 ? q->birth_year : -1) ||
           f_long_or_null(b, q->age) || f_text(b, id->home_commune) ||
           f_text(b, id->home_village) || f_text(b, id->phone) ||
           f_text(b, id->email) || f_text(b, model_case_stage(c)) || f_end(b);
}

static int event_rows(struct ctis_buf *b, const struct model_case *c)
{
    size_t i;

    for (i = 0; i < c->n_events; i++) {
        const struct model_event *e = &c->events[i];

        if (f_text(b, c->id) || f_long(b, (long)i) || f_long(b, e->type) ||
            f_long(b, e->date) || f_text(b, e->from_country) ||
            f_text(b, e->to_country) || f_long(b, e->official != 0) ||
            f_long(b, e->service) || f_long(b, e->referral) ||
            f_long(b, e->id) || f_long(b, e->supersedes) || f_end(b)) {
            return CTIS_ENOMEM;
        }
    }
    return 0;
}

/* A rescue or repatriation fact of the case (model_case_facts: live
 * events only) as a staging row of its table: rescue_fact(case, year,
 * referred_to) or repatriation_fact(case, year, from, to). */
struct fact_rows {
    struct ctis_buf *rescue;
    struct ctis_buf *repat;
    const char *id;
};

static int fact_row(void *ctx, const struct model_fact *f)
{
    struct fact_rows *x = ctx;

    if (f->kind == MODEL_FACT_RESCUE) {
        return f_text(x->rescue, x->id) || f_long(x->rescue, f->year) ||
                       f_long(x->rescue, f->referral) || f_end(x->rescue)
                   ? CTIS_ENOMEM
                   : 0;
    }
    return f_text(x->repat, x->id) || f_long(x->repat, f->year) ||
                   f_text(x->repat, f->from_country) ||
                   f_text(x->repat, f->to_country) || f_end(x->repat)
               ? CTIS_ENOMEM
               : 0;
}

static void truncate_to(struct store_pg *p, const size_t *len);

/* Upsert a case with its person, events and derived facts. */
int pg_put_case(struct store *st, const struct model_case *c,
                struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    size_t len[PG_S_COUNT];
    struct model_person blank;
    int rc;
    int t;

    if (st->sealed && store_key_write(st) == NULL) {
        return ctis_err_set(err, CTIS_EKEY,
                            "identities are sealed and no key was given "
                            "(--key-file, CTIS_KEY_FILE or a passphrase)");
    }
    rc = agency_ok(p, c->agency, "case", c->id, err);
    if (rc != 0) {
        return rc;
    }
    rc = make_room(p, 'c', c->id, err);
    if (rc != 0) {
        return flush_failed(p, rc, err);
    }
    for (t = 0; t < PG_S_COUNT; t++) {
        len[t] = p->buf[t].len;
    }
    if (st->sealed) {
        blank = c->person;
        model_person_clear_identity(&blank);
    }
    rc = case_row(&p->buf[PG_S_CASE], c, st->sealed ? &blank : &c->person) ||
         event_rows(&p->buf[PG_S_EVENT], c) ||
         (st->sealed && pg_ident_record(&p->buf[PG_S_IDENT], c) != 0);
    if (rc == 0 && c->trafficking_status != MODEL_TS_NOT_A_VICTIM) {
        struct fact_rows x = {&p->buf[PG_S_RESCUE], &p->buf[PG_S_REPAT],
                              c->id};

        rc = model_case_facts(c, fact_row, &x);
    }
    if (rc != 0 || pg_set_add(&p->pending, 'c', c->id) != 0) {
        truncate_to(p, len);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    p->ord++;
    return 0;
}

/* Read, append, put back: the identification date and age group are
 * recomputed as in any put. The case's lock is taken first: without it
 * two appends under READ COMMITTED both read the same events and the
 * second put erased the first's event (10 parallel appends kept 4). */
int pg_add_event(struct store *st, const char *case_id,
                 const struct model_event *e, struct ctis_err *err)
{
    struct model_case c;
    int rc;

    model_case_init(&c);
    rc = pg_lock(st, STORE_CASE, case_id, err);
    if (rc == 0) {
        rc = pg_get_case(st, case_id, &c, err);
    }
    if (rc == 0 && model_case_add_event(&c, e) != 0) {
        rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    if (rc == 0) {
        rc = pg_put_case(st, &c, err);
    }
    model_case_release(&c);
    return rc;
}

static int check_victims(struct store_pg *p,
                         const struct model_criminal_case *cc,
                         struct ctis_err *err)
{
    size_t i;

    for (i = 0; i < cc->n_victim_cases; i++) {
        const char *v = cc->victim_cases[i];
        int rc = pg_set_has(&p->pending, 'c', v) ? 1
                                                  : in_db(p, "cases", v, err);

        if (rc < 0) {
            return rc;
        }
        if (rc == 0) {
            return missing("case", v, "criminal case", cc->id, err);
        }
    }
    return 0;
}

static int cc_rows(struct store_pg *p, const struct model_criminal_case *cc)
{
    struct ctis_buf *b;
    size_t i;

    b = &p->buf[PG_S_CC];
    if (f_text(b, cc->id) || f_long(b, cc->kind) || f_end(b)) {
        return CTIS_ENOMEM;
    }
    b = &p->buf[PG_S_CC_OFF];
    for (i = 0; i < cc->n_offenders; i++) {
        const struct model_offender *o = &cc->offenders[i];

        if (f_long(b, p->ord) || f_text(b, cc->id) || f_long(b, (long)i) ||
            f_text(b, o->id) || f_long(b, o->sex) ||
            f_text(b, o->citizenship) || f_long(b, o->role) || f_end(b) ||
            pg_set_add(&p->pending, 'o', o->id)) {
            return CTIS_ENOMEM;
        }
    }
    b = &p->buf[PG_S_CC_VIC];
    for (i = 0; i < cc->n_victim_cases; i++) {
        if (f_text(b, cc->id) || f_long(b, (long)i) ||
            f_text(b, cc->victim_cases[i]) || f_end(b)) {
            return CTIS_ENOMEM;
        }
    }
    b = &p->buf[PG_S_CRIM_EVENT];
    for (i = 0; i < cc->n_events; i++) {
        const struct model_crim_event *e = &cc->events[i];

        if (f_text(b, cc->id) || f_long(b, (long)i) || f_long(b, e->type) ||
            f_long(b, e->date) || f_text(b, e->offender) ||
            f_long_or_null(b, e->sentence_months) ||
            f_text(b, e->law_articles) || f_end(b)) {
            return CTIS_ENOMEM;
        }
    }
    return pg_set_add(&p->pending, 'k', cc->id);
}

/* Undo the rows of a put that ran out of memory half-way. */
static void truncate_to(struct store_pg *p, const size_t *len)
{
    int t;

    for (t = 0; t < PG_S_COUNT; t++) {
        p->buf[t].len = len[t];
        if (p->buf[t].cap > 0) {
            p->buf[t].data[len[t]] = '\0';
        }
    }
}

/* Victims are checked before anything is buffered. */
int pg_put_criminal_case(struct store *st,
                         const struct model_criminal_case *cc,
                         struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    size_t len[PG_S_COUNT];
    int rc = check_victims(p, cc, err);
    int t;

    if (rc != 0) {
        return rc;
    }
    rc = make_room(p, 'k', cc->id, err);
    if (rc != 0) {
        return flush_failed(p, rc, err);
    }
    for (t = 0; t < PG_S_COUNT; t++) {
        len[t] = p->buf[t].len;
    }
    if (cc_rows(p, cc) != 0) {
        truncate_to(p, len);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    p->ord++;
    return 0;
}

/* One row; the agency must exist. */
int pg_put_activity(struct store *st, const struct model_activity *a,
                    struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    struct ctis_buf *b = &p->buf[PG_S_ACTIVITY];
    size_t len;
    int rc = agency_ok(p, a->agency, "activity", a->id, err);

    if (rc != 0) {
        return rc;
    }
    rc = make_room(p, 't', a->id, err);
    if (rc != 0) {
        return flush_failed(p, rc, err);
    }
    len = b->len;
    if (f_text(b, a->id) || f_text(b, a->agency) || f_long(b, a->kind) ||
        f_text(b, a->province) || f_long(b, a->start) || f_long(b, a->end) ||
        f_long_or_null(b, a->reached) || f_end(b) ||
        pg_set_add(&p->pending, 't', a->id)) {
        return row_failed(b, len, err);
    }
    p->ord++;
    return 0;
}

/* The instrument row and its parties. */
int pg_put_instrument(struct store *st, const struct model_instrument *in,
                      struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    struct ctis_buf *b = &p->buf[PG_S_INSTRUMENT];
    struct ctis_buf *x = &p->buf[PG_S_PARTY];
    size_t len[PG_S_COUNT];
    size_t i;
    int rc = make_room(p, 'i', in->id, err);
    int t;

    if (rc != 0) {
        return flush_failed(p, rc, err);
    }
    for (t = 0; t < PG_S_COUNT; t++) {
        len[t] = p->buf[t].len;
    }
    rc = f_text(b, in->id) || f_text(b, in->title) || f_long(b, in->kind) ||
         f_long(b, in->date) || f_end(b);
    for (i = 0; rc == 0 && i < in->n_parties && i < MODEL_PARTIES_MAX; i++) {
        rc = f_text(x, in->id) || f_long(x, (long)i) ||
             f_str(x, in->parties[i]) || f_end(x);
    }
    if (rc != 0 || pg_set_add(&p->pending, 'i', in->id) != 0) {
        truncate_to(p, len);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    p->ord++;
    return 0;
}
