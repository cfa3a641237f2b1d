// The official MCP TypeScript SDK client (@modelcontextprotocol/sdk, pinned
// in package.json/package-lock.json) driving `wasmbox mcp` over stdio: the
// handshake, tools/list, a call of every built-in tool with its effect
// checked on the host, a refused capability, a cancelled endless call (the
// sandbox stops, the server goes on), progress, concurrent calls without
// cross-talk, prompts and resources from the shipped skills, ping, a tool
// added to a watched --tools directory during the session (list_changed).
//
//   node sdk_client.mjs WASMBOX SKILLS_DIR
//
// Then the same over the Streamable HTTP transport (`wasmbox mcp --listen
// 127.0.0.1:0`, the port read from its stderr), and the transport's own
// refusals (Origin, bearer token, session, method), SSE answers and the GET
// stream checked with fetch.
//
// Run by tests/e2e/mcp_sdk.sh inside a network namespace with loopback only
// (web-fetch reads a page this script serves on 127.0.0.1). Prints
// "mcp_sdk: N passed, M failed".
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { spawn } from "node:child_process";
import { McpError, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

const [wb, skillsDir] = process.argv.slice(2);
let passed = 0, failed = 0;
function check(cond, what) {
  if (cond) passed++;
  else { failed++; console.log(`FAIL mcp_sdk: ${what}`); }
}
const text = (r) => (r?.content ?? []).filter((c) => c.type === "text").map((c) => c.text).join("");

// The workspace the tools work on.
const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "mcp-sdk-")));
fs.mkdirSync(path.join(ws, "src"));
fs.writeFileSync(path.join(ws, "notes.txt"), "first line\nsecond line\n");
fs.writeFileSync(path.join(ws, "src", "app.c"), "int main(void)\n{ /* TODO: more */ return 0; }\n");

