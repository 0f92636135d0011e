/*
 * config.c - fuzz target for the configuration file reader
 * (ctis_config_find): any text, any key; a value found always fits its
 * buffer and is NUL-terminated.
 */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static const char *const keys[] = {"db", "d", "key", ""};
    char out[64];
    size_t i;

    for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        int rc = ctis_config_find((const char *)data, size, keys[i], out,
                                  sizeof out);

        if (rc == 1 && strlen(out) >= sizeof out) {
            abort();
        }
    }
    return 0;
}
