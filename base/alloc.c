/*
 * alloc.c - the one allocator of ctis, with a test-only fault injector.
 *
 * In tests, ctis_alloc_fail_after(n) makes the (n+1)th allocation from now,
 * and every one after it, return NULL: a test reruns an operation with
 * n = 0, 1, 2, ... until it succeeds and checks each failure is a clean
 * CTIS_ENOMEM (STYLE.md section 9). The counters below are the only
 * process-global mutable state outside main, as STYLE.md allows for them;
 * alloc_failures also counts real failures, so that code calling a library
 * which reports out of memory as a syntax error (jansson) can tell.
 */
#include <stdlib.h>
#include <string.h>

#include "base.h"

/* Atomic: the importer allocates from two threads. */
static _Atomic long fail_after = -1;
static _Atomic long alloc_count;
static _Atomic int alloc_failed;
static _Atomic long alloc_failures;

/* Counting happens only while the injector is armed: a counter written by
 * every allocation of every thread would bounce its cache line between
 * cores. */
static int should_fail(void)
{
    long limit = fail_after;

    if (limit < 0) {
        return 0;
    }
    if (++alloc_count > limit) {
        alloc_failed = 1;
        alloc_failures++;
        return 1;
    }
    return 0;
}

static void *counted(void *p)
{
    if (p == NULL) {
        alloc_failures++;
    }
    return p;
}

/* Failures so far, injected or real. */
long ctis_alloc_failures(void)
{
    return alloc_failures;
}

/* Arm the injector: n more allocations succeed, then all fail. */
void ctis_alloc_fail_after(long n)
{
    fail_after = n;
    alloc_count = 0;
    alloc_failed = 0;
}

/* Disarm the injector and clear the counters. */
void ctis_alloc_fail_reset(void)
{
    fail_after = -1;
    alloc_count = 0;
    alloc_failed = 0;
}

/* Allocations since the last arm or reset. */
long ctis_alloc_count(void)
{
    return alloc_count;
}

/* Whether an injected failure happened. */
int ctis_alloc_failed(void)
{
    return alloc_failed;
}

/* malloc that can be made to fail; never returns a block for n == 0 that
 * cannot be freed. */
void *ctis_malloc(size_t n)
{
    if (should_fail()) {
        return NULL;
    }
    return counted(malloc(n == 0 ? 1 : n));
}

/* calloc with overflow check. */
void *ctis_calloc(size_t count, size_t size)
{
    if (should_fail()) {
        return NULL;
    }
    if (count == 0 || size == 0) {
        return counted(calloc(1, 1));
    }
    return counted(calloc(count, size));
}

/* realloc that leaves p alive on failure. */
void *ctis_realloc(void *p, size_t n)
{
    if (should_fail()) {
        return NULL;
    }
    return counted(realloc(p, n == 0 ? 1 : n));
}

/* free that accepts NULL. */
void ctis_free(void *p)
{
    free(p);
}

/* Copy of a NUL-terminated string. */
char *ctis_strdup(const char *s)
{
    return ctis_strndup(s, strlen(s));
}

/* Copy of the first n bytes of s, NUL-terminated. */
char *ctis_strndup(const char *s, size_t n)
{
    char *p = ctis_malloc(n + 1);

    if (p == NULL) {
        return NULL;
    }
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