// A page for web-fetch, on loopback.
const server = http.createServer((req, res) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end("<html><head><title>Tides</title></head><body><h1>High water</h1><p>At 6:42.</p></body></html>");
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${server.address().port}`;

// A --tools directory the test adds a manifest to while a session runs
// (notifications/tools/list_changed); the module of the conformance
// fixture tools is there from the start, no manifest names it yet.
const toolsDir = fs.mkdtempSync(path.join(os.tmpdir(), "mcp-sdk-tools-"));
const fixtureDir = path.join(path.dirname(wb), "tests", "mcp-fixture");
fs.copyFileSync(path.join(fixtureDir, "mcp_fixture.wasm"), path.join(toolsDir, "mcp_fixture.wasm"));

const serverArgs = ["mcp", "--workspace", ws, "--skills", skillsDir, "--allow-host", origin, "--jobs", "2",
                    "--tools", toolsDir];
let transport = new StdioClientTransport({ command: wb, args: serverArgs, stderr: "pipe" });
let serverPid = () => transport.pid;
let stderr = "";
transport.stderr?.on("data", (d) => { stderr += d; });
let client = new Client({ name: "wasmbox-sdk-test", version: "1.0.0" });

async function main(http = false) {
  let changed = 0;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => { changed++; });
  await client.connect(transport);
  const info = client.getServerVersion();
  check(info?.name === "wasmbox", `serverInfo.name: ${JSON.stringify(info)}`);
  const caps = client.getServerCapabilities();
  check(caps?.tools && caps?.prompts && caps?.resources, `capabilities: ${JSON.stringify(caps)}`);
  check(caps?.tools?.listChanged === true, `tools.listChanged (a --tools directory is watched): ${JSON.stringify(caps?.tools)}`);
  await client.ping();
  passed++;

  // tools/list: the built-in tools, each with an object input schema.
  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name).sort();
  check(JSON.stringify(names) === JSON.stringify(["edit", "glob", "grep", "read", "shell", "web-fetch", "write"]),
        `tool names: ${names}`);
  check(tools.every((t) => t.inputSchema?.type === "object" && t.description), "every tool has a description and an object schema");

  // Every built-in tool, its effect checked on the host.
  let r = await client.callTool({ name: "read", arguments: { file_path: "notes.txt" } });
  check(!r.isError && text(r) === "     1\tfirst line\n     2\tsecond line\n", `read: ${JSON.stringify(r)}`);
  r = await client.callTool({ name: "write", arguments: { file_path: "made.txt", content: "made by write\n" } });
  check(!r.isError && fs.readFileSync(path.join(ws, "made.txt"), "utf8") === "made by write\n", `write: ${JSON.stringify(r)}`);
  r = await client.callTool({ name: "edit", arguments: { file_path: "made.txt", old_string: "made by", new_string: "changed by" } });
  check(!r.isError && fs.readFileSync(path.join(ws, "made.txt"), "utf8") === "changed by write\n", `edit: ${JSON.stringify(r)}`);
  r = await client.callTool({ name: "glob", arguments: { pattern: "**/*.c" } });
  check(!r.isError && text(r).includes("src/app.c") && !text(r).includes("notes.txt"), `glob: ${JSON.stringify(r)}`);
  r = await client.callTool({ name: "grep", arguments: { pattern: "TODO", output_mode: "content" } });
  check(!r.isError && /src\/app\.c:2:.*TODO: more/.test(text(r)), `grep: ${JSON.stringify(r)}`);
  r = await client.callTool({ name: "shell", arguments: { command: "echo hi && wc -l < notes.txt" } });
  check(!r.isError && r.structuredContent?.stdout === "hi\n2\n" && r.structuredContent?.exit_code === 0,
        `shell: ${JSON.stringify(r)}`);
  r = await client.callTool({ name: "web-fetch", arguments: { url: `${origin}/tides.html` } });
  check(!r.isError && text(r).includes("Title: Tides") && text(r).includes("High water"), `web-fetch: ${JSON.stringify(r)}`);

  // A refused capability: a host the policy does not allow. The tool's
  // error, with the reason, not a protocol error; nothing is sent.
  r = await client.callTool({ name: "web-fetch", arguments: { url: "http://127.0.0.2:9/" } });
  check(r.isError === true && /not allowed|allowed_outbound_hosts|refused|denied/i.test(text(r)),
        `a refused host: ${JSON.stringify(r)}`);
  // Confinement: a path outside the workspace.
  r = await client.callTool({ name: "read", arguments: { file_path: "/etc/passwd" } });
  check(r.isError === true && !text(r).includes("root:"), `read outside the workspace: ${JSON.stringify(r)}`);
  // The input schema is enforced: a tool error naming the field.
  r = await client.callTool({ name: "read", arguments: { file_path: 7 } });
  check(r.isError === true && text(r).includes("file_path"), `a wrong input type: ${JSON.stringify(r)}`);
  // An unknown tool is a protocol error.
  try {
    await client.callTool({ name: "no-such-tool", arguments: {} });
    check(false, "an unknown tool answered");
  } catch (e) {
    check(e instanceof McpError && e.code === -32602, `unknown tool: ${e}`);
  }

  // A cancelled endless call: progress comes while it runs, the sandbox
  // stops (the process uses no CPU afterwards), the server goes on.
  const ac = new AbortController();
  let progress = 0;
  const t0 = Date.now();
  const endless = client.callTool({ name: "shell", arguments: { command: "while :; do :; done" } }, undefined,
    { signal: ac.signal, timeout: 60000, onprogress: () => { progress++; } });
  setTimeout(() => ac.abort("enough"), 1200);
  try {
    await endless;
    check(false, "the endless call answered");
  } catch (e) {
    check(Date.now() - t0 < 5000, `the cancelled call ended its promise at once (${Date.now() - t0} ms)`);
  }
  // Over HTTP the call is answered as an SSE stream (it asked for progress).
  check(progress >= 2, `progress notifications while it ran: ${progress}`);
  await new Promise((r) => setTimeout(r, 300));
  const cpu = () => fs.readFileSync(`/proc/${serverPid()}/stat`, "utf8").split(") ")[1].split(" ").slice(11, 13).map(Number).reduce((a, b) => a + b, 0);
  const c0 = cpu();
  await new Promise((r) => setTimeout(r, 1000));
  const used = cpu() - c0;
  check(used < 20, `the sandbox stopped: ${used} ticks of CPU in the second after the cancel`);
  r = await client.callTool({ name: "read", arguments: { file_path: "notes.txt" } });
  check(!r.isError && text(r) === "     1\tfirst line\n     2\tsecond line\n", `a call after the cancel: ${JSON.stringify(r)}`);

  // Concurrent calls: each answer is its own (no cross-talk).
  const many = await Promise.all(Array.from({ length: 12 }, (_, i) =>
    client.callTool({ name: "shell", arguments: { command: `echo call-${i}; echo ${i} > out-${i}.txt; cat out-${i}.txt` } })));
  check(many.every((m, i) => !m.isError && m.structuredContent?.stdout === `call-${i}\n${i}\n`),
        `12 concurrent calls: ${JSON.stringify(many.map((m) => m.structuredContent?.stdout))}`);
  check(Array.from({ length: 12 }, (_, i) => fs.readFileSync(path.join(ws, `out-${i}.txt`), "utf8")).join("") ===
        Array.from({ length: 12 }, (_, i) => `${i}\n`).join(""), "each concurrent call wrote its own file");

  // Prompts from the skills.
  const { prompts } = await client.listPrompts();
  check(JSON.stringify(prompts.map((p) => p.name)) === JSON.stringify(["code-review", "find-and-fix", "summarise-page"]),
        `prompts: ${prompts.map((p) => p.name)}`);
  const cr = prompts.find((p) => p.name === "code-review");
  check(cr?.arguments?.find((a) => a.name === "path")?.required === true, `code-review's path is required: ${JSON.stringify(cr)}`);
  const got = await client.getPrompt({ name: "summarise-page", arguments: { url: `${origin}/tides.html` } });
  const ptext = got.messages?.[0]?.content?.text ?? "";
  check(got.messages?.[0]?.role === "user" && ptext.startsWith(`Fetch ${origin}/tides.html with the \`web-fetch\` tool`),
        `summarise-page rendered: ${ptext.slice(0, 100)}`);
  try {
    await client.getPrompt({ name: "code-review", arguments: {} });
    check(false, "a prompt without its required argument rendered");
  } catch (e) {
    check(e instanceof McpError && e.code === -32602 && /path/.test(e.message), `a missing argument: ${e}`);
  }

  // Resources: the skills' files.
  const { resources } = await client.listResources();
  const uris = resources.map((x) => x.uri);
  check(uris.includes("skill://code-review/checklist.md") && uris.includes("skill://find-and-fix/SKILL.md"),
        `resources: ${uris}`);
  const res = await client.readResource({ uri: "skill://code-review/checklist.md" });
  check(res.contents?.[0]?.text === fs.readFileSync(path.join(skillsDir, "code-review", "checklist.md"), "utf8"),
        "readResource gives the file's text");
  try {
    await client.readResource({ uri: "skill://code-review/../../../etc/passwd" });
    check(false, "a resource outside the skill was read");
  } catch (e) {
    check(e instanceof McpError && e.code === -32002, `a resource outside the skill: ${e}`);
  }
  await listChanged(() => changed);
}

