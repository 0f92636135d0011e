/*
 * compare.c - blocking keys and field comparisons.
 *
 * Blocking keys (up to LINK_KEY_VALUES values per record and key, none
 * when the record lacks what the key needs; a stated age gives two birth
 * years, a record's two names give a value each); a pair is a candidate
 * when it shares a value of any key:
 *   0 both name skeletons (order-free) + birth year
 *   1 both name skeletons (order-free) + home province
 *   2 family name skeleton + birth date (day and month unordered)
 *   3 given name skeleton + birth date (day and month unordered)
 *   4 email
 *   5 phone
 *   6 both name skeletons alone
 *   7 birth date (day and month unordered) + home province
 *   8 either name key + birth year + home province
 *   9 either name key + birth year
 *  10 key of the whole name, given then family and family then given
 *     (after model_name_spelling, as the comparison's whole-name level)
 *  11 either name key + home province
 *  12 either name as written (normalised), alone
 *  13 either name key + place
 *  14 either name's skeleton + birth year
 *  15 either name's skeleton + place
 * (14 and 15 meet the spellings that the phonetic key keeps apart and
 * the skeleton joins: Chanliep and Channleap, Chinda and Chenda.)
 * A block over block_cap records (block_cap / 4 for 6, 9 to 12 and 14, the
 * keys whose blocks grow with the data) is not skipped: its records are
 * ordered by birth, province and place and each is compared with its
 * next block_window records in that order (block.c).
 *
 * Levels per field, 0 the strongest agreement; LINK_LEVEL_NULL when either
 * side lacks the field (weight 0):
 *   given, family  0 exact, 1 same phonetic key, 2 same consonant
 *                  skeleton, 3 Jaro-Winkler >= 0.92, 4 >= 0.80, 5 disagree;
 *                  the names are also compared crosswise (given against
 *                  family) and the better reading kept, for swapped names
 *   birth          each record's birth is an interval of days (a date, the
 *                  days of a month or year, 1 January its year, the year
 *                  before a stated age at a date): 0 same full date, 1
 *                  one part of two full dates differs (a year by one or a
 *                  digit) or day and month swapped, 2 the intervals
 *                  overlap, 3 they overlap when an age is read in Khmer
 *                  reckoning (a year more), 4 they are at most a year
 *                  apart, 5 at most two years, 6 disagree
 *   sex, province, phone   0 agree, 1 disagree
 *   place, email   0 exact, 1 Jaro-Winkler >= 0.88, 2 disagree
 * Encoded records: Dice 0 >= 0.90, 1 >= 0.85, 2 >= 0.80, 3 >= 0.75,
 * 4 >= 0.70, 5 >= 0.65, 6 below.
 */
#include <stdio.h>
#include <string.h>

#include "link_int.h"

/* Days since 1900-01-01 (Howard Hinnant's days_from_civil, shifted). */
int32_t link_day(int y, int m, int d)
{
    int yy = y - (m <= 2);
    int era = (yy >= 0 ? yy : yy - 399) / 400;
    int yoe = yy - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return (int32_t)(era * 146097 + doe - 693901);
}

static int month_days(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
        return 29;
    }
    return d[(m - 1) % 12];
}

static int year_of_day(int32_t day)
{
    int y = 1900 + (int)(day / 365);

    while (link_day(y, 1, 1) > day) {
        y--;  /* before 1900 the division rounds towards zero */
    }
    while (link_day(y + 1, 1, 1) <= day) {
        y++;
    }
    return y;
}

/* Birth interval: see link_int.h. A date may be written for less than
 * it says: 1 January (and a month written January without a day) is
 * what many lists put for an unknown day and month, so it stands for its
 * year. An age is marked (kage): it may be counted in Khmer reckoning,
 * which birth_level reads too. */
