/* tags: what each HTML element is to the converter (convert.c). */
#ifndef WF_TAGS_H
#define WF_TAGS_H

/* Room for every listed element's id (tags.c checks it). */
#define WF_TAG_IDS 128

enum kind {
    K_INLINE, /* no effect of its own (span, abbr, unknown elements) */
    K_BLOCK,  /* a line break before and after (div, section, li's kin) */
    K_PARA,   /* a blank line before and after (figure) */
    K_IGNORE, /* html, head, body: never on the stack */
    K_DROP,   /* content not shown (script, style, template, svg, select...) */
    K_VOID,   /* no content, no end tag (meta, input...) */
    K_A, K_EM, K_STRONG, K_STRIKE, K_CODE, K_PRE, K_HEADING, K_QUOTE, K_UL, K_OL, K_LI,
    K_DL, K_DT, K_DD, K_P, K_TABLE, K_TSECT, K_TR, K_CELL, K_BR, K_HR, K_IMG, K_BASE, K_META,
    K_TITLE,
};

enum { F_CLOSES_P = 1, F_SCOPE = 2 };

/* The element's id, 1 up; 0 for elements not listed (custom elements,
 * typos), which are read as inline elements without effect. */
unsigned wf_tag_id(const char *name);
unsigned wf_tag_kind(unsigned id);
unsigned wf_tag_flags(unsigned id);

#endif
