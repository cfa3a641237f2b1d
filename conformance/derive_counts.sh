#!/usr/bin/env bash
# Derives conformance/expected_counts.txt from the suite's REFERENCE.md (the
# per-file total of wabt's spectest-interp) and wast2json's output (how many
# of those commands are on text-format modules, which the runner does not
# run). Nothing here runs the engine or the runner: the counts are the
# suite's, not ours. See conformance/README.md, "What counts".
#
#   conformance/derive_counts.sh SPEC_DIR >conformance/expected_counts.txt
#
# Needs wast2json (Debian package wabt) and jq.
set -euo pipefail
if [ $# -ne 1 ] || [ ! -f "$1/REFERENCE.md" ]; then
    echo "usage: derive_counts.sh SPEC_DIR (the folder with REFERENCE.md)" >&2
    exit 2
fi
spec_dir=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wasmbox-counts.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cat <<'EOF'
# Expected per-file counts of conformance/run_spec.sh (the WebAssembly 2.0
# core files; simd/ is out of scope). Written by conformance/derive_counts.sh
# from the suite's REFERENCE.md and wast2json 1.0.32; edit by hand only with
# a reason in the commit.
#
#   REFERENCE  spectest-interp's total for the file (REFERENCE.md): every
#              command but `register`
#   TEXT       of those, assert_malformed commands on a text-format module
#              (`module quote`): wast2json can only write them as .wat text
#              for a text parser, the engine reads binary modules, so the
#              runner reports them as not run
#   COUNTED    REFERENCE - TEXT: commands the runner must run and count
#              when it reads wast2json's output (run_spec.sh --reader
#              wast2json); reading the .wast itself (the default) it must
#              count REFERENCE, text modules included
#
# A file whose counts differ from its line fails (file.wast:count), so a
# command dropped or added is seen. `not-convertible` marks the files that
# wast2json 1.0.32 cannot convert (REFERENCE.md): not run through wast2json;
# the number after it is REFERENCE for the runner's own reader: the
# top-level commands REFERENCE.md counts in the source, less `register`.
#
# FILE                          REFERENCE   TEXT  COUNTED
EOF
# Table rows: | file.wast | yes / **no** | commands | passed/total |
grep -E '^\| [^ /|]+\.wast \| (yes|\*\*no\*\*) \|' "$spec_dir/REFERENCE.md" |
    while IFS='|' read -r _ file converts commands score _; do
        file=$(echo "$file" | tr -d ' ')
        if [[ $converts == *no* ]]; then
            in_source=$(sed -n 's/.*(\([0-9]*\) in source).*/\1/p' <<<"$commands")
            registers=$(grep -c '^(register' "$spec_dir/$file" || true)
            printf '%-28s  not-convertible  %d\n' "$file" $((in_source - registers))
            continue
        fi
        total=$(echo "$score" | tr -d ' *' | cut -d/ -f2)
        if ! wast2json "$spec_dir/$file" -o "$tmp/${file%.wast}.json" 2>"$tmp/log"; then
            echo "derive_counts.sh: wast2json failed on $file:" >&2
            cat "$tmp/log" >&2
            exit 1
        fi
        text=$(jq '[.commands[] | select(.module_type == "text")] | length' "$tmp/${file%.wast}.json")
        printf '%-28s  %9d  %5d  %7d\n' "$file" "$total" "$text" $((total - text))
    done