void link_birth_interval(struct link_rec *r, long age, int ay, int am, int ad)
{
    r->kage = 0;
    if (r->by != 0) {
        if (r->bm == 1 && (r->bd == 1 || r->bd == 0)) {
            r->blo = link_day(r->by, 1, 1);
            r->bhi = link_day(r->by, 12, 31);
        } else if (r->bm != 0 && r->bd != 0) {
            r->blo = r->bhi = link_day(r->by, r->bm, r->bd);
        } else if (r->bm != 0) {
            r->blo = link_day(r->by, r->bm, 1);
            r->bhi = link_day(r->by, r->bm, month_days(r->by, r->bm));
        } else {
            r->blo = link_day(r->by, 1, 1);
            r->bhi = link_day(r->by, 12, 31);
        }
    } else if (age >= 0 && ay != 0) {
        /* age A on day D: born after D minus A + 1 years, on or before D
         * minus A years; a partial D widens it to its month or year */
        int y = ay - (int)age;
        int m0 = am != 0 ? am : 1;
        int m1 = am != 0 ? am : 12;
        int d0 = ad != 0 ? ad : 1;
        int d1 = ad != 0 ? ad : 31;

        if (d0 > month_days(y - 1, m0)) {
            d0 = month_days(y - 1, m0);
        }
        if (d1 > month_days(y, m1)) {
            d1 = month_days(y, m1);
        }
        r->blo = link_day(y - 1, m0, d0) + 1;
        r->bhi = link_day(y, m1, d1);
        r->kage = 1;
    } else {
        return;
    }
    r->ylo = (int16_t)year_of_day(r->blo);
    r->yhi = (int16_t)year_of_day(r->bhi);
}

/* The skeleton of key k of name (normalised), or the key itself when
 * fewer than two consonants are left, counting a final s or h (Meas and
 * Meah meet, Hun and Hen, Em and Mas do not). */
static void skeleton_of(const char *k, const char *name, char *out, size_t size)
{
    int n = link_skeleton(k, out, size);
    size_t len = strlen(name);

    if (len >= 2 && name[len - 1] == 'h' &&
        strchr("aeiouy", name[len - 2]) != NULL) {
        n++;
    }
    if (n < 2) {
        ctis_strlcpy(out, k, size);
    }
}

/* Derived fields: see link_int.h. */
void link_rec_finish(struct link_rec *r)
{
    char sk[LINK_KEY_MAX];
    uint32_t mid = 0xFFFF;

    if (r->gkey != NULL) {
        skeleton_of(r->gkey, r->given, sk, sizeof sk);
        r->gsk = (uint32_t)link_hash_str(sk);
    }
    if (r->fkey != NULL) {
        skeleton_of(r->fkey, r->family, sk, sizeof sk);
        r->fsk = (uint32_t)link_hash_str(sk);
    }
    if (r->gkey != NULL && r->fkey != NULL) {
        char c[2 * LINK_KEY_MAX + 2];
        int o = strcmp(r->gkey, r->fkey);

        snprintf(c, sizeof c, "%s|%s", o <= 0 ? r->gkey : r->fkey,
                 o <= 0 ? r->fkey : r->gkey);
        r->ckh = (uint32_t)link_hash_str(c);
    }
    if (r->blo != 0 || r->bhi != 0) {
        int32_t m = (int32_t)(((int64_t)r->blo + r->bhi) / 2);

        mid = (uint32_t)(m < 1 ? 1 : m > 0xFFFE ? 0xFFFE : m);
    }
    r->sortkey = mid << 16 | (r->prov & 0x1F) << 11 | (r->placeh & 0x7FF);
}

