/* The translation cache: files of translated code (vm's
 * wb_module_code_save bytes) that a later run of the same module reads back
 * instead of translating those functions again.
 *
 * A file is  "WBCACHE3" | u32 header length | header | u64 index length |
 * index | u64 payload length | payload | HMAC-SHA256  where the header is
 * the engine's format identity (wb_code_format_id: version, code format,
 * opcode tables; NUL-padded to WB_CODE_FORMAT_ID_MAX), the module's
 * SHA-256, the translation and a u32 of flags (bit 0: this module, byte
 * for byte, passed validation in full under this engine), the index is the
 * module's code section's (wb_module_code_index: each body's offset), the
 * payload its code (wb_module_code_save), and the MAC covers everything
 * before it, under a per-user key kept beside the files (DIR/key: 32
 * random bytes, mode 0600, owned by the user running). A file is used only
 * if its MAC matches and its header is ours and the module's; then the
 * module is loaded vouched and indexed (wb_module_load_owned_vouched_indexed:
 * its bodies' entries are decoded and checked one by one before their first
 * use, not all at start), if the index is the code section's own, and the
 * code is taken if the vm's checks on it pass. Anything else is reported
 * (stderr and a `cache` audit record) and the run validates and translates
 * as without a cache. Writes go to a temporary file renamed into place, so
 * a reader never sees a torn file whoever else writes at the same time.
 *
 * Only a run whose module validated writes a file (a run that could not
 * load its module has nothing to store), so bit 0 is always set; it is
 * in the format so that what a file vouches for is written down, not
 * implied.
 *
 * With lazy translation a run translates what it calls: the file holds
 * every function translated by the end of the last run that wrote it (what
 * it read plus what it translated); a run that translated nothing new
 * leaves the file alone. Two runs writing at once: the last rename wins,
 * each file whole.
 *
 * This file is the CLI's only user of libcrypto's HMAC and random bytes. */
#include "code_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "WBCACHE3"
#define HEADER_LEN (WB_CODE_FORMAT_ID_MAX + 32 + 4 + 4)
#define FLAG_VALIDATED 1u
#define HEAD_END (8 + 4 + HEADER_LEN)
#define FIXED_LEN (HEAD_END + 8 + 8) /* and the index's and payload's lengths */
#define MAC_LEN 32
#define MAX_FILE ((size_t)1 << 30)

static void read_entry(cli_code_cache *c);

/* One `cache` audit record and, unless all went well, one stderr line. */
static void report(const cli_code_cache *c, const char *result, const char *file, int64_t functions,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void report(const cli_code_cache *c, const char *result, const char *file, int64_t functions,
                   const char *fmt, ...)
{
    char reason[2048] = "";
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(reason, sizeof reason, fmt, ap);
        va_end(ap);
    }
    if (c->audit) {
        wb_audit_field fn = functions < 0 ? (wb_audit_field)WB_NULL("functions")
                                          : (wb_audit_field)WB_UINT("functions", functions);
        wb_audit_field why = fmt ? (wb_audit_field)WB_STR("reason", reason)
                                 : (wb_audit_field)WB_NULL("reason");
        WB_AUDIT(c->audit, "cache", WB_STR("result", result), WB_STR("file", file), fn, why);
    }
    /* after the run nothing is translated instead: the reason says what
     * was done */
    if (!strcmp(result, "rejected") || !strcmp(result, "disabled") || !strcmp(result, "unsaved"))
        fprintf(stderr, "wasmbox: cache: %s: %s%s\n", file, reason,
                !strcmp(result, "unsaved") ? "; not saved" : c->after_run ? "" : "; translating instead");
}

/* Makes DIR/key (32 random bytes, 0600) unless it exists: written whole
 * in a temporary file first and linked into place, which fails if another
 * run made it meanwhile (then that one is used), so no run ever reads a
 * half-written key. */
