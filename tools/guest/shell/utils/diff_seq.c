/* diff_seq.c: which lines changed (diff.h). Myers' algorithm ("An O(ND)
 * Difference Algorithm and Its Variations", 1986) with the linear-space
 * refinement: search from both ends for the middle snake of an optimal
 * path, split there, solve both halves. The halves go on an explicit stack,
 * not the C stack, so no input can run it out. The work is bounded as GNU
 * diff bounds it: past a cost of about sqrt(N+M) (at least 4096) edit steps
 * one search stops and splits at the diagonal that got furthest, which
 * keeps huge, very different files fast at the price of a diff that may
 * not be the shortest (minimal asks for the shortest whatever it costs).
 *
 * Before the search (unless minimal), lines that occur nowhere in the
 * other file are set aside (they can only be changes) so the search runs
 * on fewer lines; after
 * it, each run of changes is slid down as far as equal lines allow and then
 * back to line up with a run of changes in the other file, as GNU diff
 * does, so the hunks come out where its do. */
#include "diff.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const uint32_t *x, *y;  /* the lines searched (ids) */
    char *cx, *cy;          /* their change flags */
    long *fd, *bd;          /* furthest x on each diagonal, forward and backward (offset by dof) */
    long dof;
    long too_expensive;
} seqctx;

typedef struct {
    long xmid, ymid;
    bool lo_minimal, hi_minimal;
} split;

/* Finds where to split x[xoff..xlim) against y[yoff..ylim): the middle of
 * an optimal edit path, or, past the cost bound, the best diagonal so far.
 * Both sequences are non-empty and differ at both ends. */
static void middle(seqctx *c, long xoff, long xlim, long yoff, long ylim, bool minimal, split *sp)
{
    long *fd = c->fd + c->dof, *bd = c->bd + c->dof;
    const uint32_t *x = c->x, *y = c->y;
    const long dmin = xoff - ylim, dmax = xlim - yoff;
    const long fmid = xoff - yoff, bmid = xlim - ylim;
    long fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
    const bool odd = (fmid - bmid) & 1;
    fd[fmid] = xoff;
    bd[bmid] = xlim;
    for (long cost = 1;; cost++) {
        /* one more edit step forward on every diagonal in reach */
        if (fmin > dmin)
            fd[--fmin - 1] = -1;
        else
            fmin++;
        if (fmax < dmax)
            fd[++fmax + 1] = -1;
        else
            fmax--;
        for (long d = fmax; d >= fmin; d -= 2) {
            long lo = fd[d - 1], hi = fd[d + 1];
            long px = lo < hi ? hi : lo + 1, py = px - d;
            while (px < xlim && py < ylim && x[px] == y[py])
                px++, py++;
            fd[d] = px;
            if (odd && bmin <= d && d <= bmax && bd[d] <= px) {
                *sp = (split){px, py, true, true};
                return;
            }
        }
        /* and backward */
        if (bmin > dmin)
            bd[--bmin - 1] = LONG_MAX;
        else
            bmin++;
        if (bmax < dmax)
            bd[++bmax + 1] = LONG_MAX;
        else
            bmax--;
        for (long d = bmax; d >= bmin; d -= 2) {
            long lo = bd[d - 1], hi = bd[d + 1];
            long px = lo < hi ? lo : hi - 1, py = px - d;
            while (px > xoff && py > yoff && x[px - 1] == y[py - 1])
                px--, py--;
            bd[d] = px;
            if (!odd && fmin <= d && d <= fmax && px <= fd[d]) {
                *sp = (split){px, py, true, true};
                return;
            }
        }
        if (minimal || cost < c->too_expensive)
            continue;
        /* Too costly: split at the forward diagonal that got furthest
         * (largest x+y) or the backward one that did (smallest x+y),
         * whichever went further from its end. */
        long fbest = -1, fbx = xoff;
        for (long d = fmax; d >= fmin; d -= 2) {
            long px = fd[d] < xlim ? fd[d] : xlim, py = px - d;
            if (py > ylim)
                px = ylim + d, py = ylim;
            if (px + py > fbest)
                fbest = px + py, fbx = px;
        }
        long bbest = LONG_MAX, bbx = xlim;
        for (long d = bmax; d >= bmin; d -= 2) {
            long px = bd[d] > xoff ? bd[d] : xoff, py = px - d;
            if (py < yoff)
                px = yoff + d, py = yoff;
            if (px + py < bbest)
                bbest = px + py, bbx = px;
        }
        if ((xlim + ylim) - bbest < fbest - (xoff + yoff))
            *sp = (split){fbx, fbest - fbx, true, false};
        else
            *sp = (split){bbx, bbest - bbx, false, true};
        return;
    }
}