/* Block key strings of a record. */
void link_block_strings(const struct link_rec *r,
                        char keys[LINK_BLOCK_KEYS][LINK_KEY_VALUES]
                                 [LINK_KEY_TEXT])
{
    const char *k1 = NULL;
    const char *k2 = NULL;
    const char *names[2];
    int years[2];
    int n_names = 0;
    int n_years = 0;
    int full = r->by != 0 && r->bm != 0 && r->bd != 0;
    int dlo = r->bm < r->bd ? r->bm : r->bd;
    int dhi = r->bm < r->bd ? r->bd : r->bm;
    int i;
    int j;
    int v;

    char gs[LINK_KEY_MAX];
    char fs[LINK_KEY_MAX];

    memset(keys, 0, sizeof(char[LINK_BLOCK_KEYS][LINK_KEY_VALUES]
                                [LINK_KEY_TEXT]));
    gs[0] = fs[0] = '\0';
    if (r->gkey != NULL) {
        skeleton_of(r->gkey, r->given, gs, sizeof gs);
    }
    if (r->fkey != NULL) {
        skeleton_of(r->fkey, r->family, fs, sizeof fs);
    }
    if (r->gkey != NULL && r->fkey != NULL) {
        int c = strcmp(gs, fs);

        k1 = c <= 0 ? gs : fs;
        k2 = c <= 0 ? fs : gs;
    }
    if (r->gkey != NULL) {
        names[n_names++] = r->gkey;
    }
    if (r->fkey != NULL && (n_names == 0 || strcmp(r->fkey, r->gkey) != 0)) {
        names[n_names++] = r->fkey;
    }
    if (r->ylo != 0) {
        years[n_years++] = r->yhi;
        if (r->ylo != r->yhi) {
            years[n_years++] = r->ylo;
        }
    }
    for (j = 0; k1 != NULL && j < n_years; j++) {
        snprintf(keys[0][j], LINK_KEY_TEXT, "0|%s|%s|%d", k1, k2, years[j]);
    }
    if (k1 != NULL && r->prov != 0) {
        snprintf(keys[1][0], LINK_KEY_TEXT, "1|%s|%s|%u", k1, k2,
                 (unsigned)r->prov);
    }
    if (r->fkey != NULL && full) {
        snprintf(keys[2][0], LINK_KEY_TEXT, "2|%s|%d|%d|%d", fs, r->by,
                 dlo, dhi);
    }
    if (r->gkey != NULL && full) {
        snprintf(keys[3][0], LINK_KEY_TEXT, "3|%s|%d|%d|%d", gs, r->by,
                 dlo, dhi);
    }
    if (r->email != NULL) {
        snprintf(keys[4][0], LINK_KEY_TEXT, "4|%s", r->email);
    }
    if (r->phone != 0) {
        snprintf(keys[5][0], LINK_KEY_TEXT, "5|%llx",
                 (unsigned long long)r->phone);
    }
    if (k1 != NULL) {
        snprintf(keys[6][0], LINK_KEY_TEXT, "6|%s|%s", k1, k2);
    }
    if (full) {
        snprintf(keys[7][0], LINK_KEY_TEXT, "7|%d|%d|%d|%u", r->by, dlo, dhi,
                 (unsigned)r->prov);
    }
    v = 0;
    for (i = 0; i < n_names; i++) {
        for (j = 0; j < n_years && r->prov != 0; j++) {
            snprintf(keys[8][v++], LINK_KEY_TEXT, "8|%s|%d|%u", names[i],
                     years[j], (unsigned)r->prov);
        }
    }
    v = 0;
    for (i = 0; i < n_names; i++) {
        for (j = 0; j < n_years; j++) {
            snprintf(keys[9][v++], LINK_KEY_TEXT, "9|%s|%d", names[i],
                     years[j]);
        }
    }
    if (r->given != NULL && r->family != NULL) {
        /* the keys of the whole name (wk: the Latin spellings made one,
         * as the comparison of whole names): every pair whose whole
         * names agree meets here */
        snprintf(keys[10][0], LINK_KEY_TEXT, "10|%08x", (unsigned)r->wk[0]);
        snprintf(keys[10][1], LINK_KEY_TEXT, "10|%08x", (unsigned)r->wk[1]);
    }
    for (i = 0; i < n_names && r->prov != 0; i++) {
        snprintf(keys[11][i], LINK_KEY_TEXT, "11|%s|%u", names[i],
                 (unsigned)r->prov);
    }
    if (r->given != NULL) {
        snprintf(keys[12][0], LINK_KEY_TEXT, "12|%s", r->given);
    }
    if (r->family != NULL) {
        snprintf(keys[12][1], LINK_KEY_TEXT, "12|%s", r->family);
    }
    for (i = 0; i < n_names && r->place != NULL; i++) {
        snprintf(keys[13][i], LINK_KEY_TEXT, "13|%s|%.60s", names[i],
                 r->place);
    }
    n_names = 0;
    if (r->gkey != NULL) {
        names[n_names++] = gs;
    }
    if (r->fkey != NULL && (n_names == 0 || strcmp(fs, gs) != 0)) {
        names[n_names++] = fs;
    }
    v = 0;
    for (i = 0; i < n_names; i++) {
        for (j = 0; j < n_years; j++) {
            snprintf(keys[14][v++], LINK_KEY_TEXT, "14|%s|%d", names[i],
                     years[j]);
        }
    }
    for (i = 0; i < n_names && r->place != NULL; i++) {
        snprintf(keys[15][i], LINK_KEY_TEXT, "15|%s|%.60s", names[i],
                 r->place);
    }
}

/* Level of two names: hashes first (exact, then phonetic key), then
 * Jaro-Winkler on the strings. */
/* A name's key (hash ka, its other readings' aa) meets another's (kb,
 * ab): any reading of one has the key of a reading of the other. */
