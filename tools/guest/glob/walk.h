/* The glob tool's directory walk. */
#ifndef GLOB_WALK_H
#define GLOB_WALK_H

#include "glob.h"

typedef struct {
    char *path;
    int64_t sec;
    long nsec;
} glob_match;

typedef struct {
    const glob_segments *patterns; /* relative to the root */
    size_t npatterns;
    const char *names[GLOB_MAX_SEGMENTS]; /* the entry's path below the root */
    wt_buf path;                          /* its absolute path */
    glob_match *matches;
    size_t nmatches, cap;
    size_t entries;    /* looked at so far */
    size_t unreadable; /* directories that could not be listed */
    bool stopped;      /* GLOB_MAX_ENTRIES reached */
    bool oom;
} glob_walk;

/* Walks root (absolute, a directory): 0, or an errno when root itself
 * cannot be listed (or memory ran out). */
int glob_walk_run(glob_walk *w, const char *root);
/* Newest first (modification time), then by path. */
void glob_walk_sort(glob_walk *w);
void glob_walk_free(glob_walk *w);

#endif
