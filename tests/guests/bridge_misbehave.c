/* A tool that misbehaves on request, for tests/e2e/tool_bridge.sh: its
 * input's "mode" says how (the bridge must turn each into an is_error
 * result naming what went wrong, never crash or hang):
 *   garbage  prints text that is not JSON (and a line on stderr), exit 0
 *   trap     traps (unreachable) after a line on stderr
 *   exit3    a line on stderr, exit code 3, no result
 *   flood    prints without end (the output limit stops it)
 *   struct   a result whose structuredContent breaks the output_schema
 *   two      two result objects one after the other
 *   image    a valid result with a text and an image item
 *   env      a result listing its environment, one NAME=VALUE a line */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

int main(void)
{
    static char in[4096];
    size_t n = fread(in, 1, sizeof in - 1, stdin);
    in[n] = 0;
    if (strstr(in, "\"garbage\"")) {
        fputs("some diagnostics\n", stderr);
        puts("this is not JSON");
    } else if (strstr(in, "\"trap\"")) {
        fputs("about to trap\n", stderr);
        fflush(stderr);
        __builtin_trap();
    } else if (strstr(in, "\"exit3\"")) {
        fputs("failing on purpose\n", stderr);
        return 3;
    } else if (strstr(in, "\"flood\"")) {
        for (;;)
            fputs("flood flood flood flood flood flood flood flood flood flood\n", stdout);
    } else if (strstr(in, "\"struct\"")) {
        puts("{\"content\":[],\"is_error\":false,\"structuredContent\":{\"n\":\"x\"}}");
    } else if (strstr(in, "\"two\"")) {
        puts("{\"content\":[],\"is_error\":false}{\"content\":[],\"is_error\":false}");
    } else if (strstr(in, "\"image\"")) {
        puts("{\"content\":[{\"type\":\"text\",\"text\":\"a dot\"},{\"type\":\"image\","
             "\"data\":\"R0lGODlhAQABAAAAACw=\",\"mimeType\":\"image/gif\"}],\"is_error\":false}");
    } else if (strstr(in, "\"env\"")) {
        fputs("{\"content\":[{\"type\":\"text\",\"text\":\"", stdout);
        for (char **e = environ; *e; e++)
            printf("%s\\n", *e);
        puts("\"}],\"is_error\":false}");
    } else {
        puts("{\"content\":[{\"type\":\"text\",\"text\":\"unknown mode\"}],\"is_error\":true}");
    }
    return 0;
}
