#!/usr/bin/env bash
# Runs the official WebAssembly spec tests (../shared/spec-testsuite) against
# the engine: each .wast is converted by wabt's wast2json into a temporary
# directory and run by SPEC_RUNNER in a process of its own, so that a crash
# or a hang costs that file, not the run. See conformance/README.md.
#
#   run_spec.sh [options] SPEC_RUNNER [FILTER...]
#
# FILTER: file names to run (i32, memory_grow.wast, 'table_*'); default all.
# Options:
#   -v, --verbose               print every failure and the runner's notes
#   -j N                        files run at once (default: CPUs, at most 8)
#   --update-known-failures     rewrite known_failures.txt from this run
# Environment: SPEC_DIR (test suite folder), WAST2JSON (converter),
# SPEC_TIMEOUT (seconds per file, default 120).
#
# Exit status: 0 when every failure is listed in known_failures.txt and every
# listed entry still fails; 1 otherwise; 2 on a usage or setup error.

set -u

# Files that Debian's wast2json 1.0.32 cannot convert (newer text syntax; see
# the suite's REFERENCE.md). They are tried anyway, so a newer wast2json runs them.
UNCONVERTIBLE="comments.wast if.wast table_fill.wast table_get.wast table_grow.wast table_set.wast table_size.wast"
# Failures printed per file unless --verbose.
MAX_SHOWN=50

script_dir=$(cd "$(dirname "$0")" && pwd)
known_file=$script_dir/known_failures.txt

usage() {
    sed -n '6,19p' "$0" | sed 's/^# \{0,1\}//'
}

