/* Where a run stopped, for people: "function 3 <name> at offset 0x5a".
 * Names come from the module's name section, which the guest wrote: bytes
 * outside printable ASCII are shown as \xHH and long names are cut, so a
 * name cannot move the cursor or forge lines on the operator's terminal. */
#include "cli.h"

#include <stdio.h>

#define CLI_MAX_NAME_SHOWN 120

void cli_frame_text(const wb_frame *f, char *buf, size_t len)
{
    int n = snprintf(buf, len, "function %u", f->func_index);
    size_t at = n > 0 && (size_t)n < len ? (size_t)n : len - 1;
    if (f->name && at + 3 < len) {
        buf[at++] = ' ';
        buf[at++] = '<';
        size_t shown = 0;
        for (const unsigned char *p = (const unsigned char *)f->name; *p; p++, shown++) {
            if (shown == CLI_MAX_NAME_SHOWN) {
                at += (size_t)snprintf(buf + at, len - at, "...");
                break;
            }
            if (at + 6 >= len)
                break;
            if (*p >= 0x20 && *p < 0x7F && *p != '\\')
                buf[at++] = (char)*p;
            else
                at += (size_t)snprintf(buf + at, len - at, "\\x%02x", *p);
        }
        if (at + 1 < len)
            buf[at++] = '>';
        buf[at] = 0;
    }
    if (at < len)
        snprintf(buf + at, len - at, " at offset 0x%zx", f->offset);
}

void cli_print_stop(int fd, int wait_ms, const char *kind, const cli_outcome *o)
{
    char where[512];
    if (o->nframes == 0) {
        cli_write_line(fd, wait_ms, "wasmbox: %s: %s", kind, o->message);
        return;
    }
    cli_frame_text(&o->frames[0], where, sizeof where);
    cli_write_line(fd, wait_ms, "wasmbox: %s: %s in %s", kind, o->message, where);
    for (uint32_t i = 0; o->nframes > 1 && i < o->nframes; i++) {
        cli_frame_text(&o->frames[i], where, sizeof where);
        cli_write_line(fd, wait_ms, "wasmbox:   #%u %s", i, where);
    }
}
