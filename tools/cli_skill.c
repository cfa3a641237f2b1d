/* wasmbox skill list|show: the skills the MCP server would serve as prompts
 * (tools/mcp/README.md "Skills"). */
#include "cli.h"
#include "cli_opts.h"
#include "mcp/skill.h"

#include <stdlib.h>
#include <string.h>

static int usage(void)
{
    fprintf(stderr, "usage: wasmbox skill list --skills DIR [--skills DIR]...\n"
                    "       wasmbox skill show NAME --skills DIR [--skills DIR]... [--arg K=V]...\n"
                    "  (the shipped skills are in tools/skills)\n");
    return CLI_EXIT_USAGE;
}

static const cli_opt skill_table[] = {
    {"--skills", NULL, "DIR", "a skills directory (repeatable; the shipped ones: tools/skills)", 0},
    {"--arg", NULL, "K=V", "a value for the skill's prompt (show only; repeatable)", 1},
};

const cli_command cli_cmd_skill = {
    "skill", "list|show [NAME] --skills DIR [--arg K=V]...",
    "list the skills `wasmbox mcp` serves as prompts, or show one (its\n"
    "prompt filled with the --arg values)",
    CLI_OPTS(skill_table), false, NULL,
};

static void show(const skill *k, const char *prompt)
{
    printf("name: %s\ndescription: %s\n", k->name, k->description);
    if (k->nargs)
        printf("arguments:\n");
    for (size_t i = 0; i < k->nargs; i++)
        printf("  %s%s%s%s\n", k->args[i].name, k->args[i].required ? " (required)" : "",
               k->args[i].description ? ": " : "",
               k->args[i].description ? k->args[i].description : "");
    printf("files:\n");
    for (size_t i = 0; i < k->nfiles; i++) {
        char *uri = skill_uri(k, k->files[i]);
        printf("  %s\n", uri ? uri : k->files[i]);
        free(uri);
    }
    printf("\n%s", prompt);
}

int cli_skill(int argc, char **argv)
{
    const cli_command *c = &cli_cmd_skill;
    if (argc >= 1 && (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help"))) {
        cli_help(stdout, c);
        return CLI_EXIT_OK;
    }
    if (argc < 1)
        return usage();
    bool list = !strcmp(argv[0], "list");
    if (!list && strcmp(argv[0], "show"))
        return usage();
    int i = 1;
    const char *name = NULL;
    if (!list && argc >= 2 && argv[1][0] != '-')
        name = argv[i++];
    mcp_skills set = {0};
    cJSON *args = cJSON_CreateObject();
    char err[1024];
    int rc = args ? CLI_EXIT_OK : CLI_EXIT_FAIL;
    bool any_dir = false;
    while (i < argc && rc == CLI_EXIT_OK) {
        cli_arg a;
        switch (cli_next_arg(c, argc, argv, &i, &a)) {
        case CLI_ARG_HELP:
            cli_help(stdout, c);
            cJSON_Delete(args);
            skills_free(&set);
            return CLI_EXIT_OK;
        case CLI_ARG_ERROR: rc = cli_usage_error(c, "%s", a.msg); break;
        case CLI_ARG_OPT:
            if (a.opt->id == 0) {
                any_dir = true;
                if (!skills_add_dir(&set, a.value, err, sizeof err)) {
                    fprintf(stderr, "wasmbox: %s\n", err);
                    rc = CLI_EXIT_FAIL;
                }
            } else if (list || !strchr(a.value, '=')) {
                rc = cli_usage_error(c, list ? "--arg is for skill show" : "--arg %s: write K=V",
                                     a.value);
            } else {
                const char *e = strchr(a.value, '=');
                char key[128];
                snprintf(key, sizeof key, "%.*s", (int)(e - a.value), a.value);
                if (cJSON_GetObjectItemCaseSensitive(args, key)) {
                    fprintf(stderr, "wasmbox: --arg %s given twice\n", key);
                    rc = CLI_EXIT_USAGE;
                } else {
                    cJSON_AddStringToObject(args, key, e + 1);
                }
            }
            break;
        default:
            rc = cli_usage_error(c, "unexpected argument '%s'", argv[i - 1]);
        }
    }
    if (rc == CLI_EXIT_OK && !list && !name)
        rc = cli_usage_error(c, "skill show needs the skill's NAME");
    if (rc == CLI_EXIT_OK && !any_dir) {
        fprintf(stderr, "wasmbox: skill %s: name a skills directory with --skills DIR\n", argv[0]);
        rc = usage();
    }
    if (rc == CLI_EXIT_OK && list) {
        for (size_t k = 0; k < set.count; k++)
            printf("%s\t%s\n", set.items[k].name, set.items[k].description);
    } else if (rc == CLI_EXIT_OK) {
        const skill *k = skills_find(&set, name);
        char *text = NULL;
        if (!k) {
            fprintf(stderr, "wasmbox: no skill named %s (wasmbox skill list names them)\n", name);
            rc = CLI_EXIT_FAIL;
        } else if (args->child && !(text = skill_render(k, args, err, sizeof err))) {
            fprintf(stderr, "wasmbox: %s\n", err);
            rc = CLI_EXIT_FAIL;
        } else {
            show(k, text ? text : k->body);
        }
        free(text);
    }
    cJSON_Delete(args);
    skills_free(&set);
    return rc;
}
