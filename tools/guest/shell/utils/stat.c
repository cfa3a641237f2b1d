/* stat: GNU's. The default form, -c FORMAT (a newline after each file),
 * --printf FORMAT (backslash escapes, no newline), -t (terse), -L (follow
 * symlinks). Directives: %n %N %s %b %B %o %F %a %A %f %h %i %d %D %Hd %Ld
 * %t %T %u %U %g %G %m %x %y %z %w %X %Y %Z %W %%, with GNU's width,
 * precision and flags (%-10s, %.3Y). What WASI cannot say, the sandbox
 * answers as ls -l does: modes 0644 (files), 0755 (directories), 0777
 * (symlinks); the owner and group are uid 1000 "user"; blocks are counted
 * as a 4 KiB-block file system does; there is no birth time (%w is "-",
 * %W 0); %m is the mapped directory holding the file. -f (file systems) is
 * refused: WASI cannot ask about them. */
#include "../internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_FORMAT                                                                              \
    "  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\nDevice: %Hd,%Ld\tInode: %-10i  Links: %h\n" \
    "Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\nAccess: %x\nModify: %y\nChange: %z\n Birth: %w\n"
#define TERSE_FORMAT "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o\n"

typedef struct {
    const char *name;
    struct stat st;
    bool default_form;  /* %N without quotes, as the default form shows it */
} target;

static unsigned sandbox_mode(const struct stat *st)
{
    return S_ISDIR(st->st_mode) ? 0755 : S_ISLNK(st->st_mode) ? 0777 : 0644;
}

static char type_char(const struct stat *st)
{
    return S_ISDIR(st->st_mode) ? 'd' : S_ISLNK(st->st_mode) ? 'l' : S_ISCHR(st->st_mode) ? 'c'
         : S_ISBLK(st->st_mode) ? 'b' : S_ISFIFO(st->st_mode) ? 'p' : S_ISSOCK(st->st_mode) ? 's' : '-';
}

static const char *type_name(const struct stat *st)
{
    if (S_ISREG(st->st_mode))
        return st->st_size ? "regular file" : "regular empty file";
    return S_ISDIR(st->st_mode) ? "directory" : S_ISLNK(st->st_mode) ? "symbolic link"
         : S_ISCHR(st->st_mode) ? "character special file" : S_ISBLK(st->st_mode) ? "block special file"
         : S_ISFIFO(st->st_mode) ? "fifo" : S_ISSOCK(st->st_mode) ? "socket" : "weird file";
}

static int64_t blocks(const struct stat *st)
{
    if (S_ISLNK(st->st_mode) || st->st_size <= 0)
        return 0;
    return (st->st_size + 4095) / 4096 * 8;
}

/* The mapped directory holding the file (the longest that is a prefix). */
static const char *mount_point(shctx *sh, const char *name)
{
    int e;
    char *abs = sh_canonicalize(sh, name, SH_CANON_ALL_BUT_LAST, &e);
    const char *best = "/";
    size_t best_len = 0;
    for (int i = 0; abs && i < sh->nmaps; i++) {
        size_t n = strlen(sh->maps[i]);
        if (n > best_len && !strncmp(abs, sh->maps[i], n) && (abs[n] == '/' || abs[n] == 0 || n == 1)) {
            best = sh->maps[i];
            best_len = n;
        }
    }
    free(abs);
    return best;
}

static void add_time(sh_buf *b, const struct timespec *ts, bool epoch, int prec)
{
    if (!epoch) {
        sh_format_date(b, "%Y-%m-%d %H:%M:%S.%N %z", (int64_t)ts->tv_sec, ts->tv_nsec);
        return;
    }
    sh_buf_printf(b, "%lld", (long long)ts->tv_sec);
    if (prec > 0) {
        char ns[16];
        snprintf(ns, sizeof ns, "%09ld", ts->tv_nsec);
        sh_buf_printf(b, ".%.*s", prec > 9 ? 9 : prec, ns);
        for (int i = 9; i < prec; i++)
            sh_buf_addc(b, '0');
    }
}

/* One directive's text (before width and flags are applied); numeric
 * says whether the flags 0 + and space apply. */
