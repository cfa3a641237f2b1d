#!/usr/bin/env bash
# The WASI preview1 behaviour matrix (tests/guests/wasi_matrix.c): every
# fd_*, path_* and sock_* function against every kind of fd and every path
# shape, each cell one errno (and, on success, what the call reports), the
# expected values written by hand from the preview1 spec and Wasmtime
# (wasi/README.md, "Behaviour matrix"). Runs under both resolvers (openat2,
# and the component walk forced with WASMBOX_WASI_NO_OPENAT2). Fails on any
# cell that differs, naming the cell, the expected and the actual errno; on
# a run that ends early (fewer cells than the guest's own count); and if the
# run changed anything outside the map.
set -u
build=$1
wb=$(cd "$build" && pwd)/wasmbox
guest=$(cd "$build" && pwd)/guests/wasi_matrix.wasm
for need in "$wb" "$guest"; do
  [ -e "$need" ] || { echo "FAIL wasi_matrix: $need is missing (make e2e builds it)"; exit 1; }
done
tmp=$(mktemp -d)
. "$(dirname "$0")/lib/keep_audit.sh"
trap 'keep_audit_logs "$tmp"; rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL wasi_matrix: $*"; fails=$((fails + 1)); }

# The fixture the guest's header describes; a step that cannot be made is
# a failure of the whole test, never a skipped cell.
layout() { # $1: root
  local r=$1
  mkdir -p "$r/outside" "$r/box/d" "$r/box/e" "$r/box/e2" "$r/box/rn_d" &&
    printf 'hello\n' >"$r/box/f" && printf 'x\n' >"$r/box/d/x" && : >"$r/box/rn_f" &&
    printf 'secret\n' >"$r/outside/secret" &&
    ln -s f "$r/box/lf" && ln -s d "$r/box/ld" && ln -s missing "$r/box/ldang" &&
    ln -s ../outside/secret "$r/box/lout" && ln -s lloop "$r/box/lloop" &&
    ln -s f "$r/box/ul_f" && ln -s nowhere "$r/box/ul_dang"
}

run_matrix() { # $1: label, then env assignments for wasmbox
  local label=$1; shift
  local r=$tmp/$label
  rm -rf "$r" && mkdir -p "$r"
  layout "$r" || { fail "$label: cannot set up the fixture in $r"; return; }
  local before
  ls -la "$r/outside" >/dev/null # the first listing moves the directory's atime (relatime)
  before=$(cd "$r/outside" && find . -printf '%p %s %T@ %A@\n' | sort)
  local out=$r/out rc=0
  env "$@" "$wb" run --dir "$r/box::/box" --audit "$r/audit.jsonl" "$guest" \
    <"/dev/null" >"$out" 2>"$r/err" || rc=$?
  keep_audit "$r/audit.jsonl"
  local summary ncells nfailed
  summary=$(grep -E '^cells [0-9]+ failed [0-9]+$' "$out")
  if [ -z "$summary" ]; then
    fail "$label: the guest did not finish (exit $rc): $(tail -c 400 "$r/err")"
    return
  fi
  ncells=$(echo "$summary" | cut -d' ' -f2)
  nfailed=$(echo "$summary" | cut -d' ' -f4)
  local lines
  lines=$(grep -cE '^(ok|FAIL) ' "$out")
  [ "$lines" = "$ncells" ] || fail "$label: $lines cell lines, the guest counted $ncells"
  [ "$ncells" -ge 500 ] || fail "$label: only $ncells cells ran"
  while read -r line; do
    fail "$label: ${line#FAIL }"
  done < <(grep '^FAIL ' "$out")
  [ "$nfailed" = 0 ] || [ "$(grep -c '^FAIL ' "$out")" = "$nfailed" ] ||
    fail "$label: the guest counted $nfailed failures"
  if [ "$nfailed" = 0 ] && [ "$rc" != 0 ]; then fail "$label: exit $rc with no failed cell"; fi
  [ "$nfailed" = 0 ] || [ "$rc" = 1 ] || fail "$label: exit $rc with failed cells (want 1)"
  # nothing outside the map was read or changed (the matrix reaches for it
  # through `..` and through lout)
  [ "$before" = "$(cd "$r/outside" && find . -printf '%p %s %T@ %A@\n' | sort)" ] ||
    fail "$label: the directory outside the map changed or was read"
  # the fixture is left as it was: every cell that makes something removes it
  local left
  left=$(cd "$r/box" && find . -mindepth 1 -printf '%p\n' | sort | tr '\n' ' ')
  [ "$left" = "./d ./d/x ./f ./ld ./ldang ./lf ./lloop ./lout ./rn_d ./rn_f " ] ||
    fail "$label: the map holds '$left' afterwards"
  echo "wasi_matrix $label: $ncells cells, $nfailed failed"
}

run_matrix openat2
run_matrix walk WASMBOX_WASI_NO_OPENAT2=1

if [ "$fails" -gt 0 ]; then
  echo "FAIL wasi_matrix: $fails problems"
  exit 1
fi
echo "wasi_matrix: ok (openat2 and walk)"
