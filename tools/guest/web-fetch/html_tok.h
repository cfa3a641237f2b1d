/* html_tok: a tolerant HTML tokenizer (after the WHATWG tokenizer, with
 * what a text converter needs and nothing more).
 *
 * Any bytes are a document: unclosed tags and quotes, attributes without
 * quotes or values, comments (also "<!-->" and "--!>"), CDATA sections,
 * doctypes, processing instructions and bogus markup all end somewhere,
 * and a '<' that starts no markup is text. Every step moves forward, so a
 * document of n bytes is n bytes of work whatever it holds, and nothing is
 * copied: tokens point into the input.
 *
 * Raw text: after a start tag of script, style, xmp, iframe, noembed,
 * noframes or noscript the content up to the matching end tag is one text
 * token (raw: no character references); after title and textarea likewise
 * but with references (RCDATA); after plaintext, the rest of the input. */
#ifndef WF_HTML_TOK_H
#define WF_HTML_TOK_H

#include <stdbool.h>
#include <stddef.h>

/* Tag names longer than this are kept cut (they name no element we know). */
#define HT_NAME_MAX 31
/* Attributes kept per tag (the first of each name, as HTML does); more
 * are read and skipped. */
#define HT_MAX_ATTRS 24

typedef enum {
    HT_EOF,
    HT_TEXT,  /* text: character references still to be decoded unless raw */
    HT_START, /* start tag */
    HT_END,   /* end tag */
} ht_kind;

typedef struct {
    const char *name; /* as written (compare with ht_attr_is) */
    size_t name_len;
    const char *value; /* character references still to be decoded */
    size_t value_len;
} ht_attr;

typedef struct {
    ht_kind kind;
    /* tags: the name in ASCII lower case, cut at HT_NAME_MAX */
    char name[HT_NAME_MAX + 1];
    bool self_closing;
    ht_attr attrs[HT_MAX_ATTRS];
    size_t nattrs;
    /* text */
    const char *text;
    size_t text_len;
    bool raw; /* script/style content or CDATA: no character references */
} ht_token;

typedef struct {
    const char *s;
    size_t n, pos;
    /* set after a raw-text or RCDATA start tag: the end tag to look for */
    char until[HT_NAME_MAX + 1];
    bool until_raw;
    bool plaintext;
} ht_tokenizer;

void ht_init(ht_tokenizer *t, const char *s, size_t n);
/* The next token (HT_EOF at the end, for ever after). */
void ht_next(ht_tokenizer *t, ht_token *tok);
/* The attribute named name (lower case) of a start tag, or NULL. */
const ht_attr *ht_attr_get(const ht_token *tok, const char *name);

#endif
