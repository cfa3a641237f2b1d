/* What is searched and for what: file types, --glob filters, and the
 * pattern as the options shape it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "globmatch.h"
#include "grep_internal.h"

/* "name: glob,glob,...": a file is of the type when its name matches one.
 * The common types of ripgrep's table, with its names. */
const char *const grep_types[] = {
    "c: *.c,*.h",
    "cpp: *.cpp,*.cc,*.cxx,*.c++,*.hpp,*.hh,*.hxx,*.h++,*.h,*.inl",
    "cs: *.cs",
    "css: *.css,*.scss,*.sass,*.less",
    "go: *.go",
    "html: *.html,*.htm,*.xhtml",
    "java: *.java",
    "js: *.js,*.mjs,*.cjs,*.jsx",
    "json: *.json,*.jsonl",
    "kotlin: *.kt,*.kts",
    "lua: *.lua",
    "make: Makefile,makefile,GNUmakefile,*.mk,*.mak",
    "md: *.md,*.markdown,*.mdx",
    "php: *.php",
    "py: *.py,*.pyi",
    "rb: *.rb,Gemfile,Rakefile",
    "rust: *.rs",
    "sh: *.sh,*.bash,*.zsh,.bashrc,.bash_profile,.profile,.zshrc",
    "sql: *.sql",
    "swift: *.swift",
    "toml: *.toml",
    "ts: *.ts,*.tsx,*.mts,*.cts",
    "txt: *.txt",
    "xml: *.xml,*.xsd,*.xsl,*.svg",
    "yaml: *.yaml,*.yml",
    NULL,
};

const char *grep_type_globs(const char *name) {
    size_t n = strlen(name);
    for (size_t k = 0; grep_types[k]; k++)
        if (strncmp(grep_types[k], name, n) == 0 && grep_types[k][n] == ':')
            return grep_types[k] + n + 2;
    return NULL;
}

static int match_list(const char *globs, const char *name) {
    while (*globs) {
        const char *comma = strchr(globs, ',');
        size_t l = comma ? (size_t)(comma - globs) : strlen(globs);
        if (glob_match(globs, l, name, strlen(name))) return 1;
        globs += l + (comma ? 1 : 0);
    }
    return 0;
}

int grep_filter_pass(const grep_opts *o, const char *relpath, const char *name, int is_dir) {
    int includes = 0, included = 0;
    for (size_t k = 0; k < o->nglobs; k++) {
        const char *gl = o->globs[k];
        int neg = gl[0] == '!';
        if (neg) gl++;
        /* A glob with a / is matched against the path below the root, one
         * without against the name (as ripgrep and .gitignore do). */
        const char *subject = strchr(gl, '/') ? relpath : name;
        if (*gl == '/') gl++;
        int hit = glob_match(gl, strlen(gl), subject, strlen(subject));
        if (neg) {
            if (hit) return 0;
        } else {
            includes = 1;
            included |= hit;
        }
    }
    if (is_dir) return 1; /* include globs and types select files, not directories */
    if (includes && !included) return 0;
    if (o->type) {
        const char *globs = grep_type_globs(o->type);
        if (!globs || !match_list(globs, name)) return 0;
    }
    return 1;
}

/* Appends s[0..n) to the growing buffer b (len *bl, cap *bc); 0 on failure. */
static int append(char **b, size_t *bl, size_t *bc, const char *s, size_t n) {
    if (*bl + n + 1 > *bc) {
        size_t c = (*bl + n + 1) * 2;
        char *nb = realloc(*b, c);
        if (!nb) return 0;
        *b = nb, *bc = c;
    }
    memcpy(*b + *bl, s, n);
    *bl += n;
    (*b)[*bl] = 0;
    return 1;
}

/* Adds alternative l[0..n) to b: escaped for -F. */
static int append_alt(char **b, size_t *bl, size_t *bc, const char *l, size_t n, int fixed) {
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)l[k];
        int punct = c > ' ' && c < 0x7F && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
                    !(c >= '0' && c <= '9');
        /* Every ASCII punctuation character may be escaped, but < and > (\< \> are
         * word boundaries) need not be: they mean themselves. */
        if (fixed && punct && c != '<' && c != '>' && !append(b, bl, bc, "\\", 1)) return 0;
        if (!append(b, bl, bc, l + k, 1)) return 0;
    }
    return 1;
}

rx_prog *grep_compile(const grep_opts *o, rx_error *err) {
    const char *pat = o->pattern ? o->pattern : "";
    size_t plen = o->pattern ? o->pattern_len : 0;
    unsigned flags = (o->case_insensitive ? RX_ICASE : 0) | (o->multiline ? RX_MULTILINE : 0);
    if (!o->word && !o->whole_line && (o->multiline || !memchr(pat, '\n', plen)))
        return rx_compile(pat, plen, flags | (o->fixed_strings ? RX_LITERAL : 0), err);
    /* Lines of the pattern are alternatives (grep -e a -e b joins them so).
     * Each is compiled alone first, so an error names its offset in the
     * pattern; then (?:A)|(?:B)... is wrapped for -x or -w, as ripgrep does. */
    char *b = NULL;
    size_t bl = 0, bc = 0;
    const char *pre = o->whole_line ? "(?m:^)(?:" : o->word ? "\\b{start-half}(?:" : "(?:";
    const char *post = o->whole_line ? ")(?m:$)" : o->word ? ")\\b{end-half}" : ")";
    int ok = append(&b, &bl, &bc, pre, strlen(pre));
    for (size_t i = 0, line = 0; ok && i <= plen; i++) {
        if (i < plen && pat[i] != '\n') continue;
        size_t ll = i - line;
        if (!o->fixed_strings) {
            rx_prog *one = rx_compile(pat + line, ll, flags, err);
            if (!one) {
                err->pos += line;
                free(b);
                return NULL;
            }
            rx_free(one);
        }
        if (line) ok = append(&b, &bl, &bc, ")|(?:", 5);
        ok = ok && append_alt(&b, &bl, &bc, pat + line, ll, o->fixed_strings);
        line = i + 1;
    }
    ok = ok && append(&b, &bl, &bc, post, strlen(post));
    if (!ok) {
        free(b);
        snprintf(err->msg, sizeof err->msg, "out of memory while compiling the pattern");
        err->pos = 0;
        return NULL;
    }
    rx_prog *p = rx_compile(b, bl, flags, err);
    if (!p) err->pos = 0; /* only limits can fail here: the whole pattern is at fault */
    free(b);
    return p;
}

int gnu_filter_pass(const grep_opts *o, const char *name, int is_dir) {
    int verdict = -1, first_include = -1;
    for (size_t k = 0; k < o->ngnu_filters; k++) {
        const char *f = o->gnu_filters[k];
        char kind = f[0];
        if (kind != 'd' && first_include < 0) first_include = kind == 'i';
        if ((kind == 'd') != is_dir) continue; /* dirs see only --exclude-dir, files the rest */
        if (glob_match(f + 2, strlen(f + 2), name, strlen(name))) verdict = kind == 'i';
    }
    if (verdict >= 0) return verdict;
    return is_dir || first_include != 1;
}
