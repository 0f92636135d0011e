/*
 * text.c - the datasheet as Markdown or as one self-contained HTML page
 * (inline style, an inline SVG bar chart of official repatriations, no
 * external resources). Both formats come from the same section code,
 * written against a small writer that knows headings, paragraphs, tables
 * and lists; the writer escapes every piece of text it is given, so no
 * value from the database reaches the output unescaped.
 *
 * The sections follow the seed datasheet: who is trafficked, source and
 * destination, cross-border and internal flows, scale, who works against
 * trafficking (and what is done), rescues and repatriations, prosecution,
 * policy instruments. A repatriation cell with no record is "N/A", a
 * suppressed count "*".
 *
 * Errors: the writer keeps the first failure (out of memory) and ignores
 * later calls, so the section code reads straight; report_render_text
 * truncates out back to where it started when anything failed.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_int.h"

struct w {
    struct ctis_buf *b;
    int html;
    int rc;
    int row;   /* rows written in the current table */
    int ntext; /* leading text columns of the current table */
};

static void raw(struct w *w, const char *s)
{
    if (w->rc == 0 && ctis_buf_puts(w->b, s) != 0) {
        w->rc = CTIS_ENOMEM;
    }
}

/* Text escaped for the format: HTML entities, or a backslash before every
 * character Markdown could read as markup; newlines become spaces. */
static void text(struct w *w, const char *s)
{
    for (; *s != '\0' && w->rc == 0; s++) {
        const char *rep = NULL;
        char two[3] = {'\\', *s, '\0'};

        if (*s == '\n' || *s == '\r') {
            rep = " ";
        } else if (w->html) {
            switch (*s) {
            case '&':
                rep = "&amp;";
                break;
            case '<':
                rep = "&lt;";
                break;
            case '>':
                rep = "&gt;";
                break;
            case '"':
                rep = "&quot;";
                break;
            case '\'':
                rep = "&#39;";
                break;
            default:
                break;
            }
        } else if (strchr("\\`*_[]<>|#", *s) != NULL) {
            rep = two;
        }
        if (rep != NULL) {
            raw(w, rep);
        } else if (ctis_buf_putc(w->b, *s) != 0) {
            w->rc = CTIS_ENOMEM;
        }
    }
}

static void heading(struct w *w, int level, const char *s)
{
    char tag[8];

    if (w->html) {
        snprintf(tag, sizeof tag, "<h%d>", level);
        raw(w, tag);
        text(w, s);
        snprintf(tag, sizeof tag, "</h%d>", level);
        raw(w, tag);
        raw(w, "\n");
    } else {
        raw(w, level == 1 ? "# " : level == 2 ? "## " : "### ");
        text(w, s);
        raw(w, "\n\n");
    }
}

static void para(struct w *w, const char *s)
{
    raw(w, w->html ? "<p>" : "");
    text(w, s);
    raw(w, w->html ? "</p>\n" : "\n\n");
}

/* A table with a caption (may be NULL) and n column heads, the first
 * ntext of them text (left-aligned), the rest numbers. */
static void table_begin(struct w *w, const char *caption,
                        const char *const *heads, int n, int ntext)
{
    int i;

    w->row = 0;
    w->ntext = ntext;
    if (w->html) {
        raw(w, "<table>");
        if (caption != NULL) {
            raw(w, "<caption>");
            text(w, caption);
            raw(w, "</caption>");
        }
        raw(w, "\n<tr>");
        for (i = 0; i < n; i++) {
            raw(w, "<th>");
            text(w, heads[i]);
            raw(w, "</th>");
        }
        raw(w, "</tr>\n");
        return;
    }
    if (caption != NULL) {
        raw(w, "**");
        text(w, caption);
        raw(w, "**\n\n");
    }
    raw(w, "|");
    for (i = 0; i < n; i++) {
        raw(w, " ");
        text(w, heads[i]);
        raw(w, " |");
    }
    raw(w, "\n|");
    for (i = 0; i < n; i++) {
        raw(w, i < ntext ? " --- |" : " ---: |");
    }
    raw(w, "\n");
}

