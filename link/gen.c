/*
 * gen.c - a generator of agency lists of Cambodian persons with ground
 * truth, for tests and benchmarks of linkage (bench/link_gen.c writes its
 * output as CSV files).
 *
 * Persons get a sex, a given and a family name from small pools (Khmer
 * script and a common romanisation; Cambodian names concentrate on few
 * family names, as here), a birth date, a home province and village, and
 * sometimes a phone or an email. Each list includes each person with its
 * own probability and writes in its own style: the police in Latin script
 * with romanisation variants and upper case, a shelter NGO as one full
 * name (sometimes family name first), the ministry in Khmer script with
 * birth years, IOM in Latin. Errors: romanisation variants (aspiration,
 * doubled finals, vowel spellings, split or joined syllables), typos,
 * missing or partial birth dates, ages instead of dates (sometimes off by
 * one), day and month swapped, wrong years, wrong or missing provinces,
 * duplicates inside a list. Everything comes from a seeded ctis_rng: the
 * same options give the same lists.
 */
#include <stdio.h>
#include <string.h>

#include "link_int.h"

struct gen_name {
    const char *km;
    const char *latin;  /* '|' marks a syllable split: "srey|mom" */
};

static const struct gen_name female[] = {
    {"\u179F\u17BB\u1781\u17B6", "sokha"},
    {"\u179F\u17D2\u179A\u17B8\u1798\u17BB\u17C6", "srey|mom"},
    {"\u1794\u17BB\u1794\u17D2\u1795\u17B6", "bopha"},
    {"\u1785\u1793\u17D2\u1792\u17BC", "chanthou"},
    {"\u179F\u17BB\u1797\u17B6", "sophea"},
    {"\u179F\u17BB\u1797\u17B6\u1796", "sopheap"},
    {"\u178A\u17B6\u179C\u17B8", "davy"},
    {"\u1793\u17B6\u179A\u17B8", "neary"},
    {"\u179F\u17D2\u179A\u17B8\u1793\u17B6\u1784", "srey|neang"},
    {"\u179F\u17D2\u179A\u17B8\u1796\u17C5", "srey|pov"},
    {"\u1792\u17B8\u178F\u17B6", "thida"},
    {"\u1785\u1793\u17D2\u1791\u17B6", "chanthea"},
    {"\u1782\u1793\u17D2\u1792\u17B6", "kunthea"},
    {"\u1796\u17B7\u179F\u17B8", "pisey"},
    {"\u1798\u17C9\u17B6\u179B\u17B8", "maly"},
    {"\u1785\u17B6\u1793\u17CB\u1792\u17B8", "chanthy"},
    {"\u179B\u17B8\u178E\u17B6", "lina"},
    {"\u179F\u17BB\u1787\u17B6\u178F\u17B6", "socheata"},
    {"\u179F\u17D2\u179A\u17B8\u1793\u17B7\u1785", "srey|nich"},
    {"\u179F\u17D2\u179A\u17B8\u178A\u17B6", "srey|da"},
    {"\u179F\u17D2\u179A\u17B8\u1793\u17B8", "srey|ny"},
    {"\u179F\u17D2\u179A\u17B8\u179B\u17B8\u1793", "srey|lin"},
    {"\u179F\u17D2\u179A\u17B8\u17A2\u17BC\u1793", "srey|oun"},
    {"\u179F\u17D2\u179A\u17B8\u1798\u17B6\u179F", "srey|meas"},
    {"\u179F\u17D2\u179A\u17B8\u179F\u17BB\u1781", "srey|sok"},
    {"\u179F\u17D2\u179A\u17B8\u1798\u17C9\u17C5", "srey|mao"},
    {"\u1785\u17B6\u1793\u17CB\u178E\u17B6", "chan|na"},
    {"\u1785\u17B6\u1793\u17CB\u1790\u17B6", "chan|tha"},
    {"\u1785\u17B6\u1793\u17CB\u178A\u17B6\u179A\u17C9\u17B6", "chan|dara"},
    {"\u179F\u17BB\u1781\u179B\u17B8", "sok|ly"},
    {"\u179F\u17BB\u1781\u178E\u17B6", "sok|na"},
    {"\u179F\u17BB\u1781\u1793\u17B8", "sok|ny"},
    {"\u179F\u17BB\u1781\u17A0\u17C1\u1784", "sok|heng"},
    {"\u1793\u17B8\u178F\u17B6", "nita"},
    {"\u179A\u17C9\u17B6\u1793\u17B8", "rany"},
    {"\u1792\u17B6\u179A\u17B8", "theary"},
    {"\u178A\u17B6\u1793\u17B8", "dany"},
    {"\u1798\u17B6\u179B\u17B6", "mealea"},
    {"\u178E\u17B6\u179C\u17B8", "navy"},
    {"\u179C\u17C9\u17B6\u1793\u17CB\u1793\u17B8", "vanny"},
    {"\u179F\u17CA\u17B8\u178E\u17B6", "sina"},
    {"\u179F\u17BB\u1792\u17B8", "sothy"},
};

