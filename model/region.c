/*
 * region.c - the generalisations of a person's quasi-identifiers that
 * public exports publish instead of exact values (docs/htcds.md,
 * "Disclosure control"): the four geographic zones of Cambodia that group
 * its provinces (plain, Tonle Sap, coastal, plateau and mountain, as the
 * National Institute of Statistics groups them) and the age bands of the
 * CTDC public dataset with their coarser levels.
 */
#include <string.h>

#include "model.h"

static const char *const region_codes[MODEL_REGIONS] = {
    "plain", "tonle_sap", "coastal", "plateau_mountain"};

/* Zone of province n (index n - 1). */
static const signed char province_region[MODEL_PROVINCES] = {
    1, 1, 0, 1, 3, 1, 2, 0, 2, 3, 3, 0, 3, /* KH-1 .. KH-13 */
    0, 1, 3, 1, 2, 3, 0, 0, 1, 2, 1, 0     /* KH-14 .. KH-25 */
};

/* Zones are fixed by the country's geography: a table, not a setting. */
int model_province_region(int number)
{
    if (number < 1 || number > MODEL_PROVINCES) {
        return -1;
    }
    return province_region[number - 1];
}

/* The stable code of a zone, or NULL. */
const char *model_region_code(int region)
{
    if (region < 0 || region >= MODEL_REGIONS) {
        return NULL;
    }
    return region_codes[region];
}

/* CTDC's ageBroad bands (level 0), the wider bands (level 1) and the
 * majority status (level 2). */
static const char *const band_fine[MODEL_AGE_BANDS] = {
    "0--8",   "9--17",  "18--20", "21--23", "24--26",
    "27--29", "30--38", "39--47", "48+"};
static const int band_lo[MODEL_AGE_BANDS] = {0, 9, 18, 21, 24, 27, 30, 39, 48};
static const char *const band_wide[4] = {"0--17", "18--29", "30--47", "48+"};
static const int band_wide_lo[4] = {0, 18, 30, 48};
static const int fine_to_wide[MODEL_AGE_BANDS] = {0, 0, 1, 1, 1, 1, 2, 2, 3};

/* The fine band holding age in years, or -1 when age < 0. */
int model_age_band(int age)
{
    int b;

    if (age < 0) {
        return -1;
    }
    for (b = MODEL_AGE_BANDS - 1; b > 0 && age < band_lo[b]; b--) {
    }
    return b;
}

/* The band of the fine band at a level: 0 itself, 1 the wide band, 2
 * the majority status (0 minor, 1 adult). */
int model_age_band_up(int band, int level)
{
    if (band < 0 || band >= MODEL_AGE_BANDS) {
        return -1;
    }
    if (level <= 0) {
        return band;
    }
    if (level == 1) {
        return fine_to_wide[band];
    }
    return band_lo[band] >= 18;
}

/* Text of a band at a level (CTDC's "18--20" style), or NULL. */
const char *model_age_band_name(int code, int level)
{
    if (level == 0 && code >= 0 && code < MODEL_AGE_BANDS) {
        return band_fine[code];
    }
    if (level == 1 && code >= 0 && code < 4) {
        return band_wide[code];
    }
    if (level == 2 && (code == 0 || code == 1)) {
        return code == 0 ? "0--17" : "18+";
    }
    return NULL;
}

/* The youngest age of a band given by its text at any level, the level
 * into *level; -1 when the text is no band. */
int model_age_band_parse(const char *s, int *level)
{
    int b;

    for (b = 0; b < MODEL_AGE_BANDS; b++) {
        if (strcmp(s, band_fine[b]) == 0) {
            *level = 0;
            return band_lo[b];
        }
    }
    for (b = 0; b < 4; b++) {
        if (strcmp(s, band_wide[b]) == 0) {
            *level = 1;
            return band_wide_lo[b];
        }
    }
    if (strcmp(s, "18+") == 0) {
        *level = 2;
        return 18;
    }
    return -1;
}
