/* sed.h: the parts of the shell's sed (utils/sed.c runs a script,
 * utils/sed_parse.c reads one). Not a utility of its own. */
#ifndef SH_SED_H
#define SH_SED_H

#include "../shell.h"

#include "../../regex/regex.h"

/* A compiled regex; NULL in an address or s command means "the last regex
 * used" (an empty //), as in GNU sed. */
typedef struct {
    rx_prog *prog;
} sed_re;

enum { SA_NONE, SA_LINE, SA_LAST, SA_RE, SA_STEP, SA_PLUS, SA_TILDE, SA_ZERO };

typedef struct {
    int kind;
    long n, step;   /* SA_LINE n; SA_STEP first~step; SA_PLUS/SA_TILDE n */
    rx_prog *re;    /* SA_RE (NULL: the last regex) */
} sed_addr;

/* One part of an s replacement. */
enum { RP_LIT, RP_GROUP, RP_CASE };
typedef struct {
    int kind;
    size_t off, len; /* RP_LIT: bytes of repl_text */
    int group;       /* RP_GROUP: 0 (&) to 9; RP_CASE: 'L' 'U' 'l' 'u' 'E' */
} sed_rpart;

typedef struct {
    sed_addr a1, a2;
    int naddr;
    bool negate;
    char cmd;
    /* range state, reset per run */
    bool in_range;
    long range_end; /* line where an SA_PLUS range ends */
    /* arguments */
    char *text;     /* a i c: the text; b t T : label; r R w W: file name */
    size_t text_len;
    long num;       /* q Q: exit code; l: line length; s: which match (0: first) */
    int jump;       /* b t T: the index to go to (-1: end of script); { : the matching } */
    /* s */
    rx_prog *re;    /* NULL: the last regex */
    sed_rpart *repl; /* the replacement; its literal bytes are in text */
    size_t nrepl;
    size_t ncaps;    /* groups the replacement uses, + 1: the VM tracks no more */
    bool global, print;
    int wfile;      /* index of an output file (w, W, s///w), -1 none */
    /* y */
    unsigned char *ymap; /* 256 bytes */
} sed_cmd;

typedef struct {
    char *name;
    sh_stream *s;
    bool missing_newline; /* the last write lacked its newline (GNU adds it before the next) */
} sed_out;

typedef struct {
    sed_cmd *cmds;
    size_t ncmds;
    sed_out *outs;   /* files of w commands, opened when the script is read */
    size_t nouts;
    bool ere, zero;  /* -E, -z */
    rx_prog **progs; /* every compiled regex, to free */
    size_t nprogs;
} sed_script;

/* Reads the script (the -e pieces joined by newlines; where[i] names piece i
 * for messages: "-e expression #1" or "file x"). piece_start[i] is where
 * piece i starts in text. false after printing GNU's message. */
bool sed_parse(shctx *sh, sed_script *sc, const char *text, size_t len, char **where,
               size_t *piece_start, size_t npieces);
void sed_script_free(shctx *sh, sed_script *sc);

#endif
