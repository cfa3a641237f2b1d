/* File work inside a writable map at /data: write, read, append, seek,
 * pread/pwrite, truncate, rename, mkdir/rmdir, links, times, and a listing of
 * /data/list printed as "name ino type" lines sorted by name for the host to
 * compare with its own view (real inode numbers, right types, and cookies
 * that resume: the listing is long enough to take several fd_readdir calls,
 * and seekdir back to a saved position must give the same entries again). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

static int fails;
#define CHECK(c)                                                                   \
    do {                                                                           \
        if (!(c)) {                                                                \
            printf("FAIL line %d: %s (errno %d)\n", __LINE__, #c, errno);          \
            fails++;                                                               \
        }                                                                          \
    } while (0)

static char *slurp(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

/* The listing again through raw fd_readdir with a small buffer: entries cut
 * at the end of the buffer are asked for again from the last whole entry's
 * cookie. Returns the number of entries (with "." and ".."), or -1. */
static int raw_count(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    static uint8_t buf[100];
    __wasi_dircookie_t cookie = 0;
    int count = 0;
    for (int rounds = 0; rounds < 100000; rounds++) {
        __wasi_size_t used = 0;
        if (__wasi_fd_readdir((__wasi_fd_t)fd, buf, sizeof buf, cookie, &used) != 0)
            return -1;
        size_t off = 0;
        int whole = 0;
        while (off + sizeof(__wasi_dirent_t) <= used) {
            __wasi_dirent_t d;
            memcpy(&d, buf + off, sizeof d);
            if (off + sizeof d + d.d_namlen > used)
                break; /* cut: ask again from the cookie of the last whole one */
            off += sizeof d + d.d_namlen;
            cookie = d.d_next;
            whole++;
        }
        count += whole;
        if (used < sizeof buf) {
            close(fd);
            return count;
        }
        if (whole == 0)
            return -1; /* an entry bigger than the buffer: not in this test */
    }
    return -1;
}

typedef struct ent {
    char name[256];
    unsigned long long ino;
    int type;
} ent;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const ent *)a)->name, ((const ent *)b)->name);
}

static const char *type_name(int t)
{
    switch (t) {
    case DT_REG: return "file";
    case DT_DIR: return "dir";
    case DT_LNK: return "link";
    default: return "other";
    }
}

static void listing(void)
{
    static ent ents[2048];
    int n = 0;
    DIR *d = opendir("/data/list");
    CHECK(d != NULL);
    if (!d)
        return;
    struct dirent *e;
    long mark = -1;
    char after_mark[256] = "";
    while ((e = readdir(d)) && n < 2048) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(ents[n].name, sizeof ents[n].name, "%s", e->d_name);
        ents[n].ino = (unsigned long long)e->d_ino;
        ents[n].type = e->d_type;
        n++;
        if (n == 100)
            mark = telldir(d);
        if (n == 101)
            snprintf(after_mark, sizeof after_mark, "%s", e->d_name);
    }
    CHECK(mark >= 0);
    seekdir(d, mark);
    e = readdir(d);
    CHECK(e && !strcmp(e->d_name, after_mark));
    rewinddir(d);
    int again = 0;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            again++;
    CHECK(again == n);
    closedir(d);
    CHECK(raw_count("/data/list") == n + 2);
    qsort(ents, (size_t)n, sizeof ents[0], by_name);
    FILE *out = fopen("/data/listing.txt", "w");
    CHECK(out != NULL);
    for (int i = 0; out && i < n; i++)
        fprintf(out, "%s %llu %s\n", ents[i].name, ents[i].ino, type_name(ents[i].type));
    if (out)
        fclose(out);
}

