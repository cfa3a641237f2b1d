/* The older checksums: cksum's CRC (POSIX: polynomial 0x04C11DB7, the
 * length appended, complemented), and sum's BSD (-r) and System V (-s)
 * 16-bit sums. */
#include "digest.h"

#include <errno.h>
#include <stdlib.h>

bool sh_sum_stream(shctx *sh, sh_stream *in, int kind, uint32_t *sum, uint64_t *size)
{
    uint32_t table[256];
    if (kind == SH_SUM_CRC)
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t r = i << 24;
            for (int k = 0; k < 8; k++)
                r = r & 0x80000000u ? (r << 1) ^ 0x04c11db7u : r << 1;
            table[i] = r;
        }
    uint32_t s = 0;
    uint64_t total = 0;
    unsigned char *buf = sh_malloc(65536);
    bool ok = true;
    for (;;) {
        ssize_t n = sh_read(in, buf, 65536);
        if (n <= 0) {
            ok = n == 0;
            break;
        }
        total += (uint64_t)n;
        if (kind == SH_SUM_CRC)
            for (ssize_t i = 0; i < n; i++)
                s = (s << 8) ^ table[(s >> 24) ^ buf[i]];
        else if (kind == SH_SUM_BSD)
            for (ssize_t i = 0; i < n; i++)
                s = (((s >> 1) | ((s & 1) << 15)) + buf[i]) & 0xffff;
        else
            for (ssize_t i = 0; i < n; i++)
                s += buf[i];
        if (sh_interrupted(sh)) {
            errno = EPIPE;
            ok = false;
            break;
        }
    }
    free(buf);
    if (!ok)
        return false;
    if (kind == SH_SUM_CRC) {
        for (uint64_t len = total; len; len >>= 8)
            s = (s << 8) ^ table[(s >> 24) ^ (len & 0xff)];
        s = ~s;
    } else if (kind == SH_SUM_SYSV) {
        uint32_t r = (s & 0xffff) + (s >> 16);
        s = (r & 0xffff) + (r >> 16);
    }
    *sum = s;
    *size = total;
    return true;
}

/* One output line: "CRC SIZE NAME", "SUM BLOCKS NAME" (BSD: 1 KiB blocks,
 * the sum in 5 digits, the blocks in 5 columns; System V: 512-byte blocks). */
bool sh_sum_print(shctx *sh, int kind, uint32_t sum, uint64_t size, const char *name)
{
    sh_buf b = {0};
    if (kind == SH_SUM_CRC)
        sh_buf_printf(&b, "%u %llu", (unsigned)sum, (unsigned long long)size);
    else if (kind == SH_SUM_BSD)
        sh_buf_printf(&b, "%05u %5llu", (unsigned)sum, (unsigned long long)((size + 1023) / 1024));
    else
        sh_buf_printf(&b, "%u %llu", (unsigned)sum, (unsigned long long)((size + 511) / 512));
    if (name)
        sh_buf_printf(&b, " %s", name);
    sh_buf_addc(&b, '\n');
    bool ok = sh_write(sh_stdout(sh), b.data, b.len);
    sh_buf_free(&b);
    return ok;
}

int sh_sum_files(shctx *sh, char **files, int n, int kind)
{
    char *dash[] = {"-", NULL};
    bool named = n > 0;
    if (!named) {
        files = dash;
        n = 1;
    }
    int status = 0;
    for (int i = 0; i < n && !sh_interrupted(sh); i++) {
        sh_stream *in = sh_input(sh, files[i]);
        if (!in) {
            status = 1;
            continue;
        }
        uint32_t sum;
        uint64_t size;
        bool ok = sh_sum_stream(sh, in, kind, &sum, &size);
        int err = errno;
        sh_input_close(sh, in);
        if (!ok) {
            if (sh_interrupted(sh))
                return 1;
            sh_errno(sh, err, "%s", sh_quote_maybe(sh, files[i]));
            status = 1;
        } else if (!sh_sum_print(sh, kind, sum, size, named ? files[i] : NULL)) {
            return 1;
        }
    }
    return status;
}
