/*
 * cmd_person.c - 'ctis person erase CASE_ID --reason TEXT' (admin): the
 * person's identity removed from every stored version, their blind
 * indexes and links, the case facts kept, who and why logged
 * (ops_person_erase, which notes it in the audit trail).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* The case id and --reason; the caller (ops/) must be an admin. */
int cmd_person(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"reason", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0}};
    const char *reason = NULL;
    int c;
    int rc;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c != 'r') {
            return cli_bad_option(ctx, argv[optind - 1]);
        }
        reason = optarg;
    }
    if (optind + 1 != argc || reason == NULL || reason[0] == '\0') {
        return cli_usage_error(ctx, "expected one CASE_ID and --reason TEXT");
    }
    rc = ops_person_erase(&ctx->ops, argv[optind], reason, &ctx->err);
    if (rc != 0) {
        return cli_fail(ctx, rc);
    }
    fprintf(ctx->out, "erased the identity of case %s\n", argv[optind]);
    return CLI_EXIT_OK;
}
