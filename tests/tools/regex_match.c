/* Runs the regex engine on cases read from stdin, one a line, for the
 * differential test (tests/e2e/regex_diff.sh):
 *     FLAGS <TAB> PATTERN <TAB> TEXT <TAB> START
 * FLAGS is a string of i m s (or - for none); PATTERN and TEXT use \t, \n, \\
 * and \xHH escapes. Prints one line per case: "error: MESSAGE", "-" for no
 * match, or the groups' spans "S,E" ("?" for a group that took no part)
 * separated by spaces. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/guest/regex/regex.h"

static size_t unescape(const char *s, size_t n, char *out) {
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 == n) {
            out[w++] = s[i];
            continue;
        }
        char c = s[++i];
        if (c == 't') out[w++] = '\t';
        else if (c == 'n') out[w++] = '\n';
        else if (c == 'x' && i + 2 < n) {
            char hex[3] = {s[i + 1], s[i + 2], 0};
            out[w++] = (char)strtol(hex, NULL, 16);
            i += 2;
        } else out[w++] = c;
    }
    return w;
}

int main(void) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, stdin)) > 0) {
        if (line[got - 1] == '\n') line[--got] = 0;
        char *f[4];
        char *p = line;
        for (int k = 0; k < 4; k++) {
            f[k] = p;
            char *tab = k < 3 ? strchr(p, '\t') : NULL;
            if (k < 3 && !tab) {
                fprintf(stderr, "regex_match: bad line: %s\n", line);
                return 2;
            }
            if (tab) *tab = 0, p = tab + 1;
        }
        unsigned flags = 0;
        for (char *c = f[0]; *c; c++)
            flags |= *c == 'i' ? RX_ICASE : *c == 'm' ? RX_MULTILINE : *c == 's' ? RX_DOTALL : 0;
        char *pat = malloc(strlen(f[1]) + 1), *text = malloc(strlen(f[2]) + 1);
        size_t plen = unescape(f[1], strlen(f[1]), pat);
        size_t tlen = unescape(f[2], strlen(f[2]), text);
        rx_error err;
        rx_prog *prog = rx_compile(pat, plen, flags, &err);
        if (!prog) {
            printf("error: %s\n", err.msg);
        } else {
            rx_span caps[16];
            size_t n = rx_group_count(prog) < 16 ? rx_group_count(prog) : 16;
            if (!rx_search(prog, text, tlen, strtoul(f[3], NULL, 10), caps, n)) {
                printf("-\n");
            } else {
                for (size_t g = 0; g < n; g++) {
                    if (caps[g].start == RX_NOPOS) printf("%s?", g ? " " : "");
                    else printf("%s%zu,%zu", g ? " " : "", caps[g].start, caps[g].end);
                }
                printf("\n");
            }
            rx_free(prog);
        }
        free(pat);
        free(text);
    }
    free(line);
    return 0;
}
