/*
 * cli.c - the command table and the dispatcher. The dispatcher finds the
 * command, prints --help from the table, opens the store for commands that
 * need it, wraps writers in one transaction (committed only when the
 * handler succeeds), and maps errors to the documented exit codes.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "io/io.h"

static const struct cli_command commands[] = {
    {"init", cmd_init, CLI_STORE | CLI_WRITES | CLI_CREATE,
     "init",
     "Create an empty database (or bring an existing one up to the current\n"
     "schema) at --db."},
    {"import", cmd_import, CLI_STORE | CLI_WRITES | CLI_CREATE | CLI_KEY,
     "import [--format jsonl|csv|ctdc|htcds|htcds-csv] [--agency ID] "
     "[--id-prefix P] [--skip-invalid REJECTS] FILE...",
     "Import records from JSON Lines (one object per line, \"type\" first),\n"
     "a flat CSV case list (docs/formats.md; UTF-8 with or without BOM,\n"
     "CRLF, as Excel saves it), CTDC columns or HTCDS 2.0 (docs/htcds.md).\n"
     "All or nothing: any invalid line writes nothing and exits 3, each\n"
     "problem reported as FILE:LINE: field 'PATH': reason. Re-importing an\n"
     "id updates it (a new version; the old one stays in the history);\n"
     "within a file the last copy of an id wins.\n"
     "  --format F            jsonl, csv, ctdc, htcds or htcds-csv (default:\n"
     "                        from the file name)\n"
     "  --agency ID           owner of imported CTDC cases (required for\n"
     "                        ctdc) and of HTCDS records naming none\n"
     "  --id-prefix P         ids of CTDC/HTCDS rows without one: P then the\n"
     "                        line number (default ctdc- or htcds-)\n"
     "  --skip-invalid FILE   import the valid lines; write the rejected\n"
     "                        lines with their reasons to FILE\n"
     "  --progress / --no-progress   force the progress bar on or off"},
    {"export", cmd_export, CLI_STORE | CLI_READS,
     "export [--format jsonl|csv|ctdc|htcds|htcds-csv|xlsx] [--output FILE] "
     "[--public [--k N]]",
     "Write every record as JSON Lines (re-importable), cases as CSV, the\n"
     "CTDC public dataset's columns, HTCDS 2.0 (JSON Lines or CSV) or an\n"
     "XLSX workbook (one sheet per record type; needs --output).\n"
     "  --format F     jsonl (default), csv, ctdc, htcds, htcds-csv or xlsx\n"
     "  --output FILE  write to FILE (atomically) instead of stdout\n"
     "  --public       for leaving the agency: one row per case with no id,\n"
     "                 name, contact or exact date, k-anonymous over year,\n"
     "                 sex, age, citizenship, country of exploitation and\n"
     "                 home province (age bands widen and provinces become\n"
     "                 zones before values are suppressed); prints what was\n"
     "                 generalised and suppressed (jsonl, csv, ctdc)\n"
     "  --k N          the k of --public (default 11, as CTDC)"},
    {"case list", cmd_case_list, CLI_STORE | CLI_READS,
     "case list [--agency ID] [--status S] [--limit N]",
     "List cases in id order: id, agency, status, stage, identification\n"
     "date. Case workers and viewers see their agency's cases.\n"
     "  --agency ID   only this agency's cases\n"
     "  --status S    open, follow_up, closed or closed_referred\n"
     "  --limit N     at most N cases"},
    {"case show", cmd_case_show, CLI_STORE | CLI_READS | CLI_KEY,
     "case show ID [--version N]",
     "The case as a JSON line after its version and stage.\n"
     "  --version N   an earlier version from the history"},
    {"case history", cmd_case_history, CLI_STORE | CLI_READS | CLI_KEY,
     "case history ID",
     "Every version of the case, oldest first: number, time (UTC), user,\n"
     "operation, note and the fields it changed (field paths)."},
    {"case find", cmd_case_find, CLI_STORE | CLI_READS | CLI_KEY,
     "case find NAME [--born YEAR] [--province P] [--limit N]",
     "Find existing persons by name, in Latin or Khmer script, in any\n"
     "order of the name parts and tolerant of romanisation variants;\n"
     "prints case id, agency and match weight, best first (never names).\n"
     "  --born YEAR     birth year (adds weight when equal)\n"
     "  --province P    home province, e.g. KH-12\n"
     "  --limit N       at most N hits (default 10)"},
    {"case add", cmd_case_add, CLI_STORE | CLI_WRITES | CLI_KEY,
     "case add [--replace --if-version N] FILE|-",
     "Register the cases of a JSON Lines file. An id that exists is\n"
     "refused (exit 6, with its version) and nothing is written, unless\n"
     "--replace names the version it replaces. Warns when the person is\n"
     "a likely duplicate of another case's (case id and weight).\n"
     "  --replace        replace an existing case wholly (a new version)\n"
     "  --if-version N   the version replaced; required with --replace"},
    {"case update", cmd_case_update, CLI_STORE | CLI_WRITES | CLI_KEY,
     "case update ID PATCH|- [--if-version N]",
     "Apply a JSON merge patch (RFC 7386) to the current version, e.g.\n"
     "'{\"movement\":\"internal\",\"person\":{\"home_district\":null}}'.\n"
     "id, type and events cannot be patched. Prints the new version.\n"
     "  --if-version N   refuse (exit 6) unless the case is at version N"},
    {"case event", cmd_case_event, CLI_STORE | CLI_WRITES | CLI_KEY,
     "case event ID TYPE DATE [key=value...]",
     "Append an event; prints its id. Keys: from_country, to_country,\n"
     "official (repatriation), service, to (referral), supersedes=EID (a\n"
     "correction of event EID, which then no longer counts). closure\n"
     "closes the case, re_trafficked reopens it."},
    {"case transfer", cmd_case_transfer, CLI_STORE | CLI_WRITES,
     "case transfer ID --to AGENCY --consent given|refused|not_required "
     "[--if-version N]",
     "Move the case to another agency, recording who, when and the\n"
     "person's consent in its history. A refused consent moves nothing."},
    {"case refer", cmd_case_refer, CLI_STORE | CLI_WRITES,
     "case refer ID --to AGENCY --service TYPE",
     "Refer the person to an agency for a service (medical, legal,\n"
     "psychosocial, education, vocational, shelter): a pending referral\n"
     "(its id is printed) and a referral event. The receiving agency\n"
     "accepts or declines it."},
    {"referral list", cmd_referral_list, CLI_STORE | CLI_READS,
     "referral list [--case ID] [--pending]",
     "Referrals to or from the caller's agency (all for an admin)."},
    {"referral accept", cmd_referral_decide, CLI_STORE | CLI_WRITES,
     "referral accept REF",
     "Accept a pending referral to the caller's agency."},
    {"referral decline", cmd_referral_decide, CLI_STORE | CLI_WRITES,
     "referral decline REF",
     "Decline a pending referral to the caller's agency."},
    {"user add", cmd_user_add, CLI_STORE | CLI_WRITES,
     "user add --username U --role R [--agency A] [--password-file F]",
     "Add a user (admin). Roles: admin, case_worker, police, analyst,\n"
     "viewer; case workers, police and viewers need an agency. The\n"
     "password (first line of F, at least 8 characters) is kept as an\n"
     "argon2id hash; without one the user acts only through --as."},
    {"user list", cmd_user_list, CLI_STORE | CLI_READS, "user list",
     "Users: name, role, agency, enabled or disabled (admin)."},
    {"user disable", cmd_user_disable, CLI_STORE | CLI_WRITES,
     "user disable USERNAME",
     "Disable a user: it can no longer act or log in (admin)."},
    {"user passwd", cmd_user_passwd, CLI_STORE | CLI_WRITES,
     "user passwd USERNAME --password-file F",
     "Set a user's password (admin, or the user itself)."},
    {"report", cmd_report, CLI_STORE | CLI_READS,
     "report [--from YEAR] [--to YEAR] [--format json|md|html|pdf|svg|xlsx] "
     "[--lang en|km] [--chart NAME] [--k N | --public] [--output FILE]",
     "The country datasheet computed from the records now, in the sections\n"
     "of the UNIAP Cambodia datasheet (docs/datasheet.md).\n"
     "  --from, --to  years 1900-2100, inclusive (default: all years)\n"
     "  --format F    json (default), md, html (one self-contained page),\n"
     "                pdf (A4, tables and charts), svg (the charts, each\n"
     "                alone: FILE-NAME.svg for each with --output, or the\n"
     "                --chart one) or xlsx (a sheet per table; needs\n"
     "                --output)\n"
     "  --lang L      en (default) or km: the PDF, SVG and XLSX in Khmer\n"
     "  --chart NAME  repatriations, cases_by_year or sex_age (svg)\n"
     "  --k N         disclosure control: suppress every count from 1 to N-1\n"
     "                and any count that would give one away through the\n"
     "                shown totals (default 0: the internal report, exact\n"
     "                figures, not for publication)\n"
     "  --public      k of at least 11 (CTDC's rule), with secondary\n"
     "                suppression so that no hidden count can be solved\n"
     "                from the totals\n"
     "  --output FILE write to FILE (atomically) instead of stdout"},
    {"demo", cmd_demo, CLI_STORE | CLI_WRITES | CLI_CREATE | CLI_KEY,
     "demo [--seed N]",
     "Fill the database with deterministic synthetic records consistent\n"
     "with every figure of the UNIAP Cambodia datasheet (2005-2008):\n"
     "official repatriations, rescues and referrals, criminal cases,\n"
     "agencies, activities and policy instruments. Names are synthetic.\n"
     "The same seed gives the same records; every seed gives the same\n"
     "datasheet figures. Prints a one-line summary on stderr.\n"
     "  --seed N      0 to 2147483647 (default 1)"},
    {"link", cmd_link, 0,
     "link --input FILE... --output FILE [options] | link encode | link explain",
     "Link records of several agencies' lists into persons (docs/linkage.md).\n"
     "Columns: list, record_id (required), given_name, family_name,\n"
     "full_name, given_name_km, family_name_km, sex, birth_date (YYYY-MM-DD,\n"
     "YYYY-MM or YYYY), birth_year, age with age_at, home_province, place,\n"
     "phone, email. Inputs ending in .clk are encoded lists. Outputs are\n"
     "written whole or not at all; bad input exits 3 with\n"
     "FILE:LINE: field 'NAME': reason.\n"
     "  --input FILE        a list (repeat); the list is the file's base\n"
     "                      name unless a 'list' column says otherwise\n"
     "  --output FILE       list,record_id,cluster_id,match_weight\n"
     "  --overlap FILE      capture histories for 'ctis estimate'\n"
     "  --overlap-lists N   at most N overlap columns (default 11, what\n"
     "                      estimate takes): the N-1 largest lists and\n"
     "                      one 'pooled' of the others; 0: one per list\n"
     "  --review FILE       pairs in the uncertain band, to decide\n"
     "  --decisions FILE    the review file with 'decision' filled in\n"
     "                      (match or non_match)\n"
     "  --map std=col,...   read a standard field from another column\n"
     "  --from-db           link the persons of the store, one list per\n"
     "                      agency\n"
     "  --save              with --from-db: keep the persons found in the\n"
     "                      store (replacing an earlier run's); 'ctis\n"
     "                      report' then estimates the hidden total\n"
     "  --accept P          match probability to accept (default 0.2)\n"
     "  --review-low P, --review-high P   the review band (0.1, 0.9)\n"
     "  --strong BITS       extra weight to join two records of one list\n"
     "                      (default 5)\n"
     "  --block-cap N       largest block compared whole (default 200);\n"
     "                      larger ones are compared by windows\n"
     "  --block-window N    records compared with each one in a larger\n"
     "                      block, in birth order (default 4)\n"
     "  --truth-column COL  print pairwise precision and recall against\n"
     "                      the true person in column COL\n"
     "  --threads N         1 or 2 (default 2)\n"
     "  --progress / --no-progress\n"
     "  link encode --secret-file KEY --input FILE --output FILE.clk\n"
     "                      keyed Bloom-filter encoding, run by each agency\n"
     "  link explain LIST:ID LIST:ID --input FILE...\n"
     "                      each field's level and weight for one pair"},
    {"estimate", cmd_estimate, 0,
     "estimate --input OVERLAP.csv [options]",
     "Estimate the hidden total by multiple systems estimation (docs/mse.md):\n"
     "Poisson log-linear models with two-list interactions, each checked for\n"
     "existence first. Input: one 0/1 column per list and 'count' (as\n"
     "'ctis link --overlap' writes); missing patterns count 0.\n"
     "  --method M      stepwise (default), aic, bic, main or all\n"
     "  --model TERMS   fit this model, e.g. A:B,B:C ('main' for none)\n"
     "  --criterion C   stepwise ranks terms by poisson (default: SparseMSE's\n"
     "                  p-value of the pair's overlap) or lr (likelihood\n"
     "                  ratio)\n"
     "  --pthresh P     stepwise p-value threshold in [0, 1] (default 0.02)\n"
     "  --compare       main effects, stepwise, AIC and BIC side by side\n"
     "  --ci C          normal (default), profile, bootstrap or bca\n"
     "  --nboot N       bootstrap replicates (default 1000)\n"
     "  --seed N        bootstrap seed (default 1)\n"
     "  --level L       interval level (default 0.95)\n"
     "  --strata COL    estimate per value of column COL, and their sum\n"
     "  --format F      text (default) or json\n"
     "Every estimate prints its model, interval, existence check, next-best\n"
     "model and warnings (few or small lists, unstable estimate).\n"
     "Exit 1 when the estimate does not exist (printed as null), 3 on\n"
     "invalid input (FILE:LINE: field 'NAME': reason)."},
    {"migrate", cmd_migrate, 0,
     "migrate --from DB --to DB [--force]",
     "Copy a whole database to another, between a SQLite file and a\n"
     "postgresql:// URL either way (docs/deploy.md), in one transaction on\n"
     "the target, then verify it: record counts and a checksum per kind\n"
     "(agencies, cases, criminal cases, activities, instruments) and the\n"
     "event and offender counts must agree; exit 5 when they do not.\n"
     "  --from DB   the source, opened read-only\n"
     "  --to DB     the target, created if absent\n"
     "  --force     write over a target that already holds records (records\n"
     "              of the same id are replaced, the others kept)"},
    {"serve", cmd_serve, 0,
     "serve [--listen HOST:PORT] [--tls-cert FILE --tls-key FILE] [options]",
     "Serve the JSON API (docs/api.md, /api/openapi.json) and the browser's\n"
     "files of --web at /, until SIGTERM or SIGINT, which let the requests\n"
     "in flight finish. One log line per request on stderr: time, method,\n"
     "route pattern, status, milliseconds, user (never a path, a query or\n"
     "a body). Requests need a session (POST /api/session). A sealed\n"
     "database is unlocked once at start by the global --key-file,\n"
     "CTIS_KEY_FILE or --passphrase-fd (without one, identities answer 503\n"
     "key_unavailable); the answers kept for idempotency keys are sealed.\n"
     "  --listen HOST:PORT   IPv4 address and port (default 127.0.0.1:8080;\n"
     "                       port 0 picks a free one)\n"
     "  --tls-cert FILE      PEM certificate: serve HTTPS (with --tls-key)\n"
     "  --tls-key FILE       PEM private key\n"
     "  --web DIR            the browser's files (default: web)\n"
     "  --threads N          worker threads (default: one per core)\n"
     "  --session-ttl SECS   how long a session lasts (default 28800)\n"
     "  --port-file FILE     write the port there once listening"},
    {"audit verify", cmd_audit_verify, CLI_STORE | CLI_READS, "audit verify",
     "Walk the audit trail's hash chain (admin); exit 5 naming the first\n"
     "entry that was altered, deleted or moved."},
    {"audit list", cmd_audit_list, CLI_STORE | CLI_READS,
     "audit list [--after N] [--limit N] [--user U] [--record ID]",
     "The audit trail as JSON Lines, oldest first (admin): who, role,\n"
     "agency, when, what, which record, from where; never a value.\n"
     "  --after N      entries after number N\n"
     "  --limit N      at most N entries\n"
     "  --user U, --record ID   only those of a user or a record"},
    {"key", cmd_key, CLI_STORE | CLI_OWN_TXN | CLI_CREATE,
     "key init|add|remove|list|rotate|reindex ...",
     "Manage the keys of a sealed database (docs/security.md; admin). A\n"
     "random data key seals identities; it is stored only wrapped by\n"
     "key-encryption keys: key files and passphrases (argon2id). The key\n"
     "that unlocks is --key-file FILE, $CTIS_KEY_FILE, --passphrase-fd N or\n"
     "the terminal.\n"
     "  key init          make the data key, wrapped by --key-file FILE\n"
     "                    (created, mode 0600, if absent) or a passphrase,\n"
     "                    and seal every identity still in clear\n"
     "  key add [--new-key-file FILE | --new-passphrase-fd N]\n"
     "                    one more key that opens the database\n"
     "  key remove KEY_ID one key less (never the last)\n"
     "  key list          KEY_ID, kind, data key id, generation\n"
     "  key rotate [--batch N]\n"
     "                    a new data key; every identity re-sealed in\n"
     "                    batches of N (default 1000), resumable after a\n"
     "                    crash; afterwards only the unlocking key opens\n"
     "                    the database: add the others again\n"
     "  key reindex [--batch N]\n"
     "                    the search index of identities indexed by an\n"
     "                    older name rule (an upgrade changed how names\n"
     "                    are read) made anew in resumable batches; until\n"
     "                    then 'case find' refuses (a writing command or\n"
     "                    'serve' with the key does it by itself)\n"
     "  --stop-after N    (tests) stop after N committed batches"},
    {"backup", cmd_backup, 0,
     "backup --output FILE | backup --verify FILE",
     "An encrypted backup of a sealed database (admin): a consistent\n"
     "snapshot (others may write meanwhile; pg_dump for a postgresql://\n"
     "URL) sealed whole with the data key as it streams, with a header\n"
     "naming the format version and the key (docs/security.md). Needs the\n"
     "key.\n"
     "  --output FILE   write the backup (atomically, mode 0600)\n"
     "  --verify FILE   open every chunk of a backup, write nothing"},
    {"restore", cmd_restore, 0, "restore FILE --db NEW",
     "Restore a backup into a new database NEW (which must not exist;\n"
     "admin): a SQLite file, or a postgresql:// database created and\n"
     "filled by pg_restore. Every chunk is checked before anything is\n"
     "written; a truncated, altered or foreign backup writes nothing and\n"
     "exits 5 (8 for a wrong key)."},
    {"person erase", cmd_person, CLI_STORE | CLI_WRITES | CLI_KEY,
     "person erase CASE_ID --reason TEXT",
     "Erase a person's identity (admin): every identifying field of every\n"
     "stored version, their blind indexes and record links. The case\n"
     "facts stay, so the datasheet is unchanged; who erased and why is\n"
     "logged. Needs the key (each version is opened to take it out).\n"
     "  --reason TEXT   why (logged; never put a name in it)"},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const struct {
    int code;
    int exit;
} exit_map[] = {
    {CTIS_OK, CLI_EXIT_OK},
    {CTIS_EINVAL, CLI_EXIT_INVALID},
    {CTIS_ENOMEM, CLI_EXIT_FAILURE},
    {CTIS_EIO, CLI_EXIT_STORE},
    {CTIS_ENOTFOUND, CLI_EXIT_NOTFOUND},
    {CTIS_EEXIST, CLI_EXIT_FAILURE},
    {CTIS_ECONFLICT, CLI_EXIT_CONFLICT},
    {CTIS_EBUSY, CLI_EXIT_CONFLICT},
    {CTIS_ECORRUPT, CLI_EXIT_STORE},
    {CTIS_EUNSUPPORTED, CLI_EXIT_FAILURE},
    {CTIS_ECONN, CLI_EXIT_STORE},
    {CTIS_EINTERNAL, CLI_EXIT_INTERNAL},
    {CTIS_ENUMERIC, CLI_EXIT_FAILURE},
    {CTIS_EPERM, CLI_EXIT_PERM},
    {CTIS_EARG, CLI_EXIT_USAGE},
    {CTIS_EFILE, CLI_EXIT_FAILURE},
    {CTIS_EKEY, CLI_EXIT_KEY},
};

/* The one table from error codes to exit codes. */
int cli_exit_code(int ctis_code)
{
    size_t i;

    for (i = 0; i < sizeof exit_map / sizeof exit_map[0]; i++) {
        if (exit_map[i].code == ctis_code) {
            return exit_map[i].exit;
        }
    }
    return CLI_EXIT_FAILURE;
}

