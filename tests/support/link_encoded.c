/*
 * link_encoded.c - the keyed Bloom-filter encodings of a set of records,
 * under the tests' secret, for the tests of the encoded mode.
 */
#include "link/link.h"
#include "support.h"

struct link_set *test_link_encoded(const struct link_set *s)
{
    struct link_set *c = NULL;
    struct link_clk_key k;
    struct ctis_err err;
    char clk[256];
    char tok[LINK_BLOCK_KEYS][LINK_TOKEN_TEXT];
    size_t i;

    if (link_clk_key_derive(&k, "0123456789abcdef-secret", 23, &err) != 0 ||
        link_set_new(&c, &err) != 0) {
        return NULL;
    }
    for (i = 0; i < link_set_size(s); i++) {
        const char *tp[LINK_BLOCK_KEYS];
        size_t t;

        link_clk_encode(s, i, &k, clk, sizeof clk, tok, LINK_BLOCK_KEYS);
        for (t = 0; t < LINK_BLOCK_KEYS; t++) {
            tp[t] = tok[t];
        }
        if (link_set_add_clk(c,
                             link_set_list_name(s, link_set_record_list(s, i)),
                             link_set_record_id(s, i), clk, tp,
                             LINK_BLOCK_KEYS, "t", &err) != 0) {
            link_set_free(c);
            return NULL;
        }
    }
    return c;
}
