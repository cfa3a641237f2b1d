/* shuf: GNU's. A random permutation of the input lines (FILE or stdin),
 * of -e's arguments, or of the numbers -i LO-HI; -n COUNT at most that
 * many, -r with repetition (endless without -n: the run's limits or a
 * closed pipe end it), -o FILE (opened after the input is read), -z NUL
 * lines. Randomness comes from WASI random_get (getentropy), which seeds
 * a xoshiro256** generator as GNU's shuf seeds ISAAC, or from the bytes of
 * --random-source=FILE. The permutation is a Fisher-Yates shuffle,
 * so a source of zeros keeps the input order, as GNU's does; other sources
 * give other orders than GNU's. -i with a large range and a small -n keeps
 * only the swapped places (no array of the whole range). */
#include "../shell.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    shctx *sh;
    sh_stream *src;   /* --random-source, or NULL for the generator below */
    uint64_t x[4];    /* xoshiro256**, seeded from random_get (GNU seeds ISAAC from getrandom) */
    bool seeded;
    uint64_t bits;    /* unused bytes of the last number, for small bounds */
    int nbits;
    const char *src_name;
    unsigned char buf[256];
    size_t len, pos;
    bool failed;
} rng;

static bool rng_bytes(rng *r, void *p, size_t n)
{
    unsigned char *q = p;
    while (n) {
        if (r->pos == r->len) {
            if (r->src) {
                ssize_t k = sh_read(r->src, r->buf, sizeof r->buf);
                if (k <= 0) {
                    if (k == 0)
                        sh_err(r->sh, "%s: end of file", sh_quote(r->sh, r->src_name));
                    else
                        sh_errno(r->sh, errno, "%s", sh_quote_maybe(r->sh, r->src_name));
                    r->failed = true;
                    return false;
                }
                r->len = (size_t)k;
            } else {
                if (getentropy(r->buf, sizeof r->buf) != 0) {
                    sh_errno(r->sh, errno, "random_get");
                    r->failed = true;
                    return false;
                }
                r->len = sizeof r->buf;
            }
            r->pos = 0;
        }
        size_t k = r->len - r->pos < n ? r->len - r->pos : n;
        memcpy(q, r->buf + r->pos, k);
        r->pos += k;
        q += k;
        n -= k;
    }
    return true;
}

static uint64_t rotl(uint64_t v, int k)
{
    return (v << k) | (v >> (64 - k));
}

static uint64_t xoshiro_next(uint64_t *x)
{
    uint64_t result = rotl(x[1] * 5, 7) * 9, t = x[1] << 17;
    x[2] ^= x[0];
    x[3] ^= x[1];
    x[1] ^= x[2];
    x[0] ^= x[3];
    x[2] ^= t;
    x[3] = rotl(x[3], 45);
    return result;
}

/* A uniform number in [0, bound) from the generator: Lemire's multiply
 * and shift below 2^32, rejection above. */
static bool gen_below(rng *r, uint64_t bound, uint64_t *out)
{
    if (!r->seeded) {
        if (getentropy(r->x, sizeof r->x) != 0) {
            sh_errno(r->sh, errno, "random_get");
            r->failed = true;
            return false;
        }
        if (!(r->x[0] | r->x[1] | r->x[2] | r->x[3]))
            r->x[0] = 1; /* the one state xoshiro cannot leave */
        r->seeded = true;
    }
    if (bound <= 1) {
        *out = 0;
        return true;
    }
    if (bound <= 256) { /* a byte at a time, eight a number: shuf -r's hot path */
        unsigned limit = 256 - 256 % (unsigned)bound;
        for (;;) {
            if (r->nbits == 0) {
                r->bits = xoshiro_next(r->x);
                r->nbits = 8;
            }
            unsigned b = (unsigned)(r->bits & 0xff);
            r->bits >>= 8;
            r->nbits--;
            if (b < limit) {
                *out = b % (unsigned)bound;
                return true;
            }
        }
    }
    if (bound <= UINT32_MAX) {
        uint64_t m = (xoshiro_next(r->x) >> 32) * bound;
        uint32_t low = (uint32_t)m;
        if (low < bound) {
            uint32_t threshold = (uint32_t)(-(uint32_t)bound % (uint32_t)bound);
            while (low < threshold) {
                m = (xoshiro_next(r->x) >> 32) * bound;
                low = (uint32_t)m;
            }
        }
        *out = m >> 32;
        return true;
    }
    uint64_t limit = UINT64_MAX - (UINT64_MAX % bound + 1) % bound, v;
    do
        v = xoshiro_next(r->x);
    while (v > limit);
    *out = v % bound;
    return true;
}

