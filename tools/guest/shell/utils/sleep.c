/* sleep: GNU's. The sum of its arguments, each a number (fractions
 * allowed) with an optional unit s, m, h, d; "inf" sleeps until the run's
 * time limit ends the run. The sandbox's timer interrupts it like any
 * other wait, so a sleep can never outlast the run. */
#include "../shell.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int util_sleep(shctx *sh, int argc, char **argv)
{
    int i = 1;
    if (i < argc && !strcmp(argv[i], "--"))
        i++;
    if (i < argc && !strcmp(argv[i], "--help")) {
        sh_puts(sh_stdout(sh), "Usage: sleep NUMBER[SUFFIX]...\n");
        return 0;
    }
    for (int k = i; k < argc; k++)
        if (argv[k][0] == '-' && argv[k][1]) { /* GNU takes these for options */
            sh_err(sh, "invalid option -- '%c'", argv[k][1]);
            sh_try_help(sh);
            return 1;
        }
    if (i >= argc) {
        sh_err(sh, "missing operand");
        sh_try_help(sh);
        return 1;
    }
    double total = 0;
    bool bad = false;
    for (; i < argc; i++) {
        char *end;
        double v = strtod(argv[i], &end);
        double mult = 1;
        if (end != argv[i] && *end && !end[1]) {
            switch (*end) {
            case 's': break;
            case 'm': mult = 60; break;
            case 'h': mult = 3600; break;
            case 'd': mult = 86400; break;
            default: end = argv[i];
            }
            if (end != argv[i])
                end++;
        }
        if (end == argv[i] || *end || v < 0 || isnan(v)) {
            sh_err(sh, "invalid time interval %s", sh_quote(sh, argv[i]));
            bad = true;
            continue;
        }
        total += v * mult;
    }
    if (bad) {
        sh_try_help(sh);
        return 1;
    }
    while (total > 0 && !sh_interrupted(sh)) {
        double chunk = total > 86400 ? 86400 : total;
        struct timespec ts = {(time_t)chunk, (long)((chunk - floor(chunk)) * 1e9)};
        struct timespec rem;
        if (nanosleep(&ts, &rem) != 0 && errno == EINTR) {
            total -= chunk - ((double)rem.tv_sec + rem.tv_nsec / 1e9);
            continue;
        }
        total -= chunk;
    }
    return 0;
}
