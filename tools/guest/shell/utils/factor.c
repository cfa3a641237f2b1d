/* factor: GNU's output ("N: p1 p2 ...", primes in ascending order) for
 * each operand, or for each blank-separated number of stdin. What the
 * sandbox changes: numbers up to 2^64-1 only (GNU's goes to 2^128, and
 * beyond with GMP); a larger one is refused with a message saying so.
 * Method: trial division by the numbers below 1024 (a 2-3-5 wheel), then a
 * deterministic Miller-Rabin test and Pollard-Brent rho in Montgomery form
 * (64-bit halves: no 128-bit type is needed on wasm32). */
#include "../shell.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The 128-bit product of a and b as hi:lo. */
static void mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
    uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    *lo = (mid << 32) | (uint32_t)p00;
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/* Montgomery arithmetic modulo an odd n, R = 2^64. */
typedef struct {
    uint64_t n, ninv; /* ninv: -1/n mod 2^64 */
    uint64_t one, r2; /* R mod n, R^2 mod n */
} mont;

static uint64_t addmod(uint64_t a, uint64_t b, uint64_t n)
{
    uint64_t s = a + b;
    return (s < a || s >= n) ? s - n : s;
}

static uint64_t submod(uint64_t a, uint64_t b, uint64_t n)
{
    return a >= b ? a - b : a + (n - b);
}

static uint64_t redc(const mont *m, uint64_t hi, uint64_t lo)
{
    uint64_t q = lo * m->ninv, qh, ql;
    mul64(q, m->n, &qh, &ql);
    /* lo + ql is 0 mod 2^64: it carries exactly when lo is not 0 */
    uint64_t u = hi + qh;
    bool over = u < hi;
    uint64_t c = lo != 0;
    u += c;
    over = over || u < c;
    return (over || u >= m->n) ? u - m->n : u;
}

static uint64_t mmul(const mont *m, uint64_t a, uint64_t b)
{
    uint64_t hi, lo;
    mul64(a, b, &hi, &lo);
    return redc(m, hi, lo);
}

static void mont_init(mont *m, uint64_t n)
{
    uint64_t inv = n; /* Newton's iteration: correct to 3, 6, 12, 24, 48, 96 bits */
    for (int i = 0; i < 5; i++)
        inv *= 2 - n * inv;
    m->n = n;
    m->ninv = 0 - inv;
    m->one = (0 - n) % n;
    uint64_t r = m->one;
    for (int i = 0; i < 64; i++)
        r = addmod(r, r, n);
    m->r2 = r;
}

static uint64_t to_mont(const mont *m, uint64_t a)
{
    return mmul(m, a % m->n, m->r2);
}

static uint64_t mpow(const mont *m, uint64_t a, uint64_t e)
{
    uint64_t r = m->one;
    while (e) {
        if (e & 1)
            r = mmul(m, r, a);
        a = mmul(m, a, a);
        e >>= 1;
    }
    return r;
}