// A manifest added to the --tools directory during the session: the client
// is told (notifications/tools/list_changed; over HTTP on the GET stream the
// SDK opens), the tool is listed and runs; removed, it goes again.
async function listChanged(counter) {
  const waitFor = async (n, what) => {
    const t0 = Date.now();
    while (counter() < n && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50));
    check(counter() >= n, `${what}: notifications/tools/list_changed came (${counter()} of ${n}, ${Date.now() - t0} ms)`);
  };
  const before = counter();
  fs.copyFileSync(path.join(fixtureDir, "test_simple_text.json"), path.join(toolsDir, "test_simple_text.json"));
  await waitFor(before + 1, "a manifest added");
  let names = (await client.listTools()).tools.map((t) => t.name);
  check(names.includes("test_simple_text") && names.length === 8, `the new tool is listed: ${names}`);
  const r = await client.callTool({ name: "test_simple_text", arguments: {} });
  check(text(r) === "This is a simple text response for testing.", `the new tool runs: ${JSON.stringify(r).slice(0, 200)}`);
  // A manifest that does not load changes nothing (the tools stay as they were).
  fs.writeFileSync(path.join(toolsDir, "broken.json"), "{\"name\": 7}");
  await new Promise((res) => setTimeout(res, 700));
  check(counter() === before + 1, `a broken manifest sends no notification (${counter() - before})`);
  fs.rmSync(path.join(toolsDir, "broken.json"));
  fs.rmSync(path.join(toolsDir, "test_simple_text.json"));
  await waitFor(before + 2, "the manifests removed");
  names = (await client.listTools()).tools.map((t) => t.name);
  check(names.length === 7 && !names.includes("test_simple_text"), `the tool is gone: ${names}`);
}

