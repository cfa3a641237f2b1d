/* diff.h: the parts of the diff utility (diff.c: options, files and
 * directories; diff_seq.c: which lines changed; diff_out.c: the output
 * formats). Only diff uses them. */
#ifndef SH_UTILS_DIFF_H
#define SH_UTILS_DIFF_H

#include "../shell.h"

/* Marks the lines of a[0..na) and b[0..nb) (equivalence-class ids: equal
 * lines have equal ids) that are not part of the common subsequence found,
 * with 1 in ca[i] / cb[j]. ca and cb have room for one flag before index 0
 * and one after the last (ca[-1], ca[na]), which stay 0. The search is
 * Myers' O((N+M)D) algorithm in linear space; unless minimal, one that
 * costs too much is cut short at a good diagonal (as GNU diff does), so the
 * time stays bounded on huge, very different inputs. Changes are then slid
 * to the places GNU diff puts them. Needs no recursion. */
void diff_compare(const uint32_t *a, size_t na, const uint32_t *b, size_t nb, bool minimal, char *ca,
                  char *cb);

/* One change: a[a0..a0+an) replaced by b[b0..b0+bn). */
typedef struct {
    size_t a0, an, b0, bn;
} diff_change;

/* A file as diff sees it: its bytes and where each line starts. */
typedef struct {
    const char *name;  /* as printed in headers */
    sh_buf data;
    size_t nlines;
    size_t *start;     /* start[i]: offset of line i; start[nlines] == data.len */
    int64_t sec;       /* modification time, for the unified header */
    long nsec;
} diff_file;

enum { DIFF_NORMAL, DIFF_UNIFIED, DIFF_CONTEXT };

/* What the output needs to know. */
typedef struct {
    int format;
    int64_t context;
    const char *label[2];
} diff_outopt;

/* Writes the changes ch[0..n) between a and b in the format asked for,
 * leaving out each hunk whose changes are all ignorable (ign[k], -B);
 * false when a write failed. */
bool diff_print(shctx *sh, const diff_outopt *o, const diff_file *a, const diff_file *b,
                const diff_change *ch, size_t n, const bool *ign);

#endif
