/* wasmbox policy: the one public header of the capability model.
 *
 * A wb_policy says everything one run may do. wb_policy_init gives the empty
 * policy: no directories, no environment, no arguments, no network, and the
 * finite default limits of `wasmbox run` (a caller with its own defaults, such
 * as a tool's manifest, uses wb_policy_init_with). Capabilities are only ever
 * added explicitly, from a JSON file (wb_policy_load_file) and/or CLI flags
 * (wb_policy_apply_flag), and a limit is only lifted by writing "unlimited";
 * wb_policy_check then validates the whole before anything runs.
 *
 * The matchers (host patterns, IP networks, URL prefixes) are pure functions:
 * net/ calls them for every connection; they never touch the network or DNS.
 *
 * Errors are written as one line into a caller buffer (WB_POLICY_ERR_MAX is
 * always enough) and name where the problem is ("policy.json: fuel: ..." or
 * "--fuel: ...") and why.
 *
 * Depends on libc and cJSON only.
 */
#ifndef WASMBOX_POLICY_H
#define WASMBOX_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct sockaddr;

#define WB_POLICY_ERR_MAX 512
/* A limit lifted by writing "unlimited": no limit for the time, fuel and
 * output; the engine's own ceiling (all of wasm32's 4 GiB) for memory. */
#define WB_UNLIMITED UINT64_MAX
/* Most entries one list of a policy may hold (untrusted files stay bounded). */
#define WB_POLICY_MAX_ENTRIES 1024

/* ---- IP addresses and networks ---- */

typedef struct wb_ip {
    uint8_t family;  /* 4 or 6 */
    uint8_t b[16];   /* network byte order; IPv4 uses b[0..3], rest zero */
} wb_ip;

typedef struct wb_cidr {
    wb_ip net;       /* host bits are always zero */
    uint8_t prefix;  /* 0..32 or 0..128 */
} wb_cidr;

/* Strict text forms only: dotted quad "a.b.c.d" (no "127.1", no octal/hex) or
 * an IPv6 address without brackets or zone. */
bool wb_ip_parse(const char *text, wb_ip *out);
/* Canonical text ("10.0.0.1", "::ffff:127.0.0.1"); len >= 46 is enough. */
void wb_ip_format(const wb_ip *ip, char *buf, size_t len);
bool wb_ip_equal(const wb_ip *a, const wb_ip *b);
/* AF_INET or AF_INET6 only; false for anything else. */
bool wb_ip_from_sockaddr(const struct sockaddr *sa, wb_ip *out);
/* If ip is an IPv6 address that carries an IPv4 address (IPv4-mapped
 * ::ffff:0:0/96, IPv4-compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16),
 * store that IPv4 address in *v4 and return true. */
bool wb_ip_embedded_v4(const wb_ip *ip, wb_ip *v4);

/* "10.0.0.0/8", "fd00::/8", or a bare address (= /32 or /128). Host bits set
 * below the prefix are an error ("10.1.0.0/8"), since they usually mean a typo.
 * On error, err reads: "10.0.0.0/33" is not a valid CIDR (prefix length over 32) */
bool wb_cidr_parse(const char *text, wb_cidr *out, char *err, size_t errlen);
bool wb_cidr_contains(const wb_cidr *c, const wb_ip *ip);
void wb_cidr_format(const wb_cidr *c, char *buf, size_t len); /* len >= 50 */

/* Named sets of networks: "private", "loopback", "link-local", "metadata",
 * "internal" (every non-public range). See policy/README.md for the contents. */
typedef struct wb_netset {
    const char *name;
    const wb_cidr *cidrs;
    size_t count;
} wb_netset;
const wb_netset *wb_netset_find(const char *name); /* NULL if unknown */
/* Names of all sets, ", "-separated (for messages and docs). */
const char *wb_netset_names(void);

/* ---- host patterns: scheme://host[:port] ---- */

typedef struct wb_host_pattern {
    char scheme[32];   /* lower case; "" = any scheme ("*") */
    char host[256];    /* lower case, no trailing dot, IPv6 without brackets;
                          "" = any host ("*") */
    bool subdomains;   /* written "*.host": one or more labels before host;
                          host itself does not match */
    bool host_is_ip;   /* host is an address literal, held in ip */
    wb_ip ip;
    bool any_port;     /* written ":*" */
    uint16_t port;     /* 0 = the default port of the scheme being matched */
} wb_host_pattern;