/* A uniform number in [0, bound) (bound > 0): from the generator, or from
 * --random-source's bytes by rejection (a source of zeros gives zeros). */
static bool rng_below(rng *r, uint64_t bound, uint64_t *out)
{
    if (!r->src)
        return gen_below(r, bound, out);
    for (;;) {
        unsigned char b[8];
        size_t need = bound <= 1 ? 0 : bound <= 256 ? 1 : bound <= 65536 ? 2 : bound <= (1ull << 32) ? 4 : 8;
        if (need == 0) {
            *out = 0;
            return true;
        }
        if (!rng_bytes(r, b, need))
            return false;
        uint64_t v = 0;
        for (size_t i = 0; i < need; i++)
            v = v << 8 | b[i];
        uint64_t range = need == 8 ? UINT64_MAX : (1ull << (8 * need)) - 1;
        uint64_t limit = range - (range % bound + 1) % bound; /* largest v with an unbiased v % bound */
        if (v <= limit) {
            *out = v % bound;
            return true;
        }
    }
}

/* Sparse Fisher-Yates over [0, n): only the swapped places are kept, in an
 * open-addressing table from place to value. */
typedef struct {
    uint64_t *key, *val;
    size_t cap, used;
} sparse;

static uint64_t sparse_get(const sparse *s, uint64_t k)
{
    size_t i = (size_t)((k * 0x9e3779b97f4a7c15ull) >> 7) & (s->cap - 1);
    while (s->key[i] != UINT64_MAX) {
        if (s->key[i] == k)
            return s->val[i];
        i = (i + 1) & (s->cap - 1);
    }
    return k;
}

static void sparse_set(sparse *s, uint64_t k, uint64_t v)
{
    if (2 * (s->used + 1) > s->cap) {
        sparse t = {NULL, NULL, s->cap ? s->cap * 2 : 64, 0};
        t.key = sh_malloc(t.cap * sizeof *t.key);
        t.val = sh_malloc(t.cap * sizeof *t.val);
        memset(t.key, 0xff, t.cap * sizeof *t.key);
        for (size_t i = 0; i < s->cap; i++)
            if (s->key[i] != UINT64_MAX)
                sparse_set(&t, s->key[i], s->val[i]);
        free(s->key);
        free(s->val);
        *s = t;
    }
    size_t i = (size_t)((k * 0x9e3779b97f4a7c15ull) >> 7) & (s->cap - 1);
    while (s->key[i] != UINT64_MAX && s->key[i] != k)
        i = (i + 1) & (s->cap - 1);
    if (s->key[i] == UINT64_MAX)
        s->used++;
    s->key[i] = k;
    s->val[i] = v;
}

typedef struct {
    shctx *sh;
    sh_stream *out;
    sh_buf buf;
    char delim;
    bool ok;
} writer;

static void emit(writer *w, const char *p, size_t n)
{
    sh_buf_add(&w->buf, p, n);
    sh_buf_addc(&w->buf, w->delim);
    if (w->buf.len >= 65536) {
        w->ok = w->ok && sh_write(w->out, w->buf.data, w->buf.len);
        w->buf.len = 0;
    }
}

static void emit_num(writer *w, uint64_t v)
{
    char d[24];
    emit(w, d, sh_fmt_u64(d, v));
}

static bool go_on(writer *w)
{
    return w->ok && !sh_interrupted(w->sh);
}

/* -i: the numbers lo..lo+n-1. */
static bool shuffle_range(writer *w, rng *r, uint64_t lo, uint64_t n, uint64_t count, bool repeat)
{
    if (repeat) {
        char block[65536];
        size_t used = 0;
        for (uint64_t i = 0; i < count; i++) {
            uint64_t j;
            if (!rng_below(r, n, &j))
                return false;
            if (used + 22 > sizeof block) {
                if (!sh_write(w->out, block, used) || !w->ok || sh_interrupted(w->sh)) {
                    w->ok = false;
                    return true;
                }
                used = 0;
            }
            used += sh_fmt_u64(block + used, lo + j);
            block[used++] = w->delim;
        }
        w->ok = w->ok && (used == 0 || sh_write(w->out, block, used));
        return true;
    }
    sparse s = {NULL, NULL, 0, 0};
    bool ok = true;
    uint64_t m = count < n ? count : n;
    for (uint64_t i = 0; i < m && go_on(w); i++) {
        uint64_t j;
        if (!rng_below(r, n - i, &j)) {
            ok = false;
            break;
        }
        j += i;
        uint64_t vi = s.cap ? sparse_get(&s, i) : i, vj = s.cap ? sparse_get(&s, j) : j;
        emit_num(w, lo + vj);
        sparse_set(&s, j, vi);
    }
    free(s.key);
    free(s.val);
    return ok;
}

