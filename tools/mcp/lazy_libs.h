/* lazy_libs: libmicrohttpd and libyaml loaded on first use.
 *
 * Only `wasmbox mcp --listen` needs libmicrohttpd (which brings GnuTLS,
 * nettle, gmp, p11-kit...) and only skills need libyaml, yet a process
 * linked with them maps and relocates them all at start: ~2 M host
 * instructions and ~1.5 MB of resident memory in every `wasmbox run`. So
 * lazy_libs.c defines the functions of theirs that this directory calls,
 * with their headers' prototypes, each forwarding to the library dlopened
 * (and completely resolved) on the first call. A function called when its
 * library cannot be loaded returns its failure value (NULL, 0) or does
 * nothing; the callers that can say why call mcp_load_* first. */
#ifndef WB_MCP_LAZY_LIBS_H
#define WB_MCP_LAZY_LIBS_H

#include <stddef.h>

/* 0 when the library is loaded with every function used here; else -1 with
 * a message naming the library and its Debian package in msg. Thread-safe;
 * the first call does the work. */
int mcp_load_microhttpd(char *msg, size_t n);
int mcp_load_yaml(char *msg, size_t n);

#endif
