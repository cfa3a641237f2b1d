/* tsort: GNU's. Pairs of words ("a b": a comes before b) in, the words in
 * an order that keeps every pair, out. It is Knuth's algorithm T as GNU
 * runs it, so the order is GNU's: the words that wait for nothing are
 * taken in byte order, each one's followers in the reverse order of their
 * pairs. A loop is reported ("tsort: -: input contains a loop:" and its
 * words), broken, and the rest still printed; status 1. */
#include "../shell.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct succ {
    struct item *to;
    struct succ *next;
} succ;

typedef struct item {
    char *str;          /* NULL once printed */
    size_t count;       /* pairs still waiting on it */
    succ *top;          /* its followers, the last pair first */
    struct item *qlink; /* the queue, and the path of a loop */
} item;

typedef struct {
    item **v;           /* every word, in byte order */
    size_t n;
    item *head, *tail;  /* the queue of words ready to print */
    item *loop;
} graph;

static int by_str(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    return strcmp((*(item *const *)a)->str, (*(item *const *)b)->str);
}

static item *find(graph *g, const char *s)
{
    size_t lo = 0, hi = g->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(g->v[mid]->str, s);
        if (c == 0)
            return g->v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static void enqueue(graph *g, item *k)
{
    if (!g->head)
        g->head = k;
    else
        g->tail->qlink = k;
    g->tail = k;
}

/* GNU's detect_loop for one word: follows the loop's path back; true
 * once a loop was printed and one of its pairs removed. */
static bool detect_loop(shctx *sh, graph *g, item *k)
{
    if (k->count == 0)
        return false;
    if (!g->loop) {
        g->loop = k;
        return false;
    }
    for (succ **p = &k->top; *p; p = &(*p)->next) {
        if ((*p)->to != g->loop)
            continue;
        if (!k->qlink) {
            k->qlink = g->loop;
            g->loop = k;
            return false;
        }
        while (g->loop) {
            item *next = g->loop->qlink;
            sh_err(sh, "%s", g->loop->str);
            if (g->loop == k) {
                (*p)->to->count--;
                *p = (*p)->next; /* the pair is dropped (freed with the rest) */
                break;
            }
            g->loop->qlink = NULL;
            g->loop = next;
        }
        while (g->loop) {
            item *next = g->loop->qlink;
            g->loop->qlink = NULL;
            g->loop = next;
        }
        return true;
    }
    return false;
}

int util_tsort(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "", lo)) != -1) {
        if (c == 'h') {
            sh_puts(sh_stdout(sh), "Usage: tsort [OPTION] [FILE]\n");
            return 0;
        }
        return 1;
    }
    if (argc - st.ind > 1) {
        sh_err(sh, "extra operand %s", sh_quote(sh, argv[st.ind + 1]));
        sh_try_help(sh);
        return 1;
    }
    const char *name = st.ind < argc ? argv[st.ind] : "-";
    sh_stream *in = sh_input(sh, name);
    if (!in)
        return 1;
    sh_buf text = {0};
    bool read_ok = sh_read_all(in, &text, SH_NO_LIMIT);
    int e = errno;
    sh_input_close(sh, in);
    if (!read_ok) {
        sh_errno(sh, e, "%s", sh_quote_maybe(sh, name));
        sh_buf_free(&text);
        return 1;
    }
    /* the words, split in place */
    char **tok = NULL;
    size_t ntok = 0, cap = 0;
    for (size_t i = 0; i < text.len;) {
        while (i < text.len && (text.data[i] == ' ' || text.data[i] == '\t' || text.data[i] == '\n'))
            i++;
        if (i == text.len)
            break;
        size_t j = i;
        while (j < text.len && text.data[j] != ' ' && text.data[j] != '\t' && text.data[j] != '\n')
            j++;
        text.data[j] = 0;
        if (ntok == cap) {
            cap = cap ? cap * 2 : 256;
            tok = sh_realloc(tok, cap * sizeof *tok);
        }
        tok[ntok++] = text.data + i;
        i = j + 1;
    }
    int status = 0;
    if (ntok % 2) {
        sh_err(sh, "%s: input contains an odd number of tokens", sh_quote_maybe(sh, name));
        free(tok);
        sh_buf_free(&text);
        return 1;
    }
    /* one item per distinct word, in byte order */
    graph g = {0};
    item **all = sh_malloc((ntok + 1) * sizeof *all);
    item *items = sh_calloc(ntok + 1, sizeof *items);
    for (size_t i = 0; i < ntok; i++) {
        items[i].str = tok[i];
        all[i] = &items[i];
    }
    sh_sort(all, ntok, sizeof *all, by_str, NULL);
    g.v = all;
    for (size_t i = 0; i < ntok; i++)
        if (!g.n || strcmp(g.v[g.n - 1]->str, all[i]->str))
            all[g.n++] = all[i];
    succ *pairs = sh_malloc((ntok / 2 + 1) * sizeof *pairs);
    for (size_t i = 0; i + 1 < ntok; i += 2) {
        item *j = find(&g, tok[i]), *k = find(&g, tok[i + 1]);
        if (j == k)
            continue;
        k->count++;
        succ *p = &pairs[i / 2];
        p->to = k;
        p->next = j->top;
        j->top = p;
    }
    size_t left = g.n;
    sh_buf out = {0};
    bool ok = true;
    while (left > 0 && ok && !sh_interrupted(sh)) {
        for (size_t i = 0; i < g.n; i++)
            if (g.v[i]->count == 0 && g.v[i]->str)
                enqueue(&g, g.v[i]);
        for (; g.head; g.head = g.head->qlink) {
            item *h = g.head;
            sh_buf_adds(&out, h->str);
            sh_buf_addc(&out, '\n');
            h->str = NULL;
            left--;
            for (succ *p = h->top; p; p = p->next)
                if (--p->to->count == 0)
                    enqueue(&g, p->to);
            if (out.len >= 65536) {
                ok = sh_write(sh_stdout(sh), out.data, out.len);
                out.len = 0;
            }
        }
        if (left > 0) {
            ok = ok && (!out.len || sh_write(sh_stdout(sh), out.data, out.len));
            out.len = 0;
            sh_flush(sh_stdout(sh));
            sh_err(sh, "%s: input contains a loop:", sh_quote_maybe(sh, name));
            status = 1;
            bool found;
            do {
                found = false;
                for (size_t i = 0; i < g.n && !found; i++)
                    found = detect_loop(sh, &g, g.v[i]);
            } while (g.loop);
            g.tail = NULL;
        }
    }
    if (ok && out.len)
        ok = sh_write(sh_stdout(sh), out.data, out.len);
    sh_buf_free(&out);
    free(pairs);
    free(items);
    free(all);
    free(tok);
    sh_buf_free(&text);
    return ok ? status : 1;
}