bool wb_host_pattern_parse(const char *text, wb_host_pattern *out, char *err, size_t errlen);
/* host: a name ("Api.GitHub.com."), an IPv4 literal, or an IPv6 literal with
 * or without brackets. A host that is not a syntactically valid name or address
 * never matches. A pattern without a port matches only the default port of the
 * scheme given (http 80, https 443, ws 80, wss 443). */
bool wb_host_pattern_match(const wb_host_pattern *p, const char *scheme, const char *host,
                           uint16_t port);
/* Normalized text of a pattern, e.g. "https" + "://" + "*.example.com" written back the
 * way it parses (lower case, default port left out, IPv6 in brackets). */
void wb_host_pattern_format(const wb_host_pattern *p, char *buf, size_t len);
/* Default port of a scheme, 0 if it has none. */
uint16_t wb_scheme_default_port(const char *scheme);

/* ---- URL prefixes (block_urls) ---- */

/* Checks that text is an absolute http(s)/ws(s) URL usable as a prefix. */
bool wb_url_prefix_valid(const char *text, char *err, size_t errlen);
/* True if url starts with prefix after both are normalized: scheme and host
 * lower case, trailing dot and default port dropped, user info and fragment
 * dropped, printable percent-escapes decoded, and in the path "\" read as
 * "/", "//" collapsed and dot segments removed. A URL that cannot be parsed is
 * reported as matching (callers block it: fail closed). */
bool wb_url_prefix_match(const char *prefix, const char *url);

/* ---- the policy ---- */

typedef struct wb_dir_map {
    char *host;      /* host directory as written (relative paths in a policy
                        file are made relative to the file's directory) */
    char *guest;     /* normalized absolute guest path ("/data") */
    bool read_only;
    char *origin;    /* where it was given ("policy.json: dirs[1]", "--dir") */
} wb_dir_map;

typedef struct wb_net_block {
    char *text;            /* as given, normalized: "private", "10.0.0.0/8" */
    const wb_netset *set;  /* a named set, or NULL ... */
    wb_cidr cidr;          /* ... and then this one network */
} wb_net_block;

typedef struct wb_resolve {
    char *host;            /* lower case, no trailing dot */
    uint16_t port;
    wb_ip *addrs;          /* one or more, in the order given */
    size_t naddrs;
    unsigned set_by;       /* the source that gave it (see wb_policy.source) */
} wb_resolve;

/* The limits of a run, as a policy holds them: a number, or WB_UNLIMITED. */
typedef struct wb_policy_limits {
    uint64_t timeout_ms;       /* wall clock */
    uint64_t fuel;             /* wasm instructions */
    uint64_t max_memory;       /* bytes of linear memory + tables, all together */
    uint64_t max_stack;        /* bytes of value stack (never unlimited) */
    uint64_t max_output;       /* bytes of stdout+stderr passed through */
} wb_policy_limits;

/* The defaults of `wasmbox run` (policy/README.md says why these values). */
#define WB_DEFAULT_TIMEOUT_MS 300000ull              /* 5 minutes */
#define WB_DEFAULT_FUEL 1000000000000ull             /* 10^12 instructions */
#define WB_DEFAULT_MAX_MEMORY (2ull << 30)           /* 2 GiB */
#define WB_DEFAULT_MAX_STACK (8ull << 20)            /* 8 MiB, the engine's */
#define WB_DEFAULT_MAX_OUTPUT (64ull << 20)          /* 64 MiB */
/* The largest max_stack: the value stack is allocated when the run starts. */
#define WB_MAX_STACK_CEILING (1ull << 30)            /* 1 GiB */

/* Those defaults as one value, to start from or to tighten. */
wb_policy_limits wb_policy_run_defaults(void);

