/*
 * session.c - login sessions and the login throttle, in the server's
 * memory.
 *
 * A session is created by POST /api/session after ops/ has checked the
 * password. Its token is 256 random bits (libsodium's randombytes), given
 * to the client once as a bearer token and as the HttpOnly cookie; the
 * server keeps only the SHA-256 of the token, so a memory dump does not
 * hand out sessions. Each session has its own CSRF token (256 bits), which
 * a cookie-authenticated write must send in X-CSRF-Token. A session ends
 * `ttl` seconds after it began, at logout, or when its user's password or
 * account changes. Sessions do not survive a restart of the server: users
 * log in again.
 *
 * Throttle: failed logins are counted per user name and per address.
 * After HTTP_THROTTLE_FREE failures in a row, the next attempt must wait
 * 5 * 2^(failures - HTTP_THROTTLE_FREE) seconds (5, 10, 20, ...) after
 * the last failure, at most an hour; a success clears the user's and the address's counts. The
 * table is bounded: when full, the entry idle longest is dropped.
 */
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "http_int.h"

#define HTTP_THROTTLE_FREE 5
#define THROTTLE_MAX 4096
#define THROTTLE_WAIT_MAX 3600

struct session {
    unsigned char key[crypto_hash_sha256_BYTES]; /* SHA-256 of the token */
    time_t expires;
    struct http_caller who;
};

struct throttle {
    char key[80]; /* "u:NAME" or "a:ADDRESS" */
    int fails;
    double last;  /* ctis_now() of the last failure */
};

struct http_sessions {
    pthread_mutex_t lock;
    long ttl;
    struct session *s;
    size_t len;
    size_t cap;
    struct throttle *t;
    size_t t_len;
};

int http_sessions_new(struct http_sessions **out, long ttl,
                      struct ctis_err *err)
{
    struct http_sessions *s = ctis_calloc(1, sizeof *s);

    *out = NULL;
    if (s == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    s->t = ctis_calloc(THROTTLE_MAX, sizeof *s->t);
    if (s->t == NULL) {
        ctis_free(s);
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&s->lock, NULL);
    s->ttl = ttl > 0 ? ttl : 8 * 3600;
    *out = s;
    return 0;
}

void http_sessions_free(struct http_sessions *s)
{
    if (s == NULL) {
        return;
    }
    sodium_memzero(s->s, s->cap * sizeof *s->s);
    ctis_free(s->s);
    ctis_free(s->t);
    pthread_mutex_destroy(&s->lock);
    ctis_free(s);
}

static void hex(const unsigned char *b, size_t n, char *out)
{
    sodium_bin2hex(out, n * 2 + 1, b, n);
}

static void key_of(const char *token, unsigned char key[])
{
    crypto_hash_sha256(key, (const unsigned char *)token, strlen(token));
}

/* Drop expired sessions; called with the lock held. */
static void sweep(struct http_sessions *s, time_t now)
{
    size_t i = 0;

    while (i < s->len) {
        if (s->s[i].expires <= now) {
            s->s[i] = s->s[--s->len];
        } else {
            i++;
        }
    }
}

int http_session_create(struct http_sessions *s,
                        const struct http_caller *who, char token[65],
                        char csrf[65])
{
    unsigned char raw[32];
    time_t now = time(NULL);
    struct session *e;

    pthread_mutex_lock(&s->lock);
    sweep(s, now);
    if (s->len == s->cap) {
        size_t cap = s->cap > 0 ? s->cap * 2 : 64;
        struct session *n = ctis_realloc(s->s, cap * sizeof *n);

        if (n == NULL) {
            pthread_mutex_unlock(&s->lock);
            return CTIS_ENOMEM;
        }
        s->s = n;
        s->cap = cap;
    }
    e = &s->s[s->len];
    memset(e, 0, sizeof *e);
    randombytes_buf(raw, sizeof raw);
    hex(raw, sizeof raw, token);
    randombytes_buf(raw, sizeof raw);
    hex(raw, sizeof raw, csrf);
    sodium_memzero(raw, sizeof raw);
    key_of(token, e->key);
    e->expires = now + s->ttl;
    e->who = *who;
    e->who.authenticated = 1;
    ctis_strlcpy(e->who.csrf, csrf, sizeof e->who.csrf);
    s->len++;
    pthread_mutex_unlock(&s->lock);
    return 0;
}

int http_session_find(struct http_sessions *s, const char *token,
                      struct http_caller *who)
{
    unsigned char key[crypto_hash_sha256_BYTES];
    time_t now = time(NULL);
    size_t i;
    int found = 0;

