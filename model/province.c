/*
 * province.c - the 25 provinces of Cambodia with their ISO 3166-2:KH codes,
 * common Latin names and Khmer names. Index i holds KH-(i+1).
 *
 * model_province_parse reads a province as people write it. Latin names
 * are compared folded: ASCII letters and digits only, lower case, and a
 * leading "kompong" read as "kampong" (the older romanisation, still on
 * most forms), "krong " and "khett " (city, province) dropped; then against
 * the table's name and the other spellings below. Khmer names are
 * compared without spaces, zero-width spaces and the words for province
 * and capital.
 *
 * model_place_key keys a village as written (model.h): the word for
 * village dropped, then the phonetic key of names.
 */
#include <stdio.h>
#include <string.h>

#include "model.h"

static const struct model_province provinces[MODEL_PROVINCES] = {
    {"KH-1", "Banteay Meanchey", "បន្ទាយមានជ័យ"},
    {"KH-2", "Battambang", "បាត់ដំបង"},
    {"KH-3", "Kampong Cham", "កំពង់ចាម"},
    {"KH-4", "Kampong Chhnang", "កំពង់ឆ្នាំង"},
    {"KH-5", "Kampong Speu", "កំពង់ស្ពឺ"},
    {"KH-6", "Kampong Thom", "កំពង់ធំ"},
    {"KH-7", "Kampot", "កំពត"},
    {"KH-8", "Kandal", "កណ្ដាល"},
    {"KH-9", "Koh Kong", "កោះកុង"},
    {"KH-10", "Kratie", "ក្រចេះ"},
    {"KH-11", "Mondulkiri", "មណ្ឌលគិរី"},
    {"KH-12", "Phnom Penh", "ភ្នំពេញ"},
    {"KH-13", "Preah Vihear", "ព្រះវិហារ"},
    {"KH-14", "Prey Veng", "ព្រៃវែង"},
    {"KH-15", "Pursat", "ពោធិ៍សាត់"},
    {"KH-16", "Ratanakiri", "រតនគិរី"},
    {"KH-17", "Siem Reap", "សៀមរាប"},
    {"KH-18", "Preah Sihanouk", "ព្រះសីហនុ"},
    {"KH-19", "Stung Treng", "ស្ទឹងត្រែង"},
    {"KH-20", "Svay Rieng", "ស្វាយរៀង"},
    {"KH-21", "Takeo", "តាកែវ"},
    {"KH-22", "Oddar Meanchey", "ឧត្ដរមានជ័យ"},
    {"KH-23", "Kep", "កែប"},
    {"KH-24", "Pailin", "ប៉ៃលិន"},
    {"KH-25", "Tbong Khmum", "ត្បូងឃ្មុំ"},
};

/* Other spellings, folded (see the file comment), with their number. */
static const struct {
    const char *folded;
    int number;
} spellings[] = {
    {"banteaymeanchay", 1}, {"banteaymeanchey", 1},
    {"batdambang", 2},
    {"kampongchhnang", 4},
    {"kampongspoe", 5}, {"kampongsper", 5},
    {"kampongthum", 6},
    {"kaohkong", 9},
    {"kracheh", 10}, {"kratie", 10},
    {"mondolkiri", 11}, {"mondulkiri", 11},
    {"phnumpenh", 12},
    {"preahvihear", 13},
    {"pouthisat", 15}, {"posat", 15},
    {"ratanakkiri", 16}, {"rattanakiri", 16}, {"ratanakiri", 16},
    {"siemreab", 17}, {"siemreap", 17}, {"siemriep", 17},
    {"preahsihanouk", 18}, {"sihanoukville", 18}, {"kampongsaom", 18},
    {"kampongsom", 18}, {"sihanouk", 18},
    {"stungtreng", 19}, {"stoengtreng", 19}, {"steungtreng", 19},
    {"svayrieng", 20},
    {"takev", 21}, {"takeo", 21},
    {"otdarmeanchey", 22}, {"oddormeanchey", 22}, {"oddarmeanchey", 22},
    {"kaeb", 23},
    {"tboungkhmum", 25}, {"tbongkhmum", 25},
};

/* Fold a Latin name; see the file comment. 0, or -1 when it is not
 * plain ASCII or too long. */
static int fold_latin(const char *s, char *out, size_t n)
{
    size_t j = 0;

    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;

        if (c >= 0x80) {
            return -1;
        }
        if (c >= 'A' && c <= 'Z') {
            c = (unsigned char)(c - 'A' + 'a');
        }
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (j + 1 >= n) {
                return -1;
            }
            out[j++] = (char)c;
        }
    }
    out[j] = '\0';
    if (strncmp(out, "khett", 5) == 0) {
        memmove(out, out + 5, j - 5 + 1);
    } else if (strncmp(out, "krong", 5) == 0) {
        memmove(out, out + 5, j - 5 + 1);
    }
    if (strncmp(out, "kompong", 7) == 0) {
        out[1] = 'a';
    }
    return 0;
}

