/* Generated modules to wasm binary. */
#ifndef DIFFTR_EMIT_H
#define DIFFTR_EMIT_H

#include "ast.h"
#include "wbuf.h"

/* Appends the module's binary to out. False when a branch names a label
 * that does not enclose it (only a reduction step can make such a tree). */
bool emit_module(const gmod *m, wbuf *out);

#endif
