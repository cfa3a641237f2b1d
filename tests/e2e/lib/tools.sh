# Calling the built-in guest tools from the e2e scripts (sourced; not run by
# itself). Needs $wb (the wasmbox binary) and $tools (the directory of the
# built tools, $(BUILD)/tools).
#
# call_tool NAME MODE WS [WASMBOX RUN OPTIONS...] < input.json: runs tool
# NAME with the JSON input on stdin and prints its result on stdout, the way
# the tool bridge runs it: the workspace WS mapped at its own absolute path,
# read-only when MODE is ro, not at all when MODE is none, and PWD set to it
# (relative paths resolve there). Returns wasmbox's exit code. This is the
# one place to switch to `wasmbox tool call NAME --workspace WS` once the
# bridge exists.
call_tool() {
  local name=$1 mode=$2 ws=$3 map=()
  shift 3
  case $mode in
  ro) map=(--dir "$ws::$ws:ro") ;;
  none) ;;
  *) map=(--dir "$ws::$ws") ;;
  esac
  "$wb" run "${map[@]}" --env "PWD=$ws" --timeout 120000 "$@" "$tools/$name.wasm"
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