/* The URL without a password ("user:secret@host" becomes "user@host"; a
 * query naming a password is dropped), for messages. */
void cli_redact_url(const char *url, char *out, size_t n)
{
    const char *a = strstr(url, "://");
    const char *end;
    const char *at = NULL;
    const char *colon = NULL;
    const char *q;

    ctis_strlcpy(out, url, n);
    if (a == NULL) {
        return;
    }
    a += 3;
    end = a + strcspn(a, "/?");
    for (q = a; q < end; q++) {
        if (*q == '@') {
            at = q;
        }
    }
    for (q = a; at != NULL && q < at; q++) {
        if (*q == ':') {
            colon = q;
            break;
        }
    }
    if (colon != NULL && (size_t)(colon - url) < n) {
        out[colon - url] = '\0';
        snprintf(out + (colon - url), n - (size_t)(colon - url), "%s", at);
    }
    if (strstr(out, "password") != NULL) {
        out[strcspn(out, "?")] = '\0';
    }
}

/* The checks of base's ctis_output_check, with the database (and its
 * -wal and -shm files) counted among the inputs. */
int cli_output_check(struct cli_ctx *ctx, const char *path,
                     const char *const *inputs, size_t n_inputs)
{
    static const char *const side[] = {"", "-wal", "-shm", "-journal"};
    int rc = ctis_output_check(path, inputs, n_inputs, &ctx->err);
    size_t i;

    /* the database or one of its side files, by name: a file written
     * under such a name, even where none is now, is taken for the
     * database's */
    for (i = 0; rc == 0 && ctx->db_url != NULL &&
                strstr(ctx->db_url, "://") == NULL && strcmp(path, "-") != 0 &&
                i < sizeof side / sizeof side[0];
         i++) {
        char name[CTIS_PATH_MAX + 16];

        snprintf(name, sizeof name, "%s%s", ctx->db_url, side[i]);
        if (ctis_same_name(path, name)) {
            rc = ctis_err_set(&ctx->err, CTIS_EARG,
                              "output '%s' is the database%s%s; it would be "
                              "overwritten",
                              path, i > 0 ? "'s " : "", side[i] + (i > 0));
        }
    }
    /* nor over the key file (--key-file or CTIS_KEY_FILE): it may hold the
     * database's only key (backup --output KEYFILE replaced it) */
    if (rc == 0 && ctx->key_file != NULL && strcmp(path, "-") != 0 &&
        (ctis_same_name(path, ctx->key_file) ||
         ctis_same_file(path, ctx->key_file))) {
        rc = ctis_err_set(&ctx->err, CTIS_EARG,
                          "output '%s' is the key file; it would be "
                          "overwritten and the key lost",
                          path);
    }
    return rc;
}

