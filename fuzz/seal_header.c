/*
 * seal_header.c - fuzz target for the parsers of sealed material that
 * read bytes from outside: a backup's header (seal_stream_parse_header),
 * a key file (seal_keyfile_parse) and a packed identity
 * (model_identity_unpack, the plaintext of a sealed value). No crash, no
 * read past the input, and what parses is consistent: a header's wraps
 * and length lie within the input, an unpacked identity packs back to
 * the same bytes.
 *
 * Input: the first byte picks the parser (mod 3), the rest is its input.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "model/model.h"
#include "seal/seal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data + 1;
    size_t n = size > 0 ? size - 1 : 0;

    if (size == 0) {
        return 0;
    }
    if (data[0] % 3 == 0) {
        struct seal_stream_header h;
        size_t used = 0;

        if (seal_stream_parse_header(p, n, &h, &used) == 0) {
            assert(used <= n && used == h.raw_len);
            assert(h.n_wraps >= 1 && h.n_wraps <= SEAL_STREAM_WRAPS_MAX);
            assert(memchr(h.key_id, '\0', sizeof h.key_id) != NULL);
        }
    } else if (data[0] % 3 == 1) {
        unsigned char key[SEAL_KEY_BYTES];

        (void)seal_keyfile_parse((const char *)p, n, key);
    } else {
        struct model_person person;
        unsigned char again[MODEL_IDENTITY_PACK_MAX];

        memset(&person, 0, sizeof person);
        if (model_identity_unpack(p, n, &person) == 0) {
            size_t m = model_identity_pack(&person, again);

            assert(m == n && memcmp(again, p, n) == 0);
        }
    }
    return 0;
}
