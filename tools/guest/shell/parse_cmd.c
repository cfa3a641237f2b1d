/* parse_cmd.c: commands: simple commands (assignments, words,
 * redirections, function definitions), the compound commands, and what
 * starts a command. */
#include "parse_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- compound commands ------------------------------------------------------------ */

static node *parse_if(parser *p)
{
    node *n = ps_new_node(p, N_IF);
    n->u.if_.cond = ps_compound_list(p);
    if (p->failed)
        return NULL;
    if (!n->u.if_.cond || !ps_expect_keyword(p, "then")) {
        ps_fail_token(p);
        return NULL;
    }
    n->u.if_.then = ps_compound_list(p);
    if (p->failed)
        return NULL;
    if (!n->u.if_.then) {
        ps_fail_token(p);
        return NULL;
    }
    ps_skip_newlines(p);
    if (ps_eat_keyword(p, "elif")) {
        n->u.if_.els = parse_if(p);
        return n->u.if_.els ? n : NULL;
    }
    if (ps_eat_keyword(p, "else")) {
        n->u.if_.els = ps_compound_list(p);
        if (p->failed)
            return NULL;
        if (!n->u.if_.els) {
            ps_fail_token(p);
            return NULL;
        }
    }
    return ps_expect_keyword(p, "fi") ? n : NULL;
}

static node *parse_do_group(parser *p)
{
    if (!ps_expect_keyword(p, "do"))
        return NULL;
    node *body = ps_compound_list(p);
    if (p->failed)
        return NULL;
    if (!body) {
        ps_fail_token(p);
        return NULL;
    }
    return ps_expect_keyword(p, "done") ? body : NULL;
}

static node *parse_loop(parser *p, int kind)
{
    node *n = ps_new_node(p, kind);
    n->u.loop.cond = ps_compound_list(p);
    if (p->failed)
        return NULL;
    if (!n->u.loop.cond) {
        ps_fail_token(p);
        return NULL;
    }
    n->u.loop.body = parse_do_group(p);
    return n->u.loop.body ? n : NULL;
}

static node *parse_for(parser *p)
{
    ps_skip_blanks(p);
    if (ps_at_op(p, "((")) {
        node *n = ps_new_node(p, N_CFOR);
        p->pos += 2;
        word *parts[3] = {0};
        for (int i = 0; i < 3; i++) {
            parts[i] = ps_read_word(p, WM_ARITHFOR, true);
            if (p->failed)
                return NULL;
            if (i < 2) {
                if (pc(p) != ';') {
                    ps_fail_token(p);
                    return NULL;
                }
                p->pos++;
            }
        }
        if (!ps_at_op(p, "))")) {
            ps_fail_token(p);
            return NULL;
        }
        p->pos += 2;
        n->u.cfor.init = parts[0];
        n->u.cfor.test = parts[1];
        n->u.cfor.step = parts[2];
        ps_skip_blanks(p);
        if (pc(p) == ';')
            p->pos++;
        ps_skip_newlines(p);
        if (ps_eat_keyword(p, "{")) {
            n->u.cfor.body = ps_compound_list(p);
            if (p->failed || !n->u.cfor.body || !ps_expect_keyword(p, "}")) {
                ps_fail_token(p);
                return NULL;
            }
            return n;
        }
        n->u.cfor.body = parse_do_group(p);
        return n->u.cfor.body ? n : NULL;
    }
    node *n = ps_new_node(p, N_FOR);
    word *v = ps_read_word(p, WM_NORMAL, false);
    const char *name = ps_word_plain(v);
    if (!name || !is_name(name)) {
        if (!p->failed) {
            if (v) {
                ps_fail(p, "`%s': not a valid identifier", name ? name : "?");
            } else {
                ps_fail_token(p);
            }
        }
        return NULL;
    }
    n->u.for_.var = name;
    ps_skip_newlines(p);
    if (ps_eat_keyword(p, "in")) {
        n->u.for_.has_in = true;
        vec words = {0};
        for (;;) {
            ps_skip_blanks(p);
            word *w = ps_read_word(p, WM_NORMAL, false);
            if (!w)
                break;
            ps_vec_push(&words, w);
        }
        if (p->failed) {
            free(words.v);
            return NULL;
        }
        n->u.for_.nwords = words.n;
        n->u.for_.words = (word **)ps_vec_finish(p, &words);
        ps_skip_blanks(p);
        if (pc(p) == ';')
            p->pos++;
        else if (pc(p) != '\n') {
            ps_fail_token(p);
            return NULL;
        }
    } else {
        ps_skip_blanks(p);
        if (pc(p) == ';')
            p->pos++;
    }
    n->u.for_.body = parse_do_group(p);
    return n->u.for_.body ? n : NULL;
}

