/* awk_lex.c: awk source to tokens, all at once (the parser looks ahead).
 * A '/' starts a regex unless the token before it ends an operand, as in
 * every awk. A name written right before '(' is a function call's name. */
#include "awk_lex.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    int type, sub;
} words[] = {
    {"BEGIN", T_BEGIN, 0},       {"END", T_END, 0},         {"function", T_FUNCTION, 0},
    {"func", T_FUNCTION, 0},     {"if", T_IF, 0},           {"else", T_ELSE, 0},
    {"while", T_WHILE, 0},       {"for", T_FOR, 0},         {"do", T_DO, 0},
    {"break", T_BREAK, 0},       {"continue", T_CONTINUE, 0}, {"next", T_NEXT, 0},
    {"nextfile", T_NEXTFILE, 0}, {"exit", T_EXIT, 0},       {"return", T_RETURN, 0},
    {"delete", T_DELETE, 0},     {"getline", T_GETLINE, 0}, {"print", T_PRINT, 0},
    {"printf", T_PRINTF, 0},     {"in", T_IN, 0},
    {"length", T_BUILTIN, B_LENGTH}, {"substr", T_BUILTIN, B_SUBSTR},
    {"index", T_BUILTIN, B_INDEX},   {"split", T_BUILTIN, B_SPLIT},
    {"sub", T_BUILTIN, B_SUB},       {"gsub", T_BUILTIN, B_GSUB},
    {"match", T_BUILTIN, B_MATCH},   {"sprintf", T_BUILTIN, B_SPRINTF},
    {"sin", T_BUILTIN, B_SIN},       {"cos", T_BUILTIN, B_COS},
    {"atan2", T_BUILTIN, B_ATAN2},   {"exp", T_BUILTIN, B_EXP},
    {"log", T_BUILTIN, B_LOG},       {"sqrt", T_BUILTIN, B_SQRT},
    {"int", T_BUILTIN, B_INT},       {"rand", T_BUILTIN, B_RAND},
    {"srand", T_BUILTIN, B_SRAND},   {"tolower", T_BUILTIN, B_TOLOWER},
    {"toupper", T_BUILTIN, B_TOUPPER}, {"system", T_BUILTIN, B_SYSTEM},
    {"close", T_BUILTIN, B_CLOSE},   {"fflush", T_BUILTIN, B_FFLUSH},
};

void awk_syntax_msg(shctx *sh, const char *src, size_t len, const char *name, int line, size_t off,
                    const char *msg)
{
    if (off > len)
        off = len;
    size_t ls = off;
    while (ls > 0 && src[ls - 1] != '\n')
        ls--;
    size_t le = off;
    while (le < len && src[le] != '\n')
        le++;
    /* the line as written, then a caret under the place (tabs kept, so it lines up) */
    sh_err(sh, "%s:%d: %.*s", name, line, (int)(le - ls), src + ls);
    sh_buf pad = {0};
    for (size_t i = ls; i < off; i++)
        sh_buf_addc(&pad, src[i] == '\t' ? '\t' : ' ');
    sh_err(sh, "%s:%d: %s^ %s", name, line, pad.data ? pad.data : "", msg);
    sh_buf_free(&pad);
}

void awk_unescape(sh_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 >= n) {
            sh_buf_addc(out, s[i]);
            continue;
        }
        char c = s[++i];
        switch (c) {
        case 'n': sh_buf_addc(out, '\n'); break;
        case 't': sh_buf_addc(out, '\t'); break;
        case 'r': sh_buf_addc(out, '\r'); break;
        case 'a': sh_buf_addc(out, '\a'); break;
        case 'b': sh_buf_addc(out, '\b'); break;
        case 'f': sh_buf_addc(out, '\f'); break;
        case 'v': sh_buf_addc(out, '\v'); break;
        case '\\': sh_buf_addc(out, '\\'); break;
        case '"': sh_buf_addc(out, '"'); break;
        case '/': sh_buf_addc(out, '/'); break;
        default:
            if (c >= '0' && c <= '7') {
                int v = 0, k = 0;
                while (k < 3 && i < n && s[i] >= '0' && s[i] <= '7') {
                    v = v * 8 + (s[i] - '0');
                    i++, k++;
                }
                i--;
                sh_buf_addc(out, (char)v);
            } else {
                /* unknown: kept whole, so "\." reaches a regex as \. */
                sh_buf_addc(out, '\\');
                sh_buf_addc(out, c);
            }
        }
    }
}

/* Does a token of this type end an operand (so '/' after it divides)? */
static bool ends_operand(int t)
{
    return t == T_NUMBER || t == T_STRING || t == T_ERE || t == T_NAME || t == T_BUILTIN ||
           t == T_RPAREN || t == T_RBRACKET || t == T_DOLLAR || t == T_INCR || t == T_DECR;
}

