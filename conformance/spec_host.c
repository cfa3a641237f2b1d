/* The `spectest` host module. */
#include "spec_host.h"

#include <stdlib.h>
#include <string.h>

/* The print functions only exist to be imported and called; their output
 * would drown the runner's, so they print nothing. */
static int spectest_print(wb_call *call, void *user, const wb_value *args, wb_value *results)
{
    (void)call;
    (void)user;
    (void)args;
    (void)results;
    return 0;
}

static const wb_type params_i32[] = {WB_I32};
static const wb_type params_i64[] = {WB_I64};
static const wb_type params_f32[] = {WB_F32};
static const wb_type params_f64[] = {WB_F64};
static const wb_type params_i32_f32[] = {WB_I32, WB_F32};
static const wb_type params_f64_f64[] = {WB_F64, WB_F64};

static const struct {
    const char *name;
    uint32_t nparams;
    const wb_type *params;
} print_funcs[] = {
    {"print", 0, NULL},
    {"print_i32", 1, params_i32},
    {"print_i64", 1, params_i64},
    {"print_f32", 1, params_f32},
    {"print_f64", 1, params_f64},
    {"print_i32_f32", 2, params_i32_f32},
    {"print_f64_f64", 2, params_f64_f64},
};

#define NFUNCS (sizeof print_funcs / sizeof print_funcs[0])
#define MAX_FIELDS (NFUNCS + 7) /* four globals, two tables, a memory */

struct spec_host {
    size_t count;
    struct {
        const char *name;
        wb_extern ext;
    } fields[MAX_FIELDS];
};

static void add(spec_host *host, const char *name, wb_extern_kind kind, void *object)
{
    if (!object)
        return;
    wb_extern ext;
    memset(&ext, 0, sizeof ext);
    ext.kind = kind;
    switch (kind) {
    case WB_EXTERN_FUNC: ext.of.func = object; break;
    case WB_EXTERN_TABLE: ext.of.table = object; break;
    case WB_EXTERN_MEMORY: ext.of.memory = object; break;
    case WB_EXTERN_GLOBAL: ext.of.global = object; break;
    case WB_EXTERN_TAG: ext.of.tag = object; break;
    }
    host->fields[host->count].name = name;
    host->fields[host->count].ext = ext;
    host->count++;
}

static wb_global *make_global(wb_store *store, wb_type type, int64_t int_value, double float_value)
{
    wb_value v;
    memset(&v, 0, sizeof v);
    v.type = type;
    switch (type) {
    case WB_I32: v.of.i32 = (int32_t)int_value; break;
    case WB_I64: v.of.i64 = int_value; break;
    case WB_F32: v.of.f32 = (float)float_value; break;
    case WB_F64: v.of.f64 = float_value; break;
    default: return NULL;
    }
    return wb_global_new(store, type, false, v);
}

spec_host *spec_host_new(wb_store *store)
{
    spec_host *host = calloc(1, sizeof *host);
    if (!host)
        return NULL;
    for (size_t i = 0; i < NFUNCS; i++) {
        wb_functype type = {
            .nparams = print_funcs[i].nparams,
            .nresults = 0,
            .params = print_funcs[i].params,
            .results = NULL,
        };
        add(host, print_funcs[i].name, WB_EXTERN_FUNC,
            wb_func_new_host(store, &type, spectest_print, NULL));
    }
    add(host, "global_i32", WB_EXTERN_GLOBAL, make_global(store, WB_I32, 666, 0));
    add(host, "global_i64", WB_EXTERN_GLOBAL, make_global(store, WB_I64, 666, 0));
    add(host, "global_f32", WB_EXTERN_GLOBAL, make_global(store, WB_F32, 0, 666.6));
    add(host, "global_f64", WB_EXTERN_GLOBAL, make_global(store, WB_F64, 0, 666.6));
    wb_value null_func;
    memset(&null_func, 0, sizeof null_func);
    null_func.type = WB_FUNCREF;
    null_func.of.func = NULL;
    add(host, "table", WB_EXTERN_TABLE, wb_table_new(store, WB_FUNCREF, 10, 20, true, null_func));
    /* the reference interpreter's spectest table64: i64 indices, 10..20 */
    add(host, "table64", WB_EXTERN_TABLE, wb_table_new64(store, WB_FUNCREF, 10, 20, null_func));
    add(host, "memory", WB_EXTERN_MEMORY, wb_memory_new(store, 1, 2));
    return host;
}

void spec_host_free(spec_host *host)
{
    free(host);
}

bool spec_host_lookup(const spec_host *host, const char *name, size_t len, wb_extern *out)
{
    for (size_t i = 0; i < host->count; i++) {
        const char *field = host->fields[i].name;
        if (strlen(field) == len && memcmp(field, name, len) == 0) {
            *out = host->fields[i].ext;
            return true;
        }
    }
    return false;
}