static bool make_key(const char *dir, const char *key, char *why, size_t whylen)
{
    char tmp[PATH_MAX];
    int fd = -1;
    errno = ENAMETOOLONG;
    if (snprintf(tmp, sizeof tmp, "%s/.key-XXXXXX", dir) < (int)sizeof tmp)
        fd = mkstemp(tmp); /* O_EXCL, mode 0600 */
    if (fd < 0) {
        snprintf(why, whylen, "cannot make a key in %.300s: %.100s", dir, strerror(errno));
        return false;
    }
    unsigned char k[32];
    bool ok = RAND_bytes(k, sizeof k) == 1 && write(fd, k, sizeof k) == (ssize_t)sizeof k &&
              fsync(fd) == 0;
    OPENSSL_cleanse(k, sizeof k);
    close(fd);
    if (ok && link(tmp, key) != 0 && errno != EEXIST) {
        snprintf(why, whylen, "cannot make the key %.300s: %.100s", key, strerror(errno));
        ok = false;
    } else if (!ok) {
        snprintf(why, whylen, "cannot write a key in %.300s", dir);
    }
    unlink(tmp);
    return ok;
}

/* Reads DIR/key, refusing one that anyone else could read or write. */
static bool read_key(cli_code_cache *c, const char *key, char *why, size_t whylen)
{
    int fd = open(key, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        if (!make_key(c->dir, key, why, whylen))
            return false;
        fd = open(key, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd < 0) {
        snprintf(why, whylen, "key %.300s: %.100s", key, strerror(errno));
        return false;
    }
    struct stat st;
    bool ok = false;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        snprintf(why, whylen, "key %.300s is not a regular file", key);
    else if (st.st_uid != geteuid())
        snprintf(why, whylen, "key %.300s belongs to uid %u, not to this user (%u)", key,
                 (unsigned)st.st_uid, (unsigned)geteuid());
    else if (st.st_mode & 077)
        snprintf(why, whylen, "key %.300s has mode %04o: others may read or change it (chmod 600 %.300s, or remove it "
                 "and the cache files)", key, (unsigned)(st.st_mode & 07777), key);
    else if (st.st_size != 32 || read(fd, c->key, 32) != 32)
        snprintf(why, whylen, "key %.300s is not 32 bytes (remove it and the cache files)", key);
    else
        ok = true;
    close(fd);
    return ok;
}

void cli_cache_open(cli_code_cache *c, const char *dir, const uint8_t *bytes, size_t len,
                    const unsigned char *module_hash, wb_translation mode, wb_audit *audit)
{
    memset(c, 0, sizeof *c);
    c->audit = audit;
    c->mode = (uint32_t)mode;
    if (!dir)
        return;
    /* the paths on the heap, only when caching: a run without a cache
     * would otherwise clear 8 KiB of them (start-up instructions) */
    if (!(c->dir = malloc(2 * PATH_MAX))) {
        report(c, "disabled", dir, -1, "out of memory");
        return;
    }
    c->file = c->dir + PATH_MAX;
    snprintf(c->dir, PATH_MAX, "%s", dir);
    char key[PATH_MAX], why[1600];
    snprintf(key, sizeof key, "%s/key", dir);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        report(c, "disabled", dir, -1, "cannot make the directory: %s", strerror(errno));
        return;
    }
    if (!read_key(c, key, why, sizeof why)) {
        report(c, "disabled", key, -1, "%s", why);
        return;
    }
    unsigned int n = 32;
    if (module_hash)
        memcpy(c->module_hash, module_hash, 32);
    else if (!EVP_Digest(bytes, len, c->module_hash, &n, EVP_sha256(), NULL) || n != 32) {
        report(c, "disabled", dir, -1, "cannot hash the module");
        return;
    }
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", c->module_hash[i]);
    snprintf(c->file, PATH_MAX, "%s/%s-%s.wbcode", dir, hex,
             mode == WB_TRANSLATE_REFERENCE ? "ref" : "opt");
    memset(c->format, 0, sizeof c->format);
    wb_code_format_id(c->format);
    c->on = true;
    read_entry(c);
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> 8 * i);
}

