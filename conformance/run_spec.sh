#!/usr/bin/env bash
# Runs the official WebAssembly spec tests (../shared/spec-testsuite) against
# the engine, under the optimized and the reference translation: SPEC_RUNNER
# reads each .wast itself (wat/, the project's text-format reader), in a
# process of its own per translation, so that a crash or a hang costs that
# file, not the run. With --reader wast2json, each .wast is converted once by
# wabt's wast2json into a temporary directory instead, and the runner reads
# its JSON (the path used before wat/ existed; it cannot read seven files
# and runs no text module). See conformance/README.md.
#
#   run_spec.sh [options] SPEC_RUNNER [FILTER...]
#
# FILTER: file names to run (i32, memory_grow.wast, 'table_*'); default all.
# Options:
#   -v, --verbose               print every failure and the runner's notes
#   -j N                        files run at once (default: CPUs, at most 8)
#   --translation T             both (default), optimized or reference
#   --reader R                  wat (default: the runner reads the .wast) or
#                               wast2json (convert with wabt first)
#   --update-known-failures     rewrite the known-failures list from this run
#   --known-failures FILE       default: conformance/known_failures.txt
#                               (known_failures_wast2json.txt for wast2json)
#   --expected-counts FILE      default: conformance/expected_counts.txt
# Environment: SPEC_DIR (test suite folder), WAST2JSON (converter),
# SPEC_TIMEOUT (seconds per file and translation, default 120).
# The runner reads every module as WebAssembly 2.0 (WASMBOX_PROFILE=2.0):
# where 3.0 reads the same bytes otherwise (a memory index where 2.0 wants
# a zero byte), this suite wants 2.0's answer.
#
# Exit status: 0 when, under each translation run, every failure is listed in
# the known failures and every listed entry still fails; 1 otherwise; 2 on a
# usage or setup error.

set -u
export WASMBOX_PROFILE=2.0

# Failures printed per file unless --verbose.
MAX_SHOWN=50

script_dir=$(cd "$(dirname "$0")" && pwd)
known_file=''
expected_file=$script_dir/expected_counts.txt

usage() {
    sed -n '11,29p' "$0" | sed 's/^# \{0,1\}//'
}

update=0 verbose=0 jobs='' runner='' translation=both reader=wat
filters=()
while [ $# -gt 0 ]; do
    case $1 in
    --update-known-failures) update=1 ;;
    -v | --verbose) verbose=1 ;;
    -j | --translation | --known-failures | --expected-counts | --reader)
        [ $# -ge 2 ] || { usage >&2; exit 2; }
        case $1 in
        -j) jobs=$2 ;;
        --translation) translation=$2 ;;
        --reader) reader=$2 ;;
        --known-failures) known_file=$2 ;;
        --expected-counts) expected_file=$2 ;;
        esac
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
case $translation in
both) translations=(optimized reference) ;;
optimized | reference) translations=("$translation") ;;
*) echo "run_spec.sh: --translation wants both, optimized or reference, not '$translation'" >&2; exit 2 ;;
esac
# The runner picks its translation from WASMBOX_OPT (set for each run, so
# that one inherited from the caller changes nothing).
opt_value() { if [ "$1" = reference ]; then echo 0; else echo 1; fi; }
translation_title() {
    if [ "$1" = reference ]; then echo "reference translation (WASMBOX_OPT=0)"; else echo "optimized translation"; fi
}
if [ -z "$jobs" ]; then
    jobs=$(nproc 2>/dev/null || echo 1)
    [ "$jobs" -gt 8 ] && jobs=8
fi
case $jobs in '' | *[!0-9]* | 0) echo "run_spec.sh: -j wants a positive number" >&2; exit 2 ;; esac
timeout_s=${SPEC_TIMEOUT:-120}
wast2json=${WAST2JSON:-wast2json}
case $reader in
wat) [ -n "$known_file" ] || known_file=$script_dir/known_failures.txt ;;
wast2json) [ -n "$known_file" ] || known_file=$script_dir/known_failures_wast2json.txt ;;
*) echo "run_spec.sh: --reader wants wat or wast2json, not '$reader'" >&2; exit 2 ;;
esac
if [ "$reader" = wast2json ] && ! command -v "$wast2json" >/dev/null 2>&1; then
    echo "run_spec.sh: $wast2json not found (Debian package wabt)" >&2
    exit 2