/* Deterministic for every 64-bit n (the first twelve primes as bases). */
static bool is_prime(uint64_t n)
{
    static const uint64_t bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    if (n < 2)
        return false;
    for (size_t i = 0; i < sizeof bases / sizeof *bases; i++)
        if (n % bases[i] == 0)
            return n == bases[i];
    mont m;
    mont_init(&m, n);
    uint64_t d = n - 1;
    int s = 0;
    while (!(d & 1))
        d >>= 1, s++;
    uint64_t minus1 = submod(0, m.one, n);
    for (size_t i = 0; i < sizeof bases / sizeof *bases; i++) {
        uint64_t x = mpow(&m, to_mont(&m, bases[i]), d);
        if (x == m.one || x == minus1)
            continue;
        bool witness = true;
        for (int r = 1; r < s && witness; r++) {
            x = mmul(&m, x, x);
            if (x == minus1)
                witness = false;
        }
        if (witness)
            return false;
    }
    return true;
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* A proper factor of the odd composite n (Brent's cycle finding, products
 * of 128 differences per gcd). */
static uint64_t rho(uint64_t n)
{
    mont m;
    mont_init(&m, n);
    for (uint64_t c0 = 1;; c0++) {
        uint64_t c = to_mont(&m, c0), y = to_mont(&m, 2), x = y, ys = y, q = m.one, g = 1;
        for (uint64_t r = 1; g == 1; r <<= 1) {
            x = y;
            for (uint64_t i = 0; i < r; i++)
                y = addmod(mmul(&m, y, y), c, n);
            for (uint64_t k = 0; k < r && g == 1; k += 128) {
                ys = y;
                uint64_t lim = r - k < 128 ? r - k : 128;
                for (uint64_t i = 0; i < lim; i++) {
                    y = addmod(mmul(&m, y, y), c, n);
                    q = mmul(&m, q, x > y ? x - y : y - x);
                }
                g = gcd(q, n);
            }
        }
        if (g == n) { /* the product lost the factor: one step at a time */
            do {
                ys = addmod(mmul(&m, ys, ys), c, n);
                g = gcd(x > ys ? x - ys : ys - x, n);
            } while (g == 1);
        }
        if (g != n)
            return g;
    }
}

typedef struct {
    uint64_t v[64];
    int n;
} factors;

static void factor_big(factors *f, uint64_t n)
{
    if (n == 1)
        return;
    if (is_prime(n)) {
        f->v[f->n++] = n;
        return;
    }
    uint64_t d = rho(n);
    factor_big(f, d);
    factor_big(f, n / d);
}

static int cmp_u64(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void factorize(uint64_t n, factors *f)
{
    f->n = 0;
    if (n < 2) /* 0 and 1 have no prime factors */
        return;
    while (!(n & 1))
        f->v[f->n++] = 2, n >>= 1;
    for (uint64_t p = 3; p <= 5; p += 2)
        while (n % p == 0)
            f->v[f->n++] = p, n /= p;
    /* the 2-3-5 wheel: 7, 11, 13, 17, 19, 23, 29, 31, then +30 */
    static const uint8_t step[8] = {4, 2, 4, 2, 4, 6, 2, 6};
    uint64_t p = 7;
    for (int i = 0; p < 1024 && p * p <= n; p += step[i++ & 7])
        while (n % p == 0)
            f->v[f->n++] = p, n /= p;
    if (n > 1) {
        if (n < 1024 * 1024)
            f->v[f->n++] = n; /* no factor below its square root */
        else
            factor_big(f, n);
    }
    sh_sort(f->v, (size_t)f->n, sizeof *f->v, cmp_u64, NULL);
}

/* One number (a token without blanks); false after a message. */
static bool factor_one(shctx *sh, const char *tok, sh_buf *out)
{
    const char *s = tok;
    if (*s == '+')
        s++;
    size_t k = strspn(s, "0123456789");
    if (k == 0 || s[k]) {
        sh_err(sh, "%s is not a valid positive integer", sh_quote(sh, tok));
        return false;
    }
    while (*s == '0' && s[1])
        s++;
    uint64_t n = 0;
    for (const char *p = s; *p; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (n > (UINT64_MAX - d) / 10) {
            sh_err(sh, "%s is too large (the sandbox's factor handles numbers below 2^64)",
                   sh_quote(sh, tok));
            return false;
        }
        n = n * 10 + d;
    }
    factors f;
    factorize(n, &f);
    char d[24];
    sh_buf_add(out, d, sh_fmt_u64(d, n));
    sh_buf_addc(out, ':');
    for (int i = 0; i < f.n; i++) {
        sh_buf_addc(out, ' ');
        sh_buf_add(out, d, sh_fmt_u64(d, f.v[i]));
    }
    sh_buf_addc(out, '\n');
    return true;
}

static bool flush(shctx *sh, sh_buf *out, size_t at)
{
    if (out->len < at)
        return true;
    bool ok = sh_write(sh_stdout(sh), out->data, out->len);
    out->len = 0;
    return ok;
}

int util_factor(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    sh_getopt_state st = SH_GETOPT_INIT;
    int c, status = 0;
    while ((c = sh_getopt(sh, &st, argc, argv, "", lo)) != -1) {
        if (c == 'h') {
            sh_puts(sh_stdout(sh), "Usage: factor [NUMBER]...\n");
            return 0;
        }
        return 1;
    }
    sh_buf out = {0};
    bool ok = true;
    if (st.ind < argc) {
        for (int i = st.ind; i < argc && ok && !sh_interrupted(sh); i++) {
            /* an operand may have blanks around it, as strtoumax allows */
            const char *a = argv[i];
            while (isspace((unsigned char)*a))
                a++;
            char *tok = sh_strdup(a);
            size_t k = strlen(tok);
            while (k && isspace((unsigned char)tok[k - 1]))
                tok[--k] = 0;
            if (!factor_one(sh, tok, &out)) {
                status = 1;
                ok = flush(sh, &out, 0); /* keep stdout and stderr in order */
            }
            free(tok);
            ok = ok && flush(sh, &out, 65536);
        }
    } else {
        sh_stream *in = sh_input(sh, "-");
        sh_buf line = {0};
        ssize_t n;
        while (ok && !sh_interrupted(sh) && (n = sh_getdelim(in, &line, '\n')) > 0) {
            char *p = line.data, *end = line.data + n;
            while (p < end && ok) {
                while (p < end && (isspace((unsigned char)*p) || *p == 0))
                    p++;
                char *t = p;
                while (p < end && !isspace((unsigned char)*p) && *p)
                    p++;
                if (p == t)
                    break;
                char save = *p;
                *p = 0;
                if (!factor_one(sh, t, &out)) {
                    status = 1;
                    ok = flush(sh, &out, 0);
                }
                *p = save;
                ok = ok && flush(sh, &out, 65536);
            }
        }
        sh_buf_free(&line);
    }
    if (!flush(sh, &out, 0))
        ok = false;
    sh_buf_free(&out);
    return ok ? status : 1;
}