static void table_row(struct w *w, const char *const *cells, int n)
{
    int i;

    w->row++;
    raw(w, w->html ? "<tr>" : "|");
    for (i = 0; i < n; i++) {
        if (w->html) {
            raw(w, i < w->ntext ? "<td>" : "<td class=\"n\">");
            text(w, cells[i]);
            raw(w, "</td>");
        } else {
            raw(w, " ");
            text(w, cells[i]);
            raw(w, " |");
        }
    }
    raw(w, w->html ? "</tr>\n" : "\n");
}

static void table_end(struct w *w, int columns)
{
    if (w->row == 0) {
        const char *cells[8] = {"none recorded", "", "", "", "", "", "", ""};

        table_row(w, cells, columns > 8 ? 8 : columns);
    }
    raw(w, w->html ? "</table>\n" : "\n");
}

static void list_begin(struct w *w)
{
    raw(w, w->html ? "<ul>\n" : "");
}

static void list_item(struct w *w, const char *s)
{
    raw(w, w->html ? "<li>" : "- ");
    text(w, s);
    raw(w, w->html ? "</li>\n" : "\n");
}

static void list_end(struct w *w)
{
    raw(w, w->html ? "</ul>\n" : "\n");
}

/* ---- values -------------------------------------------------------------- */

/* A count as printed: the number, or "*" when suppressed. */
static const char *num(const struct stats_cell *c, char out[24])
{
    if (c->suppressed != STATS_SHOWN) {
        return "*";
    }
    snprintf(out, 24, "%ld", c->n);
    return out;
}

/* "Prey Veng (KH-14)", or the code itself when it names no province. */
static const char *province_label(const char *code, char *out, size_t size)
{
    const struct model_province *p = model_province_find(code);

    if (p == NULL) {
        ctis_strlcpy(out, code, size);
    } else {
        snprintf(out, size, "%s (%s)", p->name, p->code);
    }
    return out;
}

static const char *country_label(const char *code)
{
    const struct model_country *c = model_country_find(code);

    return c != NULL ? c->name : code;
}

/* A code made readable: underscores become spaces. */
static const char *human(const char *code, char *out, size_t size)
{
    size_t i;

    ctis_strlcpy(out, code, size);
    for (i = 0; out[i] != '\0'; i++) {
        if (out[i] == '_') {
            out[i] = ' ';
        }
    }
    return out;
}

static const char *movement_label(const char *code)
{
    if (strcmp(code, "internal") == 0) {
        return "internal (within Cambodia)";
    }
    if (strcmp(code, "cross_border_out") == 0) {
        return "cross-border, out of Cambodia";
    }
    if (strcmp(code, "cross_border_in") == 0) {
        return "cross-border, into Cambodia";
    }
    if (strcmp(code, "transit") == 0) {
        return "transit through Cambodia";
    }
    return code;
}

static void period_text(const struct stats_datasheet *ds, char *out,
                        size_t size)
{
    if (ds->from_year != 0 && ds->to_year != 0) {
        snprintf(out, size, "%d-%d", ds->from_year, ds->to_year);
    } else if (ds->from_year != 0) {
        snprintf(out, size, "from %d", ds->from_year);
    } else if (ds->to_year != 0) {
        snprintf(out, size, "up to %d", ds->to_year);
    } else {
        snprintf(out, size, "all years");
    }
}

/* A two-column table of a case table; label turns a key into text. */
static void counts_table(struct w *w, const char *caption, const char *head,
                         const struct stats_counts *c,
                         const char *(*label)(const char *, char *, size_t))
{
    const char *heads[2] = {head, "Cases"};
    size_t i;

    table_begin(w, caption, heads, 2, 1);
    for (i = 0; i < c->len; i++) {
        char lab[128];
        char n[24];
        const char *cells[2];

        cells[0] = label(c->rows[i].key, lab, sizeof lab);
        cells[1] = num(&c->rows[i].cases, n);
        table_row(w, cells, 2);
    }
    table_end(w, 2);
}

static const char *country_label3(const char *code, char *out, size_t size)
{
    const struct model_country *c = model_country_find(code);

    if (c == NULL) {
        ctis_strlcpy(out, code, size);
    } else {
        snprintf(out, size, "%s (%s)", c->name, c->code);
    }
    return out;
}

static const char *movement_label3(const char *code, char *out, size_t size)
{
    ctis_strlcpy(out, movement_label(code), size);
    return out;
}

