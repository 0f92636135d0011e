/*
 * name.c - names as compared by linkage and searched by blind index:
 * Unicode normalisation with utf8proc, romanisation of Khmer script, the
 * phonetic key of romanised Khmer names. One rule for link/ (blocking,
 * comparison) and store/ (the blind indexes of sealed identities).
 *
 * Khmer romanisation (docs/linkage.md has the full table). Khmer is an
 * abugida: a consonant carries an inherent vowel that depends on its
 * series (first series "a", second series "o") unless a dependent vowel
 * sign follows. A word is cut into clusters (a base consonant, subscript
 * consonants joined by COENG U+17D2, vowel signs and diacritics) and read
 * left to right with one bit of state, `open`: whether the last syllable
 * ended in a vowel. A cluster without a vowel sign after an open syllable
 * is that syllable's final consonant; when it carries subscripts, its base
 * closes the previous syllable and the subscripts open the next one (the
 * way Khmer writes "bop-pha" as ba + u + pa + COENG pha + aa). Otherwise a
 * cluster opens a syllable with its vowel sign or its inherent vowel. The
 * series shifters U+17C9 and U+17CA move a consonant to the other series.
 * The letters follow UNGEGN without diacritics (a, e, o for a-breve etc.).
 */
#include <string.h>
#include <utf8proc.h>

#include "model.h"

/* ---- Khmer table ------------------------------------------------------- */

struct km_consonant {
    const char *initial;
    const char *final;
    int series;  /* 1 or 2 */
};

/* U+1780 .. U+17A2 */
static const struct km_consonant km_consonants[35] = {
    {"k", "k", 1},   {"kh", "kh", 1}, {"k", "k", 2},   {"kh", "kh", 2},
    {"ng", "ng", 2}, {"ch", "ch", 1}, {"chh", "ch", 1}, {"ch", "ch", 2},
    {"chh", "ch", 2}, {"nh", "nh", 2}, {"d", "t", 1},  {"th", "th", 1},
    {"d", "t", 2},   {"th", "th", 2}, {"n", "n", 1},   {"t", "t", 1},
    {"th", "th", 1}, {"t", "t", 2},   {"th", "th", 2}, {"n", "n", 2},
    {"b", "p", 1},   {"ph", "ph", 1}, {"p", "p", 2},   {"ph", "ph", 2},
    {"m", "m", 2},   {"y", "y", 2},   {"r", "r", 2},   {"l", "l", 2},
    {"v", "v", 2},   {"s", "s", 1},   {"s", "s", 1},   {"s", "s", 1},
    {"h", "h", 1},   {"l", "l", 1},   {"", "", 1},
};

/* Independent vowels U+17A3 .. U+17B3 */
static const char *const km_independent[17] = {
    "a", "a", "e", "ei", "o", "ou", "ou", "ov", "rue", "rue", "lue", "lue",
    "ae", "ai", "ao", "ao", "au",
};

/* Dependent vowels U+17B6 .. U+17C5: first series, second series. */
static const char *const km_vowels[16][2] = {
    {"a", "ea"},    {"e", "i"},     {"ei", "i"},   {"oe", "oe"},
    {"eu", "eu"},   {"o", "u"},     {"ou", "u"},   {"uo", "uo"},
    {"aeu", "eu"},  {"oea", "oea"}, {"ie", "ie"},  {"e", "e"},
    {"ae", "ae"},   {"ai", "ey"},   {"ao", "o"},   {"au", "ov"},
};

#define KM_SUBS_MAX 3
#define KM_VOWELS_MAX 2

struct km_cluster {
    int base;        /* consonant index 0..34, or -1 for an independent
                        vowel */
    int indep;       /* independent vowel index when base < 0 */
    int subs[KM_SUBS_MAX];
    int n_subs;
    int series;
    int vowels[KM_VOWELS_MAX];
    int n_vowels;
    int nikahit;
    int reahmuk;
    int samyok;      /* U+17D0: a short a / ea in place of the inherent
                        vowel */
    int yuukaleapintu; /* U+17C8: a short a / ea closed by a glottal stop,
                          written ak / eak (vannak, vireak) */
    int aing;        /* aa with nikahit before a final ng: ai / ea */
    int short_ea;    /* second-series inherent vowel before a Sanskrit or
                        Pali cluster: ea (vanna, pheakdey, reaksa) */
    int samyok_oa;   /* second-series samyok before a final that is not
                        velar: oa (roath, poan) */
    int oe_im;       /* U+17B9 before a final m: i (chhim, yim, lim) */
    int i_as_e;      /* another reading: second-series U+17B7 written e
                        (ចរិយា Chareya) */
    int inherent_o;  /* another reading: the first-series inherent vowel of
                        a closed syllable written o (ម៉ម Mom, សន Son) */
    int silent;      /* U+17CD toandakhiat: the cluster is not read */
};

