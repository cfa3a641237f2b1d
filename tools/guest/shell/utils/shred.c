/* shred: GNU's, inside the sandbox: each file is overwritten in place -n N
 * times (3) with random bytes (GNU mixes in fixed patterns from the
 * fourth pass on; here every pass is random), then with zeros (-z); -s N
 * overwrites N bytes, -x does not round the size up to a 4 KiB block;
 * -u then shortens it to nothing, renames it to 0-filled names of shorter
 * and shorter length, and removes it; -v says each step as GNU does.
 * Whether the old bytes are gone from the disk is up to the host's file
 * system (a copy-on-write or journaling one may keep them), as GNU's
 * manual says of shred itself. */
#include "../shell.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool write_pass(shctx *sh, int fd, uint64_t size, sh_stream *rnd, unsigned char *buf, int *err)
{
    if (lseek(fd, 0, SEEK_SET) < 0) {
        *err = errno;
        return false;
    }
    for (uint64_t done = 0; done < size;) {
        size_t n = size - done < 65536 ? (size_t)(size - done) : 65536;
        if (rnd) {
            size_t got = 0;
            while (got < n) {
                ssize_t r = sh_read(rnd, buf + got, n - got);
                if (r <= 0) {
                    *err = r < 0 ? errno : EIO;
                    return false;
                }
                got += (size_t)r;
            }
        } else {
            memset(buf, 0, n);
        }
        for (size_t off = 0; off < n;) {
            ssize_t w = write(fd, buf + off, n - off);
            if (w < 0) {
                *err = errno;
                return false;
            }
            off += (size_t)w;
        }
        done += n;
        if (sh_interrupted(sh)) {
            *err = EPIPE;
            return false;
        }
    }
    fsync(fd);
    return true;
}

/* Renames name to 0-filled names one byte shorter each time, then removes it. */
static bool wipe_name(shctx *sh, const char *name, bool verbose)
{
    if (verbose)
        sh_err(sh, "%s: removing", name);
    char *cur = sh_strdup(name);
    const char *slash = strrchr(name, '/');
    size_t dirlen = slash ? (size_t)(slash - name) + 1 : 0;
    for (size_t len = strlen(name) - dirlen; len > 0; len--) {
        char *next = sh_malloc(dirlen + len + 1);
        memcpy(next, name, dirlen);
        memset(next + dirlen, '0', len);
        next[dirlen + len] = 0;
        struct stat st;
        if (strcmp(next, cur) && lstat(next, &st) != 0 && rename(cur, next) == 0) {
            if (verbose)
                sh_err(sh, "%s: renamed to %s", cur, next);
            free(cur);
            cur = next;
        } else {
            free(next);
        }
    }
    bool ok = unlink(cur) == 0;
    if (!ok)
        sh_errno(sh, errno, "%s: failed to remove", sh_quote_maybe(sh, name));
    else if (verbose)
        sh_err(sh, "%s: removed", name);
    free(cur);
    return ok;
}

int util_shred(shctx *sh, int argc, char **argv)
{
    enum { O_REMOVE = 256, O_RANDOM, O_HELP };
    static const sh_longopt lo[] = {
        {"force", SH_NO_ARG, 'f'},      {"iterations", SH_REQ_ARG, 'n'}, {"size", SH_REQ_ARG, 's'},
        {"remove", SH_OPT_ARG, O_REMOVE}, {"verbose", SH_NO_ARG, 'v'},   {"exact", SH_NO_ARG, 'x'},
        {"zero", SH_NO_ARG, 'z'},       {"random-source", SH_REQ_ARG, O_RANDOM}, {"help", SH_NO_ARG, O_HELP},
        {NULL, 0, 0}};
    int64_t passes = 3, size = -1;
    bool remove = false, verbose = false, exact = false, zero = false;
    const char *source = "/dev/urandom";
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "fn:s:uvxz", lo)) != -1) {
        switch (c) {
        case 'f': break;
        case 'n':
            if (!sh_parse_int(st.arg, &passes) || passes < 0 || passes > 1000000) {
                sh_err(sh, "invalid number of passes: %s", sh_quote(sh, st.arg));
                return 1;
            }
            break;
        case 's':
            if (!sh_parse_size(st.arg, &size)) {
                sh_err(sh, "invalid file size: %s", sh_quote(sh, st.arg));
                return 1;
            }
            break;
        case 'u': case O_REMOVE: remove = true; break;
        case 'v': verbose = true; break;
        case 'x': exact = true; break;
        case 'z': zero = true; break;
        case O_RANDOM: source = st.arg; break;
        case O_HELP:
            sh_puts(sh_stdout(sh), "Usage: shred [OPTION]... FILE...\nOverwrite the specified FILE(s) repeatedly.\n"
                                   "  -n N  -s N  -u  -v  -x  -z\n");
            return 0;
        default:
            return 1;
        }
    }
    if (st.ind >= argc) {
        sh_err(sh, "missing file operand");
        sh_try_help(sh);
        return 1;
    }
    unsigned char *buf = sh_malloc(65536);
    int status = 0;
    for (int i = st.ind; i < argc && !sh_interrupted(sh); i++) {
        const char *f = argv[i];
        int fd = open(f, O_WRONLY);
        if (fd < 0) {
            sh_errno(sh, errno, "%s: failed to open for writing", sh_quote_maybe(sh, f));
            status = 1;
            continue;
        }
        struct stat fs;
        uint64_t n = 0;
        if (fstat(fd, &fs) == 0) {
            n = size >= 0 ? (uint64_t)size : (uint64_t)fs.st_size;
            if (size < 0 && !exact && S_ISREG(fs.st_mode))
                n = (n + 4095) / 4096 * 4096;
        }
        int64_t all = passes + zero;
        bool ok = true;
        int err = 0;
        sh_stream *rnd = passes ? sh_open(sh, source, O_RDONLY) : NULL;
        if (passes && !rnd) {
            sh_errno(sh, errno, "%s", sh_quote_maybe(sh, source));
            ok = false;
            err = -1;
        }
        for (int64_t p = 1; ok && p <= all; p++) {
            bool random = p <= passes;
            if (verbose)
                sh_err(sh, "%s: pass %lld/%lld (%s)...", f, (long long)p, (long long)all, random ? "random" : "000000");
            ok = write_pass(sh, fd, n, random ? rnd : NULL, buf, &err);
        }
        if (rnd)
            sh_close(rnd);
        if (!ok && err > 0 && err != EPIPE)
            sh_errno(sh, err, "%s: error writing", sh_quote_maybe(sh, f));
        if (ok && remove && ftruncate(fd, 0) != 0) {
            sh_errno(sh, errno, "%s: failed to truncate", sh_quote_maybe(sh, f));
            ok = false;
        }
        close(fd);
        if (ok && remove)
            ok = wipe_name(sh, f, verbose);
        if (!ok)
            status = 1;
    }
    free(buf);
    return status;
}
