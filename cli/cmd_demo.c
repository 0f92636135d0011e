/*
 * cmd_demo.c - 'ctis demo [--seed N]': fill the database with the
 * deterministic synthetic data set of io_demo_generate, consistent with
 * every figure of the UNIAP Cambodia datasheet. The dispatcher has opened
 * the store and begun one transaction; it commits when this returns 0, so
 * a failure leaves the database as it was.
 */
#include <string.h>

#include "cli.h"
#include "io/io.h"

struct demo_ctx {
    struct store *st;
    struct ctis_err *err;
    long agencies;
    long cases;
    long criminal_cases;
    long activities;
    long instruments;
};

static int put_agency(void *p, const struct model_agency *a)
{
    struct demo_ctx *d = p;

    d->agencies++;
    return store_put_agency(d->st, a, d->err);
}

static int put_case(void *p, const struct model_case *c)
{
    struct demo_ctx *d = p;

    d->cases++;
    return store_put_case(d->st, c, d->err);
}

static int put_criminal_case(void *p, const struct model_criminal_case *cc)
{
    struct demo_ctx *d = p;

    d->criminal_cases++;
    return store_put_criminal_case(d->st, cc, d->err);
}

static int put_activity(void *p, const struct model_activity *a)
{
    struct demo_ctx *d = p;

    d->activities++;
    return store_put_activity(d->st, a, d->err);
}

static int put_instrument(void *p, const struct model_instrument *in)
{
    struct demo_ctx *d = p;

    d->instruments++;
    return store_put_instrument(d->st, in, d->err);
}

/* Parse --seed, generate, write each record through the store and print
 * the counts on stderr. */
int cmd_demo(struct cli_ctx *ctx, int argc, char **argv)
{
    struct demo_ctx d;
    struct io_demo_sink sink;
    long seed = 1;
    int i;
    int rc;

    for (i = 1; i < argc; i++) {
        const char *v = NULL;

        if (strcmp(argv[i], "--seed") == 0) {
            if (i + 1 >= argc) {
                return cli_usage_error(ctx, "option '--seed' needs a value");
            }
            v = argv[++i];
        } else if (strncmp(argv[i], "--seed=", 7) == 0) {
            v = argv[i] + 7;
        } else {
            return cli_usage_error(ctx, "unknown argument '%s'", argv[i]);
        }
        if (ctis_parse_long(v, 0, 2147483647L, &seed) != 0) {
            return cli_usage_error(ctx,
                                   "option '--seed' must be a whole number "
                                   "from 0 to 2147483647");
        }
    }
    memset(&d, 0, sizeof d);
    d.st = ctx->store;
    d.err = &ctx->err;
    sink.ctx = &d;
    sink.agency = put_agency;
    sink.kase = put_case;
    sink.criminal_case = put_criminal_case;
    sink.activity = put_activity;
    sink.instrument = put_instrument;
    rc = io_demo_generate((uint64_t)seed, &sink, &ctx->err);
    if (rc != 0) {
        if (rc > 0) {
            rc = CTIS_EINTERNAL;
        }
        return cli_fail(ctx, rc);
    }
    fprintf(stderr,
            "demo (seed %ld): %ld agencies, %ld cases, %ld criminal cases, "
            "%ld activities, %ld instruments\n",
            seed, d.agencies, d.cases, d.criminal_cases, d.activities,
            d.instruments);
    return CLI_EXIT_OK;
}