struct out {
    char *p;
    size_t size;
    size_t len;
};

/* Which reading of a word is written: the orthographic alternatives
 * (choice points) of a word are numbered from 0 as they are met, and
 * alternative k is taken when bit k of variant is set; only the first
 * KM_CHOICES of a word have a bit (MODEL_NAME_READINGS readings at most).
 * Variant 0 is the first reading, model_name_normalise's. */
#define KM_CHOICES 2

struct reading {
    unsigned variant;
    int choice;      /* choice points met in the current word */
    int most;        /* the most met in any word */
};

/* A choice point: 1 when its alternative is to be read. */
static int alt(struct reading *rd)
{
    int k = rd->choice++;

    if (rd->choice > rd->most) {
        rd->most = rd->choice;
    }
    return k < KM_CHOICES && ((rd->variant >> k) & 1u) != 0;
}

static void put(struct out *o, const char *s)
{
    while (*s != '\0' && o->len + 1 < o->size) {
        o->p[o->len++] = *s++;
    }
    if (o->size > 0) {
        o->p[o->len] = '\0';
    }
}

static void put_cp(struct out *o, int32_t cp)
{
    utf8proc_uint8_t buf[8];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);

    if (n <= 0 || o->len + (size_t)n + 1 > o->size) {
        return;
    }
    memcpy(o->p + o->len, buf, (size_t)n);
    o->len += (size_t)n;
    o->p[o->len] = '\0';
}

static int is_km_consonant(int32_t c)
{
    return c >= 0x1780 && c <= 0x17A2;
}

/* Emit a syllable's vowel part for cluster c whose onset series is s. */
static void emit_vowel(struct out *o, const struct km_cluster *c, int series)
{
    int i;

    if (c->aing) {
        put(o, series == 2 ? "ea" : "ai");
        return;
    }
    if (c->oe_im) {
        put(o, "i");
        return;
    }
    if (c->n_vowels > 0) {
        for (i = 0; i < c->n_vowels; i++) {
            put(o, c->i_as_e && c->vowels[i] == 1
                       ? "e"
                       : km_vowels[c->vowels[i]][series == 2 ? 1 : 0]);
        }
        if (c->nikahit) {
            put(o, "m");
        }
        if (c->reahmuk) {
            put(o, "h");
        }
        return;
    }
    if (c->nikahit) {
        put(o, series == 2 ? "um" : "am");
    } else if (c->reahmuk) {
        put(o, series == 2 ? "eah" : "ah");
    } else if (c->yuukaleapintu) {
        put(o, series == 2 ? "eak" : "ak");
    } else if (c->samyok) {
        put(o, series == 2 ? (c->samyok_oa ? "oa" : "ea") : "a");
    } else if (series == 2) {
        put(o, c->short_ea ? "ea" : "o");
    } else {
        put(o, c->inherent_o ? "o" : "a");
    }
}

/* A consonant cluster with no vowel sign and no mark: its syllable, if
 * it opens one, has the inherent vowel. */
static int bare(const struct km_cluster *c)
{
    return c->base >= 0 && c->n_vowels == 0 && !c->nikahit &&
           !c->reahmuk && !c->samyok && !c->yuukaleapintu;
}

/* A subscript cluster that ends a Sanskrit or Pali spelling with no vowel
 * or a short i or u: only its base is read (vichet, pech, sambat). */
static int silent_final(const struct km_cluster *c)
{
    return c->base >= 0 && c->n_subs > 0 && !c->nikahit && !c->reahmuk &&
           !c->samyok && !c->yuukaleapintu &&
           (c->n_vowels == 0 ||
            (c->n_vowels == 1 && (c->vowels[0] == 1 || c->vowels[0] == 5)));
}

/* Cluster i of n is the Sanskrit or Pali final of the first word of a
 * compound written as one (ចន្ទរិទ្ធ chan-rith, ចន្ទមុនី chan-mony,
 * ចន្ទស្រេង chan-sreng): a subscript cluster with no vowel after a
 * syllable read with the inherent vowel, followed by a consonant that
 * opens the next word: a plain one that is not the word's last with no
 * vowel (that one closes the subscript's own syllable: អង្គរ ang-kor), or
 * a cluster with a vowel that is not itself a silent final (សម្បត្តិ
 * sam-bat). */
static int compound_final(const struct km_cluster *cl, size_t i, size_t n)
{
    const struct km_cluster *c = &cl[i];
    const struct km_cluster *next = i + 1 < n ? &cl[i + 1] : NULL;

    if (i == 0 || next == NULL || next->base < 0 || c->n_subs == 0 ||
        !bare(c) || !bare(&cl[i - 1]) || cl[i - 1].n_subs > 0) {
        return 0;
    }
    if (next->n_subs == 0) {
        return !(i + 2 == n && bare(next));
    }
    return !bare(next) && !(i + 2 == n && silent_final(next));
}

