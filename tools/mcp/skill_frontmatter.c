/* SKILL.md's front matter, read with libyaml (tools/mcp/README.md "Skills"
 * says which keys). Every fault names the file, the line and the key. */
#include "lazy_libs.h"
#include "skill_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct fm {
    yaml_document_t *doc;
    const char *file;
    char *err;
    size_t errlen;
} fm;

static bool fail(fm *f, const yaml_node_t *at, const char *fmt, const char *a, const char *b)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
    /* The front matter starts on the file's line 2, after "---". */
    snprintf(f->err, f->errlen, "%s:%zu: %s", f->file, at ? (size_t)at->start_mark.line + 2 : 1,
             msg);
    return false;
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* A string value: a scalar, valid UTF-8, 1..max bytes. */
static bool string_value(fm *f, const yaml_node_t *v, const char *key, size_t max, char **out)
{
    const char *t = scalar(v);
    if (!t)
        return fail(f, v, "%s: expected a string", key, NULL);
    size_t n = strlen(t);
    if (!n || n > max) {
        char lim[32];
        snprintf(lim, sizeof lim, "%zu", max);
        return fail(f, v, "%s: must be 1 to %s bytes long", key, lim);
    }
    if (skill_utf8_end(t, n) != n)
        return fail(f, v, "%s: not valid UTF-8", key, NULL);
    free(*out);
    *out = strdup(t);
    if (!*out)
        return fail(f, v, "out of memory", NULL, NULL);
    return true;
}

bool skill_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (!n || n > SKILL_MAX_NAME || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
            return false;
    return true;
}

bool skill_arg_name_ok(const char *s, size_t n)
{
    if (!n || n > 64 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-'))
            return false;
    return true;
}

static bool read_arg(fm *f, const yaml_node_t *item, skill *s)
{
    if (item->type != YAML_MAPPING_NODE)
        return fail(f, item, "arguments: each item must be a map (name, description, required)",
                    NULL, NULL);
    skill_arg *a = &s->args[s->nargs++];
    for (yaml_node_pair_t *p = item->data.mapping.pairs.start; p < item->data.mapping.pairs.top;
         p++) {
        const yaml_node_t *k = yaml_document_get_node(f->doc, p->key);
        const yaml_node_t *v = yaml_document_get_node(f->doc, p->value);
        const char *key = scalar(k);
        if (!key)
            return fail(f, k, "arguments: keys must be plain names", NULL, NULL);
        if (!strcmp(key, "name")) {
            if (!string_value(f, v, "arguments.name", 64, &a->name))
                return false;
            if (!skill_arg_name_ok(a->name, strlen(a->name)))
                return fail(f, v,
                            "arguments.name: \"%s\" must be a letter or _ then letters, digits, _ "
                            "or -",
                            a->name, NULL);
        } else if (!strcmp(key, "description")) {
            if (!string_value(f, v, "arguments.description", SKILL_MAX_DESCRIPTION, &a->description))
                return false;
        } else if (!strcmp(key, "required")) {
            const char *t = scalar(v);
            if (t && !strcmp(t, "true"))
                a->required = true;
            else if (t && !strcmp(t, "false"))
                a->required = false;
            else
                return fail(f, v, "arguments.required: expected true or false", NULL, NULL);
        } else {
            return fail(f, k,
                        "arguments: unknown key \"%s\" (an argument has name, description, "
                        "required)",
                        key, NULL);
        }
    }
    if (!a->name)
        return fail(f, item, "arguments: an item has no name", NULL, NULL);
    for (size_t i = 0; i + 1 < s->nargs; i++)
        if (!strcmp(s->args[i].name, a->name))
            return fail(f, item, "arguments: \"%s\" is declared twice", a->name, NULL);
    return true;
}

static bool read_root(fm *f, const yaml_node_t *root, skill *s)
{
    if (!root || root->type != YAML_MAPPING_NODE)
        return fail(f, root, "the front matter must be a map of keys (name, description, arguments)",
                    NULL, NULL);
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        const yaml_node_t *k = yaml_document_get_node(f->doc, p->key);
        const yaml_node_t *v = yaml_document_get_node(f->doc, p->value);
        const char *key = scalar(k);
        if (!key)
            return fail(f, k, "keys must be plain names", NULL, NULL);
        if (!strcmp(key, "name")) {
            if (s->name)
                return fail(f, k, "name: given twice", NULL, NULL);
            if (!string_value(f, v, "name", SKILL_MAX_NAME, &s->name))
                return false;
            if (!skill_name_ok(s->name))
                return fail(f, v,
                            "name: \"%s\" must be lower-case letters, digits and inner hyphens",
                            s->name, NULL);
        } else if (!strcmp(key, "description")) {
            if (s->description)
                return fail(f, k, "description: given twice", NULL, NULL);
            if (!string_value(f, v, "description", SKILL_MAX_DESCRIPTION, &s->description))
                return false;
        } else if (!strcmp(key, "arguments")) {
            if (!v || v->type != YAML_SEQUENCE_NODE)
                return fail(f, v, "arguments: expected a list of maps", NULL, NULL);
            if (s->nargs)
                return fail(f, k, "arguments: given twice", NULL, NULL);
            for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top;
                 i++) {
                if (s->nargs == SKILL_MAX_ARGS)
                    return fail(f, v, "arguments: more than 32", NULL, NULL);
                if (!read_arg(f, yaml_document_get_node(f->doc, *i), s))
                    return false;
            }
        } else {
            return fail(f, k, "unknown key \"%s\" (a skill has name, description, arguments)", key,
                        NULL);
        }
    }
    if (!s->name)
        return fail(f, root, "no name (name: lower-case-words)", NULL, NULL);
    if (!s->description)
        return fail(f, root, "no description", NULL, NULL);
    return true;
}

bool skill_parse_front_matter(const char *file, const char *text, size_t len, skill *s, char *err,
                              size_t errlen)
{
    fm f = {.file = file, .err = err, .errlen = errlen};
    yaml_parser_t parser;
    yaml_document_t doc;
    char why[512];
    if (mcp_load_yaml(why, sizeof why) != 0) { /* lazy_libs.h */
        snprintf(err, errlen, "%s: %s", file, why);
        return false;
    }
    if (!yaml_parser_initialize(&parser)) {
        snprintf(err, errlen, "%s: out of memory", file);
        return false;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        snprintf(err, errlen, "%s:%zu: front matter is not valid YAML: %s", file,
                 (size_t)parser.problem_mark.line + 2, parser.problem ? parser.problem : "?");
        yaml_parser_delete(&parser);
        return false;
    }
    f.doc = &doc;
    bool ok = read_root(&f, yaml_document_get_root_node(&doc), s);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return ok;
}
