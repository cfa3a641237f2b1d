/* awk: the POSIX awk language (as one-true-awk and gawk --posix run it),
 * with gawk's regex RS and nextfile. Options -F FS, -v NAME=VALUE (both
 * with escapes processed), -f PROGFILE (repeatable), --; operands are
 * files, "-" for stdin, or NAME=VALUE assignments done when reached. The
 * sandbox's difference: commands (system(), "cmd" | getline, print | "cmd")
 * run in this shell, one after another, not as processes alongside awk
 * (awk/awk_io.c). The language lives in awk/ (awk/awk.h says which file
 * does what). */
#include "awk/awk.h"
#include "../internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void set_str(awk_state *a, int idx, const char *s)
{
    awk_set_global(a, idx, aval_str(astr_cstr(s)));
}

static void init_globals(awk_state *a, int argc, char **argv, int first_operand)
{
    a->globals = sh_calloc((size_t)a->prog->nglobals, sizeof *a->globals);
    a->nglobals = a->prog->nglobals;
    set_str(a, V_FS, " ");
    set_str(a, V_OFS, " ");
    set_str(a, V_ORS, "\n");
    set_str(a, V_RS, "\n");
    set_str(a, V_SUBSEP, "\034");
    set_str(a, V_CONVFMT, "%.6g");
    set_str(a, V_OFMT, "%.6g");
    awk_set_global(a, V_NR, aval_num(0));
    awk_set_global(a, V_FNR, aval_num(0));
    awk_set_global(a, V_RSTART, aval_num(0));
    awk_set_global(a, V_RLENGTH, aval_num(-1));
    a->globals[V_NF].kind = K_SCALAR;
    a->globals[V_NF].v = aval_num(0);
    a->split_done = true;

    aarr *env = awk_cell_array(a, &a->globals[V_ENVIRON], "ENVIRON");
    char **ev = sh_environ(a->sh);
    for (char **e = ev; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq)
            continue;
        aelem *el = aarr_get(env, *e, (size_t)(eq - *e), true);
        el->v = aval_strnum(astr_cstr(eq + 1));
    }
    sh_strv_free(ev);

    aarr *av = awk_cell_array(a, &a->globals[V_ARGV], "ARGV");
    aelem *el = aarr_get(av, "0", 1, true);
    el->v = aval_str(astr_cstr("awk"));
    int k = 1;
    for (int i = first_operand; i < argc; i++, k++) {
        char key[24];
        size_t kn = sh_fmt_u64(key, (uint64_t)k);
        el = aarr_get(av, key, kn, true);
        el->v = aval_strnum(astr_cstr(argv[i]));
    }
    awk_set_global(a, V_ARGC, aval_num(k));
    a->argi = 1;
}

static void free_state(awk_state *a)
{
    for (int i = 0; i < a->nglobals; i++) {
        if (a->globals[i].kind == K_ARRAY)
            aarr_free(a->globals[i].arr);
        aval_free(&a->globals[i].v);
    }
    free(a->globals);
    for (size_t i = 1; i < a->capfields; i++)
        if (a->fields[i].made)
            aval_free(&a->fields[i].v);
    free(a->fields);
    astr_unref(a->record);
    astr_unref(a->split_fs);
    awk_close_main(a);
    for (int i = 0; i < AWK_RX_CACHE; i++)
        if (a->rxc[i].src) {
            astr_unref(a->rxc[i].src);
            rx_free(a->rxc[i].re);
        }
    while (a->ios) {   /* left open after an error */
        aio *f = a->ios;
        a->ios = f->next;
        if (f->own && f->s)
            sh_close(f->s);
        sh_buf_free(&f->out);
        areader_free(&f->rd);
        free(f->name);
        free(f);
    }
    sh_buf_free(&a->out);
    sh_buf_free(&a->line);
    aval_free(&a->retval);
}

static bool pattern_true(awk_state *a, anode *e)
{
    aval v = awk_eval(a, e);
    bool t = aval_true(&v);
    aval_free(&v);
    return t;
}

static void print_record(awk_state *a)
{
    sh_buf b = {0};
    if (a->record)
        sh_buf_add(&b, a->record->s, a->record->len);
    astr *ors = aval_to_str(a, &a->globals[V_ORS].v, false);
    sh_buf_add(&b, ors->s, ors->len);
    astr_unref(ors);
    awk_output(a, RD_NONE, NULL, b.data, b.len);
    sh_buf_free(&b);
}

static void run_actions(awk_state *a, aitem *items, int n)
{
    for (int i = 0; i < n && !a->fatal && a->jump != AJ_EXIT; i++) {
        a->jump = AJ_NONE;
        awk_exec(a, items[i].action);
    }
}

static void run_main(awk_state *a)
{
    aprog *g = a->prog;
    bool *inrange = sh_calloc((size_t)(g->nmain ? g->nmain : 1), sizeof *inrange);
    astr *rec;
    a->in_main = true;
    while (!a->fatal && awk_next_main(a, &rec)) {
        awk_set_record(a, rec, true);
        for (int i = 0; i < g->nmain && !a->fatal; i++) {
            aitem *it = &g->main[i];
            if (it->pattern)
                a->cur_line = it->pattern->line;
            bool match;
            if (!it->pattern) {
                match = true;
            } else if (!it->pattern2) {
                match = pattern_true(a, it->pattern);
            } else if (!inrange[i]) {
                match = pattern_true(a, it->pattern);
                if (match && !a->fatal && !a->jump)
                    inrange[i] = !pattern_true(a, it->pattern2);
            } else {
                match = true;
                inrange[i] = !pattern_true(a, it->pattern2);
            }
            if (a->fatal || a->jump == AJ_EXIT)
                break;
            if (match && !a->jump) {
                if (it->action)
                    awk_exec(a, it->action);
                else
                    print_record(a);
            }
            if (a->jump == AJ_NEXT) {
                a->jump = AJ_NONE;
                break;
            }
            if (a->jump == AJ_NEXTFILE) {
                a->jump = AJ_NONE;
                awk_close_main(a);
                break;
            }
            if (a->jump == AJ_EXIT)
                break;
        }
        if (a->jump == AJ_EXIT)
            break;
        if (sh_interrupted(a->sh))
            a->fatal = true;
    }
    a->in_main = false;
    free(inrange);
}

