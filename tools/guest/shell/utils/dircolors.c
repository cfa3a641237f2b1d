/* dircolors: GNU's. Prints the shell commands that set LS_COLORS from the
 * default database (below) or from FILE: -b/--sh Bourne shell, -c/--csh C
 * shell (from SHELL when neither is given), -p/--print-database the
 * database itself, --print-ls-colors one colored line per entry. Entries
 * apply when a TERM (or COLORTERM) line before them matches the
 * environment's TERM (COLORTERM), as in GNU's. The sandbox changes
 * nothing: ls here never colors, but a script may still eval this. */
#include "../shell.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* GNU coreutils 9.1's default database, as `dircolors -p` prints it (its
 * notice permits copying it). */
static const char default_db[] =
    "# Configuration file for dircolors, a utility to help you set the\n"
    "# LS_COLORS environment variable used by GNU ls with the --color option.\n"
    "# Copyright (C) 1996-2022 Free Software Foundation, Inc.\n"
    "# Copying and distribution of this file, with or without modification,\n"
    "# are permitted provided the copyright notice and this notice are preserved.\n"
    "# The keywords COLOR, OPTIONS, and EIGHTBIT (honored by the\n"
    "# slackware version of dircolors) are recognized but ignored.\n"
    "# Global config options can be specified before TERM or COLORTERM entries\n"
    "# Below are TERM or COLORTERM entries, which can be glob patterns, which\n"
    "# restrict following config to systems with matching environment variables.\n"
    "COLORTERM ?*\n"
    "TERM Eterm\n"
    "TERM ansi\n"
    "TERM *color*\n"
    "TERM con[0-9]*x[0-9]*\n"
    "TERM cons25\n"
    "TERM console\n"
    "TERM cygwin\n"
    "TERM *direct*\n"
    "TERM dtterm\n"
    "TERM gnome\n"
    "TERM hurd\n"
    "TERM jfbterm\n"
    "TERM konsole\n"
    "TERM kterm\n"
    "TERM linux\n"
    "TERM linux-c\n"
    "TERM mlterm\n"
    "TERM putty\n"
    "TERM rxvt*\n"
    "TERM screen*\n"
    "TERM st\n"
    "TERM terminator\n"
    "TERM tmux*\n"
    "TERM vt100\n"
    "TERM xterm*\n"
    "# Below are the color init strings for the basic file types.\n"
    "# One can use codes for 256 or more colors supported by modern terminals.\n"
    "# The default color codes use the capabilities of an 8 color terminal\n"
    "# with some additional attributes as per the following codes:\n"
    "# Attribute codes:\n"
    "# 00=none 01=bold 04=underscore 05=blink 07=reverse 08=concealed\n"
    "# Text color codes:\n"
    "# 30=black 31=red 32=green 33=yellow 34=blue 35=magenta 36=cyan 37=white\n"
    "# Background color codes:\n"
    "# 40=black 41=red 42=green 43=yellow 44=blue 45=magenta 46=cyan 47=white\n"
    "#NORMAL 00 # no color code at all\n"
    "#FILE 00 # regular file: use no color at all\n"
    "RESET 0 # reset to \"normal\" color\n"
    "DIR 01;34 # directory\n"
    "LINK 01;36 # symbolic link. (If you set this to 'target' instead of a\n"
    " # numerical value, the color is as for the file pointed to.)\n"
    "MULTIHARDLINK 00 # regular file with more than one link\n"
    "FIFO 40;33 # pipe\n"
    "SOCK 01;35 # socket\n"
    "DOOR 01;35 # door\n"
    "BLK 40;33;01 # block device driver\n"
    "CHR 40;33;01 # character device driver\n"
    "ORPHAN 40;31;01 # symlink to nonexistent file, or non-stat'able file ...\n"
    "MISSING 00 # ... and the files they point to\n"
    "SETUID 37;41 # file that is setuid (u+s)\n"
    "SETGID 30;43 # file that is setgid (g+s)\n"
    "CAPABILITY 00 # file with capability (very expensive to lookup)\n"
    "STICKY_OTHER_WRITABLE 30;42 # dir that is sticky and other-writable (+t,o+w)\n"
    "OTHER_WRITABLE 34;42 # dir that is other-writable (o+w) and not sticky\n"
    "STICKY 37;44 # dir with the sticky bit set (+t) and not other-writable\n"
    "# This is for files with execute permission:\n"
    "EXEC 01;32\n"
    "# List any file extensions like '.gz' or '.tar' that you would like ls\n"
    "# to color below. Put the extension, a space, and the color init string.\n"
    "# (and any comments you want to add after a '#')\n"
    "# If you use DOS-style suffixes, you may want to uncomment the following:\n"
    "#.cmd 01;32 # executables (bright green)\n"
    "#.exe 01;32\n"
    "#.com 01;32\n"
    "#.btm 01;32\n"
    "#.bat 01;32\n"
    "# Or if you want to color scripts even if they do not have the\n"
    "# executable bit actually set.\n"
    "#.sh 01;32\n"
    "#.csh 01;32\n"
    " # archives or compressed (bright red)\n"
    ".tar 01;31\n"
    ".tgz 01;31\n"
    ".arc 01;31\n"
    ".arj 01;31\n"
    ".taz 01;31\n"
    ".lha 01;31\n"
    ".lz4 01;31\n"
    ".lzh 01;31\n"
    ".lzma 01;31\n"
    ".tlz 01;31\n"
    ".txz 01;31\n"
    ".tzo 01;31\n"
    ".t7z 01;31\n"
    ".zip 01;31\n"
    ".z 01;31\n"
    ".dz 01;31\n"
    ".gz 01;31\n"
    ".lrz 01;31\n"
    ".lz 01;31\n"
    ".lzo 01;31\n"
    ".xz 01;31\n"
    ".zst 01;31\n"
    ".tzst 01;31\n"
    ".bz2 01;31\n"
    ".bz 01;31\n"
    ".tbz 01;31\n"
    ".tbz2 01;31\n"
    ".tz 01;31\n"
    ".deb 01;31\n"
    ".rpm 01;31\n"
    ".jar 01;31\n"
    ".war 01;31\n"
    ".ear 01;31\n"
    ".sar 01;31\n"
    ".rar 01;31\n"
    ".alz 01;31\n"
    ".ace 01;31\n"
    ".zoo 01;31\n"
    ".cpio 01;31\n"
    ".7z 01;31\n"
    ".rz 01;31\n"
    ".cab 01;31\n"
    ".wim 01;31\n"
    ".swm 01;31\n"
    ".dwm 01;31\n"
    ".esd 01;31\n"
    "# image formats\n"
    ".avif 01;35\n"
    ".jpg 01;35\n"
    ".jpeg 01;35\n"
    ".mjpg 01;35\n"
    ".mjpeg 01;35\n"
    ".gif 01;35\n"
    ".bmp 01;35\n"
    ".pbm 01;35\n"
    ".pgm 01;35\n"
    ".ppm 01;35\n"
    ".tga 01;35\n"
    ".xbm 01;35\n"
    ".xpm 01;35\n"
    ".tif 01;35\n"
    ".tiff 01;35\n"
    ".png 01;35\n"
    ".svg 01;35\n"
    ".svgz 01;35\n"
    ".mng 01;35\n"
    ".pcx 01;35\n"
    ".mov 01;35\n"
    ".mpg 01;35\n"
    ".mpeg 01;35\n"
    ".m2v 01;35\n"
    ".mkv 01;35\n"
    ".webm 01;35\n"
    ".webp 01;35\n"
    ".ogm 01;35\n"
    ".mp4 01;35\n"
    ".m4v 01;35\n"
    ".mp4v 01;35\n"
    ".vob 01;35\n"
    ".qt 01;35\n"
    ".nuv 01;35\n"
    ".wmv 01;35\n"
    ".asf 01;35\n"
    ".rm 01;35\n"
    ".rmvb 01;35\n"
    ".flc 01;35\n"
    ".avi 01;35\n"
    ".fli 01;35\n"
    ".flv 01;35\n"
    ".gl 01;35\n"
    ".dl 01;35\n"
    ".xcf 01;35\n"
    ".xwd 01;35\n"
    ".yuv 01;35\n"
    ".cgm 01;35\n"
    ".emf 01;35\n"
    "# https://wiki.xiph.org/MIME_Types_and_File_Extensions\n"
    ".ogv 01;35\n"
    ".ogx 01;35\n"
    "# audio formats\n"
    ".aac 00;36\n"
    ".au 00;36\n"
    ".flac 00;36\n"
    ".m4a 00;36\n"
    ".mid 00;36\n"
    ".midi 00;36\n"
    ".mka 00;36\n"
    ".mp3 00;36\n"
    ".mpc 00;36\n"
    ".ogg 00;36\n"
    ".ra 00;36\n"
    ".wav 00;36\n"
    "# https://wiki.xiph.org/MIME_Types_and_File_Extensions\n"
    ".oga 00;36\n"
    ".opus 00;36\n"
    ".spx 00;36\n"
    ".xspf 00;36\n"
    "# backup files\n"
    "*~ 00;90\n"
    "*# 00;90\n"
    ".bak 00;90\n"
    ".old 00;90\n"
    ".orig 00;90\n"
    ".part 00;90\n"
    ".rej 00;90\n"
    ".swp 00;90\n"
    ".tmp 00;90\n"
    ".dpkg-dist 00;90\n"
    ".dpkg-old 00;90\n"
    ".ucf-dist 00;90\n"
    ".ucf-new 00;90\n"
    ".ucf-old 00;90\n"
    ".rpmnew 00;90\n"
    ".rpmorig 00;90\n"
    ".rpmsave 00;90\n"
    "# Subsequent TERM or COLORTERM entries, can be used to add / override\n"
    "# config specific to those matching environment variables.\n";

