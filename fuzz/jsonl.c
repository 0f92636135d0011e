/*
 * jsonl.c - fuzz target for the JSON Lines record parser. A line that
 * parses must write back to a line that parses to the same bytes again
 * (export then import is the identity).
 */
#include <stdlib.h>
#include <string.h>

#include "io/io.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    struct io_record a;
    struct io_record b;
    struct model_problems problems;
    struct ctis_buf out1;
    struct ctis_buf out2;

    io_record_init(&a);
    io_record_init(&b);
    ctis_buf_init(&out1);
    ctis_buf_init(&out2);
    model_problems_clear(&problems);
    if (io_jsonl_parse((const char *)data, size, &a, &problems) == 0) {
        if (io_jsonl_write(&out1, &a, 0) != 0) {
            abort();
        }
        model_problems_clear(&problems);
        if (io_jsonl_parse(out1.data, out1.len - 1, &b, &problems) != 0) {
            abort();
        }
        if (io_jsonl_write(&out2, &b, 0) != 0 || out1.len != out2.len ||
            memcmp(out1.data, out2.data, out1.len) != 0) {
            abort();
        }
    }
    io_record_release(&a);
    io_record_release(&b);
    ctis_buf_release(&out1);
    ctis_buf_release(&out2);
    return 0;
}
