/*
 * model.h - the vocabulary of ctis (DESIGN.md) as enums with stable string
 * codes, the places (Cambodia's 25 provinces, ISO 3166-1 countries), the
 * record structs, and validation. No I/O at all.
 *
 * Strings in records are fixed-size, NUL-terminated arrays: a record is one
 * flat block plus its arrays of events, so parsing and storing need few
 * allocations and an out-of-memory failure can only happen when an array
 * grows. Dates are YYYYMMDD ints (base.h), 0 when unknown.
 */
#ifndef CTIS_MODEL_H
#define CTIS_MODEL_H

#include <stddef.h>

#include "base/base.h"

#define MODEL_ID_MAX 64     /* record ids, including the NUL */
#define MODEL_NAME_MAX 128  /* a person's name part, UTF-8 */
#define MODEL_TEXT_MAX 256  /* titles, agency names */
#define MODEL_PLACE_MAX 96  /* district, commune, village, city */

/* A code table maps an enum value to its stable string code. Tables end
 * with a {0, NULL} row. */
struct model_code {
    int value;
    const char *code;
};

/* The value whose code is s, or -1 if none. Case is ignored and a space or
 * hyphen matches '_' ("Sexual", "FORCED LABOUR"); the code written back is
 * always the table's. */
int model_code_parse(const struct model_code *table, const char *s);
/* 1 for true/yes/1, 0 for false/no/0 (any case), -1 otherwise: the one
 * rule for a boolean in CSV cells and key=value arguments. */
int model_bool_parse(const char *s);
#define MODEL_BOOL_ALLOWED "true, false, yes, no, 1 or 0"
/* The code of value, or NULL if none. */
const char *model_code_name(const struct model_code *table, int value);
/* Codes of a table joined with ", " into out (for error messages). */
void model_code_list(const struct model_code *table, char *out, size_t size);
/* "must be one of: a, b, c" into out: the one message for a refused
 * code, which always lists the allowed ones. */
void model_code_problem(const struct model_code *table, char *out,
                        size_t size);

enum model_sex { MODEL_SEX_UNKNOWN, MODEL_SEX_FEMALE, MODEL_SEX_MALE,
                 MODEL_SEX_OTHER };
extern const struct model_code model_sex_codes[];

enum model_tstatus { MODEL_TS_POSSIBLE, MODEL_TS_ACTUAL,
                     MODEL_TS_NOT_A_VICTIM };
extern const struct model_code model_tstatus_codes[];

enum model_movement { MODEL_MOV_UNKNOWN, MODEL_MOV_INTERNAL,
                      MODEL_MOV_CROSS_BORDER_OUT, MODEL_MOV_CROSS_BORDER_IN,
                      MODEL_MOV_TRANSIT };
extern const struct model_code model_movement_codes[];

/* Exploitation is a set: one bit per kind. */
enum model_exploitation {
    MODEL_EXP_SEXUAL = 1 << 0,
    MODEL_EXP_FORCED_LABOUR = 1 << 1,
    MODEL_EXP_FORCED_MARRIAGE = 1 << 2,
    MODEL_EXP_ILLEGAL_ADOPTION = 1 << 3,
    MODEL_EXP_ORGAN_REMOVAL = 1 << 4,
    MODEL_EXP_OTHER = 1 << 5
};
extern const struct model_code model_exploitation_codes[];

enum model_sector { MODEL_SECTOR_NONE, MODEL_SECTOR_BEGGING,
                    MODEL_SECTOR_STREET_SELLING, MODEL_SECTOR_FISHING,
                    MODEL_SECTOR_CONSTRUCTION, MODEL_SECTOR_FACTORY,
                    MODEL_SECTOR_AGRICULTURE, MODEL_SECTOR_DOMESTIC_WORK,
                    MODEL_SECTOR_ENTERTAINMENT, MODEL_SECTOR_OTHER };
extern const struct model_code model_sector_codes[];

/* Means of control: a set, one bit per kind. */
enum model_means {
    MODEL_MEANS_FORCE = 1 << 0,
    MODEL_MEANS_THREATS = 1 << 1,
    MODEL_MEANS_ABDUCTION = 1 << 2,
    MODEL_MEANS_FRAUD = 1 << 3,
    MODEL_MEANS_DECEPTION = 1 << 4,
    MODEL_MEANS_ABUSE_OF_POWER = 1 << 5,
    MODEL_MEANS_DEBT_BONDAGE = 1 << 6,
    MODEL_MEANS_WITHHOLDING_DOCUMENTS = 1 << 7,
    MODEL_MEANS_PAYMENTS = 1 << 8,
    MODEL_MEANS_OTHER = 1 << 9
};
extern const struct model_code model_means_codes[];

