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
 * Throttle (docs/api.md, "Login throttling"): failed logins are counted
 * per (user name, address) pair, per address and per user name. After
 * some failures, the next attempt must wait 5 * 2^(failures - free)
 * seconds (5, 10, 20, ...) after the last failure, at most an hour: free
 * is HTTP_THROTTLE_FREE for the pair, THROTTLE_ADDR_FREE for the address
 * (one address trying many names) and THROTTLE_USER_FREE for the name
 * (many addresses trying one name: the cap on distributed guessing). A
 * success clears its pair's and its address's counts, never the name's,
 * and makes the pair known for THROTTLE_KNOWN_TTL: a known pair is held
 * back by its own count only, so failures from elsewhere (an attacker
 * failing the admin's password) do not lock a user out of the address
 * it logs in from. An unknown address of a name under attack waits, as
 * the attacker does. The tables are bounded: when full, the entry idle
 * longest is dropped.
 */
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "http_int.h"

#define HTTP_THROTTLE_FREE 5
#define THROTTLE_ADDR_FREE 20
#define THROTTLE_USER_FREE 50
#define THROTTLE_MAX 4096
#define THROTTLE_KNOWN_MAX 1024
#define THROTTLE_KNOWN_TTL (30.0 * 86400)
#define THROTTLE_WAIT_MAX 3600

struct session {
    unsigned char key[crypto_hash_sha256_BYTES]; /* SHA-256 of the token */
    time_t expires;
    struct http_caller who;
};

struct throttle {
    char key[128]; /* "u:NAME", "a:ADDRESS" or "p:NAME\nADDRESS" */
    int fails;
    double last;   /* ctis_now() of the last failure (of the last
                      success, in the known table) */
};

struct http_sessions {
    pthread_mutex_t lock;
    long ttl;
    struct session *s;
    size_t len;
    size_t cap;
    struct throttle *t;
    size_t t_len;
    struct throttle *known; /* "p:" pairs that logged in */
    size_t k_len;
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
    s->known = ctis_calloc(THROTTLE_KNOWN_MAX, sizeof *s->known);
    if (s->t == NULL || s->known == NULL) {
        ctis_free(s->t);
        ctis_free(s->known);
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
    ctis_free(s->known);
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

/* The entry of key in table t (len entries of max), created if absent
 * (evicting the idlest when full); with create 0, NULL when absent.
 * Lock held. */
static struct throttle *find(struct throttle *t, size_t *len, size_t max,
                             const char *key, int create)
{
    size_t i;
    size_t idlest = 0;

    for (i = 0; i < *len; i++) {
        if (strcmp(t[i].key, key) == 0) {
            return &t[i];
        }
        if (t[i].last < t[idlest].last) {
            idlest = i;
        }
    }
    if (!create) {
        return NULL;
    }
    if (*len < max) {
        idlest = (*len)++;
    }
    memset(&t[idlest], 0, sizeof t[idlest]);
    ctis_strlcpy(t[idlest].key, key, sizeof t[idlest].key);
    return &t[idlest];
}

/* The counting entry of kind ("u", "a", "p") and name. Lock held. */
static struct throttle *entry(struct http_sessions *s, const char *kind,
                              const char *name, int create)
{
    char key[128];

    snprintf(key, sizeof key, "%s:%s", kind, name);
    return find(s->t, &s->t_len, THROTTLE_MAX, key, create);
}

/* Seconds to wait after the last failure: 5, 10, 20, ... an hour, after
 * free failures. */
static int must_wait(const struct throttle *t, int free, double now)
{
    double wait;
    int over;

    if (t == NULL || t->fails < free) {
        return 0;
    }
    over = t->fails - free;
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
    char pair[120]; /* user (< 64), newline, address (< 48) */
    struct throttle *k;
    int wait;

    snprintf(pair, sizeof pair, "%s\n%s", user, address);
    pthread_mutex_lock(&s->lock);
    k = find(s->known, &s->k_len, THROTTLE_KNOWN_MAX, pair, 0);
    wait = must_wait(entry(s, "p", pair, 0), HTTP_THROTTLE_FREE, now);
    if (!wait && (k == NULL || now > k->last + THROTTLE_KNOWN_TTL)) {
        wait = must_wait(entry(s, "a", address, 0), THROTTLE_ADDR_FREE,
                         now) ||
               must_wait(entry(s, "u", user, 0), THROTTLE_USER_FREE, now);
    }
    pthread_mutex_unlock(&s->lock);
    return wait;
}

void http_throttle_note(struct http_sessions *s, const char *user,
                        const char *address, int ok)
{
    static const char *const kinds[3] = {"p", "a", "u"};
    double now = ctis_now();
    char pair[120]; /* user (< 64), newline, address (< 48) */
    const char *names[3];
    struct throttle *t;
    int i;

    snprintf(pair, sizeof pair, "%s\n%s", user, address);
    names[0] = pair;
    names[1] = address;
    names[2] = user;
    pthread_mutex_lock(&s->lock);
    if (ok) {
        for (i = 0; i < 2; i++) {
            t = entry(s, kinds[i], names[i], 0);
            if (t != NULL) {
                t->fails = 0;
            }
        }
        t = find(s->known, &s->k_len, THROTTLE_KNOWN_MAX, pair, 1);
        t->last = now;
    } else {
        /* One entry at a time: creating the next may evict the idlest,
         * which must not be the one just counted. */
        for (i = 0; i < 3; i++) {
            t = entry(s, kinds[i], names[i], 1);
            t->fails++;
            t->last = now;
        }
    }
    pthread_mutex_unlock(&s->lock);
}
