/*
 * date.c - calendar dates held as one int YYYYMMDD, 0 for unknown.
 * Conversions to day numbers use the civil-from-days algorithm (proleptic
 * Gregorian), exact for every year ctis accepts.
 */
#include <time.h>

#include "base.h"

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Whether the day exists. */
int ctis_date_valid(int y, int m, int d)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) {
        return 0;
    }
    if (m == 2 && is_leap(y)) {
        return d <= 29;
    }
    return d <= days[m - 1];
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    int i;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

/* Exactly YYYY-MM-DD of a real day. */
int ctis_date_parse(const char *s, int *out)
{
    int y;
    int m;
    int d;

    if (s == NULL || !digits(s, 4, &y) || s[4] != '-' ||
        !digits(s + 5, 2, &m) || s[7] != '-' || !digits(s + 8, 2, &d) ||
        s[10] != '\0' || !ctis_date_valid(y, m, d)) {
        return CTIS_EINVAL;
    }
    *out = y * 10000 + m * 100 + d;
    return 0;
}

/* YYYY-MM-DD text. */
void ctis_date_format(int date, char out[11])
{
    unsigned y = (unsigned)(date / 10000) % 10000u;
    unsigned m = (unsigned)(date / 100) % 100u;
    unsigned d = (unsigned)date % 100u;

    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

/* Completed years between two dates. */
int ctis_date_age(int birth, int on)
{
    int age;

    if (birth == 0 || on == 0) {
        return -1;
    }
    age = on / 10000 - birth / 10000;
    if (on % 10000 < birth % 10000) {
        age--;
    }
    return age;
}

/* Days since 1970-01-01. */
long ctis_date_days(int date)
{
    long y = date / 10000;
    long m = (date / 100) % 100;
    long d = date % 100;
    long era;
    long yoe;
    long doy;
    long doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Inverse of ctis_date_days. */
int ctis_date_from_days(long z)
{
    long era;
    long doe;
    long yoe;
    long y;
    long doy;
    long mp;
    long d;
    long m;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    return (int)(y * 10000 + m * 100 + d);
}

/* Today's date in UTC, from the system clock. */
int ctis_date_today(void)
{
    return ctis_date_from_days((long)(time(NULL) / 86400));
}
