# The shell's own limits (tools/guest/shell/README.md "Limits"): a run that
# would nest past them stops with an error result, never a trap.

### a fork bomb ends with an error [sandbox]
:(){ :|:& };:
--- stderr
shell: line 1: &: maximum nesting depth exceeded (400 levels of function calls, subshells, command substitutions, pipeline stages, eval and source): the run stops here
--- exit 2

### endless recursion ends with an error [sandbox]
f() { f; }; f
echo never
--- stderr
shell: line 1: f: maximum nesting depth exceeded (400 levels of function calls, subshells, command substitutions, pipeline stages, eval and source): the run stops here
--- exit 2

### recursion through command substitution [sandbox]
f() { echo $(f); }; f
--- stderr
shell: line 1: f: maximum nesting depth exceeded (400 levels of function calls, subshells, command substitutions, pipeline stages, eval and source): the run stops here
--- exit 2

### recursion through eval [sandbox]
f() { eval f; }; f
--- stderr
shell: line 1: f: maximum nesting depth exceeded (400 levels of function calls, subshells, command substitutions, pipeline stages, eval and source): the run stops here
--- exit 2

### nesting that is not a function call is counted too [sandbox]
f() { x=${y:-$(( $(f) ))}; }; f
--- stderr
shell: line 1: commands nested too deeply (more than 1000 levels of commands and expansions inside each other): the run stops here
--- exit 2

### recursion to a depth bash scripts use is fine
f() { if [ $1 -gt 0 ]; then f $(($1 - 1)); else echo bottom; fi; }
f 100
--- stdout
bottom

### deeply nested syntax is refused before running [sandbox]
echo before; echo $($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($($(echo x)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))
--- stderr
shell: -c: line 1: syntax nested too deeply (more than 150 levels)
--- exit 2
