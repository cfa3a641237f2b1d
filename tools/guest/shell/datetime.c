/* datetime.c: dates for date and touch, in UTC (the sandbox has no time
 * zone database): reading what GNU's date -d reads in the forms scripts
 * use, and GNU date's format (strftime plus %N, %:z, padding flags). */
#include "shell.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* days since 1970-01-01 of a civil date (proleptic Gregorian) */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

static const char *months[] = {"january", "february", "march", "april", "may", "june", "july",
                               "august", "september", "october", "november", "december"};
static const char *wdays[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};

/* A month or weekday name (full, or its first three letters, "sept"). */
static int name_index(const char *w, size_t n, const char **names, int count)
{
    if (n < 3)
        return -1;
    for (int i = 0; i < count; i++) {
        size_t full = strlen(names[i]);
        if ((n == 3 || n == full || (n == 4 && !strncasecmp(w, "sept", 4))) && n <= full &&
            !strncasecmp(w, names[i], n))
            return i;
    }
    return -1;
}

typedef struct {
    bool have_date, have_time, have_zone, have_epoch;
    int64_t year;
    int month, day;
    int hour, min, sec;
    long nsec;
    int64_t zone; /* seconds east of UTC */
    int64_t epoch;
    int64_t rel_sec, rel_days, rel_months;
} dparse;

static bool parse_time(const char **pp, dparse *d)
{
    const char *p = *pp;
    char *e;
    long h = strtol(p, &e, 10);
    if (e == p || *e != ':' || h > 24)
        return false;
    p = e + 1;
    long m = strtol(p, &e, 10);
    if (e == p || m > 59)
        return false;
    p = e;
    long s = 0, ns = 0;
    if (*p == ':') {
        p++;
        s = strtol(p, &e, 10);
        if (e == p || s > 60)
            return false;
        p = e;
        if (*p == '.' || *p == ',') {
            p++;
            long scale = 100000000;
            while (isdigit((unsigned char)*p)) {
                ns += (*p - '0') * scale;
                scale /= 10;
                p++;
            }
        }
    }
    /* am/pm */
    const char *q = p;
    while (*q == ' ')
        q++;
    if (!strncasecmp(q, "am", 2) || !strncasecmp(q, "pm", 2)) {
        if (h > 12)
            return false;
        if (h == 12)
            h = 0;
        if (tolower((unsigned char)*q) == 'p')
            h += 12;
        p = q + 2;
    }
    d->hour = (int)h;
    d->min = (int)m;
    d->sec = (int)s;
    d->nsec = ns;
    d->have_time = true;
    *pp = p;
    return true;
}

/* Z, UTC, GMT, +HH, +HHMM, +HH:MM right at p */
static bool parse_zone(const char **pp, dparse *d)
{
    const char *p = *pp;
    if (*p == 'Z' || *p == 'z') {
        d->zone = 0;
        d->have_zone = true;
        *pp = p + 1;
        return true;
    }
    if (!strncasecmp(p, "UTC", 3) || !strncasecmp(p, "GMT", 3)) {
        d->zone = 0;
        d->have_zone = true;
        *pp = p + 3;
        return true;
    }
    if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2])) {
        int sign = *p == '+' ? 1 : -1;
        int hh = (p[1] - '0') * 10 + (p[2] - '0'), mm = 0;
        const char *q = p + 3;
        if (*q == ':')
            q++;
        if (isdigit((unsigned char)q[0]) && isdigit((unsigned char)q[1])) {
            mm = (q[0] - '0') * 10 + (q[1] - '0');
            q += 2;
        }
        d->zone = sign * (hh * 3600 + mm * 60);
        d->have_zone = true;
        *pp = q;
        return true;
    }
    return false;
}

static bool unit_of(const char *w, size_t n, int64_t *sec, int64_t *days, int64_t *months)
{
    static const struct {
        const char *name;
        int64_t sec, days, months;
    } units[] = {{"second", 1, 0, 0}, {"sec", 1, 0, 0},      {"minute", 60, 0, 0}, {"min", 60, 0, 0},
                 {"hour", 3600, 0, 0}, {"day", 0, 1, 0},     {"week", 0, 7, 0},    {"fortnight", 0, 14, 0},
                 {"month", 0, 0, 1},  {"year", 0, 0, 12}};
    if (n > 1 && w[n - 1] == 's')
        n--;
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (strlen(units[i].name) == n && !strncasecmp(w, units[i].name, n)) {
            *sec = units[i].sec;
            *days = units[i].days;
            *months = units[i].months;
            return true;
        }
    return false;
}