fi

# The suite lives next to the repository (conformance/suite_dir.sh says where).
spec_dir=$("$script_dir/suite_dir.sh" spec-testsuite) || spec_dir=$script_dir/../../shared/spec-testsuite
if [ ! -d "$spec_dir" ]; then
    echo "run_spec.sh: no spec test suite at $spec_dir (set SPEC_DIR)" >&2
    exit 2
fi
spec_dir=$(cd "$spec_dir" && pwd)

# ---- the known-failures list: file.wast:LINE or file.wast:*, each maybe
# with a "# why" that --update-known-failures keeps ----
declare -A known=() known_note=()
if [ -f "$known_file" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
        entry=${line%%#*}
        entry=${entry//[[:space:]]/}
        [ -n "$entry" ] || continue
        known[$entry]=1
        [[ $line == *'#'* ]] && known_note[$entry]=${line#*#}
    done <"$known_file"
fi

# ---- the expected counts: FILE REFERENCE TEXT COUNTED, or FILE
# not-convertible [REFERENCE]. With wast2json the runner must count COUNTED
# and leave TEXT not run; reading the .wast itself, it must count REFERENCE
# and leave nothing out. ----
declare -A want_counted=() want_text=() not_convertible=() want_reference=()
if [ ! -f "$expected_file" ]; then
    echo "run_spec.sh: no expected counts at $expected_file (conformance/derive_counts.sh writes them)" >&2
    exit 2
fi
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    line=${line%%#*}
    read -r f a b c extra <<<"$line"
    [ -n "${f:-}" ] || continue
    if [ -n "${want_counted[$f]:-}${not_convertible[$f]:-}" ]; then
        echo "run_spec.sh: $expected_file:$lineno: $f is listed twice" >&2
        exit 2
    elif [ "$a" = not-convertible ] && [ -z "$c" ] && [[ ${b:-} =~ ^[0-9]*$ ]]; then
        not_convertible[$f]=1
        [ -n "$b" ] && want_reference[$f]=$((10#$b))
    elif [[ "$a $b $c" =~ ^[0-9]+\ [0-9]+\ [0-9]+$ ]] && [ -z "$extra" ] &&
        [ $((10#$a - 10#$b)) -eq $((10#$c)) ]; then
        want_counted[$f]=$((10#$c))
        want_text[$f]=$((10#$b))
        want_reference[$f]=$((10#$a))
    else
        echo "run_spec.sh: $expected_file:$lineno: want 'FILE REFERENCE TEXT COUNTED' with" \
            "COUNTED = REFERENCE - TEXT, or 'FILE not-convertible [REFERENCE]'" >&2
        exit 2
    fi
done <"$expected_file"

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

# ---- one file under one translation ----
# Writes $tmp/res/IDX.T.{counts,keys,line,show}. counts: "PASSED FAILED
# TEXT_NOT_RUN"; keys: one file.wast:LINE (or file.wast:*, file.wast:count)
# per failure; line: the file's result line; show: what to print under it.

# Adds a failure of the whole file (KEY: file.wast:* or file.wast:count).
add_file_failure() { # $1: result prefix, $2: key, $3: why
    echo "$2" >>"$1.keys"
    if [ $verbose -eq 1 ] || [ -z "${known[$2]:-}" ]; then
        echo "$2: $3" >>"$1.show"
    fi
}

run_translation() { # $1: index, $2: file name, $3: JSON, $4: translation
    local idx=$1 name=$2 json=$3 t=$4
    local out=$tmp/res/$idx.$t run=$tmp/work/$idx/$t
    : >"$out.keys"
    : >"$out.show"
    local flags=()
    [ $verbose -eq 1 ] && flags=(-v)
    local rc=0
    WASMBOX_OPT=$(opt_value "$t") timeout -k 5 "$timeout_s" "$runner" "${flags[@]}" "$json" \
        >"$run.out" 2>"$run.err" || rc=$?

    # A finished run ends with "NAME: P passed, F failed, T not run (text
    # modules)", and exits 0 when F is 0 and 2 when not; anything else
    # (signal, timeout, sanitizer exit) is a crash of the whole file.
    local last passed='' failed='' text=''
    last=$(tail -n 1 "$run.out")
    if [[ $last =~ ^(.*):\ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ not\ run\ \(text\ modules\)$ ]] &&
        [ "${BASH_REMATCH[1]}" = "$name" ]; then
        passed=${BASH_REMATCH[2]}
        failed=${BASH_REMATCH[3]}
        text=${BASH_REMATCH[4]}
    fi
    if [ -z "$passed" ] || ! { { [ $rc -eq 0 ] && [ "$failed" -eq 0 ]; } ||
        { [ $rc -eq 2 ] && [ "$failed" -gt 0 ]; }; }; then
        local total what
        total=$(WASMBOX_OPT=$(opt_value "$t") "$runner" --count "$json" 2>/dev/null) || total=
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
        echo "0 $total 0" >"$out.counts"
        echo "$name:*" >"$out.keys"
        echo "$name: $what; all $total commands counted as failed" >"$out.line"
        if [ $verbose -eq 1 ] || [ -z "${known[$name:*]:-}" ]; then
            grep -v '^note: ' "$run.out" | tail -n 10 | sed 's/^/    /' >>"$out.show"
            tail -n 30 "$run.err" | sed 's/^/    /' >>"$out.show"
        fi
        return
    fi

    # failure lines are "NAME:LINE: reason"
    awk -v p="$name:" 'index($0, p) == 1 && substr($0, length(p) + 1) ~ /^[0-9]+: / { print }' \
        "$run.out" >"$run.failures"
    sed 's/^\([^:]*:[0-9]*\): .*/\1/' "$run.failures" >"$out.keys"
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
    done <"$run.failures"
    [ $hidden -gt 0 ] && echo "... and $hidden more new failures of $name (-v shows all)" >>"$out.show"
    [ $verbose -eq 1 ] && grep '^note: ' "$run.out" >>"$out.show"

    # The counts themselves: a file that tests nothing does not pass, and one
    # that counts other than the suite says has lost or gained a command.
    local counted=$((passed + failed))
    if [ $counted -eq 0 ]; then
        add_file_failure "$out" "$name:*" \
            "no command counted ($text on text modules not run): a file that tests nothing does not pass"
        failed=$((failed + 1))
    elif [ "$reader" = wat ]; then
        if [ -z "${want_reference[$name]:-}" ]; then
            add_file_failure "$out" "$name:count" \
                "${expected_file##*/} has no REFERENCE count for it: add one (conformance/derive_counts.sh)"
            failed=$((failed + 1))
        elif [ $counted -ne "${want_reference[$name]}" ] || [ "$text" -ne 0 ]; then
            add_file_failure "$out" "$name:count" \
                "counted $counted commands and $text not run, ${expected_file##*/} says ${want_reference[$name]} and 0: a command was dropped or added"
            failed=$((failed + 1))
        fi
    elif [ -n "${not_convertible[$name]:-}" ]; then
        add_file_failure "$out" "$name:count" \
            "converts now, but ${expected_file##*/} calls it not-convertible: give it its counts (conformance/derive_counts.sh)"
        failed=$((failed + 1))
    elif [ -z "${want_counted[$name]:-}" ]; then
        add_file_failure "$out" "$name:count" \
            "${expected_file##*/} has no line for it: add one (conformance/derive_counts.sh)"
        failed=$((failed + 1))
    elif [ $counted -ne "${want_counted[$name]}" ] || [ "$text" -ne "${want_text[$name]}" ]; then
        add_file_failure "$out" "$name:count" \
            "counted $counted commands and $text not run (text modules), ${expected_file##*/} says ${want_counted[$name]} and ${want_text[$name]}: a command was dropped or added"
        failed=$((failed + 1))
    fi
    echo "$passed $failed $text" >"$out.counts"
    local not_run=''
    [ "$text" -gt 0 ] && not_run=", $text not run (text modules)"
    echo "$name: $passed passed, $failed failed$not_run" >"$out.line"
}

# ---- one file: convert it once, run it under each translation ----
run_one() { # $1: index, $2: path relative to the suite
    local idx=$1 rel=$2
    local name=${rel##*/}
    local base=${name%.wast}
    local work=$tmp/work/$idx t
    mkdir -p "$work"
    for t in "${translations[@]}"; do mkdir -p "$work/$t"; done

    local rc=0
    if [ "$reader" = wat ]; then
        # the runner reads the .wast itself (wat/wast.h)
        for t in "${translations[@]}"; do
            run_translation "$idx" "$name" "$spec_dir/$rel" "$t"
        done
        rm -rf "$work"
        : >"$tmp/res/$idx.done"
        return
    fi
    timeout -k 5 "$timeout_s" "$wast2json" "$spec_dir/$rel" -o "$work/$base.json" \
        >"$work/convert.log" 2>&1 || rc=$?
    if [ $rc -ne 0 ] && [ -n "${not_convertible[$name]:-}" ]; then
        : >"$tmp/res/$idx.unconvertible"
    elif [ $rc -ne 0 ]; then
        for t in "${translations[@]}"; do
            local out=$tmp/res/$idx.$t
            echo "0 1 0" >"$out.counts"
            echo "$name:*" >"$out.keys"
            echo "$name: wast2json failed (exit $rc), counted as 1 failure" >"$out.line"
            tail -n 5 "$work/convert.log" | sed 's/^/    /' >"$out.show"
        done
    else
        for t in "${translations[@]}"; do
            run_translation "$idx" "$name" "$work/$base.json" "$t"
        done
    fi
    rm -rf "$work"
    : >"$tmp/res/$idx.done"
}

# ---- run them, printing results in file order as they come ----
declare -A total_passed=() total_failed=()
for t in "${translations[@]}"; do total_passed[$t]=0 total_failed[$t]=0; done
total_text=0
unconvertible=()
next=0
print_ready() {
    local res t first=${translations[0]}
    while [ $next -lt ${#files[@]} ] && [ -e "$tmp/res/$next.done" ]; do
        res=$tmp/res/$next
        if [ -e "$res.unconvertible" ]; then
            unconvertible+=("${files[$next]##*/}")
        else
            local p f x
            for t in "${translations[@]}"; do
                read -r p f x <"$res.$t.counts"
                total_passed[$t]=$((total_passed[$t] + p))
                total_failed[$t]=$((total_failed[$t] + f))
                [ "$t" = "$first" ] && total_text=$((total_text + x))
            done
            # one line when the translations agree; one each, tagged, when not
            if [ ${#translations[@]} -eq 1 ] || cmp -s "$res.optimized.line" "$res.reference.line"; then
                cat "$res.$first.line"
            else
                for t in "${translations[@]}"; do echo "$(cat "$res.$t.line") [$t]"; done
            fi
            cat "$res.$first.show"
            for t in "${translations[@]:1}"; do
                grep -vxF -f "$res.$first.show" "$res.$t.show" | sed "s/^/[$t] /"
            done
            [ $verbose -eq 1 ] && cat "$res.stderr"
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

# ---- known failures, held to each translation ----
ran_names=" "
for rel in "${files[@]}"; do ran_names+="${rel##*/} "; done
for t in "${translations[@]}"; do
    cat "$tmp"/res/*."$t".keys 2>/dev/null | LC_ALL=C sort -u >"$tmp/failures.$t"
done
# failed under any translation / under every translation
LC_ALL=C sort -u "$tmp"/failures.* >"$tmp/failed_any"
cp "$tmp/failures.${translations[0]}" "$tmp/failed_all"
for t in "${translations[@]:1}"; do
    LC_ALL=C comm -12 "$tmp/failed_all" "$tmp/failures.$t" >"$tmp/both" && mv "$tmp/both" "$tmp/failed_all"
done
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
LC_ALL=C comm -23 "$tmp/failed_any" "$tmp/known_here" >"$tmp/new"
LC_ALL=C comm -13 "$tmp/failed_all" "$tmp/known_here" >"$tmp/stale"
n_new=$(wc -l <"$tmp/new")
n_stale=$(wc -l <"$tmp/stale")
n_known_failed=$(LC_ALL=C comm -12 "$tmp/failed_any" "$tmp/known_here" | wc -l)
n_split=$(LC_ALL=C comm -23 "$tmp/failed_any" "$tmp/failed_all" | wc -l)

# Prints up to 100 keys of a list, each tagged with the translations it
# failed under when that is not all of them.
print_keys() { # $1: file of keys
    local key t under
    sort -t: -k1,1 -k2,2n "$1" | head -n 100 | while IFS= read -r key; do
        under=''
        if [ ${#translations[@]} -gt 1 ] && ! grep -qxF "$key" "$tmp/failed_all"; then
            for t in "${translations[@]}"; do
                grep -qxF "$key" "$tmp/failures.$t" && under+=" $t"
            done
        fi
        echo "    $key${under:+ (fails under the$under translation only)}"
    done
    local n
    n=$(wc -l <"$1")
    [ "$n" -gt 100 ] && echo "    ... and $((n - 100)) more"
}

echo
if [ ${#unconvertible[@]} -gt 0 ]; then
    echo "not convertible by $wast2json (not run): ${unconvertible[*]}"
fi
if [ "$total_text" -gt 0 ]; then
    echo "not run: $total_text assert_malformed commands on text-format modules (the engine reads binary modules)"
fi
if [ "$simd_skipped" -gt 0 ]; then
    echo "skipped: $simd_skipped SIMD files (simd/, out of scope)"
fi
status=0
if [ ${#filters[@]} -eq 0 ]; then
    for f in "${!want_counted[@]}" "${!not_convertible[@]}"; do
        if [[ $ran_names != *" $f "* ]]; then
            echo "${expected_file##*/} lists $f, which is not in $spec_dir: remove its line"
            status=1
        fi
    done
fi
if [ $update -eq 1 ]; then
    {
        echo "# Spec-test failures allowed today, one per line: file.wast:LINE, or"
        echo "# file.wast:* for a file that cannot be run at all (crash, timeout,"
        echo "# conversion failure, nothing counted), or file.wast:count for a count"
        echo "# other than expected_counts.txt says; \"# why\" after an entry is kept."
        echo "# run_spec.sh fails on a failure not listed here and on a listed entry that"
        echo "# passes under a translation, so this list only shrinks. Rewritten by"
        echo "# conformance/run_spec.sh --update-known-failures SPEC_RUNNER."
        cat "$tmp/failed_any" "$tmp/known_elsewhere" | LC_ALL=C sort -u | sort -t: -k1,1 -k2,2n |
            while IFS= read -r entry; do
                if [ -n "${known_note[$entry]:-}" ]; then
                    printf '%s  #%s\n' "$entry" "${known_note[$entry]}"
                else
                    printf '%s\n' "$entry"
                fi
            done
    } >"$tmp/known_new"
    cp "$tmp/known_new" "$known_file"
    echo "known failures: $(grep -vc '^#' "$known_file") entries written to $known_file"
    if [ "$n_split" -gt 0 ]; then
        echo "of them, $n_split fail under one translation only; run_spec.sh fails until the translations agree:"
        LC_ALL=C comm -23 "$tmp/failed_any" "$tmp/failed_all" >"$tmp/split"
        print_keys "$tmp/split"
    fi
else
    echo "known failures: ${#known[@]} listed, $n_known_failed of them failed in this run"
    if [ "$n_new" -gt 0 ]; then
        echo "$n_new NEW failure(s), not in ${known_file##*/}:"
        print_keys "$tmp/new"
        status=1
    fi
    if [ "$n_stale" -gt 0 ]; then
        echo "$n_stale listed failure(s) now pass: fixed, remove them from ${known_file##*/}:"
        print_keys "$tmp/stale"
        status=1
    fi
fi
for t in "${translations[@]}"; do
    echo "$(translation_title "$t"): ${total_passed[$t]} passed, ${total_failed[$t]} failed"
done
exit $status