/* The database's keywords and the two letters LS_COLORS has for each. */
static const char *const keywords[] = {
    "NORMAL", "NORM", "FILE", "RESET", "DIR", "LNK", "LINK", "SYMLINK", "ORPHAN", "MISSING", "FIFO", "PIPE",
    "SOCK", "BLK", "BLOCK", "CHR", "CHAR", "DOOR", "EXEC", "LEFT", "LEFTCODE", "RIGHT", "RIGHTCODE", "END",
    "ENDCODE", "SUID", "SETUID", "SGID", "SETGID", "STICKY", "OTHER_WRITABLE", "OWR",
    "STICKY_OTHER_WRITABLE", "OWT", "CAPABILITY", "MULTIHARDLINK", "CLRTOEOL", NULL};
static const char *const codes[] = {
    "no", "no", "fi", "rs", "di", "ln", "ln", "ln", "or", "mi", "pi", "pi", "so", "bd", "bd", "cd", "cd", "do",
    "ex", "lc", "lc", "rc", "rc", "ec", "ec", "su", "su", "sg", "sg", "st", "ow", "ow", "tw", "tw", "ca", "mh",
    "cl"};

typedef struct {
    shctx *sh;
    bool print_ls_colors;
    sh_buf out;
} dcstate;

static bool is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* "KEYWORD ARG # comment": keyword and arg (NULL when missing). */
static void parse_line(const char *p, char **keyword, char **arg)
{
    *keyword = *arg = NULL;
    while (is_space(*p))
        p++;
    if (!*p || *p == '#')
        return;
    const char *k = p;
    while (*p && !is_space(*p))
        p++;
    *keyword = sh_strndup(k, (size_t)(p - k));
    if (!*p)
        return;
    do
        p++;
    while (is_space(*p));
    if (!*p || *p == '#')
        return;
    const char *a = p;
    while (*p && *p != '#')
        p++;
    for (--p; is_space(*p); --p)
        ;
    *arg = sh_strndup(a, (size_t)(p + 1 - a));
}

