# wget: usage errors (tests/e2e/shell_curl.sh runs the transfers against a
# loopback server).

### no URL
wget; echo $?
wget -q
--- stdout
1
--- stderr
wget: missing URL
Usage: wget [OPTION]... [URL]...
<empty>
Try `wget --help' for more options.
wget: missing URL
Usage: wget [OPTION]... [URL]...
<empty>
Try `wget --help' for more options.
--- exit 1

### an unknown option [stderr]
wget -Z http://127.0.0.1:1/
--- stderr
wget: invalid option -- 'Z'
Try 'wget --help' for more information.
--- exit 2

### a host outside the policy [sandbox wasm]
wget -q http://example.com/; echo $?
wget -O out.html http://example.com/ 2>&1 | tail -1
ls out.html
--- stdout
4
Connecting to example.com:80... failed: refused by the sandbox's policy: wasmbox: refused outbound connection to http://example.com: not in allowed_outbound_hosts, which is empty (add 'http://example.com' to allowed_outbound_hosts, or pass --allow-host http://example.com)
out.html
