/* The tolerant HTML tokenizer (html_tok.h). Every branch consumes at least
 * one byte or ends the input, and every search is a forward scan from the
 * current position, so the whole input is read once. */
#include <string.h>

#include "html_tok.h"

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* s[0..n) equals the lower-case name, ignoring ASCII case. */
static bool same_name(const char *s, size_t n, const char *name)
{
    size_t k = strlen(name);
    if (n != k)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(s[i]) != name[i])
            return false;
    return true;
}

void ht_init(ht_tokenizer *t, const char *s, size_t n)
{
    memset(t, 0, sizeof *t);
    t->s = s;
    t->n = n;
}

const ht_attr *ht_attr_get(const ht_token *tok, const char *name)
{
    for (size_t i = 0; i < tok->nattrs; i++)
        if (same_name(tok->attrs[i].name, tok->attrs[i].name_len, name))
            return &tok->attrs[i];
    return NULL;
}

/* Does the '<' at i start markup (a tag, an end tag, a comment, a doctype,
 * a processing instruction)? Otherwise it is text, as in HTML. */
static bool markup_at(const ht_tokenizer *t, size_t i)
{
    if (i + 1 >= t->n)
        return false;
    char c = t->s[i + 1];
    return is_alpha(c) || c == '/' || c == '!' || c == '?';
}

static void text_token(ht_token *tok, const char *s, size_t n, bool raw)
{
    tok->kind = HT_TEXT;
    tok->text = s;
    tok->text_len = n;
    tok->raw = raw;
}

/* Skips to just past the next '>' (bogus comments, doctypes, "<?...>"). */
static void skip_past_gt(ht_tokenizer *t)
{
    const char *gt = memchr(t->s + t->pos, '>', t->n - t->pos);
    t->pos = gt ? (size_t)(gt - t->s) + 1 : t->n;
}

/* t->pos is just after "<!--". */
static void skip_comment(ht_tokenizer *t)
{
    const char *s = t->s;
    size_t n = t->n, i = t->pos;
    if (i < n && s[i] == '>') { /* "<!-->" */
        t->pos = i + 1;
        return;
    }
    if (i + 1 < n && s[i] == '-' && s[i + 1] == '>') { /* "<!--->" */
        t->pos = i + 2;
        return;
    }
    while (i < n) {
        const char *d = memchr(s + i, '-', n - i);
        if (!d)
            break;
        i = (size_t)(d - s);
        if (i + 2 < n && s[i + 1] == '-' && s[i + 2] == '>') {
            t->pos = i + 3;
            return;
        }
        if (i + 3 < n && s[i + 1] == '-' && s[i + 2] == '!' && s[i + 3] == '>') {
            t->pos = i + 4;
            return;
        }
        i++;
    }
    t->pos = n; /* an unclosed comment runs to the end, as in HTML */
}

/* The end of the raw text of element t->until: the index of the '<' of
 * "</name" followed by white space, '/' or '>', or n. */
static size_t raw_text_end(const ht_tokenizer *t)
{
    size_t k = strlen(t->until);
    for (size_t i = t->pos; i < t->n;) {
        const char *lt = memchr(t->s + i, '<', t->n - i);
        if (!lt)
            break;
        i = (size_t)(lt - t->s);
        if (i + 2 + k < t->n && t->s[i + 1] == '/' && same_name(t->s + i + 2, k, t->until)) {
            char c = t->s[i + 2 + k];
            if (is_ws(c) || c == '/' || c == '>')
                return i;
        }
        i++;
    }
    return t->n;
}

static void skip_ws(ht_tokenizer *t)
{
    while (t->pos < t->n && is_ws(t->s[t->pos]))
        t->pos++;
}

static void add_attr(ht_token *tok, const char *name, size_t nl, const char *value, size_t vl)
{
    for (size_t i = 0; i < tok->nattrs; i++) {
        const ht_attr *a = &tok->attrs[i];
        if (a->name_len != nl)
            continue;
        size_t k = 0;
        while (k < nl && lower(a->name[k]) == lower(name[k]))
            k++;
        if (k == nl)
            return; /* a repeated attribute is ignored */
    }
    if (tok->nattrs < HT_MAX_ATTRS)
        tok->attrs[tok->nattrs++] = (ht_attr){name, nl, value, vl};
}

/* t->pos is at the first letter of the name. False when the input ends
 * inside the tag: HTML drops such a tag. */
