/* The grep core (tools/guest/grep/) in a guest, driven by arguments, for
 * tests/e2e/grep_core.sh: not the grep tool (that reads JSON), a harness.
 *   grep_core [-i] [-n] [-l] [-c] [-v] [-o] [-w] [-F] [-U] [-A N] [-B N]
 *             [-t TYPE] [-g GLOB] [-m N] [-h N] PATTERN [PATH...]
 * (-U multiline, -h head limit). Prints the output, then a summary line on
 * stderr; exits with grep_run's code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/guest/grep/grep.h"

static void to_file(void *ctx, const char *s, size_t n) { fwrite(s, 1, n, (FILE *)ctx); }

int main(int argc, char **argv) {
    grep_opts o;
    memset(&o, 0, sizeof o);
    const char *globs[16];
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : "";
        if (!strcmp(a, "-i")) o.case_insensitive = 1;
        else if (!strcmp(a, "-n")) o.line_numbers = 1;
        else if (!strcmp(a, "-l")) o.mode = GREP_FILES_WITH_MATCHES;
        else if (!strcmp(a, "-c")) o.mode = GREP_COUNT;
        else if (!strcmp(a, "-v")) o.invert = 1;
        else if (!strcmp(a, "-o")) o.only_matching = 1;
        else if (!strcmp(a, "-w")) o.word = 1;
        else if (!strcmp(a, "-F")) o.fixed_strings = 1;
        else if (!strcmp(a, "-U")) o.multiline = 1;
        else if (!strcmp(a, "-A")) o.after = strtoul(val, NULL, 10), i++;
        else if (!strcmp(a, "-B")) o.before = strtoul(val, NULL, 10), i++;
        else if (!strcmp(a, "-m")) o.max_count = strtoul(val, NULL, 10), i++;
        else if (!strcmp(a, "-h")) o.head_limit = strtoul(val, NULL, 10), i++;
        else if (!strcmp(a, "-t")) o.type = val, i++;
        else if (!strcmp(a, "-g") && o.nglobs < 16) globs[o.nglobs++] = val, i++;
        else {
            fprintf(stderr, "grep_core: unknown option %s\n", a);
            return 2;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "grep_core: no pattern\n");
        return 2;
    }
    o.pattern = argv[i];
    o.pattern_len = strlen(argv[i]);
    o.paths = (const char *const *)argv + i + 1;
    o.npaths = (size_t)(argc - i - 1);
    o.globs = globs;
    grep_sink out = {to_file, stdout}, err = {to_file, stderr};
    grep_result res;
    int rc = grep_run(&o, &out, &err, &res);
    fflush(stdout);
    if (rc == 2) fprintf(stderr, "grep_core: %s\n", res.error);
    fprintf(stderr, "searched=%zu matched=%zu selected=%zu binary=%zu ignored=%zu errors=%zu truncated=%d\n",
            res.files_searched, res.files_matched, res.lines_selected, res.binary_skipped,
            res.ignored, res.errors, res.truncated);
    return rc;
}