/* Report the context's error on stderr. */
int cli_fail(struct cli_ctx *ctx, int code)
{
    const char *msg = ctx->err.msg[0] != '\0' ? ctx->err.msg
                                              : ctis_strerror(code);

    fprintf(stderr, "ctis: %s\n", msg);
    return cli_exit_code(code);
}

/* A usage error names the command and points at --help. */
int cli_usage_error(struct cli_ctx *ctx, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "ctis %s: ", ctx->cmd != NULL ? ctx->cmd->name : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: ctis %s\n(see 'ctis %s --help')\n",
            ctx->cmd != NULL ? ctx->cmd->usage : "COMMAND",
            ctx->cmd != NULL ? ctx->cmd->name : "");
    return CLI_EXIT_USAGE;
}

/* See cli.h. */
int cli_bad_option(struct cli_ctx *ctx, const char *arg)
{
    size_t n;

    if (arg == NULL || arg[0] != '-') {
        return cli_usage_error(ctx, "an option is unknown or incomplete");
    }
    n = arg[1] == '-' ? strcspn(arg, "=") : 2;
    if (n > 40) {
        return cli_usage_error(ctx, "an option is unknown or incomplete");
    }
    return cli_usage_error(ctx, "unknown or incomplete option '%.*s'", (int)n,
                           arg);
}

