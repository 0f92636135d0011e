/*
 * import.c - files into the store, inside the caller's transaction.
 *
 * Each line (JSON Lines) or row (CSV) is parsed and validated on its own,
 * then its references are checked: a reference to a record later in the
 * file is allowed, so a record whose reference is not yet in the store is
 * kept aside (a copy of its line) and tried again after the whole file;
 * only then is a reference that names nothing an error. Records are
 * written as they come: in all-or-nothing mode an invalid line means the
 * caller rolls the transaction back, so nothing is half-written. Problems
 * never quote a value, only the file, line, field path and reason.
 */
#include <jansson.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>

#include "io_int.h"

#define LINE_MAX_BYTES (4 * 1024 * 1024)

struct pending {
    long line;
    char *text;
    size_t len;
    int type;                 /* enum io_record_type */
    char id[MODEL_ID_MAX];
    int superseded;           /* a later line wrote the same record */
};

struct importer {
    struct store *st;
    const char *path;
    const struct io_import_opts *o;
    struct io_import_stats *stats;
    struct io_record rec;
    struct model_problems problems;
    struct pending *pending;
    size_t n_pending;
    size_t cap_pending;
    char known_agency[MODEL_ID_MAX];  /* last agency seen to exist */
    const struct store_blind *blind;  /* the blind values of im->rec's
                                         person, made by the parser
                                         thread; NULL: made at the put */
    struct ctis_err *err;
};

static void report(struct importer *im, long line, const char *path,
                   const char *msg)
{
    char text[512];

    if (path[0] != '\0') {
        snprintf(text, sizeof text, "%s:%ld: field '%s': %s", im->path, line,
                 path, msg);
    } else {
        snprintf(text, sizeof text, "%s:%ld: %s", im->path, line, msg);
    }
    if (im->o->report != NULL) {
        im->o->report(im->o->report_ctx, text);
    } else {
        fprintf(stderr, "%s\n", text);
    }
}

/* Write the rejected line with its reasons as one JSON object. */
static int write_reject(struct importer *im, long line, const char *text,
                        size_t len)
{
    json_t *obj = json_object();
    json_t *list = json_array();
    int i;
    int rc = 0;

    if (obj == NULL || list == NULL) {
        json_decref(obj);
        json_decref(list);
        return ctis_err_set(im->err, CTIS_ENOMEM, "out of memory");
    }
    for (i = 0; i < im->problems.n; i++) {
        char reason[256];

        snprintf(reason, sizeof reason, "field '%s': %s",
                 im->problems.items[i].path, im->problems.items[i].msg);
        json_array_append_new(list, json_string(reason));
    }
    json_object_set_new(obj, "line", json_integer(line));
    json_object_set_new(obj, "problems", list);
    json_object_set_new(obj, "record", json_stringn(text, len));
    if (json_dumpf(obj, im->o->rejects, JSON_COMPACT) != 0 ||
        fputc('\n', im->o->rejects) == EOF) {
        rc = ctis_err_set(im->err, CTIS_EFILE, "cannot write rejected lines");
    }
    json_decref(obj);
    return rc;
}

/* Report every problem of the current line, and keep it aside in
 * skip-invalid mode. */
static int reject(struct importer *im, long line, const char *text,
                  size_t len)
{
    int i;

    im->stats->rejected++;
    for (i = 0; i < im->problems.n; i++) {
        report(im, line, im->problems.items[i].path,
               im->problems.items[i].msg);
    }
    if (im->problems.dropped > 0) {
        report(im, line, "", "more problems not shown");
    }
    if (im->o->rejects != NULL && text != NULL) {
        return write_reject(im, line, text, len);
    }
    return 0;
}

/* First reference of the record that is not in the store: its field path
 * into path and 1, or 0 when all exist, or a negative error. */
static int missing_reference(struct importer *im, char *path, size_t size)
{
    const struct io_record *r = &im->rec;
    const char *agency = NULL;
    int rc;
    size_t i;

    if (r->type == IO_REC_CASE) {
        agency = r->u.kase.agency;
    } else if (r->type == IO_REC_ACTIVITY) {
        agency = r->u.activity.agency;
    }
    if (agency != NULL && strcmp(agency, im->known_agency) != 0) {
        rc = store_exists(im->st, STORE_AGENCY, agency, im->err);
        if (rc <= 0) {
            ctis_strlcpy(path, "agency", size);
            return rc < 0 ? rc : 1;
        }
        ctis_strlcpy(im->known_agency, agency, sizeof im->known_agency);
    }
    if (r->type != IO_REC_CRIMINAL_CASE) {
        return 0;
    }
    for (i = 0; i < r->u.criminal_case.n_victim_cases; i++) {
        rc = store_exists(im->st, STORE_CASE,
                          r->u.criminal_case.victim_cases[i], im->err);
        if (rc <= 0) {
            snprintf(path, size, "victim_cases[%zu]", i);
            return rc < 0 ? rc : 1;
        }
    }
    return 0;
}

