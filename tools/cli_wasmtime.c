/* Wasmtime's spellings of run options, read as ours: `-W fuel=N,timeout=5s,
 * max-memory-size=SIZE,max-wasm-stack=SIZE` become --fuel, --timeout,
 * --max-memory, --max-stack; `-S KEY[=VALUE]` keys are accepted where we have
 * the feature and refused, with what to write instead, where it would hand
 * the guest something of the host's (its environment, its network). One row
 * per key, read by the parser, --help and the completion script. */
#include "cli_wasmtime.h"

#include "../policy/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cli_wasmtime_key cli_wasm_keys[] = {
    {"fuel", "--fuel", NULL, "wasm instructions allowed (as --fuel)"},
    {"timeout", "--timeout", NULL,
     "wall-clock limit, e.g. 5s or 500ms; a bare number is seconds, as in Wasmtime"},
    {"max-memory-size", "--max-memory", NULL, "bytes of linear memory (as --max-memory)"},
    {"max-wasm-stack", "--max-stack", NULL, "bytes of value stack (as --max-stack)"},
};
const size_t cli_nwasm_keys = sizeof cli_wasm_keys / sizeof cli_wasm_keys[0];

const cli_wasmtime_key cli_wasi_keys[] = {
    {"cli", NULL, NULL, "WASI preview1 command support: always on (cli or cli=y)"},
    {"inherit-env", NULL,
     "refused: the caller's environment often holds secrets (tokens, keys) and a sandboxed "
     "guest gets no variable it was not given; name each one with --env NAME (copies it, "
     "audited) or --env NAME=VALUE",
     "refused: name each variable with --env NAME"},
    {"inherit-network", NULL,
     "refused: the guest reaches only hosts the policy names; give each with --allow-host "
     "scheme://host[:port]",
     "refused: name each host with --allow-host"},
};
const size_t cli_nwasi_keys = sizeof cli_wasi_keys / sizeof cli_wasi_keys[0];

static void known_list(const cli_wasmtime_key *keys, size_t n, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", keys[i].key);
}

static const cli_wasmtime_key *find_key(const cli_wasmtime_key *keys, size_t n, const char *k,
                                        size_t klen)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(keys[i].key) == klen && !strncmp(keys[i].key, k, klen))
            return &keys[i];
    return NULL;
}

/* "unknown -W key 'fule' (did you mean 'fuel'?; known: ...)" */
static bool unknown_key(const char *opt, const cli_wasmtime_key *keys, size_t n, const char *k,
                        size_t klen, char *err, size_t errlen)
{
    char word[64], known[256];
    snprintf(word, sizeof word, "%.*s", (int)(klen < 63 ? klen : 63), k);
    wb_suggest sg;
    wb_suggest_init(&sg, word);
    for (size_t i = 0; i < n; i++)
        wb_suggest_add(&sg, keys[i].key);
    known_list(keys, n, known, sizeof known);
    const char *best = wb_suggest_best(&sg);
    snprintf(err, errlen, "unknown %s key '%s' (%s%s%sknown keys: %s)", opt, word,
             best ? "did you mean '" : "", best ? best : "", best ? "'?; " : "", known);
    return false;
}

bool cli_wasmtime_expand(const char *opt, const char *spec, cli_flag_list *out, char *err,
                         size_t errlen)
{
    bool wasm = !strcmp(opt, "-W");
    const cli_wasmtime_key *keys = wasm ? cli_wasm_keys : cli_wasi_keys;
    size_t nkeys = wasm ? cli_nwasm_keys : cli_nwasi_keys;
    if (!spec[0]) {
        char known[256];
        known_list(keys, nkeys, known, sizeof known);
        snprintf(err, errlen, "%s needs KEY[=VALUE][,...] (known keys: %s)", opt, known);
        return false;
    }
    for (const char *s = spec; *s;) {
        size_t len = strcspn(s, ",");
        const char *eq = memchr(s, '=', len);
        size_t klen = eq ? (size_t)(eq - s) : len;
        const cli_wasmtime_key *k = find_key(keys, nkeys, s, klen);
        if (!k)
            return unknown_key(opt, keys, nkeys, s, klen, err, errlen);
        char value[128];
        size_t vlen = eq ? len - klen - 1 : 0;
        if (vlen >= sizeof value) {
            snprintf(err, errlen, "%s %s: value too long", opt, k->key);
            return false;
        }
        memcpy(value, eq ? eq + 1 : "", vlen);
        value[vlen] = 0;
        if (k->refusal) {
            snprintf(err, errlen, "%s %s: %s", opt, k->key, k->refusal);
            return false;
        }
        if (!wasm) { /* "cli": on whatever the value says yes to; "n" cannot be had */
            if (eq && strcmp(value, "y") && strcmp(value, "yes") && strcmp(value, "true")) {
                snprintf(err, errlen,
                         "%s cli=%s: WASI command support cannot be turned off; leave it out",
                         opt, value);
                return false;
            }
        } else {
            if (!eq || !value[0]) {
                snprintf(err, errlen, "%s %s needs a value (%s=VALUE)", opt, k->key, k->key);
                return false;
            }
            if (!strcmp(k->key, "timeout") && strcmp(value, "unlimited")) {
                /* Wasmtime reads a bare number as seconds */
                uint64_t ms;
                const char *why;
                if (!wb_parse_duration_ms(value, 1000, &ms, &why)) {
                    snprintf(err, errlen, "%s timeout: \"%s\" %s", opt, value, why);
                    return false;
                }
                snprintf(value, sizeof value, "%llums", (unsigned long long)ms);
            }
            if (!cli_flag_list_add(out, k->flag, opt, k->key, value)) {
                snprintf(err, errlen, "out of memory");
                return false;
            }
        }
        s += len;
        if (*s == ',')
            s++;
    }
    return true;
}

bool cli_flag_list_add(cli_flag_list *l, const char *flag, const char *opt, const char *key,
                       const char *value)
{
    cli_flag *n = realloc(l->items, (l->count + 1) * sizeof *n);
    if (!n)
        return false;
    l->items = n;
    cli_flag *f = &l->items[l->count];
    memset(f, 0, sizeof *f);
    f->flag = flag;
    if (key)
        snprintf(f->origin, sizeof f->origin, "%s %s", opt, key);
    else
        snprintf(f->origin, sizeof f->origin, "%s", opt);
    f->value = strdup(value);
    if (!f->value)
        return false;
    l->count++;
    return true;
}

void cli_flag_list_free(cli_flag_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i].value);
    free(l->items);
    l->items = NULL;
    l->count = 0;
}