static const struct gen_name male[] = {
    {"\u178A\u17B6\u179A\u17C9\u17B6", "dara"},
    {"\u179F\u17BB\u1781\u17BB\u1798", "sokhom"},
    {"\u179C\u17BB\u1791\u17D2\u1792\u17B8", "vuthy"},
    {"\u179F\u17C6\u178E\u17B6\u1784", "samnang"},
    {"\u179C\u17B7\u179F\u17B6\u179B", "visal"},
    {"\u179F\u17BB\u1795\u179B", "sophal"},
    {"\u1780\u17BB\u179F\u179B", "kosal"},
    {"\u1794\u17CA\u17BB\u1793\u1792\u17BF\u1793", "bun|thoeun"},
    {"\u179A\u17B7\u1791\u17D2\u1792\u17B8", "rithy"},
    {"\u1785\u17C6\u179A\u17BE\u1793", "chamroeun"},
    {"\u179F\u17BB\u1782\u17BB\u1793", "sokun"},
    {"\u179C\u17B7\u1794\u17BB\u179B", "vibol"},
    {"\u1782\u17B8\u1798\u17A0\u17C1\u1784", "kim|heng"},
    {"\u179F\u17BB\u1792\u17B6", "sothea"},
    {"\u1797\u17B7\u179A\u17BB\u178E", "phirun"},
    {"\u1798\u17BB\u1793\u17B8", "mony"},
    {"\u1794\u17BC\u179A\u17C9\u17B6", "bora"},
    {"\u1792\u17B8", "thy"},
    {"\u1793\u17B7\u1798\u179B", "nimol"},
    {"\u179F\u17B8\u17A0\u17B6", "seyha"},
    {"\u179C\u17B7\u1787\u17C1\u178F", "vichet"},
    {"\u1786\u17B6\u1799", "chhay"},
    {"\u1796\u1793\u17D2\u179B\u17BA", "ponleu"},
    {"\u1782\u17B8\u1798\u179F\u17B6\u1793", "kim|san"},
    {"\u17A1\u17B6\u1799", "lay"},
    {"\u1798\u17C9\u17C1\u1784", "meng"},
    {"\u1794\u17BC\u179A\u17B8", "borey"},
    {"\u1785\u17B6\u1793\u17CB\u178E\u17B6", "chan|na"},
    {"\u179F\u17BB\u1781\u179B\u17B8", "sok|ly"},
};

