# The e2e scripts' `expect`, sourced (this directory is not run by itself).
#
# expect NAME RC STDOUT STDERR-PREFIX -- COMMAND...
# runs COMMAND under both translations (WASMBOX_OPT=1, the translator with its
# optimisations, and WASMBOX_OPT=0, the reference translation) with stdin
# from /dev/null, and checks each time: the exit code is RC, stdout is
# STDOUT exactly, and stderr's first line starts with STDERR-PREFIX; an
# empty STDERR-PREFIX means stderr must be empty (a run that succeeds and
# still complains is a failure). On a mismatch it prints one line naming
# the script, the case and the translation, and sets fail=1.
#
# expect_line NAME RC STDOUT STDERR-LINE -- COMMAND...
# the same, but some line of stderr must be STDERR-LINE exactly (a trap's
# frame lines, which follow its message).
#
# The caller sets fail=0 and tmp (a scratch directory) before using it.
expect() {
    expect_both_ prefix "$@"
}
expect_line() {
    expect_both_ line "$@"
}
expect_both_() {
    local mode=$1
    shift
    local name=$1 want_rc=$2 want_out=$3 want_err=$4 script
    script=$(basename "$0" .sh)
    shift 5
    local opt
    for opt in 1 0; do
        WASMBOX_OPT=$opt "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
        local rc=$? out err
        out=$(cat "$tmp/out")
        err=$(head -n 1 "$tmp/err")
        local err_ok=1
        if [ -z "$want_err" ]; then
            [ -s "$tmp/err" ] && err_ok=0
        elif [ "$mode" = line ]; then
            grep -qxF -- "$want_err" "$tmp/err" || err_ok=0
        else
            [ "${err#"$want_err"}" = "$err" ] && err_ok=0
        fi
        if [ "$rc" != "$want_rc" ] || [ "$out" != "$want_out" ] || [ $err_ok = 0 ]; then
            echo "$script: $name (opt $opt): exit $rc (want $want_rc), out [$out] (want [$want_out]), err [$err] (want $([ -z "$want_err" ] && echo none || echo "$mode [$want_err]"))"
            fail=1
        fi
    done
}
