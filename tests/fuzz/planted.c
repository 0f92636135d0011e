/*
 * planted.c - a fuzz target with one planted defect, for
 * tests/fuzz/test_replay.sh only (it is not in fuzz/, so it is never part
 * of the suite's corpus replay): the input "PLANT" shifts a 32-bit value by
 * 40 bits, undefined behaviour that UBSan reports. It proves that the
 * corpus replay fails on a sanitizer report instead of printing "ok".
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    volatile int shift = 0;
    uint32_t v = 1;

    if (size == 5 && memcmp(data, "PLANT", 5) == 0) {
        shift = 40;
    }
    v = v << shift;
    return v == 12345 ? 1 : 0;
}