enum model_relation { MODEL_REL_UNKNOWN, MODEL_REL_FAMILY,
                      MODEL_REL_INTIMATE_PARTNER, MODEL_REL_FRIEND,
                      MODEL_REL_ACQUAINTANCE, MODEL_REL_EMPLOYER,
                      MODEL_REL_STRANGER, MODEL_REL_OTHER };
extern const struct model_code model_relation_codes[];

enum model_case_status { MODEL_CS_OPEN, MODEL_CS_FOLLOW_UP, MODEL_CS_CLOSED,
                         MODEL_CS_CLOSED_REFERRED };
extern const struct model_code model_case_status_codes[];

enum model_event_type {
    MODEL_EV_IDENTIFICATION, MODEL_EV_RESCUE, MODEL_EV_SHELTER_ADMISSION,
    MODEL_EV_SHELTER_EXIT, MODEL_EV_REPATRIATION, MODEL_EV_FAMILY_TRACING,
    MODEL_EV_FAMILY_ASSESSMENT, MODEL_EV_REINTEGRATION,
    MODEL_EV_MONITORING_VISIT, MODEL_EV_SERVICE, MODEL_EV_REFERRAL,
    MODEL_EV_CLOSURE, MODEL_EV_RE_TRAFFICKED
};
extern const struct model_code model_event_type_codes[];

enum model_service { MODEL_SVC_NONE, MODEL_SVC_MEDICAL, MODEL_SVC_LEGAL,
                     MODEL_SVC_PSYCHOSOCIAL, MODEL_SVC_EDUCATION,
                     MODEL_SVC_VOCATIONAL, MODEL_SVC_SHELTER };
extern const struct model_code model_service_codes[];

enum model_referral { MODEL_REF_NONE, MODEL_REF_FAMILY, MODEL_REF_NGO,
                      MODEL_REF_MINISTRY, MODEL_REF_OTHER };
extern const struct model_code model_referral_codes[];

enum model_role { MODEL_ROLE_RECRUITER, MODEL_ROLE_TRANSPORTER,
                  MODEL_ROLE_HARBOURER, MODEL_ROLE_EXPLOITER,
                  MODEL_ROLE_BROKER, MODEL_ROLE_OTHER };
extern const struct model_code model_role_codes[];

enum model_crim_kind { MODEL_CK_DOMESTIC, MODEL_CK_CROSS_BORDER };
extern const struct model_code model_crim_kind_codes[];

enum model_crim_event_type {
    MODEL_CE_INVESTIGATION, MODEL_CE_ARREST, MODEL_CE_CHARGE,
    MODEL_CE_TRIAL, MODEL_CE_CONVICTION, MODEL_CE_ACQUITTAL,
    MODEL_CE_SENTENCE, MODEL_CE_APPEAL
};
extern const struct model_code model_crim_event_codes[];

enum model_agency_kind { MODEL_AK_GOVERNMENT, MODEL_AK_UN, MODEL_AK_NGO,
                         MODEL_AK_OTHER };
extern const struct model_code model_agency_kind_codes[];

/* Pillars: a set. */
enum model_pillar {
    MODEL_PILLAR_PREVENTION = 1 << 0,
    MODEL_PILLAR_PROTECTION = 1 << 1,
    MODEL_PILLAR_PROSECUTION = 1 << 2,
    MODEL_PILLAR_POLICY = 1 << 3
};
extern const struct model_code model_pillar_codes[];

enum model_activity_kind {
    MODEL_ACT_AWARENESS, MODEL_ACT_SAFE_MIGRATION, MODEL_ACT_EDUCATION,
    MODEL_ACT_CHILD_PROTECTION_NETWORK, MODEL_ACT_MICRO_CREDIT,
    MODEL_ACT_JOB_CREATION, MODEL_ACT_TRAINING_POLICE,
    MODEL_ACT_TRAINING_JUDGES, MODEL_ACT_CAPACITY_BUILDING,
    MODEL_ACT_COMMUNITY_MOBILISATION, MODEL_ACT_CHILD_SAFE_TOURISM,
    MODEL_ACT_LABOUR_RECRUITMENT, MODEL_ACT_POLICY, MODEL_ACT_OTHER
};
extern const struct model_code model_activity_kind_codes[];

