/* "Did you mean": the known name closest to a mistyped one, by edit distance
 * (insertions, deletions, substitutions and swaps of two neighbours each cost
 * one), so `max_memmory` gets `max_memory` and `--tmeout` gets `--timeout`.
 * Only names at most SUGGEST_MAX_LEN bytes long are compared, so the work per
 * candidate is bounded whatever an untrusted file or command line holds. */
#include "policy.h"

#include <string.h>

#define SUGGEST_MAX_LEN 64

/* Optimal string alignment distance of a and b (each at most
 * SUGGEST_MAX_LEN bytes): three rows of the usual table. */
static size_t distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t rows[3][SUGGEST_MAX_LEN + 1];
    size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            if (prev[j - 1] + cost < d)
                d = prev[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < d)
                d = prev2[j - 2] + 1;
            cur[j] = d;
        }
        size_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

void wb_suggest_init(wb_suggest *s, const char *word)
{
    s->word = word;
    s->best = NULL;
    s->dist = (size_t)-1;
}

void wb_suggest_add(wb_suggest *s, const char *candidate)
{
    if (!s->word || !candidate)
        return;
    size_t la = strlen(s->word), lb = strlen(candidate);
    if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN || !strcmp(s->word, candidate))
        return;
    /* close means at most a quarter of the longer name (leading dashes not
     * counted), so "--nope" gets no "--opt", and never more than 3 edits; or
     * one name starting with the other, at least 4 letters long
     * ("timeout" -> "timeout_ms") */
    size_t dashes = strspn(s->word, "-") < strspn(candidate, "-") ? strspn(s->word, "-")
                                                                   : strspn(candidate, "-");
    size_t longer = (la > lb ? la : lb) - dashes;
    size_t limit = (longer + 1) / 4 < 3 ? (longer + 1) / 4 : 3;
    if (limit == 0)
        limit = 1;
    size_t shorter = (la < lb ? la : lb) - dashes;
    bool prefix = shorter >= 4 && !strncmp(s->word, candidate, la < lb ? la : lb);
    size_t d = distance(s->word, la, candidate, lb);
    if ((d <= limit || prefix) && d < s->dist) {
        s->best = candidate;
        s->dist = d;
    }
}

const char *wb_suggest_best(const wb_suggest *s)
{
    return s->best;
}