static int put_record(struct importer *im)
{
    struct io_record *r = &im->rec;

    if (im->o->put != NULL) {
        return im->o->put(im->o->put_ctx, r, im->err);
    }
    switch (r->type) {
    case IO_REC_AGENCY:
        return store_put_agency(im->st, &r->u.agency, im->err);
    case IO_REC_CASE:
        return store_put_case(im->st, &r->u.kase, im->err);
    case IO_REC_CRIMINAL_CASE:
        return store_put_criminal_case(im->st, &r->u.criminal_case, im->err);
    case IO_REC_ACTIVITY:
        return store_put_activity(im->st, &r->u.activity, im->err);
    default:
        return store_put_instrument(im->st, &r->u.instrument, im->err);
    }
}

static int keep_pending(struct importer *im, long line, const char *text,
                        size_t len)
{
    struct pending *p;

    if (im->n_pending == im->cap_pending) {
        size_t cap = im->cap_pending > 0 ? im->cap_pending * 2 : 64;

        p = ctis_realloc(im->pending, cap * sizeof *p);
        if (p == NULL) {
            return ctis_err_set(im->err, CTIS_ENOMEM, "out of memory");
        }
        im->pending = p;
        im->cap_pending = cap;
    }
    p = &im->pending[im->n_pending];
    p->text = ctis_strndup(text, len);
    if (p->text == NULL) {
        return ctis_err_set(im->err, CTIS_ENOMEM, "out of memory");
    }
    p->line = line;
    p->len = len;
    p->type = im->rec.type;
    ctis_strlcpy(p->id, io_record_id(&im->rec), sizeof p->id);
    p->superseded = 0;
    im->n_pending++;
    return 0;
}

/* A record written from a later line supersedes the copies of it kept
 * aside: the last copy in the file wins (a linear scan; records are kept
 * aside only for forward references, which are few). */
static void supersede_pending(struct importer *im, long line)
{
    const char *id = io_record_id(&im->rec);
    size_t i;

    for (i = 0; i < im->n_pending; i++) {
        struct pending *p = &im->pending[i];

        if (p->line < line && !p->superseded && p->type == im->rec.type &&
            strcmp(p->id, id) == 0) {
            p->superseded = 1;
            im->stats->superseded++;
        }
    }
}

/* Check references and write the parsed record. final: no more chances
 * for a missing reference. */
static int store_record(struct importer *im, long line, const char *text,
                        size_t len, int final)
{
    char path[64];
    int rc = missing_reference(im, path, sizeof path);

    if (rc < 0) {
        return rc;
    }
    if (rc == 1) {
        if (!final && text != NULL) {
            return keep_pending(im, line, text, len);
        }
        model_problems_clear(&im->problems);
        model_problems_add(&im->problems, path,
                           "names no record in the file or the database");
        return reject(im, line, text, len);
    }
    if (im->st != NULL) {
        store_use_blind(im->st, im->blind);
    }
    rc = put_record(im);
    if (im->st != NULL) {
        store_use_blind(im->st, NULL);
    }
    if (rc != 0) {
        return ctis_err_prefix(im->err, "%s:%ld", im->path, line);
    }
    if (!final && im->n_pending > 0) {
        supersede_pending(im, line);
    }
    im->stats->imported++;
    im->stats->by_type[im->rec.type]++;
    return 0;
}

/* Take a parsed slot: report it, or check references and store it. */
static int take_parsed(struct importer *im, long line, const char *text,
                       size_t len, int parse_rc,
                       const struct model_problems *problems, int final)
{
    if (parse_rc == CTIS_ENOMEM) {
        return ctis_err_set(im->err, CTIS_ENOMEM, "%s:%ld: out of memory",
                            im->path, line);
    }
    /* Only the problems found: the whole list is 11 KB, per record. */
    im->problems.n = problems->n;
    im->problems.dropped = problems->dropped;
    memcpy(im->problems.items, problems->items,
           (size_t)problems->n * sizeof problems->items[0]);
    if (parse_rc != 0) {
        return reject(im, line, text, len);
    }
    return store_record(im, line, text, len, final);
}

static int one_line(struct importer *im, long line, const char *text,
                    size_t len, int final)
{
    struct model_problems problems;
    int rc;

    model_problems_clear(&problems);
    rc = io_jsonl_parse(text, len, &im->rec, &problems);
    return take_parsed(im, line, text, len, rc, &problems, final);
}

