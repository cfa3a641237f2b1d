/* The translation cache (policy key cache_dir, `--cache DIR`): translated
 * code kept between runs, authenticated. tools/README.md "Translation
 * cache" says what is stored and how it is checked. All of its crypto
 * (SHA-256, HMAC-SHA256, random bytes: libcrypto) is in code_cache.c. */
#ifndef WASMBOX_TOOLS_CODE_CACHE_H
#define WASMBOX_TOOLS_CODE_CACHE_H

#include "../policy/policy.h"
#include "../vm/vm.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cli_code_cache {
    bool on;                         /* false: no cache_dir, or the key is unusable */
    char *file;                      /* DIR/<module sha256>-<translation>.wbcode */
    char *dir;                       /* PATH_MAX each, one block from dir */
    unsigned char key[32];
    unsigned char module_hash[32];
    char format[WB_CODE_FORMAT_ID_MAX];
    uint32_t mode;
    uint32_t loaded;                 /* functions the file gave */
    bool vouched;                    /* the file authenticated: the module validated before */
    unsigned char *entry;            /* the authenticated file, until cli_cache_load */
    size_t entry_len;                /* its bytes (wb_free_resident wants them) */
    const unsigned char *index;      /* in entry: wb_module_code_index's bytes */
    size_t index_len;
    const unsigned char *payload;    /* in entry: wb_module_code_save's bytes */
    size_t payload_len;
    bool after_run;                  /* cli_cache_store reached */
    wb_audit *audit;                 /* may be NULL */
} cli_code_cache;

/* For one module (its bytes) under `mode`: makes dir if missing, reads its
 * key (DIR/key, 0600, ours; made on first use), hashes the module (unless
 * `module_hash`, its SHA-256 taken as the file was read, is given), reads
 * its file and authenticates it (MAC, header). A key or directory that is
 * unusable is reported (stderr and a `cache` audit record) and leaves the
 * cache off: the run goes on, translating. If the file authenticates,
 * c->vouched is set: load the module with cli_cache_load_module. */
void cli_cache_open(cli_code_cache *c, const char *dir, const uint8_t *bytes, size_t len,
                    const unsigned char *module_hash, wb_translation mode, wb_audit *audit);
/* Loads the module (taking its bytes, as wb_module_load_owned): vouched
 * and indexed by the authenticated file if there is one
 * (wb_module_load_owned_vouched_indexed); if the file's index is not the
 * module's own, reports the file rejected and uses none of it (the module
 * is then validated in full). */
wb_module *cli_cache_load_module(cli_code_cache *c, wb_store *store, uint8_t *bytes, size_t len,
                                 wb_error *err);
/* Gives m the functions the authenticated file holds, if every check on
 * its code passes; otherwise reports why and uses none. Frees the file. */
void cli_cache_load(cli_code_cache *c, wb_module *m);
/* Frees what cli_cache_open made (after cli_cache_store). */
void cli_cache_close(cli_code_cache *c);
/* Writes every function m has translated, if that is more than the file
 * gave: a temporary file renamed over the old one. If m was vouched for by
 * the file and one of its bodies failed its late check, removes the file
 * instead (reported). */
void cli_cache_store(cli_code_cache *c, const wb_module *m);

#endif