static node *parse_case(parser *p)
{
    node *n = ps_new_node(p, N_CASE);
    ps_skip_blanks(p);
    n->u.case_.subject = ps_read_word(p, WM_NORMAL, false);
    if (!n->u.case_.subject) {
        if (!p->failed)
            ps_fail_token(p);
        return NULL;
    }
    if (!ps_expect_keyword(p, "in"))
        return NULL;
    vec items = {0};
    for (;;) {
        ps_skip_newlines(p);
        if (p->failed)
            break;
        if (ps_eat_keyword(p, "esac")) {
            n->u.case_.nitems = items.n;
            case_item **ptrs = (case_item **)ps_vec_finish(p, &items);
            n->u.case_.items = ps_alloc(p->unit, sizeof(case_item) * (size_t)(n->u.case_.nitems + 1));
            for (int i = 0; i < n->u.case_.nitems; i++)
                n->u.case_.items[i] = *ptrs[i];
            return n;
        }
        case_item *it = ps_alloc(p->unit, sizeof *it);
        if (pc(p) == '(')
            p->pos++;
        vec pats = {0};
        for (;;) {
            ps_skip_blanks(p);
            word *w = ps_read_word(p, WM_NORMAL, false);
            if (!w) {
                if (!p->failed)
                    ps_fail_token(p);
                break;
            }
            ps_vec_push(&pats, w);
            ps_skip_blanks(p);
            if (pc(p) == '|') {
                p->pos++;
                continue;
            }
            if (pc(p) == ')') {
                p->pos++;
                break;
            }
            ps_fail_token(p);
            break;
        }
        if (p->failed) {
            free(pats.v);
            break;
        }
        it->npats = pats.n;
        it->pats = (word **)ps_vec_finish(p, &pats);
        it->body = ps_compound_list(p);
        if (p->failed)
            break;
        ps_skip_newlines(p);
        if (ps_at_op(p, ";;&")) {
            p->pos += 3;
            it->end = CASE_TEST;
        } else if (ps_at_op(p, ";;")) {
            p->pos += 2;
            it->end = CASE_BREAK;
        } else if (ps_at_op(p, ";&")) {
            p->pos += 2;
            it->end = CASE_FALL;
        } else if (!ps_at_keyword(p, "esac")) {
            ps_fail_token(p);
            break;
        }
        ps_vec_push(&items, it);
    }
    free(items.v);
    return NULL;
}

/* A function body: a compound command with its redirections. start: where
 * the definition began (its text is kept for `type` and `declare -f`). */
static node *parse_function_body(parser *p, const char *name, size_t start)
{
    ps_skip_newlines(p);
    if (p->failed)
        return NULL;
    ps_skip_blanks(p);
    bool compound = pc(p) == '(' || ps_at_word(p, "{") || ps_at_word(p, "if") || ps_at_word(p, "while") ||
                    ps_at_word(p, "until") || ps_at_word(p, "for") || ps_at_word(p, "case") || ps_at_word(p, "[[");
    if (!compound) {
        (void)name;
        ps_fail_token(p);
        return NULL;
    }
    node *body = ps_command(p);
    if (!body) {
        if (!p->failed)
            ps_fail_token(p);
        return NULL;
    }
    node *f = ps_new_node(p, N_FUNCDEF);
    f->u.func.name = name;
    f->u.func.body = body;
    f->u.func.text = ps_strndup(p->unit, p->src + start, p->pos - start);
    return f;
}

