/* parse_internal.h: what the parser's files share (parse.c: the parser,
 * blanks and keywords, redirections, lists, the entry points; parse_word.c:
 * words and here-documents; parse_cmd.c: commands; parse_cond.c: [[ ]]). */
#ifndef SH_PARSE_INTERNAL_H
#define SH_PARSE_INTERNAL_H

#include "internal.h"

typedef struct {
    redir *r;
    char *delim;
    bool strip_tabs;
    int line;
} heredoc;

struct parser {
    shctx *sh;
    char *src;
    size_t len, pos;
    const char *name;
    int line;
    sh_unit *unit;
    int depth;
    bool failed;
    sh_buf err;        /* the message, without the "shell: " prefix */
    int err_line;      /* the line the message names (0: where the parser is) */
    heredoc *hd;       /* here-documents whose bodies follow the next newline */
    int nhd, hdcap;
    bool owns_src;
};

enum wmode {
    WM_NORMAL,  /* a shell word: ends at a metacharacter */
    WM_DQ,      /* inside "...": ends at '"' */
    WM_BRACE,   /* the word of ${x:-word}: ends at '}' */
    WM_PAT,     /* the pattern of ${x/pat/rep}: ends at '/' or '}' */
    WM_OFFSET,  /* ${x:off:len}: ends at ':' or '}' */
    WM_ARITH,   /* $(( ... )): ends at '))' */
    WM_ARITHFOR,/* for (( a; b; c )): ends at ';' or '))' */
    WM_HEREDOC, /* a here-document body: ends at its end */
    WM_REGEX    /* the right side of =~: ends at a blank outside parentheses */
};

static inline int pc(const parser *p)
{
    return p->pos < p->len ? (unsigned char)p->src[p->pos] : -1;
}

static inline int pc_at(const parser *p, size_t k)
{
    return p->pos + k < p->len ? (unsigned char)p->src[p->pos + k] : -1;
}

static inline bool is_meta(int c)
{
    return c == -1 || c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' ||
           c == '<' || c == '>' || c == '(' || c == ')';
}

/* parse.c */
void *ps_alloc(sh_unit *u, size_t n);
char *ps_strndup(sh_unit *u, const char *s, size_t n);
void ps_fail(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ps_fail_open(parser *p, int line, const char *what);
void ps_fail_token(parser *p);
bool ps_deeper(parser *p);
void ps_skip_blanks(parser *p);
void ps_skip_newlines(parser *p);
void ps_eat_newline(parser *p);
bool ps_at_word(parser *p, const char *kw);
bool ps_at_keyword(parser *p, const char *kw);
bool ps_eat_keyword(parser *p, const char *kw);
bool ps_expect_keyword(parser *p, const char *kw);
bool ps_at_op(parser *p, const char *op);
bool ps_at_list_end(parser *p);
node *ps_new_node(parser *p, int kind);
typedef struct {
    void **v;
    int n, cap;
} vec;
void ps_vec_push(vec *v, void *x);
void **ps_vec_finish(parser *p, vec *v);
bool ps_parse_redir(parser *p, redir **out);
bool ps_parse_redirs(parser *p, redir **head);
node *ps_and_or(parser *p);
node *ps_compound_list(parser *p);
/* parse_word.c */
word *ps_read_word(parser *p, enum wmode mode, bool dq);
word *ps_read_arith(parser *p, enum wmode mode);
node *ps_cmdsub(parser *p);
void ps_read_heredocs(parser *p);
const char *ps_word_plain(const word *w);
/* parse_cmd.c */
node *ps_command(parser *p);
/* parse_cond.c */
cond *ps_cond_or(parser *p);

#endif