/* See cli.h. */
int cli_extra_argument(struct cli_ctx *ctx, int index)
{
    return cli_usage_error(ctx,
                           "unexpected argument (word %d after the command, "
                           "not repeated here); a value with spaces needs "
                           "quotes",
                           index);
}

/* -h or --help anywhere before "--". */
int cli_wants_help(int argc, char **argv)
{
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            break;
        }
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            return 1;
        }
    }
    return 0;
}

/* Usage line then help text. */
void cli_print_help(const struct cli_command *cmd)
{
    printf("usage: ctis [--db URL] [--as USER] %s\n\n%s\n\nGlobal options:\n"
           "  --db URL   database file or postgresql:// URL (default: "
           "$CTIS_DB or ctis.db)\n"
           "  --as USER  act as this user (its role and agency); default: "
           "the local\n             administrator\n"
           "  --key-file FILE   the key file that unlocks a sealed database\n"
           "                    (default: $CTIS_KEY_FILE)\n"
           "  --passphrase-fd N read the passphrase from descriptor N\n"
           "                    instead of the terminal\n",
           cmd->usage, cmd->help);
}

static void print_overview(FILE *f)
{
    size_t i;

    fprintf(f, "usage: ctis [--db URL] [--as USER] COMMAND [ARGS]\n\n"
               "ctis, a counter-trafficking information system.\n\n"
               "Commands:\n");
    for (i = 0; i < N_COMMANDS; i++) {
        fprintf(f, "  %-16s %s\n", commands[i].name, commands[i].usage);
    }
    fprintf(f, "\n'ctis COMMAND --help' tells more. --db URL (or $CTIS_DB) "
               "names the database;\nthe default is ctis.db.\n");
}