/* A signed number right after a time is a zone correction (GNU: "10:00
 * +1" is 10:00 at UTC+1): +H, +HH, +HHMM, +HH:MM. */
static bool time_zone_number(const char **pp, dparse *d)
{
    const char *p = *pp;
    if (*p != '+' && *p != '-')
        return false;
    int sign = *p == '+' ? 1 : -1;
    const char *q = p + 1;
    size_t n = 0;
    while (isdigit((unsigned char)q[n]))
        n++;
    if (n < 1 || n > 4)
        return false;
    long v = strtol(q, NULL, 10);
    long hh = n <= 2 ? v : v / 100, mm = n <= 2 ? 0 : v % 100;
    q += n;
    if (n <= 2 && *q == ':' && isdigit((unsigned char)q[1]) && isdigit((unsigned char)q[2])) {
        mm = (q[1] - '0') * 10 + (q[2] - '0');
        q += 3;
    }
    d->zone = sign * (hh * 3600 + mm * 60);
    d->have_zone = true;
    *pp = q;
    return true;
}

bool sh_parse_date(const char *s, int64_t now_sec, int64_t *sec, long *nsec)
{
    dparse d = {0};
    const char *p = s;
    bool after_time = false;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            break;
        if (after_time && !d.have_zone && time_zone_number(&p, &d)) {
            after_time = false;
            continue;
        }
        after_time = false;
        if (*p == '@') {
            char *e;
            d.epoch = strtoll(p + 1, &e, 10);
            if (e == p + 1)
                return false;
            p = e;
            if (*p == '.') {
                long scale = 100000000;
                for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
                    d.nsec += (*p - '0') * scale;
            }
            d.have_epoch = true;
            continue;
        }
        /* YYYY-MM-DD[THH:MM...] */
        if (isdigit((unsigned char)*p)) {
            char *e;
            long long a = strtoll(p, &e, 10);
            if ((*e == '-' || *e == '/') && isdigit((unsigned char)e[1]) && e - p >= 3) {
                char sep = *e;
                long b = strtol(e + 1, &e, 10);
                if (*e != sep)
                    return false;
                long c = strtol(e + 1, &e, 10);
                d.year = a;
                d.month = (int)b;
                d.day = (int)c;
                d.have_date = true;
                p = e;
                if (*p == 'T' || *p == 't') {
                    p++;
                    if (!parse_time(&p, &d))
                        return false;
                    after_time = !parse_zone(&p, &d);
                }
                continue;
            }
            if (*e == '/' && isdigit((unsigned char)e[1])) { /* MM/DD/YYYY */
                long b = strtol(e + 1, &e, 10);
                long c = d.year;
                if (*e == '/') {
                    c = strtol(e + 1, &e, 10);
                } else {
                    civil_from_days(now_sec / 86400, &d.year, (unsigned *)&d.month, (unsigned *)&d.day);
                    c = d.year;
                }
                d.month = (int)a;
                d.day = (int)b;
                d.year = c < 100 ? c + (c < 69 ? 2000 : 1900) : c;
                d.have_date = true;
                p = e;
                continue;
            }
            if (*e == ':') {
                if (!parse_time(&p, &d))
                    return false;
                after_time = !parse_zone(&p, &d);
                continue;
            }
            /* a number: a relative count ("3 days"), a day of a month ("2 Jan"), or a year */
            const char *w = e;
            while (*w == ' ')
                w++;
            const char *we = w;
            while (isalpha((unsigned char)*we))
                we++;
            int64_t us, ud, um;
            int mi;
            if (we > w && unit_of(w, (size_t)(we - w), &us, &ud, &um)) {
                d.rel_sec += a * us;
                d.rel_days += a * ud;
                d.rel_months += a * um;
                p = we;
                continue;
            }
            if (we > w && (mi = name_index(w, (size_t)(we - w), months, 12)) >= 0) {
                d.day = (int)a;
                d.month = mi + 1;
                d.have_date = true;
                if (!d.year)
                    d.year = -1;
                p = we;
                continue;
            }
            if (d.have_date && d.year == -1) {
                d.year = a;
                p = e;
                continue;
            }
            return false;
        }
        if (*p == '+' || *p == '-') {
            if (parse_zone(&p, &d))
                continue;
            char *e;
            long long a = strtoll(p, &e, 10);
            if (e == p + 1 && !isdigit((unsigned char)p[1]))
                return false;
            const char *w = e;
            while (*w == ' ')
                w++;
            const char *we = w;
            while (isalpha((unsigned char)*we))
                we++;
            int64_t us, ud, um;
            if (!unit_of(w, (size_t)(we - w), &us, &ud, &um))
                return false;
            d.rel_sec += a * us;
            d.rel_days += a * ud;
            d.rel_months += a * um;
            p = we;
            continue;
        }
        if (isalpha((unsigned char)*p)) {
            const char *we = p;
            while (isalpha((unsigned char)*we))
                we++;
            size_t n = (size_t)(we - p);
            int64_t us, ud, um;
            int mi;
            if (n == 3 && !strncasecmp(p, "ago", 3)) {
                d.rel_sec = -d.rel_sec;
                d.rel_days = -d.rel_days;
                d.rel_months = -d.rel_months;
            } else if ((n == 3 && !strncasecmp(p, "now", 3)) || (n == 5 && !strncasecmp(p, "today", 5))) {
            } else if (n == 9 && !strncasecmp(p, "yesterday", 9)) {
                d.rel_days -= 1;
            } else if (n == 8 && !strncasecmp(p, "tomorrow", 8)) {
                d.rel_days += 1;
            } else if ((n == 4 && (!strncasecmp(p, "next", 4) || !strncasecmp(p, "last", 4))) ||
                       (n == 4 && !strncasecmp(p, "this", 4))) {
                int k = !strncasecmp(p, "next", 4) ? 1 : !strncasecmp(p, "last", 4) ? -1 : 0;
                const char *w = we;
                while (*w == ' ')
                    w++;
                const char *e2 = w;
                while (isalpha((unsigned char)*e2))
                    e2++;
                if (!unit_of(w, (size_t)(e2 - w), &us, &ud, &um))
                    return false;
                d.rel_sec += k * us;
                d.rel_days += k * ud;
                d.rel_months += k * um;
                we = e2;
            } else if (unit_of(p, n, &us, &ud, &um)) {
                d.rel_sec += us;
                d.rel_days += ud;
                d.rel_months += um;
            } else if ((mi = name_index(p, n, months, 12)) >= 0) {
                /* Jan 2 [2024] [10:00] */
                const char *q = we;
                while (*q == ' ')
                    q++;
                char *e;
                long day = strtol(q, &e, 10);
                if (e == q)
                    return false;
                d.month = mi + 1;
                d.day = (int)day;
                d.have_date = true;
                d.year = -1;
                we = e;
            } else if (name_index(p, n, wdays, 7) >= 0) {
                /* a weekday name in a full date: nothing to add */
            } else if (!parse_zone(&p, &d)) {
                return false;
            } else {
                continue;
            }
            p = we;
            continue;
        }
        return false;
    }
    int64_t base;
    long ns = 0;
    if (d.have_epoch) {
        base = d.epoch;
        ns = d.nsec;
    } else {
        int64_t y;
        unsigned m, dd;
        civil_from_days((now_sec >= 0 ? now_sec : now_sec - 86399) / 86400, &y, &m, &dd);
        int64_t tod = now_sec - ((now_sec >= 0 ? now_sec : now_sec - 86399) / 86400) * 86400;
        if (d.have_date) {
            if (d.year == -1)
                d.year = y;
            if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31)
                return false;
            y = d.year;
            m = (unsigned)d.month;
            dd = (unsigned)d.day;
        }
        if (d.have_time)
            tod = d.hour * 3600 + d.min * 60 + d.sec;
        else if (d.have_date)
            tod = 0;
        if (d.have_time)
            ns = d.nsec;
        else if (!d.have_date)
            ns = -1; /* now: the caller's nanoseconds */
        if (d.rel_months) {
            int64_t mm = (int64_t)m - 1 + d.rel_months;
            y += mm >= 0 ? mm / 12 : (mm - 11) / 12;
            mm = ((mm % 12) + 12) % 12;
            m = (unsigned)mm + 1;
        }
        base = days_from_civil(y, m, dd) * 86400 + tod - (d.have_zone ? d.zone : 0);
    }
    base += d.rel_days * 86400 + d.rel_sec;
    *sec = base;
    *nsec = ns;
    return true;
}

