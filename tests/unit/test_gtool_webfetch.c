/* The web-fetch tool's reading of pages (tools/guest/web-fetch/), on the
 * host: the tokenizer on well-formed and broken markup, character
 * references, charsets, link resolution (RFC 3986's own examples), media
 * types, and the converter's Markdown and text for each element, with
 * the results written by hand from the rules in the tool's README. Hostile
 * documents (deep nesting, endless references, unclosed markup, random
 * bytes) must end with valid UTF-8 and no sanitizer report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../tools/guest/web-fetch/charset.h"
#include "../../tools/guest/web-fetch/content_type.h"
#include "../../tools/guest/web-fetch/convert.h"
#include "../../tools/guest/web-fetch/entities.h"
#include "../../tools/guest/web-fetch/html_tok.h"
#include "../../tools/guest/web-fetch/urlref.h"

#define PAGE "http://h.test/dir/page.html"

/* ---- tokenizer ---- */

/* The tokens of s, one a line: "<name a=v ...>" (with "/" when self-closed),
 * "</name>", "T:text" or "R:raw text". */
static char *tokens(const char *s)
{
    static char out[8192];
    size_t k = 0;
    ht_tokenizer t;
    ht_token tok;
    ht_init(&t, s, strlen(s));
    out[0] = 0;
    for (ht_next(&t, &tok); tok.kind != HT_EOF; ht_next(&t, &tok)) {
        if (tok.kind == HT_TEXT) {
            k += (size_t)snprintf(out + k, sizeof out - k, "%s:%.*s\n", tok.raw ? "R" : "T",
                                  (int)tok.text_len, tok.text);
        } else {
            k += (size_t)snprintf(out + k, sizeof out - k, "<%s%s", tok.kind == HT_END ? "/" : "",
                                  tok.name);
            for (size_t i = 0; i < tok.nattrs; i++)
                k += (size_t)snprintf(out + k, sizeof out - k, " %.*s=%.*s",
                                      (int)tok.attrs[i].name_len, tok.attrs[i].name,
                                      (int)tok.attrs[i].value_len, tok.attrs[i].value);
            k += (size_t)snprintf(out + k, sizeof out - k, "%s>\n", tok.self_closing ? "/" : "");
        }
        assert_true(k < sizeof out);
    }
    return out;
}

static void test_tokenizer(void **state)
{
    (void)state;
    assert_string_equal(tokens("<A HREF=x title='y z' data-q=\"a>b\">t</A >"),
                        "<a HREF=x title=y z data-q=a>b>\nT:t\n</a>\n");
    /* attributes without values or quotes; a repeated one is ignored */
    assert_string_equal(tokens("<input disabled value = 3 Value=4 =odd>"),
                        "<input disabled= value=3 =odd=>\n");
    /* an unquoted value takes the '/'; "/>" self-closes */
    assert_string_equal(tokens("<img src=a.png/><br/><br />"),
                        "<img src=a.png/>\n<br/>\n<br/>\n");
    /* the input ends inside a tag or a quoted value: the tag is dropped */
    assert_string_equal(tokens("text<div class=\"x"), "T:text\n");
    assert_string_equal(tokens("a<a href=\"x>y</a> more"), "T:a\n");
    assert_string_equal(tokens("a<p"), "T:a\n");
    /* comments, HTML's odd ones too */
    assert_string_equal(tokens("a<!-- c -->b<!-->c<!--->d<!-- x --!>e<!-- - -- >f-->g"),
                        "T:a\nT:b\nT:c\nT:d\nT:e\nT:g\n");
    assert_string_equal(tokens("a<!-- never closed <p>x"), "T:a\n");
    /* CDATA is text; doctypes, processing instructions and bogus markup are skipped */
    assert_string_equal(tokens("<![CDATA[x<y]]>z<![CDATA[open"), "R:x<y\nT:z\nR:open\n");
    assert_string_equal(tokens("<?xml version=\"1.0\"?>a</ >b<!DOCTYPE html>c</3>d</>e"),
                        "T:a\nT:b\nT:c\nT:d\nT:e\n");
    /* a '<' that starts no markup is text */
    assert_string_equal(tokens("a < b <3 c<"), "T:a < b <3 c<\n");
    /* raw text up to its own end tag, whatever it holds */
    assert_string_equal(tokens("<script>if (a<b) \"</div>\"</script >x"),
                        "<script>\nR:if (a<b) \"</div>\"\n</script>\nT:x\n");
    assert_string_equal(tokens("<STYLE>p{}</sTyLe>"), "<style>\nR:p{}\n</style>\n");
    assert_string_equal(tokens("<script>never ends</scriptx"), "<script>\nR:never ends</scriptx\n");
    assert_string_equal(tokens("<script></script>"), "<script>\n</script>\n");
    /* RCDATA: no tags, but references (decoded later) */
    assert_string_equal(tokens("<title>a<b>&amp;</title>"), "<title>\nT:a<b>&amp;\n</title>\n");
    assert_string_equal(tokens("<plaintext><b>x</b>"), "<plaintext>\nR:<b>x</b>\n");
    /* names: lower case, cut at HT_NAME_MAX */
    assert_string_equal(tokens("<ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij>"),
                        "<abcdefghijklmnopqrstuvwxyzabcde>\n");
    /* attributes past HT_MAX_ATTRS are read and not kept */
    char many[1024] = "<p";
    for (int i = 0; i < 30; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), " a%d=%d", i, i);
    strcat(many, ">x");
    ht_tokenizer t;
    ht_token tok;
    ht_init(&t, many, strlen(many));
    ht_next(&t, &tok);
    assert_int_equal(tok.kind, HT_START);
    assert_int_equal(tok.nattrs, HT_MAX_ATTRS);
    assert_non_null(ht_attr_get(&tok, "a23"));
    assert_null(ht_attr_get(&tok, "a24"));
    ht_next(&t, &tok);
    assert_int_equal(tok.kind, HT_TEXT);
}