/* Take --NAME VALUE / --NAME=VALUE out of argv wherever it stands.
 * Returns the new argc, or -1 if it has no value. */
static int take_option(int argc, char **argv, const char *name,
                       const char **url)
{
    size_t n = strlen(name);
    int i;
    int j = 0;

    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            while (i < argc) {
                argv[j++] = argv[i++];
            }
            break;
        }
        if (strcmp(argv[i], name) == 0) {
            if (i + 1 >= argc) {
                return -1;
            }
            *url = argv[++i];
            continue;
        }
        if (strncmp(argv[i], name, n) == 0 && argv[i][n] == '=') {
            *url = argv[i] + n + 1;
            continue;
        }
        argv[j++] = argv[i];
    }
    argv[j] = NULL;
    return j;
}

/* The caller: --as USER from the store, else the local administrator.
 * A command without a store opens one read-only to look the user up. */
static int resolve_caller(struct cli_ctx *ctx, struct ops_caller *who)
{
    struct store *st = ctx->store;
    int rc;

    if (ctx->as == NULL) {
        ops_caller_local_admin(who);
        return 0;
    }
    if (st == NULL) {
        rc = store_open(&st, ctx->db_url, STORE_OPEN_READONLY, &ctx->err);
        if (rc != 0) {
            return rc;
        }
    }
    rc = ops_caller_of_user(st, ctx->as, who, &ctx->err);
    if (st != ctx->store) {
        store_close(st);
    }
    return rc;
}

