/*
 * codes.c - the stable string codes of every enum of the vocabulary. These
 * strings are the schema's and the file formats' values: never rename one,
 * only add.
 */
#include <stdio.h>
#include <string.h>

#include "model.h"

const struct model_code model_sex_codes[] = {
    {MODEL_SEX_UNKNOWN, "unknown"}, {MODEL_SEX_FEMALE, "female"},
    {MODEL_SEX_MALE, "male"}, {MODEL_SEX_OTHER, "other"}, {0, NULL}};

const struct model_code model_tstatus_codes[] = {
    {MODEL_TS_POSSIBLE, "possible"}, {MODEL_TS_ACTUAL, "actual"},
    {MODEL_TS_NOT_A_VICTIM, "not_a_victim"}, {0, NULL}};

const struct model_code model_movement_codes[] = {
    {MODEL_MOV_UNKNOWN, "unknown"}, {MODEL_MOV_INTERNAL, "internal"},
    {MODEL_MOV_CROSS_BORDER_OUT, "cross_border_out"},
    {MODEL_MOV_CROSS_BORDER_IN, "cross_border_in"},
    {MODEL_MOV_TRANSIT, "transit"}, {0, NULL}};

const struct model_code model_exploitation_codes[] = {
    {MODEL_EXP_SEXUAL, "sexual"}, {MODEL_EXP_FORCED_LABOUR, "forced_labour"},
    {MODEL_EXP_FORCED_MARRIAGE, "forced_marriage"},
    {MODEL_EXP_ILLEGAL_ADOPTION, "illegal_adoption"},
    {MODEL_EXP_ORGAN_REMOVAL, "organ_removal"}, {MODEL_EXP_OTHER, "other"},
    {0, NULL}};

const struct model_code model_sector_codes[] = {
    {MODEL_SECTOR_NONE, "none"}, {MODEL_SECTOR_BEGGING, "begging"},
    {MODEL_SECTOR_STREET_SELLING, "street_selling"},
    {MODEL_SECTOR_FISHING, "fishing"},
    {MODEL_SECTOR_CONSTRUCTION, "construction"},
    {MODEL_SECTOR_FACTORY, "factory"},
    {MODEL_SECTOR_AGRICULTURE, "agriculture"},
    {MODEL_SECTOR_DOMESTIC_WORK, "domestic_work"},
    {MODEL_SECTOR_ENTERTAINMENT, "entertainment"},
    {MODEL_SECTOR_OTHER, "other"}, {0, NULL}};

const struct model_code model_means_codes[] = {
    {MODEL_MEANS_FORCE, "force"}, {MODEL_MEANS_THREATS, "threats"},
    {MODEL_MEANS_ABDUCTION, "abduction"}, {MODEL_MEANS_FRAUD, "fraud"},
    {MODEL_MEANS_DECEPTION, "deception"},
    {MODEL_MEANS_ABUSE_OF_POWER, "abuse_of_power"},
    {MODEL_MEANS_DEBT_BONDAGE, "debt_bondage"},
    {MODEL_MEANS_WITHHOLDING_DOCUMENTS, "withholding_documents"},
    {MODEL_MEANS_PAYMENTS, "payments"}, {MODEL_MEANS_OTHER, "other"},
    {0, NULL}};

const struct model_code model_relation_codes[] = {
    {MODEL_REL_UNKNOWN, "unknown"}, {MODEL_REL_FAMILY, "family"},
    {MODEL_REL_INTIMATE_PARTNER, "intimate_partner"},
    {MODEL_REL_FRIEND, "friend"}, {MODEL_REL_ACQUAINTANCE, "acquaintance"},
    {MODEL_REL_EMPLOYER, "employer"}, {MODEL_REL_STRANGER, "stranger"},
    {MODEL_REL_OTHER, "other"}, {0, NULL}};

