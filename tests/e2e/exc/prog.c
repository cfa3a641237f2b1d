/* Issue 14's WASI check of exception handling: a C program whose check()
 * throws with clang's __builtin_wasm_throw (tag 0, the C++ ABI's
 * __cpp_exception, which -fwasm-exceptions defines; Debian has no
 * libc++abi for wasm, so no C++ throw), and whose catch side is catch.wat
 * (a legacy try/catch, as toolchains emit it), linked into one WASI
 * command. Expected output, by hand: 42 (21 * 2), -42005 (the error record
 * {42, -5} read back: -(42 * 1000 - (-5))), then check(-7) throws with
 * nothing to catch it: wasmbox's uncaught-exception exit, 133. */
#include <stdio.h>

struct err {
    int code;
    int arg;
};
static struct err last;

int try_check(int x); /* catch.wat: check(x), or err_code() of what it threw */

int check(int x)
{
    if (x < 0) {
        last.code = 42;
        last.arg = x;
        __builtin_wasm_throw(0, &last);
    }
    return x * 2;
}

int err_code(struct err *e) { return -(e->code * 1000 - e->arg); }

int main(void)
{
    printf("%d\n", try_check(21));
    printf("%d\n", try_check(-5));
    /* an uncaught exception ends the run as abort() would: what stdio
     * still buffers is lost, so flush first */
    fflush(stdout);
    printf("%d\n", check(-7));
    return 0;
}
