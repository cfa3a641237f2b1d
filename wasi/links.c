/* Where the guest may put symlinks.
 *
 * Our own lookups never follow a link out of a map, but host programs that
 * later read the map (an agent framework, tar, cp -r, a file collector)
 * follow every link with no confinement. So the guest may only place a
 * symlink, whether it creates it, hard-links it, renames it, or renames a
 * directory holding it, whose target cannot lead them out:
 *
 *  - never an absolute target;
 *  - no ".." component, unless the embedder allowed them
 *    (allow_symlink_dotdot); then only leading ones ("../../x", not
 *    "a/../x"), and no more of them than the link's directory is deep below
 *    the guest's directory fd (or a mapped directory between them), counted
 *    on the real tree.
 *
 * Why the rule is about the text and not about where the link leads today: a
 * check of where it leads at creation cannot be sound, because the guest can
 * re-point any component afterwards ("d" -> "." turns "d/d/../x" into "../x").
 * Targets made only of names descend from the link's directory whatever the
 * names turn out to be; leading ".." climb from the link's own directory,
 * which is why every later move of a link (or of a directory above one) is
 * judged again at its new place. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi_impl.h"

/* Directories a rename may move with links checked below it, level by level
 * (one open directory each). Deeper trees are refused, not moved unchecked. */
#define LINK_SCAN_MAX_DEPTH 128
#define DEPTH_UNKNOWN SIZE_MAX

uint16_t wasi_symlink_target_rule(const char *target, bool allow_dotdot, size_t *climb,
                                  const char **why)
{
    *climb = 0;
    if (!target[0])
        return WE_NOENT; /* as symlink(2) */
    if (target[0] == '/') {
        *why = "absolute target";
        return WE_PERM;
    }
    bool named = false; /* a name came before: a later ".." depends on what it is */
    for (const char *p = target; *p;) {
        while (*p == '/')
            p++;
        const char *s = p;
        while (*p && *p != '/')
            p++;
        size_t n = (size_t)(p - s);
        if (n == 0 || (n == 1 && s[0] == '.'))
            continue;
        if (n == 2 && s[0] == '.' && s[1] == '.') {
            if (!allow_dotdot) {
                *why = "\"..\" in the target (allow_symlink_dotdot is off)";
                return WE_PERM;
            }
            if (named) {
                *why = "\"..\" after a name in the target (only leading \"..\" are allowed)";
                return WE_PERM;
            }
            ++*climb;
        } else {
            named = true;
        }
    }
    return WE_SUCCESS;
}

/* How many directories `dir` is below `root`, or below a mapped directory
 * met first (maps may nest: a host program reading the inner one must not be
 * led out of it either), counted on the real tree by stepping up through
 * ".." until one of their inodes: the path's spelling can lie (a link
 * "a" -> "." makes "a/a/a" depth 0). The ".." fds are only fstat'ed, never
 * used for access. WE_NOTCAPABLE when root is not met (the tree moved under
 * us). */
static uint16_t real_depth(const wb_wasi *w, int root, int dir, size_t *out)
{
    struct stat rs, cs;
    if (fstat(root, &rs) < 0)
        return wasi_errno(errno);
    int cur = fcntl(dir, F_DUPFD_CLOEXEC, 3);
    if (cur < 0)
        return wasi_errno(errno);
    uint16_t e = WE_NOTCAPABLE;
    for (size_t depth = 0; depth < PATH_MAX; depth++) {
        if (fstat(cur, &cs) < 0) {
            e = wasi_errno(errno);
            break;
        }
        if ((cs.st_dev == rs.st_dev && cs.st_ino == rs.st_ino) || wasi_is_map_root(w, &cs)) {
            *out = depth;
            e = WE_SUCCESS;
            break;
        }
        int up = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
        struct stat us;
        if (up < 0 || fstat(up, &us) < 0 || (us.st_dev == cs.st_dev && us.st_ino == cs.st_ino)) {
            if (up >= 0)
                close(up); /* reached "/" without meeting root */
            break;
        }
        close(cur);
        cur = up;
    }
    close(cur);
    return e;
}

/* A link with `target` whose directory is `below` levels under `parent`
 * (0: in parent itself), parent being *depth (measured once, lazily)
 * directories below root. */
static uint16_t judge(const wctx *x, int root, int parent, size_t *depth, size_t below,
                      const char *target, const char **why)
{
    size_t climb;
    uint16_t e = wasi_symlink_target_rule(target, x->w->allow_symlink_dotdot, &climb, why);
    if (e || climb == 0)
        return e;
    if (*depth == DEPTH_UNKNOWN && (e = real_depth(x->w, root, parent, depth)))
        return e;
    if (*depth + below < climb) {
        *why = "its \"..\" climb above the directory fd or map";
        return WE_PERM;
    }
    return WE_SUCCESS;
}