enum model_instrument_kind { MODEL_INS_LAW, MODEL_INS_MOU, MODEL_INS_PLAN,
                             MODEL_INS_SOP, MODEL_INS_SUB_DECREE,
                             MODEL_INS_AGREEMENT, MODEL_INS_CONSTITUTION,
                             MODEL_INS_OTHER };
extern const struct model_code model_instrument_kind_codes[];

/* Places. Province codes are ISO 3166-2:KH ("KH-12"); index 1..25 is the
 * number after "KH-". */
#define MODEL_PROVINCES 25
struct model_province {
    const char *code;     /* "KH-12" */
    const char *name;     /* common Latin name, "Phnom Penh" */
    const char *name_km;  /* Khmer script */
};
/* The province with the given code, or NULL. */
const struct model_province *model_province_find(const char *code);
/* Province number 1..25, or NULL. */
const struct model_province *model_province_at(int number);
/* 1..25 for a valid code, else 0. */
int model_province_number(const char *code);
/* 1..25 for a province as people write it: the ISO code in any case
 * ("KH-14", "kh14"), a Latin name in any case with or without spaces and
 * in its common spellings (Kampong/Kompong, Siem Reap/Siemreap, Preah
 * Sihanouk/Sihanoukville/Kampong Som, ...), or the Khmer name with or
 * without the word for province; 0 when none. The one table used by
 * import, case commands and record linkage. */
int model_province_parse(const char *s);
/* The key of a village (or commune) as people write it, for comparing
 * places: normalised (model_name_normalise: Khmer script romanised), the
 * word for village in front dropped ("Phum", "Phoum", "Phumi" and
 * Khmer ភូមិ, written with a space or without), "Kg" read as Kampong, then
 * the phonetic key of what is left (spellings, spaces and case do not
 * count: Phum Prey Thmei, PREY THMEY and ភូមិព្រៃថ្មី meet). Writes a
 * NUL-terminated key into out, "" when nothing is left; 0, or
 * CTIS_EINVAL when s is not valid UTF-8. */
int model_place_key(const char *s, char *out, size_t outsize);
#define MODEL_PROVINCE_ALLOWED                                                \
    "a province: its ISO code KH-1 to KH-25, or its name in Latin or Khmer "  \
    "script"

/* The four geographic zones of Cambodia (model/region.c): 0 plain, 1
 * Tonle Sap, 2 coastal, 3 plateau and mountain. Public exports publish a
 * province's zone when its province would identify someone. */
#define MODEL_REGIONS 4
/* Zone of province number 1..25, or -1. */
int model_province_region(int number);
/* Code of a zone ("plain", "tonle_sap", "coastal", "plateau_mountain"),
 * or NULL. */
const char *model_region_code(int region);

/* Age bands of the CTDC public dataset ("0--8", "9--17", "18--20", ...,
 * "48+"), level 0; their wider bands ("0--17", "18--29", "30--47", "48+"),
 * level 1; majority ("0--17", "18+"), level 2. */
#define MODEL_AGE_BANDS 9
/* Fine band (0..8) of an age in years; -1 for a negative age. */
int model_age_band(int age);
/* The code at level (0..2) of fine band; -1 for a bad band. */
int model_age_band_up(int band, int level);
/* The text of a band code at a level, or NULL. */
const char *model_age_band_name(int code, int level);
/* The youngest age of a band text of any level (its level in *level),
 * or -1 when s is no band. */
int model_age_band_parse(const char *s, int *level);

struct model_country {
    const char *code;  /* ISO 3166-1 alpha-2, "TH" */
    const char *name;  /* English short name */
};
/* The country with the given alpha-2 code in any case, or NULL; see
 * model_country_find for the canonical (upper case) one. Copies the
 * canonical code into out (3 bytes) when found. */
const struct model_country *model_country_parse(const char *s, char out[3]);
/* The country with the given alpha-2 code (upper case), or NULL. */
const struct model_country *model_country_find(const char *code);

/* A person: identifying fields are the names, birth date and contacts; the
 * store keeps them apart from the case facts. */
