/* Shared between the policy's sources (JSON loader, CLI flags, checks); not
 * part of the public API. Every setter takes the origin of the value
 * ("policy.json: dirs[1]", "--dir") so errors and later checks can name it. */
#ifndef WASMBOX_POLICY_INTERNAL_H
#define WASMBOX_POLICY_INTERNAL_H

#include "policy.h"

/* Formats "<origin>: <message>" into err; always returns false. */
bool wbp_fail(char *err, size_t errlen, const char *origin, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

char *wbp_strdup(const char *s);

/* Starts a new source (see wb_policy.source): every file loaded is one; the
 * CLI flags, however many, are one. */
void wbp_begin_source(wb_policy *p, bool flags);

/* The five limits; each has its own rules (units, whether 0 or "unlimited"
 * are allowed, a ceiling). */
typedef enum wbp_limit {
    WBP_TIMEOUT_MS, WBP_FUEL, WBP_MAX_MEMORY, WBP_MAX_STACK, WBP_MAX_OUTPUT,
} wbp_limit;

/* Sets a limit from text: "123", "64M" (sizes only), or "unlimited". */
bool wbp_set_limit_text(wb_policy *p, wbp_limit which, const char *origin, const char *text,
                        char *err, size_t errlen);
/* Sets a limit to a number already read exactly (a JSON number). */
bool wbp_set_limit(wb_policy *p, wbp_limit which, const char *origin, uint64_t v, char *err,
                   size_t errlen);
/* Every limit against its key's rules (the defaults a caller gave included). */
bool wbp_check_limits(const wb_policy *p, char *err, size_t errlen);

/* "true" or "false", nothing else. */
bool wbp_parse_bool(const char *origin, const char *text, bool *out, char *err, size_t errlen);

bool wbp_add_dir(wb_policy *p, const char *origin, const char *host, const char *guest,
                 bool read_only, char *err, size_t errlen);
/* "HOST[::GUEST][:ro|:rw]"; guest defaults to "/" + HOST's last component.
 * base (may be NULL) is prepended to a relative HOST. */
bool wbp_add_dir_spec(wb_policy *p, const char *origin, const char *spec, const char *base,
                      char *err, size_t errlen);
/* The --dir form: the same, but a HOST without "::GUEST" is seen at the
 * same path in the guest, as with Wasmtime ("." at "/"). */
bool wbp_add_dir_flag(wb_policy *p, const char *origin, const char *spec, char *err,
                      size_t errlen);
bool wbp_set_env(wb_policy *p, const char *origin, const char *key, const char *value,
                 char *err, size_t errlen);
bool wbp_set_env_spec(wb_policy *p, const char *origin, const char *spec, char *err,
                      size_t errlen);
bool wbp_add_arg(wb_policy *p, const char *origin, const char *arg, char *err, size_t errlen);
bool wbp_add_allowed_host(wb_policy *p, const char *origin, const char *text, char *err,
                          size_t errlen);
bool wbp_add_block_network(wb_policy *p, const char *origin, const char *text, char *err,
                           size_t errlen);
bool wbp_add_block_url(wb_policy *p, const char *origin, const char *text, char *err,
                       size_t errlen);
bool wbp_add_resolve(wb_policy *p, const char *origin, const char *text, char *err,
                     size_t errlen);
/* The path scalars (work_dir, ca_file, cache_dir, audit). */
typedef enum wbp_path { WBP_WORK_DIR, WBP_CA_FILE, WBP_CACHE_DIR, WBP_AUDIT } wbp_path;
/* Replaces a path scalar; base as above. value NULL clears it (JSON null). */
bool wbp_set_path(wb_policy *p, wbp_path which, const char *origin, const char *value,
                  const char *base, char *err, size_t errlen);

/* allow_symlink_dotdot, from a JSON boolean or the flag's "true"/"false"
 * (text NULL: use value); once per source like every scalar. */
bool wbp_set_symlink_dotdot(wb_policy *p, const char *origin, const char *text, bool value,
                            char *err, size_t errlen);

/* ---- exact JSON numbers (json_numbers.c) ---- */

struct cJSON;
/* The source text of a number item of the document root, parsed from
 * text[0..len). False if item is not a number of that document. */
bool wbp_json_number_text(const struct cJSON *root, const struct cJSON *item, const char *text,
                          size_t len, const char **tok, size_t *toklen);
typedef enum wbp_number {
    WBP_NUMBER_OK, WBP_NUMBER_NEGATIVE, WBP_NUMBER_FRACTION, WBP_NUMBER_TOO_LARGE,
    WBP_NUMBER_BAD,
} wbp_number;
/* The exact value of a JSON number's text if it is a whole number from 0 to
 * max ("1e3" and "2.50e1" are; "1.5" is a fraction). */
wbp_number wbp_json_exact_uint(const char *tok, size_t len, uint64_t max, uint64_t *out);

/* Joins base and a relative path ("dir/x"); copies path if absolute or base is
 * NULL/empty. Caller frees. */
char *wbp_join(const char *base, const char *path);

#endif
