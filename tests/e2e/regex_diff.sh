#!/usr/bin/env bash
# The regex engine against node's RegExp on deterministic random patterns and
# texts from the subset where their semantics coincide (lib/regex_diff.js says
# which). Two seeds, so both a fixed and a second sample of cases run.
set -u
build=$1
prog=$build/tests/tools/regex_match
[ -x "$prog" ] || { echo "FAIL regex_diff: $prog is missing (make e2e builds it)"; exit 1; }
command -v node >/dev/null || { echo "FAIL regex_diff: node is missing (.ci/install-deps installs nodejs)"; exit 1; }
fails=0
for seed in 20240517 777; do
  out=$(node tests/e2e/lib/regex_diff.js "$prog" 5000 "$seed" 2>&1) || {
    echo "FAIL regex_diff (seed $seed):"; echo "$out" | head -20; fails=$((fails + 1)); }
done
# The program's own error path: an invalid pattern gives an error line, not a crash.
got=$(printf -- '-\t(a\tx\t0\n-\t\\\\1\tx\t0\n' | "$prog")
want='error: unclosed group: expected )
error: backreferences (\1) are not supported: the engine runs in linear time'
[ "$got" = "$want" ] || { echo "FAIL regex_diff: errors gave [$got]"; fails=$((fails + 1)); }
[ "$fails" -eq 0 ] && echo "regex_diff: ok"
[ "$fails" -eq 0 ]
