/* Whole-policy checks: the ones that need the host file system or look at
 * several entries at once. Per-value syntax was already checked on the way in. */
#include "policy_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool host_dir_ok(const char *origin, const char *dir, char *err, size_t errlen)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (errno == ENOENT)
            return wbp_fail(err, errlen, origin, "host directory \"%s\" does not exist", dir);
        return wbp_fail(err, errlen, origin, "host directory \"%s\": %s", dir, strerror(errno));
    }
    if (!S_ISDIR(st.st_mode))
        return wbp_fail(err, errlen, origin, "host path \"%s\" is not a directory", dir);
    return true;
}

/* The directory a file will be created in must exist. */
static bool parent_dir_ok(const char *origin, const char *file, char *err, size_t errlen)
{
    const char *slash = strrchr(file, '/');
    if (!slash)
        return true; /* current directory */
    size_t n = slash == file ? 1 : (size_t)(slash - file);
    char *dir = malloc(n + 1);
    if (!dir)
        return wbp_fail(err, errlen, origin, "out of memory");
    memcpy(dir, file, n);
    dir[n] = '\0';
    struct stat st;
    bool ok = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
    if (!ok)
        wbp_fail(err, errlen, origin, "directory \"%s\" for \"%s\" does not exist", dir, file);
    free(dir);
    return ok;
}

bool wb_policy_check(const wb_policy *p, char *err, size_t errlen)
{
    if (!p)
        return wbp_fail(err, errlen, "policy", "no policy");
    if (!wbp_check_limits(p, err, errlen))
        return false;
    if (p->work_dir && !host_dir_ok(p->origin.work_dir, p->work_dir, err, errlen))
        return false;
    for (size_t i = 0; i < p->ndirs; i++) {
        const wb_dir_map *d = &p->dirs[i];
        if (!host_dir_ok(d->origin, d->host, err, errlen))
            return false;
        if (p->work_dir && strcmp(d->guest, "/") == 0)
            return wbp_fail(err, errlen, d->origin,
                            "guest path \"/\" is already mapped by %s", p->origin.work_dir);
        for (size_t j = 0; j < i; j++)
            if (strcmp(p->dirs[j].guest, d->guest) == 0)
                return wbp_fail(err, errlen, d->origin, "guest path \"%s\" is already mapped by %s",
                                d->guest, p->dirs[j].origin);
    }
    if (p->ca_file) {
        struct stat st;
        if (stat(p->ca_file, &st) != 0 || !S_ISREG(st.st_mode))
            return wbp_fail(err, errlen, p->origin.ca_file, "\"%s\" is not an existing file",
                            p->ca_file);
        if (access(p->ca_file, R_OK) != 0)
            return wbp_fail(err, errlen, p->origin.ca_file, "\"%s\" is not readable",
                            p->ca_file);
    }
    if (p->cache_dir) {
        struct stat st;
        if (stat(p->cache_dir, &st) == 0) {
            if (!S_ISDIR(st.st_mode))
                return wbp_fail(err, errlen, p->origin.cache_dir, "\"%s\" is not a directory",
                                p->cache_dir);
        } else if (!parent_dir_ok(p->origin.cache_dir, p->cache_dir, err, errlen)) {
            return false;
        }
    }
    if (p->audit) {
        struct stat st;
        if (stat(p->audit, &st) == 0 && S_ISDIR(st.st_mode))
            return wbp_fail(err, errlen, p->origin.audit, "\"%s\" is a directory", p->audit);
        if (!parent_dir_ok(p->origin.audit, p->audit, err, errlen))
            return false;
    }
    return true;
}