static const struct gen_name family[] = {
    {"\u1785\u17B6\u1793\u17CB", "chan"},
    {"\u179F\u17BB\u1781", "sok"},
    {"\u1782\u17B8\u1798", "kim"},
    {"\u17A0\u17C1\u1784", "heng"},
    {"\u179B\u17B8", "ly"},
    {"\u179F\u17C1\u1784", "seng"},
    {"\u1787\u17B6", "chea"},
    {"\u1798\u17B6\u179F", "meas"},
    {"\u17A2\u17CA\u17BB\u1780", "ouk"},
    {"\u1794\u17D2\u179A\u17B6\u1780\u17CB", "prak"},
    {"\u17A0\u17CA\u17BB\u1793", "hun"},
    {"\u179F\u17C6", "sam"},
    {"\u1791\u17C1\u1796", "tep"},
    {"\u1799\u17B7\u1798", "yim"},
    {"\u1798\u17C9\u17C5", "mao"},
    {"\u1798\u17C9\u17C2\u1793", "men"},
    {"\u17A1\u17BB\u1784", "long"},
    {"\u1795\u17B6\u1793", "phan"},
    {"\u1782\u1784\u17CB", "kong"},
    {"\u1784\u17C9\u17C2\u178F", "nget"},
    {"\u1793\u17BD\u1793", "noun"},
    {"\u1794\u17C9\u17C2\u1793", "pen"},
    {"\u1791\u17BC\u1785", "touch"},
    {"\u17A2\u17CA\u17BB\u1799", "uy"},
    {"\u179C\u17C9\u17B6\u1793\u17CB", "vann"},
    {"\u179F\u17CA\u17BB\u1793", "sun"},
    {"\u179A\u179F\u17CB", "ros"},
    {"\u178F\u17B6\u1793\u17CB", "tan"},
    {"\u179F\u17BD\u1793", "suon"},
    {"\u1781\u17C0\u179C", "khiev"},
};

#define N_FEMALE (sizeof female / sizeof female[0])
#define N_MALE (sizeof male / sizeof male[0])
#define N_FAMILY (sizeof family / sizeof family[0])

static const char *const syllables[] = {
    "prey", "svay", "kampong", "chrey", "tuol", "boeng", "thmei", "kandal",
    "ampil", "trapeang", "srah", "phnom", "doung", "krang", "ta", "veal",
    "samrong", "roka", "chamkar", "kouk", "angk", "spean", "preaek",
    "daun", "kaoh", "chheu", "teal", "krouch", "sla", "lvea",
};
#define N_SYL (sizeof syllables / sizeof syllables[0])

static const char *const list_names[] = {"police", "ngo", "ministry", "iom"};

/* The pools, for tests: Khmer script and romanisation of name i of pool
 * p (0 female, 1 male, 2 family); NULL past the end. */
const char *link_gen_pool(int p, size_t i, int khmer)
{
    const struct gen_name *v = p == 0 ? female : p == 1 ? male : family;
    size_t n = p == 0 ? N_FEMALE : p == 1 ? N_MALE : N_FAMILY;

    if (i >= n) {
        return NULL;
    }
    return khmer ? v[i].km : v[i].latin;
}

/* Given names: the lists above plus compounds with a prefix (Srey for
 * women; Chan, Sok, Kim for anyone), kept only when the romanisation of
 * the compound's Khmer spelling meets its Latin spelling's key. */
#define GEN_NAME_TEXT 64
struct gen_given {
    char km[GEN_NAME_TEXT];
    char latin[GEN_NAME_TEXT];
};

struct gen_pools {
    struct gen_given *v[2];  /* female, male */
    size_t n[2];
};

static const struct gen_name prefixes[] = {
    {"\u179F\u17D2\u179A\u17B8", "srey"},
    {"\u1785\u17B6\u1793\u17CB", "chan"},
    {"\u179F\u17BB\u1781", "sok"},
    {"\u1782\u17B8\u1798", "kim"},
};

static int key_meets(const char *km, const char *latin)
{
    char a[GEN_NAME_TEXT * 2];
    char b[GEN_NAME_TEXT];
    char ka[LINK_KEY_MAX];
    char kb[LINK_KEY_MAX];
    size_t i;
    size_t n = 0;

    for (i = 0; latin[i] != '\0' && n + 1 < sizeof b; i++) {
        if (latin[i] != '|') {
            b[n++] = latin[i];
        }
    }
    b[n] = '\0';
    if (model_name_normalise(km, a, sizeof a) != 0) {
        return 0;
    }
    model_name_phonetic_key(a, ka, sizeof ka);
    model_name_phonetic_key(b, kb, sizeof kb);
    return strcmp(ka, kb) == 0;
}

