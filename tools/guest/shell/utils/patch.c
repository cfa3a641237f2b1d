/* patch: GNU patch 2.7 for unified diffs. -p N, -i FILE, -R, --dry-run,
 * -N (skip reversed or applied patches), -o FILE, -r FILE, -F N (fuzz, 2 by
 * default), -l, -t, -f, -s, -E, -b, --no-backup-if-mismatch, -d DIR, and
 * [ORIGFILE [PATCHFILE]]. Hunks are found as GNU finds them (patch_apply.c)
 * and its messages are GNU's, the questions it would ask included: there
 * is no terminal, so each is answered with its default as GNU does without
 * one ("Assume -R? [n]", "Apply anyway? [n]", "Skipping patch."). A file
 * whose hunks did not all apply exactly is backed up as FILE.orig, failed
 * hunks go to FILE.rej; files are created (with their directories) and
 * deleted as the patch says.
 *
 * Names in the patch that are absolute or have a ".." component are never
 * used (GNU ignores them too): a patch cannot reach outside the directory
 * it is applied in, whatever the sandbox maps. Exit 0, 1 when a hunk
 * failed or was ignored, 2 on trouble. */
#include "patch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    int64_t strip, maxfuzz;
    const char *input, *output, *rejfile, *dir, *origfile;
    bool reverse, dry_run, forward, silent, force, batch, remove_empty, backup, backup_mismatch;
    pt_match_opts match;
    bool rej_written;  /* -r FILE: later rejects are appended */
} popt;

enum { ANSWER_SKIP, ANSWER_REVERSE, ANSWER_APPLY };

