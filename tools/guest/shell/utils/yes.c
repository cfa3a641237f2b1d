/* yes: GNU's: its arguments (or "y") on a line, forever: until a write
 * fails (a broken pipe: `yes | head -1` ends) or the run's limits stop it. */
#include "../shell.h"

#include <string.h>

int util_yes(shctx *sh, int argc, char **argv)
{
    sh_buf line = {0};
    int i = 1;
    if (i < argc && !strcmp(argv[i], "--"))
        i++;
    if (i >= argc)
        sh_buf_adds(&line, "y");
    for (int k = i; k < argc; k++) {
        if (k > i)
            sh_buf_addc(&line, ' ');
        sh_buf_adds(&line, argv[k]);
    }
    sh_buf_addc(&line, '\n');
    /* a block of whole lines, written again and again */
    sh_buf block = {0};
    while (block.len < 8192)
        sh_buf_add(&block, line.data, line.len);
    while (sh_write(sh_stdout(sh), block.data, block.len) && !sh_interrupted(sh))
        ;
    sh_buf_free(&line);
    sh_buf_free(&block);
    return 1;
}