void awk_tokens_free(atoken *t, size_t n)
{
    if (!t)
        return;
    for (size_t i = 0; i < n; i++)
        free(t[i].text);
    free(t);
}

typedef struct {
    shctx *sh;
    const char *src, *name;
    size_t len, pos;
    int line;
    atoken *v;
    size_t n, cap;
} lexer;

static atoken *push(lexer *L, int type, size_t start)
{
    if (L->n == L->cap) {
        L->cap = L->cap ? L->cap * 2 : 64;
        L->v = sh_realloc(L->v, L->cap * sizeof *L->v);
    }
    atoken *t = &L->v[L->n++];
    memset(t, 0, sizeof *t);
    t->type = type;
    t->line = L->line;
    t->off = start;
    return t;
}

static bool lex_error(lexer *L, size_t off, const char *msg)
{
    awk_syntax_msg(L->sh, L->src, L->len, L->name, L->line, off, msg);
    return false;
}

/* A string literal (after its opening quote). */
static bool lex_string(lexer *L, size_t start)
{
    size_t i = L->pos;
    while (i < L->len && L->src[i] != '"') {
        if (L->src[i] == '\n')
            return lex_error(L, start, "unterminated string");
        if (L->src[i] == '\\' && i + 1 < L->len) {
            if (L->src[i + 1] == '\n')
                L->line++;
            i++;
        }
        i++;
    }
    if (i >= L->len)
        return lex_error(L, start, "unterminated string");
    sh_buf b = {0};
    /* backslash-newline inside a string continues it */
    sh_buf raw = {0};
    for (size_t k = L->pos; k < i; k++) {
        if (L->src[k] == '\\' && k + 1 < i && L->src[k + 1] == '\n') {
            k++;
            continue;
        }
        sh_buf_addc(&raw, L->src[k]);
    }
    awk_unescape(&b, raw.data ? raw.data : "", raw.len);
    sh_buf_free(&raw);
    atoken *t = push(L, T_STRING, start);
    t->len = b.len;
    t->text = sh_buf_take(&b);
    L->pos = i + 1;
    return true;
}

/* A regex literal (after its opening slash): kept as written, but "\/" is
 * a slash. Brackets may hold an unescaped '/'. */
static bool lex_ere(lexer *L, size_t start)
{
    sh_buf b = {0};
    size_t i = L->pos;
    bool in_br = false;
    for (;;) {
        if (i >= L->len || L->src[i] == '\n') {
            sh_buf_free(&b);
            return lex_error(L, start, "unterminated regexp");
        }
        char c = L->src[i];
        if (c == '\\' && i + 1 < L->len && L->src[i + 1] != '\n') {
            if (L->src[i + 1] == '/') {
                sh_buf_addc(&b, '/');
            } else {
                sh_buf_addc(&b, '\\');
                sh_buf_addc(&b, L->src[i + 1]);
            }
            i += 2;
            continue;
        }
        if (!in_br && c == '/')
            break;
        if (!in_br && c == '[') {
            in_br = true;
            sh_buf_addc(&b, c);
            i++;
            if (i < L->len && L->src[i] == '^')
                sh_buf_addc(&b, L->src[i++]);
            if (i < L->len && L->src[i] == ']')
                sh_buf_addc(&b, L->src[i++]);
            continue;
        }
        if (in_br && c == '[' && i + 1 < L->len && (L->src[i + 1] == ':' || L->src[i + 1] == '.' ||
                                                   L->src[i + 1] == '=')) {
            /* [:alpha:] inside brackets: copied to its closing ":]" */
            char d = L->src[i + 1];
            size_t k = i + 2;
            while (k + 1 < L->len && L->src[k] != '\n' && !(L->src[k] == d && L->src[k + 1] == ']'))
                k++;
            if (k + 1 < L->len && L->src[k] == d) {
                sh_buf_add(&b, L->src + i, k + 2 - i);
                i = k + 2;
                continue;
            }
        }
        if (in_br && c == ']')
            in_br = false;
        sh_buf_addc(&b, c);
        i++;
    }
    atoken *t = push(L, T_ERE, start);
    t->len = b.len;
    t->text = b.data ? sh_buf_take(&b) : sh_strdup("");
    L->pos = i + 1;
    return true;
}

static void lex_number(lexer *L, size_t start)
{
    size_t i = L->pos;
    while (i < L->len && isdigit((unsigned char)L->src[i]))
        i++;
    if (i < L->len && L->src[i] == '.') {
        i++;
        while (i < L->len && isdigit((unsigned char)L->src[i]))
            i++;
    }
    if (i < L->len && (L->src[i] == 'e' || L->src[i] == 'E')) {
        size_t k = i + 1;
        if (k < L->len && (L->src[k] == '+' || L->src[k] == '-'))
            k++;
        if (k < L->len && isdigit((unsigned char)L->src[k])) {
            while (k < L->len && isdigit((unsigned char)L->src[k]))
                k++;
            i = k;
        }
    }
    atoken *t = push(L, T_NUMBER, start);
    t->num = awk_str_to_num(L->src + start, i - start);
    L->pos = i;
}

