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

typedef enum wbp_unit { WBP_COUNT, WBP_MILLIS, WBP_SIZE } wbp_unit;

/* "123", "64M" (sizes only), "unlimited". zero_ok: whether 0 is allowed. */
bool wbp_parse_limit(const char *origin, const char *text, wbp_unit unit, bool zero_ok,
                     uint64_t *out, char *err, size_t errlen);
/* Range checks shared with JSON numbers. */
bool wbp_check_limit(const char *origin, uint64_t v, bool zero_ok, char *err, size_t errlen);

/* "true" or "false", nothing else. */
bool wbp_parse_bool(const char *origin, const char *text, bool *out, char *err, size_t errlen);

bool wbp_add_dir(wb_policy *p, const char *origin, const char *host, const char *guest,
                 bool read_only, char *err, size_t errlen);
/* "HOST[::GUEST][:ro|:rw]"; guest defaults to "/" + HOST's last component.
 * base (may be NULL) is prepended to a relative HOST. */
bool wbp_add_dir_spec(wb_policy *p, const char *origin, const char *spec, const char *base,
                      char *err, size_t errlen);
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
/* Replaces a path scalar (work_dir, ca_file, cache_dir, audit); base as above. */
bool wbp_set_path(char **field, char **origin_field, const char *origin, const char *value,
                  const char *base, char *err, size_t errlen);

/* Joins base and a relative path ("dir/x"); copies path if absolute or base is
 * NULL/empty. Caller frees. */
char *wbp_join(const char *base, const char *path);

#endif
