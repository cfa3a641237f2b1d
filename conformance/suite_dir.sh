#!/usr/bin/env bash
# Prints the folder of a spec test suite kept beside the repository, or
# nothing (exit 1) when there is none. One place for every script that needs
# a suite (the runners, the text-format tests, the bench), so a clean clone
# in a temporary folder (.ci/run) finds the same suites as the checkout.
# usage: suite_dir.sh spec-testsuite | spec-testsuite-3.0
# Looked up in order:
#   SPEC_DIR (2.0) or SPEC3_DIR (3.0) when set;
#   the sibling of SPEC_DIR/SPEC3_DIR (both suites live in one shared folder);
#   <worktree>/../shared/NAME, <main checkout>/../shared/NAME (the parent of
#   the common .git, for git worktrees), <this script>/../../shared/NAME.
set -u
name=${1:?usage: suite_dir.sh spec-testsuite|spec-testsuite-3.0}
case $name in
  spec-testsuite) own=${SPEC_DIR:-} other=${SPEC3_DIR:-} ;;
  spec-testsuite-3.0) own=${SPEC3_DIR:-} other=${SPEC_DIR:-} ;;
  *) echo "suite_dir.sh: unknown suite $name" >&2; exit 2 ;;
esac
if [ -n "$own" ]; then
  [ -d "$own" ] && { (cd "$own" && pwd); exit 0; }
  echo "suite_dir.sh: $name: $own is not a folder" >&2; exit 1
fi
here=$(cd "$(dirname "$0")" && pwd)
candidates=()
[ -n "$other" ] && candidates+=("$(dirname "$other")/$name")
top=$(git -C "$here" rev-parse --show-toplevel 2>/dev/null) && candidates+=("$top/../shared/$name")
common=$(git -C "$here" rev-parse --path-format=absolute --git-common-dir 2>/dev/null) &&
  candidates+=("$(dirname "$common")/../shared/$name")
candidates+=("$here/../../shared/$name")
for d in "${candidates[@]}"; do
  [ -d "$d" ] && { (cd "$d" && pwd); exit 0; }
done
exit 1
