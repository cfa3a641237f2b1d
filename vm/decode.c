/* wb_decode: the module header, the section loop (ids, order, sizes) and
 * the checks that tie sections together. The sections' contents are read
 * in decode_sections.c, decode_segments.c and decode_names.c. */
#include "decode_internal.h"
#include "profile_exc.h"
#include "features.h"

#include <stdlib.h>
#include <string.h>

typedef struct section_kind {
    const char *name;
    unsigned rank;                  /* required order of the known sections */
    bool (*parse)(wb_decoder *d);
} section_kind;

/* Indexed by section id. The data count section (12) sits between element
 * and code, the tag section (13) between memory and global, hence the rank. */
static const section_kind sections[14] = {
    [0] = {"custom section", 0, NULL},
    [1] = {"type section", 1, wb_dec_type_section},
    [2] = {"import section", 2, wb_dec_import_section},
    [3] = {"function section", 3, wb_dec_function_section},
    [4] = {"table section", 4, wb_dec_table_section},
    [5] = {"memory section", 5, wb_dec_memory_section},
    [13] = {"tag section", 6, wb_dec_tag_section}, /* exception handling */
    [6] = {"global section", 7, wb_dec_global_section},
    [7] = {"export section", 8, wb_dec_export_section},
    [8] = {"start section", 9, wb_dec_start_section},
    [9] = {"element section", 10, wb_dec_element_section},
    [12] = {"data count section", 11, wb_dec_datacount_section},
    [10] = {"code section", 12, wb_dec_code_section},
    [11] = {"data section", 13, wb_dec_data_section},
};

enum { SECTION_ID_MAX = 13 };

/* Where each known section started (its id byte), for the cross-section
 * messages; SIZE_MAX when absent. */
typedef struct section_starts {
    size_t at[SECTION_ID_MAX + 1];
} section_starts;

static bool read_header(wb_decoder *d)
{
    static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6D};
    static const uint8_t version[4] = {0x01, 0x00, 0x00, 0x00};
    const uint8_t *got;
    d->where = "module header";
    if (!wb_read_bytes(&d->r, 4, &got))
        return wb_dec_reader_fail(d, wb_reader_offset(&d->r));
    if (memcmp(got, magic, 4) != 0)
        return wb_dec_fail(d, 0, "magic header not detected");
    if (!wb_read_bytes(&d->r, 4, &got))
        return wb_dec_reader_fail(d, wb_reader_offset(&d->r));
    if (memcmp(got, version, 4) != 0)
        return wb_dec_fail(d, 4, "unknown binary version");
    return true;
}

static bool read_section(wb_decoder *d, unsigned *last_rank, section_starts *starts)
{
    size_t id_at = wb_reader_offset(&d->r);
    uint8_t id = *d->r.p++; /* the caller saw at least one byte left */
    d->where = "module";
    if (id > SECTION_ID_MAX)
        return wb_dec_fail(d, id_at, "malformed section id");
    if (id == 13 && !(d->m->features & WB_FEATURE_EXCEPTIONS))
        return wb_dec_fail(d, id_at,
                           "malformed section id 13 (the tag section)" WB_PROFILE_EXC_WHY);
    const section_kind *kind = &sections[id];
    d->where = kind->name;
    d->in_section = true;
    if (id != 0) {
        if (kind->rank <= *last_rank)
            return wb_dec_fail(d, id_at, "unexpected content after last section");
        *last_rank = kind->rank;
        starts->at[id] = id_at;
    }
    uint32_t size;
    if (!wb_dec_len(d, &size))
        return false;
    size_t start = wb_reader_offset(&d->r);
    d->section_end = start + size;
    if (!(id == 0 ? wb_dec_custom_section(d, size) : kind->parse(d)))
        return false;
    if (wb_reader_offset(&d->r) != start + size)
        return wb_dec_fail(d, start, "section size mismatch");
    return true;
}

/* Counts that two sections must agree on. */
static bool check_counts(wb_decoder *d, const section_starts *starts)
{
    wb_module *m = d->m;
    if (m->nfuncs != m->ncodes) {
        bool code = starts->at[10] != SIZE_MAX;
        d->where = code ? "code section" : "function section";
        return wb_dec_fail(d, starts->at[code ? 10 : 3],
                           "function and code section have inconsistent lengths");
    }
    if (m->has_datacount && m->datacount != m->ndatas) {
        bool data = starts->at[11] != SIZE_MAX;
        d->where = data ? "data section" : "data count section";
        return wb_dec_fail(d, starts->at[data ? 11 : 12],
                           "data count and data section have inconsistent lengths");
    }
    return true;
}

static bool read_module(wb_decoder *d)
{
    section_starts starts;
    for (unsigned i = 0; i <= SECTION_ID_MAX; i++)
        starts.at[i] = SIZE_MAX;
    unsigned last_rank = 0;
    if (!read_header(d))
        return false;
    while (!wb_reader_done(&d->r))
        if (!read_section(d, &last_rank, &starts))
            return false;
    return check_counts(d, &starts);
}

wb_module *wb_decode(const uint8_t *bytes, size_t len, wb_error *err)
{
    return wb_decode_features(bytes, len, WB_FEATURES_3_0, err);
}

wb_module *wb_decode_owned(uint8_t *copy, size_t len, wb_error *err)
{
    return wb_decode_owned_features(copy, len, WB_FEATURES_3_0, err);
}

wb_module *wb_decode_features(const uint8_t *bytes, size_t len, wb_features features, wb_error *err)
{
    if (len > WB_MAX_MODULE_BYTES)
        return wb_decode_owned_features(NULL, len, features, err); /* refuses it, before copying */
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) {
        wb_error_set(err, WB_ERR_NOMEM, 0, "module", "out of memory");
        return NULL;
    }
    if (len)
        memcpy(copy, bytes, len);
    return wb_decode_owned_features(copy, len, features, err);
}

wb_module *wb_decode_owned_features(uint8_t *copy, size_t len, wb_features features, wb_error *err)
{
    return wb_decode_owned_indexed(copy, len, features, NULL, 0, err);
}

wb_module *wb_decode_owned_indexed(uint8_t *copy, size_t len, wb_features features, uint32_t *index,
                                   uint32_t nindex, wb_error *err)
{
    if (err) {
        err->kind = WB_ERR_NONE;
        err->offset = 0;
        err->message[0] = '\0';
    }
    if (len > WB_MAX_MODULE_BYTES) {
        free(copy);
        free(index);
        wb_error_set(err, WB_ERR_LIMIT, 0, "module",
                     "too many bytes in the module: %zu (implementation limit %u)", len,
                     WB_MAX_MODULE_BYTES);
        return NULL;
    }
    wb_module *m = calloc(1, sizeof *m);
    if (!copy && !len)
        copy = malloc(1);
    if (!m || !copy) {
        free(m);
        free(copy);
        free(index);
        wb_error_set(err, WB_ERR_NOMEM, 0, "module", "out of memory");
        return NULL;
    }
    m->bytes = copy;
    m->len = len;
    m->features = features;

    wb_decoder d = {
        .m = m,
        .r = {copy, copy, copy + len, NULL},
        .err = err,
        .where = "module",
        .in_section = false,
        .index = index,
        .nindex = nindex,
    };
    bool ok = read_module(&d) && wb_dec_index_spaces(&d);
    free(d.index); /* NULL if the module took it */
    if (!ok) {
        wb_module_destroy(m);
        return NULL;
    }
    wb_dec_name_section(m);
    return m;
}