update=0 verbose=0 jobs='' runner=''
filters=()
while [ $# -gt 0 ]; do
    case $1 in
    --update-known-failures) update=1 ;;
    -v | --verbose) verbose=1 ;;
    -j)
        [ $# -ge 2 ] || { usage >&2; exit 2; }
        jobs=$2
        shift
        ;;
    -j*) jobs=${1#-j} ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "run_spec.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) if [ -z "$runner" ]; then runner=$1; else filters+=("$1"); fi ;;
    esac
    shift
done
if [ -z "$runner" ]; then
    usage >&2
    exit 2
fi
case $runner in /*) ;; *) runner=$PWD/$runner ;; esac
if [ ! -x "$runner" ]; then
    echo "run_spec.sh: $runner is not an executable" >&2
    exit 2
fi
if [ -z "$jobs" ]; then
    jobs=$(nproc 2>/dev/null || echo 1)
    [ "$jobs" -gt 8 ] && jobs=8
fi
case $jobs in '' | *[!0-9]* | 0) echo "run_spec.sh: -j wants a positive number" >&2; exit 2 ;; esac
timeout_s=${SPEC_TIMEOUT:-120}
wast2json=${WAST2JSON:-wast2json}
if ! command -v "$wast2json" >/dev/null 2>&1; then
    echo "run_spec.sh: $wast2json not found (Debian package wabt)" >&2
    exit 2
fi

# The suite lives next to the repository: <root>/../shared/spec-testsuite.
# In a git worktree the root is the worktree, so the main checkout's root
# (the parent of the common .git) is tried too.
find_spec_dir() {
    if [ -n "${SPEC_DIR:-}" ]; then
        printf '%s\n' "$SPEC_DIR"
        return
    fi
    local top common
    top=$(git -C "$script_dir" rev-parse --show-toplevel 2>/dev/null)
    if [ -n "$top" ] && [ -d "$top/../shared/spec-testsuite" ]; then
        printf '%s\n' "$top/../shared/spec-testsuite"
        return
    fi
    common=$(git -C "$script_dir" rev-parse --path-format=absolute --git-common-dir 2>/dev/null)
    if [ -n "$common" ] && [ -d "$(dirname "$common")/../shared/spec-testsuite" ]; then
        printf '%s\n' "$(dirname "$common")/../shared/spec-testsuite"
        return
    fi
    printf '%s\n' "$script_dir/../../shared/spec-testsuite"
}
spec_dir=$(find_spec_dir)
if [ ! -d "$spec_dir" ]; then
    echo "run_spec.sh: no spec test suite at $spec_dir (set SPEC_DIR)" >&2
    exit 2
fi
spec_dir=$(cd "$spec_dir" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wasmbox-spec.XXXXXX") || exit 2
# shellcheck disable=SC2317 # run by the trap
cleanup() {
    # stop the runs still going (ours only), then remove their files
    local pids pid
    mapfile -t pids < <(jobs -p)
    if [ ${#pids[@]} -gt 0 ]; then
        # a job's child is `timeout`, which passes the signal on to the runner
        for pid in "${pids[@]}"; do pkill -TERM -P "$pid" 2>/dev/null; done
        kill "${pids[@]}" 2>/dev/null
    fi
    wait 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$tmp/res" "$tmp/work"

# ---- the known-failures list ----
declare -A known=()
if [ -f "$known_file" ]; then
    while IFS= read -r entry || [ -n "$entry" ]; do
        entry=${entry%%#*}
        entry=${entry//[[:space:]]/}
        [ -n "$entry" ] && known[$entry]=1
    done <"$known_file"
fi

# ---- which files ----
matches_filter() { # $1: path relative to the suite
    local rel=$1 name=${1##*/} f
    [ ${#filters[@]} -eq 0 ] && return 0
    for f in "${filters[@]}"; do
        f=${f%.wast}
        # unquoted $f: a filter may be a glob
        # shellcheck disable=SC2053
        [[ ${name%.wast} == $f || ${rel%.wast} == $f ]] && return 0
    done
    return 1
}

files=()
simd_skipped=0
while IFS= read -r rel; do
    matches_filter "$rel" || continue
    case $rel in
    simd/*) simd_skipped=$((simd_skipped + 1)) ;;
    *) files+=("$rel") ;;
    esac
done < <(cd "$spec_dir" && find . -name '*.wast' | sed 's|^\./||' | LC_ALL=C sort)
if [ ${#files[@]} -eq 0 ] && [ "$simd_skipped" -eq 0 ]; then
    echo "run_spec.sh: no .wast file in $spec_dir matches ${filters[*]:-anything}" >&2
    exit 2
fi

# ---- one file ----
# Writes $tmp/res/IDX.{counts,keys,show,unconvertible} then IDX.done.
#   counts: "PASSED FAILED"; keys: one file.wast:LINE (or file.wast:*) per
#   failure; show: what to print under the file's line.
run_one() {
    local idx=$1 rel=$2
    local name=${rel##*/}
    local base=${name%.wast}
    local work=$tmp/work/$idx out=$tmp/res/$idx
    mkdir -p "$work"
    : >"$out.keys"
    : >"$out.show"

    local rc=0
    timeout -k 5 "$timeout_s" "$wast2json" "$spec_dir/$rel" -o "$work/$base.json" \
        >"$work/convert.log" 2>&1 || rc=$?
    if [ $rc -ne 0 ]; then
        if [[ " $UNCONVERTIBLE " == *" $name "* ]]; then
            : >"$out.unconvertible"
        else
            echo "0 1" >"$out.counts"
            echo "$name:*" >"$out.keys"
            echo "$name: wast2json failed (exit $rc), counted as 1 failure" >"$out.line"
            tail -n 5 "$work/convert.log" | sed 's/^/    /' >"$out.show"
        fi
        rm -rf "$work"
        : >"$out.done"
        return
    fi

    local flags=()
    [ $verbose -eq 1 ] && flags=(-v)
    rc=0
    timeout -k 5 "$timeout_s" "$runner" "${flags[@]}" "$work/$base.json" \
        >"$work/out" 2>"$work/err" || rc=$?

    # A finished run ends with "NAME: P passed, F failed", and exits 0 when
    # F is 0 and 2 when not; anything else (signal, timeout, sanitizer exit)
    # is a crash of the whole file.
    local last passed='' failed=''
    last=$(tail -n 1 "$work/out")
    if [[ $last =~ ^(.*):\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]] && [ "${BASH_REMATCH[1]}" = "$name" ]; then
        passed=${BASH_REMATCH[2]}
        failed=${BASH_REMATCH[3]}
    fi
    if [ -n "$passed" ] && { { [ $rc -eq 0 ] && [ "$failed" -eq 0 ]; } ||
        { [ $rc -eq 2 ] && [ "$failed" -gt 0 ]; }; }; then
        echo "$passed $failed" >"$out.counts"
        echo "$last" >"$out.line"
        # failure lines are "NAME:LINE: reason"
        awk -v p="$name:" 'index($0, p) == 1 && substr($0, length(p) + 1) ~ /^[0-9]+: / { print }' \
            "$work/out" >"$work/failures"
        sed 's/^\([^:]*:[0-9]*\): .*/\1/' "$work/failures" >"$out.keys"
        local shown=0 hidden=0 line key
        while IFS= read -r line; do
            key=${line%%: *}
            if [ $verbose -eq 1 ]; then
                printf '%s\n' "$line" >>"$out.show"
            elif [ -z "${known[$key]:-}" ]; then
                if [ $shown -lt $MAX_SHOWN ]; then
                    printf '%s\n' "$line" >>"$out.show"
                    shown=$((shown + 1))
                else
                    hidden=$((hidden + 1))
                fi
            fi
        done <"$work/failures"
        [ $hidden -gt 0 ] && echo "... and $hidden more new failures of $name (-v shows all)" >>"$out.show"
        [ $verbose -eq 1 ] && grep '^note: ' "$work/out" >>"$out.show"
    else
        local total what
        total=$("$runner" --count "$work/$base.json" 2>/dev/null) || total=
        case $total in '' | *[!0-9]* | 0) total=1 ;; esac
        if [ $rc -eq 124 ]; then
            what="timed out after ${timeout_s}s"
        elif [ $rc -gt 128 ]; then
            what="crashed (signal $((rc - 128)))"
        elif [ -n "$passed" ]; then
            what="runner exited $rc after its summary (a sanitizer report?)"
        else
            what="runner exited $rc without finishing"
        fi
        echo "0 $total" >"$out.counts"
        echo "$name:*" >"$out.keys"
        echo "$name: $what; all $total commands counted as failed" >"$out.line"
        if [ $verbose -eq 1 ] || [ -z "${known[$name:*]:-}" ]; then
            grep -v '^note: ' "$work/out" | tail -n 10 | sed 's/^/    /' >>"$out.show"
            tail -n 30 "$work/err" | sed 's/^/    /' >>"$out.show"
        fi
    fi
    rm -rf "$work"
    : >"$out.done"
}

