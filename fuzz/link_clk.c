/*
 * link_clk.c - fuzz target for encoded (CLK) rows: list, record_id, the
 * base64 Bloom filter and the blocking tokens (hex values joined by ';'),
 * then, on small sets, the linker over them: no crash, no leak, no
 * undefined behaviour.
 *
 * Input: CSV rows list,record_id,clk,b1..b16 (the first row is a header).
 */
#include <stdint.h>
#include <string.h>

#include "io/io.h"
#include "link/link.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct io_csv *r = NULL;
    struct link_set *s = NULL;
    struct ctis_err err;
    size_t i;

    if (io_csv_open_mem(&r, "fuzz.clk", (const char *)data, size, &err) !=
        0) {
        return 0;
    }
    if (io_csv_next(r, &err) <= 0 || link_set_new(&s, &err) != 0) {
        io_csv_close(r);
        return 0;
    }
    while (io_csv_next(r, &err) > 0 && link_set_size(s) < 200) {
        const char *tok[LINK_BLOCK_KEYS];

        for (i = 0; i < LINK_BLOCK_KEYS; i++) {
            tok[i] = io_csv_field(r, 3 + i);
        }
        link_set_add_clk(s, io_csv_field(r, 0)[0] != '\0'
                                ? io_csv_field(r, 0) : "fuzz",
                         io_csv_field(r, 1), io_csv_field(r, 2), tok,
                         LINK_BLOCK_KEYS, "fuzz.clk", &err);
    }
    if (link_set_size(s) >= 2) {
        struct link_options o;
        struct link_result res;

        link_options_init(&o);
        o.progress = -1;
        o.threads = 1;
        o.u_samples = 2000;
        o.em_max_iter = 30;
        link_result_init(&res);
        link_run(s, &o, &res, &err);
        link_result_release(&res);
    }
    link_set_free(s);
    io_csv_close(r);
    return 0;
}