typedef struct {
    const char *p;
    size_t n;
} item;

static bool shuffle_items(writer *w, rng *r, item *v, size_t n, uint64_t count, bool repeat)
{
    if (repeat) {
        /* endless without -n: a pipe's bound ends it, so this loop is the
         * hot one (shuf -r ... | head): picks go straight into a block */
        char block[65536];
        size_t used = 0;
        for (uint64_t i = 0; i < count; i++) {
            uint64_t j;
            if (!rng_below(r, n, &j))
                return false;
            const item *it = &v[j];
            if (used + it->n + 1 > sizeof block) {
                if (!sh_write(w->out, block, used) || !w->ok || sh_interrupted(w->sh)) {
                    w->ok = false;
                    return true;
                }
                used = 0;
                if (it->n + 1 > sizeof block) { /* a huge line goes on its own */
                    emit(w, it->p, it->n);
                    continue;
                }
            }
            for (size_t k = 0; k < it->n; k++)
                block[used + k] = it->p[k];
            used += it->n;
            block[used++] = w->delim;
        }
        w->ok = w->ok && (used == 0 || sh_write(w->out, block, used));
        return true;
    }
    uint64_t m = count < n ? count : n;
    for (uint64_t i = 0; i < m && go_on(w); i++) {
        uint64_t j;
        if (!rng_below(r, n - i, &j))
            return false;
        item t = v[i];
        v[i] = v[i + j];
        v[i + j] = t;
        emit(w, v[i].p, v[i].n);
    }
    return true;
}

/* "LO-HI" as GNU reads it; false after its message. */
static bool parse_range(shctx *sh, const char *arg, uint64_t *lo, uint64_t *n)
{
    const char *dash = strchr(arg, '-');
    const char *his = dash ? dash + 1 : arg;
    int64_t a = 0, b;
    if (dash) {
        char *los = sh_strndup(arg, (size_t)(dash - arg));
        bool ok = sh_parse_int(los, &a) && a >= 0 && los[0] != '-' && los[0] != ' ';
        if (!ok)
            sh_err(sh, "invalid input range: %s", sh_quote(sh, los));
        free(los);
        if (!ok)
            return false;
    }
    if (!sh_parse_int(his, &b) || b < 0 || his[0] == '-' || his[0] == ' ') {
        sh_err(sh, "invalid input range: %s", sh_quote(sh, his));
        return false;
    }
    if (!dash || a > b) {
        sh_err(sh, "invalid input range: %s", sh_quote(sh, arg));
        return false;
    }
    *lo = (uint64_t)a;
    *n = (uint64_t)b - (uint64_t)a + 1;
    return true;
}