/* Drop ASCII spaces and U+200B ZERO WIDTH SPACE from Khmer text, and the
 * words for province (ខេត្ត) and capital (រាជធានី) in front. */
static void fold_khmer(const char *s, char *out, size_t n)
{
    static const char *const prefixes[] = {"ខេត្ត", "រាជធានី"};
    size_t j = 0;
    size_t i;

    for (; *s != '\0' && j + 1 < n; s++) {
        if (*s == ' ' || *s == '\t') {
            continue;
        }
        if (strncmp(s, "\xE2\x80\x8B", 3) == 0) {
            s += 2;
            continue;
        }
        out[j++] = *s;
    }
    out[j] = '\0';
    for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t m = strlen(prefixes[i]);

        if (strncmp(out, prefixes[i], m) == 0) {
            memmove(out, out + m, j - m + 1);
            break;
        }
    }
}

/* See model.h. */
int model_province_parse(const char *s)
{
    char folded[64];
    char name[64];
    size_t i;
    int n;

    if (s == NULL || s[0] == '\0' || strlen(s) >= sizeof folded) {
        return 0;
    }
    if (fold_latin(s, folded, sizeof folded) == 0) {
        if (strncmp(folded, "kh", 2) == 0 && folded[2] >= '1' &&
            folded[2] <= '9') {
            char code[8];

            snprintf(code, sizeof code, "KH-%.3s", folded + 2);
            return model_province_number(code);
        }
        for (n = 1; n <= MODEL_PROVINCES; n++) {
            if (fold_latin(provinces[n - 1].name, name, sizeof name) == 0 &&
                strcmp(name, folded) == 0) {
                return n;
            }
        }
        for (i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
            if (strcmp(spellings[i].folded, folded) == 0) {
                return spellings[i].number;
            }
        }
        return 0;
    }
    fold_khmer(s, folded, sizeof folded);
    for (n = 1; n <= MODEL_PROVINCES; n++) {
        fold_khmer(provinces[n - 1].name_km, name, sizeof name);
        if (strcmp(name, folded) == 0) {
            return n;
        }
    }
    return 0;
}

/* 1..25 from "KH-n" with no leading zero, else 0. */
int model_province_number(const char *code)
{
    int n = 0;
    const char *p;

    if (code == NULL || strncmp(code, "KH-", 3) != 0 || code[3] == '0') {
        return 0;
    }
    for (p = code + 3; *p != '\0'; p++) {
        if (*p < '0' || *p > '9' || p - code > 4) {
            return 0;
        }
        n = n * 10 + (*p - '0');
    }
    return n >= 1 && n <= MODEL_PROVINCES ? n : 0;
}

/* Lookup by code. */
const struct model_province *model_province_find(const char *code)
{
    return model_province_at(model_province_number(code));
}

/* Lookup by number. */
const struct model_province *model_province_at(int number)
{
    if (number < 1 || number > MODEL_PROVINCES) {
        return NULL;
    }
    return &provinces[number - 1];
}

/* The place key: see model.h. */
int model_place_key(const char *s, char *out, size_t outsize)
{
    static const char phum_km[] = "\xe1\x9e\x97\xe1\x9e\xbc\xe1\x9e\x98"
                                  "\xe1\x9e\xb7"; /* ភូមិ */
    static const char *const village[] = {"phum ", "phoum ", "phumi ",
                                          "phoumi "};
    char norm[MODEL_PLACE_MAX * 2];
    char kg[MODEL_PLACE_MAX * 2 + 8];
    const char *p = norm;
    size_t i;

    if (outsize > 0) {
        out[0] = '\0';
    }
    while (*s == ' ') {
        s++;
    }
    if (strncmp(s, phum_km, sizeof phum_km - 1) == 0) {
        s += sizeof phum_km - 1;
    }
    if (model_name_normalise(s, norm, sizeof norm) != 0) {
        return CTIS_EINVAL;
    }
    for (i = 0; i < sizeof village / sizeof village[0]; i++) {
        size_t n = strlen(village[i]);

        if (strncmp(p, village[i], n) == 0) {
            p += n;
            break;
        }
    }
    if (strncmp(p, "kg ", 3) == 0) {
        snprintf(kg, sizeof kg, "kampong %s", p + 3);
        p = kg;
    }
    model_name_phonetic_key(p, out, outsize);
    return 0;
}
