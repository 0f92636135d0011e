/*
 * datasheet_sql.c - print the datasheet's aggregate SQL, exactly as the
 * store runs it, as an sqlite3 shell script for a period, so the benchmark
 * can time the shell doing the same work as 'ctis report'.
 * Usage: datasheet_sql FROM_YEAR TO_YEAR
 */
#include <stdio.h>

#include "base/base.h"
#include "store/store_int.h"

int main(int argc, char **argv)
{
    long from;
    long to;
    int lo;
    int hi;
    int q;

    if (argc != 3 || ctis_parse_long(argv[1], 1900, 2100, &from) != 0 ||
        ctis_parse_long(argv[2], 1900, 2100, &to) != 0) {
        fprintf(stderr, "usage: datasheet_sql FROM_YEAR TO_YEAR\n");
        return 2;
    }
    store_query_bounds((int)from, (int)to, &lo, &hi);
    printf(".parameter init\n.parameter set ?1 %d\n.parameter set ?2 %d\n",
           lo, hi);
    for (q = 0; q < STORE_QUERY_COUNT; q++) {
        printf("%s;\n", store_query_sql((enum store_query)q));
    }
    return 0;
}