// The events of an SSE body: [{event, data}] (the format's fields, one
// data line each, as the server sends them).
function sseEvents(body) {
  return body.split("\n\n").filter((b) => b.trim() && !b.startsWith(":")).map((b) => {
    const ev = {};
    for (const line of b.split("\n")) {
      const i = line.indexOf(": ");
      ev[line.slice(0, i)] = line.slice(i + 2);
    }
    return ev;
  });
}

// SSE answers and the GET stream, raw (the MCP transports specification,
// 2025-11-25, "Sending Messages to the Server" and "Listening for Messages
// from the Server").
async function sseRaw(url, auth, post) {
  let r = await post({ ...auth }, { jsonrpc: "2.0", id: 1, method: "initialize", params: {
    protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } } });
  const sid = r.headers.get("mcp-session-id");
  const init = await r.json();
  check(r.status === 200 && /^[0-9a-f]{32}$/.test(sid ?? "") && init.result?.capabilities?.tools,
        `raw initialize: ${r.status} ${sid}`);
  const sess = { ...auth, "mcp-session-id": sid, "mcp-protocol-version": "2025-11-25" };
  await post(sess, { jsonrpc: "2.0", method: "notifications/initialized" });
  // A call asking for progress, from a client taking text/event-stream: an
  // event stream of progress notifications, then the response, then the end.
  const call = (token) => ({ jsonrpc: "2.0", id: 7, method: "tools/call", params: {
    name: "shell", arguments: { command: "sleep 1; echo done" }, ...(token ? { _meta: { progressToken: token } } : {}) } });
  r = await post(sess, call("p-1"));
  check(r.status === 200 && r.headers.get("content-type") === "text/event-stream",
        `a call with a progressToken: ${r.status} ${r.headers.get("content-type")}`);
  let evs = sseEvents(await r.text());
  const msgs = evs.map((e) => JSON.parse(e.data));
  const prog = msgs.filter((m) => m.method === "notifications/progress");
  check(evs.every((e) => e.event === "message"), `every event is a message: ${JSON.stringify(evs).slice(0, 200)}`);
  check(prog.length >= 2 && prog.every((m) => m.params.progressToken === "p-1"),
        `progress notifications on the stream: ${JSON.stringify(prog).slice(0, 300)}`);
  check(prog.every((m, i) => i === 0 || m.params.progress > prog[i - 1].params.progress), "progress grows");
  const last = msgs[msgs.length - 1];
  check(last?.id === 7 && /done/.test(text(last.result)) && msgs.filter((m) => m.id !== undefined).length === 1,
        `the response comes last, once: ${JSON.stringify(last).slice(0, 200)}`);
  // The same call from a client that takes JSON only: JSON, no progress.
  r = await post({ ...sess, accept: "application/json" }, call("p-2"));
  check(r.status === 200 && r.headers.get("content-type") === "application/json",
        `a JSON-only client gets JSON: ${r.headers.get("content-type")}`);
  check((await r.json()).id === 7, "its response");
  // No progress asked: JSON, even when SSE is accepted.
  r = await post(sess, call(null));
  check(r.headers.get("content-type") === "application/json", `no progressToken: ${r.headers.get("content-type")}`);
  await r.text();
  // A streamed call cancelled from another POST: the stream ends, without a response.
  const streamed = post(sess, { jsonrpc: "2.0", id: 8, method: "tools/call", params: {
    name: "shell", arguments: { command: "while :; do :; done" }, _meta: { progressToken: 8 } } });
  await new Promise((res) => setTimeout(res, 600));
  r = await post(sess, { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 8 } });
  check(r.status === 202, `the cancel: ${r.status}`);
  const t0 = Date.now();
  r = await streamed;
  evs = sseEvents(await r.text());
  check(Date.now() - t0 < 3000 && evs.every((e) => JSON.parse(e.data).id === undefined),
        `a cancelled streamed call ends its stream with no response (${Date.now() - t0} ms, ${evs.length} events)`);
  // Batches: refused in a 2025-11-25 session; a 2025-03-26 session gets one
  // JSON array with a response per request.
  r = await post(sess, [{ jsonrpc: "2.0", id: 1, method: "ping" }]);
  check(r.status === 400 && (await r.json()).error?.code === -32600, `a batch in 2025-11-25: ${r.status}`);
  r = await post({ ...auth }, { jsonrpc: "2.0", id: 1, method: "initialize", params: {
    protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "raw", version: "1" } } });
  const old = { ...auth, "mcp-session-id": r.headers.get("mcp-session-id") };
  check((await r.json()).result?.protocolVersion === "2025-03-26", "a 2025-03-26 session");
  r = await post(old, [{ jsonrpc: "2.0", id: "a", method: "ping" }, { jsonrpc: "2.0", method: "notifications/initialized" },
                       { jsonrpc: "2.0", id: "b", method: "tools/call", params: { name: "shell", arguments: { command: "echo batched" } } }]);
  const arr = await r.json();
  check(r.status === 200 && Array.isArray(arr) && arr.map((m) => m.id).sort().join() === "a,b" &&
        /batched/.test(text(arr.find((m) => m.id === "b")?.result)), `a batch in 2025-03-26: ${JSON.stringify(arr).slice(0, 300)}`);
  // The GET stream of the session: open, an event stream; refused without
  // text/event-stream, for an unknown session; ended by DELETE.
  r = await fetch(url, { headers: { ...sess, accept: "application/json" } });
  check(r.status === 406, `GET without text/event-stream: ${r.status}`);
  r = await fetch(url, { headers: { ...auth, "mcp-session-id": "00", accept: "text/event-stream" } });
  check(r.status === 404, `GET of an unknown session: ${r.status}`);
  const ac = new AbortController();
  r = await fetch(url, { headers: { ...sess, accept: "text/event-stream" }, signal: ac.signal });
  check(r.status === 200 && r.headers.get("content-type") === "text/event-stream", `GET stream: ${r.status}`);
  const body = r.text();
  // Open streams are capped at half the connections ((64 + 8) / 2 = 36 with
  // the default --max-queue): the 37th is refused, and POSTs still pass.
  const more = [];
  for (let i = 1; i < 36; i++) {
    const a = new AbortController();
    const g = await fetch(url, { headers: { ...sess, accept: "text/event-stream" }, signal: a.signal });
    more.push([a, g.status]);
  }
  check(more.every(([, st]) => st === 200), `36 GET streams: ${more.map(([, st]) => st)}`);
  r = await fetch(url, { headers: { ...sess, accept: "text/event-stream" } });
  check(r.status === 503, `the 37th GET stream: ${r.status}`);
  await r.text();
  r = await post(sess, { jsonrpc: "2.0", id: 9, method: "ping" });
  check(r.status === 200, `a POST while the streams are open: ${r.status}`);
  await r.text();
  for (const [a] of more) a.abort();
  r = await fetch(url, { method: "DELETE", headers: sess });
  check(r.status === 204, `DELETE: ${r.status}`);
  const t1 = Date.now();
  const ended = await Promise.race([body.then(() => true), new Promise((res) => setTimeout(() => res(false), 3000))]);
  check(ended, `DELETE ends the session's GET stream (${Date.now() - t1} ms)`);
  ac.abort();
}

