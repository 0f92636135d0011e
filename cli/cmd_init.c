/*
 * cmd_init.c - 'ctis init' (placeholder until the command is built).
 */
#include "cli.h"

/* Not built yet: says so and fails. */
int cmd_init(struct cli_ctx *ctx, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    ctis_err_set(&ctx->err, CTIS_EUNSUPPORTED, "'init' is not built yet");
    return cli_fail(ctx, CTIS_EUNSUPPORTED);
}