const struct model_code model_case_status_codes[] = {
    {MODEL_CS_OPEN, "open"}, {MODEL_CS_FOLLOW_UP, "follow_up"},
    {MODEL_CS_CLOSED, "closed"}, {MODEL_CS_CLOSED_REFERRED, "closed_referred"},
    {0, NULL}};

const struct model_code model_event_type_codes[] = {
    {MODEL_EV_IDENTIFICATION, "identification"}, {MODEL_EV_RESCUE, "rescue"},
    {MODEL_EV_SHELTER_ADMISSION, "shelter_admission"},
    {MODEL_EV_SHELTER_EXIT, "shelter_exit"},
    {MODEL_EV_REPATRIATION, "repatriation"},
    {MODEL_EV_FAMILY_TRACING, "family_tracing"},
    {MODEL_EV_FAMILY_ASSESSMENT, "family_assessment"},
    {MODEL_EV_REINTEGRATION, "reintegration"},
    {MODEL_EV_MONITORING_VISIT, "monitoring_visit"},
    {MODEL_EV_SERVICE, "service"}, {MODEL_EV_REFERRAL, "referral"},
    {MODEL_EV_CLOSURE, "closure"}, {MODEL_EV_RE_TRAFFICKED, "re_trafficked"},
    {0, NULL}};

const struct model_code model_service_codes[] = {
    {MODEL_SVC_NONE, "none"}, {MODEL_SVC_MEDICAL, "medical"},
    {MODEL_SVC_LEGAL, "legal"}, {MODEL_SVC_PSYCHOSOCIAL, "psychosocial"},
    {MODEL_SVC_EDUCATION, "education"}, {MODEL_SVC_VOCATIONAL, "vocational"},
    {MODEL_SVC_SHELTER, "shelter"}, {0, NULL}};

const struct model_code model_referral_codes[] = {
    {MODEL_REF_NONE, "none"}, {MODEL_REF_FAMILY, "family"},
    {MODEL_REF_NGO, "ngo"}, {MODEL_REF_MINISTRY, "ministry"},
    {MODEL_REF_OTHER, "other"}, {0, NULL}};

const struct model_code model_role_codes[] = {
    {MODEL_ROLE_RECRUITER, "recruiter"},
    {MODEL_ROLE_TRANSPORTER, "transporter"},
    {MODEL_ROLE_HARBOURER, "harbourer"}, {MODEL_ROLE_EXPLOITER, "exploiter"},
    {MODEL_ROLE_BROKER, "broker"}, {MODEL_ROLE_OTHER, "other"}, {0, NULL}};

const struct model_code model_crim_kind_codes[] = {
    {MODEL_CK_DOMESTIC, "domestic"}, {MODEL_CK_CROSS_BORDER, "cross_border"},
    {0, NULL}};

const struct model_code model_crim_event_codes[] = {
    {MODEL_CE_INVESTIGATION, "investigation"}, {MODEL_CE_ARREST, "arrest"},
    {MODEL_CE_CHARGE, "charge"}, {MODEL_CE_TRIAL, "trial"},
    {MODEL_CE_CONVICTION, "conviction"}, {MODEL_CE_ACQUITTAL, "acquittal"},
    {MODEL_CE_SENTENCE, "sentence"}, {MODEL_CE_APPEAL, "appeal"}, {0, NULL}};

const struct model_code model_agency_kind_codes[] = {
    {MODEL_AK_GOVERNMENT, "government"}, {MODEL_AK_UN, "un"},
    {MODEL_AK_NGO, "ngo"}, {MODEL_AK_OTHER, "other"}, {0, NULL}};

const struct model_code model_pillar_codes[] = {
    {MODEL_PILLAR_PREVENTION, "prevention"},
    {MODEL_PILLAR_PROTECTION, "protection"},
    {MODEL_PILLAR_PROSECUTION, "prosecution"},
    {MODEL_PILLAR_POLICY, "policy"}, {0, NULL}};