/* Cluster i of n is aa with nikahit before a word-final ng (តាំង taing,
 * ហាំង haing, កាំង kaing): the ng is the syllable's final, the nikahit is
 * not read, and the vowel is written ai in the first series (ea in the
 * second), as these names are. */
static int nasal_before_final(const struct km_cluster *cl, size_t i,
                              size_t n)
{
    const struct km_cluster *c = &cl[i];

    return c->nikahit && !c->reahmuk && c->n_vowels == 1 &&
           c->vowels[0] == 0 && i + 2 == n && bare(&cl[i + 1]) &&
           cl[i + 1].n_subs == 0 && cl[i + 1].base == 4;
}

/* Drop the clusters under a toandakhiat: their letters are not
 * pronounced (ល័ក្ខណ៍ leak, ឧស្សាហ៍ ossa), and the word is read as if they
 * were not written. The new count. */
static size_t drop_silent(struct km_cluster *cl, size_t n)
{
    size_t i;
    size_t k = 0;

    for (i = 0; i < n; i++) {
        if (!cl[i].silent) {
            cl[k++] = cl[i];
        }
    }
    return k;
}

/* Cluster i of n, after an open syllable with no vowel sign, is that
 * syllable's final consonant: not followed by one last vowel-less
 * consonant or silent final, which it opens instead (សុផល so-phal). */
static int final_at(const struct km_cluster *cl, size_t i, size_t n)
{
    const struct km_cluster *c = &cl[i];
    const struct km_cluster *next = i + 1 < n ? &cl[i + 1] : NULL;

    if (!bare(c) || c->n_subs > 0) {
        return 0;
    }
    if (next != NULL && next->base >= 0 && next->n_subs > 0 &&
        next->subs[0] == next->base) {
        return 0;  /* a doubled consonant's first half is the final of
                      this consonant's own syllable (សុវណ្ណារ៉ា so-vann-ara) */
    }
    return !(i + 2 == n && next->base >= 0 &&
             (bare(next) || silent_final(next)));
}

/* A cluster that spells a Sanskrit or Pali consonant group: a doubled
 * consonant (ណ្ណ, ត្ត, ក្ក), a stop doubled by its aspirate (ត្ថ, ច្ឆ,
 * ទ្ធ, ដ្ឋ: Pali tth, cch, ddh, ṭṭh) or a velar stop with a subscript
 * (ក្ស, ក្ខ, ក្ត). The second-series inherent vowel before it is short
 * and written ea or a (វណ្ណា Vanna, សុវណ្ណ Sovann, វត្តី Vatey, សុវត្ថិ
 * Sovath, ភក្តី Pheakdey, រក្សា Reaksa, លក្ខិណា Leakhena), not o. */
static int pali_cluster(const struct km_cluster *c)
{
    int b = c->base;

    if (b < 0 || c->n_subs == 0) {
        return 0;
    }
    return c->subs[0] == b || b <= 3 ||
           (c->subs[0] == b + 1 &&
            (b == 5 || b == 7 || b == 10 || b == 12 || b == 15 || b == 17 ||
             b == 20 || b == 22));
}

/* A consonant whose final after the second-series samyok makes it oa
 * (រ័ត្ន roath: Roth, Rath; ព័ន្ធ poan: Porn; ជីវ័ន chivoan: Chivon):
 * the dental, retroflex and labial stops and nasals. Before a velar
 * (ល័ក្ខ leak, ភ័ក្ត្រ pheak), y (ជ័យ chey) or nothing it stays ea. */
static int oa_final(int base)
{
    return (base >= 10 && base <= 24);
}

/* Cluster i of n ends a Sanskrit or Pali word with a consonant and a
 * short i or u after a long vowel: the short vowel is not read, and the
 * consonant is the final (ជាតិ cheat: Socheat; ហេតុ het; ធាតុ theat), as
 * with a subscript cluster (silent_final). */
static int mute_vowel_final(const struct km_cluster *cl, size_t i, size_t n)
{
    const struct km_cluster *c = &cl[i];
    const struct km_cluster *prev = i > 0 ? &cl[i - 1] : NULL;
    int v;

    if (i + 1 != n || prev == NULL || prev->n_vowels != 1 || prev->nikahit ||
        prev->reahmuk || c->base < 0 || c->n_subs > 0 || c->n_vowels != 1 ||
        c->nikahit || c->reahmuk || c->samyok || c->yuukaleapintu ||
        (c->vowels[0] != 1 && c->vowels[0] != 5)) {
        return 0;
    }
    v = prev->vowels[0];
    return v == 0 || v == 2 || v == 6 || v == 11 || v == 12 || v == 14;
}

/* Set the readings that depend on the clusters that follow (the flags
 * above) on cluster i of n. */