static int pool_add(struct gen_pools *p, int sex, const char *km,
                    const char *latin)
{
    struct gen_given *g;
    size_t i;

    for (i = 0; i < p->n[sex]; i++) {
        if (strcmp(p->v[sex][i].km, km) == 0) {
            return 0;
        }
    }
    g = &p->v[sex][p->n[sex]++];
    ctis_strlcpy(g->km, km, sizeof g->km);
    ctis_strlcpy(g->latin, latin, sizeof g->latin);
    return 0;
}

static int pools_build(struct gen_pools *p)
{
    size_t cap = (N_FEMALE + N_MALE) * (1 + sizeof prefixes /
                                        sizeof prefixes[0]) + 8;
    int sex;
    size_t i;
    size_t k;

    p->v[0] = ctis_calloc(cap, sizeof *p->v[0]);
    p->v[1] = ctis_calloc(cap, sizeof *p->v[1]);
    p->n[0] = 0;
    p->n[1] = 0;
    if (p->v[0] == NULL || p->v[1] == NULL) {
        ctis_free(p->v[0]);
        ctis_free(p->v[1]);
        return CTIS_ENOMEM;
    }
    for (sex = 0; sex < 2; sex++) {
        const struct gen_name *base = sex == 0 ? female : male;
        size_t nb = sex == 0 ? N_FEMALE : N_MALE;

        for (i = 0; i < nb; i++) {
            pool_add(p, sex, base[i].km, base[i].latin);
        }
        for (k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++) {
            if (k == 0 && sex == 1) {
                continue;
            }
            for (i = 0; i < nb; i++) {
                char km[GEN_NAME_TEXT];
                char latin[GEN_NAME_TEXT];

                if (strchr(base[i].latin, '|') != NULL) {
                    continue;  /* already a compound */
                }
                snprintf(km, sizeof km, "%s%s", prefixes[k].km, base[i].km);
                snprintf(latin, sizeof latin, "%s|%s", prefixes[k].latin,
                         base[i].latin);
                if (key_meets(km, latin)) {
                    pool_add(p, sex, km, latin);
                }
            }
        }
    }
    return 0;
}

struct gen_person {
    uint8_t sex;
    uint16_t given;
    uint8_t family;
    uint8_t prov;
    int16_t by;
    int8_t bm, bd;
    uint16_t village;
    uint32_t phone;
    int email;
};

static int chance(struct ctis_rng *r, double p)
{
    return ctis_rng_double(r) < p;
}

/* Replace the first occurrence of from by to in s (size bytes). */
static int replace(char *s, size_t size, const char *from, const char *to)
{
    char *p = strstr(s, from);
    char tmp[LINK_NAME_MAX];

    if (p == NULL) {
        return 0;
    }
    snprintf(tmp, sizeof tmp, "%.*s%s%s", (int)(p - s), s, to,
             p + strlen(from));
    ctis_strlcpy(s, tmp, size);
    return 1;
}

