/*
 * ctdc.c - the column format of the Counter Trafficking Data
 * Collaborative's public dataset (the global k-anonymised dataset): one
 * row per case, 63 columns in CTDC's order and spelling, -99 for a value
 * that is missing or suppressed, flags 1 or 0.
 *
 * Writing maps a case's public view (public.c) to the columns; reading
 * maps a row back to a case (docs/htcds.md has both tables, with what is
 * lost either way). Columns CTDC derives from others (the *Concatenated
 * ones, RecruiterRelationship, majorityStatus) are written from the same
 * codes and, on reading, checked but not needed.
 */
#include <string.h>

#include "io_int.h"
#include "stats/stats.h"

enum col {
    C_YEAR,
    C_DATASOURCE,
    C_GENDER,
    C_AGE,
    C_MAJ,
    C_MAJ_EXPLOIT,
    C_MAJ_ENTRY,
    C_CITIZENSHIP,
    C_M_DEBT,
    C_M_EARNINGS,
    C_M_FINANCIAL,
    C_M_THREATS,
    C_M_PSYCH,
    C_M_PHYSICAL,
    C_M_SEXUAL,
    C_M_FALSE_PROMISES,
    C_M_SUBSTANCES,
    C_M_MOVEMENT,
    C_M_MEDICAL,
    C_M_HOURS,
    C_M_CHILDREN,
    C_M_LAW,
    C_M_NECESSITIES,
    C_M_DOCUMENTS,
    C_M_OTHER,
    C_M_NOT_SPECIFIED,
    C_M_CONCAT,
    C_E_LABOUR,
    C_E_SEXUAL,
    C_E_OTHER,
    C_E_SEX_AND_LABOUR,
    C_E_MARRIAGE,
    C_E_MILITARY,
    C_E_ORGAN,
    C_E_SLAVERY,
    C_E_CONCAT,
    C_L_AGRICULTURE,
    C_L_AQUAFARMING,
    C_L_BEGGING,
    C_L_CONSTRUCTION,
    C_L_DOMESTIC,
    C_L_HOSPITALITY,
    C_L_ILLICIT,
    C_L_MANUFACTURING,
    C_L_MINING,
    C_L_PEDDLING,
    C_L_TRANSPORT,
    C_L_OTHER,
    C_L_NOT_SPECIFIED,
    C_L_CONCAT,
    C_S_PROSTITUTION,
    C_S_PORNOGRAPHY,
    C_S_REMOTE,
    C_S_PRIVATE,
    C_S_CONCAT,
    C_ABDUCTION,
    C_RELATIONSHIP,
    C_COUNTRY,
    C_R_PARTNER,
    C_R_FRIEND,
    C_R_FAMILY,
    C_R_OTHER,
    C_R_UNKNOWN,
    N_COLS
};

static const char *const names[N_COLS] = {
    "yearOfRegistration",
    "Datasource",
    "gender",
    "ageBroad",
    "majorityStatus",
    "majorityStatusAtExploit",
    "majorityEntry",
    "citizenship",
    "meansOfControlDebtBondage",
    "meansOfControlTakesEarnings",
    "meansOfControlRestrictsFinancialAccess",
    "meansOfControlThreats",
    "meansOfControlPsychologicalAbuse",
    "meansOfControlPhysicalAbuse",
    "meansOfControlSexualAbuse",
    "meansOfControlFalsePromises",
    "meansOfControlPsychoactiveSubstances",
    "meansOfControlRestrictsMovement",
    "meansOfControlRestrictsMedicalCare",
    "meansOfControlExcessiveWorkingHours",
    "meansOfControlUsesChildren",
    "meansOfControlThreatOfLawEnforcement",
    "meansOfControlWithholdsNecessities",
    "meansOfControlWithholdsDocuments",
    "meansOfControlOther",
    "meansOfControlNotSpecified",
    "meansOfControlConcatenated",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "isSexAndLabour",
    "isForcedMarriage",
    "isForcedMilitary",
    "isOrganRemoval",
    "isSlaveryAndPractices",
    "typeOfExploitConcatenated",
    "typeOfLabourAgriculture",
    "typeOfLabourAquafarming",
    "typeOfLabourBegging",
    "typeOfLabourConstruction",
    "typeOfLabourDomesticWork",
    "typeOfLabourHospitality",
    "typeOfLabourIllicitActivities",
    "typeOfLabourManufacturing",
    "typeOfLabourMiningOrDrilling",
    "typeOfLabourPeddling",
    "typeOfLabourTransportation",
    "typeOfLabourOther",
    "typeOfLabourNotSpecified",
    "typeOfLabourConcatenated",
    "typeOfSexProstitution",
    "typeOfSexPornography",
    "typeOfSexRemoteInteractiveServices",
    "typeOfSexPrivateSexualServices",
    "typeOfSexConcatenated",
    "isAbduction",
    "RecruiterRelationship",
    "CountryOfExploitation",
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
    "recruiterRelationUnknown"};