/* ---- sections ---------------------------------------------------------- */

static void section_intro(struct w *w, const struct stats_datasheet *ds)
{
    char period[40];
    char s[512];

    period_text(ds, period, sizeof period);
    heading(w, 1, REPORT_TITLE);
    snprintf(s, sizeof s,
             "Period: %s%s. Computed from the case records at the time of "
             "the report. Every case table counts cases of any trafficking "
             "status except not a victim.",
             period,
             ds->from_year != 0 || ds->to_year != 0 ? " (years inclusive)"
                                                    : "");
    para(w, s);
    if (ds->k > 1) {
        snprintf(s, sizeof s,
                 "Disclosure control: k = %ld. A count marked * is "
                 "suppressed: it is between 1 and %ld, or it would let such "
                 "a count be recovered from a total (%ld cells suppressed).",
                 ds->k, ds->k - 1, ds->suppressed);
    } else {
        snprintf(s, sizeof s,
                 "Internal report: no disclosure control (k = %ld); do not "
                 "publish. 'ctis report --public' applies k = %d.",
                 ds->k, STATS_K_PUBLIC);
    }
    para(w, s);
}

static void section_who(struct w *w, const struct stats_datasheet *ds)
{
    const char *heads[3] = {"Sex", "Age group", "Cases"};
    char n[24];
    char s[256];
    size_t i;

    heading(w, 2, "Who is being trafficked?");
    snprintf(s, sizeof s, "%s cases were identified in the period.",
             num(&ds->cases, n));
    para(w, s);
    table_begin(w, "Persons by sex and age group at identification", heads,
                3, 2);
    for (i = 0; i < ds->sex_age.len; i++) {
        const char *cells[3];

        cells[0] = ds->sex_age.rows[i].key;
        cells[1] = ds->sex_age.rows[i].key2;
        cells[2] = num(&ds->sex_age.rows[i].cases, n);
        table_row(w, cells, 3);
    }
    table_end(w, 3);
    counts_table(w, "Forms of exploitation (a case may have several)",
                 "Exploitation", &ds->exploitation, human);
    counts_table(w, "Forced labour by sector", "Sector", &ds->sectors,
                 human);
}

static void section_where(struct w *w, const struct stats_datasheet *ds)
{
    heading(w, 2, "Where do trafficked persons come from and how are they "
                  "exploited?");
    heading(w, 3, "Source and destination locations within Cambodia");
    counts_table(w,
                 "Source provinces (home province; internal and outward "
                 "trafficking)",
                 "Province", &ds->source_provinces, province_label);
    counts_table(w,
                 "Destination provinces (internal and inward trafficking)",
                 "Province", &ds->destination_provinces, province_label);
    heading(w, 3, "Types of cross-border and internal trafficking");
    counts_table(w, "Cases by movement", "Movement", &ds->movement,
                 movement_label3);
    counts_table(w, "Destination countries (cross-border, out of Cambodia)",
                 "Country", &ds->destination_countries, country_label3);
}

static void section_scale(struct w *w, const struct stats_datasheet *ds)
{
    const char *heads[2] = {"Year", "Cases identified"};
    char n[24];
    char y[40];
    char s[256];
    size_t i;

    heading(w, 2, "What is the scale of human trafficking in and from "
                  "Cambodia?");
    snprintf(s, sizeof s,
             "%s victims of human trafficking were officially repatriated "
             "in government-to-government repatriations in the period.",
             num(&ds->repatriated, n));
    para(w, s);
    table_begin(w, NULL, heads, 2, 1);
    for (i = 0; i < ds->cases_by_year.len; i++) {
        const char *cells[2];

        if (ds->cases_by_year.rows[i].year > 0) {
            snprintf(y, sizeof y, "%d", ds->cases_by_year.rows[i].year);
        } else {
            /* Cases without an identification date, never "year 0". */
            ctis_strlcpy(y, "unknown (no identification date)", sizeof y);
        }
        cells[0] = y;
        cells[1] = num(&ds->cases_by_year.rows[i].cases, n);
        table_row(w, cells, 2);
    }
    table_end(w, 2);
}

static const char *figure(double v, char out[32])
{
    if (!isfinite(v)) {
        return v > 0 ? "unbounded" : "not available";
    }
    snprintf(out, 32, "%.0f", v);
    return out;
}

