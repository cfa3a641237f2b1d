/* One formatter for every load-time error, so they all read alike:
 * "<where>, offset 0x<off>: <reason>". */
#include "module.h"

#include <stdarg.h>
#include <stdio.h>

void wb_error_set(wb_error *err, wb_error_kind kind, size_t offset, const char *where,
                  const char *fmt, ...)
{
    if (!err)
        return;
    err->kind = kind;
    err->offset = offset;
    int n = snprintf(err->message, sizeof err->message, "%s, offset 0x%zx: ", where, offset);
    if (n < 0 || (size_t)n >= sizeof err->message)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message + n, sizeof err->message - (size_t)n, fmt, ap);
    va_end(ap);
}