static void set_context(struct km_cluster *c, const struct km_cluster *cl,
                        size_t i, size_t n)
{
    const struct km_cluster *next = i + 1 < n ? &cl[i + 1] : NULL;

    if (c->base < 0 || next == NULL || next->base < 0) {
        return;
    }
    if (bare(c) && c->n_subs == 0 && c->series == 2 && pali_cluster(next)) {
        c->short_ea = 1;
    }
    if (c->samyok && c->series == 2 && c->n_vowels == 0 &&
        (bare(next) || silent_final(next)) && oa_final(next->base)) {
        c->samyok_oa = 1;
    }
    if (c->n_vowels == 1 && c->vowels[0] == 3 && !c->nikahit &&
        !c->reahmuk && next->base == 24 && final_at(cl, i + 1, n)) {
        c->oe_im = 1;
    }
}

/* Cluster i of n will be read as the final of the syllable that the
 * cluster before it opens. */
static int closes(const struct km_cluster *cl, size_t i, size_t n)
{
    if (i >= n || cl[i].base < 0) {
        return 0;
    }
    return (i + 1 == n && silent_final(&cl[i])) ||
           compound_final(cl, i, n) || final_at(cl, i, n);
}

/* Cluster i of n opens a syllable with the inherent vowel, and the plain
 * consonant after it, read as its final, is followed by a written vowel:
 * a Sanskrit or Pali word may have a short a there that Khmer does not
 * write (រចនា Rachana, មករា Makara). */
static int unwritten_vowel(const struct km_cluster *cl, size_t i, size_t n)
{
    return i + 2 < n && bare(&cl[i]) && bare(&cl[i + 1]) &&
           cl[i + 1].n_subs == 0 && cl[i + 2].base >= 0 &&
           !bare(&cl[i + 2]) && final_at(cl, i + 1, n);
}

/* The final of consonant base, or its other reading at the end of a
 * word (last): a final ch written c (Thac, Mac: read k, as Latin
 * spelling reads a final c). */
static const char *final_of(int base, int last, struct reading *rd)
{
    const char *f = km_consonants[base].final;

    if (last && strcmp(f, "ch") == 0 && alt(rd)) {
        return "k";
    }
    return f;
}

/* The orthographic alternatives of an opening cluster (docs/linkage.md,
 * "Readings"): each flag the rules set has another reading, and so has
 * the second-series i, the first-series inherent vowel of a closed
 * syllable and a Sanskrit vowel left unwritten. Returns 1 when the next
 * cluster is to open a syllable with a short a (unwritten_vowel). */
static int choose(struct km_cluster *c, const struct km_cluster *cl,
                  size_t i, size_t n, int series, struct reading *rd)
{
    if (c->short_ea && alt(rd)) {
        c->short_ea = 0;  /* Vonna, Sovonn, Rotha */
    }
    if (c->samyok_oa && alt(rd)) {
        c->samyok_oa = 0;  /* រ័ត្ន Rath, Rat */
    }
    if (c->oe_im && alt(rd)) {
        c->oe_im = 0;  /* កឹម Koem */
    }
    if (series == 2 && c->n_vowels == 1 && c->vowels[0] == 1 && alt(rd)) {
        c->i_as_e = 1;
    }
    if (unwritten_vowel(cl, i, n)) {
        if (alt(rd)) {
            c->short_ea = series == 2;
            return 1;
        }
    }
    if (series == 1 && bare(c) && closes(cl, i + 1, n) && alt(rd)) {
        c->inherent_o = 1;
    }
    return 0;
}

/* Romanise the clusters of one Khmer word, reading rd. */
static void emit_word(struct out *o, const struct km_cluster *cl, size_t n,
                      struct reading *rd)
{
    int open = 0;
    int opens = 0;  /* this cluster opens a syllable with a short a */
    size_t i;
    int k;