/* The actor of the CLI's writes is the OS account that runs it (the
 * database file is its own, 0600): --as USER chooses whose rules apply
 * and is recorded beside it, as the audit trail's address "cli as USER"
 * (docs/security.md, "Who acted"). */
void cli_actor(struct cli_ctx *ctx, struct ops *o)
{
    ops_os_user(ctx->os_user, sizeof ctx->os_user);
    o->actor = ctx->os_user;
    if (ctx->as != NULL) {
        snprintf(ctx->via, sizeof ctx->via, "cli as %s", o->who.user);
        o->address = ctx->via;
    }
}

/* Open, resolve the caller, begin the transaction the flags ask for. */
static int open_for(struct cli_ctx *ctx, int flags)
{
    struct ops_caller who;
    int oflags = 0;
    int rc = 0;

    if (flags & CLI_STORE) {
        if (flags & CLI_CREATE) {
            oflags |= STORE_OPEN_CREATE;
        }
        if (!(flags & (CLI_WRITES | CLI_OWN_TXN))) {
            oflags |= STORE_OPEN_READONLY;
        }
        rc = store_open(&ctx->store, ctx->db_url, oflags, &ctx->err);
        if (rc == 0) {
            rc = cli_unlock(ctx, ctx->store, (flags & CLI_KEY) != 0,
                            (flags & (CLI_WRITES | CLI_OWN_TXN)) != 0);
        }
        if (rc == 0 && (flags & CLI_WRITES)) {
            rc = cli_upgrade_names(ctx, ctx->store);
        }
    }
    if (rc == 0) {
        rc = resolve_caller(ctx, &who);
    }
    if (rc == 0 && (flags & CLI_WRITES)) {
        rc = store_begin(ctx->store, &ctx->err);
    } else if (rc == 0 && (flags & CLI_READS)) {
        rc = store_begin_read(ctx->store, &ctx->err);
    }
    if (rc != 0) {
        store_close(ctx->store);
        ctx->store = NULL;
        return rc;
    }
    ops_init(&ctx->ops, ctx->store, &who);
    cli_actor(ctx, &ctx->ops);
    return 0;
}

