/*
 * test_jsonl.c - JSON Lines records: each type parses, every validation
 * rule reports its field path without the value, export is re-importable
 * byte for byte, --public leaves identifying fields out, and parsing under
 * injected allocation failures fails cleanly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "io/io.h"

static const char *const case_line =
    "{\"type\":\"case\",\"id\":\"C-1\",\"agency\":\"ngo-1\",\"person\":"
    "{\"given_name\":\"Sokha\",\"family_name\":\"Chan\",\"given_name_km\":"
    "\"សុខា\",\"family_name_km\":\"ចាន់\",\"sex\":\"female\","
    "\"birth_date\":\"1990-04-02\",\"citizenship\":\"KH\","
    "\"home_province\":\"KH-14\"},\"trafficking_status\":\"actual\","
    "\"movement\":\"cross_border_out\",\"exploitation\":[\"forced_labour\"],"
    "\"labour_sector\":\"fishing\",\"means\":[\"deception\"],"
    "\"destination_country\":\"TH\",\"status\":\"closed\",\"events\":["
    "{\"type\":\"identification\",\"date\":\"2007-03-02\"},{\"type\":"
    "\"rescue\",\"date\":\"2007-03-05\"},{\"type\":\"referral\",\"date\":"
    "\"2007-03-09\",\"to\":\"family\"},{\"type\":\"repatriation\",\"date\":"
    "\"2007-05-10\",\"from_country\":\"TH\",\"to_country\":\"KH\","
    "\"official\":true}]}";

static int parse(const char *line, struct io_record *r,
                 struct model_problems *p)
{
    model_problems_clear(p);
    return io_jsonl_parse(line, strlen(line), r, p);
}

static void test_case_parses(void **state)
{
    struct io_record r;
    struct model_problems p;
    const struct model_case *c;

    (void)state;
    io_record_init(&r);
    assert_int_equal(parse(case_line, &r, &p), 0);
    assert_int_equal(r.type, IO_REC_CASE);
    c = &r.u.kase;
    assert_string_equal(c->id, "C-1");
    assert_string_equal(c->person.given_name_km, "សុខា");
    assert_int_equal(c->person.birth_date, 19900402);
    assert_int_equal(c->exploitation, MODEL_EXP_FORCED_LABOUR);
    assert_int_equal(c->labour_sector, MODEL_SECTOR_FISHING);
    assert_int_equal(c->n_events, 4);
    assert_int_equal(c->events[2].referral, MODEL_REF_FAMILY);
    assert_true(c->events[3].official);
    assert_string_equal(c->events[3].from_country, "TH");
    io_record_release(&r);
}

static void test_other_types_parse(void **state)
{
    static const char *const lines[] = {
        ("{\"type\":\"agency\",\"id\":\"ngo-1\",\"name\":\"N\",\"kind\":"
        "\"ngo\",\"pillars\":[\"protection\",\"prevention\"],\"provinces\":"
        "[\"KH-12\",\"KH-25\"]}"),
        ("{\"type\":\"criminal_case\",\"id\":\"P-1\",\"kind\":\"domestic\","
        "\"offenders\":[{\"id\":\"O-1\",\"sex\":\"male\",\"citizenship\":"
        "\"KH\",\"role\":\"recruiter\"}],\"victim_cases\":[\"C-1\"],"
        "\"events\":[{\"type\":\"investigation\",\"date\":\"2007-06-01\"},"
        "{\"type\":\"conviction\",\"date\":\"2008-01-15\",\"offender\":"
        "\"O-1\",\"sentence_months\":84}]}"),
        ("{\"type\":\"activity\",\"id\":\"A-1\",\"agency\":\"ngo-1\","
        "\"kind\":\"awareness\",\"province\":\"KH-14\",\"start\":"
        "\"2008-01-01\",\"end\":\"2008-12-31\",\"reached\":1200}"),
        ("{\"type\":\"instrument\",\"id\":\"I-1\",\"title\":\"T\",\"kind\":"
         "\"mou\",\"date\":\"2003-05-31\",\"parties\":[\"KH\",\"TH\"]}"),
    };
    struct io_record r;
    struct model_problems p;
    size_t i;

    (void)state;
    io_record_init(&r);
    for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        assert_int_equal(parse(lines[i], &r, &p), 0);
    }
    assert_int_equal(r.type, IO_REC_INSTRUMENT);
    assert_int_equal(r.u.instrument.n_parties, 2);
    assert_int_equal(parse(lines[0], &r, &p), 0);
    assert_true(r.u.agency.provinces & (1UL << 25));
    assert_int_equal(parse(lines[1], &r, &p), 0);
    assert_int_equal(r.u.criminal_case.events[1].sentence_months, 84);
    io_record_release(&r);
}

/* One invalid line, the field path it must name. */
struct rule {
    const char *line;
    const char *path;
};

