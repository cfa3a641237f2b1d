/* `wasmbox mcp`'s tools: the tool bridge as the MCP server's backend,
 * reloaded when a --tools directory changes (cli_mcp_reload.c). */
#ifndef WASMBOX_TOOLS_CLI_MCP_RELOAD_H
#define WASMBOX_TOOLS_CLI_MCP_RELOAD_H

#include "bridge.h"
#include "mcp/mcp.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

/* How often the bridge reports a running call's progress. */
#define MCP_PROGRESS_MS 250

typedef struct mcp_live_tools {
    mcp_backend backend;    /* what the server is given */
    wbt_bridge_config cfg;  /* (its pointers stay the caller's, alive until close) */
    pthread_mutex_t lock;   /* cur */
    wbt_bridge *cur;
    wbt_bridge *retired[256];
    size_t nretired;
    int ifd;                /* inotify, or -1 */
    pthread_t thread;
    bool watching;
    atomic_bool stop;
} mcp_live_tools;

/* Opens the bridge; -1 with err filled (nothing to close then). */
int mcp_live_tools_open(mcp_live_tools *t, const wbt_bridge_config *cfg, char *err, size_t errlen);
/* Starts watching the --tools directories (none: false, nothing to watch);
 * false with a warning on stderr when inotify fails (the tools stay as
 * loaded). */
bool mcp_live_tools_watch(mcp_live_tools *t);
/* Stops the watcher and closes every bridge; no call may be running. */
void mcp_live_tools_close(mcp_live_tools *t);

#endif
