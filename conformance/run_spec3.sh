#!/usr/bin/env bash
# Runs the WebAssembly 3.0 spec tests (../shared/spec-testsuite-3.0) against
# the engine, every file, under both translations, and tallies them per
# feature (simd, exceptions, tail calls, gc, ...). Most 3.0 features are not
# in the engine (nor in wat/, the text reader) yet, so files fail; what may
# fail is pinned in known_failures_3.0.txt, one line per file: `FILE PASSED
# FAILED` (the counts of the last accepted run). The run fails when a file
# passes fewer commands or fails more than its line says (a regression), or
# when it does better (then the line must be lowered: --update rewrites the
# list), so the failures can only go down. A file without a line must fail
# nothing. See conformance/README.md, "The 3.0 suite".
#
#   run_spec3.sh [-j N] [--update] SPEC_RUNNER
#
# Environment: SPEC3_DIR (the suite's folder), SPEC_TIMEOUT (seconds per
# file and translation, default 120).
set -u
script_dir=$(cd "$(dirname "$0")" && pwd)
list=$script_dir/known_failures_3.0.txt
update=0 jobs='' runner=''
while [ $# -gt 0 ]; do
    case $1 in
    --update) update=1 ;;
    -j) jobs=$2; shift ;;
    -*) echo "usage: run_spec3.sh [-j N] [--update] SPEC_RUNNER" >&2; exit 2 ;;
    *) runner=$1 ;;
    esac
    shift