/* ---- character references ---- */

static char *refs(const char *s, bool attribute)
{
    static char out[4096];
    wt_buf b = {0};
    assert_true(wf_decode_refs(&b, s, strlen(s), attribute));
    assert_true(b.len < sizeof out);
    memcpy(out, b.data ? b.data : "", b.len);
    out[b.len] = 0;
    wt_buf_free(&b);
    return out;
}

static void test_references(void **state)
{
    (void)state;
    assert_string_equal(refs("&amp;&lt;&gt;&quot;&apos;&nbsp;", false), "&<>\"'\xC2\xA0");
    assert_string_equal(refs("caf&eacute; &Eacute;&copy;&mdash;&hellip;&euro;&rsquo;", false),
                        "caf\xC3\xA9 \xC3\x89\xC2\xA9\xE2\x80\x94\xE2\x80\xA6\xE2\x82\xAC\xE2\x80\x99");
    /* legacy names work without ';', longest first; others need it */
    assert_string_equal(refs("&copy 2024 &ampfoo &notit; &notin; &mdash &frac34x", false),
                        "\xC2\xA9 2024 &foo \xC2\xACit; \xE2\x88\x89 &mdash \xC2\xBE" "x");
    /* not references */
    assert_string_equal(refs("&foo; & x &#; &#x; &#xZ &", false), "&foo; & x &#; &#x; &#xZ &");
    /* numeric: decimal, hex, without ';', windows-1252's 0x80-0x9F, the invalid */
    assert_string_equal(refs("&#65;&#x42;&#X43;&#0068 &#128;&#150;&#x9f;", false),
                        "ABCD \xE2\x82\xAC\xE2\x80\x93\xC5\xB8");
    assert_string_equal(refs("&#0;&#xD800;&#x110000;&#99999999999999999999;", false),
                        "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    /* two code points */
    assert_string_equal(refs("&NotEqualTilde;", false), "\xE2\x89\x82\xCC\xB8");
    /* in an attribute a legacy name before '=' or a letter stays as written */
    assert_string_equal(refs("?a=1&copy=2&copyx&copy;", true), "?a=1&copy=2&copyx\xC2\xA9");
    assert_string_equal(refs("&copyx", false), "\xC2\xA9x");
    /* a name longer than any entity */
    char longname[200] = "&";
    memset(longname + 1, 'a', 100);
    strcpy(longname + 101, ";");
    assert_string_equal(refs(longname, false), longname);
}

/* ---- charsets ---- */

static char *decode(const char *s, size_t n, wf_charset cs, size_t *replaced)
{
    static char out[1024];
    wt_buf b = {0};
    *replaced = 0;
    assert_true(wf_decode(&b, s, n, cs, replaced));
    assert_true(b.len < sizeof out);
    memcpy(out, b.data ? b.data : "", b.len);
    out[b.len] = 0;
    assert_true(wt_utf8_valid(out, b.len));
    wt_buf_free(&b);
    return out;
}

static void test_charsets(void **state)
{
    (void)state;
    assert_int_equal(wf_charset_from_label("UTF-8", 5), WF_CS_UTF8);
    assert_int_equal(wf_charset_from_label(" utf8 ", 6), WF_CS_UTF8);
    assert_int_equal(wf_charset_from_label("latin1", 6), WF_CS_WINDOWS_1252);
    assert_int_equal(wf_charset_from_label("ISO-8859-1", 10), WF_CS_WINDOWS_1252);
    assert_int_equal(wf_charset_from_label("us-ascii", 8), WF_CS_WINDOWS_1252);
    assert_int_equal(wf_charset_from_label("Windows-1252", 12), WF_CS_WINDOWS_1252);
    assert_int_equal(wf_charset_from_label("iso-8859-15", 11), WF_CS_ISO_8859_15);
    assert_int_equal(wf_charset_from_label("utf-16", 6), WF_CS_UTF16LE);
    assert_int_equal(wf_charset_from_label("UTF-16BE", 8), WF_CS_UTF16BE);
    assert_int_equal(wf_charset_from_label("shift_jis", 9), WF_CS_UNKNOWN);
    assert_int_equal(wf_charset_from_label("", 0), WF_CS_UNKNOWN);

    size_t bad;
    assert_string_equal(decode("\x80\x93" "caf\xe9\x81", 7, WF_CS_WINDOWS_1252, &bad),
                        "\xE2\x82\xAC\xE2\x80\x9C" "caf\xC3\xA9\xC2\x81");
    assert_int_equal(bad, 0);
    assert_string_equal(decode("\xa4\xe9\xbd", 3, WF_CS_ISO_8859_15, &bad), "\xE2\x82\xAC\xC3\xA9\xC5\x93");
    assert_string_equal(decode("a\xff" "b\xc0\xaf" "c\xe2\x82", 8, WF_CS_UTF8, &bad),
                        "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_int_equal(bad, 5);
    assert_string_equal(decode("a\0b", 3, WF_CS_UTF8, &bad), "a\xEF\xBF\xBD" "b");
    assert_string_equal(decode("\xed\xa0\x80", 3, WF_CS_UNKNOWN, &bad), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_string_equal(decode("h\0i\0\x3d\xd8\x00\xde", 8, WF_CS_UTF16LE, &bad), "hi\xF0\x9F\x98\x80");
    assert_string_equal(decode("\0h\xd8\x3d\xde\x00", 6, WF_CS_UTF16BE, &bad), "h\xF0\x9F\x98\x80");
    assert_string_equal(decode("\x00\xd8x\0z", 5, WF_CS_UTF16LE, &bad), "\xEF\xBF\xBDx\xEF\xBF\xBD");
    assert_int_equal(bad, 2);

    const char *label;
    size_t len;
    assert_true(wf_charset_param("text/html; charset=\"ISO-8859-1\"", 31, &label, &len));
    assert_int_equal(len, 10);
    assert_memory_equal(label, "ISO-8859-1", 10);
    assert_true(wf_charset_param("text/html;Charset = utf-8;q=1", 29, &label, &len));
    assert_int_equal(len, 5);
    assert_false(wf_charset_param("text/html", 9, &label, &len));

    wf_charset_choice ch;
    const char *meta = "<html><head><meta charset=\"iso-8859-15\"><title>x</title>";
    /* a byte order mark first, then the header, then <meta>, then a guess */
    wf_choose_charset("\xEF\xBB\xBFx", 4, "latin1", 6, true, &ch);
    assert_int_equal(ch.cs, WF_CS_UTF8);
    assert_int_equal(ch.bom, 3);
    wf_choose_charset("\xFF\xFEx\0", 4, NULL, 0, false, &ch);
    assert_int_equal(ch.cs, WF_CS_UTF16LE);
    assert_int_equal(ch.bom, 2);
    wf_choose_charset(meta, strlen(meta), "utf-8", 5, true, &ch);
    assert_int_equal(ch.cs, WF_CS_UTF8);
    assert_string_equal(ch.source, "Content-Type");
    wf_choose_charset(meta, strlen(meta), NULL, 0, true, &ch);
    assert_int_equal(ch.cs, WF_CS_ISO_8859_15);
    assert_string_equal(ch.source, "<meta>");
    wf_choose_charset(meta, strlen(meta), NULL, 0, false, &ch); /* not HTML: no <meta> */
    assert_int_equal(ch.cs, WF_CS_UTF8);
    assert_null(ch.source);
    const char *equiv = "<meta http-equiv=Content-Type content='text/html; charset=windows-1252'>";
    wf_choose_charset(equiv, strlen(equiv), NULL, 0, true, &ch);
    assert_int_equal(ch.cs, WF_CS_WINDOWS_1252);
    const char *utf16 = "<meta charset=utf-16>";
    wf_choose_charset(utf16, strlen(utf16), NULL, 0, true, &ch);
    assert_int_equal(ch.cs, WF_CS_UTF8);
    wf_choose_charset("<meta charset=klingon>", 22, NULL, 0, true, &ch);
    assert_int_equal(ch.cs, WF_CS_UNKNOWN);
    assert_string_equal(ch.label, "klingon");
    wf_choose_charset("caf\xe9", 4, NULL, 0, true, &ch);
    assert_int_equal(ch.cs, WF_CS_WINDOWS_1252);
    wf_choose_charset("caf\xc3\xa9", 5, NULL, 0, true, &ch);
    assert_int_equal(ch.cs, WF_CS_UTF8);
    /* a <meta> past the first 1024 bytes is not looked for */
    char late[2048];
    memset(late, ' ', 1100);
    strcpy(late + 1100, "<meta charset=latin1>caf\xc3\xa9");
    wf_choose_charset(late, strlen(late), NULL, 0, true, &ch);
    assert_int_equal(ch.cs, WF_CS_UTF8);
}

/* ---- links ---- */

static char *resolve(const char *base, const char *ref)
{
    static char out[1024];
    wt_buf b = {0};
    assert_true(wf_url_resolve(&b, base, ref, strlen(ref)));
    assert_true(b.len < sizeof out);
    memcpy(out, b.data ? b.data : "", b.len);
    out[b.len] = 0;
    wt_buf_free(&b);
    return out;
}

static void test_resolve(void **state)
{
    (void)state;
    /* RFC 3986 5.4.1 and 5.4.2 */
    static const char *const rfc[][2] = {
        {"g:h", "g:h"}, {"g", "http://a/b/c/g"}, {"./g", "http://a/b/c/g"},
        {"g/", "http://a/b/c/g/"}, {"/g", "http://a/g"}, {"//g", "http://g"},
        {"?y", "http://a/b/c/d;p?y"}, {"g?y", "http://a/b/c/g?y"},
        {"#s", "http://a/b/c/d;p?q#s"}, {"g#s", "http://a/b/c/g#s"},
        {"g?y#s", "http://a/b/c/g?y#s"}, {";x", "http://a/b/c/;x"},
        {"g;x", "http://a/b/c/g;x"}, {"g;x?y#s", "http://a/b/c/g;x?y#s"},
        {"", "http://a/b/c/d;p?q"}, {".", "http://a/b/c/"}, {"./", "http://a/b/c/"},
        {"..", "http://a/b/"}, {"../", "http://a/b/"}, {"../g", "http://a/b/g"},
        {"../..", "http://a/"}, {"../../", "http://a/"}, {"../../g", "http://a/g"},
        {"../../../g", "http://a/g"}, {"../../../../g", "http://a/g"}, {"/./g", "http://a/g"},
        {"/../g", "http://a/g"}, {"g.", "http://a/b/c/g."}, {".g", "http://a/b/c/.g"},
        {"g..", "http://a/b/c/g.."}, {"..g", "http://a/b/c/..g"}, {"./../g", "http://a/b/g"},
        {"./g/.", "http://a/b/c/g/"}, {"g/./h", "http://a/b/c/g/h"},
        {"g/../h", "http://a/b/c/h"}, {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
        {"g;x=1/../y", "http://a/b/c/y"}, {"g?y/./x", "http://a/b/c/g?y/./x"},
        {"g?y/../x", "http://a/b/c/g?y/../x"}, {"g#s/./x", "http://a/b/c/g#s/./x"},
        {"g#s/../x", "http://a/b/c/g#s/../x"}, {"http:g", "http:g"},
    };
    for (size_t i = 0; i < sizeof rfc / sizeof rfc[0]; i++) {
        const char *got = resolve("http://a/b/c/d;p?q", rfc[i][0]);
        if (strcmp(got, rfc[i][1]))
            fail_msg("resolve \"%s\": got %s, want %s", rfc[i][0], got, rfc[i][1]);
    }
    /* as browsers read hrefs: white space around, tabs and newlines inside,
     * backslashes in http(s) */
    assert_string_equal(resolve("http://a/b/c", " \n/x\t/y\n "), "http://a/x/y");
    assert_string_equal(resolve("http://a/b/c", "\\g\\h"), "http://a/g/h");
    assert_string_equal(resolve("https://a/b/c", "//cdn.test/x"), "https://cdn.test/x");
    assert_string_equal(resolve("http://a:8080", "x"), "http://a:8080/x");
    assert_string_equal(resolve("http://a:8080", "?q"), "http://a:8080?q");
    assert_string_equal(resolve("http://a/b", "MAILTO:x@y"), "MAILTO:x@y");
    char scheme[16];
    assert_true(wf_url_scheme("JavaScript:void(0)", 18, scheme, sizeof scheme));
    assert_string_equal(scheme, "javascript");
    assert_false(wf_url_scheme("/a:b", 4, scheme, sizeof scheme));
    assert_false(wf_url_scheme("1a:b", 4, scheme, sizeof scheme));
}

/* ---- media types ---- */

static void test_content_types(void **state)
{
    (void)state;
    const char *raw = "Server: x\r\ncontent-TYPE:  Text/HTML ; charset=UTF-8 \r\nContent-Type: text/plain\r\n";
    size_t n;
    const char *v = wf_header_value(raw, strlen(raw), "Content-Type", &n);
    assert_non_null(v);
    assert_int_equal(n, 25);
    assert_memory_equal(v, "Text/HTML ; charset=UTF-8", 25);
    assert_null(wf_header_value(raw, strlen(raw), "Location", &n));
    assert_null(wf_header_value(raw, strlen(raw), "Content", &n));
    char type[64];
    wf_media_type(v, n, type, sizeof type);
    assert_string_equal(type, "text/html");
    wf_media_type("", 0, type, sizeof type);
    assert_string_equal(type, "");

    bool sniffed;
    assert_int_equal(wf_classify("text/html", "x", 1, &sniffed), WF_HTML);
    assert_false(sniffed);
    assert_int_equal(wf_classify("application/xhtml+xml", "", 0, &sniffed), WF_HTML);
    assert_int_equal(wf_classify("text/plain", "<html>", 6, &sniffed), WF_TEXT);
    assert_int_equal(wf_classify("application/json", "{}", 2, &sniffed), WF_TEXT);
    assert_int_equal(wf_classify("application/ld+json", "{}", 2, &sniffed), WF_TEXT);
    assert_int_equal(wf_classify("image/svg+xml", "<svg>", 5, &sniffed), WF_TEXT);
    assert_int_equal(wf_classify("image/png", "\x89PNG", 4, &sniffed), WF_BINARY);
    assert_int_equal(wf_classify("application/pdf", "%PDF-1.4", 8, &sniffed), WF_BINARY);
    assert_false(sniffed);
    /* no type, or octet-stream: the first bytes decide */
    assert_int_equal(wf_classify("", "\xEF\xBB\xBF  <!DOCTYPE HTML><p>", 22, &sniffed), WF_HTML);
    assert_true(sniffed);
    assert_int_equal(wf_classify("", "<p>x", 4, &sniffed), WF_HTML);
    assert_int_equal(wf_classify("", "<pre>x", 6, &sniffed), WF_TEXT); /* not in the list */
    assert_int_equal(wf_classify("", "\x89PNG\r\n", 6, &sniffed), WF_BINARY);
    assert_int_equal(wf_classify("application/octet-stream", "plain words\n", 12, &sniffed), WF_TEXT);
    assert_true(sniffed);
    assert_int_equal(wf_classify("application/octet-stream", "ab\0cd", 5, &sniffed), WF_BINARY);
    assert_int_equal(wf_classify("", "caf\xe9", 4, &sniffed), WF_TEXT);
}

/* ---- the converter ---- */

static char *convert_to(const char *html, bool markdown, wf_page *keep)
{
    static char out[1 << 16];
    wf_page p;
    assert_true(wf_html_convert(html, strlen(html), PAGE, markdown, &p));
    assert_true(p.text.len < sizeof out);
    memcpy(out, p.text.data ? p.text.data : "", p.text.len);
    out[p.text.len] = 0;
    assert_true(wt_utf8_valid(out, p.text.len));
    if (keep)
        *keep = p;
    else
        wf_page_free(&p);
    return out;
}

static void md(const char *html, const char *want)
{
    const char *got = convert_to(html, true, NULL);
    if (strcmp(got, want))
        fail_msg("markdown of\n%s\ngot:\n%s\n---want:\n%s\n---", html, got, want);
}

static void txt(const char *html, const char *want)
{
    const char *got = convert_to(html, false, NULL);
    if (strcmp(got, want))
        fail_msg("text of\n%s\ngot:\n%s\n---want:\n%s\n---", html, got, want);
}

/* head, then unit `times` times, then tail (malloc'd) */
static char *repeat(const char *head, const char *unit, size_t times, const char *tail)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
    char *s = malloc(hl + ul * times + tl + 1);
    assert_non_null(s);
    memcpy(s, head, hl);
    for (size_t i = 0; i < times; i++)
        memcpy(s + hl + i * ul, unit, ul);
    memcpy(s + hl + ul * times, tail, tl + 1);
    return s;
}

static void test_inline(void **state)
{
    (void)state;
    md("<p>Hello   <b>big</b>\n world</p>", "Hello **big** world");
    md("<p>a<em> b </em>c</p>", "a *b* c");
    md("<p>a<b></b>b<b> </b>c</p>", "ab c");
    md("<p><strong>s</strong> <i>i</i> <del>d</del> <s>s</s> <u>u</u> <span>n</span></p>",
       "**s** *i* ~~d~~ ~~s~~ u n");
    md("<p><b>outer <b>inner</b> more</b></p>", "**outer inner more**");
    md("<p>x<code> a  b </code>y <code>a`b</code> <code>`q</code> <kbd>Ctrl</kbd></p>",
       "x `a b` y ``a`b`` `` `q `` `Ctrl`");
    md("<p><code><b>no</b> *marks*</code></p>", "`no *marks*`");
    md("<p>a&nbsp;&nbsp;b</p>", "a\xC2\xA0\xC2\xA0" "b");
    md("<p>a<br>b<br><br>c</p>", "a\nb\n\nc");
    md("<p>a</br>b</p>", "a\nb");
    /* emphasis is closed before a break and opened again after it */
    md("<b>bold<p>para</p>more</b>", "**bold**\n\n**para**\n\n**more**");
    /* unclosed and misnested */
    md("<div><p><b><i>text", "***text***");
    md("<b>a<i>b</b>c</i>", "**a*b***c");
}

static void test_escapes(void **state)
{
    (void)state;
    md("<p>*a* _b_ snake_case [x] a&lt;b &lt;div&gt; 1&lt;2 x&amp;copy; AT&amp;T C:\\path \\* ~~s~~ ~ok</p>",
       "\\*a\\* \\_b\\_ snake_case \\[x\\] a\\<b \\<div> 1<2 x\\&copy; AT&T C:\\path \\\\\\* \\~\\~s\\~\\~ ~ok");
    md("<p># h</p><p>- i</p><p>+ j</p><p>1. one</p><p>2) two</p><p>---</p><p>===</p><p>&gt; q</p>"
       "<p>-5 fine</p><p>10.5 fine</p><p>a # b - c</p>",
       "\\# h\n\n\\- i\n\n\\+ j\n\n1\\. one\n\n2\\) two\n\n\\---\n\n\\===\n\n\\> q\n\n"
       "-5 fine\n\n10.5 fine\n\na # b - c");
    /* text is not escaped */
    txt("<p>*a* _b_ [x] &lt;div&gt;</p><p># h</p>", "*a* _b_ [x] <div>\n\n# h");
}

static void test_blocks(void **state)
{
    (void)state;
    md("<h1>T</h1><h3>Sub <i>x</i></h3><p>p</p><h6>six</h6>", "# T\n\n### Sub *x*\n\np\n\n###### six");
    md("<h2>a<br>b<div>c</div></h2><h2></h2><h4> </h4>x", "## a b c\n\nx");
    md("<p>one<p>two<div>three</div>four", "one\n\ntwo\n\nthree\nfour");
    md("<div>a</div><div><div>b</div></div><section>c</section>", "a\nb\nc");
    md("<p>a</p><hr><p>b</p>", "a\n\n---\n\nb");
    md("<blockquote>a<blockquote>b</blockquote>c</blockquote>d", "> a\n>\n> > b\n>\n> c\n\nd");
    md("<blockquote><p>one</p><p>two</p></blockquote>", "> one\n>\n> two");
    md("<dl><dt>Term</dt><dd>Def</dd><dt>T2<dd>D2</dl>", "Term\n: Def\nT2\n: D2");
    md("x</p>y", "x\n\ny");
    md("<h3>Title</h2><p>text</p>", "### Title\n\ntext"); /* any heading's end tag ends a heading */
    txt("<h1>T</h1><blockquote>q</blockquote><dl><dt>t<dd>d</dl><hr>z", "T\n\n> q\n\nt\n  d\n\nz");
}

static void test_lists(void **state)
{
    (void)state;
    md("<ul><li>a<ul><li>b<li>c</ul><li>d</ul>", "- a\n  - b\n  - c\n- d");
    md("<ol start=\"9\"><li>x<li>y<ol><li>z</ol></ol>", "9. x\n10. y\n    1. z");
    md("<ol><li value=5>a<li>b</ol>", "5. a\n6. b");
    md("<p>p</p><ul><li>a</ul><p>q</p>", "p\n\n- a\n\nq");
    md("<ul><li><p>one</p><p>two</p></li></ul>", "- one\n\n  two");
    md("<ul><li>first line<br>second line</li></ul>", "- first line\n  second line");
    md("<ul><li></li><li> </li><li>x</li></ul>", "- x");
    md("<li>stray</li>", "- stray");
    md("<ul><li><ul><li>deep</ul></ul>", "- - deep");
    md("<blockquote><ul><li>q</ul></blockquote>", "> - q");
    txt("<ul><li>a<ol><li>b</ol></ul>", "- a\n  1. b");
}

static void test_links_and_images(void **state)
{
    (void)state;
    md("<a href=\"../up\">u</a> <a href=\"#f\">f</a> <a href=\"?q=1\">q</a> "
       "<a href=\"//cdn.test/x\">c</a> <a href=\"mailto:a@b.c\">m</a> <a href='/a b(c)|d'>s</a>",
       "[u](http://h.test/up) [f](http://h.test/dir/page.html#f) [q](http://h.test/dir/page.html?q=1) "
       "[c](http://cdn.test/x) [m](mailto:a@b.c) [s](http://h.test/a%20b%28c%29%7Cd)");
    md("x<a href=\"/l\"> link </a>y", "x [link](http://h.test/l) y");
    md("<a href=\"/l\"></a><a href=\"/m\"> </a>z", "z");
    md("<a href=\"javascript:void(0)\">js</a> <a>plain</a> <a href=\"\">empty</a>", "js plain empty");
    md("<a href=\"/x?a=1&amp;b=2\">[1] *n*</a>", "[\\[1\\] \\*n\\*](http://h.test/x?a=1&b=2)");
    md("<a href=\"/p\"><h3>Card</h3><p>text</p><ul><li>i</ul></a>", "[Card text i](http://h.test/p)");
    md("<a href=/a>one<a href=/b>two</a>", "[one](http://h.test/a)[two](http://h.test/b)");
    md("<base href=\"http://other.test/a/\"><a href=\"b\">b</a><base href=\"http://third.test/\"><a href=c>c</a>",
       "[b](http://other.test/a/b)[c](http://other.test/a/c)");
    md("<img src=\"i.png\" alt=\"A [b]\"> <img src=\"data:image/png;base64,AAAA\" alt=x> "
       "<img src=\"data:image/gif;base64,R0\" data-src=\"/real.jpg\" alt=\"r\"> <img alt=nosrc> "
       "<img src=/h.png hidden alt=h>",
       "![A \\[b\\]](http://h.test/dir/i.png) ![x](data:image/png;base64,...) ![r](http://h.test/real.jpg)");
    md("<a href=\"/p\"><img src=\"/i.png\" alt=\"i\"></a>", "[![i](http://h.test/i.png)](http://h.test/p)");
    txt("<p><a href=\"/x\">link</a> <img src=a.png alt=pic> <code>c</code></p>", "link c");
}

static void test_pre(void **state)
{
    (void)state;
    md("<pre>\n  a &lt; b\n\n\n  c\n</pre>", "```\n  a < b\n\n\n  c\n```");
    md("<pre><code class=\"hljs language-py\">x = 1\n</code></pre>", "```py\nx = 1\n```");
    md("<pre class=\"lang-c\"><b>int</b> x;<br>y</pre>", "```c\nint x;\ny\n```");
    md("<pre>a ``` b</pre>", "````\na ``` b\n````");
    md("<pre>\r\nwin\r\nlines\rold mac</pre>", "```\nwin\nlines\nold mac\n```");
    md("<ul><li>x<pre>code\nmore</pre></li></ul>", "- x\n\n  ```\n  code\n  more\n  ```");
    md("<a href=/c><pre>in\nlink</pre></a>", "[`in link`](http://h.test/c)");
    md("<pre></pre><pre>\n</pre>x", "x");
    md("<xmp><b>shown</b></xmp>", "```\n<b>shown</b>\n```");
    txt("<p>a</p><pre>  keep\n    this</pre><p>b</p>", "a\n\n  keep\n    this\n\nb");
}

static void test_tables(void **state)
{
    (void)state;
    md("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2|3</td></tr></table>",
       "| A | B |\n| --- | --- |\n| 1 | 2\\|3 |");
    md("<table><thead><tr><th>A<th>B<tbody><tr><td>a<td><b>b</b></table>",
       "| A | B |\n| --- | --- |\n| a | **b** |");
    md("<table><tr><td colspan=2>wide<tr><td>a<td>b<td>c</table>",
       "| wide |  |  |\n| --- | --- | --- |\n| a | b | c |");
    md("<table><tr><td><p>a</p><p>b</p><td>c</table>", "| a<br>b | c |\n| --- | --- |");
    /* one column: a layout table, its cells as blocks */
    md("<table><tr><td><p>para one</p><ul><li>x</ul></td></tr><tr><td>second</td></tr></table>",
       "para one\n\n- x\n\nsecond");
    md("<p>before</p><table><caption>Cap</caption><tr><td>1<td>2</table><p>after</p>",
       "before\n\nCap\n\n| 1 | 2 |\n| --- | --- |\n\nafter");
    md("<table><tr><td>a<table><tr><td>x<td>y</table><td>b</table>",
       "| a<br>\\| x \\| y \\|<br>\\| --- \\| --- \\| | b |\n| --- | --- |");
    md("<table><tr><td><code>a|b</code><td>\\|</table>", "| `a\\|b` | \\\\\\| |\n| --- | --- |");
    md("<table></table><table><tr></tr></table>z", "z");
    /* text outside any cell comes out before the table, as browsers show it */
    md("<table>stray<tr><td>a<td>b</table>", "stray\n\n| a | b |\n| --- | --- |");
    txt("<table><tr><th>A<th>B<th>C<tr><td>1<td>2</table>", "A\tB\tC\n1\t2");
    /* a table in a link's text is flattened */
    md("<a href=/t><table><tr><td>a<td>b</table></a>", "[a b](http://h.test/t)");
}

static void test_dropped_and_head(void **state)
{
    (void)state;
    md("<script>x</script><style>y</style><noscript>z</noscript><template><p>t</p></template>"
       "<svg><title>s</title><path d=\"\"/><text>svgtext</text></svg><select><option>o</select>"
       "<iframe>i</iframe><video>v</video>shown",
       "shown");
    md("<p hidden>h</p><div style=\"DISPLAY: None\">d</div><p style='visibility:hidden'>v</p><span>s</span>", "s");
    md("<template><p>one</p></template>two", "two");
    md("<svg><p></svg>after", "after"); /* an end tag in dropped content stays in it */
    md("<select><p>in</select><p>out", "out");
    wf_page p;
    convert_to("<html><head><title> A &amp;  B </title><title>second</title>"
               "<meta http-equiv=\"Refresh\" content=\"0; URL='/next'\"></head><body>x</body></html>",
               true, &p);
    assert_string_equal(p.title.data, "A & B");
    assert_string_equal(p.refresh.data, "http://h.test/next");
    assert_string_equal(p.text.data, "x");
    wf_page_free(&p);
    /* a long title is cut at a character's start */
    char *title = repeat("<title>", "a", WF_MAX_TITLE - 1, "\xC3\xA9</title>");
    convert_to(title, true, &p);
    assert_int_equal(p.title.len, WF_MAX_TITLE - 1);
    wf_page_free(&p);
    free(title);
    convert_to("<svg><title>icon</title></svg><title>real</title>", true, &p);
    assert_string_equal(p.title.data, "real");
    assert_int_equal(p.refresh.len, 0);
    wf_page_free(&p);
}

/* ---- hostile documents: they end, with valid UTF-8, bounded ---- */

static size_t convert_len(const char *html, bool markdown, const char *must_hold)
{
    wf_page p;
    assert_true(wf_html_convert(html, strlen(html), PAGE, markdown, &p));
    assert_true(wt_utf8_valid(p.text.data ? p.text.data : "", p.text.len));
    if (must_hold && !strstr(p.text.data ? p.text.data : "", must_hold))
        fail_msg("output lacks \"%s\"", must_hold);
    size_t n = p.text.len;
    wf_page_free(&p);
    return n;
}

static void test_hostile(void **state)
{
    (void)state;
    static const char *const units[] = {"<div>", "<ul><li>", "<ol><li>", "<blockquote>", "<b>",
                                        "<a href=/x>", "<code>", "<pre>", "<table><tr><td>",
                                        "<h1>", "<x-y>", "<svg>", "<p>", "<dl><dd>", "<i><b>"};
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        char *s = repeat("", units[u], 20000, "deep text");
        for (int m = 0; m < 2; m++) {
            size_t n = convert_len(s, m, u == 11 ? NULL : "text");
            /* the output grows with the input, no faster: indentation
             * stops at W_MAX_BOXES boxes */
            assert_true(n < 200000);
        }
        free(s);
    }
    /* every end tag with nothing to match, under a deep stack */
    char *s = repeat("", "<x-a>", 600, "");
    char *t = repeat(s, "</x-b></p></td>", 100000, "end");
    convert_len(t, true, "end");
    free(s);
    free(t);
    /* endless references, unclosed attributes and comments */
    s = repeat("<p>", "&amp&#x41&#99999999999999&bogus;&", 50000, "</p>");
    convert_len(s, true, "A");
    free(s);
    s = repeat("<p>", "<a href=\"", 50000, "");
    convert_len(s, true, NULL);
    free(s);
    s = repeat("<p>", "<!--", 50000, "x");
    convert_len(s, true, NULL);
    free(s);
    char *huge = repeat("<a href=\"", "a", 3 << 20, "\" title=x>big href</a> <img src=\"");
    t = repeat(huge, "b", 1 << 20, "\" alt=big>");
    assert_int_equal(convert_len(t, true, "big href"), strlen("big href"));
    free(huge);
    free(t);
    s = repeat("<p", " a=1", 200000, ">many attributes");
    convert_len(s, true, "many attributes");
    free(s);
    /* random markup-heavy text: ends, valid UTF-8 */
    static const char alphabet[] = "<<>>/!-=\"' &#;abpxtdlirue\nE[]*_`|";
    uint32_t seed = 12345;
    char *r = malloc(1 << 20);
    for (int round = 0; round < 8; round++) {
        for (size_t i = 0; i + 2 < (1 << 20); i++) {
            seed = seed * 1103515245 + 12345;
            char ch = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
            if (ch == 'E') { /* an "e acute": input is valid UTF-8, as the decoder hands it on */
                r[i++] = '\xC3';
                ch = '\xA9';
            }
            r[i] = ch;
        }
        r[(1 << 20) - 2] = 0;
        convert_len(r, round & 1, NULL);
    }
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokenizer),      cmocka_unit_test(test_references),
        cmocka_unit_test(test_charsets),       cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_content_types),  cmocka_unit_test(test_inline),
        cmocka_unit_test(test_escapes),        cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_lists),          cmocka_unit_test(test_links_and_images),
        cmocka_unit_test(test_pre),            cmocka_unit_test(test_tables),
        cmocka_unit_test(test_dropped_and_head), cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