async function overHttp() {
  const token = "a-test-token-0123456789";
  const tokenFile = path.join(os.tmpdir(), `mcp-token-${process.pid}`);
  fs.writeFileSync(tokenFile, token + "\n", { mode: 0o600 });
  const proc = spawn(wb, [...serverArgs, "--listen", "127.0.0.1:0", "--token-file", tokenFile,
                          "--allow-origin", "https://agent.example"], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout.on("data", (d) => { out += d; });
  const port = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no port: ${stderr}`)), 10000);
    proc.stderr.on("data", (d) => {
      stderr += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\/mcp/.exec(stderr);
      if (m) { clearTimeout(t); resolve(Number(m[1])); }
    });
  });
  const url = `http://127.0.0.1:${port}/mcp`;
  // The transport's refusals, before any MCP.
  const post = (headers, body) => fetch(url, { method: "POST", headers: { "content-type": "application/json",
    accept: "application/json, text/event-stream", ...headers }, body: JSON.stringify(body) });
  const ping = { jsonrpc: "2.0", id: 1, method: "ping" };
  const auth = { authorization: `Bearer ${token}` };
  let r = await post({}, ping);
  check(r.status === 401 && r.headers.get("www-authenticate") === "Bearer", `no token: ${r.status}`);
  r = await post({ authorization: "Bearer wrong-token-0123456789" }, ping);
  check(r.status === 401, `a wrong token: ${r.status}`);
  r = await post({ ...auth, origin: "http://evil.example" }, ping);
  check(r.status === 403, `a foreign Origin: ${r.status}`);
  r = await post({ ...auth, origin: "https://agent.example" }, ping);
  check(r.status === 200 && (await r.json()).result !== undefined, `an allowed Origin: ${r.status}`);
  r = await fetch(url, { headers: { ...auth, accept: "text/event-stream" } });
  check(r.status === 400, `GET without a session: ${r.status}`);
  r = await fetch(url, { method: "PUT", headers: auth });
  check(r.status === 405 && r.headers.get("allow") === "GET, POST, DELETE", `PUT: ${r.status}`);
  r = await post({ ...auth }, { jsonrpc: "2.0", id: 2, method: "tools/list" });
  check(r.status === 400, `a legacy request without a session: ${r.status}`);
  r = await post({ ...auth, "mcp-session-id": "0123" }, { jsonrpc: "2.0", id: 2, method: "tools/list" });
  check(r.status === 404, `an unknown session: ${r.status}`);
  r = await post({ ...auth, "mcp-protocol-version": "1999-01-01" }, ping);
  check(r.status === 400, `an unknown MCP-Protocol-Version: ${r.status}`);
  r = await fetch(url, { method: "POST", headers: { ...auth, "content-type": "text/plain" }, body: "{}" });
  check(r.status === 415, `a body that is not JSON: ${r.status}`);
  r = await post({ ...auth }, { jsonrpc: "2.0", id: 3, method: "tools/list", params: { _meta: {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} } } });
  const sl = await r.json();
  check(r.status === 200 && sl.result?.resultType === "complete" && sl.result?.tools?.length === 7,
        `a stateless request needs no session: ${JSON.stringify(sl).slice(0, 200)}`);
  r = await fetch(url, { method: "POST", headers: { ...auth, "content-type": "application/json" },
                         body: "x".repeat(33 << 20) });
  check(r.status === 413, `a body over --max-message: ${r.status}`);

  await sseRaw(url, auth, post);

  // The SDK client over HTTP: the same suite as over stdio.
  transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: auth } });
  serverPid = () => proc.pid;
  client = new Client({ name: "wasmbox-sdk-test-http", version: "1.0.0" });
  await main(true);
  check(typeof transport.sessionId === "string" && /^[0-9a-f]{32}$/.test(transport.sessionId),
        `a session id: ${transport.sessionId}`);
  await transport.terminateSession();
  await client.close();
  proc.kill("SIGTERM");
  const code = await new Promise((res) => proc.on("exit", (c) => res(c)));
  check(code === 0, `the HTTP server exits 0 on SIGTERM: ${code}`);
  check(out === "", `nothing on the HTTP server's stdout: ${out}`);
  fs.rmSync(tokenFile, { force: true });
}

for (const [label, run] of [["stdio", () => main(false)], ["http", overHttp]]) {
  const before = failed;
  try {
    await run();
  } catch (e) {
    failed++;
    console.log(`FAIL mcp_sdk (${label}): ${e?.stack ?? e}`);
  }
  if (label === "stdio") await client.close();
  console.log(`${failed === before ? "ok" : "FAILED"} ${label}`);
}
server.close();
fs.rmSync(ws, { recursive: true, force: true });
fs.rmSync(toolsDir, { recursive: true, force: true });
if (failed) console.log(`wasmbox mcp stderr:\n${stderr}`);
console.log(`mcp_sdk: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
