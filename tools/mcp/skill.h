/* Skills (tools/mcp/README.md "Skills"): directories holding a SKILL.md
 * (front matter: name, description, arguments; body: the prompt) and other
 * files, served as MCP prompts and resources. */
#ifndef WASMBOX_TOOLS_MCP_SKILL_H
#define WASMBOX_TOOLS_MCP_SKILL_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#define SKILL_MAX_NAME 64
#define SKILL_MAX_DESCRIPTION 1024
#define SKILL_MAX_ARGS 32
#define SKILL_MAX_MD_BYTES ((size_t)1 << 20)   /* SKILL.md */
#define SKILL_MAX_FILE_BYTES ((size_t)8 << 20) /* a resource read */
#define SKILL_MAX_FILES 1000                   /* files listed per skill */
#define SKILL_MAX_DEPTH 16                     /* directory levels listed */

typedef struct skill_arg {
    char *name;
    char *description; /* may be NULL */
    bool required;
} skill_arg;

typedef struct skill {
    char *name;
    char *description;
    skill_arg args[SKILL_MAX_ARGS];
    size_t nargs;
    char *body;     /* the prompt, with {{arg}} placeholders */
    char *dir;      /* the skill's directory, as given */
    int dir_fd;     /* opened at load: files are read beneath it */
    char **files;   /* regular files beneath it, relative, sorted */
    size_t nfiles;
} skill;

typedef struct mcp_skills {
    skill *items;
    size_t count;
} mcp_skills;

/* Loads one skill directory (holding SKILL.md). false with "PATH: reason"
 * (with the line for front-matter faults) in err. */
bool skill_load(const char *dir, skill *out, char *err, size_t errlen);
void skill_free(skill *s);

/* Adds the skills of DIR: DIR itself when it holds SKILL.md, otherwise each
 * subdirectory that does (in name order). A name already loaded is an error. */
bool skills_add_dir(mcp_skills *set, const char *dir, char *err, size_t errlen);
void skills_free(mcp_skills *set);
const skill *skills_find(const mcp_skills *set, const char *name);

/* Fills the placeholders from args (an object of strings, or NULL). Returns
 * a new string, or NULL with the reason in err: a required argument missing,
 * an argument the skill does not declare, a value that is not a string. */
char *skill_render(const skill *s, const cJSON *args, char *err, size_t errlen);

/* Resources. skill_uri: "skill://NAME/PATH" with PATH percent-encoded
 * outside [A-Za-z0-9._~/-]; NULL when memory ran out. */
char *skill_uri(const skill *s, const char *path);
/* Reads the file a skill:// URI names, beneath its skill's directory and
 * never through a symlink. Returns the bytes (NUL-terminated, *len without
 * it) or NULL with the reason in err; *not_found tells "no such resource"
 * from other faults. */
char *skill_read_uri(const mcp_skills *set, const char *uri, const skill **which, char **path,
                     size_t *len, bool *not_found, char *err, size_t errlen);
/* The MIME type the file name suggests (text/markdown for .md, ...). */
const char *skill_mime_type(const char *path);

#endif