    for (i = 0; i < n; i++) {
        struct km_cluster c = cl[i];
        int closed_by_mark;
        int series;
        int short_a = opens;

        opens = 0;
        if (c.base < 0) {
            put(o, km_independent[c.indep]);
            open = 1;
            continue;
        }
        if (open && !short_a &&
            ((i + 1 == n && silent_final(&c)) || mute_vowel_final(cl, i, n))) {
            /* Sanskrit and Pali spellings: a word-final subscript cluster
             * with no vowel, or a short i or u, is read as its base alone,
             * closing the syllable (vichet, pech, sambat, piset) */
            put(o, final_of(c.base, i + 1 == n, rd));
            open = 0;
            continue;
        }
        if (open && !short_a && compound_final(cl, i, n)) {
            /* one that ends the first word of a compound, or (another
             * reading) opens a syllable with a short a (វឌ្ឍនា Vathana) */
            if (!alt(rd)) {
                put(o, final_of(c.base, i + 1 == n, rd));
                open = 0;
                continue;
            }
            short_a = 1;
        }
        if (open && !short_a && final_at(cl, i, n)) {
            /* final consonant of the open syllable */
            put(o, final_of(c.base, i + 1 == n, rd));
            open = 0;
            continue;
        }
        set_context(&c, cl, i, n);
        if (nasal_before_final(cl, i, n)) {
            c.nikahit = 0;
            c.aing = 1;
        }
        closed_by_mark = c.nikahit || c.reahmuk || c.yuukaleapintu;
        series = open && c.n_subs > 0 ? km_consonants[c.subs[0]].series
                                      : c.series;
        if (short_a) {
            c.short_ea = series == 2;
        } else {
            opens = choose(&c, cl, i, n, series, rd);
        }
        if (open && c.n_subs > 0) {
            /* base closes the previous syllable, subscripts open one */
            put(o, km_consonants[c.base].final);
            for (k = 0; k < c.n_subs; k++) {
                put(o, km_consonants[c.subs[k]].initial);
            }
            emit_vowel(o, &c, series);
            open = !closed_by_mark;
            continue;
        }
        put(o, km_consonants[c.base].initial);
        for (k = 0; k < c.n_subs; k++) {
            put(o, km_consonants[c.subs[k]].initial);
        }
        emit_vowel(o, &c, c.series);
        open = !closed_by_mark;
    }
}

/* Sanskrit and Pali loans whose common reading the spelling does not
 * show: a consonant the Khmer letters do not write (រស្មី raśmi, read
 * with its k: Reaksmey, Raksmey; or without it, as the letters are:
 * Rasmey, Reasmey; the reahmuk spelling រះស្មី the same), or a vowel
 * written between the letters of a group (រតនា ratna: Ratana, Rattana;
 * ឧត្តម uttama: Oudom). A small table of words, not of names, because
 * the letters do not tell: each is read so wherever it starts a cluster
 * and ends at one (ស្រីរស្មី Srey Reaksmey). `other` is the word's other
 * reading (a choice point), NULL when it has one. */
static const struct {
    const char *km;
    const char *reading;
    const char *other;
} km_lexical[] = {
    {"\u179A\u179F\u17D2\u1798\u17B8", "reaksmei", "reasmei"}, /* រស្មី */
    {"\u179A\u17C7\u179F\u17D2\u1798\u17B8", "reahsmei",
     "reaksmei"},                                             /* រះស្មី */
    {"\u179A\u178F\u1793\u17B6", "rattana", NULL},             /* រតនា */
    {"\u179A\u17D0\u178F\u1793\u17B6", "rattana", NULL},      /* រ័តនា */
    {"\u179A\u178F\u1793\u17C8", "rattanak", NULL},            /* រតនៈ */
    {"\u17A7\u178F\u17D2\u178F\u1798", "oudom", NULL},        /* ឧត្តម */
};

/* The length of the lexical word at s (of len bytes left) and its
 * reading, or 0: the word must end where a cluster ends. */
static size_t lexical_at(const char *s, size_t len, const char **reading,
                         struct reading *rd)
{
    size_t i;

    for (i = 0; i < sizeof km_lexical / sizeof km_lexical[0]; i++) {
        size_t k = strlen(km_lexical[i].km);
        int32_t next = 0;

        if (k > len || memcmp(s, km_lexical[i].km, k) != 0) {
            continue;
        }
        if (k < len) {
            utf8proc_iterate((const utf8proc_uint8_t *)s + k,
                             (utf8proc_ssize_t)(len - k), &next);
        }
        if (next >= 0x17B6 && next <= 0x17D3) {
            continue;  /* a sign of the word's last cluster follows */
        }
        *reading = km_lexical[i].other != NULL && alt(rd)
                       ? km_lexical[i].other
                       : km_lexical[i].reading;
        return k;
    }
    return 0;
}

/* Romanise Khmer script in reading rd, copying anything else. */
static int romanise(const char *s, char *out, size_t outsize,
                    struct reading *rd)
{
    struct out o = {out, outsize, 0};
    struct km_cluster cl[64];
    size_t n = 0;
    size_t len = strlen(s);
    utf8proc_ssize_t pos = 0;
    int coeng = 0;

