/*
 * ctdc_gen.c - synthetic cases for the CTDC export benchmark, with the
 * long tails that make disclosure control work: 22 years of
 * identification, ages 3 to 70, a citizenship and a country of
 * exploitation drawn from heavy-tailed lists (most cases Cambodian and
 * exploited in Cambodia, Thailand, Malaysia or Vietnam; a few from dozens
 * of other countries), home provinces skewed as in the seed. Writes JSON
 * Lines for 'ctis import'. Usage: ctdc_gen N FILE [SEED]
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/base.h"

static const char *const tail[] = {
    "CN", "KR", "TW", "SA", "MY", "SG", "ID", "PH", "LA", "MM", "JP", "US",
    "AE", "QA", "KW", "OM", "BH", "JO", "LB", "TR", "RU", "UA", "DE", "FR",
    "GB", "IT", "ES", "NL", "AU", "NZ", "CA", "IN", "BD", "NP", "LK", "PK",
    "SO", "KE", "ZA", "NG", "EG", "BR", "MX", "AR", "FJ", "PG", "MV", "BN"};

#define N_TAIL (sizeof tail / sizeof tail[0])

/* A country: the common ones by weight, then the tail, rarer further. */
static const char *country(struct ctis_rng *r, const char *const *common,
                           const int *weight, int n)
{
    int x = (int)ctis_rng_below(r, 1000);
    int i;

    for (i = 0; i < n; i++) {
        if (x < weight[i]) {
            return common[i];
        }
        x -= weight[i];
    }
    /* Zipf-like: index k with weight 1 / (k + 1). */
    {
        double u = ctis_rng_double(r) * 4.5;
        size_t k = 0;
        double s = 0;

        while (k + 1 < N_TAIL && (s += 1.0 / (double)(k + 1)) < u) {
            k++;
        }
        return tail[k];
    }
}

int main(int argc, char **argv)
{
    static const char *const cit[] = {"KH", "VN", "TH"};
    static const int cit_w[] = {860, 80, 20};
    static const char *const dest[] = {"KH", "TH", "MY", "VN"};
    static const int dest_w[] = {380, 300, 100, 90};
    static const char *const sexes[] = {"female", "female", "female", "male",
                                        "male", "other"};
    static const int provinces[] = {14, 20, 21, 8, 2, 3, 1, 12, 7, 22};
    struct ctis_rng r;
    long n;
    long i;
    FILE *f;

    if (argc < 3 || ctis_parse_long(argv[1], 1, 100000000L, &n) != 0) {
        fprintf(stderr, "usage: ctdc_gen N FILE [SEED]\n");
        return 2;
    }
    ctis_rng_seed(&r, argc > 3 ? strtoull(argv[3], NULL, 10) : 1);
    f = fopen(argv[2], "w");
    if (f == NULL) {
        perror(argv[2]);
        return 1;
    }
    fprintf(f, "{\"type\":\"agency\",\"id\":\"ngo-1\",\"name\":\"NGO\","
               "\"kind\":\"ngo\"}\n");
    for (i = 1; i <= n; i++) {
        int year = 2000 + (int)ctis_rng_below(&r, 22);
        int age = 3 + (int)(ctis_rng_double(&r) * ctis_rng_double(&r) * 67);
        const char *c = country(&r, cit, cit_w, 3);
        const char *d = country(&r, dest, dest_w, 4);
        const char *sex = sexes[ctis_rng_below(&r, 6) == 5
                                    ? (ctis_rng_below(&r, 10) == 0 ? 5 : 0)
                                    : ctis_rng_below(&r, 5)];
        int prov = ctis_rng_below(&r, 3) == 0
                       ? 1 + (int)ctis_rng_below(&r, 25)
                       : provinces[ctis_rng_below(&r, 10)];
        const char *mov = d[0] == 'K' && d[1] == 'H'
                              ? (c[0] == 'K' && c[1] == 'H' ? "internal"
                                                            : "cross_border_in")
                              : "cross_border_out";

        fprintf(f,
                "{\"type\":\"case\",\"id\":\"C-%08ld\",\"agency\":\"ngo-1\","
                "\"person\":{\"sex\":\"%s\",\"age\":%d,\"citizenship\":"
                "\"%s\",\"home_province\":\"KH-%d\"},\"trafficking_status\":"
                "\"actual\",\"movement\":\"%s\",\"exploitation\":[\"%s\"],"
                "\"means\":[\"deception\"]%s%s%s,\"events\":[{\"type\":"
                "\"identification\",\"date\":\"%d-03-01\"}]}\n",
                i, sex, age, c, prov, mov,
                ctis_rng_below(&r, 2) ? "forced_labour" : "sexual",
                d[0] == 'K' && d[1] == 'H' ? "" : ",\"destination_country\":\"",
                d[0] == 'K' && d[1] == 'H' ? "" : d,
                d[0] == 'K' && d[1] == 'H' ? "" : "\"", year);
    }
    if (fclose(f) != 0) {
        perror("write");
        return 1;
    }
    return 0;
}
