# Sourced by the e2e scripts: keeps copies of the audit logs a script wrote
# in $WB_AUDIT_KEEP, where tests/run_e2e.sh checks every record against
# policy/audit.schema.json at the end of `make e2e`. A script run on its own
# (no WB_AUDIT_KEEP) keeps nothing.

# keep_audit FILE...: keeps these logs; call it before a log is removed or
# written again.
keep_audit() {
  [ -n "${WB_AUDIT_KEEP:-}" ] || return 0
  local f
  for f in "$@"; do
    [ -s "$f" ] || continue
    cp "$f" "$(mktemp "$WB_AUDIT_KEEP/$(basename "$0" .sh).XXXXXX")" ||
      echo "keep_audit: cannot keep $f" >&2
  done
}

# keep_audit_logs DIR: keeps every audit log under DIR, meaning every file
# whose first bytes are those of an audit record ({"ts":"); for the EXIT trap.
keep_audit_logs() {
  [ -n "${WB_AUDIT_KEEP:-}" ] || return 0
  local f
  while IFS= read -r -d '' f; do
    cmp -s -n 7 "$f" <(printf '{"ts":"') && keep_audit "$f"
  done < <(find "$1" -type f -size +0 -print0 2>/dev/null)
  return 0
}