typedef struct wb_policy {
    /* files */
    wb_dir_map *dirs;
    size_t ndirs;
    char *work_dir;            /* NULL, or a host dir mapped to guest "/" rw */
    bool allow_symlink_dotdot; /* guest-made symlinks may have leading ".." (weaker) */
    /* process */
    char **env;                /* "KEY=VALUE", keys unique, nothing inherited */
    size_t nenv;
    char **args;               /* argv[1..]; argv[0] is the CLI's business */
    size_t nargs;
    /* network */
    wb_host_pattern *allowed_outbound_hosts;
    size_t nallowed_outbound_hosts;
    wb_net_block *block_networks;
    size_t nblock_networks;
    char **block_urls;
    size_t nblock_urls;
    char *ca_file;             /* NULL: the system's CA store */
    wb_resolve *resolve;
    size_t nresolve;
    /* limits: the defaults until a source sets them; WB_UNLIMITED when
     * lifted ("unlimited") */
    uint64_t timeout_ms;       /* wall clock */
    uint64_t fuel;             /* wasm instructions */
    uint64_t max_memory;       /* bytes of linear memory + tables, all together */
    uint64_t max_stack;        /* bytes of value stack */
    uint64_t max_output;       /* bytes of stdout+stderr passed through */
    /* bookkeeping */
    char **env_inherited;      /* names `--env NAME` copied from wasmbox's own
                                  environment (an explicit grant, audited) */
    size_t nenv_inherited;
    char *cache_dir;           /* NULL: no compilation cache */
    char *audit;               /* NULL: no audit log */
    struct {                   /* where each path scalar was set, for messages */
        char *work_dir, *ca_file, *cache_dir, *audit;
    } origin;
    /* Sources: each file loaded, and the CLI flags together, is one source,
     * numbered from 1 in the order they come. A scalar, an environment
     * variable or a resolve HOST:PORT given twice in one source is an error
     * (one of the two would be silently lost); a later source replaces what
     * an earlier one said. set_by holds the source of each scalar (0: the
     * defaults). */
    unsigned source;
    bool source_is_flags;
    unsigned *env_set_by;      /* one per env entry */
    struct {
        unsigned work_dir, ca_file, cache_dir, audit;
        unsigned timeout_ms, fuel, max_memory, max_stack, max_output;
        unsigned allow_symlink_dotdot;
    } set_by;
} wb_policy;

/* The empty policy: nothing allowed, the run defaults as limits. */
void wb_policy_init(wb_policy *p);
/* The same with the caller's own default limits (e.g. a tool's manifest);
 * each must be a valid value for its key (max_stack finite, only max_output
 * may be 0). */
void wb_policy_init_with(wb_policy *p, const wb_policy_limits *defaults);
/* Frees everything; p is then the empty policy with the run defaults. */
void wb_policy_free(wb_policy *p);

/* Reads a JSON policy file into p (lists are added to, scalars overwritten).
 * Unknown keys, wrong types and bad values are errors naming file and key. */
bool wb_policy_load_file(wb_policy *p, const char *path, char *err, size_t errlen);
/* Same, from text in memory; name is used in messages. */
bool wb_policy_load_json(wb_policy *p, const char *name, const char *text, size_t len,
                         char *err, size_t errlen);

/* True if flag ("--dir") is a policy flag; all of them take one value. */
bool wb_policy_is_flag(const char *flag);
/* Applies one CLI flag with its value. Lists are added to, scalars replaced. */
bool wb_policy_apply_flag(wb_policy *p, const char *flag, const char *value, char *err,
                          size_t errlen);
/* The same, with messages naming origin instead of the flag (a CLI that
 * accepts another spelling, e.g. "-W fuel" for --fuel). */
bool wb_policy_apply_flag_as(wb_policy *p, const char *flag, const char *origin,
                             const char *value, char *err, size_t errlen);

/* The policy flags, one row each, for --help, completion scripts and "did
 * you mean": the flag, its value's name ("SIZE") and one line of help. */
typedef struct wb_policy_flag_info {
    const char *name;
    const char *metavar;
    const char *help;
} wb_policy_flag_info;
const wb_policy_flag_info *wb_policy_flags(size_t *count);

/* The known top-level keys of a policy file, in the order they print. */
const char *const *wb_policy_keys(size_t *count);

/* ---- durations and sizes, in flags and files alike ---- */

/* A duration: a whole number with a unit, "500ms", "5s", "2m", "1h"; a bare
 * number is in bare_unit_ms units (1 for timeout_ms: milliseconds). False
 * with the reason in why (a static string) if text is not one, or overflows. */
bool wb_parse_duration_ms(const char *text, uint64_t bare_unit_ms, uint64_t *out,
                          const char **why);
/* A size in bytes: a whole number, optionally with K, M, G or T (any case,
 * 1024-based) or the IEC KiB, MiB, GiB, TiB. "64MB" is refused: it is not
 * clear whether 10^6 or 2^20 was meant. */