/* Commit a writer that succeeded, roll back one that failed, end a
 * reader; close. Returns the exit code. */
static int close_for(struct cli_ctx *ctx, int flags, int exit_code)
{
    if (ctx->store != NULL && (flags & CLI_WRITES)) {
        if (exit_code == CLI_EXIT_OK) {
            int c = store_commit(ctx->store, &ctx->err);

            if (c != 0) {
                exit_code = cli_fail(ctx, c);
            }
        } else {
            store_rollback(ctx->store);
        }
    }
    store_end_read(ctx->store);
    store_close(ctx->store);
    ctx->store = NULL;
    ctx->ops.st = NULL;
    return exit_code;
}

/* For handlers that need the store only sometimes. */
int cli_store_open(struct cli_ctx *ctx, int writes)
{
    int rc = open_for(ctx, CLI_STORE | CLI_KEY |
                               (writes ? CLI_WRITES : CLI_READS));

    ctx->opened = writes ? CLI_STORE | CLI_WRITES : CLI_STORE | CLI_READS;
    return rc == 0 ? CLI_EXIT_OK : cli_fail(ctx, rc);
}

/* rc is a CTIS_E* code (0 on success). */
int cli_store_close(struct cli_ctx *ctx, int rc)
{
    int code = rc == 0 ? CLI_EXIT_OK : cli_fail(ctx, rc);

    return ctx->store != NULL ? close_for(ctx, ctx->opened, code) : code;
}

static int run_command(struct cli_ctx *ctx, const struct cli_command *cmd,
                       int argc, char **argv)
{
    int rc = open_for(ctx, cmd->flags);

    if (rc != 0) {
        return cli_fail(ctx, rc);
    }
    rc = cmd->handler(ctx, argc, argv);
    return close_for(ctx, cmd->flags, rc);
}

/* Row i matches argv[1] (and argv[2] for a two-word name). Returns how
 * many words it took, or 0. */
static int matches(const char *name, int argc, char **argv)
{
    const char *sp = strchr(name, ' ');

    if (sp == NULL) {
        return strcmp(argv[1], name) == 0 ? 1 : 0;
    }
    if (argc < 3 || strncmp(argv[1], name, (size_t)(sp - name)) != 0 ||
        argv[1][sp - name] != '\0') {
        return 0;
    }
    return strcmp(argv[2], sp + 1) == 0 ? 2 : 0;
}

/* The sub-commands of a group ("case"), for a usage error. */
static int group_usage(const char *group)
{
    size_t n = strlen(group);
    size_t i;
    int any = 0;

    for (i = 0; i < N_COMMANDS; i++) {
        if (strncmp(commands[i].name, group, n) == 0 &&
            commands[i].name[n] == ' ') {
            if (!any) {
                fprintf(stderr, "usage:\n");
            }
            fprintf(stderr, "  ctis %s\n", commands[i].usage);
            any = 1;
        }
    }
    return any;
}

