# Syntax errors: bash's messages, status 2, nothing of the line runs.

### an unexpected keyword
echo before
if true; then echo x; fi; fi
echo never
--- stdout
before
--- stderr
shell: -c: line 2: syntax error near unexpected token `fi'
shell: -c: line 2: `if true; then echo x; fi; fi'
--- exit 2

### unterminated quotes
echo "unterminated
--- stderr
shell: -c: line 1: unexpected EOF while looking for matching `"'
--- exit 2

### unterminated single quote
echo 'x
--- stderr
shell: -c: line 1: unexpected EOF while looking for matching `''
--- exit 2

### unterminated command substitution
echo $(echo
--- stderr
shell: -c: line 2: unexpected EOF while looking for matching `)'
--- exit 2

### a missing word after for
for x in; do echo; done; for
--- stderr
shell: -c: line 1: syntax error near unexpected token `newline'
shell: -c: line 1: `for x in; do echo; done; for'
--- exit 2

### an unclosed subshell
(echo a
--- stderr
shell: -c: line 2: syntax error: unexpected end of file
--- exit 2

### a stray parenthesis
echo a )
--- stderr
shell: -c: line 1: syntax error near unexpected token `)'
shell: -c: line 1: `echo a )'
--- exit 2

### a function body must be compound
f() echo
--- stderr
shell: -c: line 1: syntax error near unexpected token `echo'
shell: -c: line 1: `f() echo'
--- exit 2

### a second esac
case x in a) echo;; esac esac
--- stderr
shell: -c: line 1: syntax error near unexpected token `esac'
shell: -c: line 1: `case x in a) echo;; esac esac'
--- exit 2

### an unclosed ${
echo ${x
--- stderr
shell: -c: line 1: unexpected EOF while looking for matching `}'
--- exit 2

### unfinished lists
echo a &&
--- stderr
shell: -c: line 2: syntax error: unexpected end of file
--- exit 2

### a pipe with nothing before it
| echo
--- stderr
shell: -c: line 1: syntax error near unexpected token `|'
shell: -c: line 1: `| echo'
--- exit 2

### an empty command between semicolons
echo a; ;
--- stderr
shell: -c: line 1: syntax error near unexpected token `;'
shell: -c: line 1: `echo a; ;'
--- exit 2

### an empty condition
if; then fi
--- stderr
shell: -c: line 1: syntax error near unexpected token `;'
shell: -c: line 1: `if; then fi'
--- exit 2

### a here-document without its end is a warning
cat <<EOF
--- stderr
shell: line 1: warning: here-document at line 1 delimited by end-of-file (wanted `EOF')

### a syntax error in eval fails eval only
eval 'if'; echo "after $?"
--- stdout
after 2
--- stderr
shell: eval: line 2: syntax error: unexpected end of file