bool wb_parse_size(const char *text, uint64_t *out, const char **why);

/* ---- "did you mean" ---- */

/* Collects the closest of several known names to a word (edit distance,
 * only when close: see suggest.c). Candidates must outlive the object. */
typedef struct wb_suggest {
    const char *word;
    const char *best;
    size_t dist;
} wb_suggest;
void wb_suggest_init(wb_suggest *s, const char *word);
void wb_suggest_add(wb_suggest *s, const char *candidate);
const char *wb_suggest_best(const wb_suggest *s); /* NULL: none is close */
/* Appends one guest argument (argv[1..]). */
bool wb_policy_add_arg(wb_policy *p, const char *arg, char *err, size_t errlen);

/* Whole-policy validation that needs the host or several keys at once: host
 * directories exist, no two maps on one guest path, ca_file is a readable file,
 * the audit log's directory exists, cache_dir (if it exists) is a directory. */
bool wb_policy_check(const wb_policy *p, char *err, size_t errlen);

/* Policies that pass the check but contradict themselves (an allowed host
 * whose every address is in a blocked network; a read-write map nested in a
 * read-only one, or the reverse): calls warn once per finding with one line
 * of text. Returns how many there were. */
size_t wb_policy_warnings(const wb_policy *p, void (*warn)(void *user, const char *line),
                          void *user);

/* Prints p as normalized JSON, loadable again to the same policy. */
bool wb_policy_print_json(const wb_policy *p, FILE *out);

/* Convenience for net/: any allowed_outbound_hosts pattern matches? */
bool wb_policy_host_allowed(const wb_policy *p, const char *scheme, const char *host,
                            uint16_t port);
/* True (with a reason in why) if connecting to the address is refused by
 * block_networks. An IPv4-mapped address (::ffff:a.b.c.d) is judged as the
 * IPv4 address it is; one that otherwise carries an IPv4 address (see
 * wb_ip_embedded_v4) is refused if either form is blocked. A NULL or non-IP
 * address is refused; a NULL policy blocks nothing. */
bool wb_ip_blocked(const wb_policy *p, const wb_ip *ip, char *why, size_t len);
bool wb_addr_blocked(const wb_policy *p, const struct sockaddr *sa, char *why, size_t len);
/* True (with the matching prefix in why) if any block_urls prefix matches. */
bool wb_policy_url_blocked(const wb_policy *p, const char *url, char *why, size_t len);
/* The --resolve entry for host:port, or NULL. */
const wb_resolve *wb_policy_find_resolve(const wb_policy *p, const char *host, uint16_t port);

/* ---- audit log: one JSON object per line ---- */

/* The writer of every audit record of a run, whichever layer makes it (the
 * CLI, wasi/, net/): one capped log per wb_audit.
 *
 * A record is {"ts":"2026-11-24T21:00:00.123Z","event":EVENT,KEY:VALUE,...}
 * with typed values (strings, exact integers, booleans, null, or a JSON value
 * built by the caller), written with one write(2) under a lock. Each event's
 * fields are documented in tools/README.md and policy/audit.schema.json.
 *
 *   WB_AUDIT(a, "fs.deny", WB_STR("op", "open"), WB_STR("path", path),
 *            WB_STR("errno", "notcapable"), WB_STR("reason", why));
 *
 * Bounds (a guest can provoke records without end, and choose their strings):
 * - every string value is cut to WB_AUDIT_MAX_TEXT bytes (at a character
 *   boundary); a record with a cut string says so in "truncated":
 *   {"url": 8200} (the field and its original length in bytes). Bytes that
 *   are not UTF-8 (and NUL) become U+FFFD, so every line is valid JSON text.
 *   (Strings inside a WB_JSON value are made UTF-8 but not cut: pass only
 *   what the host chose there, such as the policy's directories.)
 * - at most WB_AUDIT_MAX_RECORDS records, of at most WB_AUDIT_MAX_BYTES
 *   together, are written per wb_audit; the first one over is replaced by one
 *   "audit.suppressed" record and the rest are only counted
 *   (wb_audit_suppressed).
 * - records made with WB_AUDIT_ONCE (the run's own start and end, proc.exit,
 *   output.limit) are written even past the cap and not counted in it, but
 *   only the first of each event name: a second one is capped like any other.
 * Keys "ts", "event" and "truncated" given as fields are written as
 * "field_ts" etc., so no caller can forge them. Keys must be distinct. */