/* The message for a password on the command line, where any local user
 * can read it (ps, /proc/PID/cmdline). */
const char *cli_password_refusal(const char *option)
{
    (void)option;
    return "a password in a URL on the command line can be read by every "
           "local user (ps, /proc); put it in PGPASSFILE or ~/.pgpass, or "
           "the whole URL in $CTIS_DB or the owner-only config file "
           "(docs/deploy.md); the URL is not shown";
}

/* The config file's "db", from $CTIS_CONFIG or ~/.config/ctis/config:
 * 1 when found, 0 when none, negative on a refused file. */
static int default_db(char *out, size_t n, struct ctis_err *err)
{
    const char *path = getenv("CTIS_CONFIG");
    const char *home = getenv("HOME");
    char buf[CTIS_PATH_MAX];

    if (path == NULL || path[0] == '\0') {
        if (home == NULL || home[0] == '\0') {
            return 0;
        }
        snprintf(buf, sizeof buf, "%s/.config/ctis/config", home);
        path = buf;
    }
    return ctis_config_get(path, "db", out, n, err);
}

static int dispatch(struct cli_ctx *ctx, int argc, char **argv);

/* Parse the global options, find the command, run it; the key is wiped
 * at the end. */
int cli_main(int argc, char **argv)
{
    struct cli_ctx ctx;
    const char *env = getenv("CTIS_DB");
    char config_url[1024];
    const char *kenv = getenv("CTIS_KEY_FILE");
    const char *fd = NULL;
    int rc;

    io_init();
    memset(&ctx, 0, sizeof ctx);
    ctx.out = stdout;
    ctx.db_url = NULL;
    ctx.pass_fd = -1;
    ctx.key_file = kenv != NULL && kenv[0] != '\0' ? kenv : NULL;
    argc = take_option(argc, argv, "--db", &ctx.db_url);
    if (argc < 0) {
        fprintf(stderr, "ctis: option '--db' needs a value\n");
        return CLI_EXIT_USAGE;
    }
    argc = take_option(argc, argv, "--as", &ctx.as);
    if (argc < 0) {
        fprintf(stderr, "ctis: option '--as' needs a value\n");
        return CLI_EXIT_USAGE;
    }
    if (ctx.db_url != NULL && store_url_has_password(ctx.db_url)) {
        fprintf(stderr, "ctis: %s\n", cli_password_refusal("--db"));
        return CLI_EXIT_USAGE;
    }
    if (ctx.db_url == NULL && env != NULL && env[0] != '\0') {
        ctx.db_url = env;
    }
    if (ctx.db_url == NULL) {
        rc = default_db(config_url, sizeof config_url, &ctx.err);

        if (rc < 0) {
            return cli_fail(&ctx, rc);
        }
        ctx.db_url = rc > 0 ? config_url : "ctis.db";
    }
    argc = take_option(argc, argv, "--key-file", &ctx.key_file);
    if (argc >= 0) {
        argc = take_option(argc, argv, "--passphrase-fd", &fd);
    }
    if (argc < 0) {
        fprintf(stderr, "ctis: --key-file and --passphrase-fd need a "
                        "value\n");
        return CLI_EXIT_USAGE;
    }
    if (fd != NULL) {
        long n;

        if (ctis_parse_long(fd, 0, 1024, &n) != 0) {
            fprintf(stderr, "ctis: --passphrase-fd: not a descriptor\n");
            return CLI_EXIT_USAGE;
        }
        ctx.pass_fd = (int)n;
    }
    rc = dispatch(&ctx, argc, argv);
    seal_kek_free(ctx.kek);
    return rc;
}

/* Find the command and run it. */
static int dispatch(struct cli_ctx *ctx, int argc, char **argv)
{
    size_t i;

    if (argc < 2) {
        print_overview(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        print_overview(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--commands") == 0) {
        for (i = 0; i < N_COMMANDS; i++) {
            printf("%s\n", commands[i].name);
        }
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("ctis 0.1\n");
        return CLI_EXIT_OK;
    }
    for (i = 0; i < N_COMMANDS; i++) {
        int words = matches(commands[i].name, argc, argv);

        if (words > 0) {
            ctx->cmd = &commands[i];
            if (cli_wants_help(argc - words, argv + words)) {
                cli_print_help(ctx->cmd);
                return CLI_EXIT_OK;
            }
            return run_command(ctx, ctx->cmd, argc - words, argv + words);
        }
    }
    if (group_usage(argv[1])) {
        fprintf(stderr, "ctis: '%s' wants one of the subcommands above\n",
                argv[1]);
        return CLI_EXIT_USAGE;
    }
    /* not repeated: it may be anything typed, a name too */
    fprintf(stderr, "ctis: unknown command (see 'ctis --help')\n");
    return CLI_EXIT_USAGE;
}