static void directive(shctx *sh, sh_buf *v, const char *d, size_t dn, const target *t, int prec, bool *numeric)
{
    const struct stat *st = &t->st;
    char c = d[dn - 1];
    char h = dn == 2 ? d[0] : 0; /* %Hd %Ld %Hr %Lr */
    uint64_t dev = (uint64_t)st->st_dev;
    unsigned major = (unsigned)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffu));
    unsigned minor = (unsigned)((dev & 0xff) | ((dev >> 12) & ~0xffu));
    *numeric = true;
    if (h == 'H' && c == 'd') { sh_buf_printf(v, "%u", major); return; }
    if (h == 'L' && c == 'd') { sh_buf_printf(v, "%u", minor); return; }
    if (h && c == 'r') { sh_buf_adds(v, "0"); return; }
    switch (c) {
    case 's': sh_buf_printf(v, "%lld", (long long)st->st_size); return;
    case 'b': sh_buf_printf(v, "%lld", (long long)blocks(st)); return;
    case 'B': sh_buf_adds(v, "512"); return;
    case 'o': sh_buf_adds(v, "4096"); return;
    case 'h': sh_buf_printf(v, "%llu", (unsigned long long)st->st_nlink); return;
    case 'i': sh_buf_printf(v, "%llu", (unsigned long long)st->st_ino); return;
    case 'd': sh_buf_printf(v, "%llu", (unsigned long long)dev); return;
    case 'u': case 'g': sh_buf_adds(v, "1000"); return;
    case 'W': sh_buf_adds(v, "0"); return;
    case 't': case 'T': sh_buf_adds(v, "0"); *numeric = false; return;
    case 'X': add_time(v, &st->st_atim, true, prec); return;
    case 'Y': add_time(v, &st->st_mtim, true, prec); return;
    case 'Z': add_time(v, &st->st_ctim, true, prec); return;
    }
    *numeric = false;
    switch (c) {
    case 'n': sh_buf_adds(v, t->name); return;
    case 'N':
        sh_buf_adds(v, t->default_form ? sh_quote_maybe(sh, t->name) : sh_quote(sh, t->name));
        if (S_ISLNK(st->st_mode)) {
            char target_buf[4096];
            ssize_t n = readlink(t->name, target_buf, sizeof target_buf - 1);
            if (n >= 0) {
                target_buf[n] = 0;
                sh_buf_printf(v, " -> %s", t->default_form ? sh_quote_maybe(sh, target_buf) : sh_quote(sh, target_buf));
            }
        }
        return;
    case 'F': sh_buf_adds(v, type_name(st)); return;
    case 'a': sh_buf_printf(v, "%o", sandbox_mode(st)); *numeric = true; return;
    case 'A': {
        unsigned m = sandbox_mode(st);
        sh_buf_addc(v, type_char(st));
        for (int i = 8; i >= 0; i--)
            sh_buf_addc(v, m & (1u << i) ? "rwx"[(8 - i) % 3] : '-');
        return;
    }
    case 'f': sh_buf_printf(v, "%x", (unsigned)((st->st_mode & S_IFMT) | sandbox_mode(st))); return;
    case 'D': sh_buf_printf(v, "%llx", (unsigned long long)dev); return;
    case 'U': case 'G': sh_buf_adds(v, "user"); return;
    case 'm': sh_buf_adds(v, mount_point(sh, t->name)); return;
    case 'x': add_time(v, &st->st_atim, false, 0); return;
    case 'y': add_time(v, &st->st_mtim, false, 0); return;
    case 'z': add_time(v, &st->st_ctim, false, 0); return;
    case 'w': sh_buf_adds(v, "-"); return;
    default: sh_buf_addc(v, '?');
    }
}

/* A backslash escape of --printf at s (after the backslash); its length. */
static size_t escape(sh_buf *b, const char *s)
{
    static const char from[] = "abefnrtv\\\"", to[] = "\a\b\033\f\n\r\t\v\\\"";
    const char *p = *s ? strchr(from, *s) : NULL;
    if (p) {
        sh_buf_addc(b, to[p - from]);
        return 1;
    }
    if (*s >= '0' && *s <= '7') {
        int v = 0;
        size_t n = 0;
        while (n < 3 && s[n] >= '0' && s[n] <= '7')
            v = v * 8 + (s[n++] - '0');
        sh_buf_addc(b, (char)v);
        return n;
    }
    if (*s == 'x' && strchr("0123456789abcdefABCDEF", s[1]) && s[1]) {
        int v = 0;
        size_t n = 1;
        while (n < 3 && s[n] && strchr("0123456789abcdefABCDEF", s[n])) {
            char ch = s[n++];
            v = v * 16 + (ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10);
        }
        sh_buf_addc(b, (char)v);
        return n;
    }
    sh_buf_addc(b, '\\');
    return 0;
}