typedef struct wb_audit wb_audit;
struct cJSON;

#define WB_AUDIT_MAX_TEXT 1024
#define WB_AUDIT_MAX_RECORDS 10000u
#define WB_AUDIT_MAX_BYTES (16u << 20)

typedef enum wb_audit_type {
    WB_AUDIT_T_NULL,
    WB_AUDIT_T_STR,   /* str, NUL-terminated; NULL is written as null */
    WB_AUDIT_T_STRN,  /* len bytes at str (may hold NUL or anything) */
    WB_AUDIT_T_INT,   /* i */
    WB_AUDIT_T_UINT,  /* u */
    WB_AUDIT_T_LIMIT, /* u, or the string "unlimited" for WB_UNLIMITED */
    WB_AUDIT_T_BOOL,  /* b */
    WB_AUDIT_T_STRS,  /* an array of the len strings at strs (NULL ones: null); each is
                       * cut like a string, "truncated" giving the longest one's length */
    WB_AUDIT_T_JSON,  /* json: taken over by the writer, always (NULL: null) */
} wb_audit_type;

typedef struct wb_audit_field {
    const char *key;
    wb_audit_type type;
    const char *str;
    size_t len;
    int64_t i;
    uint64_t u;
    bool b;
    const char *const *strs;
    struct cJSON *json;
} wb_audit_field;

#define WB_NULL(k) {.key = (k), .type = WB_AUDIT_T_NULL}
#define WB_STR(k, v) {.key = (k), .type = WB_AUDIT_T_STR, .str = (v)}
#define WB_STRN(k, v, n)                                                                           \
    {.key = (k), .type = WB_AUDIT_T_STRN, .str = (const char *)(v), .len = (n)}
#define WB_INT(k, v) {.key = (k), .type = WB_AUDIT_T_INT, .i = (int64_t)(v)}
#define WB_UINT(k, v) {.key = (k), .type = WB_AUDIT_T_UINT, .u = (uint64_t)(v)}
#define WB_LIMIT(k, v) {.key = (k), .type = WB_AUDIT_T_LIMIT, .u = (uint64_t)(v)}
#define WB_BOOL(k, v) {.key = (k), .type = WB_AUDIT_T_BOOL, .b = (v)}
#define WB_STRS(k, v, n) {.key = (k), .type = WB_AUDIT_T_STRS, .strs = (v), .len = (n)}
#define WB_JSON(k, v) {.key = (k), .type = WB_AUDIT_T_JSON, .json = (v)}

#define WB_AUDIT_F_ONCE 1u /* see WB_AUDIT_ONCE */

/* Opens (appends to, creating with mode 0600) a JSON-lines log. */
wb_audit *wb_audit_open(const char *path, char *err, size_t errlen);
/* Writes one record (or counts it, past the cap). True when it was written or
 * counted; false when it could not be (a NULL key, out of memory, a write
 * error). A NULL audit is a no-op returning true. Thread-safe. */
bool wb_audit_write(wb_audit *a, const char *event, unsigned flags, const wb_audit_field *fields,
                    size_t nfields);
/* Records left out past the cap so far (0 for a NULL audit). */
uint64_t wb_audit_suppressed(wb_audit *a);
/* The log's last record is written: every later wb_audit_write is dropped
 * (and returns true), so the record that ends a run stays the last one even
 * when another thread (a guest stopped late, after a hard stop wrote the
 * end) still writes. Thread-safe; a NULL audit is a no-op. */
void wb_audit_seal(wb_audit *a);
void wb_audit_close(wb_audit *a);

/* The usual way to call wb_audit_write: the fields as arguments. */
#define WB_AUDIT_FIELDS_(...)                                                                     \
    (const wb_audit_field[]){__VA_ARGS__},                                                        \
        sizeof((const wb_audit_field[]){__VA_ARGS__}) / sizeof(wb_audit_field)
#define WB_AUDIT(a, event, ...) wb_audit_write((a), (event), 0, WB_AUDIT_FIELDS_(__VA_ARGS__))
/* For records a run makes once by construction (see above). */
#define WB_AUDIT_ONCE(a, event, ...)                                                              \
    wb_audit_write((a), (event), WB_AUDIT_F_ONCE, WB_AUDIT_FIELDS_(__VA_ARGS__))

#endif