done
[ -n "$runner" ] || { echo "usage: run_spec3.sh [-j N] [--update] SPEC_RUNNER" >&2; exit 2; }
case $runner in /*) ;; *) runner=$PWD/$runner ;; esac
[ -x "$runner" ] || { echo "run_spec3.sh: $runner is not an executable" >&2; exit 2; }
[ -n "$jobs" ] || { jobs=$(nproc 2>/dev/null || echo 1); [ "$jobs" -gt 8 ] && jobs=8; }
timeout_s=${SPEC_TIMEOUT:-120}

spec_dir=$("$script_dir/suite_dir.sh" spec-testsuite-3.0) || spec_dir=
[ -n "$spec_dir" ] && [ -d "$spec_dir" ] || { echo "run_spec3.sh: no 3.0 suite (set SPEC3_DIR)" >&2; exit 2; }

# The feature a file tests, from its folder or its name.
feature_of() {
    case $1 in
    core/simd/*) echo simd ;;
    core/relaxed-simd/*) echo relaxed-simd ;;
    core/exceptions/*) echo exceptions ;;
    legacy/exceptions/*) echo legacy-exceptions ;;
    core/gc/*) echo gc ;;
    core/memory64/*) echo memory64 ;;
    core/multi-memory/*) echo multi-memory ;;
    core/bulk-memory/*) echo bulk-memory ;;
    core/return_call*) echo tail-calls ;;
    core/call_ref* | core/br_on_* | core/ref_as_non_null* | core/local_init* | core/func_ref* | core/ref.wast | \
        core/type-* | core/instance*) echo function-references ;;
    *) echo core ;;
    esac
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wasmbox-spec3.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

# one file under one translation: "PASSED FAILED" in $tmp/N.T
run_file() { # $1: index, $2: relative path, $3: translation opt
    local out=$tmp/$1.$3 rc=0 last
    WASMBOX_OPT=$3 timeout -k 5 "$timeout_s" "$runner" "$spec_dir/$2" >"$out.log" 2>&1 || rc=$?
    last=$(tail -n 1 "$out.log")
    if [[ $last =~ :\ ([0-9]+)\ passed,\ ([0-9]+)\ failed, ]] && { [ $rc -eq 0 ] || [ $rc -eq 2 ]; }; then
        echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}" >"$out"
    else
        # crash, timeout, unreadable script: every command failed
        local total
        total=$("$runner" --count "$spec_dir/$2" 2>/dev/null) || total=1
        case $total in '' | *[!0-9]* | 0) total=1 ;; esac
        echo "0 $total crashed" >"$out"
    fi
}

mapfile -t files < <(cd "$spec_dir" && find . -name '*.wast' | sed 's|^\./||' | LC_ALL=C sort)
for i in "${!files[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    { run_file "$i" "${files[$i]}" 1; run_file "$i" "${files[$i]}" 0; } &
done
wait

declare -A want=()
if [ -f "$list" ]; then
    while read -r f p x; do
        [ -n "${f:-}" ] && [ "${f:0:1}" != '#' ] && want[$f]="$p $x"
    done <"$list"
fi
declare -A fp=() ff=()
status=0 regressions=0 improved=0
: >"$tmp/new_list"
for i in "${!files[@]}"; do
    rel=${files[$i]}
    read -r p1 f1 c1 <"$tmp/$i.1"
    read -r p0 f0 c0 <"$tmp/$i.0"
    # the worse of the two translations is what the file achieves
    p=$((p1 < p0 ? p1 : p0)) f=$((f1 > f0 ? f1 : f0))
    [ -n "${c1:-}${c0:-}" ] && echo "$rel: crashed, timed out or unreadable (counted as $f failed)"
    [ "$p1 $f1" != "$p0 $f0" ] && echo "$rel: the translations differ: optimized $p1/$f1, reference $p0/$f0"
    feat=$(feature_of "$rel")
    fp[$feat]=$((${fp[$feat]:-0} + p))
    ff[$feat]=$((${ff[$feat]:-0} + f))
    [ "$f" -gt 0 ] && echo "$rel $p $f" >>"$tmp/new_list"
    if [ -n "${want[$rel]:-}" ]; then
        read -r wp wf <<<"${want[$rel]}"
        unset "want[$rel]"
    else
        wp=$p wf=0
    fi
    if [ "$p" -lt "$wp" ] || [ "$f" -gt "$wf" ]; then
        echo "REGRESSION $rel: $p passed, $f failed (known_failures_3.0.txt allows $wp passed, $wf failed)"
        grep -E "^[^ ]+:[0-9]+: " "$tmp/$i.1.log" | head -n 5 | sed 's/^/    /'
        regressions=$((regressions + 1))
    elif [ "$p" -gt "$wp" ] || [ "$f" -lt "$wf" ]; then
        echo "improved $rel: $p passed, $f failed (the list says $wp, $wf): lower its line (--update)"
        improved=$((improved + 1))
    fi
done
for f in "${!want[@]}"; do
    echo "known_failures_3.0.txt lists $f, which is not in $spec_dir: remove its line"
    improved=$((improved + 1))
done

echo
total_p=0 total_f=0
for feat in $(printf '%s\n' "${!fp[@]}" | LC_ALL=C sort); do
    printf '%-20s %6d passed, %6d failed\n' "$feat:" "${fp[$feat]}" "${ff[$feat]}"
    total_p=$((total_p + fp[$feat])) total_f=$((total_f + ff[$feat]))
done
echo "3.0 suite: ${#files[@]} files, $total_p passed, $total_f failed (both translations; the worse of the two per file)"
if [ $update -eq 1 ]; then
    {
        echo "# What the WebAssembly 3.0 suite may fail today (conformance/run_spec3.sh):"
        echo "# FILE PASSED FAILED per file that fails anything, the worse of the two"
        echo "# translations. A run with fewer passed or more failed fails; one that does"
        echo "# better asks for the line to be lowered, so this list only shrinks."
        echo "# Rewritten by conformance/run_spec3.sh --update SPEC_RUNNER."
        cat "$tmp/new_list"
    } >"$list"
    echo "known_failures_3.0.txt: $(wc -l <"$tmp/new_list") files written"
    [ $regressions -eq 0 ] || status=1
else
    [ $regressions -eq 0 ] && [ $improved -eq 0 ] || status=1
fi
exit $status