typedef struct {
    long xoff, xlim, yoff, ylim;
    bool minimal;
} task;

static void compare_seq(seqctx *c, long nx, long ny, bool minimal)
{
    size_t cap = 64, top = 0;
    task *stack = sh_malloc(cap * sizeof *stack);
    stack[top++] = (task){0, nx, 0, ny, minimal};
    while (top) {
        task t = stack[--top];
        while (t.xoff < t.xlim && t.yoff < t.ylim && c->x[t.xoff] == c->y[t.yoff])
            t.xoff++, t.yoff++;
        while (t.xoff < t.xlim && t.yoff < t.ylim && c->x[t.xlim - 1] == c->y[t.ylim - 1])
            t.xlim--, t.ylim--;
        if (t.xoff == t.xlim) {
            memset(c->cy + t.yoff, 1, (size_t)(t.ylim - t.yoff));
            continue;
        }
        if (t.yoff == t.ylim) {
            memset(c->cx + t.xoff, 1, (size_t)(t.xlim - t.xoff));
            continue;
        }
        split sp;
        middle(c, t.xoff, t.xlim, t.yoff, t.ylim, t.minimal, &sp);
        if (top + 2 > cap) {
            cap *= 2;
            stack = sh_realloc(stack, cap * sizeof *stack);
        }
        stack[top++] = (task){sp.xmid, t.xlim, sp.ymid, t.ylim, sp.hi_minimal};
        stack[top++] = (task){t.xoff, sp.xmid, t.yoff, sp.ymid, sp.lo_minimal};
    }
    free(stack);
}

/* Slides each run of changes in ch (file of n lines, ids eq) down as far as
 * equal lines allow, merging with runs it meets, then back up to the last
 * place where it lines up with a run of changes in the other file (och). */
static void shift_runs(char *ch, const char *och, const uint32_t *eq, long n)
{
    long i = 0, j = 0;
    for (;;) {
        while (i < n && !ch[i]) {
            while (och[j++])
                ;
            i++;
        }
        if (i == n)
            break;
        long start = i, runlength, corresponding;
        while (ch[++i])
            ;
        while (och[j])
            j++;
        do {
            runlength = i - start;
            /* back up while the line before the run equals its last line */
            while (start && eq[start - 1] == eq[i - 1]) {
                ch[--start] = 1;
                ch[--i] = 0;
                while (ch[start - 1])
                    start--;
                while (och[--j])
                    ;
            }
            corresponding = och[j - 1] ? i : n;
            /* then down while its first line equals the line after it */
            while (i != n && eq[start] == eq[i]) {
                ch[start++] = 0;
                ch[i++] = 1;
                while (ch[i])
                    i++;
                while (och[++j])
                    corresponding = i;
            }
        } while (runlength != i - start);
        while (corresponding < i) {
            ch[--start] = 1;
            ch[--i] = 0;
            while (och[--j])
                ;
        }
    }
}

/* Which lines to set aside before the search: 1 for a line that occurs
 * nowhere in the other file, 2 (provisionally) for one that occurs there
 * very often; provisional ones are kept unless they sit inside a run of
 * set-aside lines with firm ones at both of its ends (GNU diff's rule, which
 * keeps lines such as "}" from pulling the search astray). */