static void format(shctx *sh, sh_buf *out, const char *fmt, const target *t, bool escapes)
{
    for (const char *p = fmt; *p; p++) {
        if (escapes && *p == '\\' && p[1]) {
            p += escape(out, p + 1);
            continue;
        }
        if (*p != '%') {
            sh_buf_addc(out, *p);
            continue;
        }
        const char *start = p++;
        if (*p == '%') {
            sh_buf_addc(out, '%');
            continue;
        }
        char flags[8];
        size_t nf = 0;
        while (*p && strchr("-#0+ '", *p)) {
            if (nf < sizeof flags - 1)
                flags[nf++] = *p;
            p++;
        }
        flags[nf] = 0;
        int width = 0, prec = -1;
        while (*p >= '0' && *p <= '9' && width < 100000)
            width = width * 10 + (*p++ - '0');
        if (*p == '.') {
            prec = 0;
            p++;
            while (*p >= '0' && *p <= '9' && prec < 100000)
                prec = prec * 10 + (*p++ - '0');
        }
        size_t dn = (*p == 'H' || *p == 'L') && (p[1] == 'd' || p[1] == 'r') ? 2 : 1;
        if (!*p) { /* a lone % at the end is printed as it is */
            sh_buf_adds(out, start);
            break;
        }
        sh_buf v = {0};
        bool numeric;
        char last = p[dn - 1];
        directive(sh, &v, p, dn, t, prec, &numeric);
        p += dn - 1;
        bool is_time = last == 'X' || last == 'Y' || last == 'Z' || last == 'W';
        bool left = strchr(flags, '-') != NULL, zero = strchr(flags, '0') && numeric && !left;
        const char *s = v.data ? v.data : "";
        size_t len = v.len;
        if (!numeric && prec >= 0 && (size_t)prec < len)
            len = (size_t)prec; /* %.3n: the first bytes */
        if (numeric && !is_time && (strchr(flags, '+') || strchr(flags, ' ')) && s[0] != '-')
            sh_buf_addc(out, strchr(flags, '+') ? '+' : ' '), width = width ? width - 1 : 0;
        size_t pad = (size_t)width > len ? (size_t)width - len : 0;
        if (!left && !zero)
            for (size_t k = 0; k < pad; k++)
                sh_buf_addc(out, ' ');
        if (zero) {
            if (*s == '-') {
                sh_buf_addc(out, '-');
                s++;
                len--;
            }
            for (size_t k = 0; k < pad; k++)
                sh_buf_addc(out, '0');
        }
        sh_buf_add(out, s, len);
        if (left)
            for (size_t k = 0; k < pad; k++)
                sh_buf_addc(out, ' ');
        sh_buf_free(&v);
    }
}

/* A directive cut short by the end of the format ("%-", "%10"): GNU
 * refuses the format before looking at any file. */
static bool check_format(shctx *sh, const char *fmt)
{
    for (const char *p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        const char *start = p++;
        if (*p == '%')
            continue;
        p += strspn(p, "-#0+ '0123456789.");
        if (!*p && p - start > 1) {
            sh_err(sh, "%s: invalid directive", sh_quote(sh, start));
            return false;
        }
        if (!*p)
            break;
    }
    return true;
}

int util_stat(shctx *sh, int argc, char **argv)
{
    enum { O_PRINTF = 256, O_CACHED, O_HELP };
    static const sh_longopt lo[] = {{"dereference", SH_NO_ARG, 'L'}, {"file-system", SH_NO_ARG, 'f'},
                                    {"format", SH_REQ_ARG, 'c'},     {"printf", SH_REQ_ARG, O_PRINTF},
                                    {"terse", SH_NO_ARG, 't'},       {"cached", SH_REQ_ARG, O_CACHED},
                                    {"help", SH_NO_ARG, O_HELP},     {NULL, 0, 0}};
    bool deref = false, terse = false, escapes = false;
    const char *fmt = NULL;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "Lfc:t", lo)) != -1) {
        switch (c) {
        case 'L': deref = true; break;
        case 'f':
            sh_err(sh, "-f (--file-system) is not available in the sandbox: WASI cannot ask about file systems");
            return 1;
        case 'c': fmt = st.arg; escapes = false; break;
        case O_PRINTF: fmt = st.arg; escapes = true; break;
        case 't': terse = true; break;
        case O_CACHED: break;
        case O_HELP:
            sh_puts(sh_stdout(sh), "Usage: stat [OPTION]... FILE...\nDisplay file status.\n"
                                   "  -L  -c FORMAT  --printf=FORMAT  -t\n");
            return 0;
        default:
            return 1;
        }
    }
    if (st.ind >= argc) {
        sh_err(sh, "missing operand");
        sh_try_help(sh);
        return 1;
    }
    if (fmt && !check_format(sh, fmt))
        return 1;
    bool default_form = false, newline = fmt && !escapes; /* -c: a newline after the format's output */
    if (!fmt) {
        fmt = terse ? TERSE_FORMAT : DEFAULT_FORMAT;
        default_form = !terse;
    }
    int status = 0;
    for (int i = st.ind; i < argc; i++) {
        target t = {argv[i], {0}, default_form};
        if ((deref ? stat(argv[i], &t.st) : lstat(argv[i], &t.st)) != 0) {
            sh_errno(sh, errno, "cannot statx %s", sh_quote(sh, argv[i]));
            status = 1;
            continue;
        }
        sh_buf out = {0};
        format(sh, &out, fmt, &t, escapes);
        if (newline)
            sh_buf_addc(&out, '\n');
        bool ok = sh_write(sh_stdout(sh), out.data ? out.data : "", out.len);
        sh_buf_free(&out);
        if (!ok) {
            status = 1;
            break;
        }
    }
    return status;
}