/* The next-best model and whether it moves the estimate by more than
 * its standard error. */
static void estimate_stability(struct w *w, const struct stats_estimate *e)
{
    char why[2 * MODEL_ID_MAX + 64] = "";
    char a[32];
    char s[768];

    if (e->next_model[0] == '\0') {
        para(w, "Stability: not assessed (no other model to compare).");
        return;
    }
    if (e->next_term[0] != '\0') {
        snprintf(why, sizeof why, " (the chosen model with %s %s at p = "
                 "%.3g)", e->next_term, e->next_added ? "added" : "removed",
                 e->next_p);
    }
    if (e->stable < 0) {
        snprintf(s, sizeof s, "Next-best model: %s%s; it gives no estimate, "
                 "so stability is not assessed.", e->next_model, why);
    } else {
        snprintf(s, sizeof s, "Next-best model: %s%s; it gives %s persons, "
                 "%.2f standard errors away: the estimate is %s.",
                 e->next_model, why, figure(e->next_estimate, a),
                 fabs(e->shift), e->stable ? "stable" : "unstable");
    }
    para(w, s);
}

/* Few lists, small lists, an unstable estimate. */
static void estimate_warnings(struct w *w, const struct stats_estimate *e)
{
    char s[300];
    int i;

    if (e->n_warnings == 0) {
        return;
    }
    list_begin(w);
    for (i = 0; i < e->n_warnings; i++) {
        snprintf(s, sizeof s, "Warning: %s.", e->warnings[i].text);
        list_item(w, s);
    }
    list_end(w);
}

/* The estimated total, with the caveats a reader needs. */
static void section_estimate(struct w *w, const struct stats_datasheet *ds)
{
    const struct stats_estimate *e = &ds->estimate;
    const char *heads[2] = {"", ""};
    char a[32];
    char b[32];
    char lists[STATS_ESTIMATE_LISTS * (MODEL_ID_MAX + 2)];
    char s[512];
    const char *cells[2];
    size_t len = 0;
    int i;

    heading(w, 2, "How many victims are there? An estimate of the total");
    if (!e->present) {
        para(w, "No estimate: it needs the persons of at least three "
                "agencies' lists linked to each other ('ctis link --from-db "
                "--save').");
        return;
    }
    lists[0] = '\0';
    for (i = 0; i < e->lists; i++) {
        len += (size_t)snprintf(lists + len, sizeof lists - len, "%s%s",
                                i > 0 ? ", " : "", e->list_names[i]);
    }
    if (e->suppressed) {
        para(w, "Fewer persons were linked than the disclosure threshold: "
                "the estimate is not published.");
        return;
    }
    snprintf(s, sizeof s,
             "Multiple systems estimation over the lists of %d agencies "
             "(%s; %d agencies have linked records): how many persons were "
             "on no list, from how the lists overlap.", e->lists, lists,
             e->agencies_linked);
    para(w, s);
    if (strcmp(e->existence, "ok") != 0) {
        snprintf(s, sizeof s, "The lists' overlap does not determine an "
                 "estimate (%s): none is given.",
                 strcmp(e->existence, "mle_does_not_exist") == 0
                     ? "the maximum likelihood estimate does not exist"
                     : "the model is not identifiable");
        para(w, s);
        estimate_warnings(w, e);
        return;
    }
    heads[0] = "Figure";
    heads[1] = "Persons";
    table_begin(w, NULL, heads, 2, 1);
    cells[0] = "Seen by at least one list";
    cells[1] = figure(e->observed, a);
    table_row(w, cells, 2);
    cells[0] = "Estimated total";
    cells[1] = figure(e->estimate, a);
    table_row(w, cells, 2);
    cells[0] = "Seen by no list (estimated)";
    cells[1] = figure(e->estimate - e->observed, a);
    table_row(w, cells, 2);
    snprintf(s, sizeof s, "%s to %s", figure(e->normal_lower, a),
             figure(e->normal_upper, b));
    cells[0] = "95% interval (normal)";
    cells[1] = s;
    table_row(w, cells, 2);
    table_end(w, 2);
    snprintf(s, sizeof s, "95%% profile likelihood interval: %s to %s. "
             "Model (two-list interactions, chosen stepwise): %s.",
             figure(e->profile_lower, a), figure(e->profile_upper, b),
             e->model);
    para(w, s);
    para(w, "Existence check (Fienberg and Rinaldo's linear programme, as "
            "SparseMSE's checkident): passed, the estimate exists and is "
            "identifiable.");
    estimate_stability(w, e);
    estimate_warnings(w, e);
    para(w, "Caveats: the estimate assumes a closed population (no one "
            "enters or leaves the population during the period), that "
            "linkage found every person on several lists and joined no "
            "two persons, and that the interactions in the model capture "
            "how the lists depend on each other; persons who are hard for "
            "every agency to reach make it too low. Treat it as an order "
            "of magnitude, not a count.");
}

