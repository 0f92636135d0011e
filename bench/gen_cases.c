/*
 * gen_cases.c - synthetic case files for the import benchmark: N cases
 * with four events each, written three ways from one random stream:
 *   PREFIX.jsonl         the ctis import format (20 agencies first)
 *   PREFIX.cases.csv     the same cases as flat rows
 *   PREFIX.events.csv    their events, one row each
 * so the sqlite3 shell can .import the same rows as the reference.
 * With GEN_DIVERSE set, each name gets one of 30 syllables appended (360
 * given and 300 family names instead of 12 and 10), closer to a real
 * register for search benchmarks (bench/seal.sh).
 * Usage: gen_cases N PREFIX [SEED]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

static const char *const given[] = {"Sokha", "Dara", "Sophea", "Srey Mom",
                                    "Vanna", "Chantha", "Bopha", "Kosal",
                                    "Rithy", "Sreyneang", "Phalla", "Vuthy"};
static const char *const family[] = {"Chan", "Sok", "Kim", "Heng", "Chea",
                                     "Ly", "Meas", "Nhem", "Sam", "Ouk"};
static const char *const syllables[] = {
    "",    "rin", "mey",   "ny",  "ra",  "thy", "vy",   "leak", "na",  "phy",
    "ka",  "sa",  "pov",   "rith", "ly", "neang", "mom", "dan", "vin", "rot",
    "sam", "kun", "phal",  "san", "heng", "nak", "tey",  "lin",  "sok", "ya"};
static const char *const sexes[] = {"female", "male"};
static const char *const movements[] = {"internal", "cross_border_out",
                                        "cross_border_in"};
static const char *const expl[] = {"sexual", "forced_labour"};
static const char *const dest[] = {"TH", "VN", "MY"};
static const char *const refer[] = {"family", "ngo", "ministry"};

#define PICK(r, a) a[ctis_rng_below(r, sizeof a / sizeof a[0])]

static FILE *open_out(const char *prefix, const char *suffix)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof path, "%s%s", prefix, suffix);
    f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    return f;
}

static void date_at(struct ctis_rng *r, int year, char out[11], int *d)
{
    *d = ctis_date_from_days(ctis_date_days(year * 10000 + 101) +
                             (long)ctis_rng_below(r, 300));
    ctis_date_format(*d, out);
}

int main(int argc, char **argv)
{
    struct ctis_rng r;
    long n;
    long i;
    FILE *js;
    FILE *cs;
    FILE *ev;

    if (argc < 3 || ctis_parse_long(argv[1], 1, 100000000L, &n) != 0) {
        fprintf(stderr, "usage: gen_cases N PREFIX [SEED]\n");
        return 2;
    }
    ctis_rng_seed(&r, argc > 3 ? strtoull(argv[3], NULL, 10) : 1);
    js = open_out(argv[2], ".jsonl");
    cs = open_out(argv[2], ".cases.csv");
    ev = open_out(argv[2], ".events.csv");
    fprintf(cs, "id,agency,given_name,family_name,sex,birth_date,"
                "home_province,trafficking_status,movement,exploitation,"
                "destination_country,status\n");
    fprintf(ev, "case_id,seq,type,date,from_country,to_country,official,"
                "referral\n");
    for (i = 1; i <= 20; i++) {
        fprintf(js, "{\"type\":\"agency\",\"id\":\"ngo-%ld\",\"name\":"
                    "\"NGO %ld\",\"kind\":\"ngo\",\"pillars\":"
                    "[\"protection\"]}\n", i, i);
    }
    for (i = 1; i <= n; i++) {
        int year = 2005 + (int)ctis_rng_below(&r, 4);
        const char *g = PICK(&r, given);
        const char *f = PICK(&r, family);
        char gbuf[64];
        char fbuf[64];

        if (getenv("GEN_DIVERSE") != NULL) {
            snprintf(gbuf, sizeof gbuf, "%s%s", g, PICK(&r, syllables));
            snprintf(fbuf, sizeof fbuf, "%s%s", f, PICK(&r, syllables));
            g = gbuf;
            f = fbuf;
        }
        const char *sex = PICK(&r, sexes);
        const char *mov = PICK(&r, movements);
        const char *ex = PICK(&r, expl);
        const char *to = PICK(&r, refer);
        const char *dc = strcmp(mov, "cross_border_out") == 0
                             ? PICK(&r, dest) : "";
        int prov = 1 + (int)ctis_rng_below(&r, 25);
        int agency = 1 + (int)ctis_rng_below(&r, 20);
        char birth[11], d1[11], d2[11], d3[11], d4[11];
        int b, t1, t2, t3, t4;

        date_at(&r, year - 10 - (int)ctis_rng_below(&r, 30), birth, &b);
        date_at(&r, year, d1, &t1);
        t2 = ctis_date_from_days(ctis_date_days(t1) + 2);
        t3 = ctis_date_from_days(ctis_date_days(t1) + 9);
        t4 = ctis_date_from_days(ctis_date_days(t1) + 40);
        ctis_date_format(t2, d2);
        ctis_date_format(t3, d3);
        ctis_date_format(t4, d4);
        fprintf(js,
                "{\"type\":\"case\",\"id\":\"C-%07ld\",\"agency\":"
                "\"ngo-%d\",\"person\":{\"given_name\":\"%s\","
                "\"family_name\":\"%s\",\"sex\":\"%s\",\"birth_date\":"
                "\"%s\",\"home_province\":\"KH-%d\"},"
                "\"trafficking_status\":\"actual\",\"movement\":\"%s\","
                "\"exploitation\":[\"%s\"]%s%s%s,\"status\":\"closed\","
                "\"events\":[{\"type\":\"identification\",\"date\":\"%s\"},"
                "{\"type\":\"rescue\",\"date\":\"%s\"},{\"type\":"
                "\"referral\",\"date\":\"%s\",\"to\":\"%s\"},{\"type\":"
                "\"repatriation\",\"date\":\"%s\",\"from_country\":\"TH\","
                "\"to_country\":\"KH\",\"official\":true}]}\n",
                i, agency, g, f, sex, birth, prov, mov, ex,
                dc[0] ? ",\"destination_country\":\"" : "", dc,
                dc[0] ? "\"" : "", d1, d2, d3, to, d4);
        fprintf(cs, "C-%07ld,ngo-%d,%s,%s,%s,%s,KH-%d,actual,%s,%s,%s,"
                    "closed\n", i, agency, g, f, sex, birth, prov, mov, ex,
                dc);
        fprintf(ev, "C-%07ld,0,identification,%d,,,,\n", i, t1);
        fprintf(ev, "C-%07ld,1,rescue,%d,,,,\n", i, t2);
        fprintf(ev, "C-%07ld,2,referral,%d,,,,%s\n", i, t3, to);
        fprintf(ev, "C-%07ld,3,repatriation,%d,TH,KH,1,\n", i, t4);
    }
    if (fclose(js) != 0 || fclose(cs) != 0 || fclose(ev) != 0) {
        perror("write");
        return 1;
    }
    return 0;
}
