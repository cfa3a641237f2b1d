/* The fixture tools of the official MCP conformance suite's server
 * scenarios (@modelcontextprotocol/conformance, tests/e2e/mcp_conformance.sh),
 * as one guest: the bridge runs a tool with argv[0] set to the tool's name
 * (tests/mcp/fixture/NAME.json), which picks the answer. Test-only: never
 * built into the server, given to it with --tools. The texts are the ones
 * the scenarios' descriptions ask for.
 *
 *   test_simple_text, test_image_content, test_audio_content,
 *   test_embedded_resource, test_multiple_content_types  one result each
 *   test_error_handling     a result with is_error true
 *   test_tool_with_progress sleeps 1.5 s, so the server's progress
 *                           notifications (every 250 ms) reach the client
 *   print_result            prints its input's "output" string as it is, for
 *                           tests of the bridge's result contract */
#include <stdio.h>
#include <string.h>
#include <time.h>

/* A 1x1 red PNG and a WAV of 8 silent 8-bit samples at 8 kHz (made with
 * Python's zlib and wave modules; both decode with `file`/`python3`). */
#define PNG "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
#define WAV "UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQgAAACAgICAgICAgA=="

static const struct {
    const char *name, *result;
} answers[] = {
    {"test_simple_text",
     "{\"content\":[{\"type\":\"text\",\"text\":\"This is a simple text response for testing.\"}],"
     "\"is_error\":false}"},
    {"test_image_content",
     "{\"content\":[{\"type\":\"image\",\"data\":\"" PNG "\",\"mimeType\":\"image/png\"}],"
     "\"is_error\":false}"},
    {"test_audio_content",
     "{\"content\":[{\"type\":\"audio\",\"data\":\"" WAV "\",\"mimeType\":\"audio/wav\"}],"
     "\"is_error\":false}"},
    {"test_embedded_resource",
     "{\"content\":[{\"type\":\"resource\",\"resource\":{\"uri\":\"test://embedded-resource\","
     "\"mimeType\":\"text/plain\",\"text\":\"This is an embedded resource content.\"}}],"
     "\"is_error\":false}"},
    {"test_multiple_content_types",
     "{\"content\":[{\"type\":\"text\",\"text\":\"Multiple content types test:\"},"
     "{\"type\":\"image\",\"data\":\"" PNG "\",\"mimeType\":\"image/png\"},"
     "{\"type\":\"resource\",\"resource\":{\"uri\":\"test://mixed-content-resource\","
     "\"mimeType\":\"application/json\",\"text\":\"{\\\"test\\\":\\\"data\\\",\\\"value\\\":123}\"}}],"
     "\"is_error\":false}"},
    {"test_error_handling",
     "{\"content\":[{\"type\":\"text\",\"text\":\"This tool intentionally returns an error for "
     "testing\"}],\"is_error\":true}"},
    {"test_tool_with_progress",
     "{\"content\":[{\"type\":\"text\",\"text\":\"Progress test completed\"}],\"is_error\":false}"},
};

/* print_result: the value of "output" in {"output": "..."}, unescaped for
 * the few escapes the tests use (\" \\ \n). */
static int print_output(const char *in)
{
    const char *p = strstr(in, "\"output\"");
    p = p ? strchr(p + 8, '"') : NULL;
    if (!p) {
        fputs("print_result: no \"output\" string in the input\n", stderr);
        return 1;
    }
    for (p++; *p && *p != '"'; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            putchar(*p == 'n' ? '\n' : *p);
        } else {
            putchar(*p);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    static char in[65536];
    size_t n = fread(in, 1, sizeof in - 1, stdin);
    in[n] = 0;
    const char *name = argc > 0 ? argv[0] : "";
    if (!strcmp(name, "print_result"))
        return print_output(in);
    if (!strcmp(name, "test_tool_with_progress")) {
        struct timespec ts = {1, 500000000};
        nanosleep(&ts, NULL);
    }
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
        if (!strcmp(name, answers[i].name)) {
            puts(answers[i].result);
            return 0;
        }
    }
    fprintf(stderr, "mcp_fixture: no fixture tool named '%s'\n", name);
    return 1;
}