static void section_agencies(struct w *w, const struct stats_datasheet *ds)
{
    static const char *const kinds[STATS_AGENCY_KINDS] = {
        "Government", "UN agencies", "Non-governmental organisations",
        "Other"};
    const char *heads[6] = {"Agencies", "Number", "Prevention",
                            "Protection", "Prosecution", "Policy"};
    const char *aheads[3] = {"Activity", "Number", "People reached"};
    int k;
    int p;

    heading(w, 2, "Who is working against human trafficking in Cambodia?");
    table_begin(w, "Agencies by kind and pillar", heads, 6, 1);
    for (k = 0; k < STATS_AGENCY_KINDS; k++) {
        char v[5][24];
        const char *cells[6];

        if (ds->agencies[k] == 0) {
            continue;
        }
        cells[0] = kinds[k];
        snprintf(v[0], sizeof v[0], "%ld", ds->agencies[k]);
        cells[1] = v[0];
        for (p = 0; p < STATS_PILLARS; p++) {
            snprintf(v[p + 1], sizeof v[p + 1], "%ld",
                     ds->agencies_pillar[k][p]);
            cells[p + 2] = v[p + 1];
        }
        table_row(w, cells, 6);
    }
    table_end(w, 6);
    heading(w, 3, "What is being done?");
    table_begin(w, "Prevention and policy activities in the period", aheads,
                3, 1);
    for (k = 0; k < STATS_ACTIVITY_KINDS; k++) {
        char lab[64];
        char c[24];
        char r[24];
        const char *cells[3];

        if (ds->activities[k].count == 0) {
            continue;
        }
        cells[0] = human(model_code_name(model_activity_kind_codes, k), lab,
                         sizeof lab);
        snprintf(c, sizeof c, "%ld", ds->activities[k].count);
        snprintf(r, sizeof r, "%ld", ds->activities[k].reached);
        cells[1] = c;
        cells[2] = r;
        table_row(w, cells, 3);
    }
    table_end(w, 3);
}

/* The years the repatriation tables show: the period, or where it is
 * open the years with records. 0 when there is none. */
int report_repat_years(const struct stats_datasheet *ds, int *lo, int *hi)
{
    size_t i;

    *lo = ds->from_year;
    *hi = ds->to_year;
    for (i = 0; i < ds->n_repatriations; i++) {
        int y = ds->repatriations[i].year;

        if (ds->from_year == 0 && (*lo == 0 || y < *lo)) {
            *lo = y;
        }
        if (ds->to_year == 0 && (*hi == 0 || y > *hi)) {
            *hi = y;
        }
    }
    if (*lo == 0 || *hi == 0 || *hi < *lo) {
        return 0;
    }
    if (*hi - *lo > 200) {
        *lo = *hi - 200;
    }
    return 1;
}

/* The corridors shown: the seed's four always, then any other with
 * records, in stats_corridor_rank order. */
struct corridor {
    char from[3];
    char to[3];
};

static size_t corridors(const struct stats_datasheet *ds,
                        struct corridor *out, size_t max)
{
    static const char *const seed[4][2] = {
        {"TH", "KH"}, {"VN", "KH"}, {"MY", "KH"}, {"KH", "VN"}};
    size_t n = 0;
    size_t i;
    size_t j;

