/*
 * cmd_case.c - 'ctis case' (placeholder until the command is built).
 */
#include "cli.h"

/* Not built yet: says so and fails. */
int cmd_case(struct cli_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    ctis_err_set(&ctx->err, CTIS_EUNSUPPORTED, "'case' is not built yet");
    return cli_fail(ctx, CTIS_EUNSUPPORTED);
}