struct model_person {
    char given_name[MODEL_NAME_MAX];
    char family_name[MODEL_NAME_MAX];
    char given_name_km[MODEL_NAME_MAX];
    char family_name_km[MODEL_NAME_MAX];
    int sex;                 /* enum model_sex */
    int birth_date;          /* YYYYMMDD or 0 */
    int birth_year;          /* or 0 */
    int age;                 /* age at identification, or -1 */
    char citizenship[3];     /* ISO alpha-2 or "" */
    char home_province[6];   /* "KH-14" or "" */
    char home_district[MODEL_PLACE_MAX];
    char home_commune[MODEL_PLACE_MAX];
    char home_village[MODEL_PLACE_MAX];
    char phone[40];
    char email[MODEL_PLACE_MAX];
};

/* ---- Identifying fields (identity.c) ----------------------------------
 * The one list of the person fields that identify someone: names in both
 * scripts, birth date, home commune and village, phone, email. Public
 * exports leave them out, the store seals them as one value, erasure
 * removes them; the other person fields are case facts. */
#define MODEL_IDENTITY_FIELDS 9
struct model_identity_field {
    const char *name;  /* as in files and the schema: "given_name" */
    size_t offset;     /* in struct model_person */
    size_t size;       /* of the char array; 0 for birth_date (an int) */
};
extern const struct model_identity_field
    model_identity_fields[MODEL_IDENTITY_FIELDS];

/* 1 when the field named name (as in files) identifies a person. */
int model_field_identifies(const char *name);
/* Blank every identifying field of p; the case facts stay. */
void model_person_clear_identity(struct model_person *p);
/* 1 when any identifying field of p is set. */
int model_person_has_identity(const struct model_person *p);

/* Largest packed identity, in bytes. */
#define MODEL_IDENTITY_PACK_MAX 1024
/* Pack p's identifying fields into out (MODEL_IDENTITY_PACK_MAX bytes,
 * caller's); returns the length used. */
size_t model_identity_pack(const struct model_person *p, unsigned char *out);
/* Read a packed identity (len bytes) into p's identifying fields, which
 * are cleared first; the other fields are untouched. 0, or CTIS_ECORRUPT
 * when in is not a well-formed packed identity. */
int model_identity_unpack(const unsigned char *in, size_t len,
                          struct model_person *p);

struct model_event {
    int id;                  /* 1, 2, ... within its case; 0 not yet given
                                (ops/ numbers new events) */
    int supersedes;          /* id of the earlier event this one corrects,
                                0 none; a superseded event is kept but no
                                longer counts (model_event_live) */
    int type;                /* enum model_event_type */
    int date;                /* YYYYMMDD, required */
    char from_country[3];    /* repatriation */
    char to_country[3];      /* repatriation */
    int official;            /* repatriation: government-to-government */
    int service;             /* enum model_service, for service events */
    int referral;            /* enum model_referral, for referral events */
};

struct model_case {
    char id[MODEL_ID_MAX];
    char agency[MODEL_ID_MAX];
    struct model_person person;
    int trafficking_status;  /* enum model_tstatus */
    int movement;            /* enum model_movement */
    unsigned exploitation;   /* set of enum model_exploitation */
    int labour_sector;       /* enum model_sector */
    unsigned means;          /* set of enum model_means */
    int recruiter_relationship; /* enum model_relation */
    char destination_country[3];
    char destination_province[6];
    char destination_city[MODEL_PLACE_MAX];
    int status;              /* enum model_case_status */
    struct model_event *events;  /* owned; ctis_malloc'd */
    size_t n_events;
    size_t cap_events;
};

struct model_offender {
    char id[MODEL_ID_MAX];
    int sex;
    char citizenship[3];
    int role;                /* enum model_role */
};

struct model_crim_event {
    int type;                /* enum model_crim_event_type */
    int date;
    char offender[MODEL_ID_MAX];  /* "" when the event is the whole case's */
    int sentence_months;     /* -1 when not given */
    char law_articles[MODEL_PLACE_MAX];
};

struct model_criminal_case {
    char id[MODEL_ID_MAX];
    int kind;                /* enum model_crim_kind */
    struct model_offender *offenders;
    size_t n_offenders;
    char (*victim_cases)[MODEL_ID_MAX];
    size_t n_victim_cases;
    struct model_crim_event *events;
    size_t n_events;
};

struct model_agency {
    char id[MODEL_ID_MAX];
    char name[MODEL_TEXT_MAX];
    int kind;                /* enum model_agency_kind */
    unsigned pillars;        /* set of enum model_pillar */
    unsigned long provinces; /* bit n set: works in province KH-n */
};