/*
 * The JSON Lines pipeline: a parser thread reads and parses lines into a
 * ring of batches while this thread checks references and writes to the
 * store, so parsing and SQLite use both cores. Batches are handed over in
 * order, so records are written and problems reported in file order.
 */
#define BATCH_SLOTS 256
#define N_BATCHES 4

struct slot {
    long line;
    struct ctis_buf text;
    struct io_record rec;
    struct model_problems problems;
    struct store_blind blind; /* of a case's person, in a sealed database */
    int rc;
};

struct batch {
    struct slot slots[BATCH_SLOTS];
    int n;
    int last;        /* no batch follows */
    int read_error;  /* CTIS_EFILE, CTIS_EINVAL (long line) or 0 */
    long error_line;
    uint64_t offset; /* bytes read when the batch was filled */
};

struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct batch *batches;
    int filled[N_BATCHES];
    int stop;
    struct ctis_lines lines;
    long n_lines;
    /* the key of the store's puts, read before the parser starts: the
     * parser makes each case's blind values with it (they depend only on
     * the key and the person), so the BLAKE2b and name keys of a sealed
     * import run beside the writer; NULL in a clear database */
    const struct seal_key *blind_key;
};

static void fill_batch(struct pipeline *p, struct batch *b)
{
    b->n = 0;
    b->last = 0;
    b->read_error = 0;
    while (b->n < BATCH_SLOTS) {
        struct slot *sl = &b->slots[b->n];
        int rc = ctis_lines_next(&p->lines, LINE_MAX_BYTES);

        if (rc <= 0) {
            b->last = 1;
            b->read_error = rc;
            b->error_line = p->lines.lineno;
            break;
        }
        if (p->lines.line.len == 0 ||
            strspn(p->lines.line.data, " \t") == p->lines.line.len) {
            continue;
        }
        sl->line = p->lines.lineno;
        ctis_buf_reset(&sl->text);
        if (ctis_buf_append(&sl->text, p->lines.line.data,
                            p->lines.line.len) != 0) {
            sl->rc = CTIS_ENOMEM;
        } else {
            model_problems_clear(&sl->problems);
            sl->rc = io_jsonl_parse(sl->text.data, sl->text.len, &sl->rec,
                                    &sl->problems);
        }
        sl->blind.key = NULL;
        if (sl->rc == 0 && sl->rec.type == IO_REC_CASE) {
            store_prepare_person(p->blind_key, &sl->rec.u.kase, &sl->blind);
        }
        b->n++;
    }
    b->offset = p->lines.offset;
}

static void *parser_main(void *arg)
{
    struct pipeline *p = arg;
    int i;

    for (i = 0;; i = (i + 1) % N_BATCHES) {
        struct batch *b = &p->batches[i];

        pthread_mutex_lock(&p->mu);
        while (p->filled[i] && !p->stop) {
            pthread_cond_wait(&p->cv, &p->mu);
        }
        if (p->stop) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        pthread_mutex_unlock(&p->mu);
        fill_batch(p, b);
        pthread_mutex_lock(&p->mu);
        p->filled[i] = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        if (b->last) {
            return NULL;
        }
    }
}

static int take_batch(struct importer *im, struct batch *b)
{
    int k;
    int rc = 0;

    for (k = 0; k < b->n && rc == 0; k++) {
        struct slot *sl = &b->slots[k];

        im->stats->lines++;
        if (sl->rc == 0) {
            /* The writer works on the slot's record in place. */
            struct io_record tmp = im->rec;

            im->rec = sl->rec;
            sl->rec = tmp;
        }
        im->blind = sl->rc == 0 ? &sl->blind : NULL;
        rc = take_parsed(im, sl->line, sl->text.data, sl->text.len, sl->rc,
                         &sl->problems, 0);
        im->blind = NULL;
    }
    if (rc == 0 && b->read_error != 0) {
        rc = ctis_err_set(im->err, b->read_error,
                          b->read_error == CTIS_EINVAL
                              ? "%s:%ld: line longer than 4 MiB"
                              : "%s:%ld: read error",
                          im->path, b->error_line);
    }
    return rc;
}

static void pipeline_free(struct pipeline *p)
{
    int i;
    int k;

    for (i = 0; p->batches != NULL && i < N_BATCHES; i++) {
        for (k = 0; k < BATCH_SLOTS; k++) {
            ctis_buf_release(&p->batches[i].slots[k].text);
            io_record_release(&p->batches[i].slots[k].rec);
        }
    }
    ctis_free(p->batches);
    ctis_lines_release(&p->lines);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
}

