/*
 * cmd_migrate.c - 'ctis migrate --from DB --to DB [--force]': copy a whole
 * database between backends (a SQLite file and a postgresql:// URL, either
 * way, or two of the same kind) through store.h, then verify the copy.
 *
 * The copy is one transaction on the target: agencies, cases, criminal
 * cases, activities and instruments in that order, so every reference is
 * in place when it is written. While copying, each record's JSON Lines
 * form (every field, identifying ones included; never printed) is hashed;
 * the hashes are summed per kind (order does not matter) and kept per id.
 * After the commit the target is read back and every record whose id came
 * from the source is hashed again: counts and checksums per kind must be
 * equal, and so must the event and offender counts. A target that already
 * holds records is refused unless --force, which writes the source's
 * records over the target's of the same id and keeps the rest (they are
 * reported, and left out of the comparison).
 */
#include <getopt.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "io/io.h"

#define N_KINDS 5

static const char *const kind_name[N_KINDS] = {
    "agencies", "cases", "criminal cases", "activities", "instruments"};

/* One id seen in the source: its kind, its hash. */
struct seen_id {
    char *key;    /* kind letter + id; NULL for a free slot */
    uint64_t h;
};

struct tally {
    long n[N_KINDS];
    uint64_t sum[N_KINDS];
};

struct migration {
    struct store *from;
    struct store *to;
    struct ctis_buf buf;
    struct io_record rec;
    struct seen_id *ids;
    size_t cap;
    size_t len;
    struct ctis_arena arena;
    struct tally src;
    struct tally dst;
    long extra[N_KINDS];  /* target records with no source record */
    int reading_target;
    struct ctis_err *err;
};

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    size_t i;

    for (i = 0; i < n; i++) {
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    }
    return h;
}

static size_t slot(const struct migration *m, const char *key)
{
    size_t i = (size_t)fnv(key, strlen(key)) & (m->cap - 1);

    while (m->ids[i].key != NULL && strcmp(m->ids[i].key, key) != 0) {
        i = (i + 1) & (m->cap - 1);
    }
    return i;
}

static int grow(struct migration *m)
{
    size_t cap = m->cap > 0 ? m->cap * 2 : 4096;
    struct seen_id *old = m->ids;
    size_t ocap = m->cap;
    size_t i;

    m->ids = ctis_calloc(cap, sizeof *m->ids);
    if (m->ids == NULL) {
        m->ids = old;
        return CTIS_ENOMEM;
    }
    m->cap = cap;
    for (i = 0; i < ocap; i++) {
        if (old[i].key != NULL) {
            m->ids[slot(m, old[i].key)] = old[i];
        }
    }
    ctis_free(old);
    return 0;
}

/* Remember key (kind letter + id) with hash h. */
static int remember(struct migration *m, const char *key, uint64_t h)
{
    size_t i;
    size_t n = strlen(key) + 1;

    if ((m->len + 1) * 2 > m->cap && grow(m) != 0) {
        return CTIS_ENOMEM;
    }
    i = slot(m, key);
    if (m->ids[i].key == NULL) {
        m->ids[i].key = ctis_arena_alloc(&m->arena, n);
        if (m->ids[i].key == NULL) {
            return CTIS_ENOMEM;
        }
        memcpy(m->ids[i].key, key, n);
        m->len++;
    }
    m->ids[i].h = h;
    return 0;
}

/* The record's hash (of its JSON line) into *h. */
static int hash_record(struct migration *m, int type, const void *record,
                       size_t size, uint64_t *h)
{
    m->rec.type = type;
    memcpy(&m->rec.u, record, size);
    ctis_buf_reset(&m->buf);
    if (io_jsonl_write(&m->buf, &m->rec, 0) != 0) {
        return ctis_err_set(m->err, CTIS_ENOMEM, "out of memory");
    }
    *h = fnv(m->buf.data, m->buf.len);
    return 0;
}

/* Source side: hash, remember, write into the target. Target side: hash
 * and compare with what the source gave that id. */