/* A romanisation variant of a canonical spelling. */
static void variant(struct ctis_rng *r, const char *canon, char *out,
                    size_t size, double p)
{
    static const char *const rules[][2] = {
        {"kh", "k"}, {"ph", "p"}, {"th", "t"}, {"chh", "ch"},
        {"ou", "o"}, {"ou", "u"}, {"o", "ou"}, {"ea", "ia"}, {"ey", "ei"},
        {"ey", "ai"}, {"ie", "ea"}, {"u", "ou"}, {"y", "i"}, {"ch", "j"},
    };
    char s[LINK_NAME_MAX];
    size_t i;
    size_t n;
    char last;
    int split = chance(r, 0.5);

    ctis_strlcpy(s, canon, sizeof s);
    for (i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        if (chance(r, p / 3)) {
            replace(s, sizeof s, rules[i][0], rules[i][1]);
        }
    }
    n = strlen(s);
    last = n > 0 ? s[n - 1] : 0;
    if (n > 0 && n + 1 < sizeof s && chance(r, p / 2) &&
        strchr("nlmtkp", last) != NULL) {
        s[n] = last;
        s[n + 1] = '\0';
    }
    /* split or joined syllables */
    n = 0;
    for (i = 0; s[i] != '\0' && n + 1 < size; i++) {
        if (s[i] == '|') {
            if (split && n + 1 < size) {
                out[n++] = ' ';
            }
            continue;
        }
        out[n++] = s[i];
    }
    out[n] = '\0';
}

static void typo(struct ctis_rng *r, char *s)
{
    size_t n = strlen(s);
    size_t i;

    if (n < 3) {
        return;
    }
    i = 1 + (size_t)ctis_rng_below(r, n - 1);
    switch (ctis_rng_below(r, 3)) {
    case 0:
        s[i] = (char)('a' + ctis_rng_below(r, 26));
        break;
    case 1:
        memmove(s + i, s + i + 1, n - i);
        break;
    default:
        if (i + 1 < n) {
            char t = s[i];

            s[i] = s[i + 1];
            s[i + 1] = t;
        }
        break;
    }
}

/* Capitalise each word, or upper-case all of it. */
static void cased(char *s, int upper)
{
    size_t i;
    int start = 1;

    for (i = 0; s[i] != '\0'; i++) {
        if (s[i] >= 'a' && s[i] <= 'z' && (upper || start)) {
            s[i] = (char)(s[i] - 'a' + 'A');
        }
        start = s[i] == ' ';
    }
}

static void latin_name(struct ctis_rng *r, const char *canon, char *out,
                       size_t size, int upper)
{
    variant(r, canon, out, size, 0.45);
    if (chance(r, 0.06)) {
        typo(r, out);
    }
    cased(out, upper);
}

struct gen_row {
    char given[LINK_NAME_MAX];
    char fam[LINK_NAME_MAX];
    char full[2 * LINK_NAME_MAX];
    char given_km[LINK_NAME_MAX];
    char fam_km[LINK_NAME_MAX];
    char id[32];
    char sex[8];
    char birth[40];
    char year[16];
    char age[16];
    char age_at[40];
    char prov[16];
    char place[64];
    char phone[24];
    char email[96];
};

