/* read {file_path, offset?, limit?}: a text file as numbered lines, or an
 * image (PNG, JPEG, GIF, WebP) as image content (tools/README.md "read"). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read.h"

static const char *image_kind(const char *mime)
{
    switch (mime[6]) { /* after "image/" */
    case 'p': return "PNG";
    case 'j': return "JPEG";
    case 'g': return "GIF";
    default: return "WebP";
    }
}

static void read_image(wt_tool *t, const char *path, const char *mime, off_t size)
{
    if (size > (off_t)READ_MAX_IMAGE) {
        wt_fail(t, "%s is a %s image of %lld bytes, larger than read returns (%u MiB)", path, image_kind(mime),
                (long long)size, READ_MAX_IMAGE >> 20);
        return;
    }
    wt_buf data = {0};
    int e = wt_read_file(path, READ_MAX_IMAGE, &data); /* EFBIG: it grew since fstat */
    if (e) {
        wt_fail(t, "cannot read %s: %s", path, wt_errno_text(e));
    } else {
        wt_textf(t, "%s: %s image, %zu bytes", path, image_kind(mime), data.len);
        wt_image(t, data.data, data.len, mime);
    }
    wt_buf_free(&data);
}

static void read_file(wt_tool *t, const char *path, uint64_t offset, uint64_t limit)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        wt_fail(t, "cannot read %s: %s", path, wt_errno_text(errno));
        return;
    }
    struct stat st;
    unsigned char head[READ_SNIFF];
    ssize_t n = 0;
    if (fstat(fd, &st) != 0) {
        wt_fail(t, "cannot read %s: %s", path, wt_errno_text(errno));
    } else if (S_ISDIR(st.st_mode)) {
        wt_fail(t, "%s is a directory, not a file; list it with glob (e.g. {\"pattern\": \"*\", \"path\": \"%s\"})",
                path, path);
    } else if (!S_ISREG(st.st_mode)) {
        wt_fail(t, "%s is not a regular file (a device, pipe or socket); read shows files only", path);
    } else if ((n = pread(fd, head, sizeof head, 0)) < 0) {
        wt_fail(t, "cannot read %s: %s", path, wt_errno_text(errno));
    } else {
        const char *mime = sniff_image(head, (size_t)n);
        const char *why;
        if (mime) {
            read_image(t, path, mime, st.st_size);
        } else if (sniff_binary(head, (size_t)n, &why)) {
            wt_fail(t, "%s is a binary file (%s); read shows text, and PNG, JPEG, GIF and WebP images", path, why);
        } else {
            wt_buf out = {0};
            int e = list_lines(fd, path, offset, limit, &out);
            if (e)
                wt_fail(t, "cannot read %s: %s", path, wt_errno_text(e));
            else
                wt_text_json(t, out.data, out.len); /* escaped as it was made */
            wt_buf_free(&out);
        }
    }
    close(fd);
}

int main(void)
{
    wt_tool t;
    if (wt_tool_begin(&t)) {
        char *path = wt_arg_path(&t, "file_path", true);
        int64_t offset = 1, limit = READ_DEFAULT_LIMIT;
        wt_arg_int(&t, "offset", false, 0, INT64_MAX, &offset);
        wt_arg_int(&t, "limit", false, 1, INT64_MAX, &limit);
        if (wt_args_end(&t))
            read_file(&t, path, (uint64_t)offset, (uint64_t)limit);
        free(path);
    }
    return wt_tool_end(&t);
}