static void mark_discards(const uint32_t *v, size_t n, const size_t *count_other, char *dis)
{
    size_t many = 5;
    for (size_t t = n / 64; (t >>= 2) > 0;)
        many *= 2;
    for (size_t i = 0; i < n; i++) {
        size_t m = count_other[v[i]];
        dis[i] = m == 0 ? 1 : m > many ? 2 : 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (dis[i] == 2) { /* not inside a run that starts firm */
            dis[i] = 0;
            continue;
        }
        if (dis[i] == 0)
            continue;
        size_t j = i, prov = 0;
        while (j < n && dis[j]) {
            prov += dis[j] == 2;
            j++;
        }
        while (j > i && dis[j - 1] == 2) { /* the run ends firm */
            dis[--j] = 0;
            prov--;
        }
        size_t len = j - i;
        if (prov * 4 > len) {
            /* too many provisional lines: keep them all */
            for (size_t k = i; k < j; k++)
                if (dis[k] == 2)
                    dis[k] = 0;
        } else {
            /* keep every sub-run of at least `minimum` provisional lines */
            size_t minimum = 1;
            for (size_t t = len / 4; (t >>= 2) > 0;)
                minimum *= 2;
            minimum++;
            size_t consec = 0;
            for (size_t k = 0; k < len; k++) {
                if (dis[i + k] != 2)
                    consec = 0;
                else if (++consec == minimum)
                    k -= consec; /* back to the sub-run's start to keep it all */
                else if (consec > minimum)
                    dis[i + k] = 0;
            }
            /* keep provisional lines near the run's ends, up to three firm
             * lines in a row or a firm one at least 8 lines in */
            consec = 0;
            for (size_t k = 0; k < len; k++) {
                if (k >= 8 && dis[i + k] == 1)
                    break;
                if (dis[i + k] == 2)
                    consec = 0, dis[i + k] = 0;
                else if (dis[i + k] == 0)
                    consec = 0;
                else if (++consec == 3)
                    break;
            }
            size_t last = i + len - 1;
            consec = 0;
            for (size_t k = 0; k < len; k++) {
                if (k >= 8 && dis[last - k] == 1)
                    break;
                if (dis[last - k] == 2)
                    consec = 0, dis[last - k] = 0;
                else if (dis[last - k] == 0)
                    consec = 0;
                else if (++consec == 3)
                    break;
            }
            j = last + 1;
        }
        i = j - 1; /* on to the run's end */
    }
}

void diff_compare(const uint32_t *a, size_t na, const uint32_t *b, size_t nb, bool minimal, char *ca,
                  char *cb)
{
    /* how often each id occurs in each file */
    uint32_t maxid = 0;
    for (size_t i = 0; i < na; i++)
        maxid = a[i] > maxid ? a[i] : maxid;
    for (size_t j = 0; j < nb; j++)
        maxid = b[j] > maxid ? b[j] : maxid;
    size_t *count_a = sh_calloc((size_t)maxid + 1, sizeof *count_a);
    size_t *count_b = sh_calloc((size_t)maxid + 1, sizeof *count_b);
    for (size_t i = 0; i < na; i++)
        count_a[a[i]]++;
    for (size_t j = 0; j < nb; j++)
        count_b[b[j]]++;
    char *dis_a = sh_malloc(na + 1), *dis_b = sh_malloc(nb + 1);
    /* -d (minimal) searches every line, as GNU's does */
    if (minimal) {
        memset(dis_a, 0, na);
        memset(dis_b, 0, nb);
    } else {
        mark_discards(a, na, count_b, dis_a);
        mark_discards(b, nb, count_a, dis_b);
    }
    free(count_a);
    free(count_b);
    /* the lines the search sees, and where they came from */
    uint32_t *x = sh_malloc((na + 1) * sizeof *x), *y = sh_malloc((nb + 1) * sizeof *y);
    size_t *xi = sh_malloc((na + 1) * sizeof *xi), *yi = sh_malloc((nb + 1) * sizeof *yi);
    long nx = 0, ny = 0;
    for (size_t i = 0; i < na; i++) {
        if (!dis_a[i]) {
            x[nx] = a[i];
            xi[nx++] = i;
        } else {
            ca[i] = 1;
        }
    }
    for (size_t j = 0; j < nb; j++) {
        if (!dis_b[j]) {
            y[ny] = b[j];
            yi[ny++] = j;
        } else {
            cb[j] = 1;
        }
    }
    free(dis_a);
    free(dis_b);
    seqctx c = {.x = x, .y = y};
    c.cx = sh_calloc((size_t)nx + 2, 1) + 1;
    c.cy = sh_calloc((size_t)ny + 2, 1) + 1;
    size_t ndiag = (size_t)nx + (size_t)ny + 3;
    c.fd = sh_malloc(ndiag * sizeof *c.fd);
    c.bd = sh_malloc(ndiag * sizeof *c.bd);
    c.dof = ny + 1;
    c.too_expensive = 1;
    for (size_t d = ndiag; d; d >>= 2)
        c.too_expensive <<= 1;
    if (c.too_expensive < 4096)
        c.too_expensive = 4096;
    compare_seq(&c, nx, ny, minimal);
    for (long i = 0; i < nx; i++)
        if (c.cx[i])
            ca[xi[i]] = 1;
    for (long j = 0; j < ny; j++)
        if (c.cy[j])
            cb[yi[j]] = 1;
    free(c.cx - 1);
    free(c.cy - 1);
    free(c.fd);
    free(c.bd);
    free(x);
    free(y);
    free(xi);
    free(yi);
    shift_runs(ca, cb, a, (long)na);
    shift_runs(cb, ca, b, (long)nb);
}