static void make_row(struct ctis_rng *r, int style, const struct gen_person *p,
                     const struct gen_pools *pools, struct gen_row *w,
                     const char **f)
{
    const struct gen_given *gn = &pools->v[p->sex == 1 ? 0 : 1][p->given];
    const struct gen_name *fn = &family[p->family];
    int by = p->by;
    int bm = p->bm;
    int bd = p->bd;
    double u;

    memset(w, 0, sizeof *w);
    /* names */
    if (style == 2 && chance(r, 0.85)) {
        ctis_strlcpy(w->given_km, gn->km, sizeof w->given_km);
        ctis_strlcpy(w->fam_km, fn->km, sizeof w->fam_km);
        f[LINK_F_GIVEN_NAME_KM] = w->given_km;
        f[LINK_F_FAMILY_NAME_KM] = w->fam_km;
    } else if (style == 1) {
        latin_name(r, gn->latin, w->given, sizeof w->given, 0);
        latin_name(r, fn->latin, w->fam, sizeof w->fam, 0);
        if (chance(r, 0.2)) {
            snprintf(w->full, sizeof w->full, "%s %s", w->fam, w->given);
        } else {
            snprintf(w->full, sizeof w->full, "%s %s", w->given, w->fam);
        }
        f[LINK_F_FULL_NAME] = w->full;
    } else {
        latin_name(r, gn->latin, w->given, sizeof w->given,
                   style == 0 && chance(r, 0.4));
        latin_name(r, fn->latin, w->fam, sizeof w->fam,
                   style == 0 && chance(r, 0.4));
        if (chance(r, 0.05)) {
            f[LINK_F_GIVEN_NAME] = w->fam;
            f[LINK_F_FAMILY_NAME] = w->given;
        } else {
            f[LINK_F_GIVEN_NAME] = w->given;
            f[LINK_F_FAMILY_NAME] = w->fam;
        }
        if (chance(r, 0.04)) {
            f[LINK_F_GIVEN_NAME] = NULL;
        }
    }
    /* sex */
    if (!chance(r, style == 2 ? 0.0 : 0.08)) {
        ctis_strlcpy(w->sex, p->sex == 1 ? (style == 0 ? "F" : "female")
                                         : (style == 0 ? "M" : "male"),
                     sizeof w->sex);
        f[LINK_F_SEX] = w->sex;
    }
    /* birth, with errors */
    u = ctis_rng_double(r);
    if (chance(r, 0.03)) {
        int t = bm;

        if (bd <= 12) {
            bm = bd;
            bd = t;
        }
    }
    if (chance(r, 0.04)) {
        by += chance(r, 0.5) ? 1 : -1;
    }
    if (chance(r, 0.04)) {
        bd = 1 + (int)ctis_rng_below(r, 28);
    }
    if (style == 2) {
        if (u < 0.4) {
            snprintf(w->year, sizeof w->year, "%d", by);
            f[LINK_F_BIRTH_YEAR] = w->year;
        } else if (u < 0.8) {
            snprintf(w->birth, sizeof w->birth, "%04d-%02d-%02d", by, bm, bd);
            f[LINK_F_BIRTH_DATE] = w->birth;
            u = 1;
        } else {
            u = 0.8;  /* age */
        }
    }
    if (style != 2 || u == 0.8) {
        if (style != 2 && u < 0.55) {
            snprintf(w->birth, sizeof w->birth, "%04d-%02d-%02d", by, bm, bd);
            f[LINK_F_BIRTH_DATE] = w->birth;
        } else if (style != 2 && u < 0.62) {
            snprintf(w->birth, sizeof w->birth, "%04d-%02d", by, bm);
            f[LINK_F_BIRTH_DATE] = w->birth;
        } else if (style != 2 && u < 0.70) {
            snprintf(w->birth, sizeof w->birth, "%04d", by);
            f[LINK_F_BIRTH_DATE] = w->birth;
        } else if (style == 2 || u < 0.90) {
            int ay = 2005 + (int)ctis_rng_below(r, 8);
            int am = 1 + (int)ctis_rng_below(r, 12);
            int ad = 1 + (int)ctis_rng_below(r, 28);
            int age = ay - by - (am * 100 + ad < bm * 100 + bd ? 1 : 0);

            if (chance(r, 0.2)) {
                age += chance(r, 0.5) ? 1 : -1;
            }
            if (age < 0) {
                age = 0;
            }
            snprintf(w->age, sizeof w->age, "%d", age);
            snprintf(w->age_at, sizeof w->age_at, "%04d-%02d-%02d", ay, am,
                     ad);
            f[LINK_F_AGE] = w->age;
            f[LINK_F_AGE_AT] = w->age_at;
        }
    }
    /* province and place */
    if (!chance(r, style == 2 ? 0.05 : 0.12)) {
        int prov = p->prov;

        if (chance(r, 0.06)) {
            prov = 1 + (int)ctis_rng_below(r, 25);
        }
        snprintf(w->prov, sizeof w->prov, "KH-%d", prov);
        f[LINK_F_HOME_PROVINCE] = w->prov;
    }
    if (style != 2 && chance(r, 0.6)) {
        char a[32];
        char b[32];

        ctis_strlcpy(a, syllables[p->village % N_SYL], sizeof a);
        ctis_strlcpy(b, syllables[(p->village / N_SYL) % N_SYL], sizeof b);
        if (chance(r, 0.08)) {
            typo(r, b);
        }
        snprintf(w->place, sizeof w->place, "%s %s", a, b);
        cased(w->place, 0);
        f[LINK_F_PLACE] = w->place;
    }
    if (p->phone != 0 && style != 2 && chance(r, 0.6)) {
        snprintf(w->phone, sizeof w->phone, chance(r, 0.5) ? "0%u" : "+855 %u",
                 (unsigned)p->phone);
        f[LINK_F_PHONE] = w->phone;
    }
    if (p->email && style != 2 && chance(r, 0.7)) {
        snprintf(w->email, sizeof w->email, "%s.%s%u@example.org",
                 gn->latin, fn->latin, (unsigned)(p->phone % 1000));
        while (replace(w->email, sizeof w->email, "|", "")) {
        }
        f[LINK_F_EMAIL] = w->email;
    }
}

