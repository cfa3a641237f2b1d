/* human.c: sizes as GNU's -h prints them (ls, df): powers of 1024,
 * rounded up, one decimal below 10 (1.5K, 12K, 999). */
#include "shell.h"

#include <stdio.h>

void sh_human_size(char *buf, size_t n, uint64_t v)
{
    static const char units[] = "KMGTPEZY";
    if (v < 1024) {
        snprintf(buf, n, "%llu", (unsigned long long)v);
        return;
    }
    int u = -1;
    /* v / 1024^(u+1) in tenths, rounded up */
    uint64_t div = 1;
    while (u < 7 && v / div >= 1024) {
        div *= 1024;
        u++;
    }
    uint64_t whole = v / div, rem = v % div;
    if (whole < 10) {
        /* tenths, rounded up */
        uint64_t tenths = (rem * 10 + div - 1) / div;
        if (tenths == 10) {
            whole++;
            tenths = 0;
        }
        if (whole < 10) {
            snprintf(buf, n, "%llu.%llu%c", (unsigned long long)whole, (unsigned long long)tenths, units[u]);
            return;
        }
    } else if (rem) {
        whole++;
    }
    if (whole >= 1024 && u < 7) {
        whole = 1;
        u++;
        snprintf(buf, n, "%llu.0%c", (unsigned long long)whole, units[u]);
        return;
    }
    snprintf(buf, n, "%llu%c", (unsigned long long)whole, units[u]);
}