int util_awk(shctx *sh, int argc, char **argv)
{
    static const sh_longopt lo[] = {{"help", SH_NO_ARG, 'h'},    {"version", SH_NO_ARG, 'V'},
                                    {"field-separator", SH_REQ_ARG, 'F'},
                                    {"assign", SH_REQ_ARG, 'v'}, {"file", SH_REQ_ARG, 'f'},
                                    {NULL, 0, 0}};
    sh_getopt_state st = SH_GETOPT_INIT;
    const char *fs = NULL;
    char **assigns = sh_calloc((size_t)argc + 1, sizeof *assigns);
    char **files = sh_calloc((size_t)argc + 1, sizeof *files);
    int nassign = 0, nfiles = 0, status = 0;
    int c;
    while ((c = sh_getopt(sh, &st, argc, argv, "+F:v:f:", lo)) != -1) {
        switch (c) {
        case 'F': fs = st.arg; break;
        case 'v': assigns[nassign++] = (char *)st.arg; break;
        case 'f': files[nfiles++] = (char *)st.arg; break;
        case 'h':
            sh_puts(sh_stdout(sh),
                    "Usage: awk [-F fs] [-v var=value] [-f progfile | 'program'] [file ...]\n"
                    "The POSIX awk language; files may be NAME=VALUE assignments, '-' is stdin.\n"
                    "  -F fs          field separator (FS)\n"
                    "  -v var=value   assign before the program runs (BEGIN)\n"
                    "  -f progfile    read the program from a file (repeatable)\n"
                    "Commands (system, | getline, print |) run in the sandbox's shell.\n");
            goto done;
        case 'V':
            sh_puts(sh_stdout(sh), "awk (wasmbox shell) 1.0: the POSIX awk language\n");
            goto done;
        default:
            status = 1; /* gawk's status for usage errors (syntax errors too) */
            goto done;
        }
    }
    for (int i = 0; i < nassign; i++) {
        const char *eq = strchr(assigns[i], '=');
        if (!eq || eq == assigns[i]) {
            sh_err(sh, "fatal: `%s' argument to `-v' not in `var=value' form", assigns[i]);
            status = 1;
            goto done;
        }
    }
    sh_buf src = {0};
    const char *src_name = "cmd. line";
    int first = st.ind;
    if (nfiles) {
        for (int i = 0; i < nfiles; i++) {
            sh_stream *in = sh_input(sh, files[i]);
            if (!in) {
                sh_buf_free(&src);
                status = 2;
                goto done;
            }
            bool ok = sh_read_all(in, &src, (size_t)16 << 20);
            sh_input_close(sh, in);
            if (!ok) {
                sh_err(sh, "fatal: cannot read program file %s: %s", sh_quote(sh, files[i]),
                       sh_strerror(errno));
                sh_buf_free(&src);
                status = 2;
                goto done;
            }
            sh_buf_addc(&src, '\n');
        }
        src_name = files[0];
    } else {
        if (first >= argc) {
            sh_err(sh, "usage: awk [-F fs] [-v var=value] [-f progfile | 'program'] [file ...]");
            status = 1;
            goto done;
        }
        sh_buf_adds(&src, argv[first++]);
    }
    aprog *prog = awk_parse(sh, src.data ? src.data : "", src.len, src_name);
    sh_buf_free(&src);
    if (!prog) {
        status = 1;
        goto done;
    }
    awk_state *a = sh_calloc(1, sizeof *a);
    a->sh = sh;
    a->prog = prog;
    a->src_name = src_name;
    a->nest_limit = AWK_MAX_EVAL_NEST - sh->nest * AWK_LEVELS_PER_SHELL_LEVEL;
    if (a->nest_limit < 50)
        a->nest_limit = 50;
    init_globals(a, argc, argv, first);
    if (fs) {
        sh_buf b = {0};
        awk_unescape(&b, fs, strlen(fs));
        awk_set_global(a, V_FS, aval_str(astr_new(b.data ? b.data : "", b.len)));
        sh_buf_free(&b);
    }
    for (int i = 0; i < nassign && !a->fatal; i++)
        awk_operand_assign(a, assigns[i]);

    run_actions(a, prog->begin, prog->nbegin);
    if (!a->fatal && a->jump != AJ_EXIT && (prog->nmain || prog->nend))
        run_main(a);
    if (!a->fatal && !sh_interrupted(sh)) {
        a->jump = AJ_NONE;
        a->in_end = true;
        run_actions(a, prog->end, prog->nend);
    }
    if (!awk_close_all(a) && !a->fatal)
        a->exit_code = 2;
    status = a->fatal ? 2 : a->exit_code;
    free_state(a);
    free(a);
    awk_prog_free(prog);
done:
    free(assigns);
    free(files);
    return status;
}
