/*
 * identity.c - the one list of the fields that identify a person, and
 * their packed form.
 *
 * A person's identifying fields are the names in both scripts, the birth
 * date, the commune and village of home, and the contacts. Everything
 * that reads "which fields identify a person" asks this file: public
 * exports blank them (model_person_clear_identity), the CSV writer finds
 * its identifying columns by name (model_field_identifies), and the store
 * seals exactly these fields as one value (model_identity_pack). The
 * remaining person fields (sex, birth year, age, citizenship, province,
 * district) are case facts the datasheet counts.
 *
 * Packed form (the plaintext of a sealed value): a version byte (1), then
 * for each non-empty field in the order of the list: its index (1 byte),
 * its length (1 byte, at most 255) and its UTF-8 bytes; the birth date is
 * written as 8 ASCII digits YYYYMMDD. Indexes must ascend, so one packed
 * value has one meaning.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

#define TEXT(f) {#f, offsetof(struct model_person, f), \
                 sizeof(((struct model_person *)0)->f)}

const struct model_identity_field model_identity_fields[MODEL_IDENTITY_FIELDS] =
    {
        TEXT(given_name),    TEXT(family_name),  TEXT(given_name_km),
        TEXT(family_name_km),
        {"birth_date", offsetof(struct model_person, birth_date), 0},
        TEXT(home_commune),  TEXT(home_village), TEXT(phone),
        TEXT(email),
};

/* 1 when a field (by its name in files: "given_name", "phone") identifies
 * a person. */
int model_field_identifies(const char *name)
{
    size_t i;

    for (i = 0; i < MODEL_IDENTITY_FIELDS; i++) {
        if (strcmp(name, model_identity_fields[i].name) == 0) {
            return 1;
        }
    }
    return 0;
}

static char *text_of(struct model_person *p, size_t i)
{
    return (char *)p + model_identity_fields[i].offset;
}

static const char *ctext_of(const struct model_person *p, size_t i)
{
    return (const char *)p + model_identity_fields[i].offset;
}

/* Blank every identifying field; the case facts stay. */
void model_person_clear_identity(struct model_person *p)
{
    size_t i;

    for (i = 0; i < MODEL_IDENTITY_FIELDS; i++) {
        if (model_identity_fields[i].size == 0) {
            p->birth_date = 0;
        } else {
            text_of(p, i)[0] = '\0';
        }
    }
}

/* 1 when any identifying field is set. */
int model_person_has_identity(const struct model_person *p)
{
    size_t i;

    for (i = 0; i < MODEL_IDENTITY_FIELDS; i++) {
        if (model_identity_fields[i].size == 0 ? p->birth_date != 0
                                               : ctext_of(p, i)[0] != '\0') {
            return 1;
        }
    }
    return 0;
}

/* Pack the identifying fields of p into out (MODEL_IDENTITY_PACK_MAX
 * bytes); returns the length. Fields are NUL-terminated and shorter than
 * 256 bytes by their sizes in model_person. */
size_t model_identity_pack(const struct model_person *p, unsigned char *out)
{
    size_t n = 0;
    size_t i;

    out[n++] = 1;
    for (i = 0; i < MODEL_IDENTITY_FIELDS; i++) {
        char date[9];
        const char *v;
        size_t len;

        if (model_identity_fields[i].size == 0) {
            if (p->birth_date <= 0 || p->birth_date > 99999999) {
                continue;
            }
            snprintf(date, sizeof date, "%08d", p->birth_date);
            v = date;
        } else {
            v = ctext_of(p, i);
        }
        len = strlen(v);
        if (len == 0) {
            continue;
        }
        if (len > 255) {
            len = 255;
        }
        out[n++] = (unsigned char)i;
        out[n++] = (unsigned char)len;
        memcpy(out + n, v, len);
        n += len;
    }
    return n;
}

/* Unpack into p's identifying fields (the others untouched): 0, or
 * CTIS_ECORRUPT when in is not a packed identity. */
int model_identity_unpack(const unsigned char *in, size_t len,
                          struct model_person *p)
{
    size_t n = 1;
    int last = -1;

    model_person_clear_identity(p);
    if (len < 1 || in[0] != 1) {
        return CTIS_ECORRUPT;
    }
    while (n < len) {
        size_t i;
        size_t flen;

        if (len - n < 2) {
            return CTIS_ECORRUPT;
        }
        i = in[n];
        flen = in[n + 1];
        n += 2;
        if (i >= MODEL_IDENTITY_FIELDS || (int)i <= last || flen == 0 ||
            flen > len - n || memchr(in + n, '\0', flen) != NULL) {
            return CTIS_ECORRUPT;
        }
        last = (int)i;
        if (model_identity_fields[i].size == 0) {
            int d = 0;
            size_t k;

            if (flen != 8) {
                return CTIS_ECORRUPT;
            }
            for (k = 0; k < 8; k++) {
                if (in[n + k] < '0' || in[n + k] > '9') {
                    return CTIS_ECORRUPT;
                }
                d = d * 10 + (in[n + k] - '0');
            }
            if (d == 0) {
                return CTIS_ECORRUPT;
            }
            p->birth_date = d;
        } else {
            if (flen >= model_identity_fields[i].size) {
                return CTIS_ECORRUPT;
            }
            memcpy(text_of(p, i), in + n, flen);
            text_of(p, i)[flen] = '\0';
        }
        n += flen;
    }
    return 0;
}