/* Means of control: ours to CTDC's flag when written. */
static const struct {
    unsigned means;
    int col;
    const char *label;
} means_map[] = {
    {MODEL_MEANS_DEBT_BONDAGE, C_M_DEBT, "Debt bondage"},
    {MODEL_MEANS_THREATS, C_M_THREATS, "Threats"},
    {MODEL_MEANS_FORCE, C_M_PHYSICAL, "Physical abuse"},
    {MODEL_MEANS_FRAUD | MODEL_MEANS_DECEPTION, C_M_FALSE_PROMISES,
     "False promises"},
    {MODEL_MEANS_WITHHOLDING_DOCUMENTS, C_M_DOCUMENTS, "Withholds documents"},
    {MODEL_MEANS_ABUSE_OF_POWER | MODEL_MEANS_PAYMENTS | MODEL_MEANS_OTHER,
     C_M_OTHER, "Other"},
};

/* Read back: each CTDC means flag to ours. */
static const struct {
    int col;
    unsigned means;
} means_back[] = {
    {C_M_DEBT, MODEL_MEANS_DEBT_BONDAGE},
    {C_M_EARNINGS, MODEL_MEANS_OTHER},
    {C_M_FINANCIAL, MODEL_MEANS_OTHER},
    {C_M_THREATS, MODEL_MEANS_THREATS},
    {C_M_PSYCH, MODEL_MEANS_OTHER},
    {C_M_PHYSICAL, MODEL_MEANS_FORCE},
    {C_M_SEXUAL, MODEL_MEANS_FORCE},
    {C_M_FALSE_PROMISES, MODEL_MEANS_DECEPTION},
    {C_M_SUBSTANCES, MODEL_MEANS_OTHER},
    {C_M_MOVEMENT, MODEL_MEANS_OTHER},
    {C_M_MEDICAL, MODEL_MEANS_OTHER},
    {C_M_HOURS, MODEL_MEANS_OTHER},
    {C_M_CHILDREN, MODEL_MEANS_THREATS},
    {C_M_LAW, MODEL_MEANS_THREATS},
    {C_M_NECESSITIES, MODEL_MEANS_OTHER},
    {C_M_DOCUMENTS, MODEL_MEANS_WITHHOLDING_DOCUMENTS},
    {C_M_OTHER, MODEL_MEANS_OTHER},
    {C_ABDUCTION, MODEL_MEANS_ABDUCTION},
};

/* Labour sectors, both ways; the first row of a sector is the one
 * written. */