static int take(struct migration *m, int type, const void *record,
                size_t size)
{
    char key[MODEL_ID_MAX + 1];
    uint64_t h = 0;
    int rc = hash_record(m, type, record, size, &h);

    if (rc != 0) {
        return rc;
    }
    key[0] = (char)('a' + type);
    ctis_strlcpy(key + 1, io_record_id(&m->rec), sizeof key - 1);
    if (m->reading_target) {
        if (m->cap == 0 || m->ids[slot(m, key)].key == NULL) {
            m->extra[type]++;
            return 0;
        }
        m->dst.n[type]++;
        m->dst.sum[type] += h;
        return 0;
    }
    if (remember(m, key, h) != 0) {
        return ctis_err_set(m->err, CTIS_ENOMEM, "out of memory");
    }
    m->src.n[type]++;
    m->src.sum[type] += h;
    switch (type) {
    case IO_REC_AGENCY:
        return store_put_agency(m->to, record, m->err);
    case IO_REC_CASE:
        return store_put_case(m->to, record, m->err);
    case IO_REC_CRIMINAL_CASE:
        return store_put_criminal_case(m->to, record, m->err);
    case IO_REC_ACTIVITY:
        return store_put_activity(m->to, record, m->err);
    default:
        return store_put_instrument(m->to, record, m->err);
    }
}

static int on_agency(void *ctx, const struct model_agency *a)
{
    return take(ctx, IO_REC_AGENCY, a, sizeof *a);
}

static int on_case(void *ctx, const struct model_case *c)
{
    return take(ctx, IO_REC_CASE, c, sizeof *c);
}

static int on_cc(void *ctx, const struct model_criminal_case *cc)
{
    return take(ctx, IO_REC_CRIMINAL_CASE, cc, sizeof *cc);
}

static int on_activity(void *ctx, const struct model_activity *a)
{
    return take(ctx, IO_REC_ACTIVITY, a, sizeof *a);
}

static int on_instrument(void *ctx, const struct model_instrument *in)
{
    return take(ctx, IO_REC_INSTRUMENT, in, sizeof *in);
}

/* Every record of st through the callbacks, parents first. */
static int each_record(struct migration *m, struct store *st)
{
    struct store_case_filter all = {NULL, -1, 0, 0, NULL, 0, 0, 0};
    int rc = store_each_agency(st, on_agency, m, m->err);

    if (rc == 0) {
        rc = store_each_case(st, &all, on_case, m, m->err);
    }
    if (rc == 0) {
        rc = store_each_criminal_case(st, on_cc, m, m->err);
    }
    if (rc == 0) {
        rc = store_each_activity(st, on_activity, m, m->err);
    }
    if (rc == 0) {
        rc = store_each_instrument(st, on_instrument, m, m->err);
    }
    return rc;
}

/* Total records of every kind in st into *n. */
static int total(struct store *st, long *n, struct ctis_err *err)
{
    static const enum store_kind kinds[] = {
        STORE_AGENCY, STORE_CASE, STORE_CRIMINAL_CASE, STORE_OFFENDER,
        STORE_ACTIVITY, STORE_INSTRUMENT, STORE_EVENT};
    size_t i;

    *n = 0;
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        long k = 0;
        int rc = store_count(st, kinds[i], &k, err);

        if (rc != 0) {
            return rc;
        }
        *n += k;
    }
    return 0;
}

/* Counts and checksums per kind on stderr; 0 when they all agree. */
static int compare(struct migration *m, int was_empty, struct ctis_err *err)
{
    static const enum store_kind sub[] = {STORE_EVENT, STORE_OFFENDER};
    static const char *const sub_name[] = {"events", "offenders"};
    int bad = 0;
    int i;

    fprintf(stderr, "%-15s %9s %9s  %-16s\n", "", "source", "target",
            "checksum");
    for (i = 0; i < N_KINDS; i++) {
        int same = m->src.n[i] == m->dst.n[i] &&
                   m->src.sum[i] == m->dst.sum[i];

        fprintf(stderr, "%-15s %9ld %9ld  %016llx %s\n", kind_name[i],
                m->src.n[i], m->dst.n[i],
                (unsigned long long)m->dst.sum[i],
                same ? "ok" : "DIFFERS");
        if (m->extra[i] > 0) {
            fprintf(stderr, "%-15s %9s %9ld  (kept, not in the source)\n",
                    "", "", m->extra[i]);
        }
        bad |= !same;
    }
    for (i = 0; i < 2; i++) {
        long a = 0;
        long b = 0;
        int rc = store_count(m->from, sub[i], &a, err);

        if (rc == 0) {
            rc = store_count(m->to, sub[i], &b, err);
        }
        if (rc != 0) {
            return rc;
        }
        fprintf(stderr, "%-15s %9ld %9ld  %s\n", sub_name[i], a, b,
                a == b || (!was_empty && b > a) ? "ok" : "DIFFERS");
        bad |= a != b && (was_empty || b < a);
    }
    if (bad) {
        return ctis_err_set(err, CTIS_ECORRUPT,
                            "the copy differs from the source");
    }
    return 0;
}