static void put64(unsigned char *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t get_le(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static void header(const cli_code_cache *c, unsigned char out[HEADER_LEN])
{
    memcpy(out, c->format, WB_CODE_FORMAT_ID_MAX);
    memcpy(out + WB_CODE_FORMAT_ID_MAX, c->module_hash, 32);
    put32(out + WB_CODE_FORMAT_ID_MAX + 32, c->mode);
    put32(out + WB_CODE_FORMAT_ID_MAX + 36, FLAG_VALIDATED);
}

static bool mac(const cli_code_cache *c, const unsigned char *p, size_t n, unsigned char out[MAC_LEN])
{
    unsigned int len = 0;
    return HMAC(EVP_sha256(), c->key, sizeof c->key, p, n, out, &len) && len == MAC_LEN;
}

/* The whole file, at most MAX_FILE bytes, in a block of
 * wb_alloc_resident (free it with wb_free_resident and *len): a large
 * one, such as the large module's 1.1 MB, in a huge page resident before
 * the read instead of 278 pages faulted one by one; NULL with *missing
 * when there is none. */
static unsigned char *read_file(const char *path, size_t *len, bool *missing, char *why, size_t whylen)
{
    *missing = false;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        *missing = errno == ENOENT;
        snprintf(why, whylen, "%.300s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > MAX_FILE) {
        snprintf(why, whylen, "not a regular file of at most %zu bytes", MAX_FILE);
        close(fd);
        return NULL;
    }
    size_t n = (size_t)st.st_size, got = 0;
    unsigned char *p = wb_alloc_resident(n);
    while (p && got < n) {
        ssize_t k = read(fd, p + got, n - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd);
    if (!p || got != n) {
        snprintf(why, whylen, "%.300s", p ? "cannot read it" : "out of memory");
        wb_free_resident(p, n);
        return NULL;
    }
    *len = n;
    return p;
}

/* Reads the module's file and authenticates it: on success keeps it in
 * c->entry and sets c->vouched. */
static void read_entry(cli_code_cache *c)
{
    char why[1600];
    size_t len = 0;
    bool missing;
    unsigned char *p = read_file(c->file, &len, &missing, why, sizeof why);
    if (!p) {
        if (missing)
            report(c, "miss", c->file, -1, NULL);
        else
            report(c, "rejected", c->file, -1, "%s", why);
        return;
    }
    unsigned char want[MAC_LEN], head[HEADER_LEN];
    bool ok = false;
    if (len < FIXED_LEN + MAC_LEN) {
        report(c, "rejected", c->file, -1, "%zu bytes: too short to be a cache file (truncated?)", len);
    } else if (!mac(c, p, len - MAC_LEN, want) || CRYPTO_memcmp(want, p + len - MAC_LEN, MAC_LEN) != 0) {
        report(c, "rejected", c->file, -1,
               "its MAC does not match: damaged, truncated, or written under another key");
    } else {
        header(c, head);
        /* the index's length, then (if it fits) the payload's */
        size_t room = len - FIXED_LEN - MAC_LEN;
        uint64_t hlen = get_le(p + 8, 4), ilen = get_le(p + HEAD_END, 8), plen = 0;
        if (ilen <= room)
            plen = get_le(p + HEAD_END + 8 + ilen, 8);
        if (memcmp(p, MAGIC, 8) || hlen != HEADER_LEN)
            report(c, "rejected", c->file, -1, "not a cache file of this format");
        else if (memcmp(p + 12, head, WB_CODE_FORMAT_ID_MAX))
            report(c, "rejected", c->file, -1, "made by another wasmbox (%.*s), this is %s",
                   WB_CODE_FORMAT_ID_MAX - 1, (const char *)p + 12, c->format);
        else if (memcmp(p + 12, head, HEADER_LEN))
            report(c, "rejected", c->file, -1, "made for another module or translation");
        else if (ilen > room || plen != room - ilen)
            report(c, "rejected", c->file, -1,
                   "index of %llu and payload of %llu bytes in a file of %zu",
                   (unsigned long long)ilen, (unsigned long long)plen, len);
        else
            ok = true;
    }
    if (!ok) {
        wb_free_resident(p, len);
        return;
    }
    c->entry = p;
    c->entry_len = len;
    c->index = p + HEAD_END + 8;
    c->index_len = (size_t)get_le(p + HEAD_END, 8);
    c->payload = c->index + c->index_len + 8;
    c->payload_len = len - FIXED_LEN - MAC_LEN - c->index_len;
    /* the header compared equal to ours, flags included: FLAG_VALIDATED */
    c->vouched = true;
}

static void drop_entry(cli_code_cache *c)
{
    wb_free_resident(c->entry, c->entry_len);
    c->entry = NULL;
    c->entry_len = 0;
}

wb_module *cli_cache_load_module(cli_code_cache *c, wb_store *store, uint8_t *bytes, size_t len,
                                 wb_error *err)
{
    if (!c->vouched)
        return wb_module_load_owned(store, bytes, len, err);
    bool index_ok = false;
    wb_module *m = wb_module_load_owned_vouched_indexed(store, bytes, len, c->index, c->index_len,
                                                        &index_ok, err);
    if (m && !index_ok) {
        /* MACed with the key, yet not this module's code section: the
         * module was validated in full instead; the file is not used */
        report(c, "rejected", c->file, -1,
               "its index of the code section does not match the module's (is DIR/key known to others?)");
        c->vouched = false;
        drop_entry(c);
    }
    return m;
}

void cli_cache_load(cli_code_cache *c, wb_module *m)
{
    if (!c->entry)
        return;
    wb_error err;
    uint32_t n = 0;
    if (wb_module_code_load(m, c->payload, c->payload_len, &n, &err)) {
        c->loaded = n;
        report(c, "hit", c->file, n, NULL);
    } else {
        report(c, "rejected", c->file, -1, "its code fails the checks: %s", err.message);
    }
    drop_entry(c);
}

void cli_cache_close(cli_code_cache *c)
{
    drop_entry(c);
    free(c->dir); /* c->file with it */
    c->dir = c->file = NULL;
    c->on = false;
}

void cli_cache_store(cli_code_cache *c, const wb_module *m)
{
    if (!c->on || !m)
        return;
    c->after_run = true;
    if (c->vouched && !wb_module_vouch_held(m)) {
        /* a body the file vouched for failed its check: the file lies (its
         * key is known to someone else?); remove it rather than keep it */
        unlink(c->file);
        report(c, "rejected", c->file, -1,
               "it vouched for a module with an invalid function; removed (is DIR/key known to others?)");
        return;
    }
    if (wb_module_translated_count(m) <= c->loaded)
        return;
    uint8_t *payload = NULL, *index = NULL;
    size_t plen = 0, ilen = 0;
    uint32_t n = 0;
    if (!wb_module_code_save(m, &payload, &plen, &n) || !wb_module_code_index(m, &index, &ilen)) {
        report(c, "unsaved", c->file, -1, "out of memory");
        free(payload);
        return;
    }
    size_t fixed = FIXED_LEN, len = fixed + ilen + plen + MAC_LEN;
    unsigned char *f = malloc(len);
    char tmp[PATH_MAX];
    int fd = -1;
    errno = ENOMEM;
    if (f && snprintf(tmp, sizeof tmp, "%s/.tmp-XXXXXX", c->dir) < (int)sizeof tmp)
        fd = mkstemp(tmp);
    bool ok = fd >= 0;
    if (ok) {
        memcpy(f, MAGIC, 8);
        put32(f + 8, HEADER_LEN);
        header(c, f + 12);
        put64(f + HEAD_END, ilen);
        memcpy(f + HEAD_END + 8, index, ilen);
        put64(f + HEAD_END + 8 + ilen, plen);
        memcpy(f + FIXED_LEN + ilen, payload, plen);
        ok = mac(c, f, len - MAC_LEN, f + len - MAC_LEN);
        for (size_t at = 0; ok && at < len;) {
            ssize_t k = write(fd, f + at, len - at);
            ok = k > 0;
            at += ok ? (size_t)k : 0;
        }
        ok = close(fd) == 0 && ok && rename(tmp, c->file) == 0;
        if (!ok)
            unlink(tmp);
    }
    if (ok)
        report(c, "stored", c->file, n, NULL);
    else
        report(c, "unsaved", c->file, -1, "cannot write it: %s", strerror(errno));
    free(f);
    free(payload);
    free(index);
}
