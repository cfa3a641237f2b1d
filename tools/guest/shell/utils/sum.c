/* sum: GNU's BSD checksum and 1 KiB blocks (-r, the default) or System V
 * checksum and 512-byte blocks (-s, --sysv) of each file. */
#include "../digest.h"

int util_sum(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"sysv", SH_NO_ARG, 's'}, {"help", SH_NO_ARG, 'h'}, {NULL, 0, 0}};
    int kind = SH_SUM_BSD;
    sh_getopt_state st = SH_GETOPT_INIT;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "rs", lo)) != -1) {
        switch (c) {
        case 'r': kind = SH_SUM_BSD; break;
        case 's': kind = SH_SUM_SYSV; break;
        case 'h':
            sh_puts(sh_stdout(sh), "Usage: sum [OPTION]... [FILE]...\nPrint or check BSD (16-bit) checksums.\n"
                                   "  -r  BSD sum, 1K blocks (the default)\n  -s, --sysv  System V sum, 512-byte blocks\n");
            return 0;
        default:
            return 1;
        }
    }
    return sh_sum_files(sh, argv + st.ind, argc - st.ind, kind);
}