/* One entry: "PREFIX ITEM=ARG:" with ' quoted for the shell, or a colored
 * line for --print-ls-colors. */
static void append_entry(dcstate *d, char prefix, const char *item, const char *arg)
{
    if (d->print_ls_colors) {
        sh_buf_printf(&d->out, "\033[%sm", arg);
        if (prefix)
            sh_buf_addc(&d->out, prefix);
        sh_buf_printf(&d->out, "%s\t%s\033[0m\n", item, arg);
        return;
    }
    if (prefix)
        sh_buf_addc(&d->out, prefix);
    sh_buf_adds(&d->out, item);
    sh_buf_addc(&d->out, '=');
    for (const char *p = arg; *p; p++) {
        if (*p == '\'')
            sh_buf_adds(&d->out, "'\\''");
        else
            sh_buf_addc(&d->out, *p);
    }
    sh_buf_addc(&d->out, ':');
}

/* The database text; false after a message about a bad line. */
static bool parse_db(dcstate *d, const char *text, size_t len, const char *name)
{
    enum { GLOBAL, TERMNO, TERMYES, TERMSURE } state = GLOBAL;
    const char *term = sh_getenv(d->sh, "TERM"), *colorterm = sh_getenv(d->sh, "COLORTERM");
    if (!term || !*term)
        term = "none";
    if (!colorterm)
        colorterm = "";
    bool ok = true;
    unsigned long lineno = 0;
    for (size_t i = 0; i < len;) {
        const char *e = memchr(text + i, '\n', len - i);
        size_t end = e ? (size_t)(e - text) : len;
        char *line = sh_strndup(text + i, end - i);
        i = end + 1;
        lineno++;
        char *kw, *arg;
        parse_line(line, &kw, &arg);
        free(line);
        if (!kw)
            continue;
        if (!arg) {
            sh_err(d->sh, "%s:%lu: invalid line;  missing second token", name, lineno);
            ok = false;
            free(kw);
            continue;
        }
        bool unrecognized = false;
        if (!strcasecmp(kw, "TERM")) {
            if (state != TERMSURE)
                state = fnmatch(arg, term, 0) == 0 ? TERMSURE : TERMNO;
        } else if (!strcasecmp(kw, "COLORTERM")) {
            if (state != TERMSURE)
                state = fnmatch(arg, colorterm, 0) == 0 ? TERMSURE : TERMNO;
        } else {
            if (state == TERMSURE)
                state = TERMYES; /* another TERM line may start a new group */
            if (state != TERMNO) {
                if (kw[0] == '.')
                    append_entry(d, '*', kw, arg);
                else if (kw[0] == '*')
                    append_entry(d, 0, kw, arg);
                else if (!strcasecmp(kw, "OPTIONS") || !strcasecmp(kw, "COLOR") || !strcasecmp(kw, "EIGHTBIT"))
                    ; /* recognized, ignored */
                else {
                    int k = 0;
                    while (keywords[k] && strcasecmp(kw, keywords[k]))
                        k++;
                    if (keywords[k])
                        append_entry(d, 0, codes[k], arg);
                    else
                        unrecognized = true;
                }
            }
            if (unrecognized && (state == TERMSURE || state == TERMYES)) {
                sh_err(d->sh, "%s:%lu: unrecognized keyword %s", name, lineno, kw);
                ok = false;
            }
        }
        free(kw);
        free(arg);
    }
    return ok;
}

