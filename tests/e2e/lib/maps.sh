# Host-side views of mapped directories, sourced by the e2e scripts (this
# directory is not run by itself).

# leads_out MAP: the entries under MAP that the host's own realpath resolves
# outside MAP, one a line as "entry -> where". -m: a dangling link counts as
# where a host program writing through it would create its file.
leads_out() {
  local m; m=$(realpath "$1")
  find "$1" -mindepth 1 -print0 | while IFS= read -r -d '' e; do
    local r; r=$(realpath -m -- "$e")
    case "$r" in "$m" | "$m"/*) ;; *) echo "${e#"$1"/} -> $r" ;; esac
  done | LC_ALL=C sort
}