static int pipeline_init(struct pipeline *p, FILE *f)
{
    int i;
    int k;

    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->batches = ctis_malloc(N_BATCHES * sizeof *p->batches);
    if (p->batches == NULL) {
        ctis_lines_init(&p->lines, f);
        return CTIS_ENOMEM;
    }
    for (i = 0; i < N_BATCHES; i++) {
        for (k = 0; k < BATCH_SLOTS; k++) {
            ctis_buf_init(&p->batches[i].slots[k].text);
            io_record_init(&p->batches[i].slots[k].rec);
        }
    }
    return ctis_lines_init(&p->lines, f);
}

static int import_jsonl(struct importer *im, FILE *f, uint64_t size)
{
    struct pipeline p;
    struct ctis_progress bar;
    pthread_t parser;
    int rc;
    int i;
    size_t k;

    if (pipeline_init(&p, f) != 0) {
        pipeline_free(&p);
        return ctis_err_set(im->err, CTIS_ENOMEM, "out of memory");
    }
    p.blind_key = im->st != NULL ? store_blind_key(im->st) : NULL;
    if (pthread_create(&parser, NULL, parser_main, &p) != 0) {
        pipeline_free(&p);
        return ctis_err_set(im->err, CTIS_EINTERNAL,
                            "cannot start the parser thread");
    }
    ctis_progress_start(&bar, "import", size, im->o->progress);
    for (i = 0, rc = 0;; i = (i + 1) % N_BATCHES) {
        struct batch *b = &p.batches[i];
        int last;

        pthread_mutex_lock(&p.mu);
        while (!p.filled[i]) {
            pthread_cond_wait(&p.cv, &p.mu);
        }
        pthread_mutex_unlock(&p.mu);
        rc = take_batch(im, b);
        last = b->last;
        ctis_progress_update(&bar, b->offset);
        pthread_mutex_lock(&p.mu);
        p.filled[i] = 0;
        if (rc != 0) {
            p.stop = 1;
        }
        pthread_cond_broadcast(&p.cv);
        pthread_mutex_unlock(&p.mu);
        if (rc != 0 || last) {
            break;
        }
    }
    pthread_join(parser, NULL);
    ctis_progress_finish(&bar);
    pipeline_free(&p);
    for (k = 0; rc == 0 && k < im->n_pending; k++) {
        if (!im->pending[k].superseded) {
            rc = one_line(im, im->pending[k].line, im->pending[k].text,
                          im->pending[k].len, 1);
        }
    }
    return rc;
}

/* The row formats: the flat case list, CTDC. */
struct row_format {
    struct io_case_csv *cases;
    struct io_ctdc *ctdc;
    struct io_htcds *htcds;
};

static int row_header(struct importer *im, struct row_format *f, int format,
                      const struct io_csv *r)
{
    if (format == IO_FORMAT_CTDC) {
        return io_ctdc_header(&f->ctdc, r, im->o->agency, im->o->id_prefix,
                              im->err);
    }
    if (format == IO_FORMAT_HTCDS_CSV) {
        return io_htcds_header(&f->htcds, r, im->o->agency,
                               im->o->id_prefix, im->err);
    }
    return io_case_csv_header(&f->cases, r, im->err);
}

static int row_parse(struct row_format *f, const struct io_csv *r,
                     struct model_case *out, struct model_problems *p)
{
    if (f->ctdc != NULL) {
        return io_ctdc_row(f->ctdc, r, out, p);
    }
    if (f->htcds != NULL) {
        return io_htcds_row(f->htcds, r, out, p);
    }
    return io_case_csv_row(f->cases, r, out, p);
}