const struct model_code model_activity_kind_codes[] = {
    {MODEL_ACT_AWARENESS, "awareness"},
    {MODEL_ACT_SAFE_MIGRATION, "safe_migration"},
    {MODEL_ACT_EDUCATION, "education"},
    {MODEL_ACT_CHILD_PROTECTION_NETWORK, "child_protection_network"},
    {MODEL_ACT_MICRO_CREDIT, "micro_credit"},
    {MODEL_ACT_JOB_CREATION, "job_creation"},
    {MODEL_ACT_TRAINING_POLICE, "training_police"},
    {MODEL_ACT_TRAINING_JUDGES, "training_judges"},
    {MODEL_ACT_CAPACITY_BUILDING, "capacity_building"},
    {MODEL_ACT_COMMUNITY_MOBILISATION, "community_mobilisation"},
    {MODEL_ACT_CHILD_SAFE_TOURISM, "child_safe_tourism"},
    {MODEL_ACT_LABOUR_RECRUITMENT, "labour_recruitment"},
    {MODEL_ACT_POLICY, "policy"}, {MODEL_ACT_OTHER, "other"}, {0, NULL}};

const struct model_code model_instrument_kind_codes[] = {
    {MODEL_INS_LAW, "law"}, {MODEL_INS_MOU, "mou"}, {MODEL_INS_PLAN, "plan"},
    {MODEL_INS_SOP, "sop"}, {MODEL_INS_SUB_DECREE, "sub_decree"},
    {MODEL_INS_AGREEMENT, "agreement"},
    {MODEL_INS_CONSTITUTION, "constitution"}, {MODEL_INS_OTHER, "other"},
    {0, NULL}};

/* Codes as people type them: case ignored, and a space or a hyphen
 * stands for the underscore ("Forced Labour" is forced_labour). */
static int code_equal(const char *code, const char *s)
{
    for (; *code != '\0' && *s != '\0'; code++, s++) {
        char c = *s;

        if (c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        } else if (c == ' ' || c == '-') {
            c = '_';
        }
        if (c != *code) {
            return 0;
        }
    }
    return *code == '\0' && *s == '\0';
}

/* Linear scan: tables are short. */
int model_code_parse(const struct model_code *table, const char *s)
{
    const struct model_code *c;

    if (s == NULL) {
        return -1;
    }
    for (c = table; c->code != NULL; c++) {
        if (code_equal(c->code, s)) {
            return c->value;
        }
    }
    return -1;
}

/* The one spelling of yes and no in every input. */
int model_bool_parse(const char *s)
{
    static const char *const yes[] = {"true", "yes", "1"};
    static const char *const no[] = {"false", "no", "0"};
    size_t i;

    if (s == NULL) {
        return -1;
    }
    for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (code_equal(yes[i], s)) {
            return 1;
        }
        if (code_equal(no[i], s)) {
            return 0;
        }
    }
    return -1;
}

/* The code of a value. */
const char *model_code_name(const struct model_code *table, int value)
{
    const struct model_code *c;

    for (c = table; c->code != NULL; c++) {
        if (c->value == value) {
            return c->code;
        }
    }
    return NULL;
}

/* "a, b, c" for messages that list the allowed values. */
void model_code_list(const struct model_code *table, char *out, size_t size)
{
    const struct model_code *c;
    size_t len = 0;

    if (size == 0) {
        return;
    }
    out[0] = '\0';
    for (c = table; c->code != NULL && len < size; c++) {
        int n = snprintf(out + len, size - len, "%s%s",
                         c == table ? "" : ", ", c->code);

        if (n < 0) {
            break;
        }
        len += (size_t)n;
    }
}

/* The allowed codes, for every message that refuses one. */
void model_code_problem(const struct model_code *table, char *out,
                        size_t size)
{
    char list[256];

    model_code_list(table, list, sizeof list);
    snprintf(out, size, "must be one of: %s", list);
}
