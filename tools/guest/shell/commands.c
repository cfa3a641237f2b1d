/* commands.c: the one table of commands: the shell's builtins
 * (builtins.def) and the utilities (utils/utils.def), looked up by name. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define BUILTIN(name, fn, flags) int builtin_##fn(shctx *sh, int argc, char **argv);
#include "builtins.def"
#undef BUILTIN
#define UTIL(name, fn, flags) int util_##fn(shctx *sh, int argc, char **argv);
#include "utils/utils.def"
#undef UTIL

static sh_cmd table[] = {
#define BUILTIN(name, fn, flags) {name, builtin_##fn, (flags) | CMD_STATE},
#include "builtins.def"
#undef BUILTIN
#define UTIL(name, fn, flags) {name, util_##fn, (flags) | CMD_PROGRAM},
#include "utils/utils.def"
#undef UTIL
};

static const size_t ntable = sizeof table / sizeof *table;
static bool sorted;

static int cmp_cmd(const void *a, const void *b)
{
    return strcmp(((const sh_cmd *)a)->name, ((const sh_cmd *)b)->name);
}

static void sort_table(void)
{
    if (!sorted) {
        qsort(table, ntable, sizeof *table, cmp_cmd);
        sorted = true;
    }
}

const sh_cmd *command_find(const char *name)
{
    sort_table();
    sh_cmd key = {name, NULL, 0};
    return bsearch(&key, table, ntable, sizeof *table, cmp_cmd);
}

const sh_cmd *command_list(size_t *n)
{
    sort_table();
    *n = ntable;
    return table;
}

const char *command_from_path(const char *path)
{
    static const char *dirs[] = {"/bin/", "/usr/bin/", "/usr/local/bin/", "/sbin/", "/usr/sbin/"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        size_t n = strlen(dirs[i]);
        if (!strncmp(path, dirs[i], n) && path[n] && !strchr(path + n, '/')) {
            const sh_cmd *c = command_find(path + n);
            if (c && (c->flags & CMD_PROGRAM))
                return c->name;
        }
    }
    return NULL;
}