static void lex_name(lexer *L, size_t start)
{
    size_t i = L->pos;
    while (i < L->len && (isalnum((unsigned char)L->src[i]) || L->src[i] == '_'))
        i++;
    size_t n = i - start;
    int type = T_NAME, sub = 0;
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        if (strlen(words[k].name) == n && !memcmp(words[k].name, L->src + start, n)) {
            type = words[k].type;
            sub = words[k].sub;
            break;
        }
    if (type == T_NAME && i < L->len && L->src[i] == '(')
        type = T_FUNC_NAME;
    atoken *t = push(L, type, start);
    t->sub = sub;
    t->text = sh_strndup(L->src + start, n);
    t->len = n;
    L->pos = i;
}

/* Operators: longest first. */
static const struct {
    const char *s;
    int type;
} ops[] = {
    {"**=", T_POW_ASSIGN}, {"+=", T_ADD_ASSIGN}, {"-=", T_SUB_ASSIGN}, {"*=", T_MUL_ASSIGN},
    {"/=", T_DIV_ASSIGN},  {"%=", T_MOD_ASSIGN}, {"^=", T_POW_ASSIGN}, {"||", T_OR},
    {"&&", T_AND},         {"==", T_EQ},         {"<=", T_LE},         {">=", T_GE},
    {"!=", T_NE},          {"++", T_INCR},       {"--", T_DECR},       {">>", T_APPEND},
    {"!~", T_NOMATCH},     {"**", T_CARET},      {"=", T_ASSIGN},      {"<", T_LT},
    {">", T_GT},           {"|", T_PIPE},        {"+", T_PLUS},        {"-", T_MINUS},
    {"*", T_STAR},         {"/", T_SLASH},       {"%", T_PERCENT},     {"^", T_CARET},
    {"!", T_NOT},          {"~", T_MATCH},       {"?", T_QUEST},       {":", T_COLON},
    {"$", T_DOLLAR},       {"{", T_LBRACE},      {"}", T_RBRACE},      {"(", T_LPAREN},
    {")", T_RPAREN},       {"[", T_LBRACKET},    {"]", T_RBRACKET},    {";", T_SEMI},
    {",", T_COMMA},
};

atoken *awk_lex(shctx *sh, const char *src, size_t len, const char *name, size_t *ntok)
{
    lexer L = {sh, src, name, len, 0, 1, NULL, 0, 0};
    while (L.pos < len) {
        char c = src[L.pos];
        size_t start = L.pos;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            L.pos++;
        } else if (c == '\\' && L.pos + 1 < len && src[L.pos + 1] == '\n') {
            L.pos += 2;
            L.line++;
        } else if (c == '\\' && L.pos + 2 < len && src[L.pos + 1] == '\r' && src[L.pos + 2] == '\n') {
            L.pos += 3;
            L.line++;
        } else if (c == '#') {
            while (L.pos < len && src[L.pos] != '\n')
                L.pos++;
        } else if (c == '\n') {
            push(&L, T_NEWLINE, start);
            L.pos++;
            L.line++;
        } else if (c == '"') {
            L.pos++;
            if (!lex_string(&L, start))
                goto fail;
        } else if (c == '/' && !(L.n && ends_operand(L.v[L.n - 1].type))) {
            L.pos++;
            if (!lex_ere(&L, start))
                goto fail;
        } else if (isdigit((unsigned char)c) ||
                   (c == '.' && L.pos + 1 < len && isdigit((unsigned char)src[L.pos + 1]))) {
            lex_number(&L, start);
        } else if (isalpha((unsigned char)c) || c == '_') {
            lex_name(&L, start);
        } else {
            size_t k;
            for (k = 0; k < sizeof ops / sizeof ops[0]; k++) {
                size_t n = strlen(ops[k].s);
                if (L.pos + n <= len && !memcmp(src + L.pos, ops[k].s, n))
                    break;
            }
            if (k == sizeof ops / sizeof ops[0]) {
                char msg[64];
                if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
                    snprintf(msg, sizeof msg, "invalid char '%c' in expression", c);
                else
                    snprintf(msg, sizeof msg, "invalid char '\\%03o' in expression", (unsigned char)c);
                lex_error(&L, start, msg);
                goto fail;
            }
            push(&L, ops[k].type, start);
            L.pos += strlen(ops[k].s);
        }
    }
    push(&L, T_EOF, len);
    /* columns for the caret are computed when a message needs them */
    *ntok = L.n;
    return L.v;
fail:
    awk_tokens_free(L.v, L.n);
    return NULL;
}
