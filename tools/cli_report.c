/* How a run ended, for machines: the --report JSON file and the closing
 * records of the audit log. Numbers go into the report as JSON numbers (all
 * of them stay far below 2^53 in practice; fuel used is exact up to that). */
#include "cli.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cli_status_name(cli_status status)
{
    switch (status) {
    case CLI_STATUS_EXITED: return "exited";
    case CLI_STATUS_TRAP: return "trap";
    case CLI_STATUS_LIMIT: return "limit";
    case CLI_STATUS_ERROR: return "error";
    }
    return "error";
}

static cJSON *build(const char *module_path, const cli_outcome *o)
{
    cJSON *r = cJSON_CreateObject();
    if (!r)
        return NULL;
    bool ok = cJSON_AddStringToObject(r, "module", module_path) &&
              cJSON_AddStringToObject(r, "status", cli_status_name(o->status)) &&
              cJSON_AddNumberToObject(r, "exit_code", o->exit_code);
    if (ok && o->status == CLI_STATUS_EXITED)
        ok = cJSON_AddNumberToObject(r, "guest_exit_code", o->guest_exit_code);
    else if (ok)
        ok = cJSON_AddNullToObject(r, "guest_exit_code");
    if (ok && o->status == CLI_STATUS_LIMIT)
        ok = cJSON_AddStringToObject(r, "limit", o->limit ? o->limit : "");
    else if (ok)
        ok = cJSON_AddNullToObject(r, "limit");
    if (ok && o->status != CLI_STATUS_EXITED)
        ok = cJSON_AddStringToObject(r, "message", o->message);
    else if (ok)
        ok = cJSON_AddNullToObject(r, "message");
    ok = ok && cJSON_AddNumberToObject(r, "fuel_used", (double)o->fuel_used) &&
         cJSON_AddNumberToObject(r, "wall_ms", (double)o->wall_ms) &&
         cJSON_AddNumberToObject(r, "peak_memory_bytes", (double)o->peak_memory) &&
         cJSON_AddNumberToObject(r, "output_bytes", (double)o->output_bytes);
    if (!ok) {
        cJSON_Delete(r);
        return NULL;
    }
    return r;
}

bool cli_report_write(FILE *f, const char *path, const char *module_path, const cli_outcome *o,
                      char *err, size_t errlen)
{
    cJSON *r = build(module_path, o);
    char *text = r ? cJSON_PrintUnformatted(r) : NULL;
    cJSON_Delete(r);
    bool ok = text && fputs(text, f) >= 0 && fputc('\n', f) != EOF;
    ok = (fclose(f) == 0) && ok;
    if (!ok)
        snprintf(err, errlen, "--report: %s: %s", path, text ? "write error" : "out of memory");
    free(text);
    return ok;
}

void cli_report_audit(const cli_sandbox *sb, const cli_outcome *o)
{
    wb_audit *audit = sb->audit;
    if (!audit)
        return;
    if (o->status == CLI_STATUS_LIMIT)
        WB_AUDIT_ONCE(audit, "run.limit", WB_STR("limit", o->limit),
                      WB_STR("message", o->message));
    else if (o->status == CLI_STATUS_TRAP)
        WB_AUDIT_ONCE(audit, "run.trap", WB_STR("message", o->message));
    else if (o->status == CLI_STATUS_ERROR)
        WB_AUDIT_ONCE(audit, "run.error", WB_STR("message", o->message));
    bool exited = o->status == CLI_STATUS_EXITED;
    WB_AUDIT_ONCE(audit, "run.exit", WB_STR("status", cli_status_name(o->status)),
                  WB_INT("exit_code", o->exit_code),
                  exited ? (wb_audit_field)WB_INT("guest_exit_code", o->guest_exit_code)
                         : (wb_audit_field)WB_NULL("guest_exit_code"),
                  WB_UINT("fuel_used", o->fuel_used), WB_UINT("wall_ms", o->wall_ms),
                  WB_UINT("peak_memory_bytes", o->peak_memory),
                  WB_UINT("output_bytes", o->output_bytes),
                  WB_UINT("memory_refusals", sb->memory_refusals),
                  WB_UINT("audit_suppressed", wb_audit_suppressed(audit)));
}
