/*
 * rng.c - xoshiro256** seeded by splitmix64: fast, small, and the same
 * sequence everywhere, so demo data and bootstrap replicates reproduce
 * from a seed.
 */
#include <time.h>

#include "base.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* Expand one seed into the four words of state. */
void ctis_rng_seed(struct ctis_rng *r, uint64_t seed)
{
    int i;

    for (i = 0; i < 4; i++) {
        r->s[i] = splitmix64(&seed);
    }
}

/* xoshiro256** step. */
uint64_t ctis_rng_next(struct ctis_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Unbiased bounded integer by rejection. */
uint64_t ctis_rng_below(struct ctis_rng *r, uint64_t n)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;

    do {
        x = ctis_rng_next(r);
    } while (x >= limit);
    return x % n;
}

/* 53 random bits as a double in [0, 1). */
double ctis_rng_double(struct ctis_rng *r)
{
    return (double)(ctis_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Monotonic seconds. */
double ctis_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
