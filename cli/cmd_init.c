/*
 * cmd_init.c - 'ctis init': the dispatcher opens (creating and migrating)
 * the database; this only reports it.
 */
#include "cli.h"

/* Report the schema version of the database just opened. */
int cmd_init(struct cli_ctx *ctx, int argc, char **argv)
{
    char shown[512];

    (void)argv;
    if (argc > 1) {
        return cli_usage_error(ctx, "'init' takes no arguments");
    }
    cli_redact_url(ctx->db_url, shown, sizeof shown);
    fprintf(stderr, "ctis: database '%s' ready (%s, schema version %d)\n",
            shown, store_backend(ctx->store),
            store_schema_version(ctx->store));
    return CLI_EXIT_OK;
}