    if (outsize > 0) {
        out[0] = '\0';
    }
    if (!ctis_utf8_valid(s, len)) {
        return CTIS_EINVAL;
    }
    while ((size_t)pos <= len) {
        int32_t c = 0;
        utf8proc_ssize_t k = 0;

        if ((size_t)pos < len) {
            k = utf8proc_iterate((const utf8proc_uint8_t *)s + pos,
                                 (utf8proc_ssize_t)len - pos, &c);
            if (k <= 0) {
                return CTIS_EINVAL;
            }
        }
        if ((size_t)pos < len && !coeng &&
            (is_km_consonant(c) || (c >= 0x17A3 && c <= 0x17B3))) {
            const char *reading = NULL;
            size_t lk = lexical_at(s + pos, len - (size_t)pos, &reading, rd);

            if (lk > 0) {
                n = drop_silent(cl, n);
                if (n > 0) {
                    emit_word(&o, cl, n, rd);
                    n = 0;
                }
                put(&o, reading);
                pos += (utf8proc_ssize_t)lk;
                continue;
            }
        }
        if ((size_t)pos < len && c >= 0x1780 && c <= 0x17DD &&
            !(c >= 0x17D4 && c <= 0x17DB)) {
            struct km_cluster *cur = n > 0 ? &cl[n - 1] : NULL;

            if (is_km_consonant(c) || (c >= 0x17A3 && c <= 0x17B3)) {
                if (is_km_consonant(c) && coeng && cur != NULL &&
                    cur->base >= 0) {
                    if (cur->n_subs < KM_SUBS_MAX) {
                        cur->subs[cur->n_subs++] = c - 0x1780;
                    }
                } else if (n < sizeof cl / sizeof cl[0]) {
                    cur = &cl[n++];
                    memset(cur, 0, sizeof *cur);
                    if (is_km_consonant(c)) {
                        cur->base = c - 0x1780;
                        cur->series = km_consonants[cur->base].series;
                    } else {
                        cur->base = -1;
                        cur->indep = c - 0x17A3;
                    }
                }
                coeng = 0;
            } else if (c == 0x17D2) {
                coeng = 1;
            } else if (cur != NULL) {
                if (c >= 0x17B6 && c <= 0x17C5) {
                    if (cur->n_vowels < KM_VOWELS_MAX) {
                        cur->vowels[cur->n_vowels++] = c - 0x17B6;
                    }
                } else if (c == 0x17C6) {
                    cur->nikahit = 1;
                } else if (c == 0x17C7) {
                    cur->reahmuk = 1;
                } else if (c == 0x17CD) {
                    cur->silent = 1;
                } else if (c == 0x17C8) {
                    cur->yuukaleapintu = 1;
                } else if (c == 0x17D0) {
                    cur->samyok = 1;
                } else if (c == 0x17C9) {
                    cur->series = 1;
                } else if (c == 0x17CA) {
                    cur->series = 2;
                }
            }
        } else {
            n = drop_silent(cl, n);
            if (n > 0) {
                emit_word(&o, cl, n, rd);
                n = 0;
            }
            coeng = 0;
            rd->choice = 0;  /* the next word's choice points */
            if ((size_t)pos >= len) {
                break;
            }
            if (c >= 0x17E0 && c <= 0x17E9) {
                put_cp(&o, '0' + (c - 0x17E0));
            } else if (c >= 0x17D4 && c <= 0x17DB) {
                put(&o, " ");
            } else {
                put_cp(&o, c);
            }
        }
        pos += k;
    }
    return 0;
}

int model_name_romanise_khmer(const char *s, char *out, size_t outsize)
{
    struct reading rd = {0, 0, 0};

    return romanise(s, out, outsize, &rd);
}

/* ---- Normalisation ----------------------------------------------------- */

#define NORM_STACK 512

/* Normalise s in reading rd. */
static int normalise(const char *s, char *out, size_t outsize,
                     struct reading *rd)
{
    char rom[NORM_STACK];
    utf8proc_int32_t stack[NORM_STACK];
    utf8proc_int32_t *cps = stack;
    utf8proc_ssize_t n;
    struct out o = {out, outsize, 0};
    int space = 1;
    int rc;
    utf8proc_ssize_t i;
    const int opts = UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
                     UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
                     UTF8PROC_IGNORE | UTF8PROC_LUMP;

    if (outsize > 0) {
        out[0] = '\0';
    }
    rc = romanise(s, rom, sizeof rom, rd);
    if (rc != 0) {
        return rc;
    }
    /* a cut in the middle of a character is not possible: put() copies
     * ASCII and put_cp whole characters */
    n = utf8proc_decompose((const utf8proc_uint8_t *)rom,
                           (utf8proc_ssize_t)strlen(rom), cps, NORM_STACK,
                           (utf8proc_option_t)opts);
    if (n < 0) {
        return CTIS_EINVAL;
    }
    if (n > NORM_STACK) {
        n = NORM_STACK;  /* names longer than this are cut */
        cps = NULL;
    }
    if (cps == NULL) {
        /* recompute into the stack buffer on a truncated copy */
        size_t cut = strlen(rom) / 2;

        while (cut > 0 && ((unsigned char)rom[cut] & 0xC0) == 0x80) {
            cut--;
        }
        rom[cut] = '\0';
        cps = stack;
        n = utf8proc_decompose((const utf8proc_uint8_t *)rom,
                               (utf8proc_ssize_t)cut, cps, NORM_STACK,
                               (utf8proc_option_t)opts);
        if (n < 0 || n > NORM_STACK) {
            return CTIS_EINVAL;
        }
    }
    for (i = 0; i < n; i++) {
        utf8proc_category_t cat = utf8proc_category(cps[i]);
        int alnum = (cat >= UTF8PROC_CATEGORY_LU &&
                     cat <= UTF8PROC_CATEGORY_LO) ||
                    (cat >= UTF8PROC_CATEGORY_ND &&
                     cat <= UTF8PROC_CATEGORY_NO);

        if (alnum) {
            put_cp(&o, cps[i]);
            space = 0;
        } else if (!space) {
            put(&o, " ");
            space = 1;
        }
    }
    if (o.len > 0 && out[o.len - 1] == ' ') {
        out[--o.len] = '\0';
    }
    return 0;
}

