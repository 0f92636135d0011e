/*
 * province.c - the 25 provinces of Cambodia with their ISO 3166-2:KH codes,
 * common Latin names and Khmer names. Index i holds KH-(i+1).
 */
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
