/* tarfmt.h: tar headers (POSIX ustar and pax, GNU's long names read), for
 * the tar utility. Building and reading blocks only: no files, no streams.
 * Every field of a header that is read is bounded and checked: a hostile
 * archive gives an error, never a read past a block. */
#ifndef SH_TARFMT_H
#define SH_TARFMT_H

#include <stdbool.h>
#include <stdint.h>

#include "shell.h"

#define TAR_BLOCK 512
/* GNU tar's records: archives are padded to 20 blocks. */
#define TAR_RECORD (20 * TAR_BLOCK)
/* Largest pax extended header or GNU long name read into memory. */
#define TAR_MAX_META ((uint64_t)1 << 20)

/* One member as the archive describes it. */
typedef struct {
    char type;         /* '0' file, '1' hard link, '2' symlink, '5' directory, ... */
    sh_buf name, link; /* link: a link's target */
    uint64_t size;     /* bytes of data that follow the header */
    int64_t mtime;
    unsigned mode;
    sh_buf uname, gname;
    uint64_t uid, gid;
} tar_entry;

/* What one 512-byte block is. */
enum { TAR_HDR_ZERO, TAR_HDR_OK, TAR_HDR_BAD };
/* Reads block into e (its own fields only; a pax or GNU long name that
 * came before is applied by tar_apply_pax / the caller). */
int tar_parse_header(const unsigned char *block, tar_entry *e);
/* Applies a pax extended header's records (path, linkpath, size, mtime,
 * uname, gname) to e; false when a record is malformed. */
bool tar_apply_pax(const char *data, size_t n, tar_entry *e);
/* The header block(s) for e into out: a pax 'x' header first when the name
 * or link does not fit ustar's fields (or the size its 11 octal digits). */
void tar_build_header(const tar_entry *e, sh_buf *out);
void tar_entry_free(tar_entry *e);

#endif