struct model_activity {
    char id[MODEL_ID_MAX];
    char agency[MODEL_ID_MAX];
    int kind;                /* enum model_activity_kind */
    char province[6];
    int start;
    int end;
    long reached;            /* people reached, -1 unknown */
};

#define MODEL_PARTIES_MAX 8
struct model_instrument {
    char id[MODEL_ID_MAX];
    char title[MODEL_TEXT_MAX];
    int kind;                /* enum model_instrument_kind */
    int date;
    char parties[MODEL_PARTIES_MAX][3];
    size_t n_parties;
};

/* Initialise a record to empty, every optional field unknown. Allocates
 * nothing. */
void model_case_init(struct model_case *c);
void model_criminal_case_init(struct model_criminal_case *cc);
void model_agency_init(struct model_agency *a);
void model_activity_init(struct model_activity *a);
void model_instrument_init(struct model_instrument *in);

/* Free the arrays of a record and re-initialise it. Accept NULL. */
void model_case_release(struct model_case *c);
void model_criminal_case_release(struct model_criminal_case *cc);

/* Append an event (copied) to c->events. 0 or CTIS_ENOMEM. */
int model_case_add_event(struct model_case *c, const struct model_event *e);
/* Sort c's events by date (stable, so same-day events keep their order). */
void model_case_sort_events(struct model_case *c);

/* Date of the case's first live event of the type (model_event_live: a
 * superseded one does not count), 0 if none. */
int model_case_first_date(const struct model_case *c, int type);

/* Set one key=value option of an event (from_country, to_country,
 * official, service, to, supersedes) from text as typed. 0, or -1 with a message in
 * msg (n bytes) that names the key and lists the allowed values, never
 * quoting the value. */
int model_event_option(struct model_event *e, const char *key,
                       const char *value, char *msg, size_t n);

/* The case's stage in protection, derived from its live events: the code
 * of the latest event by date ("identification", "shelter_admission", ...,
 * "closure"), "registered" when it has none. Service and referral events
 * do not change the stage. */
const char *model_case_stage(const struct model_case *c);

/* Nonzero when event i of c counts: no later event of c supersedes it.
 * A correction replaces the event it supersedes everywhere a case's
 * events are read for a rule (stage, status). */
int model_event_live(const struct model_case *c, size_t i);

/* The datasheet's facts of a case's events, the one rule both backends
 * count by. Only live events count (a superseded event counts for
 * nothing; its correction counts in its place):
 *  - a rescue fact per year with a rescue: date is the year's first
 *    rescue date, referral the `to` code of the case's first referral
 *    (by date, then order) on or after it, MODEL_REF_NONE without one;
 *  - a repatriation fact per year and corridor (from_country,
 *    to_country) with an official repatriation. */
enum model_fact_kind { MODEL_FACT_RESCUE, MODEL_FACT_REPATRIATION };
struct model_fact {
    int kind;                  /* enum model_fact_kind */
    int year;
    int date;                  /* rescue: the year's first rescue date */
    int referral;              /* rescue: enum model_referral */
    const char *from_country;  /* repatriation; borrowed from the case */
    const char *to_country;
};
/* fn once per fact, in event order; a non-zero return stops and is
 * returned. */
typedef int (*model_fact_fn)(void *ctx, const struct model_fact *f);
int model_case_facts(const struct model_case *c, model_fact_fn fn,
                     void *ctx);

/* The status that follows from the case's live events, the one rule for
 * every writer: the latest closure or re_trafficked event (by date, then
 * order) decides. closure closes the case: closed_referred when a live
 * referral event precedes it (on or before its date), else closed;
 * re_trafficked reopens it (open). Without either, the given status
 * stands (open, or follow_up as recorded). Writes c->status. */
void model_case_derive_status(struct model_case *c);

/* The largest event id of c (0 when none). */
int model_case_max_event_id(const struct model_case *c);

/* Give every event of c whose id is 0 the next free id, in array order
 * (a new case's events become 1, 2, ...). */
void model_case_number_events(struct model_case *c);

/* Problems found by validation: field path ("events[2].date") and what is
 * wrong. Never holds the value of an identifying field. */
#define MODEL_PROBLEMS_MAX 32
struct model_problem {
    char path[64];
    char msg[288];  /* room for "must be one of: " and the longest list */
};
struct model_problems {
    struct model_problem items[MODEL_PROBLEMS_MAX];
    int n;        /* problems recorded (at most MODEL_PROBLEMS_MAX) */
    int dropped;  /* problems past the cap */
};

