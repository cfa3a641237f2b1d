/* entities: HTML's character references (&amp; &eacute; &#233; &#xE9;). */
#ifndef WF_ENTITIES_H
#define WF_ENTITIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/wbtool.h"

typedef struct {
    const char *name;   /* without the ';' */
    unsigned char legacy; /* also recognised without the ';' (&amp, &copy, ...) */
    uint32_t cp1, cp2;  /* the code point(s) it stands for; cp2 0 when one */
} wf_entity;

/* Every named reference of the WHATWG list, sorted by name (bytes);
 * entities_table.c, made by gen_entities.py. */
extern const wf_entity wf_entities[];
extern const size_t wf_entity_count;

/* The entity named s[0..n) exactly (case matters), or NULL. */
const wf_entity *wf_entity_find(const char *s, size_t n);

/* Appends s[0..n) with its character references decoded, by HTML's rules:
 * named references with ';', and the legacy ones (&amp &lt &copy &eacute
 * ...) also without it, except in an attribute value (attribute true) when
 * a letter, digit or '=' follows; numeric references in decimal and hex,
 * 0x80-0x9F read as windows-1252 does, 0, surrogates and values past
 * U+10FFFF as U+FFFD. Anything else, "&" included, is kept as written.
 * Linear in n whatever s holds. False when out of memory. */
bool wf_decode_refs(wt_buf *out, const char *s, size_t n, bool attribute);

#endif