int main(void)
{
    FILE *f = fopen("/data/a.txt", "w");
    CHECK(f && fputs("hello\n", f) >= 0 && fclose(f) == 0);
    CHECK(!strcmp(slurp("/data/a.txt"), "hello\n"));
    f = fopen("/data/a.txt", "a");
    CHECK(f && fputs("world\n", f) >= 0 && fclose(f) == 0);
    CHECK(!strcmp(slurp("/data/a.txt"), "hello\nworld\n"));

    int fd = open("/data/a.txt", O_RDWR);
    CHECK(fd >= 0);
    char buf[32] = {0};
    CHECK(lseek(fd, 6, SEEK_SET) == 6);
    CHECK(read(fd, buf, 5) == 5 && !memcmp(buf, "world", 5));
    CHECK(lseek(fd, 0, SEEK_END) == 12);
    CHECK(lseek(fd, -6, SEEK_CUR) == 6);
    CHECK(pwrite(fd, "WORLD", 5, 6) == 5);
    memset(buf, 0, sizeof buf);
    CHECK(pread(fd, buf, 5, 6) == 5 && !memcmp(buf, "WORLD", 5));
    CHECK(lseek(fd, 0, SEEK_CUR) == 6); /* pread/pwrite leave the offset alone */
    CHECK(ftruncate(fd, 5) == 0);
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_size == 5 && S_ISREG(st.st_mode));
    CHECK(close(fd) == 0);
    CHECK(close(fd) == -1 && errno == EBADF);
    fd = open("/data/a.txt", O_WRONLY | O_TRUNC);
    CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0);
    CHECK(write(fd, "abc", 3) == 3);
    close(fd);
    CHECK(open("/data/a.txt", O_WRONLY | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST);

    CHECK(rename("/data/a.txt", "/data/b.txt") == 0);
    CHECK(stat("/data/a.txt", &st) == -1 && errno == ENOENT);
    CHECK(stat("/data/b.txt", &st) == 0 && st.st_size == 3);

    CHECK(mkdir("/data/d", 0755) == 0);
    CHECK(mkdir("/data/d", 0755) == -1 && errno == EEXIST);
    f = fopen("/data/d/x", "w");
    CHECK(f && fclose(f) == 0);
    CHECK(rmdir("/data/d") == -1 && errno == ENOTEMPTY);
    CHECK(unlink("/data/d/x") == 0);
    CHECK(rmdir("/data/d") == 0);
    CHECK(stat("/data/d", &st) == -1 && errno == ENOENT);
    CHECK(mkdir("/data/keep", 0755) == 0 && mkdir("/data/keep/inner/", 0755) == 0);

    CHECK(link("/data/b.txt", "/data/c.txt") == 0);
    CHECK(stat("/data/b.txt", &st) == 0 && st.st_nlink == 2);
    CHECK(symlink("b.txt", "/data/l") == 0);
    memset(buf, 0, sizeof buf);
    CHECK(readlink("/data/l", buf, sizeof buf) == 5 && !strcmp(buf, "b.txt"));
    CHECK(lstat("/data/l", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(!strcmp(slurp("/data/l"), "abc"));
    CHECK(unlink("/data/c.txt") == 0);

    struct timespec times[2] = {{1000000000, 0}, {1200000000, 500}};
    CHECK(utimensat(AT_FDCWD, "/data/b.txt", times, 0) == 0);
    CHECK(stat("/data/b.txt", &st) == 0 && st.st_mtim.tv_sec == 1200000000 &&
          st.st_mtim.tv_nsec == 500 && st.st_atim.tv_sec == 1000000000);
    fd = open("/data/b.txt", O_RDWR);
    times[1].tv_sec = 1300000000;
    times[0].tv_nsec = UTIME_OMIT;
    CHECK(fd >= 0 && futimens(fd, times) == 0);
    CHECK(fstat(fd, &st) == 0 && st.st_mtim.tv_sec == 1300000000);
    CHECK(posix_fallocate(fd, 0, 8192) == 0 && fstat(fd, &st) == 0 && st.st_size == 8192);
    CHECK(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) == 0);
    CHECK(fsync(fd) == 0 && fdatasync(fd) == 0);
    close(fd);

    /* many fds at once (the table grows), then the limit: an error, no crash */
    static int many[1100];
    int opened = 0;
    for (; opened < 1100; opened++) {
        many[opened] = open("/data/b.txt", O_RDONLY);
        if (many[opened] < 0)
            break;
    }
    CHECK(opened >= 900 && opened < 1100 && errno == EMFILE);
    for (int i = 0; i < opened; i++)
        CHECK(close(many[i]) == 0);
    fd = open("/data/b.txt", O_RDONLY);
    CHECK(fd >= 0 && fd < 10);
    close(fd);

    listing();
    printf(fails ? "files FAILED\n" : "files ok\n");
    return fails ? 1 : 0;
}