    if (strlen(token) != 64) {
        return 0;
    }
    key_of(token, key);
    pthread_mutex_lock(&s->lock);
    for (i = 0; i < s->len; i++) {
        if (sodium_memcmp(s->s[i].key, key, sizeof key) == 0) {
            if (s->s[i].expires > now) {
                *who = s->s[i].who;
                found = 1;
            } else {
                s->s[i] = s->s[--s->len];
            }
            break;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return found;
}

void http_session_end(struct http_sessions *s, const char *token)
{
    unsigned char key[crypto_hash_sha256_BYTES];
    size_t i;

    key_of(token, key);
    pthread_mutex_lock(&s->lock);
    for (i = 0; i < s->len; i++) {
        if (sodium_memcmp(s->s[i].key, key, sizeof key) == 0) {
            s->s[i] = s->s[--s->len];
            break;
        }
    }
    pthread_mutex_unlock(&s->lock);
}

void http_session_end_user(struct http_sessions *s, const char *user)
{
    size_t i = 0;

    pthread_mutex_lock(&s->lock);
    while (i < s->len) {
        if (strcmp(s->s[i].who.who.user, user) == 0) {
            s->s[i] = s->s[--s->len];
        } else {
            i++;
        }
    }
    pthread_mutex_unlock(&s->lock);
}

/* The entry of key, created if absent (evicting the idlest when full);
 * with create 0, NULL when absent. Lock held. */
static struct throttle *entry(struct http_sessions *s, const char *kind,
                              const char *name, int create)
{
    char key[80];
    size_t i;
    size_t idlest = 0;

    snprintf(key, sizeof key, "%s:%s", kind, name);
    for (i = 0; i < s->t_len; i++) {
        if (strcmp(s->t[i].key, key) == 0) {
            return &s->t[i];
        }
        if (s->t[i].last < s->t[idlest].last) {
            idlest = i;
        }
    }
    if (!create) {
        return NULL;
    }
    if (s->t_len < THROTTLE_MAX) {
        idlest = s->t_len++;
    }
    memset(&s->t[idlest], 0, sizeof s->t[idlest]);
    ctis_strlcpy(s->t[idlest].key, key, sizeof s->t[idlest].key);
    return &s->t[idlest];
}

/* Seconds to wait after the last failure: 5, 10, 20, ... an hour. */
static int must_wait(const struct throttle *t, double now)
{
    double wait;
    int over;

    if (t == NULL || t->fails < HTTP_THROTTLE_FREE) {
        return 0;
    }
    over = t->fails - HTTP_THROTTLE_FREE;
    wait = over >= 10 ? THROTTLE_WAIT_MAX : 5.0 * (double)(1L << over);
    if (wait > THROTTLE_WAIT_MAX) {
        wait = THROTTLE_WAIT_MAX;
    }
    return now < t->last + wait;
}

int http_throttle_check(struct http_sessions *s, const char *user,
                        const char *address)
{
    double now = ctis_now();
    int wait;

    pthread_mutex_lock(&s->lock);
    wait = must_wait(entry(s, "u", user, 0), now) ||
           must_wait(entry(s, "a", address, 0), now);
    pthread_mutex_unlock(&s->lock);
    return wait;
}

void http_throttle_note(struct http_sessions *s, const char *user,
                        const char *address, int ok)
{
    double now = ctis_now();
    struct throttle *u;
    struct throttle *a;

    pthread_mutex_lock(&s->lock);
    if (ok) {
        u = entry(s, "u", user, 0);
        a = entry(s, "a", address, 0);
        if (u != NULL) {
            u->fails = 0;
        }
        if (a != NULL) {
            a->fails = 0;
        }
    } else {
        /* One entry at a time: creating the second may evict the idlest,
         * which must not be the first. */
        u = entry(s, "u", user, 1);
        u->fails++;
        u->last = now;
        a = entry(s, "a", address, 1);
        a->fails++;
        a->last = now;
    }
    pthread_mutex_unlock(&s->lock);
}