uint16_t wasi_link_check_new(const wctx *x, int root, int parent, const char *target,
                             const char **why)
{
    size_t depth = DEPTH_UNKNOWN;
    return judge(x, root, parent, &depth, 0, target, why);
}

/* r->where = the directory path at `len` of it, then "/name" */
static void where_push(wasi_link_refusal *r, size_t len, const char *name)
{
    if (len < sizeof r->where)
        snprintf(r->where + len, sizeof r->where - len, "%s%s", len ? "/" : "", name);
}

/* Every symlink below directory `name` of `from` (which is moving into
 * `to`), judged at its new place. Fails closed: what cannot be read cannot
 * be moved. */
static uint16_t check_tree(wctx *x, int root, int from, const char *name, int to,
                           wasi_link_refusal *r)
{
    DIR *dirs[LINK_SCAN_MAX_DEPTH];
    size_t lens[LINK_SCAN_MAX_DEPTH]; /* strlen(r->where) of each open level */
    size_t depth = DEPTH_UNKNOWN, seen = 0;
    int fd = openat(from, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    dirs[0] = fd >= 0 ? fdopendir(fd) : NULL;
    if (!dirs[0]) {
        if (fd >= 0)
            close(fd);
        r->reason = "the directory cannot be read to check the links in it";
        return WE_PERM;
    }
    lens[0] = 0;
    int top = 0;
    uint16_t e = WE_SUCCESS;
    while (top >= 0 && !e) {
        /* the guest may have built a big tree: the run's deadline still holds */
        if ((++seen & 255) == 0 && wasi_is_interrupted(x->w)) {
            wasi_trap_interrupted(x);
            e = WE_INTR;
            break;
        }
        errno = 0;
        struct dirent *de = readdir(dirs[top]);
        if (!de) {
            if (errno) {
                r->where[lens[top]] = 0; /* names the directory */
                r->reason = "a directory in it cannot be read to check its links";
                e = WE_PERM;
                break;
            }
            closedir(dirs[top--]);
            continue;
        }
        const char *n = de->d_name;
        if (!strcmp(n, ".") || !strcmp(n, ".."))
            continue;
        int dfd = dirfd(dirs[top]);
        unsigned char t = de->d_type;
        struct stat st;
        if (t == DT_UNKNOWN) {
            if (fstatat(dfd, n, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                where_push(r, lens[top], n);
                r->reason = "an entry in it cannot be checked";
                e = WE_PERM;
                break;
            }
            t = S_ISLNK(st.st_mode) ? DT_LNK : S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
        }
        if (t == DT_LNK) {
            where_push(r, lens[top], n);
            ssize_t len = readlinkat(dfd, n, r->target, sizeof r->target - 1);
            if (len < 0) {
                r->reason = "a link in it cannot be read";
                e = WE_PERM;
                break;
            }
            r->target[len] = 0;
            e = judge(x, root, to, &depth, (size_t)top + 1, r->target, &r->reason);
        } else if (t == DT_DIR) {
            where_push(r, lens[top], n);
            if (top + 1 >= LINK_SCAN_MAX_DEPTH) {
                r->reason = "too deeply nested to check the links in it";
                e = WE_PERM;
                break;
            }
            int c = openat(dfd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            DIR *cd = c >= 0 ? fdopendir(c) : NULL;
            if (!cd) {
                if (c >= 0)
                    close(c);
                r->reason = "a directory in it cannot be read to check its links";
                e = WE_PERM;
                break;
            }
            dirs[++top] = cd;
            lens[top] = strnlen(r->where, sizeof r->where);
        }
    }
    while (top >= 0)
        closedir(dirs[top--]);
    return e;
}

uint16_t wasi_link_check_move(wctx *x, int root, int from, const char *name, int to,
                              bool tree, wasi_link_refusal *r)
{
    r->reason = NULL;
    r->where[0] = r->target[0] = 0;
    struct stat st;
    if (!strcmp(name, ".") || fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return WE_SUCCESS; /* nothing there to move: the call itself says so */
    if (S_ISDIR(st.st_mode))
        return tree ? check_tree(x, root, from, name, to, r) : WE_SUCCESS;
    if (!S_ISLNK(st.st_mode))
        return WE_SUCCESS;
    ssize_t len = readlinkat(from, name, r->target, sizeof r->target - 1);
    if (len < 0)
        return wasi_errno(errno);
    r->target[len] = 0;
    size_t depth = DEPTH_UNKNOWN;
    return judge(x, root, to, &depth, 0, r->target, &r->reason);
}