/* Normalise for comparison: see model.h. */
int model_name_normalise(const char *s, char *out, size_t outsize)
{
    struct reading rd = {0, 0, 0};

    return normalise(s, out, outsize, &rd);
}

/* The readings of a name: see model.h. */
int model_name_readings(const char *s, char out[][MODEL_READING_MAX],
                        int *n)
{
    struct reading rd = {0, 0, 0};
    unsigned v;
    unsigned most;
    int rc;

    *n = 0;
    rc = normalise(s, out[0], MODEL_READING_MAX, &rd);
    if (rc != 0) {
        return rc;
    }
    *n = 1;
    most = (unsigned)(rd.most < KM_CHOICES ? rd.most : KM_CHOICES);
    for (v = 1; v < (1u << most) && *n < MODEL_NAME_READINGS; v++) {
        struct reading r = {v, 0, 0};
        int i;
        int seen = 0;

        if (normalise(s, out[*n], MODEL_READING_MAX, &r) != 0) {
            continue;
        }
        for (i = 0; i < *n && !seen; i++) {
            seen = strcmp(out[i], out[*n]) == 0;
        }
        if (!seen) {
            (*n)++;
        }
    }
    return 0;
}

/* ---- Phonetic key ------------------------------------------------------- */

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' ||
           c == 'y';
}

/* Class of a vowel run (see docs/linkage.md). */
static char vowel_class(const char *v, size_t n)
{
    size_t i;
    int has_o = 0;
    int has_i = 0;
    int has_e = 0;

    /* "ea" and "ia" (the second-series aa) are written "a" as often */
    if (n == 2 && (v[0] == 'e' || v[0] == 'i') && v[1] == 'a') {
        return 'A';
    }
    for (i = 0; i < n; i++) {
        if (v[i] == 'o' || v[i] == 'u') {
            has_o = 1;
        } else if (v[i] == 'i' || v[i] == 'y') {
            if (i + 1 < n && (v[i + 1] == 'e' || v[i + 1] == 'a')) {
                has_e = 1;  /* ie, ia: the ie / ea vowel */
                i++;
            } else {
                has_i = 1;
            }
        } else if (v[i] == 'e') {
            has_e = 1;
        }
    }
    if (has_o) {
        return 'O';
    }
    if (has_i) {
        return 'I';
    }
    if (has_e) {
        return 'E';
    }
    return 'A';
}

/* Consonant code at s (advancing *len over the letters used), 0 for a
 * letter that is dropped. */
static char consonant_code(const char *s, size_t *len)
{
    *len = 1;
    switch (s[0]) {
    case 'c':
        *len = s[1] == 'h' ? (s[2] == 'h' ? 3 : 2) : 1;
        return 'C';
    case 'j':
        return 'C';
    case 'k':
    case 'g':
    case 'q':
        if (s[0] == 'g' && s[1] == 'n') {
            *len = 2;
            return 'N';
        }
        *len = s[1] == 'h' ? 2 : 1;
        return 'K';
    case 'n':
        if (s[1] == 'h' || (s[1] == 'y' && s[2] != '\0' &&
                            is_vowel(s[2]))) {
            *len = 2;
            return 'N';
        }
        if (s[1] == 'g') {
            *len = 2;
            return 'G';
        }
        return 'n';
    case 'p':
    case 'b':
    case 'f':
        *len = s[1] == 'h' ? 2 : 1;
        return 'P';
    case 't':
    case 'd':
        *len = s[1] == 'h' ? 2 : 1;
        return 'T';
    case 's':
    case 'x':
    case 'z':
        *len = s[1] == 'h' ? 2 : 1;
        return 'S';
    case 'v':
    case 'w':
        return 'V';
    case 'h':
        return 0;
    case 'm':
        return 'M';
    case 'l':
        return 'L';
    case 'r':
        return 'R';
    case 'y':
        return 'Y';
    default:
        return 0;
    }
}

