/*
 * vocab.c - fuzz target for text read as people write it (model/): the
 * province table (codes, Latin spellings, Khmer names), vocabulary codes,
 * booleans, country codes and event options. Whatever the input, a
 * province found is 1..25 and its code parses back to it, and a code found
 * is one of the table's.
 */
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char s[128];
    char cc[3];
    char msg[400];
    struct model_event e;
    int n;
    int v;

    if (size >= sizeof s) {
        return 0;
    }
    memcpy(s, data, size);
    s[size] = '\0';
    n = model_province_parse(s);
    if (n < 0 || n > MODEL_PROVINCES) {
        abort();
    }
    if (n > 0 && model_province_parse(model_province_at(n)->code) != n) {
        abort();
    }
    v = model_code_parse(model_exploitation_codes, s);
    if (v >= 0 && model_code_name(model_exploitation_codes, v) == NULL) {
        abort();
    }
    v = model_bool_parse(s);
    if (v < -1 || v > 1) {
        abort();
    }
    if (model_country_parse(s, cc) != NULL && model_country_find(cc) == NULL) {
        abort();
    }
    memset(&e, 0, sizeof e);
    if (model_event_option(&e, "official", s, msg, sizeof msg) != 0 &&
        strlen(msg) >= sizeof msg) {
        abort();
    }
    model_event_option(&e, "service", s, msg, sizeof msg);
    model_event_option(&e, s, "true", msg, sizeof msg);
    return 0;
}