static int keys_meet(uint32_t ka, const uint32_t *aa, uint32_t kb,
                     const uint32_t *ab)
{
    int i;
    int j;

    if (ka == kb) {
        return 1;
    }
    for (i = 0; i < LINK_READINGS_ALT && aa[i] != 0; i++) {
        if (aa[i] == kb) {
            return 1;
        }
        for (j = 0; j < LINK_READINGS_ALT && ab[j] != 0; j++) {
            if (aa[i] == ab[j]) {
                return 1;
            }
        }
    }
    for (j = 0; j < LINK_READINGS_ALT && ab[j] != 0; j++) {
        if (ab[j] == ka) {
            return 1;
        }
    }
    return 0;
}

static int name_level(const char *a, const char *b, size_t la, size_t lb,
                      uint32_t ha, uint32_t hb, int key_met, uint32_t sa,
                      uint32_t sb)
{
    double jw;

    if (ha == hb && strcmp(a, b) == 0) {
        return 0;
    }
    if (key_met) {
        return 1;
    }
    if (sa == sb) {
        return 2;
    }
    jw = link_jw_n(a, la, b, lb);
    if (jw >= 0.92) {
        return 3;
    }
    if (jw >= 0.80) {
        return 4;
    }
    return 5;
}

/* Two years that differ by one digit or two swapped adjacent digits. */
static int year_typo(int a, int b)
{
    int da[4];
    int db[4];
    int i;
    int diff = 0;

    for (i = 3; i >= 0; i--) {
        da[i] = a % 10;
        db[i] = b % 10;
        a /= 10;
        b /= 10;
    }
    for (i = 0; i < 4; i++) {
        diff += da[i] != db[i];
    }
    if (diff == 1) {
        return 1;
    }
    for (i = 0; i < 3; i++) {
        if (diff == 2 && da[i] == db[i + 1] && da[i + 1] == db[i]) {
            return 1;
        }
    }
    return 0;
}

/* Days between two intervals of days, 0 when they overlap. */
static int32_t interval_gap(int32_t alo, int32_t ahi, int32_t blo,
                            int32_t bhi)
{
    return alo > bhi ? alo - bhi : blo > ahi ? blo - ahi : 0;
}

static int birth_level(const struct link_rec *a, const struct link_rec *b)
{
    int32_t gap;

    if (a->ylo == 0 || b->ylo == 0) {
        return LINK_LEVEL_NULL;
    }
    if (a->by != 0 && b->by != 0 && a->bm != 0 && a->bd != 0 && b->bm != 0 &&
        b->bd != 0) {
        int dy = a->by > b->by ? a->by - b->by : b->by - a->by;
        int diff = (a->by != b->by) + (a->bm != b->bm) + (a->bd != b->bd);

        if (diff == 0) {
            return 0;
        }
        if ((diff == 1 && (dy <= 1 || year_typo(a->by, b->by))) ||
            (a->by == b->by && a->bm == b->bd && a->bd == b->bm)) {
            return 1;
        }
    }
    gap = interval_gap(a->blo, a->bhi, b->blo, b->bhi);
    if (gap == 0) {
        return 2;
    }
    /* an age in Khmer reckoning (a person is 1 at birth) is a year more
     * than the age from birth: its interval a year later (365 days, a
     * day short across a 29 February) may meet the other's */
    if ((a->kage &&
         interval_gap(a->blo + 365, a->bhi + 365, b->blo, b->bhi) == 0) ||
        (b->kage &&
         interval_gap(b->blo + 365, b->bhi + 365, a->blo, a->bhi) == 0)) {
        return 3;
    }
    if (gap <= 366) {
        return 4;
    }
    return gap <= 731 ? 5 : 6;
}

static int text_level(const char *a, const char *b, size_t la, size_t lb,
                      uint32_t ha, uint32_t hb)
{
    if (a == NULL || b == NULL) {
        return LINK_LEVEL_NULL;
    }
    if (ha == hb && strcmp(a, b) == 0) {
        return 0;
    }
    return link_jw_n(a, la, b, lb) >= 0.88 ? 1 : 2;
}

/* Whole names: either order of a against either order of b (the same
 * whatever record comes first: a full name cut at another word meets the
 * other record's names in one of its orders only). */
static int whole_level(const struct link_rec *a, const struct link_rec *b)
{
    int i;
    int l = 5;

    for (i = 0; i < 2; i++) {
        if (a->wh[i] == b->wh[0] || a->wh[i] == b->wh[1]) {
            return 0;
        }
        if (a->wk[i] == b->wk[0] || a->wk[i] == b->wk[1]) {
            l = 1;
        }
    }
    return l;
}