/* Generate: see link.h. */
int link_generate(const struct link_gen_options *o, link_gen_fn fn,
                  void *ctx, struct ctis_err *err)
{
    static const double inclusion[] = {0.55, 0.45, 0.5, 0.4, 0.35, 0.3};
    struct ctis_rng r;
    struct gen_person *people;
    struct gen_pools pools;
    long i;
    int l;
    int rc = 0;

    if (o->persons <= 0 || o->lists < 1 || o->lists > 4) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "generator needs persons > 0 and 1..4 lists");
    }
    if (pools_build(&pools) != 0) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    people = ctis_malloc((size_t)o->persons * sizeof *people);
    if (people == NULL) {
        ctis_free(pools.v[0]);
        ctis_free(pools.v[1]);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    ctis_rng_seed(&r, o->seed);
    for (i = 0; i < o->persons; i++) {
        struct gen_person *p = &people[i];

        p->sex = chance(&r, 0.7) ? 1 : 2;
        p->given = (uint16_t)ctis_rng_below(&r, pools.n[p->sex == 1 ? 0
                                                                  : 1]);
        p->family = (uint8_t)ctis_rng_below(&r, N_FAMILY);
        p->prov = (uint8_t)(1 + ctis_rng_below(&r, 25));
        p->by = (int16_t)(1965 + ctis_rng_below(&r, 45));
        p->bm = (int8_t)(1 + ctis_rng_below(&r, 12));
        p->bd = (int8_t)(1 + ctis_rng_below(&r, 28));
        p->village = (uint16_t)ctis_rng_below(&r, N_SYL * N_SYL);
        p->phone = chance(&r, 0.4)
                       ? (uint32_t)(10000000 + ctis_rng_below(&r, 89999999))
                       : 0;
        p->email = chance(&r, 0.05);
    }
    for (l = 0; l < o->lists && rc == 0; l++) {
        int style = l % 4;
        long seq = 0;
        char id[32];

        for (i = 0; i < o->persons && rc == 0; i++) {
            int copies;
            int c;

            if (!chance(&r, inclusion[l])) {
                continue;
            }
            copies = chance(&r, o->dup_rate) ? 2 : 1;
            for (c = 0; c < copies && rc == 0; c++) {
                const char *f[LINK_F_COUNT];
                struct gen_row w;

                memset(f, 0, sizeof f);
                make_row(&r, style, &people[i], &pools, &w, f);
                snprintf(id, sizeof id, "%c%07ld", list_names[style][0],
                         ++seq);
                f[LINK_F_LIST] = list_names[l];
                f[LINK_F_RECORD_ID] = id;
                rc = fn(ctx, l, f, (uint32_t)i);
            }
        }
    }
    ctis_free(people);
    ctis_free(pools.v[0]);
    ctis_free(pools.v[1]);
    if (rc != 0 && err != NULL && err->code == 0) {
        ctis_err_set(err, rc, "generator stopped by its sink");
    }
    return rc;
}
