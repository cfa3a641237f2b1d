/* awk_lex.h: awk's tokens, between awk_lex.c and awk_parse.c. */
#ifndef SH_AWK_LEX_H
#define SH_AWK_LEX_H

#include "awk.h"

enum {
    T_EOF, T_NEWLINE, T_LBRACE, T_RBRACE, T_LPAREN, T_RPAREN, T_LBRACKET, T_RBRACKET, T_SEMI,
    T_COMMA, T_NUMBER, T_STRING, T_ERE, T_NAME, T_FUNC_NAME, T_BUILTIN,
    /* keywords */
    T_BEGIN, T_END, T_FUNCTION, T_IF, T_ELSE, T_WHILE, T_FOR, T_DO, T_BREAK, T_CONTINUE,
    T_NEXT, T_NEXTFILE, T_EXIT, T_RETURN, T_DELETE, T_GETLINE, T_PRINT, T_PRINTF, T_IN,
    /* operators */
    T_ADD_ASSIGN, T_SUB_ASSIGN, T_MUL_ASSIGN, T_DIV_ASSIGN, T_MOD_ASSIGN, T_POW_ASSIGN,
    T_ASSIGN, T_OR, T_AND, T_EQ, T_LE, T_GE, T_NE, T_LT, T_GT, T_INCR, T_DECR, T_APPEND,
    T_PIPE, T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT, T_CARET, T_NOT, T_MATCH,
    T_NOMATCH, T_QUEST, T_COLON, T_DOLLAR
};

typedef struct {
    int type;
    int sub;         /* T_BUILTIN: B_*; */
    int line, col;   /* col: byte offset in its line, for the caret */
    size_t off;      /* where it starts in the source */
    double num;
    char *text;      /* names; strings with escapes done; ERE text as written */
    size_t len;
} atoken;

/* The tokens of src (ending with T_EOF), or NULL after printing the error. */
atoken *awk_lex(shctx *sh, const char *src, size_t len, const char *name, size_t *ntok);
void awk_tokens_free(atoken *t, size_t n);
/* Prints "awk: NAME:LINE: TEXT-OF-LINE" and the caret line with msg. */
void awk_syntax_msg(shctx *sh, const char *src, size_t len, const char *name, int line, size_t off,
                    const char *msg);

#endif