/* Levels of a clear pair. */
void link_compare(const struct link_rec *a, const struct link_rec *b,
                  int *lv)
{
    int g = LINK_LEVEL_NULL;
    int f = LINK_LEVEL_NULL;

    if (a->given != NULL && b->given != NULL) {
        g = name_level(a->given, b->given, a->glen, b->glen, a->gh, b->gh,
                       keys_meet(a->gkh, a->gka, b->gkh, b->gka),  a->gsk, b->gsk);
    }
    if (a->family != NULL && b->family != NULL) {
        f = name_level(a->family, b->family, a->flen, b->flen, a->fh, b->fh,
                       keys_meet(a->fkh, a->fka, b->fkh, b->fka),  a->fsk, b->fsk);
    }
    /* crosswise, when both names are poor or a key meets the other
     * part's */
    if (a->given != NULL && a->family != NULL && b->given != NULL &&
        b->family != NULL && g + f > 1 &&
        (g + f >= 7 || a->gsk == b->fsk || a->fsk == b->gsk)) {
        int g2 = name_level(a->given, b->family, a->glen, b->flen, a->gh,
                            b->fh, keys_meet(a->gkh, a->gka, b->fkh, b->fka),  a->gsk, b->fsk);
        int f2 = name_level(a->family, b->given, a->flen, b->glen, a->fh,
                            b->gh, keys_meet(a->fkh, a->fka, b->gkh, b->gka),  a->fsk, b->gsk);

        if (g2 + f2 < g + f) {
            g = g2;
            f = f2;
        }
    } else if (a->given == NULL && b->given != NULL && a->family != NULL &&
               b->family != NULL && f > 1) {
        /* a lone name may be the other record's given name */
        int f2 = name_level(a->family, b->given, a->flen, b->glen, a->fh,
                            b->gh, keys_meet(a->fkh, a->fka, b->gkh, b->gka),  a->fsk, b->gsk);

        f = f2 < f ? f2 : f;
    } else if (b->given == NULL && a->given != NULL && a->family != NULL &&
               b->family != NULL && f > 1) {
        int f2 = name_level(a->given, b->family, a->glen, b->flen, a->gh,
                            b->fh, keys_meet(a->gkh, a->gka, b->fkh, b->fka),  a->gsk, b->fsk);

        f = f2 < f ? f2 : f;
    }
    if (g != LINK_LEVEL_NULL && f != LINK_LEVEL_NULL && g + f > 1) {
        int w = whole_level(a, b);

        g = w < g ? w : g;
        f = w < f ? w : f;
    }
    lv[LINK_C_GIVEN] = g;
    lv[LINK_C_FAMILY] = f;
    lv[LINK_C_BIRTH] = birth_level(a, b);
    lv[LINK_C_SEX] = a->sex == 0 || b->sex == 0 ? LINK_LEVEL_NULL
                                                : a->sex != b->sex;
    lv[LINK_C_PROVINCE] = a->prov == 0 || b->prov == 0
                              ? LINK_LEVEL_NULL
                              : a->prov != b->prov;
    lv[LINK_C_PLACE] = text_level(a->place, b->place, a->plen, b->plen,
                                  a->placeh, b->placeh);
    lv[LINK_C_PHONE] = a->phone == 0 || b->phone == 0
                           ? LINK_LEVEL_NULL
                           : a->phone != b->phone;
    lv[LINK_C_EMAIL] = text_level(a->email, b->email, a->elen, b->elen,
                                  a->emailh, b->emailh);
}

/* The level of the Dice coefficient of segment seg of two filters: the
 * first of the nb descending bands it reaches, nb below all. */
static int dice_level(const struct link_rec *a, const struct link_rec *b,
                      int seg, const double *bands, int nb)
{
    unsigned long both = 0;
    double dice;
    int pa = a->pop[seg];
    int pb = b->pop[seg];
    int i;
    int l = 0;

    if (pa == 0 || pb == 0) {
        return LINK_LEVEL_NULL;
    }
    for (i = link_seg_start(seg) / 64; i < link_seg_start(seg + 1) / 64;
         i++) {
        both += (unsigned long)__builtin_popcountll(a->bloom[i] &
                                                    b->bloom[i]);
    }
    dice = 2.0 * (double)both / (double)(pa + pb);
    while (l < nb && dice < bands[l]) {
        l++;
    }
    return l;
}

/* Bits set in bits [from, from + size) of a filter, and in both. */
static void word_pops(const uint64_t *a, const uint64_t *b, int from,
                      int size, int *pa, int *pb, int *both)
{
    int i;

    *pa = *pb = *both = 0;
    for (i = from / 64; i < (from + size) / 64; i++) {
        *pa += __builtin_popcountll(a[i]);
        *pb += __builtin_popcountll(b[i]);
        *both += __builtin_popcountll(a[i] & b[i]);
    }
}

