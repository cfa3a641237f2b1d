/* cksum: GNU 9.1's. Without -a, the POSIX CRC and size of each file; -a
 * bsd / sysv as sum -r / sum -s; -a md5 sha1 sha224 sha256 sha384 sha512
 * blake2b sm3 as md5sum ... in the tagged form ("MD5 (f) = ..."; --untagged
 * for md5sum's), with -l for blake2b, -z, and -c (the tagged lines of any
 * algorithm without -a) with --quiet --status --strict -w --ignore-missing. */
#include "../digest.h"

#include <string.h>

static const char *const NAMES[] = {"bsd", "sysv", "crc", "md5", "sha1", "sha224",
                                    "sha256", "sha384", "sha512", "blake2b", "sm3"};
static const sh_digest_algo *const ALGOS[] = {NULL, NULL, NULL, &sh_md5, &sh_sha1, &sh_sha224,
                                              &sh_sha256, &sh_sha384, &sh_sha512, &sh_blake2b, &sh_sm3};
enum { N_ALGOS = sizeof NAMES / sizeof *NAMES };

/* -a's argument: an exact name or an unambiguous prefix, as GNU's argmatch. */
static int find_algo(shctx *sh, const char *arg)
{
    int found = -1, matches = 0;
    size_t n = strlen(arg);
    for (int i = 0; i < N_ALGOS; i++) {
        if (!strcmp(NAMES[i], arg))
            return i;
        if (n && !strncmp(NAMES[i], arg, n)) {
            found = i;
            matches++;
        }
    }
    if (matches == 1)
        return found;
    sh_err(sh, "%s argument %s for %s", matches ? "ambiguous" : "invalid", sh_quote(sh, arg),
           sh_quote(sh, "--algorithm"));
    sh_buf b = {0};
    sh_buf_adds(&b, "Valid arguments are:");
    for (int i = 0; i < N_ALGOS; i++)
        sh_buf_printf(&b, "\n  - '%s'", NAMES[i]);
    sh_buf_addc(&b, '\n');
    sh_write(sh_stderr(sh), b.data, b.len);
    sh_buf_free(&b);
    sh_try_help(sh);
    return -1;
}

int util_cksum(shctx *sh, int argc, char **argv)
{
    enum { O_IGNORE = 256, O_QUIET, O_STATUS, O_STRICT, O_TAG, O_UNTAGGED, O_DEBUG, O_HELP };
    static const sh_longopt lo[] = {
        {"algorithm", SH_REQ_ARG, 'a'},    {"check", SH_NO_ARG, 'c'},     {"length", SH_REQ_ARG, 'l'},
        {"warn", SH_NO_ARG, 'w'},          {"zero", SH_NO_ARG, 'z'},      {"ignore-missing", SH_NO_ARG, O_IGNORE},
        {"quiet", SH_NO_ARG, O_QUIET},     {"status", SH_NO_ARG, O_STATUS}, {"strict", SH_NO_ARG, O_STRICT},
        {"tag", SH_NO_ARG, O_TAG},         {"untagged", SH_NO_ARG, O_UNTAGGED}, {"debug", SH_NO_ARG, O_DEBUG},
        {"help", SH_NO_ARG, O_HELP},       {NULL, 0, 0}};
    int algo = 2; /* crc */
    bool algo_given = false;
    const char *length = NULL;
    sh_digest_opts o = {.tag = true};
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "a:cl:wz", lo)) != -1) {
        switch (c) {
        case 'a':
            if ((algo = find_algo(sh, st.arg)) < 0)
                return 1;
            algo_given = true;
            break;
        case 'c': o.check = true; break;
        case 'l': length = st.arg; break;
        case 'w': o.warn = true; o.status = o.quiet = false; break;
        case 'z': o.zero = true; break;
        case O_IGNORE: o.ignore_missing = true; break;
        case O_QUIET: o.quiet = true; o.status = o.warn = false; break;
        case O_STATUS: o.status = true; o.quiet = o.warn = false; break;
        case O_STRICT: o.strict = true; break;
        case O_TAG: o.tag = true; break;
        case O_UNTAGGED: o.tag = false; break;
        case O_DEBUG: break;
        case O_HELP:
            sh_puts(sh_stdout(sh), "Usage: cksum [OPTION]... [FILE]...\nPrint or verify checksums.\n"
                                   "By default use the 32 bit CRC algorithm.\n"
                                   "  -a bsd|sysv|crc|md5|sha1|sha224|sha256|sha384|sha512|blake2b|sm3\n"
                                   "  -c -l BITS --tag --untagged -z --quiet --status --strict -w --ignore-missing\n");
            return 0;
        default:
            return 1;
        }
    }
    const sh_digest_algo *a = ALGOS[algo];
    if (length) {
        if (a != &sh_blake2b) {
            sh_err(sh, "--length is only supported with --algorithm=blake2b");
            return 1;
        }
        if (!sh_digest_length(sh, length, a, &o.outlen))
            return 1;
        o.outlen_fixed = o.outlen != a->outlen;
    }
    if (!a) {
        if (o.check) {
            if (algo_given) {
                sh_err(sh, "--check is not supported with --algorithm={bsd,sysv,crc}");
                return 1;
            }
            o.any_tag = true;
            o.algo = &sh_md5;
            o.tag = false;
        } else {
            if (!sh_digest_check_opts(sh, &o, false, false))
                return 1;
            return sh_sum_files(sh, argv + st.ind, argc - st.ind,
                                algo == 0 ? SH_SUM_BSD : algo == 1 ? SH_SUM_SYSV : SH_SUM_CRC);
        }
    } else {
        o.algo = a;
        if (!length)
            o.outlen = a->outlen;
        if (o.check)
            o.tag = false; /* cksum accepts --tag with -c: it is its default */
    }
    if (!sh_digest_check_opts(sh, &o, false, false))
        return 1;
    return sh_digest_run(sh, argv + st.ind, argc - st.ind, &o);
}