static void test_validation_rules(void **state)
{
    static const struct rule rules[] = {
        {"not json", ""},
        {"[1]", ""},
        {"{\"id\":\"x\"}", "type"},
        {"{\"type\":\"person\"}", "type"},
        {"{\"type\":\"case\",\"agency\":\"a\"}", "id"},
        {"{\"type\":\"case\",\"id\":\"a b\",\"agency\":\"a\"}", "id"},
        {"{\"type\":\"case\",\"id\":\"C\"}", "agency"},
        /* An unknown key is named by the object and its place, never
         * quoted: "" is the record itself. */
        {"{\"type\":\"case\",\"id\":\"C\",\"agency\":\"a\",\"colour\":1}",
         ""},
        {"{\"type\":\"case\",\"id\":\"C\",\"agency\":\"a\",\"person\":"
         "{\"sex\":\"f\"}}", "person.sex"},
        {"{\"type\":\"case\",\"id\":\"C\",\"agency\":\"a\",\"person\":"
         "{\"birth_date\":\"1990-02-30\"}}", "person.birth_date"},
        {"{\"type\":\"case\",\"id\":\"C\",\"agency\":\"a\",\"person\":"
         "{\"birth_year\":1800}}", "person.birth_year"},
        {"{\"type\":\"case\",\"id\":\"C\",\"agency\":\"a\",\"person\":"
         "{\"age\":-1}}", "person.age"},
        {"{\"type\":\"case\",\"id\":\"C\",\"agency\":\"a\",\"person\":"
         "{\"citizenship\":\"XX\"}}", "person.citizenship"},
        {"{\"type\":\"case\",\"id\":\"C\",\"agency\":\"a\",\"person\":"
         "{\"home_province\":\"KH-26\"}}", "person.home_province"},
        {"{\"type\":\"case\",\"id\":\"C\",\"agency\":\"a\",\"person\":"
         "{\"birth_date\":\"1990-01-01\",\"birth_year\":1991}}",
         "person.birth_year"},
        {"{\"type\":\"case\",\"id\":\"C\",\"agency\":\"a\",\"movement\":"
         "\"cross_border_out\",\"destination_country\":\"KH\"}",
         "destination_country"},
        {"{\"type\":\"case\",\"id\":\"C\",\"agency\":\"a\",\"labour_sector\":"
         "\"fishing\"}", "labour_sector"},
        {"{\"type\":\"case\",\"id\":\"C\",\"agency\":\"a\",\"exploitation\":"
         "[\"sexual\",\"slavery\"]}", "exploitation[1]"},
        {"{\"type\":\"case\",\"id\":\"C\",\"agency\":\"a\",\"events\":"
         "[{\"type\":\"rescue\"}]}", "events[0].date"},
        {"{\"type\":\"case\",\"id\":\"C\",\"agency\":\"a\",\"events\":"
         "[{\"type\":\"rescue\",\"date\":\"2008-01-01\"},{\"type\":"
         "\"repatriation\",\"date\":\"2008-02-01\",\"to_country\":\"KH\"}]}",
         "events[1].from_country"},
        {"{\"type\":\"case\",\"id\":\"C\",\"agency\":\"a\",\"events\":"
         "[{\"type\":\"referral\",\"date\":\"2008-01-01\"}]}",
         "events[0].to"},
        {"{\"type\":\"case\",\"id\":\"C\",\"agency\":\"a\",\"events\":"
         "[{\"type\":\"service\",\"date\":\"2008-01-01\"}]}",
         "events[0].service"},
        {"{\"type\":\"case\",\"id\":\"C\",\"agency\":\"a\",\"person\":"
         "{\"birth_date\":\"2000-01-01\"},\"events\":[{\"type\":"
         "\"identification\",\"date\":\"1999-01-01\"}]}",
         "person.birth_date"},
        {"{\"type\":\"criminal_case\",\"id\":\"P\",\"kind\":\"domestic\","
         "\"events\":[{\"type\":\"arrest\",\"date\":\"2008-01-01\","
         "\"offender\":\"O-9\"}]}", "events[0].offender"},
        {"{\"type\":\"criminal_case\",\"id\":\"P\",\"kind\":\"domestic\","
         "\"offenders\":[{\"id\":\"O\"},{\"id\":\"O\"}]}",
         "offenders[1].id"},
        {"{\"type\":\"criminal_case\",\"id\":\"P\"}", "kind"},
        {"{\"type\":\"agency\",\"id\":\"a\",\"kind\":\"ngo\"}", "name"},
        {"{\"type\":\"agency\",\"id\":\"a\",\"name\":\"n\",\"kind\":\"ngo\","
         "\"provinces\":[\"KH-0\"]}", "provinces[0]"},
        {"{\"type\":\"activity\",\"id\":\"A\",\"agency\":\"a\",\"kind\":"
         "\"awareness\",\"start\":\"2008-02-01\",\"end\":\"2008-01-01\"}",
         "end"},
        {"{\"type\":\"activity\",\"id\":\"A\",\"agency\":\"a\",\"kind\":"
         "\"awareness\",\"reached\":-5}", "reached"},
        {"{\"type\":\"instrument\",\"id\":\"I\",\"title\":\"t\",\"kind\":"
         "\"law\",\"parties\":[\"ZZ\"]}", "parties[0]"},
    };
    struct io_record r;
    struct model_problems p;
    size_t i;

    (void)state;
    io_record_init(&r);
    for (i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        int found = 0;
        int k;

        assert_int_equal(parse(rules[i].line, &r, &p), CTIS_EINVAL);
        for (k = 0; k < p.n; k++) {
            if (strcmp(p.items[k].path, rules[i].path) == 0) {
                found = 1;
            }
        }
        if (!found) {
            print_error("rule %zu: no problem at '%s' (first: '%s' %s)\n", i,
                        rules[i].path, p.n > 0 ? p.items[0].path : "",
                        p.n > 0 ? p.items[0].msg : "");
        }
        assert_true(found);
    }
    io_record_release(&r);
}

