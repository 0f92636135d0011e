/*
 * jsonl.c - fuzz target for the JSON Lines record parser. A line that
 * parses must write back to a line that parses to the same bytes again
 * (export then import is the identity). Differentially, every line our
 * tokenizer accepts must be valid JSON to jansson too (but for integers
 * too big for 64 bits, which jansson refuses and RFC 8259 allows).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "io/io.h"
#include "io/io_int.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    struct io_record a;
    struct io_record b;
    struct model_problems problems;
    struct ctis_buf out1;
    struct ctis_buf out2;
    struct jdoc doc;

    if (jdoc_parse(&doc, (const char *)data, size) == 0) {
        json_error_t jerr;
        json_t *j = json_loadb((const char *)data, size,
                              JSON_DECODE_ANY | JSON_ALLOW_NUL,
                              &jerr);

        /* jansson refuses integers past 64 bits; RFC 8259 does not. */
        if (j == NULL &&
            json_error_code(&jerr) != json_error_numeric_overflow) {
            abort();
        }
        json_decref(j);
    }
    jdoc_release(&doc);
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
