/*
 * pg_seal.c - the PostgreSQL side of sealed identities: the key table,
 * sealing a batch of buffered puts once the server has numbered its rows,
 * re-sealing in batches (upgrade and rotation), search by blind index and
 * erasure. What is sealed, with which associated data and which blind
 * values, is store_seal.c's (shared with SQLite); this file only moves
 * the values in and out of PostgreSQL.
 *
 * A sealed identity is bound to its case's id and rev, a sealed version
 * body to its version number, and on PostgreSQL both numbers are given by
 * the server when the batch is merged (pg_put.c). So in a sealed database
 * a put keeps the identity and the version (with its body) in two
 * buffers that never leave the process (PG_S_IDENT, PG_S_BODY; the
 * staging rows carry NULLs in the identity's place, and of a version
 * only its case id is staged, s_vid), and pg_seal_batch sends the batch's
 * merge with the queries of its numbers (the cases' rid and rev from
 * s_rid, the next version of each case) in one string, reads the numbers
 * while the server goes on with the rest of the merge, seals each value
 * under its own row, and COPYs the sealed rows into person_identity,
 * record_version and person_bidx (persons of cases that existed through
 * s_seal and an upsert); the last COPY's result is read later (pg_wait),
 * as a clear batch's merge is. No identifying field reaches the server,
 * its staging tables or its WAL in clear. A replay runs the same steps
 * again, so a replayed batch is sealed afresh.
 *
 * Sealed values are BYTEA (person_identity.sealed, person_bidx.h). A
 * sealed version body stays in record_version.body, a TEXT column, as
 * store_seal_text's "sealed:GEN:" form.
 */
#include <stdlib.h>
#include <string.h>

#include "pg_int.h"

#define BODY_MARK "sealed:" /* store_seal_text's form */

/* ---- bytes as text ------------------------------------------------------ */

/* A BYTEA field of a COPY text row ("\\x" and hex). */
static int f_bytea(struct ctis_buf *b, const unsigned char *d, size_t n)
{
    int rc = 0;

    if (b->len > 0 && b->data[b->len - 1] != '\n') {
        rc = ctis_buf_putc(b, '\t');
    }
    return rc != 0 ? rc : ctis_buf_puts(b, "\\\\x") || store_hex(b, d, n);
}

/* A BYTEA column in text form ("\x" and hex) into dst: its length, or -1
 * when NULL, malformed or longer than cap. */
static long get_bytea(PGresult *r, int row, int col, unsigned char *dst,
                      size_t cap)
{
    const char *v;

    if (PQgetisnull(r, row, col)) {
        return -1;
    }
    v = PQgetvalue(r, row, col);
    if (v[0] != '\\' || v[1] != 'x') {
        return -1;
    }
    return store_unhex(v + 2, dst, cap);
}

/* ---- sealed identities and bodies --------------------------------------- */

int pg_open_identity(struct store_pg *p, PGresult *r, int row, int col,
                     const char *case_id, struct model_person *out,
                     struct ctis_err *err)
{
    unsigned char v[MODEL_IDENTITY_PACK_MAX + SEAL_OVERHEAD];
    long n;

    if (PQgetisnull(r, row, col)) {
        return 0; /* clear columns, or an erased identity */
    }
    n = get_bytea(r, row, col, v, sizeof v);
    if (n < 0) {
        return ctis_err_set(err, CTIS_ECORRUPT,
                            "sealed identity of case '%s' is damaged",
                            case_id);
    }
    return store_open_identity(&p->base, case_id, pg_long(r, row, col + 2, 0),
                               (int)pg_long(r, row, col + 1, 0), v, (size_t)n,
                               out, err);
}

/* ---- the client-only buffers -------------------------------------------- */

/* Records of PG_S_IDENT: id length (1 byte), id, birth year (4 bytes),
 * age + 1 (4 bytes, 0 unknown), packed length (2 bytes), packed
 * identity. Of PG_S_BODY: id length, id, length of the version's other
 * columns (4 bytes), those columns (COPY text: at, actor, op, note),
 * body length (4 bytes), body. Integers little-endian. */
static int put_u(struct ctis_buf *b, unsigned long v, int bytes)
{
    unsigned char x[4];
    int i;

    for (i = 0; i < bytes; i++) {
        x[i] = (unsigned char)(v >> (8 * i));
    }
    return ctis_buf_append(b, x, (size_t)bytes);
}

static unsigned long get_u(const unsigned char *x, int bytes)
{
    unsigned long v = 0;
    int i;

    for (i = bytes - 1; i >= 0; i--) {
        v = v << 8 | x[i];
    }
    return v;
}

int pg_ident_record(struct ctis_buf *b, const struct model_case *c)
{
    unsigned char pack[MODEL_IDENTITY_PACK_MAX];
    size_t n = model_identity_pack(&c->person, pack);
    size_t idlen = strlen(c->id);
    int rc = put_u(b, idlen, 1) || ctis_buf_append(b, c->id, idlen) ||
             put_u(b, (unsigned long)(c->person.birth_year > 0
                                          ? c->person.birth_year
                                          : 0),
                   4) ||
             put_u(b, (unsigned long)(c->person.age >= 0 ? c->person.age + 1
                                                         : 0),
                   4) ||
             put_u(b, n, 2) || ctis_buf_append(b, pack, n);

    seal_wipe(pack, sizeof pack);
    return rc;
}

int pg_body_record(struct ctis_buf *b, const char *id, const char *cols,
                   const char *body)
{
    size_t idlen = strlen(id);
    size_t c = cols != NULL ? strlen(cols) : 0;
    size_t n = strlen(body);

    return put_u(b, idlen, 1) || ctis_buf_append(b, id, idlen) ||
           put_u(b, c, 4) || ctis_buf_append(b, c > 0 ? cols : "", c) ||
           put_u(b, n, 4) || ctis_buf_append(b, body, n);
}

/* The row of r (sorted by column 0, text in C order) whose column 0 is
 * id, or -1. */