static void test_messages_never_quote_values(void **state)
{
    const char *line = "{\"type\":\"case\",\"id\":\"C\",\"agency\":\"a\","
                       "\"person\":{\"given_name\":123,\"family_name\":"
                       "[\"Secretname\"],\"sex\":\"Secretname\"}}";
    const char *broken = "{\"type\":\"case\",\"person\":{\"given_name\":"
                         "\"Secretname}";
    struct io_record r;
    struct model_problems p;
    int k;

    (void)state;
    io_record_init(&r);
    assert_int_equal(parse(line, &r, &p), CTIS_EINVAL);
    assert_true(p.n >= 3);
    for (k = 0; k < p.n; k++) {
        assert_null(strstr(p.items[k].msg, "Secretname"));
    }
    assert_int_equal(parse(broken, &r, &p), CTIS_EINVAL);
    assert_null(strstr(p.items[0].msg, "Secretname"));
    io_record_release(&r);
}

static void test_round_trip_and_public(void **state)
{
    struct io_record a;
    struct io_record b;
    struct model_problems p;
    struct ctis_buf out1;
    struct ctis_buf out2;

    (void)state;
    io_record_init(&a);
    io_record_init(&b);
    ctis_buf_init(&out1);
    ctis_buf_init(&out2);
    assert_int_equal(parse(case_line, &a, &p), 0);
    assert_int_equal(io_jsonl_write(&out1, &a, 0), 0);
    assert_int_equal(io_jsonl_parse(out1.data, out1.len - 1, &b, &p), 0);
    assert_int_equal(io_jsonl_write(&out2, &b, 0), 0);
    assert_string_equal(out1.data, out2.data);
    assert_non_null(strstr(out1.data, "\"given_name\":\"Sokha\""));
    ctis_buf_reset(&out2);
    assert_int_equal(io_jsonl_write(&out2, &a, 1), 0);
    assert_null(strstr(out2.data, "Sokha"));
    assert_null(strstr(out2.data, "សុខា"));
    assert_null(strstr(out2.data, "1990-04-02"));
    assert_non_null(strstr(out2.data, "\"home_province\":\"KH-14\""));
    ctis_buf_release(&out1);
    ctis_buf_release(&out2);
    io_record_release(&a);
    io_record_release(&b);
}

static void test_parse_out_of_memory(void **state)
{
    struct io_record r;
    struct model_problems p;
    long n;

    (void)state;
    for (n = 0;; n++) {
        int rc;

        io_record_init(&r);
        ctis_alloc_fail_after(n);
        rc = parse(case_line, &r, &p);
        io_record_release(&r);
        if (!ctis_alloc_failed()) {
            assert_int_equal(rc, 0);
            break;
        }
        assert_int_equal(rc, CTIS_ENOMEM);
    }
    ctis_alloc_fail_reset();
}

