/* find.h: the parts of the shell's find (utils/find.c walks and evaluates,
 * utils/find_parse.c reads the expression). Not a utility of its own. */
#ifndef SH_FIND_H
#define SH_FIND_H

#include "../shell.h"

#include "../../regex/regex.h"

#include <sys/stat.h>

enum fkind {
    F_AND, F_OR, F_NOT, F_COMMA, F_TRUE, F_FALSE,
    F_NAME, F_PATH, F_REGEX, F_TYPE, F_TIME, F_NEWER, F_SIZE, F_EMPTY, F_LINKS, F_INUM,
    F_READABLE, F_WRITABLE, F_EXECUTABLE,
    F_PRUNE, F_QUIT, F_PRINT, F_PRINT0, F_PRINTF, F_DELETE, F_EXEC, F_EXEC_PLUS, F_LS
};

/* How a number compares: +N more than, -N less than, N exactly. */
typedef struct {
    int cmp; /* '+', '-', '=' */
    int64_t n;
} fnum;

typedef struct fnode {
    int kind;
    struct fnode *l, *r;  /* operands of and, or, not, comma */
    char *pat;            /* -name -path: the pattern; -printf: the format */
    bool icase;           /* -iname -ipath -iregex */
    rx_prog *re;          /* -regex */
    char types[8];        /* -type: the letters */
    char which;           /* -[amc]time -[amc]min -newer[XY]: 'a', 'm' or 'c' */
    bool minutes;         /* -mmin rather than -mtime */
    fnum num;             /* -mtime -size -links -inum */
    int64_t unit;         /* -size: bytes per unit */
    int64_t ref_sec;      /* -newer: the reference time */
    long ref_nsec;
    char **argv;          /* -exec: the command, "{}" in place */
    int argc;
    /* -exec ... {} +: the paths gathered so far */
    char **batch;
    size_t nbatch, batch_bytes;
} fnode;

typedef struct {
    fnode *root;
    bool has_action;      /* an action other than -prune/-quit: no implicit -print */
    bool depth_first;     /* -depth, -delete */
    int maxdepth, mindepth; /* -1: none */
    int follow;           /* 0 -P, 1 -H, 2 -L */
    char **starts;
    int nstarts;
    int64_t now_sec;      /* when find started, for -mtime and the like */
    long now_nsec;
    bool daystart;
    bool regex_ere;       /* -regextype posix-extended/egrep: -regex is an ERE */
    fnode **all;          /* every node, to free */
    size_t nall;
} fexpr;

/* Reads argv (after the utility name) into e. false after GNU's message. */
bool find_parse(shctx *sh, fexpr *e, int argc, char **argv);
void find_free(fexpr *e);

#endif