static int run(struct migration *m, const char *from, const char *to,
               int force, struct ctis_err *err)
{
    char shown[512];
    long n = 0;
    int rc = total(m->to, &n, err);

    if (rc != 0) {
        return rc;
    }
    if (n > 0 && !force) {
        cli_redact_url(to, shown, sizeof shown);
        return ctis_err_set(err, CTIS_EEXIST,
                            "target '%s' is not empty (%ld rows); use "
                            "--force to write over it",
                            shown, n);
    }
    rc = store_begin(m->to, err);
    if (rc == 0) {
        rc = each_record(m, m->from);
        if (rc == 0) {
            rc = store_commit(m->to, err);
        } else {
            store_rollback(m->to);
        }
    }
    if (rc != 0) {
        cli_redact_url(from, shown, sizeof shown);
        return ctis_err_prefix(err, "copy from '%s' failed, nothing written",
                               shown);
    }
    m->reading_target = 1;
    rc = each_record(m, m->to);
    if (rc == 0) {
        rc = compare(m, n == 0, err);
    }
    return rc;
}

/* Identities of a sealed source are never written in clear: the target
 * is sealed first (a data key of its own, wrapped by the same key), or
 * unlocked when it is sealed already. */
static int seal_target(struct cli_ctx *ctx, struct store *from,
                       struct store *to)
{
    const struct seal_kek *kek = NULL;
    int rc = cli_unlock(ctx, from, store_is_sealed(from), 0);

    if (rc == 0 && store_is_sealed(to)) {
        return cli_unlock(ctx, to, 1, 1);
    }
    if (rc == 0 && store_is_sealed(from)) {
        rc = cli_kek(ctx, &kek);
        if (rc == 0) {
            rc = store_key_init(to, kek, &ctx->err);
        }
    }
    return rc;
}

/* Options, open both, copy, verify. */
int cmd_migrate(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {"force", no_argument, NULL, 'F'},
        {NULL, 0, NULL, 0}};
    const char *from = NULL;
    const char *to = NULL;
    int force = 0;
    struct migration m;
    int c;
    int rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            from = optarg;
            break;
        case 't':
            to = optarg;
            break;
        case 'F':
            force = 1;
            break;
        default:
            return cli_usage_error(ctx, "unknown option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc) {
        return cli_usage_error(ctx, "unexpected argument '%s'", argv[optind]);
    }
    if (from == NULL || to == NULL) {
        return cli_usage_error(ctx, "both --from and --to are needed");
    }
    if (store_url_has_password(from) || store_url_has_password(to)) {
        return cli_usage_error(ctx, "%s", cli_password_refusal("--from/--to"));
    }
    if (strcmp(from, to) == 0 || ctis_same_file(from, to)) {
        return cli_usage_error(ctx, "--from and --to name the same database");
    }
    memset(&m, 0, sizeof m);
    m.err = &ctx->err;
    ctis_buf_init(&m.buf);
    io_record_init(&m.rec);
    ctis_arena_init(&m.arena, 256 * 1024);
    rc = store_open(&m.from, from, STORE_OPEN_READONLY, &ctx->err);
    if (rc == 0) {
        rc = store_open(&m.to, to, STORE_OPEN_CREATE, &ctx->err);
    }
    if (rc == 0) {
        rc = seal_target(ctx, m.from, m.to);
    }
    if (rc == 0) {
        rc = run(&m, from, to, force, &ctx->err);
    }
    if (rc == 0) {
        char a[512];
        char b[512];

        cli_redact_url(from, a, sizeof a);
        cli_redact_url(to, b, sizeof b);
        fprintf(stderr, "ctis: copied '%s' (%s) to '%s' (%s); counts and "
                        "checksums agree\n",
                a, store_backend(m.from), b, store_backend(m.to));
    }
    store_close(m.from);
    store_close(m.to);
    /* rec's arrays were borrowed from the stores' records: not freed. */
    ctis_buf_release(&m.buf);
    ctis_free(m.ids);
    ctis_arena_release(&m.arena);
    return rc == 0 ? CLI_EXIT_OK : cli_fail(ctx, rc);
}