    for (i = 0; i < 4; i++) {
        ctis_strlcpy(out[n].from, seed[i][0], 3);
        ctis_strlcpy(out[n].to, seed[i][1], 3);
        n++;
    }
    for (i = 0; i < ds->n_corridors && n < max; i++) {
        int known = 0;

        for (j = 0; j < n; j++) {
            known |= strcmp(out[j].from, ds->corridors[i].from) == 0 &&
                     strcmp(out[j].to, ds->corridors[i].to) == 0;
        }
        if (!known) {
            ctis_strlcpy(out[n].from, ds->corridors[i].from, 3);
            ctis_strlcpy(out[n].to, ds->corridors[i].to, 3);
            n++;
        }
    }
    return n;
}

static const struct stats_cell *repat_cell(const struct stats_datasheet *ds,
                                           const struct corridor *c,
                                           int year)
{
    size_t i;

    for (i = 0; i < ds->n_repatriations; i++) {
        const struct stats_repatriation *r = &ds->repatriations[i];

        if (r->year == year && strcmp(r->from, c->from) == 0 &&
            strcmp(r->to, c->to) == 0) {
            return &r->persons;
        }
    }
    return NULL;
}

#define MAX_CORRIDORS 32

/* Grouped bars: one group per year, one bar per corridor of the seed. */
static void repat_chart(struct w *w, const struct stats_datasheet *ds,
                        const struct corridor *cs, size_t nc, int lo, int hi)
{
    static const char *const colours[4] = {"#1f77b4", "#ff7f0e", "#2ca02c",
                                           "#9467bd"};
    const int width = 640;
    const int height = 260;
    const int left = 40;
    const int bottom = 40;
    const int top = 20;
    int years = hi - lo + 1;
    long max = 1;
    double gw;
    double bw;
    size_t c;
    int y;
    char s[256];

    if (years > 20) {
        return;
    }
    nc = nc > 4 ? 4 : nc;
    for (y = lo; y <= hi; y++) {
        for (c = 0; c < nc; c++) {
            const struct stats_cell *v = repat_cell(ds, &cs[c], y);

            if (v != NULL && v->suppressed == STATS_SHOWN && v->n > max) {
                max = v->n;
            }
        }
    }
    gw = (double)(width - left - 10) / years;
    bw = gw / (double)(nc + 1);
    snprintf(s, sizeof s,
             "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" "
             "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
             "aria-label=\"Official repatriations per year\">\n",
             width, height + 20, width, height + 20);
    raw(w, s);
    snprintf(s, sizeof s,
             "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
             "stroke=\"#333\"/>\n",
             left, height - bottom, width - 10, height - bottom);
    raw(w, s);
    for (y = lo; y <= hi; y++) {
        double gx = left + gw * (y - lo);

        for (c = 0; c < nc; c++) {
            const struct stats_cell *v = repat_cell(ds, &cs[c], y);
            double x = gx + bw * (0.5 + (double)c);
            double h = 0;
            char label[24];

            if (v != NULL && v->suppressed == STATS_SHOWN) {
                h = (double)v->n / (double)max *
                    (height - bottom - top - 12);
                snprintf(label, sizeof label, "%ld", v->n);
            } else {
                ctis_strlcpy(label, v != NULL ? "*" : "N/A", sizeof label);
            }
            snprintf(s, sizeof s,
                     "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                     "height=\"%.1f\" fill=\"%s\"/>"
                     "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" "
                     "text-anchor=\"middle\">",
                     x, height - bottom - h, bw * 0.9, h, colours[c],
                     x + bw * 0.45, height - bottom - h - 3);
            raw(w, s);
            text(w, label);
            raw(w, "</text>\n");
        }
        snprintf(s, sizeof s,
                 "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" "
                 "text-anchor=\"middle\">%d</text>\n",
                 gx + gw / 2, height - bottom + 16, y);
        raw(w, s);
    }
    for (c = 0; c < nc; c++) {
        snprintf(s, sizeof s,
                 "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" "
                 "fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"11\">",
                 left + (int)c * 150, height - 5, colours[c],
                 left + (int)c * 150 + 14, height + 4);
        raw(w, s);
        text(w, country_label(cs[c].from));
        text(w, " to ");
        text(w, country_label(cs[c].to));
        raw(w, "</text>\n");
    }
    raw(w, "</svg><figcaption>Official repatriations per year and "
           "corridor</figcaption></figure>\n");
}