static void say(shctx *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(shctx *sh, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sh_vprintf(sh_stdout(sh), fmt, ap);
    va_end(ap);
}

static void fatal(shctx *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fatal(shctx *sh, const char *fmt, ...)
{
    sh_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sh_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    sh_flush(sh_stdout(sh));
    sh_printf(sh_stderr(sh), "%s: **** %s\n", sh_name(sh), b.data);
    sh_buf_free(&b);
}

/* GNU's ok_to_reverse: the question, answered as with no terminal. */
static int ask_reverse(shctx *sh, const popt *o, bool reversed, const char *msg)
{
    if (o->forward || !(o->force && o->silent))
        say(sh, "%s", msg);
    if (o->forward) {
        say(sh, "  Skipping patch.\n");
        return ANSWER_SKIP;
    }
    if (o->force) {
        if (!o->silent)
            say(sh, "  Applying it anyway.\n");
        return ANSWER_APPLY;
    }
    if (o->batch) {
        say(sh, reversed ? "  Ignoring -R.\n" : "  Assuming -R.\n");
        return ANSWER_REVERSE;
    }
    say(sh, reversed ? "  Ignore -R? [n] \n" : "  Assume -R? [n] \n");
    say(sh, "Apply anyway? [n] \n");
    if (!o->silent)
        say(sh, "Skipping patch.\n");
    return ANSWER_SKIP;
}

/* ---- file names ---------------------------------------------------------- */

/* name without its first `strip` components (strip < 0: its last one
 * only); NULL when it has fewer, or when it is absolute or goes up (".."). */
static char *strip_name(const char *name, int64_t strip)
{
    if (!name || !*name)
        return NULL;
    const char *p = name;
    if (strip < 0) {
        const char *slash = strrchr(name, '/');
        p = slash ? slash + 1 : name;
    } else {
        for (int64_t i = 0; i < strip; i++) {
            const char *slash = strchr(p, '/');
            if (!slash)
                return NULL;
            p = slash + 1;
            while (*p == '/')
                p++;
        }
    }
    if (!*p || *p == '/')
        return NULL;
    for (const char *c = p; *c;) {
        size_t n = strcspn(c, "/");
        if (n == 2 && c[0] == '.' && c[1] == '.')
            return NULL;
        c += n;
        while (*c == '/')
            c++;
    }
    return sh_strdup(p);
}

static char *in_dir(const popt *o, const char *name)
{
    if (!o->dir)
        return sh_strdup(name);
    sh_buf b = {0};
    sh_buf_adds(&b, o->dir);
    if (b.len && b.data[b.len - 1] != '/')
        sh_buf_addc(&b, '/');
    sh_buf_adds(&b, name);
    return sh_buf_take(&b);
}

static bool is_file(const popt *o, const char *name, struct stat *st)
{
    char *p = in_dir(o, name);
    bool ok = stat(p, st) == 0 && !S_ISDIR(st->st_mode);
    free(p);
    return ok;
}

/* GNU's choice among the names that exist: fewest components, then the
 * shortest base name, then the shortest name; the first on a tie. */
static bool better(const char *a, const char *b)
{
    size_t ca = 0, cb = 0;
    for (const char *p = a; *p; p++)
        ca += *p == '/';
    for (const char *p = b; *p; p++)
        cb += *p == '/';
    if (ca != cb)
        return ca < cb;
    const char *ba = strrchr(a, '/') ? strrchr(a, '/') + 1 : a, *bb = strrchr(b, '/') ? strrchr(b, '/') + 1 : b;
    if (strlen(ba) != strlen(bb))
        return strlen(ba) < strlen(bb);
    return strlen(a) < strlen(b);
}

/* ---- reading and writing files ----------------------------------------- */

static bool read_file(shctx *sh, const char *path, sh_buf *data)
{
    sh_stream *in = sh_open(sh, path, O_RDONLY);
    if (!in)
        return false;
    bool ok = sh_read_all(in, data, SH_NO_LIMIT);
    int e = errno;
    sh_close(in);
    errno = e;
    return ok;
}

static pt_text *split(const sh_buf *d, size_t *n)
{
    size_t cap = 256;
    pt_text *v = sh_malloc(cap * sizeof *v);
    *n = 0;
    for (size_t off = 0; off < d->len;) {
        const char *s = d->data + off, *nl = memchr(s, '\n', d->len - off);
        size_t len = nl ? (size_t)(nl - s) : d->len - off;
        if (*n == cap) {
            cap *= 2;
            v = sh_realloc(v, cap * sizeof *v);
        }
        v[(*n)++] = (pt_text){s, len, nl != NULL};
        off += len + (nl != NULL);
    }
    return v;
}

static void make_parents(const char *path)
{
    char *p = sh_strdup(path);
    for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = 0;
        mkdir(p, 0777);
        *s = '/';
    }
    free(p);
}

static bool write_file(shctx *sh, const char *path, const char *data, size_t n)
{
    make_parents(path);
    sh_stream *out = sh_open(sh, path, O_WRONLY | O_CREAT | O_TRUNC);
    if (!out) {
        fatal(sh, "Can't create file %s : %s", path, sh_strerror(errno));
        return false;
    }
    bool ok = sh_write(out, data, n);
    ok = sh_close(out) && ok;
    if (!ok)
        fatal(sh, "write error on %s : %s", path, sh_strerror(errno));
    return ok;
}

/* The new contents in place of path's: written beside it, then renamed
 * over it, so that a failed write leaves the old file whole. */
static bool replace_file(shctx *sh, const char *path, const sh_buf *data)
{
    sh_buf tmp = {0};
    sh_buf_printf(&tmp, "%s.patch-tmp", path);
    bool ok = write_file(sh, tmp.data, data->data ? data->data : "", data->len);
    if (ok && rename(tmp.data, path) != 0) {
        fatal(sh, "Can't rename file %s to %s : %s", tmp.data, path, sh_strerror(errno));
        ok = false;
    }
    if (!ok)
        unlink(tmp.data);
    sh_buf_free(&tmp);
    return ok;
}

/* Removes the file `name` (in -d's directory), then the directories of
 * name that are left empty, as GNU does; never one above name's own
 * (not -d's directory, nothing for an absolute name). */
static void remove_file(const popt *o, const char *name)
{
    char *path = in_dir(o, name);
    unlink(path);
    free(path);
    if (name[0] == '/')
        return;
    char *p = sh_strdup(name);
    for (char *s = strrchr(p, '/'); s && s != p; s = strrchr(p, '/')) {
        *s = 0;
        const char *last = strrchr(p, '/') ? strrchr(p, '/') + 1 : p;
        if (!strcmp(last, "..") || !strcmp(last, "."))
            break;
        char *dir = in_dir(o, p);
        bool gone = rmdir(dir) == 0;
        free(dir);
        if (!gone)
            break;
    }
    free(p);
}

/* ---- rejects ------------------------------------------------------------- */

static void rej_range(sh_buf *b, int64_t start, int64_t count)
{
    if (count == 0)
        sh_buf_printf(b, "%lld,0", (long long)(start - 1));
    else if (count == 1)
        sh_buf_printf(b, "%lld", (long long)start);
    else
        sh_buf_printf(b, "%lld,%lld", (long long)start, (long long)count);
}

static void rej_line(sh_buf *b, char kind, const pt_line *l)
{
    sh_buf_addc(b, kind);
    sh_buf_add(b, l->text, l->len);
    sh_buf_adds(b, l->nl ? "\n" : "\n\\ No newline at end of file\n");
}

/* A failed hunk as GNU writes it to the .rej file: its numbers moved by
 * what the hunks before it changed, old lines before new in each change. */
static void rej_hunk(sh_buf *b, const pt_hunk *h, int64_t out_offset)
{
    sh_buf_adds(b, "@@ -");
    rej_range(b, (h->old_len ? h->old_start : h->old_start + 1) + out_offset, h->old_len);
    sh_buf_adds(b, " +");
    rej_range(b, (h->new_len ? h->new_start : h->new_start + 1) + out_offset, h->new_len);
    sh_buf_adds(b, " @@");
    sh_buf_add(b, h->func, h->func_len);
    sh_buf_addc(b, '\n');
    for (size_t i = 0; i < h->nlines;) {
        if (h->lines[i].kind == ' ') {
            rej_line(b, ' ', &h->lines[i++]);
            continue;
        }
        size_t j = i;
        while (j < h->nlines && h->lines[j].kind != ' ')
            j++;
        for (size_t k = i; k < j; k++)
            if (h->lines[k].kind == '-')
                rej_line(b, '-', &h->lines[k]);
        for (size_t k = i; k < j; k++)
            if (h->lines[k].kind == '+')
                rej_line(b, '+', &h->lines[k]);
        i = j;
    }
}

/* ---- one file's patch ---------------------------------------------------- */

typedef struct {
    sh_buf out;        /* the new contents */
    bool after_nl;     /* out ends at a line's end */
} output;

static void emit(output *w, const char *text, size_t len, bool nl)
{
    if (!w->after_nl)
        sh_buf_addc(&w->out, '\n');
    sh_buf_add(&w->out, text, len);
    if (nl)
        sh_buf_addc(&w->out, '\n');
    w->after_nl = nl;
}

/* Prints the "can't find file" dialog as GNU does without a terminal. */
static void no_file(shctx *sh, const popt *o, const pt_reader *r, const pt_file *f)
{
    if (!o->silent) {
        say(sh, "can't find file to patch at input line %zu\n", f->hunk_lineno);
        say(sh, o->strip >= 0 ? "Perhaps you used the wrong -p or --strip option?\n"
                              : "Perhaps you should have used the -p or --strip option?\n");
    }
    say(sh, "The text leading up to this was:\n--------------------------\n");
    for (size_t pos = f->lead_first; pos < f->hdr_end;) {
        const char *s = r->data + pos, *nl = memchr(s, '\n', f->hdr_end - pos);
        size_t n = nl ? (size_t)(nl - s) : f->hdr_end - pos;
        say(sh, "|%.*s\n", (int)n, s);
        pos += n + 1;
    }
    say(sh, "--------------------------\n");
    if (o->batch || o->force) {
        say(sh, "No file to patch.  Skipping patch.\n");
    } else {
        say(sh, "File to patch: \nSkip this patch? [y] \n");
        if (!o->silent)
            say(sh, "Skipping patch.\n");
    }
}

static void summary(shctx *sh, size_t failed, size_t total, bool ignored)
{
    say(sh, "%zu out of %zu hunk%s %s", failed, total, total == 1 ? "" : "s", ignored ? "ignored" : "FAILED");
}

/* Would hunk h at line `where` (0-based) change or add a line before
 * `frozen`, which the hunks before it already wrote? */
static bool misordered(const pt_hunk *h, int64_t where, size_t frozen)
{
    int64_t pos = where;
    for (size_t i = 0; i < h->nlines; i++) {
        if (h->lines[i].kind != ' ' && pos < (int64_t)frozen)
            return true;
        pos += h->lines[i].kind != '+';
    }
    return false;
}

/* Does the patch say that a side of it is no file: 2 surely (/dev/null
 * or the epoch as its time), 1 maybe (its one hunk's range there is 0,0),
 * else 0 (GNU's pch_says_nonexistent). */
static int says_absent(const pt_file *f, bool new_side)
{
    if (new_side ? f->new_absent : f->old_absent)
        return 2;
    if (f->nhunks != 1)
        return 0;
    const pt_hunk *h = &f->hunks[0];
    return (new_side ? h->new_start == 0 && h->new_len == 0 : h->old_start == 0 && h->old_len == 0) ? 1 : 0;
}

/* Applies f. Returns 0, 1 (hunks failed or ignored) or 2 (trouble).
 * doomed: a later hunk of f is malformed; GNU has then said what it did
 * with the hunks before it, and changes nothing. */
static int patch_file(shctx *sh, popt *o, const pt_reader *r, pt_file *f, bool doomed)
{
    if (!f->nhunks && !doomed)
        return 0;
    /* which file (the names in the order written, whatever -R says) */
    char *target = NULL;
    struct stat st;
    bool exists = false;
    if (o->origfile) {
        target = sh_strdup(o->origfile);
        exists = is_file(o, target, &st);
    } else {
        char *cand[2] = {strip_name(f->old_name, o->strip), strip_name(f->new_name, o->strip)};
        for (int i = 0; i < 2; i++) {
            struct stat cs;
            if (cand[i] && is_file(o, cand[i], &cs) && (!target || better(cand[i], target))) {
                target = cand[i];
                st = cs;
                exists = true;
            }
        }
        if (!target)
            target = says_absent(f, false) && cand[1] ? cand[1] : cand[0] ? cand[0] : cand[1];
        for (int i = 0; i < 2; i++)
            if (cand[i] != target)
                free(cand[i]);
    }
    if (o->reverse)
        pt_reverse(f, 0);
    size_t nh = f->nhunks;
    bool reversed = o->reverse;
    /* GNU's check that a creation or deletion fits the file, asked as the
     * question for a reversed patch */
    if (target) {
        int old_says = says_absent(f, false), new_says = says_absent(f, true);
        bool missing = !exists, empty = missing || st.st_size == 0;
        bool looks = (empty ? 0 : 1) < (empty ? new_says : old_says) &&
                     !(empty && (missing ? new_says : old_says) == 1 && (missing ? old_says : new_says) == 2);
        if (looks) {
            sh_buf q = {0};
            sh_buf_printf(&q, "The next patch%s would %s the file %s,\nwhich %s!", reversed ? ", when reversed," : "",
                          !empty ? "create" : missing ? "delete" : "empty out", target,
                          !empty ? "already exists" : missing ? "does not exist" : "is already empty");
            int a = ask_reverse(sh, o, reversed, q.data);
            sh_buf_free(&q);
            if (a == ANSWER_SKIP) {
                if (!doomed && nh) {
                    summary(sh, nh, nh, true);
                    say(sh, "\n");
                }
                free(target);
                return doomed ? 2 : 1;
            }
            if (a == ANSWER_REVERSE) {
                pt_reverse(f, 0);
                reversed = !reversed;
            }
        }
    }
    if (!target || (!exists && !says_absent(f, false))) {
        no_file(sh, o, r, f);
        if (doomed) {
            free(target);
            return 2;
        }
        summary(sh, nh, nh, true);
        say(sh, "\n");
        free(target);
        return 1;
    }
    char *path = in_dir(o, target);
    sh_buf orig = {0};
    if (exists && !read_file(sh, path, &orig)) {
        fatal(sh, "Can't open file %s : %s", target, sh_strerror(errno));
        sh_buf_free(&orig);
        free(path);
        free(target);
        return 2;
    }
    if (!o->silent) {
        if (o->output)
            say(sh, "%s file %s (read from %s)\n", o->dry_run ? "checking" : "patching", o->output, target);
        else
            say(sh, "%s file %s\n", o->dry_run ? "checking" : "patching", target);
    }
    size_t nin;
    pt_text *in = split(&orig, &nin);
    output w = {{0}, true};
    sh_buf rej = {0};
    size_t frozen = 0, failed = 0;
    int64_t in_offset = 0, out_offset = 0;
    bool mismatch = false, skip = false, apply_anyway = o->force;
    for (size_t k = 0; k < nh && !sh_interrupted(sh); k++) {
        pt_hunk *h = &f->hunks[k];
        int64_t where = -1, fuzz = 0, ctx = pt_context(h);
        int64_t maxfuzz = o->maxfuzz < ctx ? o->maxfuzz : ctx;
        if (!skip) {
            for (fuzz = 0; fuzz <= maxfuzz; fuzz++) {
                where = pt_locate(h, in, nin, frozen, fuzz, &in_offset, &o->match);
                if (where < 0 || fuzz || in_offset)
                    mismatch = true;
                if (k == 0 && where < 0 && !apply_anyway && reversed == o->reverse) {
                    /* does it fit the other way round? */
                    pt_reverse_hunk(h);
                    where = pt_locate(h, in, nin, frozen, fuzz, &in_offset, &o->match);
                    if (where >= 0) {
                        int a = ask_reverse(sh, o, reversed,
                                            reversed ? "Unreversed patch detected!"
                                                     : "Reversed (or previously applied) patch detected!");
                        if (a == ANSWER_REVERSE) {
                            pt_reverse(f, 1);
                            reversed = !reversed;
                        } else {
                            pt_reverse_hunk(h);
                            where = -1;
                            if (a == ANSWER_SKIP)
                                skip = true;
                            else
                                apply_anyway = true;
                        }
                    } else {
                        pt_reverse_hunk(h);
                    }
                }
                if (skip || where >= 0)
                    break;
            }
        }
        int64_t first = h->old_len ? h->old_start : h->old_start + 1;
        /* GNU reports where an empty old side said to go, even past the end */
        int64_t newwhere = (where >= 0 ? where + 1 : first) + out_offset;
        if (where > (int64_t)nin)
            where = (int64_t)nin;
        if (where >= 0 && where < (int64_t)frozen && misordered(h, where, frozen)) {
            /* its fuzzed context may lie in what the hunk before used, not
             * a line it changes */
            say(sh, "misordered hunks! output would be garbled\n");
            where = -1;
        }
        bool creates_over = where == 0 && f->old_absent && orig.len > 0;
        if (skip || where < 0 || creates_over) {
            if (!failed) { /* the names as stripped, as GNU writes them */
                char *on = strip_name(f->old_name, o->strip), *nn = strip_name(f->new_name, o->strip);
                sh_buf_printf(&rej, "--- %s%s\n", on ? on : f->old_name ? f->old_name : "/dev/null", f->old_rest);
                sh_buf_printf(&rej, "+++ %s%s\n", nn ? nn : f->new_name ? f->new_name : "/dev/null", f->new_rest);
                free(on);
                free(nn);
            }
            rej_hunk(&rej, h, out_offset);
            failed++;
            if (!skip && !o->silent)
                say(sh, "Hunk #%zu FAILED at %lld.\n", k + 1, (long long)newwhere);
            continue;
        }
        /* apply, as GNU does: input lines are written up to each changed
         * line; context lines are left to be written with what follows
         * (so the next hunk's search may start among them) */
        size_t pos = (size_t)where;
        for (size_t i = 0; i < h->nlines; i++) {
            const pt_line *l = &h->lines[i];
            if (l->kind == ' ') {
                pos++;
                continue;
            }
            for (; frozen < pos && frozen < nin; frozen++)
                emit(&w, in[frozen].text, in[frozen].len, in[frozen].nl);
            if (l->kind == '+') {
                emit(&w, l->text, l->len, l->nl);
            } else {
                pos++;
                frozen = pos;
            }
        }
        out_offset += h->new_len - h->old_len;
        if ((fuzz || in_offset) && !o->silent) {
            say(sh, "Hunk #%zu succeeded at %lld", k + 1, (long long)newwhere);
            if (fuzz)
                say(sh, " with fuzz %lld", (long long)fuzz);
            if (in_offset)
                say(sh, " (offset %lld line%s)", (long long)in_offset, in_offset == 1 ? "" : "s");
            say(sh, ".\n");
        }
    }
    for (; frozen < nin; frozen++)
        emit(&w, in[frozen].text, in[frozen].len, in[frozen].nl);
    int status = failed ? 1 : 0;
    if (doomed) {
        sh_buf_free(&rej);
        sh_buf_free(&w.out);
        free(in);
        sh_buf_free(&orig);
        free(path);
        free(target);
        return 2;
    }
    /* the result in place */
    if (!skip && !o->dry_run) {
        bool backup = o->backup || (o->backup_mismatch && (mismatch || failed));
        char *dest = o->output ? sh_strdup(o->output) : sh_strdup(path);
        sh_buf bak = {0};
        sh_buf_printf(&bak, "%s.orig", dest);
        if (backup && exists && !o->output && !write_file(sh, bak.data, orig.data ? orig.data : "", orig.len))
            status = 2;
        if (status == 2) {
            /* the original stays as it was */
        } else if (!o->output && w.out.len == 0 && (o->remove_empty || f->new_absent)) {
            remove_file(o, target);
        } else {
            if (w.out.len && f->new_absent && !o->silent)
                say(sh, "File %s is not empty after patch, as expected\n", target);
            if ((failed < nh || o->output) && !replace_file(sh, dest, &w.out))
                status = 2;
        }
        sh_buf_free(&bak);
        free(dest);
    }
    if (failed) {
        summary(sh, failed, nh, skip);
        if (!o->dry_run) {
            char *rejname = o->rejfile ? sh_strdup(o->rejfile) : NULL;
            if (!rejname) {
                sh_buf b = {0};
                sh_buf_printf(&b, "%s.rej", o->output ? o->output : target);
                rejname = sh_buf_take(&b);
            }
            say(sh, " -- saving rejects to file %s\n", rejname);
            char *rp = o->rejfile || o->output ? sh_strdup(rejname) : in_dir(o, rejname);
            if (o->rejfile && o->rej_written) {
                sh_stream *s = sh_open(sh, rp, O_WRONLY | O_CREAT | O_APPEND);
                if (!s || !sh_write(s, rej.data, rej.len) || !sh_close(s)) {
                    fatal(sh, "Can't write to %s : %s", rp, sh_strerror(errno));
                    status = 2;
                }
            } else if (!write_file(sh, rp, rej.data, rej.len)) {
                status = 2;
            }
            o->rej_written = true;
            free(rp);
            free(rejname);
        } else {
            say(sh, "\n");
        }
    }
    sh_buf_free(&rej);
    sh_buf_free(&w.out);
    free(in);
    sh_buf_free(&orig);
    free(path);
    free(target);
    return status;
}

/* "context" or "normal" when the input is a diff of a format GNU patch
 * reads but this one does not (a clearer word than "garbage"). */
static const char *other_format(const pt_reader *r)
{
    for (size_t pos = 0; pos < r->len;) {
        const char *s = r->data + pos, *nl = memchr(s, '\n', r->len - pos);
        size_t n = nl ? (size_t)(nl - s) : r->len - pos;
        if (n >= 15 && !memcmp(s, "***************", 15))
            return "context";
        /* "3c3", "5,7d4", "0a1,2" */
        size_t i = 0;
        int part = 0;
        while (part < 2) {
            size_t d = i;
            while (i < n && s[i] >= '0' && s[i] <= '9')
                i++;
            if (i == d)
                break;
            if (i < n && s[i] == ',') {
                i++;
                d = i;
                while (i < n && s[i] >= '0' && s[i] <= '9')
                    i++;
                if (i == d)
                    break;
            }
            if (part == 0 && i < n && (s[i] == 'a' || s[i] == 'c' || s[i] == 'd'))
                i++;
            else if (part == 0)
                break;
            part++;
        }
        if (part == 2 && (i == n || (i + 1 == n && s[i] == '\r')))
            return "normal";
        pos += n + 1;
    }
    return NULL;
}

/* ---- the command ----------------------------------------------------------- */

static bool count_arg(shctx *sh, const char *s, const char *what, int64_t *v)
{
    if (!sh_parse_int(s, v) || *v < 0) {
        fatal(sh, "%s %s is not a number", what, s);
        return false;
    }
    return true;
}

enum { OPT_DRY_RUN = 256, OPT_NO_BACKUP, OPT_BACKUP_MISMATCH, OPT_VERBOSE, OPT_HELP };

int util_patch(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {
        {"strip", SH_REQ_ARG, 'p'}, {"input", SH_REQ_ARG, 'i'}, {"reverse", SH_NO_ARG, 'R'},
        {"dry-run", SH_NO_ARG, OPT_DRY_RUN}, {"forward", SH_NO_ARG, 'N'}, {"output", SH_REQ_ARG, 'o'},
        {"reject-file", SH_REQ_ARG, 'r'}, {"fuzz", SH_REQ_ARG, 'F'}, {"ignore-whitespace", SH_NO_ARG, 'l'},
        {"batch", SH_NO_ARG, 't'}, {"force", SH_NO_ARG, 'f'}, {"silent", SH_NO_ARG, 's'},
        {"quiet", SH_NO_ARG, 's'}, {"remove-empty-files", SH_NO_ARG, 'E'}, {"backup", SH_NO_ARG, 'b'},
        {"no-backup-if-mismatch", SH_NO_ARG, OPT_NO_BACKUP}, {"backup-if-mismatch", SH_NO_ARG, OPT_BACKUP_MISMATCH},
        {"directory", SH_REQ_ARG, 'd'}, {"unified", SH_NO_ARG, 'u'}, {"set-utc", SH_NO_ARG, 'Z'},
        {"set-time", SH_NO_ARG, 'T'}, {"verbose", SH_NO_ARG, OPT_VERBOSE}, {"help", SH_NO_ARG, OPT_HELP},
        {NULL, 0, 0}};
    popt o;
    memset(&o, 0, sizeof o);
    o.strip = -1;
    o.maxfuzz = 2;
    o.backup_mismatch = true;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "p:i:RNo:r:F:ltfsEbd:uZT", lo)) != -1) {
        switch (c) {
        case 'p':
            if (!count_arg(sh, st.arg, "strip count", &o.strip))
                return 2;
            break;
        case 'F':
            if (!count_arg(sh, st.arg, "fuzz factor", &o.maxfuzz))
                return 2;
            break;
        case 'i': o.input = st.arg; break;
        case 'R': o.reverse = true; break;
        case 'N': o.forward = true; break;
        case 'o': o.output = st.arg; break;
        case 'r': o.rejfile = st.arg; break;
        case 'l': o.match.ignore_space = true; break;
        case 't': o.batch = true; break;
        case 'f': o.force = true; break;
        case 's': o.silent = true; break;
        case 'E': o.remove_empty = true; break;
        case 'b': o.backup = true; break;
        case 'd': o.dir = st.arg; break;
        case 'u': case 'Z': case 'T': case OPT_VERBOSE: break;
        case OPT_DRY_RUN: o.dry_run = true; break;
        case OPT_NO_BACKUP: o.backup_mismatch = false; break;
        case OPT_BACKUP_MISMATCH: o.backup_mismatch = true; break;
        case OPT_HELP:
            sh_puts(sh_stdout(sh), "Usage: patch [OPTION]... [ORIGFILE [PATCHFILE]]\n");
            return 0;
        default:
            return 2;
        }
    }
    int nops = argc - st.ind;
    if (nops > 2) {
        sh_err(sh, "extra operand %s", sh_quote(sh, argv[st.ind + 2]));
        sh_try_help(sh);
        return 2;
    }
    if (nops >= 1)
        o.origfile = argv[st.ind];
    if (nops == 2)
        o.input = argv[st.ind + 1];
    if (o.dir) {
        struct stat ds;
        if (stat(o.dir, &ds) != 0 || !S_ISDIR(ds.st_mode)) {
            fatal(sh, "Can't change to directory %s : %s", sh_quote_maybe(sh, o.dir),
                  sh_strerror(errno ? errno : ENOTDIR));
            return 2;
        }
    }
    /* the whole patch first: it is small next to the files it changes */
    sh_buf text = {0};
    sh_stream *in = o.input && strcmp(o.input, "-") ? sh_open(sh, o.input, O_RDONLY) : sh_stdin(sh);
    if (!in) {
        fatal(sh, "Can't open patch file %s : %s", o.input, sh_strerror(errno));
        return 2;
    }
    bool ok = sh_read_all(in, &text, SH_NO_LIMIT);
    int e = errno;
    if (in != sh_stdin(sh))
        sh_close(in);
    if (!ok) {
        fatal(sh, "read error : %s", sh_strerror(e));
        sh_buf_free(&text);
        return 2;
    }
    pt_reader r = {text.data ? text.data : "", text.len, 0, 1, false, false};
    int status = 0;
    for (;;) {
        pt_file f;
        char *err = NULL;
        int k = pt_next(&r, &f, &err);
        if (k < 0) {
            patch_file(sh, &o, &r, &f, true);
            fatal(sh, "%s", err);
            free(err);
            pt_file_free(&f);
            status = 2;
            break;
        }
        if (k == 0)
            break;
        int s = patch_file(sh, &o, &r, &f, false);
        status = s > status ? s : status;
        pt_file_free(&f);
        if (s == 2 || sh_interrupted(sh))
            break;
    }
    if (!r.seen_any && r.garbage && status == 0) {
        const char *kind = other_format(&r);
        if (kind)
            fatal(sh, "this is a %s diff; only unified diffs (diff -u, git diff) can be applied in this sandbox", kind);
        else
            fatal(sh, "Only garbage was found in the patch input.");
        status = 2;
    }
    sh_buf_free(&text);
    return status;
}
