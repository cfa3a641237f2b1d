/* The elements the converter knows (tags.h), in name order. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tags.h"

typedef struct {
    const char *name;
    unsigned char kind, flags;
} tag_info;

#define CP F_CLOSES_P
#define SC F_SCOPE
static tag_info tags[] = {
    {"a", K_A, 0}, {"abbr", K_INLINE, 0}, {"address", K_BLOCK, CP}, {"applet", K_INLINE, SC},
    {"area", K_VOID, 0}, {"article", K_BLOCK, CP}, {"aside", K_BLOCK, CP},
    {"audio", K_DROP, 0}, {"b", K_STRONG, 0}, {"base", K_BASE, 0}, {"basefont", K_VOID, 0},
    {"bgsound", K_VOID, 0}, {"blockquote", K_QUOTE, CP}, {"body", K_IGNORE, 0},
    {"br", K_BR, 0}, {"button", K_INLINE, SC}, {"canvas", K_DROP, 0},
    {"caption", K_BLOCK, SC}, {"center", K_BLOCK, CP}, {"cite", K_EM, 0},
    {"code", K_CODE, 0}, {"col", K_VOID, 0}, {"colgroup", K_INLINE, 0},
    {"datalist", K_DROP, 0}, {"dd", K_DD, CP}, {"del", K_STRIKE, 0},
    {"details", K_BLOCK, CP}, {"dfn", K_EM, 0}, {"dialog", K_BLOCK, CP},
    {"dir", K_UL, CP}, {"div", K_BLOCK, CP}, {"dl", K_DL, CP}, {"dt", K_DT, CP},
    {"em", K_EM, 0}, {"embed", K_VOID, 0}, {"fieldset", K_BLOCK, CP},
    {"figcaption", K_BLOCK, CP}, {"figure", K_PARA, CP}, {"footer", K_BLOCK, CP},
    {"form", K_BLOCK, CP}, {"frame", K_VOID, 0}, {"frameset", K_DROP, 0},
    {"h1", K_HEADING, CP}, {"h2", K_HEADING, CP}, {"h3", K_HEADING, CP},
    {"h4", K_HEADING, CP}, {"h5", K_HEADING, CP}, {"h6", K_HEADING, CP},
    {"head", K_IGNORE, 0}, {"header", K_BLOCK, CP}, {"hgroup", K_BLOCK, CP},
    {"hr", K_HR, CP}, {"html", K_IGNORE, 0}, {"i", K_EM, 0}, {"iframe", K_DROP, 0},
    {"img", K_IMG, 0}, {"input", K_VOID, 0}, {"kbd", K_CODE, 0}, {"keygen", K_VOID, 0},
    {"legend", K_BLOCK, 0}, {"li", K_LI, CP}, {"link", K_VOID, 0},
    {"listing", K_PRE, CP}, {"main", K_BLOCK, CP}, {"marquee", K_INLINE, SC},
    {"menu", K_UL, CP}, {"meta", K_META, 0}, {"nav", K_BLOCK, CP},
    {"noembed", K_DROP, 0}, {"noframes", K_DROP, 0}, {"noscript", K_DROP, 0},
    {"object", K_INLINE, SC}, {"ol", K_OL, CP}, {"optgroup", K_BLOCK, 0},
    {"option", K_BLOCK, 0}, {"p", K_P, CP}, {"param", K_VOID, 0},
    {"plaintext", K_PRE, CP}, {"pre", K_PRE, CP}, {"s", K_STRIKE, 0},
    {"samp", K_CODE, 0}, {"script", K_DROP, 0}, {"search", K_BLOCK, CP},
    {"section", K_BLOCK, CP}, {"select", K_DROP, 0}, {"source", K_VOID, 0},
    {"strike", K_STRIKE, 0}, {"strong", K_STRONG, 0}, {"style", K_DROP, 0},
    {"summary", K_BLOCK, CP}, {"svg", K_DROP, 0}, {"table", K_TABLE, CP | SC},
    {"tbody", K_TSECT, 0}, {"td", K_CELL, SC}, {"template", K_DROP, SC},
    {"textarea", K_BLOCK, 0}, {"tfoot", K_TSECT, 0}, {"th", K_CELL, SC},
    {"thead", K_TSECT, 0}, {"title", K_TITLE, 0}, {"tr", K_TR, 0}, {"track", K_VOID, 0},
    {"tt", K_CODE, 0}, {"ul", K_UL, CP}, {"var", K_EM, 0}, {"video", K_DROP, 0},
    {"wbr", K_VOID, 0}, {"xmp", K_PRE, CP},
};
#undef CP
#undef SC
#define NTAGS (sizeof tags / sizeof tags[0])
_Static_assert(NTAGS < WF_TAG_IDS, "WF_TAG_IDS is too small");

static int tag_cmp(const void *a, const void *b)
{
    return strcmp(((const tag_info *)a)->name, ((const tag_info *)b)->name);
}

/* The tag's id: its index in tags[] plus one; 0 for elements not listed. */
unsigned wf_tag_id(const char *name)
{
    static bool sorted;
    if (!sorted) { /* kept in order by hand; sorted once more so a slip cannot break lookup */
        qsort(tags, NTAGS, sizeof tags[0], tag_cmp);
        sorted = true;
    }
    size_t lo = 0, hi = NTAGS;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, tags[mid].name);
        if (c == 0)
            return (unsigned)mid + 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

unsigned wf_tag_kind(unsigned id)
{
    return id ? tags[id - 1].kind : K_INLINE;
}

unsigned wf_tag_flags(unsigned id)
{
    return id ? tags[id - 1].flags : 0;
}
