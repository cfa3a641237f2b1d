/* How a run ended, for machines: the --report JSON file and the closing
 * records of the audit log. Counts go into the report as JSON numbers written
 * in full digits (cJSON's own printing keeps 15 significant digits only). */
#include "cli.h"
#include "cli_opts.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cli_status_name(cli_status status)
{
    switch (status) {
    case CLI_STATUS_EXITED: return "exited";
    case CLI_STATUS_TRAP: return "trap";
    case CLI_STATUS_EXCEPTION: return "exception";
    case CLI_STATUS_LIMIT: return "limit";
    case CLI_STATUS_ERROR: return "error";
    }
    return "error";
}

/* A whole number, exactly. */
static bool add_count(cJSON *obj, const char *key, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    return cJSON_AddRawToObject(obj, key, buf) != NULL;
}

static bool add_ucount(cJSON *obj, const char *key, uint64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    return cJSON_AddRawToObject(obj, key, buf) != NULL;
}

/* "trap": {"frames": [{"function": N, "name": "..."|null, "offset": N}, ...]}:
 * where the guest stopped, innermost frame first. */
static bool add_trap(cJSON *r, const cli_outcome *o)
{
    cJSON *trap = cJSON_AddObjectToObject(r, "trap");
    cJSON *frames = trap ? cJSON_AddArrayToObject(trap, "frames") : NULL;
    if (!frames)
        return false;
    for (uint32_t i = 0; i < o->nframes; i++) {
        const wb_frame *f = &o->frames[i];
        cJSON *j = cJSON_CreateObject();
        if (!j || !cJSON_AddItemToArray(frames, j))
            return cJSON_Delete(j), false;
        bool ok = add_ucount(j, "function", f->func_index) &&
                  (f->name ? cJSON_AddStringToObject(j, "name", f->name) != NULL
                           : cJSON_AddNullToObject(j, "name") != NULL) &&
                  add_ucount(j, "offset", f->offset);
        if (!ok)
            return false;
    }
    return true;
}

static cJSON *build(const char *module_path, const cli_outcome *o)
{
    cJSON *r = cJSON_CreateObject();
    if (!r)
        return NULL;
    bool ok = cJSON_AddStringToObject(r, "version", WASMBOX_VERSION) &&
              (module_path ? cJSON_AddStringToObject(r, "module", module_path)
                           : cJSON_AddNullToObject(r, "module")) &&
              cJSON_AddStringToObject(r, "status", cli_status_name(o->status)) &&
              add_count(r, "exit_code", o->exit_code);
    if (ok && o->status == CLI_STATUS_EXITED)
        ok = add_count(r, "guest_exit_code", o->guest_exit_code);
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
    if (ok && (o->status == CLI_STATUS_TRAP || o->status == CLI_STATUS_LIMIT ||
               o->status == CLI_STATUS_EXCEPTION))
        ok = add_trap(r, o);
    else if (ok)
        ok = cJSON_AddNullToObject(r, "trap");
    ok = ok && add_ucount(r, "fuel_used", o->fuel_used) &&
         add_ucount(r, "wall_ms", o->wall_ms) &&
         add_ucount(r, "peak_memory_bytes", o->peak_memory) &&
         add_ucount(r, "output_bytes", o->output_bytes);
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
    else if (o->status == CLI_STATUS_EXCEPTION)
        WB_AUDIT_ONCE(audit, "run.exception", WB_STR("message", o->message));
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
    /* run.exit ends the log: a guest thread the hard stop left behind
     * (cli_run.c) must not write after it */
    wb_audit_seal(audit);
}