static bool read_tag(ht_tokenizer *t, ht_token *tok)
{
    const char *s = t->s;
    size_t n = t->n, len = 0;
    while (t->pos < n && !is_ws(s[t->pos]) && s[t->pos] != '/' && s[t->pos] != '>') {
        if (len < HT_NAME_MAX)
            tok->name[len++] = lower(s[t->pos]);
        t->pos++;
    }
    tok->name[len] = 0;
    for (;;) {
        skip_ws(t);
        if (t->pos >= n)
            return false;
        char c = s[t->pos];
        if (c == '>') {
            t->pos++;
            return true;
        }
        if (c == '/') {
            t->pos++;
            if (t->pos < n && s[t->pos] == '>') {
                tok->self_closing = true;
                t->pos++;
                return true;
            }
            continue;
        }
        size_t name = t->pos++; /* the first character may be '=' */
        while (t->pos < n && !is_ws(s[t->pos]) && s[t->pos] != '/' && s[t->pos] != '>' &&
               s[t->pos] != '=')
            t->pos++;
        size_t name_len = t->pos - name;
        skip_ws(t);
        const char *value = "";
        size_t value_len = 0;
        if (t->pos < n && s[t->pos] == '=') {
            t->pos++;
            skip_ws(t);
            if (t->pos >= n)
                return false;
            char q = s[t->pos];
            if (q == '"' || q == '\'') {
                const char *end = memchr(s + t->pos + 1, q, n - t->pos - 1);
                if (!end)
                    return false;
                value = s + t->pos + 1;
                value_len = (size_t)(end - value);
                t->pos = (size_t)(end - s) + 1;
            } else {
                size_t v = t->pos;
                while (t->pos < n && !is_ws(s[t->pos]) && s[t->pos] != '>')
                    t->pos++;
                value = s + v;
                value_len = t->pos - v;
            }
        }
        add_attr(tok, s + name, name_len, value, value_len);
    }
}

/* After a start tag: the elements whose content is not markup. */
static void enter_content_mode(ht_tokenizer *t, const char *name)
{
    static const char *const raw[] = {"script", "style", "xmp", "iframe", "noembed", "noframes",
                                      "noscript"};
    for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++)
        if (!strcmp(name, raw[i])) {
            strcpy(t->until, name);
            t->until_raw = true;
            return;
        }
    if (!strcmp(name, "title") || !strcmp(name, "textarea")) {
        strcpy(t->until, name);
        t->until_raw = false;
    } else if (!strcmp(name, "plaintext")) {
        t->plaintext = true;
    }
}

void ht_next(ht_tokenizer *t, ht_token *tok)
{
    memset(tok, 0, sizeof *tok);
    const char *s = t->s;
    size_t n = t->n;
    if (t->plaintext && t->pos < n) {
        text_token(tok, s + t->pos, n - t->pos, true);
        t->pos = n;
        return;
    }
    if (t->until[0]) {
        size_t end = raw_text_end(t);
        bool raw = t->until_raw;
        t->until[0] = 0;
        if (end > t->pos) {
            text_token(tok, s + t->pos, end - t->pos, raw);
            t->pos = end;
            return;
        }
    }
    while (t->pos < n) {
        size_t start = t->pos;
        if (s[start] != '<' || !markup_at(t, start)) {
            /* text up to the next '<' that starts markup */
            size_t i = start + 1;
            while (i < n) {
                const char *lt = memchr(s + i, '<', n - i);
                if (!lt) {
                    i = n;
                    break;
                }
                i = (size_t)(lt - s);
                if (markup_at(t, i))
                    break;
                i++;
            }
            t->pos = i;
            text_token(tok, s + start, i - start, false);
            return;
        }
        char c = s[start + 1];
        if (is_alpha(c)) {
            t->pos = start + 1;
            if (!read_tag(t, tok)) {
                t->pos = n;
                break;
            }
            tok->kind = HT_START;
            enter_content_mode(t, tok->name);
            return;
        }
        if (c == '/') {
            if (start + 2 < n && is_alpha(s[start + 2])) {
                t->pos = start + 2;
                if (!read_tag(t, tok)) {
                    t->pos = n;
                    break;
                }
                tok->kind = HT_END;
                tok->self_closing = false;
                tok->nattrs = 0;
                return;
            }
            t->pos = start + 2; /* "</>" is dropped; "</3..." is a bogus comment */
            if (t->pos < n && s[t->pos] == '>')
                t->pos++;
            else
                skip_past_gt(t);
            continue;
        }
        if (c == '!' && start + 3 < n && s[start + 2] == '-' && s[start + 3] == '-') {
            t->pos = start + 4;
            skip_comment(t);
            continue;
        }
        if (c == '!' && n - start >= 9 && !memcmp(s + start + 2, "[CDATA[", 7)) {
            size_t from = start + 9, i = from;
            size_t end = n;
            while (i < n) {
                const char *b = memchr(s + i, ']', n - i);
                if (!b)
                    break;
                i = (size_t)(b - s);
                if (i + 2 < n && s[i + 1] == ']' && s[i + 2] == '>') {
                    end = i;
                    break;
                }
                i++;
            }
            t->pos = end < n ? end + 3 : n;
            if (end > from) {
                text_token(tok, s + from, end - from, true);
                return;
            }
            continue;
        }
        /* "<!DOCTYPE ...>", "<!...>", "<?...>": skipped to the next '>' */
        t->pos = start + 2;
        skip_past_gt(t);
    }
    tok->kind = HT_EOF;
}
