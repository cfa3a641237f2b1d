# dircolors: the default database, shell syntax for LS_COLORS, errors.

### dircolors -p prints the default database
dircolors -p | head -3
dircolors -p | wc -l
dircolors -p | head -n 11 | tail -n 1
--- stdout
# Configuration file for dircolors, a utility to help you set the
# LS_COLORS environment variable used by GNU ls with the --color option.
# Copyright (C) 1996-2022 Free Software Foundation, Inc.
219
COLORTERM ?*

### dircolors entries apply when TERM matches
TERM=xterm dircolors -b | head -c 40; echo
TERM=dumb dircolors -b
TERM=xterm dircolors -c | head -c 30; echo
TERM=xterm SHELL=/bin/tcsh dircolors | head -c 16; echo
--- stdout
LS_COLORS='rs=0:di=01;34:ln=01;36:mh=00:
LS_COLORS='';
export LS_COLORS
setenv LS_COLORS 'rs=0:di=01;3
setenv LS_COLORS

### dircolors reads a database: globals, TERM groups, extensions, quotes
printf "DIR 01\nTERM xterm*\n.tar 01;31\n*~ 90\nLINK 0'1 # comment\n" > db
TERM=xterm dircolors -b db
TERM=vt100 dircolors -b db
TERM=xterm dircolors --print-ls-colors db | cat -A
--- stdout
LS_COLORS='di=01:*.tar=01;31:*~=90:ln=0'\''1:';
export LS_COLORS
LS_COLORS='di=01:';
export LS_COLORS
^[[01mdi^I01^[[0m$
^[[01;31m*.tar^I01;31^[[0m$
^[[90m*~^I90^[[0m$
^[[0'1mln^I0'1^[[0m$

### dircolors errors
printf 'TERM x*\nDIR 01\nBOGUS 1\nLINK\n' > bad
TERM=xterm dircolors -b bad; echo "status $?"
env -u SHELL dircolors; echo "status $?"
dircolors -p x; echo "status $?"
dircolors -b nofile; echo "status $?"
--- stdout
status 1
status 1
status 1
status 1
--- stderr
dircolors: bad:3: unrecognized keyword BOGUS
dircolors: bad:4: invalid line;  missing second token
dircolors: no SHELL environment variable, and no shell type option given
dircolors: extra operand 'x'
file operands cannot be combined with --print-database (-p)
Try 'dircolors --help' for more information.
dircolors: nofile: No such file or directory