int util_dircolors(shctx *sh, int argc, char **argv)
{
    enum { PRINT_LS_COLORS = 256 };
    static const sh_longopt lo[] = {{"bourne-shell", SH_NO_ARG, 'b'}, {"sh", SH_NO_ARG, 'b'},
                                    {"csh", SH_NO_ARG, 'c'}, {"c-shell", SH_NO_ARG, 'c'},
                                    {"print-database", SH_NO_ARG, 'p'},
                                    {"print-ls-colors", SH_NO_ARG, PRINT_LS_COLORS},
                                    {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    enum { SHELL_UNKNOWN, SHELL_BOURNE, SHELL_C } syntax = SHELL_UNKNOWN;
    bool print_db = false;
    dcstate d = {sh, false, {0}};
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "bcp", lo)) != -1) {
        switch (c) {
        case 'b': syntax = SHELL_BOURNE; break;
        case 'c': syntax = SHELL_C; break;
        case 'p': print_db = true; break;
        case PRINT_LS_COLORS: d.print_ls_colors = true; break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: dircolors [OPTION]... [FILE]\n");
            return 0;
        default:
            return 1;
        }
    }
    int nops = argc - st.ind;
    if ((d.print_ls_colors || print_db) && syntax != SHELL_UNKNOWN) {
        sh_err(sh, "the options to output non shell syntax,\nand to select a shell syntax are mutually exclusive");
        sh_try_help(sh);
        return 1;
    }
    if (d.print_ls_colors && print_db) {
        sh_err(sh, "options --print-database and --print-ls-colors are mutually exclusive");
        sh_try_help(sh);
        return 1;
    }
    if ((!print_db && nops > 1) || (print_db && nops > 0)) {
        sh_err(sh, "extra operand %s%s", sh_quote(sh, argv[st.ind + !print_db]),
               print_db ? "\nfile operands cannot be combined with --print-database (-p)" : "");
        sh_try_help(sh);
        return 1;
    }
    if (print_db)
        return sh_write(sh_stdout(sh), default_db, sizeof default_db - 1) ? 0 : 1;
    if (!d.print_ls_colors && syntax == SHELL_UNKNOWN) {
        const char *shell = sh_getenv(sh, "SHELL");
        if (!shell || !*shell) {
            sh_err(sh, "no SHELL environment variable, and no shell type option given");
            return 1;
        }
        const char *base = strrchr(shell, '/');
        base = base ? base + 1 : shell;
        syntax = !strcmp(base, "csh") || !strcmp(base, "tcsh") ? SHELL_C : SHELL_BOURNE;
    }
    bool ok;
    if (nops == 0) {
        ok = parse_db(&d, default_db, sizeof default_db - 1, "<internal>");
    } else {
        const char *name = argv[st.ind];
        sh_stream *in = sh_input(sh, name);
        if (!in)
            return 1;
        sh_buf text = {0};
        ok = sh_read_all(in, &text, SH_NO_LIMIT);
        if (!ok)
            sh_errno(sh, errno, "%s", sh_quote_maybe(sh, name));
        sh_input_close(sh, in);
        ok = ok && parse_db(&d, text.data ? text.data : "", text.len, sh_quote_maybe(sh, name));
        sh_buf_free(&text);
    }
    if (ok) {
        sh_stream *out = sh_stdout(sh);
        if (d.print_ls_colors)
            ok = sh_write(out, d.out.data ? d.out.data : "", d.out.len);
        else if (syntax == SHELL_BOURNE)
            ok = sh_puts(out, "LS_COLORS='") && sh_write(out, d.out.data ? d.out.data : "", d.out.len) &&
                 sh_puts(out, "';\nexport LS_COLORS\n");
        else
            ok = sh_puts(out, "setenv LS_COLORS '") && sh_write(out, d.out.data ? d.out.data : "", d.out.len) &&
                 sh_puts(out, "'\n");
    }
    sh_buf_free(&d.out);
    return ok ? 0 : 1;
}
