/* Custom sections, and function names from the "name" custom section.
 *
 * Custom section contents are opaque to the spec, so the name section is
 * read tolerantly: anything odd in it drops the names, never the module. */
#include "decode_internal.h"

#include <stdlib.h>
#include <string.h>

static bool push_custom(wb_decoder *d, wb_custom c)
{
    wb_module *m = d->m;
    /* The capacity is the smallest power of two above the count, so it
     * grows (doubling) when the count is 0 or a power of two. Each custom
     * section takes at least 2 bytes: the count stays below the module size. */
    uint32_t n = m->ncustoms;
    if ((n & (n - 1)) == 0) {
        size_t cap = n ? (size_t)n * 2 : 1;
        wb_custom *grown = realloc(m->customs, cap * sizeof *grown);
        if (!grown) {
            wb_error_set(d->err, WB_ERR_NOMEM, wb_reader_offset(&d->r), d->where, "out of memory");
            return false;
        }
        m->customs = grown;
    }
    m->customs[m->ncustoms++] = c;
    return true;
}

bool wb_dec_custom_section(wb_decoder *d, size_t size)
{
    size_t start = wb_reader_offset(&d->r);
    wb_custom c = {0};
    if (!wb_dec_name(d, &c.name, &c.name_len))
        return false;
    size_t used = wb_reader_offset(&d->r) - start;
    if (used > size) {
        free(c.name);
        return wb_dec_fail(d, start + size, "unexpected end of section or function");
    }
    c.data_offset = wb_reader_offset(&d->r);
    c.data_len = size - used;
    if (!push_custom(d, c)) {
        free(c.name);
        return false;
    }
    return wb_dec_skip(d, c.data_len);
}

/* Reads the function-names subsection (a vector of index, name pairs) into
 * names[total]. False if it is malformed in any way. */
static bool read_function_names(wb_reader *r, char **names, uint32_t total)
{
    uint32_t n;
    if (!wb_read_u32(r, &n) || n > wb_reader_left(r))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t idx, len;
        const uint8_t *bytes;
        if (!wb_read_u32(r, &idx) || !wb_read_u32(r, &len) || !wb_read_bytes(r, len, &bytes))
            return false;
        if (!wb_utf8_valid(bytes, len))
            return false;
        if (idx >= total || names[idx])
            continue; /* out of range or repeated: not ours to judge */
        char *copy = malloc((size_t)len + 1);
        if (!copy)
            return false;
        memcpy(copy, bytes, len);
        copy[len] = '\0';
        names[idx] = copy;
    }
    return wb_reader_done(r);
}

static const wb_custom *find_name_section(const wb_module *m)
{
    for (uint32_t i = 0; i < m->ncustoms; i++)
        if (m->customs[i].name_len == 4 && memcmp(m->customs[i].name, "name", 4) == 0)
            return &m->customs[i];
    return NULL;
}

static void free_names(char **names, uint32_t total)
{
    for (uint32_t i = 0; i < total; i++)
        free(names[i]);
    free(names);
}

void wb_dec_name_section(wb_module *m)
{
    const wb_custom *sec = find_name_section(m);
    uint32_t total = wb_module_total_funcs(m);
    if (!sec || total == 0)
        return;
    char **names = calloc(total, sizeof *names);
    if (!names)
        return;
    const uint8_t *p = m->bytes + sec->data_offset;
    wb_reader r = {m->bytes, p, p + sec->data_len, NULL, false};
    bool found = false;
    while (!wb_reader_done(&r)) {
        uint8_t id;
        uint32_t size;
        const uint8_t *body;
        if (!wb_read_u8(&r, &id) || !wb_read_u32(&r, &size) || !wb_read_bytes(&r, size, &body))
            goto drop;
        if (id != 1 || found)
            continue; /* module, local and other names: not kept */
        wb_reader sub = {m->bytes, body, body + size, NULL, false};
        if (!read_function_names(&sub, names, total))
            goto drop;
        found = true;
    }
    if (!found)
        goto drop;
    m->func_names = names;
    m->nfunc_names = total;
    return;
drop:
    free_names(names, total);
}