static void test_csv_reader(void **state)
{
    const char *text = "\xEF\xBB\xBF" "a,b,c\r\n1,\"x,\"\"y\"\"\n z\",3\n\n"
                       "4,,\n5\n6,7,8";
    struct io_csv *r;
    struct ctis_err err;
    struct ctis_buf b;

    (void)state;
    assert_int_equal(io_csv_open_mem(&r, "t.csv", text, strlen(text), &err),
                     0);
    assert_int_equal(io_csv_next(r, &err), 1);
    assert_string_equal(io_csv_field(r, 0), "a");
    assert_int_equal(io_csv_next(r, &err), 1);
    assert_string_equal(io_csv_field(r, 1), "x,\"y\"\n z");
    assert_int_equal(io_csv_line(r), 2);
    assert_int_equal(io_csv_next(r, &err), 1);
    assert_int_equal(io_csv_line(r), 5);
    assert_int_equal(io_csv_nfields(r), 3);
    assert_string_equal(io_csv_field(r, 2), "");
    /* A ragged row is an error naming its line, and the reader goes on
     * with the next record. */
    assert_int_equal(io_csv_next(r, &err), CTIS_EINVAL);
    assert_string_equal(err.msg, "t.csv:6: 1 fields where the header has 3");
    assert_true(io_csv_recoverable(r));
    assert_int_equal(io_csv_next(r, &err), 1);
    assert_string_equal(io_csv_field(r, 0), "6");
    assert_string_equal(io_csv_field(r, 7), "");
    assert_int_equal(io_csv_next(r, &err), 0);
    io_csv_close(r);
    /* ';' and tab separators are detected from the first line. */
    text = "a;b;c\n1;\"x;y\";3\n";
    assert_int_equal(io_csv_open_mem(&r, "s.csv", text, strlen(text), &err),
                     0);
    assert_int_equal(io_csv_next(r, &err), 1);
    assert_int_equal(io_csv_nfields(r), 3);
    assert_int_equal(io_csv_next(r, &err), 1);
    assert_string_equal(io_csv_field(r, 1), "x;y");
    io_csv_close(r);
    text = "a\tb\n1\t2\n";
    assert_int_equal(io_csv_open_mem(&r, "t.tsv", text, strlen(text), &err),
                     0);
    assert_int_equal(io_csv_next(r, &err), 1);
    assert_int_equal(io_csv_nfields(r), 2);
    io_csv_close(r);
    /* An empty first cell: no arithmetic on a NULL buffer (UBSan). */
    text = ",a\n,b\n";
    assert_int_equal(io_csv_open_mem(&r, "e.csv", text, strlen(text), &err),
                     0);
    assert_int_equal(io_csv_next(r, &err), 1);
    assert_string_equal(io_csv_field(r, 0), "");
    assert_int_equal(io_csv_next(r, &err), 1);
    io_csv_close(r);
    text = "a\n\"open";
    assert_int_equal(io_csv_open_mem(&r, "t.csv", text, strlen(text), &err),
                     0);
    assert_int_equal(io_csv_next(r, &err), 1);
    assert_int_equal(io_csv_next(r, &err), CTIS_EINVAL);
    assert_non_null(strstr(err.msg, "t.csv:2"));
    io_csv_close(r);
    text = "ok\n\xff\n";
    assert_int_equal(io_csv_open_mem(&r, "u.csv", text, strlen(text), &err),
                     0);
    assert_int_equal(io_csv_next(r, &err), 1);
    assert_int_equal(io_csv_next(r, &err), CTIS_EINVAL);
    assert_non_null(strstr(err.msg, "u.csv:2"));
    assert_non_null(strstr(err.msg, "UTF-8"));
    io_csv_close(r);
    ctis_buf_init(&b);
    io_csv_put_field(&b, "plain");
    io_csv_put_field(&b, "a,\"b\"");
    assert_string_equal(b.data, "plain\"a,\"\"b\"\"\"");
    ctis_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_parses),
        cmocka_unit_test(test_other_types_parse),
        cmocka_unit_test(test_validation_rules),
        cmocka_unit_test(test_messages_never_quote_values),
        cmocka_unit_test(test_round_trip_and_public),
        cmocka_unit_test(test_parse_out_of_memory),
        cmocka_unit_test(test_csv_reader),
    };

    io_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