static int import_csv(struct importer *im, int format)
{
    struct io_csv *r = NULL;
    struct row_format f = {NULL, NULL, NULL};
    int rc = io_csv_open(&r, im->path, im->err);

    if (rc != 0) {
        return rc;
    }
    rc = io_csv_next(r, im->err);
    if (rc == 0) {
        rc = ctis_err_set(im->err, CTIS_EINVAL, "%s:1: no header row",
                          im->path);
    }
    if (rc > 0) {
        rc = row_header(im, &f, format, r);
    }
    while (rc == 0) {
        long line;

        rc = io_csv_next(r, im->err);
        if (rc < 0 && io_csv_recoverable(r)) {
            /* A ragged row is one invalid line, like any other. */
            char head[300];
            const char *m = im->err->msg;
            int n = snprintf(head, sizeof head, "%s:%ld: ", io_csv_name(r),
                             io_csv_line(r));

            if (n > 0 && strncmp(m, head, (size_t)n) == 0) {
                m += n;
            }
            im->stats->lines++;
            model_problems_clear(&im->problems);
            model_problems_add(&im->problems, "", m);
            rc = reject(im, io_csv_line(r), NULL, 0);
            continue;
        }
        if (rc <= 0) {
            break;
        }
        line = io_csv_line(r);

        im->stats->lines++;
        io_record_release(&im->rec);
        im->rec.type = IO_REC_CASE;
        model_case_init(&im->rec.u.kase);
        model_problems_clear(&im->problems);
        rc = row_parse(&f, r, &im->rec.u.kase, &im->problems);
        if (rc == CTIS_ENOMEM) {
            rc = ctis_err_set(im->err, rc, "%s:%ld: out of memory", im->path,
                              line);
        } else if (rc != 0) {
            rc = reject(im, line, NULL, 0);
        } else {
            rc = store_record(im, line, NULL, 0, 1);
        }
    }
    io_case_csv_free(f.cases);
    io_ctdc_free(f.ctdc);
    io_htcds_free(f.htcds);
    io_csv_close(r);
    return rc < 0 ? rc : 0;
}

/* HTCDS JSON Lines: one record a line, read in order on this thread. */
static int import_htcds(struct importer *im, FILE *f)
{
    struct io_htcds *h = NULL;
    struct ctis_lines lines;
    int rc;

    if (io_htcds_open(&h, im->o->agency, im->o->id_prefix) != 0 ||
        ctis_lines_init(&lines, f) != 0) {
        io_htcds_free(h);
        ctis_lines_release(&lines);
        return ctis_err_set(im->err, CTIS_ENOMEM, "out of memory");
    }
    while ((rc = ctis_lines_next(&lines, LINE_MAX_BYTES)) > 0) {
        long line = lines.lineno;

        if (strspn(lines.line.data, " \t\r") == lines.line.len) {
            continue;
        }
        im->stats->lines++;
        io_record_release(&im->rec);
        im->rec.type = IO_REC_CASE;
        model_problems_clear(&im->problems);
        rc = io_htcds_parse(h, lines.line.data, lines.line.len, line,
                            &im->rec.u.kase, &im->problems);
        if (rc == CTIS_ENOMEM) {
            rc = ctis_err_set(im->err, rc, "%s:%ld: out of memory", im->path,
                              line);
        } else if (rc != 0) {
            rc = reject(im, line, NULL, 0);
        } else {
            rc = store_record(im, line, NULL, 0, 1);
        }
        if (rc != 0) {
            break;
        }
    }
    if (rc < 0 && im->err != NULL && im->err->code == 0) {
        rc = ctis_err_set(im->err, rc, "%s:%ld: read error", im->path,
                          lines.lineno);
    }
    ctis_lines_release(&lines);
    io_htcds_free(h);
    return rc < 0 ? rc : 0;
}

static int is_csv(const char *path)
{
    return ctis_ends_with_ci(path, ".csv");
}

/* Import one file; see io.h. */
int io_import(struct store *st, const char *path,
              const struct io_import_opts *opts,
              struct io_import_stats *stats, struct ctis_err *err)
{
    struct importer im;
    FILE *f = NULL;
    struct stat sb;
    size_t i;
    int rc;
    int format = opts->format;

    memset(&im, 0, sizeof im);
    im.st = st;
    im.path = path;
    im.o = opts;
    im.stats = stats;
    im.err = err;
    io_record_init(&im.rec);
    if (format == IO_FORMAT_AUTO) {
        format = is_csv(path) ? IO_FORMAT_CSV : IO_FORMAT_JSONL;
    }
    if (format == IO_FORMAT_CSV || format == IO_FORMAT_CTDC ||
        format == IO_FORMAT_HTCDS_CSV) {
        rc = import_csv(&im, format);
    } else {
        rc = ctis_open_input(path, &f, err);
        if (rc != 0) {
            return rc;
        }
        rc = format == IO_FORMAT_HTCDS
                 ? import_htcds(&im, f)
                 : import_jsonl(&im, f, fstat(fileno(f), &sb) == 0 &&
                                                S_ISREG(sb.st_mode)
                                            ? (uint64_t)sb.st_size
                                            : 0);
        if (f != stdin) {
            fclose(f);
        }
    }
    io_record_release(&im.rec);
    for (i = 0; i < im.n_pending; i++) {
        ctis_free(im.pending[i].text);
    }
    ctis_free(im.pending);
    if (rc == 0 && stats->rejected > 0 && opts->rejects == NULL) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%ld invalid line(s) in '%s'; nothing imported",
                            stats->rejected, path);
    }
    return rc;
}
