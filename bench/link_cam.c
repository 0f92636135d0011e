/*
 * link_cam.c - a second generator of agency lists of Cambodian persons,
 * written apart from link/gen.c so that the linker is not measured only on
 * the data it was designed on (docs/linkage.md, "Generators").
 *
 *   link_cam --persons N --out DIR [--lists 3] [--seed S]
 *            [--combos K | --namesakes R] [--birth D,Y,A,N] [--khmer P]
 *            [--missing P] [--typo P] [--swap P] [--dup P] [--translit P]
 *   link_cam --names-tsv          (the name pool, in both scripts)
 *
 * writes DIR/police.csv, DIR/ngo.csv, DIR/ministry.csv (DIR/iom.csv with
 * 4 lists) in the linkage input columns, then the truth: person_id and
 * hidden columns that ctis ignores (t_given, t_family: the name ids;
 * t_prov: the true province; t_script, t_var, t_typo, t_swap, t_full,
 * t_birth, t_berr, t_dup: how the record was written), read by
 * bench/link_eval for the baseline and the per-class counts.
 *
 * The population, per person: a sex; a given name from about 260 (one
 * word such as Sokha, Dara, Vichet, or a compound such as Srey Mom, Sok
 * Kheang, Chan Dara) and a family name from about 140, drawn by weight
 * (bench/link_names.h: a few very common family names, a long tail); a
 * birth date 1965-2010; a province (weighted: Phnom Penh, Banteay
 * Meanchey, Battambang and the border provinces first), a village,
 * sometimes a phone. Namesakes: by default given and family name are drawn
 * apart, as in a population (realistic: a person has a few namesakes at
 * 20,000 persons); --combos K lets only K (given, family) combinations
 * exist, drawn by weight, and --namesakes R sets K to persons / R (850
 * combinations over 20,000 persons, R = 24, is extreme).
 *
 * Per record (each list includes a person with probability 0.42, in its
 * own style): a share in Khmer script only (--khmer P, else 10% / 20% /
 * 45% by list: the *_km columns or a Khmer full name, family name
 * first); the rest romanised with a spelling chosen per record (the most
 * common half the time, compounds joined or split), some upper case, 4%
 * with a typo (--typo), 5% with given and family name swapped (--swap), a
 * tenth to a half as one full name (Latin full names half in Cambodian
 * order, family name first); birth as a full date, a year, an age at a
 * stated date (a tenth of ages one off) or missing (--birth D,Y,A,N: the
 * shares, else by list), 3% of dates with day and month swapped, 4% of
 * years one off; sex, province and place missing (--missing P, else 10%,
 * 15%, 40%), 4% wrong provinces, 5% other villages; 3% of listed persons
 * listed twice in the same list (--dup), written afresh. --translit P
 * writes both names of a share P of romanised records by a strict
 * letter-by-letter transliteration of their Khmer (ALA-LC's letters,
 * without diacritics: វិចិត្រ Vicitr, ចាន់ Can, ស្រីមុំ Srimum), as a
 * catalogue or a transliteration tool would; off by default.
 *
 * Its own random generator (splitmix64): nothing shared with link/.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io.h"
#include "link/link.h"
#include "model/model.h"

#include "link_names.h"

#define CAM_NAME_MAX 256 /* a normalised name */
#define CAM_KEY_MAX 64   /* a phonetic key or skeleton */

static const char *const villages[] = {
    "Prey Veng",       "Svay Rieng",     "Kampong Cham",
    "Chrey",           "Tuol Sleng",     "Boeng Kak",
    "Phum Thmei",      "Kandal",         "Ampil",
    "Trapeang Chhuk",  "Srah Chak",      "Phnom Del",
    "Doung",           "Krang Yov",      "Ta Khmau",
    "Veal Sbov",       "Samrong",        "Roka Kong",
    "Chamkar Leu",     "Kouk Trab",      "Angk Snuol",
    "Spean Thma",      "Preaek Pra",     "Daun Penh",
    "Kaoh Dach",       "Chheu Teal",     "Krouch Chhmar",
    "Sla Kram",        "Lvea Aem",       "Ou Chrov",
    "Poipet",          "Sampov Loun",    "Thma Puok",
    "Malai",           "Rotanak Mondol", "Bavel",
    "Moung Ruessei",   "Kralanh",        "Puok",
    "Banteay Srei",    "Chong Kal",      "Anlong Veng",
    "Trapeang Prasat", "Samraong",       "Kamrieng",
    "Phnom Proek",
};
#define N_VIL (sizeof villages / sizeof villages[0])

/* provinces 1..25 (ISO 3166-2:KH numbers) and weights */
static const int prov_weight[26] = {
    0, 40, 30, 20, 8,  8, 10, 8,  12, 3, 4, 2, 45,
    4, 25, 10, 2,  30, 8, 2,  18, 10, 6, 3, 5, 6,
};

struct rng {
    unsigned long long s;
};