static void section_rescues(struct w *w, const struct stats_datasheet *ds)
{
    const char *heads[7] = {"Year", "Rescued", "To family", "To NGOs",
                            "To the ministry", "Other", "No referral"};
    size_t i;
    int k;

    heading(w, 2, "How many trafficking victims are rescued and repatriated "
                  "each year?");
    for (i = 0; i < ds->n_rescues; i++) {
        const struct stats_rescue *r = &ds->rescues[i];
        char a[24];
        char b[24];
        char c[24];
        char d[24];
        char s[400];

        snprintf(s, sizeof s,
                 "In %d, %s trafficking victims were rescued; %s were sent "
                 "back to their families, %s were sent to NGOs and %s were "
                 "sent to the Ministry of Social Affairs for "
                 "rehabilitation.",
                 r->year, num(&r->persons, a), num(&r->referred[0], b),
                 num(&r->referred[1], c), num(&r->referred[2], d));
        para(w, s);
    }
    table_begin(w, "Rescues by first referral after the rescue", heads, 7,
                1);
    for (i = 0; i < ds->n_rescues; i++) {
        const struct stats_rescue *r = &ds->rescues[i];
        char v[7][24];
        const char *cells[7];

        snprintf(v[0], sizeof v[0], "%d", r->year);
        cells[0] = v[0];
        cells[1] = num(&r->persons, v[1]);
        for (k = 0; k < STATS_REFERRALS; k++) {
            cells[k + 2] = num(&r->referred[k], v[k + 2]);
        }
        table_row(w, cells, 7);
    }
    table_end(w, 7);
}

static void section_repatriations(struct w *w,
                                  const struct stats_datasheet *ds)
{
    const char *heads[2] = {"Year", "Number repatriated"};
    struct corridor cs[MAX_CORRIDORS];
    size_t nc = corridors(ds, cs, MAX_CORRIDORS);
    size_t c;
    int lo;
    int hi;
    int y;

    heading(w, 3, "Official repatriations (government to government)");
    if (!report_repat_years(ds, &lo, &hi)) {
        para(w, "No official repatriations are recorded.");
        return;
    }
    if (w->html) {
        repat_chart(w, ds, cs, nc, lo, hi);
    }
    for (c = 0; c < nc; c++) {
        char caption[160];

        snprintf(caption, sizeof caption,
                 "Official repatriations from %s to %s",
                 country_label(cs[c].from), country_label(cs[c].to));
        table_begin(w, caption, heads, 2, 1);
        for (y = lo; y <= hi; y++) {
            const struct stats_cell *v = repat_cell(ds, &cs[c], y);
            char ys[16];
            char n[24];
            const char *cells[2];

            snprintf(ys, sizeof ys, "%d", y);
            cells[0] = ys;
            cells[1] = v != NULL ? num(v, n) : "N/A";
            table_row(w, cells, 2);
        }
        table_end(w, 2);
    }
}

static void section_traffickers(struct w *w, const struct stats_datasheet *ds)
{
    const char *heads[5] = {"Kind", "Cases investigated", "Offenders",
                            "Cases with a conviction", "Offenders convicted"};
    char a[24];
    char b[24];
    char c[24];
    char d[24];
    char s[400];
    int k;

    heading(w, 2, "What is happening to the traffickers in Cambodia?");
    snprintf(s, sizeof s,
             "In the period, %s cases of domestic trafficking were "
             "investigated involving %s offenders, and %s cases of "
             "cross-border trafficking were investigated involving %s "
             "offenders.",
             num(&ds->investigations[0].cases, a),
             num(&ds->investigations[0].offenders, b),
             num(&ds->investigations[1].cases, c),
             num(&ds->investigations[1].offenders, d));
    para(w, s);
    table_begin(w, "Criminal cases (first investigation in the period)",
                heads, 5, 1);
    for (k = 0; k < 2; k++) {
        const char *cells[5];
        char lab[32];

        cells[0] = human(ds->investigations[k].kind, lab, sizeof lab);
        cells[1] = num(&ds->investigations[k].cases, a);
        cells[2] = num(&ds->investigations[k].offenders, b);
        cells[3] = num(&ds->convictions[k].cases, c);
        cells[4] = num(&ds->convictions[k].offenders, d);
        table_row(w, cells, 5);
    }
    table_end(w, 5);
}