# ---- run them, printing results in file order as they come ----
total_passed=0 total_failed=0
unconvertible=()
next=0
print_ready() {
    local out
    while [ $next -lt ${#files[@]} ] && [ -e "$tmp/res/$next.done" ]; do
        out=$tmp/res/$next
        if [ -e "$out.unconvertible" ]; then
            unconvertible+=("${files[$next]##*/}")
        else
            local p f
            read -r p f <"$out.counts"
            total_passed=$((total_passed + p))
            total_failed=$((total_failed + f))
            cat "$out.line" "$out.show"
            [ $verbose -eq 1 ] && cat "$out.stderr"
        fi
        next=$((next + 1))
    done
}

for i in "${!files[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
        wait -n
        print_ready
    done
    # bash reports a child killed by a signal on stderr; the file's line says it better
    run_one "$i" "${files[$i]}" 2>"$tmp/res/$i.stderr" &
done
wait
print_ready

# ---- known failures ----
ran_names=" "
for rel in "${files[@]}"; do ran_names+="${rel##*/} "; done
cat "$tmp"/res/*.keys 2>/dev/null | LC_ALL=C sort -u >"$tmp/failures"
: >"$tmp/known_here"
: >"$tmp/known_elsewhere"
for entry in "${!known[@]}"; do
    # with a filter, entries of files not run are neither checked nor dropped
    if [ ${#filters[@]} -eq 0 ] || [[ $ran_names == *" ${entry%:*} "* ]]; then
        echo "$entry" >>"$tmp/known_here"
    else
        echo "$entry" >>"$tmp/known_elsewhere"
    fi
done
LC_ALL=C sort -u -o "$tmp/known_here" "$tmp/known_here"
LC_ALL=C comm -23 "$tmp/failures" "$tmp/known_here" >"$tmp/new"
LC_ALL=C comm -13 "$tmp/failures" "$tmp/known_here" >"$tmp/stale"
n_new=$(wc -l <"$tmp/new")
n_stale=$(wc -l <"$tmp/stale")
n_known_failed=$(LC_ALL=C comm -12 "$tmp/failures" "$tmp/known_here" | wc -l)

echo
if [ ${#unconvertible[@]} -gt 0 ]; then
    echo "not convertible by $wast2json (not counted): ${unconvertible[*]}"
fi
if [ "$simd_skipped" -gt 0 ]; then
    echo "skipped: $simd_skipped SIMD files (simd/, out of scope)"
fi
status=0
if [ $update -eq 1 ]; then
    {
        echo "# Spec-test failures allowed today, one per line: file.wast:LINE, or"
        echo "# file.wast:* for a file that cannot be run at all (crash, timeout,"
        echo "# conversion failure). run_spec.sh fails on a failure not listed here and"
        echo "# on a listed entry that passes, so this list only shrinks. Rewritten by"
        echo "# conformance/run_spec.sh --update-known-failures SPEC_RUNNER."
        cat "$tmp/failures" "$tmp/known_elsewhere" | LC_ALL=C sort -u | sort -t: -k1,1 -k2,2n
    } >"$tmp/known_new"
    cp "$tmp/known_new" "$known_file"
    echo "known failures: $(grep -vc '^#' "$known_file") entries written to $known_file"
else
    echo "known failures: ${#known[@]} listed, $n_known_failed of them failed in this run"
    if [ "$n_new" -gt 0 ]; then
        echo "$n_new NEW failure(s), not in conformance/known_failures.txt:"
        sort -t: -k1,1 -k2,2n "$tmp/new" | head -n 100 | sed 's/^/    /'
        [ "$n_new" -gt 100 ] && echo "    ... and $((n_new - 100)) more"
        status=1
    fi
    if [ "$n_stale" -gt 0 ]; then
        echo "$n_stale listed failure(s) now pass: fixed, remove them from known_failures.txt:"
        sort -t: -k1,1 -k2,2n "$tmp/stale" | head -n 100 | sed 's/^/    /'
        [ "$n_stale" -gt 100 ] && echo "    ... and $((n_stale - 100)) more"
        status=1
    fi
fi
echo "$total_passed passed, $total_failed failed"
exit $status