/* Latin spellings of one sound that the key's classes would keep apart
 * (docs/linkage.md, "Phonetic key"), rewritten in place on one word of
 * lower-case letters: ck is k (Sock, Sok; Vannack), tch is ch (Petch,
 * Pech), c before a, o, u or at the end is k (Monica, Monika; Prac), ee in
 * an open syllable is i (Lee, Ly; Leena, Lina; not Green), a final v or w
 * after a vowel is u (Kev, Keo; Khiev, Khieu; Pov, Pou; Saw, Sao), an i
 * between a consonant and y before a vowel is not written (Chariya,
 * Charya; Soriya, Sorya), and an r between a vowel and a final n or ng
 * only marks the vowel (Sorn, Son; Chhorn, Chhon; Norng, Nong). The new
 * length. */
static size_t spell_word(char *s, size_t n)
{
    size_t i;
    size_t o = 0;

    for (i = 0; i < n; i++) {
        char c = s[i];
        char n1 = i + 1 < n ? s[i + 1] : '\0';
        char n2 = i + 2 < n ? s[i + 2] : '\0';
        char n3 = i + 3 < n ? s[i + 3] : '\0';

        if ((c == 'c' && n1 == 'k') || (c == 't' && n1 == 'c' && n2 == 'h')) {
            continue;
        }
        if (c == 'c' && (n1 == '\0' || n1 == 'a' || n1 == 'o' || n1 == 'u')) {
            s[o++] = 'k';
            continue;
        }
        if (c == 'e' && n1 == 'e' && (n2 == '\0' || is_vowel(n3))) {
            s[o++] = 'i';
            i++;
            continue;
        }
        if ((c == 'v' || c == 'w') && i + 1 == n && o > 1 &&
            is_vowel(s[o - 1])) {
            s[o++] = 'u';
            continue;
        }
        if (c == 'i' && o > 0 && !is_vowel(s[o - 1]) && n1 == 'y' &&
            is_vowel(n2) && n2 != 'y') {
            continue;
        }
        if (c == 'r' && o > 0 && is_vowel(s[o - 1]) && n1 == 'n' &&
            (i + 2 == n || (i + 3 == n && n2 == 'g'))) {
            continue;
        }
        s[o++] = c;
    }
    return o;
}

/* Lower-case the letters of name into src, each word (a run of letters)
 * with its spellings made one (spell_word), other characters dropped. The
 * length. */
static size_t spelled_letters(const char *name, char *src, size_t size)
{
    size_t n = 0;
    size_t start = 0;
    size_t i;

    for (i = 0;; i++) {
        char c = name[i];

        if (c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        }
        if (c >= 'a' && c <= 'z' && n + 1 < size) {
            src[n++] = c;
            continue;
        }
        n = start + spell_word(src + start, n - start);
        start = n;
        if (c == '\0' || n + 1 >= size) {
            break;
        }
    }
    src[n] = '\0';
    return n;
}

/* Make the Latin spellings of one sound one, in place, on a normalised
 * name: see model.h. */
void model_name_spelling(char *s)
{
    size_t n = strlen(s);
    size_t start = 0;
    size_t i;
    size_t o = 0;

    /* word by word, keeping the separators */
    for (i = 0; i <= n; i++) {
        char c = s[i];

        if (c >= 'a' && c <= 'z') {
            continue;
        }
        memmove(s + o, s + start, i - start);
        o += spell_word(s + o, i - start);
        if (c != '\0') {
            s[o++] = c;
        }
        start = i + 1;
    }
    s[o] = '\0';
}

/* The phonetic key of a romanised name. */
void model_name_phonetic_key(const char *name, char *outk, size_t outsize)
{
    char src[128];
    char key[128];
    size_t n = 0;
    size_t k = 0;
    size_t i;

    if (outsize == 0) {
        return;
    }
    n = spelled_letters(name, src, sizeof src);
    i = 0;
    while (i < n && k + 1 < sizeof key) {
        char c = src[i];
        /* y is a consonant before a vowel at a syllable start */
        int y_cons = c == 'y' && i + 1 < n && is_vowel(src[i + 1]) &&
                     src[i + 1] != 'y' && (i == 0 || !is_vowel(src[i - 1]));

        if (is_vowel(c) && !y_cons) {
            size_t j = i;

            while (j < n && is_vowel(src[j])) {
                j++;
            }
            key[k++] = vowel_class(src + i, j - i);
            i = j;
        } else {
            size_t len;
            char code = consonant_code(src + i, &len);

            if (code != 0 && !(k > 0 && key[k - 1] == code)) {
                key[k++] = code;
            }
            i += len;
        }
    }
    /* a final r after a vowel is silent */
    if (k >= 2 && key[k - 1] == 'R' && (key[k - 2] == 'A' ||
        key[k - 2] == 'O' || key[k - 2] == 'E' || key[k - 2] == 'I')) {
        k--;
    }
    key[k] = '\0';
    ctis_strlcpy(outk, key, outsize);
}
