/* The "write your own tool" example (tools/guest/README.md): counts the
 * lines, words and bytes of a file, or of a text given inline, as `wc` does.
 *
 *     {"file_path": "src/main.c"}   or   {"text": "some words"}
 *     -> {"content":[{"type":"text","text":"12 34 567 src/main.c"}],"is_error":false}
 */
#include <stdlib.h>

#include "../lib/wbtool.h"

#define MAX_FILE (64u << 20)

static void count(wt_tool *t, const char *s, size_t n, const char *label)
{
    size_t lines = 0, words = 0;
    bool in_word = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
        lines += c == '\n';
        words += !space && !in_word;
        in_word = !space;
    }
    wt_textf(t, "%zu %zu %zu%s%s", lines, words, n, label ? " " : "", label ? label : "");
}

int main(void)
{
    wt_tool t;
    if (wt_tool_begin(&t)) {
        /* every field is asked for before wt_args_end, which then refuses
         * wrong types and fields the tool does not know */
        char *path = wt_arg_path(&t, "file_path", false);
        size_t text_len = 0;
        const char *text = wt_arg_string(&t, "text", false, &text_len);
        if (wt_args_end(&t)) {
            if (!path == !text) {
                wt_fail(&t, "give exactly one of file_path and text");
            } else if (text) {
                count(&t, text, text_len, NULL);
            } else {
                wt_buf data = {0};
                int e = wt_read_file(path, MAX_FILE, &data);
                if (e)
                    wt_fail(&t, "cannot read %s: %s", path, wt_errno_text(e));
                else
                    count(&t, data.data, data.len, path);
                wt_buf_free(&data);
            }
        }
        free(path);
    }
    return wt_tool_end(&t);
}