static int row_of(PGresult *r, const char *id)
{
    int lo = 0;
    int hi = PQntuples(r);

    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        int c = strcmp(PQgetvalue(r, mid, 0), id);

        if (c == 0) {
            return mid;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return -1;
}

/* COPY len bytes of data into table; with async, leave its result for
 * pg_wait to read (p->busy). */
static int copy_rows(struct store_pg *p, const char *table, const char *data,
                     size_t len, int async, struct ctis_err *err)
{
    char sql[128];
    PGresult *r;
    int ok = 1;
    int rc = 0;

    if (len == 0) {
        return 0;
    }
    snprintf(sql, sizeof sql, "COPY %s FROM STDIN", table);
    r = PQexec(p->conn, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        rc = pg_fail(p, r, "cannot write", err);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    while (ok && len > 0) {
        size_t n = len > (1u << 20) ? (1u << 20) : len;

        ok = PQputCopyData(p->conn, data, (int)n) == 1;
        data += n;
        len -= n;
    }
    if (PQputCopyEnd(p->conn, ok ? NULL : "send failed") != 1) {
        ok = 0;
    }
    if (async && ok) {
        p->busy = 1;
        return 0;
    }
    while ((r = PQgetResult(p->conn)) != NULL) {
        if (rc == 0 && PQresultStatus(r) != PGRES_COMMAND_OK) {
            rc = pg_fail(p, r, "cannot write", err);
        }
        PQclear(r);
    }
    return rc != 0 ? rc : ok ? 0 : pg_fail(p, NULL, "cannot write", err);
}

static int copy_in(struct store_pg *p, const char *table, const char *data,
                   size_t len, struct ctis_err *err)
{
    return copy_rows(p, table, data, len, 0, err);
}

/* One sealed identity and its blind index rows, as COPY rows of s_seal
 * (of person_identity itself into fresh, when not NULL, for a case made
 * by this batch: rev 0) and of person_bidx (or s_bidx: same columns). */
static int seal_rows(struct store_pg *p, const char *rid, const char *id,
                     long rev, const struct model_person *person,
                     struct ctis_buf *seal, struct ctis_buf *fresh,
                     struct ctis_buf *bidx, struct ctis_err *err)
{
    unsigned char v[MODEL_IDENTITY_PACK_MAX + SEAL_OVERHEAD];
    unsigned char h[STORE_BLIND_MAX][SEAL_BLIND_BYTES];
    const struct seal_key *k = store_key_write(&p->base);
    size_t len = 0;
    size_t n;
    size_t i;
    int rc = store_seal_identity(&p->base, id, rev, person, v, &len, err);

    if (rc != 0) {
        return rc;
    }
    n = store_blind_person(k, person, h);
    if (fresh != NULL && rev == 0) {
        seal = fresh;
    }
    rc = pg_f_text(seal, rid) ||
         (person->birth_year > 0 ? pg_f_long(seal, person->birth_year)
                                 : pg_f_text(seal, NULL)) ||
         (person->age >= 0 ? pg_f_long(seal, person->age)
                           : pg_f_text(seal, NULL)) ||
         f_bytea(seal, v, len) || pg_f_long(seal, seal_key_gen(k)) ||
         pg_f_long(seal, MODEL_NAME_RULE) || pg_f_end(seal);
    for (i = 0; rc == 0 && i < n; i++) {
        rc = f_bytea(bidx, h[i], SEAL_BLIND_BYTES) || pg_f_text(bidx, rid) ||
             pg_f_end(bidx);
    }
    return rc != 0 ? ctis_err_set(err, CTIS_ENOMEM, "out of memory") : 0;
}

/* The sealed persons into the database (clear columns NULL, birth year
 * and age as the put gave them). */
#define MERGE_PERSONS                                                       \
    "INSERT INTO person_identity(case_rid, birth_year, age, sealed,"       \
    " key_gen, name_rule) SELECT case_rid, birth_year, age, sealed,"       \
    " key_gen, name_rule FROM s_seal"                                      \
    " ORDER BY case_rid ON CONFLICT (case_rid) DO UPDATE SET"              \
    " given_name = NULL, family_name = NULL, given_name_km = NULL,"        \
    " family_name_km = NULL, birth_date = NULL, home_commune = NULL,"      \
    " home_village = NULL, phone = NULL, email = NULL,"                    \
    " birth_year = EXCLUDED.birth_year, age = EXCLUDED.age,"               \
    " sealed = EXCLUDED.sealed, key_gen = EXCLUDED.key_gen,"               \
    " name_rule = EXCLUDED.name_rule;"

/* Re-sealed persons (rotation, upgrade): their blind indexes replaced. */
static const char merge_persons[] =
    MERGE_PERSONS
    "DELETE FROM person_bidx WHERE case_rid = ANY(ARRAY(SELECT case_rid"
    " FROM s_seal));"
    "INSERT INTO person_bidx(h, case_rid) SELECT DISTINCT h, case_rid"
    " FROM s_bidx ORDER BY case_rid, h ON CONFLICT DO NOTHING;";

/* A put batch's persons that existed (rev > 0; the new ones are copied
 * into person_identity as they are), then s_seal emptied: by DELETE for
 * a few rows, TRUNCATE for many (PUT_SEAL_TRUNCATE, pg_put.c's reason).
 *
 * The blind index rows of the batch are copied into person_bidx as they
 * are: the merge already removed those of the batch's cases that existed
 * (pg_put.c, merge_case_bidx) and took their row locks, a new case is
 * seen by no other transaction, and store_blind_person gives distinct
 * values, so they need no sort, no DISTINCT and no conflict clause (a
 * duplicate would be a bug, and fails the batch rather than hiding it).
 * Every row's case_rid is the one the batch's case merge returned (s_rid,
 * checked by seal_idents), so it cannot dangle: migration 8 dropped the
 * per-row foreign key trigger for that reason.
 *
 * A case version with a body is copied into record_version too: its
 * number is one past the last, read after the merge (number_versions;
 * the case's row lock, taken by this transaction's merge of the case,
 * makes it this transaction's to give), and within a batch a record has
 * one version at most (pg_put.c). */
static const char merge_put_persons[] = MERGE_PERSONS;
#define PUT_SEAL_TRUNCATE 256

/* Bodies of existing versions sealed again (rotation, upgrade). */
static const char merge_resealed_versions[] =
    "UPDATE record_version r SET body = s.body FROM s_vbody s"
    " WHERE r.kind = 1 AND r.id = s.id AND r.version = s.version;";

static const char clear_sealed[] =
    "DELETE FROM s_seal; DELETE FROM s_bidx; DELETE FROM s_vbody";

/* Send the three row sets and merge them: the persons, then versions
 * (the statement given). */
static int send_sealed(struct store_pg *p, struct ctis_buf *seal,
                       struct ctis_buf *bidx, struct ctis_buf *body,
                       const char *versions, struct ctis_err *err)
{
    struct ctis_buf sql;
    int rc = copy_in(p, "s_seal", seal->data, seal->len, err);

    if (rc == 0) {
        rc = copy_in(p, "s_bidx", bidx->data, bidx->len, err);
    }
    if (rc == 0) {
        rc = copy_in(p, "s_vbody", body->data, body->len, err);
    }
    ctis_buf_init(&sql);
    if (rc == 0 &&
        ((seal->len > 0 && ctis_buf_puts(&sql, merge_persons) != 0) ||
         (versions != NULL && ctis_buf_puts(&sql, versions) != 0) ||
         ctis_buf_puts(&sql, clear_sealed) != 0)) {
        rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    if (rc == 0) {
        rc = pg_exec(p, sql.data, "cannot write sealed values", err);
    }
    ctis_buf_release(&sql);
    return rc;
}

/* The identities of PG_S_IDENT [from, to) sealed under the rid and rev
 * that the merge gave their cases (s_rid): rows of person_identity
 * (fresh, new cases), of s_seal (cases that existed) and of person_bidx. */
static int seal_idents(struct store_pg *p, PGresult *r, size_t from,
                       size_t to, struct ctis_buf *seal,
                       struct ctis_buf *fresh, struct ctis_buf *bidx,
                       struct ctis_err *err)
{
    const unsigned char *d = (const unsigned char *)p->buf[PG_S_IDENT].data;
    int rc = 0;

    while (rc == 0 && from < to) {
        struct model_person person;
        char id[MODEL_ID_MAX];
        size_t idlen = d[from];
        size_t n;
        int row;

        memset(&person, 0, sizeof person);
        person.age = -1;
        memcpy(id, d + from + 1, idlen < sizeof id ? idlen : sizeof id - 1);
        id[idlen < sizeof id ? idlen : sizeof id - 1] = '\0';
        from += 1 + idlen;
        person.birth_year = (int)get_u(d + from, 4);
        person.age = (int)get_u(d + from + 4, 4) - 1;
        n = get_u(d + from + 8, 2);
        from += 10;
        if (model_identity_unpack(d + from, n, &person) != 0) {
            rc = ctis_err_set(err, CTIS_EINTERNAL,
                              "a buffered identity of case '%s' is damaged",
                              id);
        }
        from += n;
        row = rc == 0 ? row_of(r, id) : -1;
        if (rc == 0 && row < 0) {
            rc = ctis_err_set(err, CTIS_EINTERNAL,
                              "case '%s' is not in its batch", id);
        }
        if (rc == 0) {
            rc = seal_rows(p, PQgetvalue(r, row, 1), id,
                           pg_long(r, row, 2, 0), &person, seal, fresh, bidx,
                           err);
        }
        seal_wipe(&person, sizeof person);
    }
    return rc;
}

/* The versions of PG_S_BODY [from, to), bodies sealed under the numbers
 * they get (r: id and one past the last version of each case, sorted by
 * id), as COPY rows of record_version (into out). */
static int seal_bodies(struct store_pg *p, PGresult *r, size_t from,
                       size_t to, struct ctis_buf *out, struct ctis_err *err)
{
    const unsigned char *d = (const unsigned char *)p->buf[PG_S_BODY].data;
    int rc = 0;

    while (rc == 0 && from < to) {
        char id[MODEL_ID_MAX];
        size_t idlen = d[from];
        const char *cols;
        size_t nc;
        size_t n;
        char *body = NULL;
        char *sealed = NULL;
        int row;

        memcpy(id, d + from + 1, idlen < sizeof id ? idlen : sizeof id - 1);
        id[idlen < sizeof id ? idlen : sizeof id - 1] = '\0';
        from += 1 + idlen;
        nc = get_u(d + from, 4);
        cols = (const char *)d + from + 4;
        from += 4 + nc;
        n = get_u(d + from, 4);
        from += 4;
        body = ctis_malloc(n + 1);
        if (body == NULL) {
            rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
            break;
        }
        memcpy(body, d + from, n);
        body[n] = '\0';
        from += n;
        row = row_of(r, id);
        rc = row < 0 ? ctis_err_set(err, CTIS_EINTERNAL,
                                    "a version of case '%s' is not in its "
                                    "batch",
                                    id)
                     : store_seal_text(&p->base, "record_version", id,
                                       pg_long(r, row, 1, 0), body,
                                       &sealed, err);
        if (rc == 0 &&
            (pg_f_long(out, STORE_CASE) || pg_f_text(out, id) ||
             pg_f_text(out, PQgetvalue(r, row, 1)) ||
             ctis_buf_putc(out, '\t') || ctis_buf_append(out, cols, nc) ||
             pg_f_text(out, sealed) || pg_f_end(out))) {
            rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        seal_wipe(body, n);
        ctis_free(body);
        ctis_free(sealed);
    }
    return rc;
}

/* What the sealing reads back after the merge, in the same round trip:
 * the cases' rid and rev, and the number each case's new version gets. */
static const char number_cases[] =
    "SELECT id, rid, rev FROM s_rid ORDER BY id;";
static const char number_versions[] =
    "SELECT s.id, coalesce((SELECT max(r.version) FROM record_version r"
    " WHERE r.kind = 1 AND r.id = s.id), 0) + 1 FROM s_vid s ORDER BY s.id;";

/* Send head, the queries of number_cases (with idents) and
 * number_versions (with bodies), and rest, as one query string, and
 * read results until the queries' rows are in (*rid, *ver; NULL when not
 * asked for): the server goes on with rest meanwhile, and pg_wait reads
 * its results (p->busy). */
static int merge_and_number(struct store_pg *p, const char *head,
                            const char *rest, int idents, int bodies,
                            PGresult **rid, PGresult **ver,
                            struct ctis_err *err)
{
    struct ctis_buf sql;
    PGresult *r;
    int rc = pg_wait(p, err);
    int n = 0;

    *rid = NULL;
    *ver = NULL;
    if (rc != 0) {
        return rc;
    }
    ctis_buf_init(&sql);
    if (ctis_buf_puts(&sql, head) != 0 ||
        (idents && ctis_buf_puts(&sql, number_cases) != 0) ||
        (bodies && ctis_buf_puts(&sql, number_versions) != 0) ||
        ctis_buf_puts(&sql, rest) != 0) {
        ctis_buf_release(&sql);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    if (PQsendQuery(p->conn, sql.data) != 1) {
        ctis_buf_release(&sql);
        return pg_fail(p, NULL, "cannot write", err);
    }
    ctis_buf_release(&sql);
    p->busy = 1;
    /* one result per statement; the TUPLES_OK ones are the queries */
    while (n < idents + bodies && (r = PQgetResult(p->conn)) != NULL) {
        if (PQresultStatus(r) == PGRES_TUPLES_OK) {
            PGresult **slot = n == 0 && idents ? rid : ver;

            n++;
            *slot = r;
            continue;
        }
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            /* the statements after it do not run */
            rc = pg_fail(p, r, "cannot write", err);
            PQclear(r);
            break;
        }
        PQclear(r);
    }
    if (rc == 0 && n != idents + bodies) {
        rc = PQstatus(p->conn) == CONNECTION_BAD
                 ? pg_fail(p, NULL, "cannot write", err)
                 : ctis_err_set(err, CTIS_EINTERNAL,
                                "the batch's numbers were not read back");
    }
    if (rc != 0) {
        struct ctis_err ignored;

        (void)pg_wait(p, &ignored);
        PQclear(*rid);
        PQclear(*ver);
        *rid = NULL;
        *ver = NULL;
    }
    return rc;
}

/* ---- person_bidx's indexes in a first import ------------------------------ */

/* 1 when person_bidx has no row and this role may drop its indexes (it
 * owns the table: the role that migrated it), 0 when not, or an error
 * code. */
static int bidx_empty(struct store_pg *p, struct ctis_err *err)
{
    PGresult *r = NULL;
    int rc = pg_query(p,
                      "SELECT NOT EXISTS (SELECT 1 FROM person_bidx) AND"
                      " pg_has_role((SELECT relowner FROM pg_class WHERE"
                      " oid = 'person_bidx'::regclass), 'MEMBER')",
                      0, NULL, &r, "cannot write", err);

    if (rc == 0) {
        rc = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    }
    PQclear(r);
    return rc;
}

/*
 * Each blind row costs the two B-trees of person_bidx (its primary key
 * (h, case_rid) and person_bidx_case) a random insert: about 4 of the 5
 * seconds of server time the blind rows of 200,000 cases take, against
 * under 1 s for the heap alone and about 2.5 s to build both indexes from
 * the filled heap (docs/storage.md). So a transaction whose first batch is
 * a sealed bulk one, into an empty person_bidx (the first import of a
 * sealed database, a migration into it), locks the table, drops both
 * indexes and builds them once before COMMIT. The lock (ACCESS EXCLUSIVE,
 * taken before the transaction writes anything, so it waits on nobody
 * holding its rows) keeps every other session off person_bidx until then:
 * a search of another session waits for the import instead of finding
 * nothing in it. Emptiness is asked again under the lock (another first
 * import may have committed in between). The DDL is transactional: a
 * rollback, a replay or a lost connection has the indexes back as they
 * were, and pg_replay, pg_abort and pg_begin ask again. Inside the
 * transaction, the few statements that read person_bidx (deletes of
 * cases that existed, a search) scan the heap: right, just slower.
 */
int pg_bidx_defer(struct store_pg *p, struct ctis_err *err)
{
    int rc = bidx_empty(p, err);

    p->bidx_defer = PG_BIDX_KEPT;
    if (rc == 1) {
        rc = pg_exec(p, "LOCK TABLE person_bidx IN ACCESS EXCLUSIVE MODE",
                     "cannot write", err);
        if (rc == 0) {
            rc = bidx_empty(p, err);
        }
    }
    if (rc == 1) {
        rc = pg_exec(p,
                     "ALTER TABLE person_bidx DROP CONSTRAINT"
                     " person_bidx_pkey;"
                     "DROP INDEX person_bidx_case;",
                     "cannot write", err);
        if (rc == 0) {
            p->bidx_defer = PG_BIDX_DROPPED;
        }
    }
    return rc < 0 ? rc : 0;
}

/* The two indexes of migration 5 (store/pg.c), under their names. */
int pg_bidx_build(struct store_pg *p, struct ctis_err *err)
{
    int rc;

    if (p->bidx_defer != PG_BIDX_DROPPED) {
        return 0;
    }
    rc = pg_exec(p,
                 "ALTER TABLE person_bidx ADD CONSTRAINT person_bidx_pkey"
                 " PRIMARY KEY (h, case_rid);"
                 "CREATE INDEX person_bidx_case ON person_bidx(case_rid);",
                 "cannot index the blind values", err);
    if (rc == 0) {
        p->bidx_defer = PG_BIDX_KEPT;
    }
    return rc;
}

#define PERSON_COLS "(case_rid, birth_year, age, sealed, key_gen, name_rule)"

int pg_seal_batch(struct store_pg *p, const char *head, const char *rest,
                  const size_t *from, const size_t *to, int async,
                  struct ctis_err *err)
{
    struct ctis_buf *fresh = &p->out[PG_O_FRESH];
    struct ctis_buf *seal = &p->out[PG_O_SEAL];
    struct ctis_buf *bidx = &p->out[PG_O_BIDX];
    struct ctis_buf *vers = &p->out[PG_O_VERS];
    struct ctis_buf sql;
    PGresult *rid = NULL;
    PGresult *ver = NULL;
    int idents = to[PG_S_IDENT] > from[PG_S_IDENT];
    int bodies = to[PG_S_BODY] > from[PG_S_BODY];
    int rc = merge_and_number(p, head, rest, idents, bodies, &rid, &ver, err);
    int existing;
    int i;

    if (rc != 0) {
        return rc;
    }
    for (i = 0; i < 4; i++) {
        ctis_buf_reset(&p->out[i]);
    }
    ctis_buf_init(&sql);
    /* sealed while the server runs rest */
    if (idents) {
        rc = seal_idents(p, rid, from[PG_S_IDENT], to[PG_S_IDENT], seal,
                         fresh, bidx, err);
    }
    if (rc == 0 && bodies) {
        rc = seal_bodies(p, ver, from[PG_S_BODY], to[PG_S_BODY], vers, err);
    }
    PQclear(rid);
    PQclear(ver);
    if (rc != 0) {
        struct ctis_err ignored;

        (void)pg_wait(p, &ignored);
    } else {
        rc = pg_wait(p, err);
    }
    existing = seal->len > 0;
    if (rc == 0) {
        rc = copy_in(p, "person_identity" PERSON_COLS, fresh->data, fresh->len,
                     err);
    }
    if (rc == 0) {
        rc = copy_in(p, "s_seal", seal->data, seal->len, err);
    }
    if (rc == 0) {
        rc = copy_in(p,
                     "record_version(kind, id, version, at, actor, op, note,"
                     " body)",
                     vers->data, vers->len, err);
    }
    if (rc == 0 && bidx->len > 0) {
        rc = copy_rows(p, "person_bidx(h, case_rid)", bidx->data, bidx->len,
                       async && !existing, err);
    }
    if (rc == 0 && existing) {
        size_t rows = 0;
        size_t j;

        for (j = 0; j < seal->len; j++) {
            rows += seal->data[j] == '\n';
        }
        if (ctis_buf_puts(&sql, merge_put_persons) != 0 ||
            ctis_buf_puts(&sql, rows >= PUT_SEAL_TRUNCATE
                                    ? "TRUNCATE s_seal"
                                    : "DELETE FROM s_seal") != 0) {
            rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        } else if (!async) {
            rc = pg_exec(p, sql.data, "cannot write", err);
        } else if (PQsendQuery(p->conn, sql.data) == 1) {
            p->busy = 1;
        } else {
            rc = pg_fail(p, NULL, "cannot write", err);
        }
    }
    ctis_buf_release(&sql);
    return rc;
}

/* ---- the key table ------------------------------------------------------ */

int pg_load_wraps(struct store *st, struct seal_wrap **out, int *n,
                  struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    struct seal_wrap *w = NULL;
    PGresult *r = NULL;
    int rc;
    int i;

    *out = NULL;
    *n = 0;
    rc = pg_query(p,
                  "SELECT kek_id, kind, key_id, gen, salt, opslimit,"
                  " memlimit, nonce, wrapped FROM seal_key"
                  " ORDER BY gen DESC, kind, kek_id",
                  0, NULL, &r, "cannot read the key table", err);
    if (rc != 0) {
        return rc;
    }
    if (PQntuples(r) > 0) {
        w = ctis_calloc((size_t)PQntuples(r), sizeof *w);
        if (w == NULL) {
            PQclear(r);
            return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
    }
    for (i = 0; i < PQntuples(r); i++) {
        struct seal_wrap *x = &w[i];

        pg_text(r, i, 0, x->kek_id, sizeof x->kek_id);
        x->kind = (int)pg_long(r, i, 1, 0);
        pg_text(r, i, 2, x->key_id, sizeof x->key_id);
        x->gen = (int)pg_long(r, i, 3, 0);
        get_bytea(r, i, 4, x->salt, sizeof x->salt);
        x->opslimit = (uint64_t)strtoull(
            PQgetisnull(r, i, 5) ? "0" : PQgetvalue(r, i, 5), NULL, 10);
        x->memlimit = (uint64_t)strtoull(
            PQgetisnull(r, i, 6) ? "0" : PQgetvalue(r, i, 6), NULL, 10);
        get_bytea(r, i, 7, x->nonce, sizeof x->nonce);
        get_bytea(r, i, 8, x->wrapped, sizeof x->wrapped);
    }
    *n = PQntuples(r);
    *out = w;
    PQclear(r);
    return 0;
}

/* "\x" and hex, for a text parameter of type BYTEA (into b). */
static int bytea_param(struct ctis_buf *b, const unsigned char *d, size_t n)
{
    return ctis_buf_puts(b, "\\x") || store_hex(b, d, n);
}

int pg_put_wrap(struct store *st, const struct seal_wrap *w,
                struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    struct ctis_buf salt;
    struct ctis_buf nonce;
    struct ctis_buf wrapped;
    char kind[16];
    char gen[16];
    char ops[24];
    char mem[24];
    const char *params[9];
    PGresult *r = NULL;
    int rc;

    ctis_buf_init(&salt);
    ctis_buf_init(&nonce);
    ctis_buf_init(&wrapped);
    snprintf(kind, sizeof kind, "%d", w->kind);
    snprintf(gen, sizeof gen, "%d", w->gen);
    snprintf(ops, sizeof ops, "%llu", (unsigned long long)w->opslimit);
    snprintf(mem, sizeof mem, "%llu", (unsigned long long)w->memlimit);
    if (bytea_param(&salt, w->salt, sizeof w->salt) ||
        bytea_param(&nonce, w->nonce, sizeof w->nonce) ||
        bytea_param(&wrapped, w->wrapped, sizeof w->wrapped)) {
        rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    } else {
        params[0] = w->kek_id;
        params[1] = kind;
        params[2] = w->key_id;
        params[3] = gen;
        params[4] = salt.data;
        params[5] = ops;
        params[6] = mem;
        params[7] = nonce.data;
        params[8] = wrapped.data;
        rc = pg_flush(p, err);
        p->replayable = 0;
        if (rc == 0) {
            rc = pg_query(p,
                          "INSERT INTO seal_key(kek_id, kind, key_id, gen,"
                          " salt, opslimit, memlimit, nonce, wrapped)"
                          " VALUES ($1, $2::integer, $3, $4::integer,"
                          " $5::bytea, $6::bigint, $7::bigint, $8::bytea,"
                          " $9::bytea) ON CONFLICT (kek_id, gen) DO UPDATE"
                          " SET kind = EXCLUDED.kind,"
                          " key_id = EXCLUDED.key_id, salt = EXCLUDED.salt,"
                          " opslimit = EXCLUDED.opslimit,"
                          " memlimit = EXCLUDED.memlimit,"
                          " nonce = EXCLUDED.nonce,"
                          " wrapped = EXCLUDED.wrapped",
                          9, params, &r, "cannot write the key table", err);
        }
    }
    PQclear(r);
    ctis_buf_release(&salt);
    ctis_buf_release(&nonce);
    ctis_buf_release(&wrapped);
    return rc != 0 ? pg_abort(p, rc, err) : 0;
}

/* kek_id NULL: every wrap of generation gen. */
int pg_del_wraps(struct store *st, const char *kek_id, int gen,
                 struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    char g[16];
    const char *params[2] = {g, kek_id};
    PGresult *r = NULL;
    int rc = pg_flush(p, err);

    snprintf(g, sizeof g, "%d", gen);
    p->replayable = 0;
    if (rc == 0) {
        rc = pg_query(p,
                      "DELETE FROM seal_key WHERE gen = $1::integer"
                      " AND ($2::text IS NULL OR kek_id = $2)",
                      2, params, &r, "cannot write the key table", err);
    }
    PQclear(r);
    return rc != 0 ? pg_abort(p, rc, err) : 0;
}

/* ---- re-sealing --------------------------------------------------------- */

#define PERSON_ROW                                                          \
    "SELECT p.case_rid, c.id, c.rev, p.given_name, p.family_name,"         \
    " p.given_name_km, p.family_name_km, p.birth_date, p.birth_year,"      \
    " p.home_commune, p.home_village, p.phone, p.email, p.sealed,"         \
    " p.key_gen, p.age FROM person_identity p"                             \
    " JOIN cases c ON c.rid = p.case_rid"

/* The identity of row i of a PERSON_ROW result into person. */
static int row_identity(struct store_pg *p, PGresult *r, int i,
                        struct model_person *person, struct ctis_err *err)
{
    char id[MODEL_ID_MAX];

    memset(person, 0, sizeof *person);
    person->age = -1;
    pg_text(r, i, 1, id, sizeof id);
    person->birth_year = (int)pg_long(r, i, 8, 0);
    person->age = (int)pg_long(r, i, 15, -1);
    if (!PQgetisnull(r, i, 13)) {
        unsigned char v[MODEL_IDENTITY_PACK_MAX + SEAL_OVERHEAD];
        long n = get_bytea(r, i, 13, v, sizeof v);

        if (n < 0) {
            return ctis_err_set(err, CTIS_ECORRUPT,
                                "sealed identity of case '%s' is damaged",
                                id);
        }
        return store_open_identity(&p->base, id, pg_long(r, i, 2, 0),
                                   (int)pg_long(r, i, 14, 0), v, (size_t)n,
                                   person, err);
    }
    pg_text(r, i, 3, person->given_name, sizeof person->given_name);
    pg_text(r, i, 4, person->family_name, sizeof person->family_name);
    pg_text(r, i, 5, person->given_name_km, sizeof person->given_name_km);
    pg_text(r, i, 6, person->family_name_km, sizeof person->family_name_km);
    person->birth_date = (int)pg_long(r, i, 7, 0);
    pg_text(r, i, 9, person->home_commune, sizeof person->home_commune);
    pg_text(r, i, 10, person->home_village, sizeof person->home_village);
    pg_text(r, i, 11, person->phone, sizeof person->phone);
    pg_text(r, i, 12, person->email, sizeof person->email);
    return 0;
}

/* Up to batch person rows of generation from_gen (0: clear) sealed again
 * with the write key, as s_seal and s_bidx rows; with stale, only sealed
 * rows of from_gen whose name rule is older than MODEL_NAME_RULE. */
static int reseal_persons(struct store_pg *p, int from_gen, int stale,
                          long batch, long *done, struct ctis_buf *seal,
                          struct ctis_buf *bidx, struct ctis_err *err)
{
    char g[16];
    char lim[24];
    char rule[16];
    const char *params[3] = {g, lim, rule};
    PGresult *r = NULL;
    int rc;
    int i;

    snprintf(g, sizeof g, "%d", from_gen);
    snprintf(lim, sizeof lim, "%ld", batch);
    snprintf(rule, sizeof rule, "%d", MODEL_NAME_RULE);
    rc = pg_query(
        p,
        stale ? PERSON_ROW " WHERE p.key_gen = $1::integer AND"
                           " p.sealed IS NOT NULL AND (p.name_rule IS NULL"
                           " OR p.name_rule < $3::integer)"
                           " ORDER BY p.case_rid LIMIT $2::bigint"
                           " FOR UPDATE OF p"
        : from_gen == 0
            ? PERSON_ROW " WHERE $1::integer = 0 AND p.key_gen IS NULL AND"
                         " p.sealed IS NULL AND coalesce(p.given_name,"
                         " p.family_name, p.given_name_km, p.family_name_km,"
                         " p.birth_date::text, p.home_commune,"
                         " p.home_village, p.phone, p.email) IS NOT NULL"
                         " ORDER BY p.case_rid LIMIT $2::bigint"
                         " FOR UPDATE OF p"
            : PERSON_ROW " WHERE p.key_gen = $1::integer"
                         " ORDER BY p.case_rid LIMIT $2::bigint"
                         " FOR UPDATE OF p",
        stale ? 3 : 2, params, &r, "cannot re-seal", err);
    for (i = 0; rc == 0 && i < PQntuples(r); i++) {
        struct model_person person;

        rc = row_identity(p, r, i, &person, err);
        if (rc == 0) {
            rc = seal_rows(p, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
                           pg_long(r, i, 2, 0), &person, seal, NULL, bidx,
                           err);
        }
        seal_wipe(&person, sizeof person);
    }
    *done = rc == 0 ? PQntuples(r) : 0;
    PQclear(r);
    return rc;
}

/* Up to batch case version bodies of generation from_gen (0: clear)
 * sealed again, as s_vbody rows. */
static int reseal_versions(struct store_pg *p, int from_gen, long batch,
                           long *done, struct ctis_buf *out,
                           struct ctis_err *err)
{
    char like[32];
    char lim[24];
    const char *params[2] = {like, lim};
    PGresult *r = NULL;
    int rc;
    int i;

    snprintf(like, sizeof like, BODY_MARK "%d:%%", from_gen);
    snprintf(lim, sizeof lim, "%ld", batch);
    *done = 0;
    if (batch <= 0) {
        return 0;
    }
    rc = pg_query(p,
                  from_gen == 0
                      ? "SELECT id, version, body FROM record_version"
                        " WHERE kind = 1 AND body IS NOT NULL AND"
                        " body NOT LIKE '" BODY_MARK "%' AND $1 <> ''"
                        " ORDER BY id, version LIMIT $2::bigint FOR UPDATE"
                      : "SELECT id, version, body FROM record_version"
                        " WHERE kind = 1 AND body LIKE $1"
                        " ORDER BY id, version LIMIT $2::bigint FOR UPDATE",
                  2, params, &r, "cannot re-seal versions", err);
    for (i = 0; rc == 0 && i < PQntuples(r); i++) {
        const char *id = PQgetvalue(r, i, 0);
        long version = pg_long(r, i, 1, 0);
        const char *text = PQgetvalue(r, i, 2);
        char *body = NULL;
        char *sealed = NULL;

        if (store_text_is_sealed(text)) {
            rc = store_open_text(&p->base, "record_version", id, version,
                                 text, &body, err);
        } else {
            body = ctis_strdup(text);
            rc = body == NULL ? ctis_err_set(err, CTIS_ENOMEM,
                                             "out of memory")
                              : 0;
        }
        if (rc == 0) {
            rc = store_seal_text(&p->base, "record_version", id, version,
                                 body, &sealed, err);
        }
        if (rc == 0 && (pg_f_text(out, id) ||
                        pg_f_text(out, PQgetvalue(r, i, 1)) ||
                        pg_f_text(out, sealed) || pg_f_end(out))) {
            rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
        if (body != NULL) {
            seal_wipe(body, strlen(body));
        }
        ctis_free(body);
        ctis_free(sealed);
    }
    *done = rc == 0 ? PQntuples(r) : 0;
    PQclear(r);
    return rc;
}

/* Persons first, then (unless stale) case version bodies, batch rows in
 * all; inside the caller's transaction. With stale, only the persons of
 * from_gen whose blind indexes are of an older name rule. */
static int reseal_batch(struct store *st, int from_gen, int stale,
                        long batch, long *done, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    struct ctis_buf seal;
    struct ctis_buf bidx;
    struct ctis_buf body;
    long persons = 0;
    long versions = 0;
    int rc = pg_flush(p, err);

    *done = 0;
    p->replayable = 0;
    ctis_buf_init(&seal);
    ctis_buf_init(&bidx);
    ctis_buf_init(&body);
    if (rc == 0) {
        rc = reseal_persons(p, from_gen, stale, batch, &persons, &seal, &bidx,
                            err);
    }
    if (rc == 0 && !stale) {
        rc = reseal_versions(p, from_gen, batch - persons, &versions, &body,
                             err);
    }
    if (rc == 0) {
        rc = send_sealed(p, &seal, &bidx, &body,
                         stale ? NULL : merge_resealed_versions, err);
    }
    ctis_buf_release(&seal);
    ctis_buf_release(&bidx);
    ctis_buf_release(&body);
    if (rc != 0) {
        return pg_abort(p, rc, err);
    }
    *done = persons + versions;
    return 0;
}

int pg_reseal_batch(struct store *st, int from_gen, long batch, long *done,
                    struct ctis_err *err)
{
    return reseal_batch(st, from_gen, 0, batch, done, err);
}

/* Sealed identities of generation gen whose blind indexes were made with
 * an older name rule: up to batch of them sealed again with the same key
 * and indexed with this rule (rows leave the selection as they are done:
 * a killed batch is done again). */
int pg_reindex_batch(struct store *st, int gen, long batch, long *done,
                     struct ctis_err *err)
{
    return reseal_batch(st, gen, 1, batch, done, err);
}

int pg_names_stale(struct store *st, int *out, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    char rule[16];
    const char *params[1] = {rule};
    PGresult *r = NULL;
    int rc;

    snprintf(rule, sizeof rule, "%d", MODEL_NAME_RULE);
    *out = 0;
    rc = pg_query(p,
                  "SELECT 1 FROM person_identity WHERE (name_rule IS NULL"
                  " OR name_rule < $1::integer) AND sealed IS NOT NULL"
                  " LIMIT 1",
                  1, params, &r, "cannot read the blind index", err);
    if (rc == 0) {
        *out = PQntuples(r) > 0;
    }
    PQclear(r);
    return rc;
}

/* ---- search ------------------------------------------------------------- */

/* "{hex,hex,...}" of n blind values, for decode() in SQL. */
static int hex_array(struct ctis_buf *b, unsigned char h[][SEAL_BLIND_BYTES],
                     size_t n)
{
    size_t i;
    int rc = ctis_buf_putc(b, '{');

    for (i = 0; rc == 0 && i < n; i++) {
        rc = (i > 0 && ctis_buf_putc(b, ',')) ||
             store_hex(b, h[i], SEAL_BLIND_BYTES);
    }
    return rc != 0 ? rc : ctis_buf_putc(b, '}');
}

/* Every (rid, value) of the query's name values in one query, within
 * the year's values and the agency when given. */
static int find_hits(struct store_pg *p, const struct store_person_query *q,
                     unsigned char names[][SEAL_BLIND_BYTES], size_t nn,
                     unsigned char year[][SEAL_BLIND_BYTES], size_t ny,
                     PGresult **r, struct ctis_err *err)
{
    struct ctis_buf hn;
    struct ctis_buf hy;
    int rc;

    ctis_buf_init(&hn);
    ctis_buf_init(&hy);
    if (hex_array(&hn, names, nn) != 0 || hex_array(&hy, year, ny) != 0) {
        rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    } else {
        const char *params[3] = {hn.data, ny > 0 ? hy.data : NULL,
                                 q->agency};

        rc = pg_flush(p, err);
        if (rc != 0 && p->base.in_txn) {
            rc = pg_abort(p, rc, err);
        }
        if (rc == 0) {
            /* another agency's case is never a candidate, never opened */
            rc = pg_query(
                p,
                "SELECT b.case_rid, x.i - 1 FROM unnest($1::text[])"
                " WITH ORDINALITY x(v, i)"
                " JOIN person_bidx b ON b.h = decode(x.v, 'hex')"
                " JOIN cases c ON c.rid = b.case_rid"
                " WHERE ($2::text[] IS NULL OR b.case_rid IN (SELECT"
                " case_rid FROM person_bidx WHERE h = ANY(SELECT"
                " decode(y, 'hex') FROM unnest($2::text[]) y)))"
                " AND ($3::text IS NULL OR c.agency = $3)",
                3, params, r, "cannot search", err);
        }
    }
    ctis_buf_release(&hn);
    ctis_buf_release(&hy);
    return rc;
}

/* A search's candidates being opened, a batch at a time. */
struct opening {
    const struct store_person_query *q;
    const struct store_cand *cand; /* this batch's */
    store_case_fn fn;
    void *ctx;
};

/* Open candidate i of the batch unless the caller has enough. */
static int go_on(void *ctx, size_t i)
{
    struct opening *o = ctx;

    return o->q->enough == NULL || !o->q->enough(o->ctx, o->cand[i].bound);
}

static int on_candidate(void *ctx, const struct model_case *c)
{
    struct opening *o = ctx;
    struct store_find f = {o->q, o->fn, o->ctx};

    return store_find_candidate(&f, c);
}

/* The candidates ranked by store_rank_hits (as SQLite's sq_find), read a
 * batch at a time in that order and opened best first until q->enough
 * ends the search: one query of hits, then one per PG_FIND_BATCH
 * candidates read. */
int pg_find(struct store *st, const struct store_person_query *q,
            store_case_fn fn, void *ctx, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    unsigned char names[STORE_QUERY_BLINDS][SEAL_BLIND_BYTES];
    unsigned char which[STORE_QUERY_BLINDS];
    unsigned char year[2][SEAL_BLIND_BYTES];
    struct store_hits h = {NULL, 0, 0};
    struct store_cand *cand = NULL;
    struct opening o = {q, NULL, fn, ctx};
    PGresult *r = NULL;
    size_t ncand = 0;
    size_t nn = 0;
    size_t ny = 0;
    size_t i;
    int rc;

    store_query_blinds(st, q, names, which, &nn, year, &ny);
    if (nn == 0) {
        return 0;
    }
    rc = find_hits(p, q, names, nn, year, ny, &r, err);
    for (i = 0; rc == 0 && i < (size_t)PQntuples(r); i++) {
        long k = pg_long(r, (int)i, 1, -1);

        if (k >= 0 && (size_t)k < nn &&
            store_hits_add(&h, strtoll(PQgetvalue(r, (int)i, 0), NULL, 10),
                           which[k]) != 0) {
            rc = ctis_err_set(err, CTIS_ENOMEM, "out of memory");
        }
    }
    PQclear(r);
    if (rc == 0) {
        rc = store_rank_hits(q, which, nn, &h, NULL, 0, &cand, &ncand, err);
    }
    ctis_free(h.v);
    for (i = 0; rc == 0 && i < ncand; i += PG_FIND_BATCH) {
        long long rids[PG_FIND_BATCH];
        size_t n = ncand - i < PG_FIND_BATCH ? ncand - i : PG_FIND_BATCH;
        size_t j;

        /* the next batch only while its best may still enter the hits */
        o.cand = cand + i;
        if (!go_on(&o, 0)) {
            break;
        }
        for (j = 0; j < n; j++) {
            rids[j] = cand[i + j].rid;
        }
        rc = pg_each_case_of_rids(st, rids, n, go_on, on_candidate, &o, err);
    }
    ctis_free(cand);
    return rc;
}

/* ---- linkage's blocking --------------------------------------------------- */

/* One query of pg_blind_rows; a failure ends the caller's transaction. */
static int blind_query(struct store_pg *p, const char *sql, int n,
                       const char *const *params, PGresult **out,
                       struct ctis_err *err)
{
    int rc = pg_query(p, sql, n, params, out, "cannot read the blind index",
                      err);

    return rc != 0 && p->base.in_txn ? pg_abort(p, rc, err) : rc;
}

/* Every blind row in the order of its value (and case), a page at a time
 * from after the last row of the one before (the primary key's range
 * scan); store_block.c decides from them who meets another. */
int pg_blind_rows(struct store *st, int gen,
                  int (*fn)(void *ctx, const unsigned char *h,
                            const char *case_id),
                  void *ctx, struct ctis_err *err)
{
    struct store_pg *p = (struct store_pg *)st;
    char g[16];
    char h_last[2 + 2 * SEAL_BLIND_BYTES + 1] = "\\x";
    char rid_last[24] = "-1";
    char page[16];
    char rule[16];
    const char *params[3] = {g, NULL, page};
    PGresult *r = NULL;
    int more = 1;
    int rc = 0;

    if (st->in_txn) {
        rc = pg_flush(p, err);
        if (rc != 0) {
            return pg_abort(p, rc, err);
        }
    }
    /* every identity sealed under gen with this name rule: no clear row
     * waiting, none of another generation, none indexed by an older rule
     * (sq_blind_rows asks the same) */
    snprintf(g, sizeof g, "%d", gen);
    snprintf(rule, sizeof rule, "%d", MODEL_NAME_RULE);
    params[1] = rule;
    rc = blind_query(p,
                     "SELECT EXISTS (SELECT 1 FROM person_identity WHERE"
                     " (sealed IS NOT NULL AND (key_gen IS DISTINCT FROM"
                     " $1::integer OR name_rule IS NULL OR name_rule <"
                     " $2::integer)) OR (sealed IS NULL AND"
                     " coalesce(given_name, family_name, given_name_km,"
                     " family_name_km) IS NOT NULL))",
                     2, params, &r, err);
    if (rc != 0) {
        return rc;
    }
    more = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "f") == 0;
    PQclear(r);
    if (!more) {
        return 1;
    }
    snprintf(page, sizeof page, "%zu", p->blind_page);
    params[0] = h_last;
    params[1] = rid_last;
    while (rc == 0 && more) {
        int n;
        int i;

        rc = blind_query(p,
                         "SELECT b.h, c.id, b.case_rid FROM person_bidx b"
                         " JOIN cases c ON c.rid = b.case_rid"
                         " WHERE (b.h, b.case_rid) > ($1::bytea,"
                         " $2::bigint) ORDER BY b.h, b.case_rid"
                         " LIMIT $3::bigint",
                         3, params, &r, err);
        if (rc != 0) {
            return rc;
        }
        n = PQntuples(r);
        for (i = 0; rc == 0 && i < n; i++) {
            unsigned char h[SEAL_BLIND_BYTES];
            char id[MODEL_ID_MAX];

            if (get_bytea(r, i, 0, h, sizeof h) != SEAL_BLIND_BYTES) {
                continue;
            }
            pg_text(r, i, 1, id, sizeof id);
            rc = fn(ctx, h, id);
        }
        more = rc == 0 && (size_t)n == p->blind_page;
        if (n > 0 && strlen(PQgetvalue(r, n - 1, 0)) >= sizeof h_last) {
            /* never cut: the next page would start before this one */
            rc = ctis_err_set(err, CTIS_ECORRUPT,
                              "the blind index is damaged (a value of "
                              "case '%s')",
                              PQgetvalue(r, n - 1, 1));
        } else if (n > 0) {
            ctis_strlcpy(h_last, PQgetvalue(r, n - 1, 0), sizeof h_last);
            pg_text(r, n - 1, 2, rid_last, sizeof rid_last);
        }
        PQclear(r);
    }
    return rc;
}

/* ---- erasure ------------------------------------------------------------ */

/* Every version body of the case rewritten without identity (sealed
 * again in a sealed database). */
static int erase_bodies(struct store_pg *p, const char *case_id,
                        struct ctis_err *err)
{
    const char *params[4] = {case_id, NULL, NULL, NULL};
    PGresult *r = NULL;
    int rc = pg_query(p,
                      "SELECT version, body FROM record_version"
                      " WHERE kind = 1 AND id = $1 AND body IS NOT NULL"
                      " ORDER BY version FOR UPDATE",
                      1, params, &r, "cannot erase the history", err);
    int i;

    for (i = 0; rc == 0 && i < PQntuples(r); i++) {
        long version = pg_long(r, i, 0, 0);
        const char *text = PQgetvalue(r, i, 1);
        char *body = NULL;
        char *stripped = NULL;
        char *sealed = NULL;
        PGresult *u = NULL;

        if (store_text_is_sealed(text)) {
            rc = store_open_text(&p->base, "record_version", case_id,
                                 version, text, &body, err);
        }
        if (rc == 0) {
            stripped = store_strip_identity(body != NULL ? body : text);
        }
        if (rc == 0 && stripped != NULL && p->base.sealed) {
            rc = store_seal_text(&p->base, "record_version", case_id,
                                 version, stripped, &sealed, err);
        }
        if (rc == 0) {
            params[1] = PQgetvalue(r, i, 0);
            params[2] = sealed != NULL ? sealed : stripped;
            rc = pg_query(p,
                          "UPDATE record_version SET body = $3 WHERE"
                          " kind = 1 AND id = $1 AND version = $2::integer",
                          3, params, &u, "cannot erase the history", err);
            PQclear(u);
        }
        if (body != NULL) {
            seal_wipe(body, strlen(body));
        }
        ctis_free(body);
        ctis_free(stripped);
        ctis_free(sealed);
    }
    PQclear(r);
    return rc;
}

int pg_erase(struct store *st, const char *case_id, const char *by,
             const char *reason, struct ctis_err *err)
{
    static const char *const sql[] = {
        "UPDATE person_identity SET given_name = NULL, family_name = NULL,"
        " given_name_km = NULL, family_name_km = NULL, birth_date = NULL,"
        " home_commune = NULL, home_village = NULL, phone = NULL,"
        " email = NULL, sealed = NULL, key_gen = NULL"
        " WHERE case_rid = $1::bigint",
        "DELETE FROM person_bidx WHERE case_rid = $1::bigint",
        "DELETE FROM person_link WHERE case_rid = $1::bigint"};
    struct store_pg *p = (struct store_pg *)st;
    const char *params[3] = {case_id, by, reason};
    PGresult *r = NULL;
    char rid[24];
    size_t i;
    int rc = pg_flush(p, err);

    p->replayable = 0;
    if (rc == 0) {
        rc = pg_query(p, "SELECT rid FROM cases WHERE id = $1 FOR UPDATE", 1,
                      params, &r, "cannot erase", err);
    }
    if (rc == 0 && PQntuples(r) == 0) {
        PQclear(r);
        return ctis_err_set(err, CTIS_ENOTFOUND, "no case has the id given");
    }
    if (rc == 0) {
        pg_text(r, 0, 0, rid, sizeof rid);
    }
    PQclear(r);
    for (i = 0; rc == 0 && i < sizeof sql / sizeof sql[0]; i++) {
        const char *one[1] = {rid};

        rc = pg_query(p, sql[i], 1, one, &r, "cannot erase", err);
        PQclear(r);
    }
    if (rc == 0) {
        rc = erase_bodies(p, case_id, err);
    }
    if (rc == 0) {
        rc = pg_query(p,
                      "INSERT INTO erasure(case_id, erased_by, reason)"
                      " VALUES ($1, $2, $3)",
                      3, params, &r, "cannot log the erasure", err);
        PQclear(r);
    }
    return rc != 0 ? pg_abort(p, rc, err) : 0;
}