/* The share of the smaller filter's bits that the other has too. */
static double containment(int pa, int pb, int both)
{
    return (double)both / (double)(pa < pb ? pa : pb);
}

/* The birth level of an encoded pair, as the clear mode's intervals
 * (link_int.h, the birth words): the same full date; two full dates with
 * the same day and month and years a year apart, or the same year and
 * one of day and month the same (or both swapped); the years of the
 * intervals meet (they overlap); they are at most a year apart; else. */
static int birth_level_clk(const struct link_rec *a, const struct link_rec *b)
{
    int ya, yb, y, da, db, d, na, nb, n;
    double yc;
    double dd = 0;
    int full;

    word_pops(a->bloom, b->bloom, LINK_BIRTH_YEARS, 64, &ya, &yb, &y);
    if (ya == 0 || yb == 0) {
        return LINK_LEVEL_NULL;
    }
    word_pops(a->bloom, b->bloom, LINK_BIRTH_DAY, 64, &da, &db, &d);
    word_pops(a->bloom, b->bloom, LINK_BIRTH_NEAR, 128, &na, &nb, &n);
    yc = containment(ya, yb, y);
    full = da >= CLK_FULL_DATE_BITS && db >= CLK_FULL_DATE_BITS;
    if (full) {
        dd = 2.0 * d / (double)(da + db);
    }
    if (full && yc >= 0.9 && dd >= 0.95) {
        return 0;
    }
    if (full && ((yc >= 0.9 && dd >= 0.5) ||
                 (dd >= 0.95 && containment(na, nb, n) >= 0.45))) {
        return 1;
    }
    if (y >= CLK_K_YEAR && yc >= 0.5) {
        /* a whole year token in common: a single year's eight bits all
         * in the other word (a share of 0.6 met by chance in about one
         * pair of a year against an age's two years in fifty) */
        return 2;
    }
    return containment(na, nb, n) >= 0.45 ? 3 : 4;
}

/* Nonzero when both records have two names as written (blocking key
 * 12's tokens) and share exactly one of them. */
static int one_name_shared(const struct link_rec *a, const struct link_rec *b)
{
    int x;
    int y;
    int shared = 0;

    if (a->tok[12][0] == 0 || a->tok[12][1] == 0 || b->tok[12][0] == 0 ||
        b->tok[12][1] == 0) {
        return 0;
    }
    for (x = 0; x < 2; x++) {
        for (y = 0; y < 2; y++) {
            shared += a->tok[12][x] == b->tok[12][y];
        }
    }
    return shared == 1;
}

/* Levels of an encoded pair: the Dice coefficient of each segment of the
 * CLK (one per field), in bands; birth as intervals (above); the names'
 * bands 0.55-0.80 split by one name shared as written (seven levels:
 * 0.90, 0.80, 0.70, 0.70 one name, 0.55, 0.55 one name, else). */
void link_compare_clk(const struct link_rec *a, const struct link_rec *b,
                      int *lv)
{
    static const double names[4] = {0.90, 0.80, 0.70, 0.55};
    static const double exact[1] = {0.90};
    static const double place[2] = {0.90, 0.60};
    static const double contact[2] = {0.90, 0.50};

    lv[LINK_CK_NAMES] = dice_level(a, b, 0, names, 4);
    if ((lv[LINK_CK_NAMES] == 2 || lv[LINK_CK_NAMES] == 3) &&
        one_name_shared(a, b)) {
        /* one name the same as written and the segment only near: the
         * other name differs (a namesake by one name) */
        lv[LINK_CK_NAMES] = lv[LINK_CK_NAMES] == 2 ? 3 : 5;
    } else if (lv[LINK_CK_NAMES] == 3) {
        lv[LINK_CK_NAMES] = 4;
    } else if (lv[LINK_CK_NAMES] == 4) {
        lv[LINK_CK_NAMES] = 6;
    }
    lv[LINK_CK_BIRTH] = birth_level_clk(a, b);
    lv[LINK_CK_SEX] = dice_level(a, b, 2, exact, 1);
    lv[LINK_CK_PROVINCE] = dice_level(a, b, 3, exact, 1);
    lv[LINK_CK_PLACE] = dice_level(a, b, 4, place, 2);
    lv[LINK_CK_CONTACT] = dice_level(a, b, 5, contact, 2);
}
