# curl: option errors and what needs no network (tests/e2e/shell_curl.sh
# runs the transfers against a loopback server). The policy's refusal is
# tagged sandbox (bash's curl would connect) and wasm (the host build has
# no network at all).

### no URL
curl; echo $?
curl -s
--- stdout
2
--- stderr
curl: try 'curl --help' or 'curl --manual' for more information
curl: no URL specified!
curl: try 'curl --help' or 'curl --manual' for more information
--- exit 2

### unknown options, short and long
curl -9 http://127.0.0.1:1/; echo $?
curl --frobnicate http://127.0.0.1:1/; echo $?
curl --output=x http://127.0.0.1:1/; echo $?
--- stdout
2
2
2
--- stderr
curl: option -9: is unknown
curl: try 'curl --help' or 'curl --manual' for more information
curl: option --frobnicate: is unknown
curl: try 'curl --help' or 'curl --manual' for more information
curl: option --output=x: is unknown
curl: try 'curl --help' or 'curl --manual' for more information

### a missing parameter names the whole word
curl -o; echo $?
curl -sSo; echo $?
curl http://127.0.0.1:1/ -w
--- stdout
2
2
--- stderr
curl: option -o: requires parameter
curl: try 'curl --help' or 'curl --manual' for more information
curl: option -sSo: requires parameter
curl: try 'curl --help' or 'curl --manual' for more information
curl: option -w: requires parameter
curl: try 'curl --help' or 'curl --manual' for more information
--- exit 2

### numbers that are not
curl -m abc http://127.0.0.1:1/; echo $?
curl --max-time -1 http://127.0.0.1:1/; echo $?
curl --max-redirs x http://127.0.0.1:1/
--- stdout
2
2
--- stderr
curl: option -m: expected a proper numerical parameter
curl: try 'curl --help' or 'curl --manual' for more information
curl: option --max-time: expected a positive numerical parameter
curl: try 'curl --help' or 'curl --manual' for more information
curl: option --max-redirs: expected a proper numerical parameter
curl: try 'curl --help' or 'curl --manual' for more information
--- exit 2

### an ambiguous abbreviation
curl --s http://127.0.0.1:1/
--- stderr
curl: option --s: is ambiguous
curl: try 'curl --help' or 'curl --manual' for more information
--- exit 2

### a protocol other than HTTP
curl -sS gopher2://x/ ; echo $?
curl -s gopher2://x/ ; echo $?
--- stdout
1
1
--- stderr
curl: (1) Protocol "gopher2" not supported or disabled in libcurl

### -T with a file that is not there
curl -T nofile http://127.0.0.1:1/
--- stderr
curl: Can't open 'nofile'!
curl: try 'curl --help' or 'curl --manual' for more information
curl: (26) Failed to open/read local data from file/application
--- exit 26

### options the sandbox's curl refuses [sandbox]
curl -F a=b http://127.0.0.1:1/; echo $?
curl --proxy http://p:3128 http://127.0.0.1:1/
--- stdout
2
--- stderr
curl: option -F: is not available in the sandbox's curl
curl: try 'curl --help' or 'curl --manual' for more information
curl: option --proxy: is not available in the sandbox's curl
curl: try 'curl --help' or 'curl --manual' for more information
--- exit 2

### a host outside the policy [sandbox wasm]
curl http://example.com/data.json; echo $?
curl -s https://example.org/ -w '%{http_code} %{exitcode}\n'
--- stdout
7
000 7
--- stderr
curl: (7) Failed to connect to example.com port 80: refused by the sandbox's policy: http://example.com is not in allowed_outbound_hosts, which is empty (add 'http://example.com' to allowed_outbound_hosts, or pass --allow-host http://example.com)
--- exit 7

### the host build has no network [sandbox]
curl -sS http://example.com/ 2>&1 | cut -c1-60
--- stdout
curl: (7) Failed to connect to example.com port 80: refused 
