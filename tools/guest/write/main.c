/* write {file_path, content}: creates or replaces a file, creating missing
 * parent directories; reports the bytes written (tools/README.md "write"). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../lib/wbtool.h"

static void write_file(wt_tool *t, char *path, const char *content, size_t n)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        wt_fail(t, "%s is a directory; give the path of a file", path);
        return;
    }
    char *slash = strrchr(path, '/'); /* path is absolute and normalized */
    if (slash != path) {
        *slash = 0;
        int e = wt_mkdirs(path);
        if (e)
            wt_fail(t, "cannot create the directory %s: %s", path, wt_errno_text(e));
        *slash = '/';
        if (e)
            return;
    }
    bool created;
    int e = wt_write_file(path, content, n, &created);
    if (e)
        wt_fail(t, "cannot write %s: %s", path, wt_errno_text(e));
    else
        wt_textf(t, "Wrote %zu byte%s to %s (%s)", n, n == 1 ? "" : "s", path, created ? "created" : "replaced");
}

int main(void)
{
    wt_tool t;
    if (wt_tool_begin(&t)) {
        char *path = wt_arg_path(&t, "file_path", true);
        size_t n = 0;
        const char *content = wt_arg_string(&t, "content", true, &n);
        if (wt_args_end(&t))
            write_file(&t, path, content, n);
        free(path);
    }
    return wt_tool_end(&t);
}
