# Calling the built-in guest tools from the e2e scripts (sourced; not run by
# itself). Needs $wb (the wasmbox binary) and $tools (the directory of the
# built tools, $(BUILD)/tools).
#
# call_tool NAME MODE WS [WASMBOX TOOL CALL OPTIONS...] < input.json: calls
# tool NAME through the tool bridge (`wasmbox tool call`) with the JSON
# input on stdin and prints its result (one line, with the bridge's "meta")
# on stdout. The workspace WS is given read-only when MODE is ro (so even a
# tool whose manifest asks for write gets it read-only), not at all when
# MODE is none, else as the operator's writable workspace; the tool's
# manifest then decides what it gets (tools/README.md, "Capability
# intersection"). The operator's timeout is 120 s (the machine may be
# loaded; a test of a limit passes its own). Returns wasmbox's exit code:
# 0 for a result with is_error false, 1 with is_error true, 2 a usage or
# configuration error. The example tool ("write your own tool") is called
# through --tools with its own manifest (tools/guest/example/wc.json).
_tools_lib_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
call_tool() {
  local name=$1 mode=$2 ws=$3 args=()
  shift 3
  case $mode in
  ro) args=(--workspace "$ws:ro") ;;
  none) ;;
  *) args=(--workspace "$ws") ;;
  esac
  if [ "$name" = example ]; then
    local dir=${tmp:?call_tool needs \$tmp}/example-tools
    mkdir -p "$dir"
    cp "$_tools_lib_repo/tools/guest/example/wc.json" "$tools/example.wasm" "$dir/"
    args+=(--tools "$dir")
    name=wc
  fi
  "$wb" tool call "$name" --builtin-dir "$tools" "${args[@]}" --timeout 120000 "$@"
}

# rc_matches RC FILE: RC is the exit code the result in FILE calls for
# (0 when its is_error is false, 1 when true).
rc_matches() {
  local want
  want=$(jq -r 'if .is_error == false then 0 elif .is_error == true then 1 else "none" end' "$2" 2>/dev/null)
  [ "$1" = "$want" ]
}

# tool_result FILE: the result in FILE without the bridge's meta (what the
# tool itself answered), compact.
tool_result() {
  jq -c 'del(.meta)' "$1" 2>/dev/null || cat "$1"
}

# tool_mode NAME: the map a tool gets (its manifest will say so): ro for the
# tools that only read, none for those that need no files.
tool_mode() {
  case $1 in write | edit) echo rw ;; web-fetch) echo none ;; *) echo ro ;; esac
}

# same_json A B: the two JSON texts are equal (keys sorted, whitespace
# ignored; strings compared exactly).
same_json() {
  [ "$(jq -cS . <<<"$1" 2>&1)" = "$(jq -cS . <<<"$2" 2>&1)" ]
}
