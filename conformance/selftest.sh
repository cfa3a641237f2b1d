#!/usr/bin/env bash
# Tests run_spec.sh and spec_runner themselves on the small suite in
# conformance/selftest/: each fixture must pass or fail the way its comment
# says (a wrong count, nothing counted, the other rejection kind, a text that
# is not a prefix of the engine's, a file that does or does not convert as
# expected_counts.txt says), and the known-failures list must be applied and
# rewritten as conformance/README.md describes, along both paths: the
# runner reading wast2json's JSON (1-4) and reading the .wast itself (5).
# Run by `make conformance`.
#
#   conformance/selftest.sh SPEC_RUNNER
set -u
if [ $# -ne 1 ]; then
    echo "usage: selftest.sh SPEC_RUNNER" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
runner=$1
fixtures=$here/selftest
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wasmbox-spec-selftest.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

failures=0
fail() {
    echo "conformance selftest: FAIL: $*"
    failures=$((failures + 1))
}

# run_spec.sh on the fixtures; $1: known-failures file, $2: expected counts,
# the rest: more options. Output in $tmp/out, exit status in $rc. READER:
# the --reader (wast2json for 1-4).
READER=wast2json
run() {
    local known=$1 expected=$2
    shift 2
    rc=0
    SPEC_DIR=$fixtures "$here/run_spec.sh" -j 2 --reader "$READER" --known-failures "$known" \
        --expected-counts "$expected" "$@" "$runner" >"$tmp/out" 2>&1 || rc=$?
}
has_line() { # $1: exact line the output must hold, $2: what it shows
    grep -qxF -- "$1" "$tmp/out" || fail "$2: no line [$1]"
}

# What must fail, and how (by hand from the fixtures' comments).
LC_ALL=C sort >"$tmp/want_failures" <<'EOF'
badsyntax.wast:*
converts.wast:count
count.wast:count
kinds.wast:2
kinds.wast:4
texts.wast:4
texts.wast:5
texts.wast:7
unlisted.wast:count
zero.wast:*
EOF

# 1. Nothing known: exactly those are new failures, the rest passes, and a
# line of the expected counts that names no file is an error of its own.
: >"$tmp/known_none"
{ cat "$fixtures/expected_counts.txt"; echo "missing.wast 1 0 1"; } >"$tmp/expected_missing"
run "$tmp/known_none" "$tmp/expected_missing"
[ $rc -eq 1 ] || fail "new failures: exit $rc, want 1"
sed -n '/NEW failure(s)/,/^[^ ]/p' "$tmp/out" | sed -n 's/^    //p' | LC_ALL=C sort >"$tmp/got_failures"
diff -u "$tmp/want_failures" "$tmp/got_failures" >"$tmp/diff" || fail "new failures differ: $(cat "$tmp/diff")"
has_line "good.wast: 6 passed, 0 failed, 1 not run (text modules)" "the control file"
has_line "kinds.wast: 0 passed, 2 failed" "the other kind"
has_line "texts.wast: 1 passed, 3 failed" "texts not a prefix"
has_line "zero.wast: 0 passed, 1 failed, 1 not run (text modules)" "nothing counted"
has_line "not convertible by wast2json (not run): unconvertible.wast" "not-convertible"
has_line "not run: 2 assert_malformed commands on text-format modules (the engine reads binary modules)" \
    "text modules"
grep -q "lists missing.wast, which is not in" "$tmp/out" || fail "a line for a missing file is not reported"
has_line "optimized translation: 11 passed, 10 failed" "optimized totals"
has_line "reference translation (WASMBOX_OPT=0): 11 passed, 10 failed" "reference totals"
[ $failures -eq 0 ] || cat "$tmp/out"

# 2. All of them known: the run passes.
cp "$tmp/want_failures" "$tmp/known_all"
run "$tmp/known_all" "$fixtures/expected_counts.txt"
[ $rc -eq 0 ] || { fail "all known: exit $rc, want 0"; cat "$tmp/out"; }
has_line "known failures: 10 listed, 10 of them failed in this run" "all known"

# 3. A listed entry that passes fails the run, under one translation alone too.
{ cat "$tmp/want_failures"; echo "good.wast:5"; } >"$tmp/known_stale"
for t in both reference; do
    run "$tmp/known_stale" "$fixtures/expected_counts.txt" --translation "$t"
    [ $rc -eq 1 ] || fail "stale entry ($t): exit $rc, want 1"
    has_line "1 listed failure(s) now pass: fixed, remove them from known_stale:" "stale entry ($t)"
    has_line "    good.wast:5" "stale entry ($t)"
done

# 4. Rewriting the list keeps the reasons of the entries that stay and drops
# the ones that pass.
{
    echo "# old header"
    echo "zero.wast:*  # nothing to run"
    echo "good.wast:5"
} >"$tmp/known_update"
run "$tmp/known_update" "$fixtures/expected_counts.txt" --update-known-failures
[ $rc -eq 0 ] || fail "update: exit $rc, want 0"
grep -v '^#' "$tmp/known_update" | LC_ALL=C sort >"$tmp/updated"
{ sed 's/^zero\.wast:\*$/zero.wast:*  # nothing to run/' "$tmp/want_failures"; } >"$tmp/want_updated"
diff -u "$tmp/want_updated" "$tmp/updated" >"$tmp/diff" || fail "update wrote: $(cat "$tmp/diff")"

# 5. The runner reading the .wast itself (the default reader): text modules
# run (a refused text passes assert_malformed, so zero.wast counts its one
# command), a text module the reader refuses elsewhere fails at its line,
# counts are held to REFERENCE, and a not-convertible line without a
# REFERENCE is a count failure.
READER=wat
LC_ALL=C sort >"$tmp/want_wat" <<'EOF2'
badsyntax.wast:2
converts.wast:count
count.wast:count
kinds.wast:2
kinds.wast:4
texts.wast:4
texts.wast:5
texts.wast:7
unconvertible.wast:2
unconvertible.wast:count
unlisted.wast:count
EOF2
run "$tmp/known_none" "$fixtures/expected_counts.txt"
[ $rc -eq 1 ] || fail "wat reader: exit $rc, want 1"
sed -n '/NEW failure(s)/,/^[^ ]/p' "$tmp/out" | sed -n 's/^    //p' | LC_ALL=C sort >"$tmp/got_wat"
diff -u "$tmp/want_wat" "$tmp/got_wat" >"$tmp/diff" || fail "wat reader: failures differ: $(cat "$tmp/diff")"
has_line "good.wast: 7 passed, 0 failed" "wat reader: the control file, its text module run"
has_line "zero.wast: 1 passed, 0 failed" "wat reader: a refused text module passes assert_malformed"
has_line "badsyntax.wast:2: module: text module not read: 2:16: unknown operator 'no'" \
    "wat reader: the reader's error, with line and column"
has_line "optimized translation: 13 passed, 11 failed" "wat reader: optimized totals"
cp "$tmp/want_wat" "$tmp/known_wat"
run "$tmp/known_wat" "$fixtures/expected_counts.txt"
[ $rc -eq 0 ] || { fail "wat reader, all known: exit $rc, want 0"; cat "$tmp/out"; }

if [ $failures -gt 0 ]; then
    echo "conformance selftest: $failures check(s) failed"
    exit 1
fi
echo "conformance selftest: ok (counts, kinds, texts, conversion, known failures, both readers)"
