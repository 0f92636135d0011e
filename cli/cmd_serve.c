/*
 * cmd_serve.c - 'ctis serve': the HTTP API server (http/http.h) on the
 * database of --db until SIGTERM or SIGINT.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "http/http.h"

int cmd_serve(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"listen", required_argument, NULL, 'l'},
        {"tls-cert", required_argument, NULL, 'c'},
        {"tls-key", required_argument, NULL, 'k'},
        {"web", required_argument, NULL, 'w'},
        {"threads", required_argument, NULL, 't'},
        {"session-ttl", required_argument, NULL, 's'},
        {"port-file", required_argument, NULL, 'p'},
        {NULL, 0, NULL, 0}};
    struct http_config cfg;
    long n;
    int c;
    int rc;

    memset(&cfg, 0, sizeof cfg);
    cfg.db_url = ctx->db_url;
    cfg.listen = "127.0.0.1:8080";
    cfg.web_dir = "web";
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'l':
            cfg.listen = optarg;
            break;
        case 'c':
            cfg.tls_cert = optarg;
            break;
        case 'k':
            cfg.tls_key = optarg;
            break;
        case 'w':
            cfg.web_dir = optarg;
            break;
        case 't':
            if (ctis_parse_long(optarg, 1, 256, &n) != 0) {
                return cli_usage_error(ctx, "--threads must be 1 to 256");
            }
            cfg.threads = (unsigned)n;
            break;
        case 's':
            if (ctis_parse_long(optarg, 1, 30L * 24 * 3600, &n) != 0) {
                return cli_usage_error(ctx, "--session-ttl must be 1 to "
                                            "2592000 seconds");
            }
            cfg.session_ttl = n;
            break;
        case 'p':
            cfg.port_file = optarg;
            break;
        default:
            return cli_bad_option(ctx, argv[optind - 1]);
        }
    }
    if (optind < argc) {
        return cli_extra_argument(ctx, optind);
    }
    if (ctx->key_file != NULL || ctx->pass_fd >= 0) {
        /* unlocks every handle of the pool (a sealed database) */
        rc = cli_kek(ctx, &cfg.kek);
        if (rc != 0) {
            return cli_fail(ctx, rc);
        }
    }
    rc = http_serve(&cfg, &ctx->err);
    return rc != 0 ? cli_fail(ctx, rc) : CLI_EXIT_OK;
}