static void section_instruments(struct w *w,
                                const struct stats_datasheet *ds)
{
    size_t i;
    size_t p;

    heading(w, 2, "What are the guiding principles behind counter-"
                  "trafficking efforts in Cambodia?");
    para(w, "Key policy documents directing anti-trafficking "
            "interventions:");
    if (ds->n_instruments == 0) {
        para(w, "None recorded.");
        return;
    }
    list_begin(w);
    for (i = 0; i < ds->n_instruments; i++) {
        const struct model_instrument *in = &ds->instruments[i];
        const char *kind = model_code_name(model_instrument_kind_codes,
                                           in->kind);
        char year[16];
        char parties[64] = "";
        char kindh[32];
        char s[512];
        size_t len = 0;

        if (in->date != 0) {
            snprintf(year, sizeof year, "%d", in->date / 10000);
        } else {
            ctis_strlcpy(year, "year not given", sizeof year);
        }
        for (p = 0; p < in->n_parties && len + 4 < sizeof parties; p++) {
            len += (size_t)snprintf(parties + len, sizeof parties - len,
                                    "%s%s", p > 0 ? ", " : "",
                                    in->parties[p]);
        }
        snprintf(s, sizeof s, "%s (%s); %s; parties: %s", in->title, year,
                 human(kind != NULL ? kind : "other", kindh, sizeof kindh),
                 in->n_parties > 0 ? parties : "not given");
        list_item(w, s);
    }
    list_end(w);
}

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, "
    "initial-scale=1\">\n<title>";
static const char html_style[] =
    "</title>\n<style>\n"
    "body{font-family:sans-serif;max-width:60em;margin:1em auto;"
    "padding:0 1em;color:#222}\n"
    "h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ccc}\n"
    "table{border-collapse:collapse;margin:0.5em 0 1.2em}\n"
    "caption{text-align:left;font-weight:bold;padding:0.3em 0}\n"
    "th,td{border:1px solid #ccc;padding:0.2em 0.6em}\n"
    "td.n{text-align:right}\n"
    "figure{margin:1em 0}\n"
    "</style>\n</head>\n<body>\n";

/* Render every section in the seed's order. */
int report_render_text(const struct stats_datasheet *ds, int html,
                       struct ctis_buf *out, struct ctis_err *err)
{
    struct w w;
    size_t start = out->len;

    w.b = out;
    w.html = html;
    w.rc = 0;
    w.row = 0;
    if (html) {
        raw(&w, html_head);
        text(&w, REPORT_TITLE);
        raw(&w, html_style);
    }
    section_intro(&w, ds);
    section_who(&w, ds);
    section_where(&w, ds);
    section_scale(&w, ds);
    section_estimate(&w, ds);
    section_agencies(&w, ds);
    section_rescues(&w, ds);
    section_repatriations(&w, ds);
    section_traffickers(&w, ds);
    section_instruments(&w, ds);
    if (html) {
        raw(&w, "</body>\n</html>\n");
    }
    if (w.rc != 0) {
        out->len = start;
        if (out->cap > 0) {
            out->data[start] = '\0';
        }
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory rendering the "
                                              "datasheet");
    }
    return 0;
}

/* The names of --format. */
int report_format_parse(const char *s)
{
    if (strcmp(s, "json") == 0) {
        return REPORT_JSON;
    }
    if (strcmp(s, "md") == 0 || strcmp(s, "markdown") == 0) {
        return REPORT_MD;
    }
    if (strcmp(s, "html") == 0) {
        return REPORT_HTML;
    }
    if (strcmp(s, "pdf") == 0) {
        return REPORT_PDF;
    }
    if (strcmp(s, "svg") == 0) {
        return REPORT_SVG;
    }
    if (strcmp(s, "xlsx") == 0) {
        return REPORT_XLSX;
    }
    return -1;
}

/* Dispatch on the format. */
int report_render(const struct stats_datasheet *ds, int format,
                  struct ctis_buf *out, struct ctis_err *err)
{
    switch (format) {
    case REPORT_JSON:
        return report_render_json(ds, out, err);
    case REPORT_MD:
        return report_render_text(ds, 0, out, err);
    case REPORT_HTML:
        return report_render_text(ds, 1, out, err);
    default:
        return ctis_err_set(err, CTIS_EINVAL, "unknown report format %d",
                            format);
    }
}