/* Empty the list. */
void model_problems_clear(struct model_problems *p);
/* Record one problem; path and message are printf-free strings. */
void model_problems_add(struct model_problems *p, const char *path,
                        const char *msg);

/* Check every rule of a record that needs no other record; append each
 * problem to out. Returns the number of problems found (0 = valid). */
int model_case_validate(const struct model_case *c,
                        struct model_problems *out);
int model_criminal_case_validate(const struct model_criminal_case *cc,
                                 struct model_problems *out);
int model_agency_validate(const struct model_agency *a,
                          struct model_problems *out);
int model_activity_validate(const struct model_activity *a,
                            struct model_problems *out);
int model_instrument_validate(const struct model_instrument *in,
                              struct model_problems *out);

/* Age in whole years at identification (ident_date, YYYYMMDD or 0), from
 * the birth date, else the birth year (identification year minus birth
 * year: the birthday is unknown), else the stated age; -1 when unknown.
 * The one rule behind age groups and the stores' age column. */
int model_age_at(const struct model_person *p, int ident_date);

/* Age group at identification by model_age_at: "child" (under 18),
 * "adult" or "unknown". */
const char *model_age_group(const struct model_person *p, int ident_date);

/* ---- Names as linkage compares them (name.c) ---------------------- */

/* The version of the name rule: what model_name_normalise and
 * model_name_phonetic_key give for a name. Raise it with any change of
 * either output: a sealed database records, per identity, the rule its
 * blind indexes were made with, and one made with an older rule is not
 * searched by blind index until they are recomputed (ctis key reindex,
 * store_reindex_names). 1: before the rule was recorded; 2: the
 * yuukaleapintu, aa with nikahit before ng, compound finals, the toandakhiat, r before a final
 * n or ng (issue 10); 3: the Latin spellings of one sound in the key
 * (ck, tch, c, ee, final v, iy; linkage's alone before), the short ea
 * before a Pali cluster, oa after the samyok, ឹ before m, the mute
 * short vowel of a Sanskrit final, five lexical words (issue 10); 4: a
 * Khmer word has a set of readings (model_name_readings), each indexed
 * (issue 10). */
#define MODEL_NAME_RULE 4

/* Normalise a name or place: NFKC, Khmer script romanised, case folded,
 * accents removed, anything but letters and digits turned into single
 * spaces, trimmed. Writes at most outsize-1 bytes and a NUL into out.
 * 0, or CTIS_EINVAL when s is not valid UTF-8. */
int model_name_normalise(const char *s, char *out, size_t outsize);

/* The readings of a name: out[0] is model_name_normalise's, then the
 * other readings its Khmer-script words have (docs/linkage.md,
 * "Readings": the inherent vowel a or o, ea or o before a Pali cluster,
 * the k of raśmi kept or not, a final ch written c, ...), each a whole
 * normalised name with the same words, at most MODEL_NAME_READINGS in
 * all, all different. A name without Khmer script has one. The count in
 * *n; 0, or CTIS_EINVAL (and *n 0) when s is not valid UTF-8. */
#define MODEL_NAME_READINGS 4
#define MODEL_READING_MAX 256
int model_name_readings(const char *s, char out[][MODEL_READING_MAX],
                        int *n);

/* Romanise Khmer script (U+1780..U+17FF) with our UNGEGN-based table;
 * other characters are copied unchanged. Same contract as
 * model_name_normalise, but no case folding. */
int model_name_romanise_khmer(const char *s, char *out, size_t outsize);

/* The phonetic key of a normalised romanised name (docs/linkage.md):
 * spaces removed, aspiration and doubled consonants dropped, vowel
 * spellings reduced to classes. Writes a NUL-terminated key into out. */
void model_name_phonetic_key(const char *name, char *out, size_t outsize);

/* Rewrite, in place, the Latin spellings of one sound that the phonetic
 * key's classes would keep apart, word by word on a normalised name (ck
 * k, tch ch, c k before a, o, u, ee i, final v u, iy y, r before a final
 * n: docs/linkage.md). model_name_phonetic_key applies it itself; linkage
 * applies it to the name parts it joins before keying them as one. */
void model_name_spelling(char *s);

/* Nonzero when an id is well-formed: 1..63 bytes of [A-Za-z0-9._:-]. */
int model_id_valid(const char *id);

#endif