static const struct {
    int sector;
    int col;
    const char *label;
} sector_map[] = {
    {MODEL_SECTOR_AGRICULTURE, C_L_AGRICULTURE, "Agriculture"},
    {MODEL_SECTOR_FISHING, C_L_AQUAFARMING, "Aquafarming"},
    {MODEL_SECTOR_BEGGING, C_L_BEGGING, "Begging"},
    {MODEL_SECTOR_CONSTRUCTION, C_L_CONSTRUCTION, "Construction"},
    {MODEL_SECTOR_DOMESTIC_WORK, C_L_DOMESTIC, "Domestic work"},
    {MODEL_SECTOR_ENTERTAINMENT, C_L_HOSPITALITY, "Hospitality"},
    {MODEL_SECTOR_FACTORY, C_L_MANUFACTURING, "Manufacturing"},
    {MODEL_SECTOR_STREET_SELLING, C_L_PEDDLING, "Peddling"},
    {MODEL_SECTOR_OTHER, C_L_OTHER, "Other"},
    {MODEL_SECTOR_OTHER, C_L_ILLICIT, "Illicit activities"},
    {MODEL_SECTOR_OTHER, C_L_MINING, "Mining or drilling"},
    {MODEL_SECTOR_OTHER, C_L_TRANSPORT, "Transportation"},
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- writing ------------------------------------------------------------ */

int io_ctdc_write_header(struct ctis_buf *b)
{
    int c;

    for (c = 0; c < N_COLS; c++) {
        if (ctis_buf_puts(b, names[c]) != 0 ||
            ctis_buf_puts(b, c + 1 < N_COLS ? "," : "\r\n") != 0) {
            return CTIS_ENOMEM;
        }
    }
    return 0;
}

/* A flag: -99 when the whole group is unknown, else 1 or 0. */
static const char *flag(int known, int set)
{
    return !known ? "-99" : set ? "1" : "0";
}

static void join(char *out, size_t size, const char *item)
{
    if (out[0] != '\0') {
        ctis_strlcpy(out + strlen(out), ";", size - strlen(out));
    }
    ctis_strlcpy(out + strlen(out), item, size - strlen(out));
}

static const char *or_missing(const char *s)
{
    return s[0] != '\0' ? s : "-99";
}

static const char *relation_label(int rel)
{
    switch (rel) {
    case MODEL_REL_FAMILY:
        return "Family";
    case MODEL_REL_INTIMATE_PARTNER:
        return "Intimate Partner";
    case MODEL_REL_FRIEND:
        return "Friend";
    case MODEL_REL_UNKNOWN:
        return "-99";
    default:
        return "Other";
    }
}

/* One row: see docs/htcds.md for the column by column mapping. */
int io_ctdc_write_row(struct ctis_buf *b, const struct io_pub_set *s,
                      const struct io_pub *r)
{
    const char *v[N_COLS];
    char year[16], age[16], cit[16], country[16];
    char mconcat[160] = "", econcat[160] = "", lconcat[64] = "";
    const char *maj = io_pub_majority(s, r);
    int mknown = r->means != 0;
    int eknown = r->exploitation != 0;
    int labour = (r->exploitation & MODEL_EXP_FORCED_LABOUR) != 0;
    int rknown = r->relation != MODEL_REL_UNKNOWN;
    const char *sex;
    size_t i;
    int c;

    for (c = 0; c < N_COLS; c++) {
        v[c] = "-99";
    }
    v[C_YEAR] = or_missing(io_pub_qi_text(s, r, IO_QI_YEAR, year, 16));
    v[C_DATASOURCE] = "Case Management";
    sex = r->qi[IO_QI_SEX] == STATS_QI_SUPPRESSED    ? "-99"
          : r->qi[IO_QI_SEX] == MODEL_SEX_FEMALE - 1 ? "Female"
          : r->qi[IO_QI_SEX] == MODEL_SEX_MALE - 1
              ? "Male"
              : "Transgender/NonConforming";
    v[C_GENDER] = sex;
    io_pub_qi_text(s, r, IO_QI_AGE, age, 16);
    /* At the majority level the band itself is withheld. */
    v[C_AGE] = s->level[IO_QI_AGE] < 2 ? or_missing(age) : "-99";
    v[C_MAJ] = maj == NULL ? "-99" : maj[0] == 'm' ? "Minor" : "Adult";
    v[C_CITIZENSHIP] =
        or_missing(io_pub_qi_text(s, r, IO_QI_CITIZENSHIP, cit, 16));
    v[C_COUNTRY] = or_missing(io_pub_qi_text(s, r, IO_QI_COUNTRY, country, 16));
    for (c = C_M_DEBT; c <= C_M_NOT_SPECIFIED; c++) {
        v[c] = flag(mknown, 0);
    }
    v[C_M_NOT_SPECIFIED] = mknown ? "0" : "1";
    for (i = 0; i < N_OF(means_map); i++) {
        if (r->means & means_map[i].means) {
            v[means_map[i].col] = "1";
            join(mconcat, sizeof mconcat, means_map[i].label);
        }
    }
    v[C_ABDUCTION] = flag(mknown, r->means & MODEL_MEANS_ABDUCTION);
    v[C_M_CONCAT] = or_missing(mconcat);
    v[C_E_LABOUR] = flag(eknown, labour);
    v[C_E_SEXUAL] = flag(eknown, r->exploitation & MODEL_EXP_SEXUAL);
    v[C_E_OTHER] = flag(eknown, r->exploitation & (MODEL_EXP_OTHER |
                                                   MODEL_EXP_ILLEGAL_ADOPTION));
    v[C_E_SEX_AND_LABOUR] =
        flag(eknown, labour && (r->exploitation & MODEL_EXP_SEXUAL));
    v[C_E_MARRIAGE] = flag(eknown, r->exploitation & MODEL_EXP_FORCED_MARRIAGE);
    v[C_E_MILITARY] = flag(eknown, 0);
    v[C_E_ORGAN] = flag(eknown, r->exploitation & MODEL_EXP_ORGAN_REMOVAL);
    v[C_E_SLAVERY] = flag(eknown, 0);
    if (labour) {
        join(econcat, sizeof econcat, "Forced labour");
    }
    if (r->exploitation & MODEL_EXP_SEXUAL) {
        join(econcat, sizeof econcat, "Sexual exploitation");
    }
    if (r->exploitation & MODEL_EXP_FORCED_MARRIAGE) {
        join(econcat, sizeof econcat, "Forced marriage");
    }
    if (r->exploitation & MODEL_EXP_ORGAN_REMOVAL) {
        join(econcat, sizeof econcat, "Organ removal");
    }
    if (r->exploitation & (MODEL_EXP_OTHER | MODEL_EXP_ILLEGAL_ADOPTION)) {
        join(econcat, sizeof econcat, "Other");
    }
    v[C_E_CONCAT] = or_missing(econcat);
    if (labour) {
        for (c = C_L_AGRICULTURE; c <= C_L_NOT_SPECIFIED; c++) {
            v[c] = "0";
        }
        v[C_L_NOT_SPECIFIED] = r->sector == MODEL_SECTOR_NONE ? "1" : "0";
        for (i = 0; i < N_OF(sector_map); i++) {
            if (sector_map[i].sector == r->sector) {
                v[sector_map[i].col] = "1";
                join(lconcat, sizeof lconcat, sector_map[i].label);
                break;
            }
        }
        v[C_L_CONCAT] = or_missing(lconcat);
    }
    v[C_RELATIONSHIP] = relation_label(r->relation);
    v[C_R_PARTNER] = flag(rknown, r->relation == MODEL_REL_INTIMATE_PARTNER);
    v[C_R_FRIEND] = flag(rknown, r->relation == MODEL_REL_FRIEND);
    v[C_R_FAMILY] = flag(rknown, r->relation == MODEL_REL_FAMILY);
    v[C_R_OTHER] = flag(rknown, r->relation > MODEL_REL_FRIEND);
    v[C_R_UNKNOWN] = rknown ? "0" : "1";
    for (c = 0; c < N_COLS; c++) {
        if (io_csv_put_field(b, v[c]) != 0 ||
            ctis_buf_puts(b, c + 1 < N_COLS ? "," : "\r\n") != 0) {
            return CTIS_ENOMEM;
        }
    }
    return 0;
}

/* ---- reading ------------------------------------------------------------ */

struct io_ctdc {
    int col_of[N_COLS]; /* file column of each CTDC column, -1 absent */
    char agency[MODEL_ID_MAX];
    char prefix[MODEL_ID_MAX];
};

static const int required[] = {C_YEAR,    C_GENDER,   C_AGE,     C_CITIZENSHIP,
                               C_COUNTRY, C_E_LABOUR, C_E_SEXUAL};

/* The header row: every column must be CTDC's, once; the required ones
 * present. */
int io_ctdc_header(struct io_ctdc **out, const struct io_csv *r,
                   const char *agency, const char *id_prefix,
                   struct ctis_err *err)
{
    struct io_ctdc *h;
    size_t i;
    int c;

    *out = NULL;
    if (agency == NULL || !model_id_valid(agency)) {
        return ctis_err_set(err, CTIS_EINVAL,
                            "%s: a CTDC import needs --agency naming the "
                            "agency that owns the cases",
                            io_csv_name(r));
    }
    h = ctis_calloc(1, sizeof *h);
    if (h == NULL) {
        return ctis_err_set(err, CTIS_ENOMEM, "out of memory");
    }
    for (c = 0; c < N_COLS; c++) {
        h->col_of[c] = -1;
    }
    for (i = 0; i < io_csv_nfields(r); i++) {
        const char *name = io_csv_field(r, i);

        for (c = 0; c < N_COLS && strcmp(names[c], name) != 0; c++) {
        }
        if (c == N_COLS) {
            ctis_free(h);
            return ctis_err_set(err, CTIS_EINVAL,
                                "%s:%ld: column %zu: not a CTDC column",
                                io_csv_name(r), io_csv_line(r), i + 1);
        }
        if (h->col_of[c] >= 0) {
            ctis_free(h);
            return ctis_err_set(
                err, CTIS_EINVAL, "%s:%ld: column %zu '%s': given twice",
                io_csv_name(r), io_csv_line(r), i + 1, names[c]);
        }
        h->col_of[c] = (int)i;
    }
    for (i = 0; i < N_OF(required); i++) {
        if (h->col_of[required[i]] < 0) {
            ctis_free(h);
            return ctis_err_set(
                err, CTIS_EINVAL, "%s:%ld: required column '%s' is missing",
                io_csv_name(r), io_csv_line(r), names[required[i]]);
        }
    }
    ctis_strlcpy(h->agency, agency, sizeof h->agency);
    ctis_strlcpy(h->prefix, id_prefix != NULL ? id_prefix : "ctdc-",
                 sizeof h->prefix);
    *out = h;
    return 0;
}

void io_ctdc_free(struct io_ctdc *h)
{
    ctis_free(h);
}

/* Problems name the column by CTDC name and file position. */
static void problem(struct model_problems *p, const struct io_ctdc *h, int c,
                    const char *msg)
{
    char path[64];

    snprintf(path, sizeof path, "%s (column %d)", names[c], h->col_of[c] + 1);
    model_problems_add(p, path, msg);
}

static const char *cell(const struct io_ctdc *h, const struct io_csv *r, int c)
{
    return h->col_of[c] >= 0 ? io_csv_field(r, (size_t)h->col_of[c]) : "";
}

static int missing(const char *s)
{
    return s[0] == '\0' || strcmp(s, "-99") == 0;
}

/* A flag cell: 1, 0 or -1 (missing); -2 with a problem when invalid. */
static int read_flag(const struct io_ctdc *h, const struct io_csv *r, int c,
                     struct model_problems *p)
{
    const char *s = cell(h, r, c);

    if (missing(s)) {
        return -1;
    }
    if (strcmp(s, "1") == 0 || strcmp(s, "1.0") == 0) {
        return 1;
    }
    if (strcmp(s, "0") == 0 || strcmp(s, "0.0") == 0) {
        return 0;
    }
    problem(p, h, c, "must be 1, 0 or -99");
    return -2;
}

static void read_country(const struct io_ctdc *h, const struct io_csv *r, int c,
                         char out[3], struct model_problems *p)
{
    const char *s = cell(h, r, c);

    out[0] = '\0';
    if (missing(s) || strcmp(s, "00") == 0) {
        return;
    }
    if (model_country_find(s) == NULL) {
        problem(p, h, c, "not an ISO 3166-1 alpha-2 country code");
        return;
    }
    ctis_strlcpy(out, s, 3);
}

static void read_person(const struct io_ctdc *h, const struct io_csv *r,
                        struct model_case *out, struct model_problems *p)
{
    const char *s = cell(h, r, C_GENDER);
    int level;
    int lo;

    if (strcmp(s, "Female") == 0) {
        out->person.sex = MODEL_SEX_FEMALE;
    } else if (strcmp(s, "Male") == 0) {
        out->person.sex = MODEL_SEX_MALE;
    } else if (strcmp(s, "Transgender/NonConforming") == 0 ||
               strcmp(s, "Other") == 0) {
        out->person.sex = MODEL_SEX_OTHER;
    } else if (!missing(s) && strcmp(s, "Unknown") != 0) {
        problem(p, h, C_GENDER,
                "must be Female, Male, Transgender/NonConforming or -99");
    }
    s = cell(h, r, C_AGE);
    if (!missing(s) && strcmp(s, "Unknown") != 0) {
        lo = model_age_band_parse(s, &level);
        if (lo < 0) {
            problem(p, h, C_AGE, "not a CTDC age band (0--8 ... 48+)");
        } else {
            /* The band's youngest age: the band writes back unchanged. */
            out->person.age = lo;
        }
    }
    s = cell(h, r, C_MAJ);
    if (!missing(s) && strcmp(s, "Minor") != 0 && strcmp(s, "Adult") != 0 &&
        strcmp(s, "Unknown") != 0) {
        problem(p, h, C_MAJ, "must be Minor, Adult or -99");
    }
    read_country(h, r, C_CITIZENSHIP, out->person.citizenship, p);
}

static void read_exploitation(const struct io_ctdc *h, const struct io_csv *r,
                              struct model_case *out, struct model_problems *p)
{
    static const struct {
        int col;
        unsigned bit;
    } e[] = {
        {C_E_LABOUR, MODEL_EXP_FORCED_LABOUR},
        {C_E_SEXUAL, MODEL_EXP_SEXUAL},
        {C_E_OTHER, MODEL_EXP_OTHER},
        {C_E_SEX_AND_LABOUR, MODEL_EXP_SEXUAL | MODEL_EXP_FORCED_LABOUR},
        {C_E_MARRIAGE, MODEL_EXP_FORCED_MARRIAGE},
        {C_E_MILITARY, MODEL_EXP_OTHER},
        {C_E_ORGAN, MODEL_EXP_ORGAN_REMOVAL},
        {C_E_SLAVERY, MODEL_EXP_OTHER},
    };
    size_t i;

    for (i = 0; i < N_OF(e); i++) {
        if (read_flag(h, r, e[i].col, p) == 1) {
            out->exploitation |= e[i].bit;
        }
    }
    for (i = 0; i < N_OF(sector_map); i++) {
        if (read_flag(h, r, sector_map[i].col, p) == 1 &&
            out->labour_sector == MODEL_SECTOR_NONE) {
            out->labour_sector = sector_map[i].sector;
        }
    }
    (void)read_flag(h, r, C_L_NOT_SPECIFIED, p);
    for (i = C_S_PROSTITUTION; i <= C_S_PRIVATE; i++) {
        (void)read_flag(h, r, (int)i, p);
    }
    if (out->labour_sector != MODEL_SECTOR_NONE &&
        !(out->exploitation & MODEL_EXP_FORCED_LABOUR)) {
        problem(p, h, C_E_LABOUR,
                "a typeOfLabour flag is set but not "
                "isForcedLabour");
    }
}

static void read_relation(const struct io_ctdc *h, const struct io_csv *r,
                          struct model_case *out, struct model_problems *p)
{
    static const struct {
        int col;
        int rel;
    } rf[] = {
        {C_R_FAMILY, MODEL_REL_FAMILY},
        {C_R_PARTNER, MODEL_REL_INTIMATE_PARTNER},
        {C_R_FRIEND, MODEL_REL_FRIEND},
        {C_R_OTHER, MODEL_REL_OTHER},
    };
    const char *s;
    size_t i;

    for (i = 0; i < N_OF(rf); i++) {
        if (read_flag(h, r, rf[i].col, p) == 1 &&
            out->recruiter_relationship == MODEL_REL_UNKNOWN) {
            out->recruiter_relationship = rf[i].rel;
        }
    }
    (void)read_flag(h, r, C_R_UNKNOWN, p);
    s = cell(h, r, C_RELATIONSHIP);
    if (out->recruiter_relationship == MODEL_REL_UNKNOWN && !missing(s)) {
        /* Files without the flags: the first relation named. */
        if (strncmp(s, "Family", 6) == 0) {
            out->recruiter_relationship = MODEL_REL_FAMILY;
        } else if (strncmp(s, "Intimate", 8) == 0) {
            out->recruiter_relationship = MODEL_REL_INTIMATE_PARTNER;
        } else if (strncmp(s, "Friend", 6) == 0) {
            out->recruiter_relationship = MODEL_REL_FRIEND;
        } else if (strncmp(s, "Other", 5) == 0) {
            out->recruiter_relationship = MODEL_REL_OTHER;
        } else if (strncmp(s, "Unknown", 7) != 0) {
            problem(p, h, C_RELATIONSHIP,
                    "must be Family, Intimate Partner, Friend, Other, "
                    "Unknown or -99");
        }
    }
}

/* Movement from citizenship and the country of exploitation. */
static int movement_of(const char *citizenship, const char *country)
{
    int home = strcmp(citizenship, "KH") == 0;
    int here = strcmp(country, "KH") == 0;

    if (citizenship[0] == '\0' || country[0] == '\0') {
        return MODEL_MOV_UNKNOWN;
    }
    if (home && here) {
        return MODEL_MOV_INTERNAL;
    }
    if (home) {
        return MODEL_MOV_CROSS_BORDER_OUT;
    }
    return here ? MODEL_MOV_CROSS_BORDER_IN : MODEL_MOV_UNKNOWN;
}

/* One row to a case; every problem is recorded with its column. Returns
 * 0, CTIS_EINVAL (problems) or CTIS_ENOMEM. */
int io_ctdc_row(const struct io_ctdc *h, const struct io_csv *r,
                struct model_case *out, struct model_problems *p)
{
    const char *s = cell(h, r, C_YEAR);
    long year = 0;
    size_t i;
    int n;

    model_case_init(out);
    n = snprintf(out->id, sizeof out->id, "%s%07ld", h->prefix, io_csv_line(r));
    if (n < 0 || (size_t)n >= sizeof out->id) {
        model_problems_add(p, "id", "the id prefix is too long");
    }
    ctis_strlcpy(out->agency, h->agency, sizeof out->agency);
    out->trafficking_status = MODEL_TS_ACTUAL;
    if (io_csv_nfields(r) != 0 && io_csv_nfields(r) > N_COLS) {
        model_problems_add(p, "", "more cells than header columns");
    }
    if (!missing(s)) {
        if (ctis_parse_long(s, 1900, 2100, &year) != 0) {
            problem(p, h, C_YEAR, "must be a year from 1900 to 2100 or -99");
            year = 0;
        }
    }
    read_person(h, r, out, p);
    read_country(h, r, C_COUNTRY, out->destination_country, p);
    out->movement =
        movement_of(out->person.citizenship, out->destination_country);
    for (i = 0; i < N_OF(means_back); i++) {
        if (read_flag(h, r, means_back[i].col, p) == 1) {
            out->means |= means_back[i].means;
        }
    }
    (void)read_flag(h, r, C_M_NOT_SPECIFIED, p);
    read_exploitation(h, r, out, p);
    read_relation(h, r, out, p);
    if (p->n > 0) {
        return CTIS_EINVAL;
    }
    if (year > 0) {
        struct model_event e;

        memset(&e, 0, sizeof e);
        e.type = MODEL_EV_IDENTIFICATION;
        /* CTDC gives the year only: 1 January stands for it. */
        e.date = (int)year * 10000 + 101;
        if (model_case_add_event(out, &e) != 0) {
            return CTIS_ENOMEM;
        }
    }
    if (model_case_validate(out, p) > 0) {
        return CTIS_EINVAL;
    }
    return 0;
}