static bool is_assignment(const word *w, size_t *name_len, bool *append)
{
    if (!w->nparts || w->parts[0].kind != WP_LIT || w->parts[0].quoted)
        return false;
    const char *s = w->parts[0].u.lit.s;
    size_t n = w->parts[0].u.lit.n;
    size_t i = 0;
    if (!n || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return false;
    while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
        i++;
    if (i < n && s[i] == '=') {
        *name_len = i;
        *append = false;
        return true;
    }
    if (i + 1 < n && s[i] == '+' && s[i + 1] == '=') {
        *name_len = i;
        *append = true;
        return true;
    }
    return false;
}

static node *parse_simple(parser *p)
{
    node *n = ps_new_node(p, N_SIMPLE);
    vec words = {0}, assigns = {0};
    redir **rtail = &n->redirs;
    for (;;) {
        ps_skip_blanks(p);
        if (p->failed)
            break;
        redir *r;
        if (ps_parse_redir(p, &r)) {
            if (p->failed)
                break;
            *rtail = r;
            rtail = &r->next;
            continue;
        }
        if (is_meta(pc(p)) && !((pc(p) == '<' || pc(p) == '>') && pc_at(p, 1) == '('))
            break;
        size_t word_start = p->pos;
        word *w = ps_read_word(p, WM_NORMAL, false);
        if (!w)
            break;
        size_t nl;
        bool append;
        if (!words.n && is_assignment(w, &nl, &append)) {
            if (pc(p) == '(' && w->parts[0].u.lit.n == nl + 1 + append && w->nparts == 1) {
                ps_fail(p, "arrays are not supported by this shell (`%.*s=(...)')", (int)nl,
                     w->parts[0].u.lit.s);
                break;
            }
            assign *a = ps_alloc(p->unit, sizeof *a);
            a->name = ps_strndup(p->unit, w->parts[0].u.lit.s, nl);
            a->append = append;
            word *v = ps_alloc(p->unit, sizeof *v);
            size_t skip = nl + 1 + append;
            v->nparts = w->nparts;
            v->parts = w->parts;
            if (w->parts[0].u.lit.n == skip) {
                v->parts++;
                v->nparts--;
            } else {
                v->parts = ps_alloc(p->unit, sizeof(wpart) * (size_t)w->nparts);
                memcpy(v->parts, w->parts, sizeof(wpart) * (size_t)w->nparts);
                v->parts[0].u.lit.s += skip;
                v->parts[0].u.lit.n -= skip;
            }
            a->value = v;
            ps_vec_push(&assigns, a);
            continue;
        }
        ps_vec_push(&words, w);
        /* name () compound-command */
        if (words.n == 1 && !assigns.n && !n->redirs) {
            size_t save = p->pos;
            ps_skip_blanks(p);
            if (pc(p) == '(') {
                p->pos++;
                ps_skip_blanks(p);
                if (pc(p) == ')') {
                    p->pos++;
                    const char *name = ps_word_plain(w);
                    free(words.v);
                    free(assigns.v);
                    if (!name) {
                        ps_fail(p, "`%s': not a valid identifier", "function name");
                        return NULL;
                    }
                    return parse_function_body(p, name, word_start);
                }
                p->pos = save;
                ps_skip_blanks(p);
                ps_fail_token(p);
                break;
            }
            p->pos = save;
        }
    }
    if (p->failed) {
        free(words.v);
        free(assigns.v);
        return NULL;
    }
    n->u.simple.nwords = words.n;
    n->u.simple.words = (word **)ps_vec_finish(p, &words);
    n->u.simple.nassigns = assigns.n;
    assign **ap = (assign **)ps_vec_finish(p, &assigns);
    if (n->u.simple.nassigns) {
        n->u.simple.assigns = ps_alloc(p->unit, sizeof(assign) * (size_t)n->u.simple.nassigns);
        for (int i = 0; i < n->u.simple.nassigns; i++)
            n->u.simple.assigns[i] = *ap[i];
    }
    if (!n->u.simple.nwords && !n->u.simple.nassigns && !n->redirs)
        return NULL;
    return n;
}

node *ps_command(parser *p)
{
    ps_skip_blanks(p);
    if (p->failed)
        return NULL;
    int line = p->line;
    node *n = NULL;
    bool compound = true;
    if (!ps_deeper(p))
        return NULL;
    if (ps_at_op(p, "((")) {
        size_t save = p->pos;
        p->pos += 2;
        word *w = ps_read_arith(p, WM_ARITH);
        if (p->failed)
            return NULL;
        if (w) {
            n = ps_new_node(p, N_ARITH);
            n->u.arith.expr = w;
        } else {
            p->pos = save;
        }
    }
    if (n) {
    } else if (pc(p) == '(') {
        p->pos++;
        n = ps_new_node(p, N_SUBSHELL);
        n->u.group.body = ps_compound_list(p);
        ps_skip_newlines(p);
        if (p->failed)
            return NULL;
        if (!n->u.group.body || pc(p) != ')') {
            ps_fail_token(p);
            return NULL;
        }
        p->pos++;
    } else if (ps_eat_keyword(p, "{")) {
        n = ps_new_node(p, N_GROUP);
        n->u.group.body = ps_compound_list(p);
        if (p->failed)
            return NULL;
        if (!n->u.group.body) {
            ps_fail_token(p);
            return NULL;
        }
        if (!ps_expect_keyword(p, "}"))
            return NULL;
    } else if (ps_eat_keyword(p, "if")) {
        n = parse_if(p);
    } else if (ps_eat_keyword(p, "while")) {
        n = parse_loop(p, N_WHILE);
    } else if (ps_eat_keyword(p, "until")) {
        n = parse_loop(p, N_UNTIL);
    } else if (ps_eat_keyword(p, "for")) {
        n = parse_for(p);
    } else if (ps_eat_keyword(p, "case")) {
        n = parse_case(p);
    } else if (ps_eat_keyword(p, "[[")) {
        n = ps_new_node(p, N_COND);
        n->u.cond.c = ps_cond_or(p);
        if (n->u.cond.c)
            ps_skip_newlines(p);
        if (!n->u.cond.c || p->failed)
            return NULL;
        if (!ps_eat_keyword(p, "]]")) {
            ps_fail_token(p);
            return NULL;
        }
    } else if (ps_at_keyword(p, "function")) {
        size_t start = p->pos;
        p->pos += 8;
        ps_skip_blanks(p);
        word *w = ps_read_word(p, WM_NORMAL, false);
        const char *name = ps_word_plain(w);
        if (!name) {
            if (!p->failed)
                ps_fail_token(p);
            return NULL;
        }
        ps_skip_blanks(p);
        if (ps_at_op(p, "()"))
            p->pos += 2;
        else if (pc(p) == '(') {
            p->pos++;
            ps_skip_blanks(p);
            if (pc(p) != ')') {
                ps_fail_token(p);
                return NULL;
            }
            p->pos++;
        }
        n = parse_function_body(p, name, start);
        compound = false;
    } else {
        n = parse_simple(p);
        compound = false;
    }
    p->depth--;
    if (!n || p->failed)
        return NULL;
    n->line = line;
    if (compound && !ps_parse_redirs(p, &n->redirs))
        return NULL;
    return n;
}
