/* pathchk: GNU's. Each name is checked for the system's limits (a name of
 * at most 4095 bytes, components of at most 255: "File name too long"); -p for POSIX's portable
 * ones (256 and 14 bytes, only A-Z a-z 0-9 . _ -, not empty); -P for
 * empty names and components starting with '-'; --portability both. The
 * names are only looked at: nothing is opened. */
#include "../shell.h"

#include <stdlib.h>
#include <string.h>

static bool check(shctx *sh, const char *name, bool posix, bool extra)
{
    size_t len = strlen(name);
    if ((extra || posix) && len == 0) {
        sh_err(sh, "empty file name");
        return false;
    }
    if (extra) {
        for (const char *p = name; *p; p++)
            if (*p == '-' && (p == name || p[-1] == '/')) {
                sh_err(sh, "leading '-' in a component of file name %s", sh_quote(sh, name));
                return false;
            }
    }
    if (posix) {
        for (const char *p = name; *p; p++) {
            unsigned char c = (unsigned char)*p;
            if (c == '/' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-')
                continue;
            char ch[2] = {*p, 0};
            sh_buf m = {0};
            sh_buf_printf(&m, "nonportable character %s", sh_quote(sh, ch));
            sh_err(sh, "%s in file name %s", m.data, sh_quote(sh, name));
            sh_buf_free(&m);
            return false;
        }
    }
    size_t max_path = posix ? 256 : 4096, max_name = posix ? 14 : 255;
    if (!posix) { /* the system's limits: what the system would say */
        size_t longest = 0;
        for (const char *p = name; *p;) {
            size_t n = strcspn(p, "/");
            longest = n > longest ? n : longest;
            p += n;
            p += strspn(p, "/");
        }
        if (len >= max_path || longest > max_name) {
            /* the whole name, as GNU prints it (sh_quote_maybe keeps a few hundred
             * bytes); quoted when it needs to be */
            bool plain = name[strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-+,:@")] == 0;
            sh_err(sh, "%s: File name too long", plain ? name : sh_quote_maybe(sh, name));
            return false;
        }
        return true;
    }
    if (len >= max_path) {
        sh_err(sh, "limit %zu exceeded by length %zu of file name %s", max_path - 1, len, sh_quote(sh, name));
        return false;
    }
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/");
        if (n > max_name) {
            char *comp = sh_strndup(p, n);
            sh_err(sh, "limit %zu exceeded by length %zu of file name component %s", max_name, n,
                   sh_quote(sh, comp));
            free(comp);
            return false;
        }
        p += n;
        while (*p == '/')
            p++;
    }
    return true;
}

int util_pathchk(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"portability", SH_NO_ARG, 'B'}, {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    bool posix = false, extra = false;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "pP", lo)) != -1) {
        switch (c) {
        case 'p': posix = true; break;
        case 'P': extra = true; break;
        case 'B': posix = extra = true; break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: pathchk [OPTION]... NAME...\nDiagnose invalid or non-portable file names.\n"
                                   "  -p  POSIX systems  -P  empty names and leading \"-\"  --portability  both\n");
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
    int status = 0;
    for (int i = st.ind; i < argc; i++)
        if (!check(sh, argv[i], posix, extra))
            status = 1;
    return status;
}