int util_shuf(shctx *sh, int argc, char **argv)
{
    enum { RANDOM_SOURCE = 256 };
    static const sh_longopt lo[] = {{"echo", SH_NO_ARG, 'e'}, {"input-range", SH_REQ_ARG, 'i'},
                                    {"head-count", SH_REQ_ARG, 'n'}, {"output", SH_REQ_ARG, 'o'},
                                    {"random-source", SH_REQ_ARG, RANDOM_SOURCE},
                                    {"repeat", SH_NO_ARG, 'r'}, {"zero-terminated", SH_NO_ARG, 'z'},
                                    {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    bool echo = false, range = false, repeat = false;
    uint64_t lo_v = 0, n_range = 0, count = UINT64_MAX;
    const char *outname = NULL, *srcname = NULL;
    char delim = '\n';
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "ei:n:o:rz", lo)) != -1) {
        switch (c) {
        case 'e': echo = true; break;
        case 'i':
            if (range) {
                sh_err(sh, "multiple -i options specified");
                return 1;
            }
            range = true;
            if (!parse_range(sh, st.arg, &lo_v, &n_range))
                return 1;
            break;
        case 'n': {
            int64_t v;
            if (!sh_parse_int(st.arg, &v) || v < 0) {
                if (!(strspn(st.arg, "0123456789") == strlen(st.arg) && st.arg[0])) {
                    sh_err(sh, "invalid line count: %s", sh_quote(sh, st.arg));
                    return 1;
                }
                v = INT64_MAX; /* too large: as good as all */
            }
            if ((uint64_t)v < count)
                count = (uint64_t)v;
            break;
        }
        case 'o': outname = st.arg; break;
        case RANDOM_SOURCE:
            if (srcname && strcmp(srcname, st.arg)) {
                sh_err(sh, "multiple random sources specified");
                return 1;
            }
            srcname = st.arg;
            break;
        case 'r': repeat = true; break;
        case 'z': delim = 0; break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: shuf [OPTION]... [FILE]\n  or:  shuf -e [OPTION]... [ARG]...\n"
                                   "  or:  shuf -i LO-HI [OPTION]...\n");
            return 0;
        default:
            return 1;
        }
    }
    if (echo && range) {
        sh_err(sh, "cannot combine -e and -i options");
        sh_try_help(sh);
        return 1;
    }
    int nops = argc - st.ind;
    if ((range && nops > 0) || (!echo && !range && nops > 1)) {
        sh_err(sh, "extra operand %s", sh_quote(sh, argv[st.ind + (range ? 0 : 1)]));
        sh_try_help(sh);
        return 1;
    }
    item *items = NULL;
    size_t nitems = 0;
    sh_buf all = {0};
    int status = 0;
    if (echo) {
        items = sh_calloc((size_t)nops + 1, sizeof *items);
        for (int i = 0; i < nops; i++)
            items[nitems++] = (item){argv[st.ind + i], strlen(argv[st.ind + i])};
    } else if (!range) {
        const char *name = nops ? argv[st.ind] : "-";
        sh_stream *in = sh_input(sh, name);
        if (!in)
            return 1;
        bool ok = sh_read_all(in, &all, SH_NO_LIMIT);
        int err = errno;
        sh_input_close(sh, in);
        if (!ok) {
            sh_errno(sh, err, "%s", sh_quote_maybe(sh, name));
            sh_buf_free(&all);
            return 1;
        }
        size_t cap = 0;
        for (size_t i = 0; i < all.len;) {
            const char *e = memchr(all.data + i, delim, all.len - i);
            size_t end = e ? (size_t)(e - all.data) : all.len;
            if (nitems == cap) {
                cap = cap ? cap * 2 : 1024;
                items = sh_realloc(items, cap * sizeof *items);
            }
            items[nitems++] = (item){all.data + i, end - i};
            i = end + 1;
        }
    }
    if (repeat && (range ? n_range == 0 : nitems == 0)) {
        if (count > 0) {
            sh_err(sh, "no lines to repeat");
            status = 1;
        }
        goto done;
    }
    rng r = {0};
    r.sh = sh;
    r.src_name = srcname;
    if (srcname) {
        r.src = sh_open(sh, srcname, O_RDONLY);
        if (!r.src) {
            sh_errno(sh, errno, "%s", sh_quote_maybe(sh, srcname));
            status = 1;
            goto done;
        }
    }
    writer w = {sh, sh_stdout(sh), {0}, delim, true};
    sh_stream *opened = NULL;
    if (outname) {
        opened = w.out = sh_open(sh, outname, O_WRONLY | O_CREAT | O_TRUNC);
        if (!opened) {
            sh_errno(sh, errno, "%s", sh_quote_maybe(sh, outname));
            status = 1;
        }
    }
    if (!status) {
        bool ok = range ? shuffle_range(&w, &r, lo_v, n_range, count, repeat)
                        : shuffle_items(&w, &r, items, nitems, count, repeat);
        if (w.buf.len && w.ok && ok) /* GNU writes nothing when the randomness ran out */
            w.ok = sh_write(w.out, w.buf.data, w.buf.len);
        if (!ok || !w.ok)
            status = 1;
    }
    sh_buf_free(&w.buf);
    if (opened && !sh_close(opened) && !status) {
        sh_errno(sh, errno, "write error");
        status = 1;
    }
    if (r.src)
        sh_close(r.src);
done:
    free(items);
    sh_buf_free(&all);
    return status;
}
