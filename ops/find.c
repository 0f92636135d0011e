/*
 * find.c - search before registering: persons whose names match a query
 * in Latin or Khmer script, whatever the order of the name parts and the
 * romanisation, ranked by a match weight.
 *
 * Each name part of the query and of a person is normalised by link/
 * (NFKC, Khmer romanised, case folded) and given link/'s phonetic key.
 * A query part scores against the person's best part: equal text 6,
 * equal phonetic key 4, Jaro-Winkler of 0.90 or more 3; a part that
 * matches nothing costs 2. The same birth year adds 3 and one more than
 * two years apart takes 5 away; the same home province adds 2. A person
 * is a hit when at least half of the query's parts matched and the
 * weight is positive. The candidates come from store_find_persons: the
 * persons with at least one name part equal to the query's by text or
 * phonetic key (on a sealed store an equality lookup of the blind
 * indexes, only candidates opened; on a clear one the same rule over
 * every person), so sealed and clear stores give the same hits; a
 * person whose parts all match only by Jaro-Winkler is not a candidate.
 */
#include <string.h>

#include "link/link.h"
#include "ops_int.h"

#define PARTS 8
#define PART_MAX 128

/* The weights of the file comment. */
#define W_TEXT 6     /* a query part equal to a part of the person */
#define W_PHON 4     /* equal by phonetic key */
#define W_JW 3       /* Jaro-Winkler of 0.90 or more */
#define W_MISS (-2)  /* nothing matches it */
#define W_BORN 3     /* the same birth year */
#define W_PROVINCE 2 /* the same home province */

struct parts {
    char text[PARTS][PART_MAX];
    char key[PARTS][PART_MAX];
    /* the keys of the part's other readings (a Khmer-script name:
     * model_name_readings), "" none */
    char alt[PARTS][MODEL_NAME_READINGS - 1][PART_MAX];
    int n;
};

/* Part i of p and part j of c meet by key: a reading of one has the key
 * of a reading of the other. */
static int keys_meet(const struct parts *p, int i, const struct parts *c,
                     int j)
{
    int x;
    int y;

    for (x = -1; x < MODEL_NAME_READINGS - 1; x++) {
        const char *a = x < 0 ? p->key[i] : p->alt[i][x];

        for (y = -1; a[0] != '\0' && y < MODEL_NAME_READINGS - 1; y++) {
            if (strcmp(a, y < 0 ? c->key[j] : c->alt[j][y]) == 0) {
                return 1;
            }
        }
    }
    return 0;
}

/* Split a normalised string on spaces into parts with their keys. */
static void add_parts(struct parts *p, const char *raw)
{
    char r[MODEL_NAME_READINGS][MODEL_READING_MAX];
    char *s = r[0];
    int first = p->n;
    int nr = 0;
    int k;

    if (raw == NULL || raw[0] == '\0' ||
        model_name_readings(raw, r, &nr) != 0) {
        return;
    }
    while (*s != '\0' && p->n < PARTS) {
        size_t len;

        s += strspn(s, " ");
        len = strcspn(s, " ");
        if (len == 0) {
            break;
        }
        if (len >= PART_MAX) {
            len = PART_MAX - 1;
        }
        memcpy(p->text[p->n], s, len);
        p->text[p->n][len] = '\0';
        model_name_phonetic_key(p->text[p->n], p->key[p->n], PART_MAX);
        for (k = 0; k < MODEL_NAME_READINGS - 1; k++) {
            p->alt[p->n][k][0] = '\0';
        }
        p->n++;
        s += len;
    }
    /* the other readings, word by word on the same parts */
    for (k = 1; k < nr; k++) {
        int i;

        s = r[k];
        for (i = first; i < p->n; i++) {
            char word[PART_MAX];
            char key[PART_MAX];
            size_t len;

            s += strspn(s, " ");
            len = strcspn(s, " ");
            if (len == 0) {
                break;
            }
            ctis_strlcpy(word, s, len < PART_MAX ? len + 1 : PART_MAX);
            model_name_phonetic_key(word, key, PART_MAX);
            if (strcmp(key, p->key[i]) != 0) {
                ctis_strlcpy(p->alt[i][k - 1], key, PART_MAX);
            }
            s += len;
        }
    }
}

static double part_score(const struct parts *q, int i, const struct parts *c)
{
    double best = W_MISS;
    int j;

    for (j = 0; j < c->n; j++) {
        double s = W_MISS;

        if (strcmp(q->text[i], c->text[j]) == 0) {
            s = W_TEXT;
        } else if (q->key[i][0] != '\0' && keys_meet(q, i, c, j)) {
            s = W_PHON;
        } else if (link_jaro_winkler(q->text[i], c->text[j]) >= 0.90) {
            s = W_JW;
        }
        if (s > best) {
            best = s;
        }
    }
    return best;
}