/* ---- formatting ----------------------------------------------------------------------- */

static void put_num(sh_buf *out, long long v, int width, char pad, char flag)
{
    if (flag == '-')
        pad = 0;
    else if (flag == '_')
        pad = ' ';
    else if (flag == '0')
        pad = '0';
    char b[32];
    int n = snprintf(b, sizeof b, "%lld", v < 0 ? -v : v);
    if (v < 0)
        sh_buf_addc(out, '-');
    for (int i = n + (v < 0); pad && i < width; i++)
        sh_buf_addc(out, pad);
    sh_buf_add(out, b, (size_t)n);
}

void sh_format_date(sh_buf *out, const char *fmt, int64_t sec, long nsec)
{
    time_t t = (time_t)sec;
    struct tm tm;
    gmtime_r(&t, &tm);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%' || !p[1]) {
            sh_buf_addc(out, *p);
            continue;
        }
        p++;
        char flag = 0;
        while (*p && strchr("-_0^#", *p))
            flag = *p++;
        int width = 0;
        while (isdigit((unsigned char)*p))
            width = width * 10 + (*p++ - '0');
        if (*p == 'E' || *p == 'O')
            p++;
        int colons = 0;
        while (*p == ':') {
            colons++;
            p++;
        }
        char c = *p;
        if (!c)
            break;
        long long v;
        int w = 2;
        char pad = '0';
        switch (c) {
        case 'd': v = tm.tm_mday; break;
        case 'e': v = tm.tm_mday; pad = ' '; break;
        case 'H': v = tm.tm_hour; break;
        case 'k': v = tm.tm_hour; pad = ' '; break;
        case 'I': v = tm.tm_hour % 12 ? tm.tm_hour % 12 : 12; break;
        case 'l': v = tm.tm_hour % 12 ? tm.tm_hour % 12 : 12; pad = ' '; break;
        case 'm': v = tm.tm_mon + 1; break;
        case 'M': v = tm.tm_min; break;
        case 'S': v = tm.tm_sec; break;
        case 'y': v = tm.tm_year % 100; break;
        case 'Y': v = tm.tm_year + 1900LL; w = 1; break;
        case 'C': v = (tm.tm_year + 1900LL) / 100; break;
        case 'j': v = tm.tm_yday + 1; w = 3; break;
        case 'u': v = tm.tm_wday ? tm.tm_wday : 7; w = 1; break;
        case 'w': v = tm.tm_wday; w = 1; break;
        case 's': v = sec; w = 1; break;
        case 'N': {
            char b[24];
            snprintf(b, sizeof b, "%09ld", nsec < 0 ? 0 : nsec);
            int n = width && width < 9 ? width : 9;
            sh_buf_add(out, b, (size_t)n);
            continue;
        }
        case 'z': {
            const char *z = colons == 1 ? "+00:00" : colons == 2 ? "+00:00:00" : colons == 3 ? "+00" : "+0000";
            sh_buf_adds(out, z);
            continue;
        }
        case 'Z':
            sh_buf_adds(out, "UTC");
            continue;
        case 'n':
            sh_buf_addc(out, '\n');
            continue;
        case 't':
            sh_buf_addc(out, '\t');
            continue;
        case '%':
            sh_buf_addc(out, '%');
            continue;
        case 'P': /* am/pm in lower case */
            sh_buf_adds(out, tm.tm_hour < 12 ? "am" : "pm");
            continue;
        default: {
            /* the rest through strftime: names, %c %D %F %T %R %r %x %X %U %V %W %g %G %h %p */
            char spec[3] = {'%', c, 0};
            char b[128];
            size_t n = strftime(b, sizeof b, spec, &tm);
            if (flag == '^' || flag == '#')
                for (size_t i = 0; i < n; i++)
                    b[i] = (char)toupper((unsigned char)b[i]);
            for (int i = (int)n; i < width; i++)
                sh_buf_addc(out, flag == '0' ? '0' : ' ');
            sh_buf_add(out, b, n);
            continue;
        }
        }
        put_num(out, v, width ? width : w, pad, flag);
    }
}
