/* Touches the file system the way the audit-log test expects: reads
 * /data/in.txt, tries to write into /data (read-only there), tries to climb
 * out of /data, and reports each result on stdout, after its argv[0] and
 * argument count. Exits with 3. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static void try_read(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("read %s: %s\n", path, strerror(errno));
        return;
    }
    char buf[64] = {0};
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[strcspn(buf, "\n")] = 0;
    printf("read %s: %zu bytes: %s\n", path, n, buf);
}

static void try_write(const char *path)
{
    FILE *f = fopen(path, "w");
    printf("write %s: %s\n", path, f ? "ok" : strerror(errno));
    if (f)
        fclose(f);
}

int main(int argc, char **argv)
{
    printf("argv0=%s argc=%d\n", argv[0], argc);
    try_read("/data/in.txt");
    try_write("/data/out.txt");
    try_read("/data/../../etc/passwd");
    return 3;
}