struct search {
    const char *agency;  /* only this agency's cases; NULL: any */
    struct parts q;
    int born;
    const char *province;
    struct ops_find_hit *hits;
    size_t max;
    size_t n;
};

/* Weight w of case id ranks before hit h: a higher weight, or the same
 * and a smaller id (so the order of the candidates does not matter). */
static int ranks_before(double w, const char *id, const struct ops_find_hit *h)
{
    return w > h->weight || (w == h->weight && strcmp(id, h->case_id) < 0);
}

/* Insert into the best-first list, dropping the worst when full. */
static void keep(struct search *s, const struct model_case *c, double w)
{
    size_t i;

    if (s->n == s->max) {
        if (!ranks_before(w, c->id, &s->hits[s->max - 1])) {
            return;
        }
        i = s->max - 1;
    } else {
        i = s->n++;
    }
    while (i > 0 && ranks_before(w, c->id, &s->hits[i - 1])) {
        s->hits[i] = s->hits[i - 1];
        i--;
    }
    ctis_strlcpy(s->hits[i].case_id, c->id, sizeof s->hits[i].case_id);
    ctis_strlcpy(s->hits[i].agency, c->agency, sizeof s->hits[i].agency);
    s->hits[i].weight = w;
}

static int score_case(void *ctx, const struct model_case *c)
{
    struct search *s = ctx;
    const struct model_person *p = &c->person;
    struct parts cp;
    double w = 0;
    int matched = 0;
    int i;
    int year = p->birth_year != 0 ? p->birth_year : p->birth_date / 10000;

    if (s->agency != NULL && strcmp(c->agency, s->agency) != 0) {
        return 0;
    }
    memset(&cp, 0, sizeof cp);
    add_parts(&cp, p->given_name);
    add_parts(&cp, p->family_name);
    add_parts(&cp, p->given_name_km);
    add_parts(&cp, p->family_name_km);
    if (cp.n == 0) {
        return 0;
    }
    for (i = 0; i < s->q.n; i++) {
        double x = part_score(&s->q, i, &cp);

        w += x;
        matched += x > 0;
    }
    if (2 * matched < s->q.n || matched == 0) {
        return 0;
    }
    if (s->born != 0 && year != 0) {
        w += year == s->born ? W_BORN : (year - s->born > 2 ||
                                         s->born - year > 2 ? -5 : 0);
    }
    if (s->province != NULL && s->province[0] != '\0' &&
        strcmp(s->province, p->home_province) == 0) {
        w += W_PROVINCE;
    }
    if (w > 0 && s->max > 0) {
        keep(s, c, w);
    }
    return 0;
}

/* The list is full and no candidate whose weight is at most bound can
 * enter it (one of equal weight still might, by its id). */
static int enough(void *ctx, double bound)
{
    struct search *s = ctx;

    return s->max == 0 ||
           (s->n == s->max && bound < s->hits[s->max - 1].weight);
}

/* The scan; see the file comment for the weights. */
int ops_case_find(struct ops *o, const char *name, int born,
                  const char *province, struct ops_find_hit *hits,
                  size_t max, size_t *n, struct ctis_err *err)
{
    struct store_person_query pq;
    struct search s;
    int rc = ops_allow(o, OPS_CASE_LIST, NULL, NULL, err);

    *n = 0;
    if (rc == 0 && !ops_sees_identity(o)) {
        rc = ctis_err_set(err, CTIS_EPERM,
                          "permission denied: the search reads names");
    }
    if (rc != 0) {
        return rc;
    }
    /* The query is a name: the search is noted (never the name). */
    rc = ops_audit_note(o, "case.search", "", "", 0, 0, err);
    if (rc != 0) {
        return ctis_err_set(err, rc, "cannot note the search");
    }
    memset(&s, 0, sizeof s);
    add_parts(&s.q, name);
    if (s.q.n == 0) {
        return ctis_err_set(err, CTIS_EINVAL, "give a name to find");
    }
    s.born = born;
    s.province = province;
    s.hits = hits;
    s.max = max;
    if (o->who.role != OPS_ROLE_ADMIN) {
        s.agency = o->who.agency;
    }
    /* candidates by the bound of their weight (part_score, score_case):
     * a part the blind index does not match scores at most W_JW */
    memset(&pq, 0, sizeof pq);
    pq.name = name;
    pq.birth_year = 0;
    pq.agency = s.agency;
    pq.w_text = W_TEXT;
    pq.w_phon = W_PHON;
    pq.w_none = W_JW;
    pq.w_bonus = (born != 0 ? W_BORN : 0) +
                 (province != NULL && province[0] != '\0' ? W_PROVINCE : 0);
    pq.enough = enough;
    rc = store_find_persons(o->st, &pq, score_case, &s, err);
    *n = s.n;
    return rc;
}
