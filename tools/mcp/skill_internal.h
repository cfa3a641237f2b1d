/* Skills' parts shared between their files (not a public header). */
#ifndef WASMBOX_TOOLS_MCP_SKILL_INTERNAL_H
#define WASMBOX_TOOLS_MCP_SKILL_INTERNAL_H

#include "skill.h"

/* The first byte where text is not UTF-8, or len. */
size_t skill_utf8_end(const char *text, size_t len);
bool skill_name_ok(const char *name);
bool skill_arg_name_ok(const char *name, size_t len);
/* Reads the YAML between the "---" lines into s (name, description, args). */
bool skill_parse_front_matter(const char *file, const char *text, size_t len, skill *s, char *err,
                              size_t errlen);
/* Lists the regular files beneath s->dir_fd into s->files. */
bool skill_list_files(skill *s, char *err, size_t errlen);

#endif