static unsigned long long next(struct rng *r)
{
    unsigned long long z = (r->s += 0x9E3779B97F4A7C15ULL);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double unif(struct rng *r)
{
    return (double)(next(r) >> 11) / 9007199254740992.0;
}

static int below(struct rng *r, int n)
{
    return (int)(unif(r) * n);
}

static int chance(struct rng *r, double p)
{
    return unif(r) < p;
}

/* Cumulative weights, drawn by bisection. */
struct table {
    double *cum;
    long n;
};

static int table_init(struct table *t, long n)
{
    t->n = n;
    t->cum = ctis_calloc((size_t)n, sizeof *t->cum);
    return t->cum != NULL ? 0 : CTIS_ENOMEM;
}

/* After the weights are in t->cum[i]: make them cumulative. */
static void table_sum(struct table *t)
{
    long i;

    for (i = 1; i < t->n; i++) {
        t->cum[i] += t->cum[i - 1];
    }
}

static long table_pick(const struct table *t, struct rng *r)
{
    double x = unif(r) * t->cum[t->n - 1];
    long lo = 0;
    long hi = t->n - 1;

    while (lo < hi) {
        long mid = (lo + hi) / 2;

        if (t->cum[mid] > x) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return lo;
}

/* ---- names --------------------------------------------------------------- */

static int given_weight(int g)
{
    return g < (int)CAM_N_WORD ? cam_givens[g].weight
                               : cam_compounds[g - CAM_N_WORD].weight;
}

static int given_sex(int g)
{
    return g < (int)CAM_N_WORD ? cam_givens[g].sex
                               : cam_compounds[g - CAM_N_WORD].sex;
}

/* Variant v of given name g in Khmer script into out (compounds: the
 * prefix's variant v % 4, the base's v / 4). */
static int variant(const char *s, int v, char *out, size_t size);

static void given_km(int g, int v, char *out, size_t size)
{
    if (g < (int)CAM_N_WORD) {
        variant(cam_givens[g].km, v, out, size);
    } else {
        const struct cam_compound *c = &cam_compounds[g - CAM_N_WORD];
        char a[64];
        char b[64];

        variant(cam_prefixes[c->prefix].km, v % 4, a, sizeof a);
        variant(cam_bases[c->base].km, v / 4, b, sizeof b);
        snprintf(out, size, "%s%s", a, b);
    }
}

/* Variant v (or the first, the most common, when v is out of range) of
 * the romanisations s into out. Returns the number of variants. */
static int variant(const char *s, int v, char *out, size_t size)
{
    int n = 0;
    const char *p = s;

    out[0] = '\0';
    for (;;) {
        const char *e = strchr(p, '/');
        size_t len = e != NULL ? (size_t)(e - p) : strlen(p);

        if (n == v && len < size) {
            memcpy(out, p, len);
            out[len] = '\0';
        }
        n++;
        if (e == NULL) {
            break;
        }
        p = e + 1;
    }
    if (out[0] == '\0' && v != 0) {
        variant(s, 0, out, size);
    }
    return n;
}

/* A romanisation of s: the first (most common) half the time, else any
 * other. Returns whether it is not the first. */
static int romanise(struct rng *r, const char *s, char *out, size_t size)
{
    int n = variant(s, 0, out, size);

    if (n > 1 && chance(r, 0.5)) {
        variant(s, 1 + below(r, n - 1), out, size);
        return 1;
    }
    return 0;
}

/* A Khmer spelling of s (alternatives after '/'): the usual one three
 * times in four. Returns whether it is another. */
static int khmer_spelling(struct rng *r, const char *s, char *out, size_t size)
{
    int n = variant(s, 0, out, size);

    if (n > 1 && chance(r, 0.25)) {
        variant(s, 1 + below(r, n - 1), out, size);
        return 1;
    }
    return 0;
}

/* A Khmer spelling of given name g; returns whether it is not the usual
 * one. */
static int khmer_given(struct rng *r, int g, char *out, size_t size)
{
    const struct cam_compound *c;
    char a[64];
    char b[64];
    int other;

    if (g < (int)CAM_N_WORD) {
        return khmer_spelling(r, cam_givens[g].km, out, size);
    }
    c = &cam_compounds[g - CAM_N_WORD];
    other = khmer_spelling(r, cam_prefixes[c->prefix].km, a, sizeof a);
    other |= khmer_spelling(r, cam_bases[c->base].km, b, sizeof b);
    if ((size_t)snprintf(out, size, "%s%s", a, b) >= size) {
        out[0] = '\0';
    }
    return other;
}

/* A romanisation of given name g; a compound is written split ("Srey
 * Mom"), joined ("Sreymom"), in two capitals ("SreyMom") or hyphenated,
 * each part spelt its own way. Returns whether it is not the most common
 * spelling. */
static int romanise_given(struct rng *r, int g, char *out, size_t size)
{
    const struct cam_compound *c;
    char a[32];
    char b[32];
    double how;
    int other;

    if (g < (int)CAM_N_WORD) {
        return romanise(r, cam_givens[g].latin, out, size);
    }
    c = &cam_compounds[g - CAM_N_WORD];
    other = romanise(r, cam_prefixes[c->prefix].latin, a, sizeof a);
    other |= romanise(r, cam_bases[c->base].latin, b, sizeof b);
    how = unif(r);
    if (how < 0.5) {
        snprintf(out, size, "%s %s", a, b);
    } else if (how < 0.85) {
        if (b[0] >= 'A' && b[0] <= 'Z') {
            b[0] = (char)(b[0] - 'A' + 'a');
        }
        snprintf(out, size, "%s%s", a, b);
        other = 1;
    } else if (how < 0.95) {
        snprintf(out, size, "%s%s", a, b);
        other = 1;
    } else {
        snprintf(out, size, "%s-%s", a, b);
        other = 1;
    }
    return other;
}

/* A strict, letter-by-letter transliteration of Khmer text (ALA-LC's
 * letter values, diacritics dropped: ប p, ព b, ទ d, ជ j, ា a, ឹ y; the
 * inherent vowel written a except on a word's last consonant), as a
 * library catalogue or a transliteration tool writes names: សុខា sukha,
 * វិចិត្រ vicitr, សំណាង samnang, ពិសិដ្ឋ bisidth. */
static void translit(const char *km, char *out, size_t size)
{
    static const char *const cons[35] = {
        "k", "kh", "g", "gh", "ng", "c", "ch", "j", "jh", "ny", "d", "th",
        "d", "dh", "n", "t",  "th", "d", "dh", "n", "p",  "ph", "b", "bh",
        "m", "y",  "r", "l",  "v",  "s", "s",  "s", "h",  "l",  "",
    };
    static const char *const indep[17] = {
        "a",  "a",  "i",  "i", "u",  "u", "u", "au", "ri",
        "ri", "li", "li", "e", "ai", "o", "o", "au",
    };
    static const char *const dep[14] = {
        "a",  "i",  "i",  "y",  "y", "u",  "u",
        "ua", "oe", "ya", "ie", "e", "ae", "ai",
    };
    unsigned cp[64];
    size_t n = 0;
    size_t len = 0;
    size_t i;
    const unsigned char *p = (const unsigned char *)km;

    while (*p != '\0' && n < 64) {
        if ((p[0] & 0xF0) == 0xE0 && p[1] != '\0' && p[2] != '\0') {
            cp[n++] = ((unsigned)(p[0] & 0x0F) << 12) |
                      ((unsigned)(p[1] & 0x3F) << 6) | (unsigned)(p[2] & 0x3F);
            p += 3;
        } else {
            cp[n++] = *p++;
        }
    }
    out[0] = '\0';
    for (i = 0; i < n; i++) {
        unsigned c = cp[i];
        const char *t = "";
        int bare = 0;

        if (c >= 0x1780 && c <= 0x17A2) {
            size_t j = i + 1;
            size_t k;
            int base = i == 0 || cp[i - 1] != 0x17D2;
            int last = 1;

            t = cons[c - 0x1780];
            while (j < n && (cp[j] == 0x17C9 || cp[j] == 0x17CA)) {
                j++; /* series shifters */
            }
            for (k = j; k < n; k++) {
                if (cp[k] >= 0x1780 && cp[k] <= 0x17A2 && cp[k - 1] != 0x17D2) {
                    last = 0; /* a later syllable */
                }
            }
            bare = base && !last &&
                   !(j < n &&
                     ((cp[j] >= 0x17B6 && cp[j] <= 0x17C5) || cp[j] == 0x17D0 ||
                      cp[j] == 0x17D2 || cp[j] == 0x17CB));
            if (i > 0 && cp[i - 1] >= 0x17B6 && cp[i - 1] <= 0x17C5 &&
                !(j + 1 == n && cp[j] >= 0x1780 && cp[j] <= 0x17A2)) {
                bare = 0; /* it closes the syllable of that vowel, unless one
                           * last bare consonant follows (សុផន suphan) */
            }
            if (j < n && (cp[j] == 0x17C6 || cp[j] == 0x17C7)) {
                bare = 1; /* am, ah */
            }
        } else if (c >= 0x17A3 && c <= 0x17B3) {
            t = indep[c - 0x17A3];
        } else if (c >= 0x17B6 && c <= 0x17C3) {
            t = dep[c - 0x17B6];
        } else if (c == 0x17C4) {
            t = "o";
        } else if (c == 0x17C5) {
            t = "au";
        } else if (c == 0x17C6) {
            t = "m";
        } else if (c == 0x17C7 || c == 0x17C8) {
            t = "h";
        } else if (c == 0x17D0) {
            t = "a";
        } else if (c == ' ') {
            t = " ";
        }
        len += (size_t)snprintf(out + len, size > len ? size - len : 0, "%s%s",
                                t, bare ? "a" : "");
        if (len >= size) {
            out[size - 1] = '\0';
            return;
        }
    }
    if (out[0] >= 'a' && out[0] <= 'z') {
        out[0] = (char)(out[0] - 'a' + 'A');
    }
}

static void typo(struct rng *r, char *s)
{
    size_t n = strlen(s);
    size_t i;
    int kind = below(r, 4);

    if (n < 3) {
        return;
    }
    i = 1 + (size_t)below(r, (int)n - 2);
    if (s[i] == ' ' || s[i - 1] == ' ') {
        return;
    }
    switch (kind) {
    case 0: /* substitution */
        s[i] = "aeiouhnkrst"[below(r, 11)];
        break;
    case 1: /* deletion */
        memmove(s + i, s + i + 1, n - i);
        break;
    case 2: /* transposition */
    {
        char c = s[i];

        s[i] = s[i - 1];
        s[i - 1] = c;
    } break;
    default: /* doubling */
        if (n + 2 < 64) {
            memmove(s + i + 1, s + i, n - i + 1);
        }
        break;
    }
}

static void upper(char *s)
{
    for (; *s != '\0'; s++) {
        if (*s >= 'a' && *s <= 'z') {
            *s = (char)(*s - 'a' + 'A');
        }
    }
}

static int days_in(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
        return 29;
    }
    return d[m - 1];
}

/* ---- records ------------------------------------------------------------- */

struct person {
    int given, family;
    int sex; /* 1 f, 2 m */
    int y, m, d;
    int prov;
    int village;
    int has_phone;
    char phone[32];
};

struct out {
    FILE *f;
    struct ctis_buf line;
    long records;
    long next_id;
};

enum col {
    C_ID,
    C_GIVEN,
    C_FAMILY,
    C_FULL,
    C_GIVEN_KM,
    C_FAMILY_KM,
    C_SEX,
    C_BIRTH_DATE,
    C_BIRTH_YEAR,
    C_AGE,
    C_AGE_AT,
    C_PROV,
    C_PLACE,
    C_PHONE,
    C_PERSON,
    C_T_GIVEN,
    C_T_FAMILY,
    C_T_PROV,
    C_T_SCRIPT,
    C_T_VAR,
    C_T_TYPO,
    C_T_SWAP,
    C_T_FULL,
    C_T_BIRTH,
    C_T_BERR,
    C_T_DUP,
    C_N
};

static const char *const col_names[C_N] = {
    "record_id", "given_name",    "family_name",
    "full_name", "given_name_km", "family_name_km",
    "sex",       "birth_date",    "birth_year",
    "age",       "age_at",        "home_province",
    "place",     "phone",         "person_id",
    "t_given",   "t_family",      "t_prov",
    "t_script",  "t_var",         "t_typo",
    "t_swap",    "t_full",        "t_birth",
    "t_berr",    "t_dup",
};

static int write_row(struct out *o, char v[C_N][192])
{
    int i;
    int rc = 0;

    ctis_buf_reset(&o->line);
    for (i = 0; i < C_N && rc == 0; i++) {
        rc = io_csv_put_field(&o->line, v[i]);
        if (rc == 0) {
            rc = ctis_buf_putc(&o->line, i + 1 < C_N ? ',' : '\n');
        }
    }
    if (rc == 0 && fwrite(o->line.data, 1, o->line.len, o->f) != o->line.len) {
        rc = CTIS_EIO;
    }
    o->records++;
    return rc;
}

/* Styles of the lists: share of records in Khmer script only, of upper
 * case, of full names; birth as date / year / age (the rest missing). */
struct style {
    double khmer, upper, full, date, year, age;
};

static const struct style styles[4] = {
    {0.10, 0.45, 0.10, 0.55, 0.20, 0.10}, /* police */
    {0.20, 0.10, 0.45, 0.35, 0.15, 0.30}, /* ngo */
    {0.45, 0.05, 0.10, 0.40, 0.35, 0.10}, /* ministry */
    {0.15, 0.20, 0.20, 0.50, 0.10, 0.25}, /* iom */
};

/* The knobs (docs/linkage.md, "Generators"); a negative rate: the
 * default of each list. */
struct knobs {
    double khmer;
    double birth[4]; /* date, year, age, none; birth[0] < 0: by list */
    double missing;
    double typo, swap, dup, dmswap, yearoff, ageoff;
    double translit; /* a name written by strict transliteration */
};

static void put(char v[C_N][192], int c, const char *s)
{
    snprintf(v[c], sizeof v[c], "%s", s);
}

static int emit(struct rng *r, const struct knobs *k, struct out *o, int list,
                const struct person *p, long pid, int dup)
{
    const struct style *st = &styles[list];
    char v[C_N][192];
    char g[64];
    char f[64];
    char gk[128];
    int khmer = chance(r, k->khmer >= 0 ? k->khmer : st->khmer);
    int swap = chance(r, k->swap);
    int full = 0;
    int other = 0;
    int typod = 0;
    double b = unif(r);
    double pdate = k->birth[0] >= 0 ? k->birth[0] : st->date;
    double pyear = k->birth[0] >= 0 ? k->birth[1] : st->year;
    double page = k->birth[0] >= 0 ? k->birth[2] : st->age;
    double miss_sex = k->missing >= 0 ? k->missing : 0.10;
    double miss_prov = k->missing >= 0 ? k->missing : 0.15;
    double miss_place = k->missing >= 0 ? k->missing : 0.40;
    const char *berr = "";
    int y = p->y;
    int m = p->m;
    int d = p->d;

    memset(v, 0, sizeof v);
    snprintf(v[C_ID], sizeof v[C_ID], "R%ld", o->next_id++);
    snprintf(v[C_PERSON], sizeof v[C_PERSON], "%ld", pid);
    snprintf(v[C_T_GIVEN], sizeof v[C_T_GIVEN], "%d", p->given);
    snprintf(v[C_T_FAMILY], sizeof v[C_T_FAMILY], "%d", p->family);
    snprintf(v[C_T_PROV], sizeof v[C_T_PROV], "%d", p->prov);
    if (khmer) {
        char fk[64];
        const char *a;
        const char *z;

        other = khmer_given(r, p->given, gk, sizeof gk);
        other |= khmer_spelling(r, cam_families[p->family].km, fk, sizeof fk);
        a = swap ? fk : gk;
        z = swap ? gk : fk;
        if (chance(r, 0.4)) {
            snprintf(v[C_FULL], sizeof v[C_FULL], "%s %s", z, a);
            full = 1;
        } else {
            put(v, C_GIVEN_KM, a);
            put(v, C_FAMILY_KM, z);
        }
    } else {
        other = romanise_given(r, p->given, g, sizeof g);
        other |= romanise(r, cam_families[p->family].latin, f, sizeof f);
        if (k->translit > 0 && chance(r, k->translit)) {
            char km[128];

            given_km(p->given, 0, km, sizeof km);
            translit(km, g, sizeof g);
            variant(cam_families[p->family].km, 0, km, sizeof km);
            translit(km, f, sizeof f);
            other = 1;
        }
        if (chance(r, k->typo)) {
            typo(r, chance(r, 0.5) ? g : f);
            typod = 1;
        }
        if (chance(r, st->upper)) {
            upper(g);
            upper(f);
        } else if (chance(r, 0.15)) {
            upper(f); /* CHAN Sokha */
        }
        if (swap) {
            char t[64];

            memcpy(t, g, sizeof t);
            memcpy(g, f, sizeof g);
            memcpy(f, t, sizeof f);
        }
        if (chance(r, st->full)) {
            full = 1;
            if (chance(r, 0.5)) {
                snprintf(v[C_FULL], sizeof v[C_FULL], "%s %s", g, f);
            } else { /* Cambodian order, family name first */
                snprintf(v[C_FULL], sizeof v[C_FULL], "%s %s", f, g);
            }
        } else {
            put(v, C_GIVEN, g);
            if (!chance(r, 0.03)) {
                put(v, C_FAMILY, f);
            }
        }
    }
    if (!chance(r, miss_sex)) {
        put(v, C_SEX,
            khmer ? (p->sex == 1 ? "ស្រី" : "ប្រុស") : (p->sex == 1 ? "F" : "M"));
    }
    /* birth */
    if (chance(r, k->yearoff)) {
        y += chance(r, 0.5) ? 1 : -1;
        berr = "year";
    }
    if (b < pdate) {
        put(v, C_T_BIRTH, "date");
        if (chance(r, k->dmswap) && d <= 12 && d != m) {
            int t = d;

            d = m;
            m = t;
            berr = berr[0] != '\0' ? "year+dm" : "dm";
        }
        if (d > days_in(y, m)) {
            d = days_in(y, m);
        }
        snprintf(v[C_BIRTH_DATE], sizeof v[C_BIRTH_DATE], "%04d-%02d-%02d", y,
                 m, d);
    } else if (b < pdate + pyear) {
        put(v, C_T_BIRTH, "year");
        snprintf(v[C_BIRTH_YEAR], sizeof v[C_BIRTH_YEAR], "%04d", y);
    } else if (b < pdate + pyear + page) {
        int ay = 2018 + below(r, 8);
        int am = 1 + below(r, 12);
        int ad = 1 + below(r, days_in(ay, am));
        int age = ay - p->y - (am < p->m || (am == p->m && ad < p->d));

        put(v, C_T_BIRTH, "age");
        berr = "";
        if (chance(r, k->ageoff)) {
            age += chance(r, 0.5) ? 1 : -1;
            berr = "age";
        }
        if (age < 0) {
            age = 0;
        }
        snprintf(v[C_AGE], sizeof v[C_AGE], "%d", age);
        snprintf(v[C_AGE_AT], sizeof v[C_AGE_AT], "%04d-%02d-%02d", ay, am, ad);
    } else {
        put(v, C_T_BIRTH, "none");
        berr = "";
    }
    put(v, C_T_BERR, berr[0] != '\0' ? berr : "-");
    if (!chance(r, miss_prov)) {
        int prov = chance(r, 0.04) ? 1 + below(r, 25) : p->prov;

        snprintf(v[C_PROV], sizeof v[C_PROV], "KH-%d", prov);
    }
    if (!chance(r, miss_place)) {
        put(v, C_PLACE,
            villages[chance(r, 0.05) ? below(r, (int)N_VIL) : p->village]);
        if (!khmer && chance(r, 0.2)) {
            upper(v[C_PLACE]);
        }
    }
    if (p->has_phone && chance(r, 0.5)) {
        put(v, C_PHONE, p->phone);
    }
    put(v, C_T_SCRIPT, khmer ? "km" : "latin");
    put(v, C_T_VAR, other ? "1" : "0");
    put(v, C_T_TYPO, typod ? "1" : "0");
    put(v, C_T_SWAP, swap ? "1" : "0");
    put(v, C_T_FULL, full ? "1" : "0");
    put(v, C_T_DUP, dup ? "1" : "0");
    return write_row(o, v);
}

/* ---- the name table ------------------------------------------------------ */

/* How far ctis's reading of km meets one of the romanisations in lat
 * ('|' between them): "key", "skeleton" or "none". */
static const char *meets(const char *km, const char *lat)
{
    char norm[CAM_NAME_MAX];
    char key[CAM_KEY_MAX];
    char skel[CAM_KEY_MAX];
    char buf[512];
    const char *lvl = "none";
    char *p;

    if (model_name_normalise(km, norm, sizeof norm) != 0) {
        return "none";
    }
    model_name_phonetic_key(norm, key, sizeof key);
    link_skeleton(key, skel, sizeof skel);
    ctis_strlcpy(buf, lat, sizeof buf);
    for (p = buf; p != NULL && *p != '\0';) {
        char *e = strchr(p, '|');
        char vn[CAM_NAME_MAX];
        char vk[CAM_KEY_MAX];
        char vs[CAM_KEY_MAX];

        if (e != NULL) {
            *e = '\0';
        }
        if (model_name_normalise(p, vn, sizeof vn) == 0) {
            model_name_phonetic_key(vn, vk, sizeof vk);
            link_skeleton(vk, vs, sizeof vs);
            if (strcmp(vk, key) == 0) {
                return "key";
            }
            if (strcmp(vs, skel) == 0) {
                lvl = "skeleton";
            }
        }
        p = e != NULL ? e + 1 : NULL;
    }
    return lvl;
}

static void slashes_to_bars(const char *s, char *out, size_t size)
{
    size_t i;

    ctis_strlcpy(out, s, size);
    for (i = 0; out[i] != '\0'; i++) {
        if (out[i] == '/') {
            out[i] = '|';
        }
    }
}

/* Print every name of the pool: Khmer, romanisations, the level at which
 * ctis's reading meets one of them, and the kind of name. */
static void names_tsv(void)
{
    size_t i;
    int k;

    printf("khmer\tromanisations\tmeets\tkind\n");
    for (i = 0; i < CAM_N_FAM; i++) {
        char lat[512];
        char km[64];
        int n = variant(cam_families[i].km, 0, km, sizeof km);

        slashes_to_bars(cam_families[i].latin, lat, sizeof lat);
        for (k = 0; k < n; k++) {
            variant(cam_families[i].km, k, km, sizeof km);
            printf("%s\t%s\t%s\tfamily\n", km, lat, meets(km, lat));
        }
    }
    for (i = 0; i < CAM_N_WORD; i++) {
        char lat[512];
        char km[96];
        int n = variant(cam_givens[i].km, 0, km, sizeof km);

        slashes_to_bars(cam_givens[i].latin, lat, sizeof lat);
        for (k = 0; k < n; k++) {
            given_km((int)i, k, km, sizeof km);
            printf("%s\t%s\t%s\tgiven\n", km, lat, meets(km, lat));
        }
    }
    for (i = 0; i < CAM_N_COMP; i++) {
        const struct cam_compound *c = &cam_compounds[i];
        char km[128];
        char lat[512];
        size_t len = 0;
        int np = variant(cam_prefixes[c->prefix].latin, 0, lat, 2);
        int nb = variant(cam_bases[c->base].latin, 0, lat, 2);
        int kp = variant(cam_prefixes[c->prefix].km, 0, km, sizeof km);
        int kb = variant(cam_bases[c->base].km, 0, km, sizeof km);
        int a;
        int b;

        lat[0] = '\0';
        for (a = 0; a < np; a++) {
            for (b = 0; b < nb; b++) {
                char x[32];
                char y[32];

                variant(cam_prefixes[c->prefix].latin, a, x, sizeof x);
                variant(cam_bases[c->base].latin, b, y, sizeof y);
                len += (size_t)snprintf(lat + len, sizeof lat - len, "%s%s %s",
                                        len > 0 ? "|" : "", x, y);
                if (len >= sizeof lat) {
                    len = sizeof lat - 1;
                }
            }
        }
        for (a = 0; a < kp; a++) {
            for (b = 0; b < kb && b < 4; b++) {
                given_km((int)(CAM_N_WORD + i), a + 4 * b, km, sizeof km);
                printf("%s\t%s\t%s\tcompound\n", km, lat, meets(km, lat));
            }
        }
    }
}

/* ---- main ---------------------------------------------------------------- */

static int parse_rate(const char *s, double *out)
{
    double v;

    if (ctis_parse_double(s, &v) != 0 || v < 0 || v > 1) {
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_birth(const char *s, double b[4])
{
    char buf[128];
    char *p = buf;
    double sum = 0;
    int i;

    ctis_strlcpy(buf, s, sizeof buf);
    for (i = 0; i < 4; i++) {
        char *e = strchr(p, ',');

        if ((e == NULL) != (i == 3)) {
            return -1;
        }
        if (e != NULL) {
            *e = '\0';
        }
        if (ctis_parse_double(p, &b[i]) != 0 || b[i] < 0) {
            return -1;
        }
        sum += b[i];
        p = e != NULL ? e + 1 : p;
    }
    if (sum <= 0) {
        return -1;
    }
    for (i = 0; i < 4; i++) {
        b[i] /= sum;
    }
    return 0;
}

static void usage(FILE *f)
{
    fprintf(
        f, "usage: link_cam --persons N --out DIR [--lists 1-4] [--seed S]\n"
           "                [--combos K | --namesakes R] [--birth D,Y,A,N]\n"
           "                [--khmer P] [--missing P] [--typo P] [--swap P]\n"
           "                [--dup P]\n"
           "       link_cam --names-tsv\n"
           "Writes agency lists of generated Cambodian persons with their\n"
           "truth (person_id, t_* columns); see docs/linkage.md.\n"
           "  --combos K     only K name combinations exist (extreme: 850\n"
           "                 over 20,000 persons); default: names drawn apart\n"
           "  --namesakes R  K = persons / R (mean persons per combination)\n"
           "  --spread weighted|even  persons over the K combinations by\n"
           "                 the names' weights (default) or evenly\n"
           "  --birth D,Y,A,N  shares of birth as date, year, age at a date,\n"
           "                 none (default by list: police 55,20,10,15; NGO\n"
           "                 35,15,30,20; ministry 40,35,10,15)\n"
           "  --khmer P      share of records in Khmer script only (default\n"
           "                 by list: 0.10, 0.20, 0.45)\n"
           "  --missing P    sex, province, place each missing (0.10, 0.15,\n"
           "                 0.40)\n"
           "  --typo P (0.04) --swap P (0.05) --dup P (0.03)\n");
}

int main(int argc, char **argv)
{
    static const char *const names[] = {"police", "ngo", "ministry", "iom"};
    static const struct option opts[] = {
        {"persons", required_argument, NULL, 'p'},
        {"lists", required_argument, NULL, 'l'},
        {"combos", required_argument, NULL, 'c'},
        {"namesakes", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},
        {"out", required_argument, NULL, 'o'},
        {"birth", required_argument, NULL, 'b'},
        {"khmer", required_argument, NULL, 'k'},
        {"missing", required_argument, NULL, 'm'},
        {"typo", required_argument, NULL, 't'},
        {"swap", required_argument, NULL, 'w'},
        {"dup", required_argument, NULL, 'd'},
        {"spread", required_argument, NULL, 'S'},
        {"translit", required_argument, NULL, 'L'},
        {"names-tsv", no_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct knobs k = {-1,   {-1, 0, 0, 0}, -1,   0.04, 0.05,
                      0.03, 0.03,          0.04, 0.10, 0};
    long persons = 0;
    long combos = 0;
    double namesakes = 0;
    int uniform = 0;
    long pid;
    long lists = 3;
    long seed = 1;
    const char *dir = NULL;
    struct out out[4];
    struct combo {
        int given, family, sex;
    } *cv = NULL;
    struct table ct = {NULL, 0};
    struct table ft = {NULL, 0};
    struct table gt = {NULL, 0};
    struct table pt = {NULL, 0};
    struct rng r;
    long *per_combo = NULL;
    int i;
    int c;
    int rc = 0;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int bad = 0;

        switch (c) {
        case 'p':
            bad = ctis_parse_long(optarg, 1, 100000000L, &persons);
            break;
        case 'l':
            bad = ctis_parse_long(optarg, 1, 4, &lists);
            break;
        case 'c':
            bad = ctis_parse_long(optarg, 1, 100000000L, &combos);
            break;
        case 'n':
            bad = ctis_parse_double(optarg, &namesakes) != 0 || namesakes < 1;
            break;
        case 's':
            bad = ctis_parse_long(optarg, 0, 2147483647L, &seed);
            break;
        case 'o':
            dir = optarg;
            break;
        case 'b':
            bad = parse_birth(optarg, k.birth);
            break;
        case 'k':
            bad = parse_rate(optarg, &k.khmer);
            break;
        case 'm':
            bad = parse_rate(optarg, &k.missing);
            break;
        case 't':
            bad = parse_rate(optarg, &k.typo);
            break;
        case 'w':
            bad = parse_rate(optarg, &k.swap);
            break;
        case 'd':
            bad = parse_rate(optarg, &k.dup);
            break;
        case 'S':
            uniform = strcmp(optarg, "even") == 0;
            bad = !uniform && strcmp(optarg, "weighted") != 0;
            break;
        case 'L':
            bad = parse_rate(optarg, &k.translit);
            break;
        case 'T':
            names_tsv();
            return 0;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
        if (bad) {
            const struct option *o = opts;

            while (o->name != NULL && o->val != c) {
                o++;
            }
            fprintf(stderr, "link_cam: bad value for --%s\n",
                    o->name != NULL ? o->name : "?");
            return 2;
        }
    }
    if (dir == NULL || persons < 1 || optind != argc ||
        (combos > 0 && namesakes > 0)) {
        usage(stderr);
        return 2;
    }
    if (namesakes > 0) {
        combos = (long)((double)persons / namesakes + 0.5);
        if (combos < 1) {
            combos = 1;
        }
    }
    r.s = (unsigned long long)seed * 0x2545F4914F6CDD1DULL + 7;
    if (table_init(&ft, (long)CAM_N_FAM) != 0 ||
        table_init(&gt, (long)CAM_N_GIV) != 0 || table_init(&pt, 26) != 0) {
        return 1;
    }
    for (i = 0; i < 26; i++) {
        pt.cum[i] = prov_weight[i];
    }
    table_sum(&pt);
    for (i = 0; i < (int)CAM_N_FAM; i++) {
        ft.cum[i] = cam_families[i].weight;
    }
    for (i = 0; i < (int)CAM_N_GIV; i++) {
        gt.cum[i] = given_weight(i);
    }
    table_sum(&ft);
    table_sum(&gt);
    per_combo = ctis_calloc(CAM_N_GIV * CAM_N_FAM, sizeof *per_combo);
    if (per_combo == NULL) {
        return 1;
    }
    if (combos > 0) {
        cv = ctis_calloc((size_t)combos, sizeof *cv);
        if (cv == NULL || table_init(&ct, combos) != 0) {
            return 1;
        }
        if (combos > (long)(CAM_N_GIV * CAM_N_FAM) / 2) {
            fprintf(stderr, "link_cam: --combos over %ld\n",
                    (long)(CAM_N_GIV * CAM_N_FAM) / 2);
            return 2;
        }
        for (i = 0; i < combos; i++) {
            size_t at;

            do { /* distinct combinations, drawn by weight */
                cv[i].given = (int)table_pick(&gt, &r);
                cv[i].family = (int)table_pick(&ft, &r);
                at = (size_t)cv[i].given * CAM_N_FAM + (size_t)cv[i].family;
            } while (per_combo[at] != 0);
            per_combo[at] = 1;
            cv[i].sex = given_sex(cv[i].given) == 3 ? 1 + below(&r, 2)
                                                    : given_sex(cv[i].given);
            ct.cum[i] = uniform ? 1.0
                                : (double)given_weight(cv[i].given) *
                                      cam_families[cv[i].family].weight;
        }
        table_sum(&ct);
        memset(per_combo, 0, CAM_N_GIV * CAM_N_FAM * sizeof *per_combo);
    }
    for (i = 0; i < lists; i++) {
        char path[4096];
        int col;

        snprintf(path, sizeof path, "%s/%s.csv", dir, names[i]);
        out[i].f = fopen(path, "w");
        if (out[i].f == NULL) {
            fprintf(stderr, "link_cam: cannot create '%s'\n", path);
            return 1;
        }
        ctis_buf_init(&out[i].line);
        out[i].records = 0;
        out[i].next_id = 1;
        for (col = 0; col < C_N; col++) {
            fprintf(out[i].f, "%s%c", col_names[col],
                    col + 1 < C_N ? ',' : '\n');
        }
    }
    for (pid = 1; pid <= persons && rc == 0; pid++) {
        struct person p;
        int l;

        if (cv != NULL) {
            long x = table_pick(&ct, &r);

            p.given = cv[x].given;
            p.family = cv[x].family;
            p.sex = cv[x].sex;
        } else {
            p.sex = 1 + below(&r, 2);
            do {
                p.given = (int)table_pick(&gt, &r);
            } while (given_sex(p.given) != 3 && given_sex(p.given) != p.sex);
            p.family = (int)table_pick(&ft, &r);
        }
        per_combo[(size_t)p.given * CAM_N_FAM + (size_t)p.family]++;
        p.y = 1965 + below(&r, 46);
        p.m = 1 + below(&r, 12);
        p.d = 1 + below(&r, days_in(p.y, p.m));
        p.prov = (int)table_pick(&pt, &r);
        p.village = below(&r, (int)N_VIL);
        p.has_phone = chance(&r, 0.3);
        snprintf(p.phone, sizeof p.phone, "0%d%07d", 10 + below(&r, 90),
                 below(&r, 10000000));
        for (l = 0; l < lists && rc == 0; l++) {
            if (!chance(&r, 0.42)) {
                continue;
            }
            rc = emit(&r, &k, &out[l], l, &p, pid, 0);
            if (rc == 0 && chance(&r, k.dup)) {
                rc = emit(&r, &k, &out[l], l, &p, pid, 1);
            }
        }
    }
    for (i = 0; i < lists; i++) {
        if (fclose(out[i].f) != 0) {
            rc = CTIS_EIO;
        }
        ctis_buf_release(&out[i].line);
    }
    if (rc == 0) {
        long n = 0;
        double ns = 0;
        long used = 0;
        size_t j;

        for (i = 0; i < lists; i++) {
            n += out[i].records;
        }
        for (j = 0; j < CAM_N_GIV * CAM_N_FAM; j++) {
            ns += (double)per_combo[j] * (double)(per_combo[j] - 1);
            used += per_combo[j] > 0;
        }
        fprintf(stderr,
                "link_cam: %ld records of %ld persons in %ld lists; %ld name "
                "combinations; a person has %.1f namesakes on average\n",
                n, persons, lists, used, ns / (double)persons);
    }
    ctis_free(per_combo);
    ctis_free(cv);
    ctis_free(ct.cum);
    ctis_free(ft.cum);
    ctis_free(gt.cum);
    ctis_free(pt.cum);
    if (rc != 0) {
        fprintf(stderr, "link_cam: %s\n", ctis_strerror(rc));
        return 1;
    }
    return 0;
}
