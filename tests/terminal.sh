#!/usr/bin/env bash
# Nothing a file, a file name or an argument holds reaches the terminal raw
# (docs/errors.md, "Reading a diagnostic"): every control character (C0,
# DEL, C1 such as the 8-bit CSI U+009B) and every bidirectional control
# (U+202A-202E, U+2066-2069, U+200E/F, U+061C) and line separator
# (U+2028/9) is shown as <U+XXXX>, a byte that is not UTF-8 as <0xNN>.
# Each run's standard output and standard error must be valid UTF-8 with
# none of those characters (tab and newline aside), and the escapes must be
# where the user can read them.
set -u
: "${GVL:?set GVL to the graphviz-lab program}" "${SRCDIR:?set SRCDIR to the source tree}"
cd "$SRCDIR" || exit 1
export LC_ALL=C
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# safe FILE WHAT: FILE is valid UTF-8 and holds no character a terminal obeys
safe() {
    if ! iconv -f UTF-8 -t UTF-8 "$1" > /dev/null 2>&1; then
        bad "$2: the output is not valid UTF-8"
    elif grep -aqP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]' "$1"; then
        bad "$2: a control or bidi character reached the terminal:"; grep -naP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]' "$1" | od -c | head -5
    else ok; fi
}
# has FILE TEXT: FILE holds the line TEXT
has() {
    if grep -qxF -- "$2" "$1"; then ok; else bad "$1 lacks the line '$2':"; cat "$1"; fi
}
run() {   # run NAME ARGS...: both streams of one run into $tmp/NAME
    local name=$1
    shift
    "$GVL" "$@" > "$tmp/$name" 2>&1
}

# files whose bytes would drive the terminal
for f in graphs/errors/trojan_source.graph graphs/errors/binary_garbage.graph; do
    for cmd in check dims "check --format md"; do
        # shellcheck disable=SC2086
        run out $cmd "$f"
        safe "$tmp/out" "$cmd $f"
    done
done
run out check graphs/errors/trojan_source.graph
has "$tmp/out" "    9 | y = x + 1     # <U+2066> } y = y * 0 # <U+2069>"
has "$tmp/out" "   10 | z = x <U+009B> 2"
has "$tmp/out" "      |       ^~~~~~~~"
has "$tmp/out" "   11 | w = x <U+001B>[31m q"
has "$tmp/out" "      |                ^~~"

# a hostile file name, in every command's text and in the diagnostics
evil=$(printf 'lab\033[2J\342\200\256.graph')
cp graphs/ex1.graph "$tmp/$evil"
shown='lab<U+001B>[2J<U+202E>.graph'
for cmd in check dims eval train gradcheck "explain --wrt w"; do
    # shellcheck disable=SC2086
    run out $cmd "$tmp/$evil"
    safe "$tmp/out" "$cmd on a file named with ESC and U+202E"
done
run out eval "$tmp/$evil"
has "$tmp/out" "Values of $tmp/$shown"
printf 'input x[2]\ny = q\n' > "$tmp/$evil"
run out check "$tmp/$evil"
safe "$tmp/out" "an error in a file named with ESC and U+202E"
has "$tmp/out" "$tmp/$shown:2:5: error: unknown name 'q'"
# the command line
run out "$(printf '\033]0;pwned\007')"
safe "$tmp/out" "an unknown command with OSC"
has "$tmp/out" "graphviz-lab: error: unknown command '<U+001B>]0;pwned<U+0007>'"
run out eval graphs/ex1.graph --of "$(printf 'q\342\200\256')"
has "$tmp/out" "graphviz-lab: error: --of q<U+202E>: no node is called q<U+202E>"
run out explain graphs/ex1.graph --wrt "$(printf '\302\233')"
has "$tmp/out" "graphviz-lab: error: --wrt <U+009B>: no node is called <U+009B>"
run out render graphs/ex1.graph -o "$(printf '/nonexistent/\033[2J.svg')"
has "$tmp/out" "graphviz-lab: error: cannot write '/nonexistent/<U+001B>[2J.svg': No such file or directory"
run out check "$(printf '/nonexistent/\033[2J.graph')"
has "$tmp/out" "graphviz-lab: error: cannot read '/nonexistent/<U+001B>[2J.graph': No such file or directory"
# a string option quoted in a message
printf 'input x[1,1,4,4]\nparam w[1,1,2,2]\ny = conv(x, w, padding="\342\200\256same")\n' > "$tmp/pad.graph"
run out check "$tmp/pad.graph"
safe "$tmp/out" "a string option with U+202E"
grep -qF "found '\"<U+202E>same\"'" "$tmp/out" && ok || { bad "the string option is not quoted escaped:"; cat "$tmp/out"; }

# colour, as gcc: the place in bold, the severity's colour, the caret line
# green; only when asked or on a terminal (auto), never with NO_COLOR or
# TERM=dumb unless --color=always
E=$(printf '\033')
printf 'input a[2,3]\ninput b[4,5]\nc = a @ b\n' > "$tmp/mm.graph"
"$GVL" check "$tmp/mm.graph" --color=always 2> "$tmp/col.err"
head -n 1 "$tmp/col.err" | grep -qF "${E}[1m$tmp/mm.graph:3:7:${E}[m ${E}[1;31merror:${E}[m matmul:" \
    && grep -qF "${E}[1;32m    ~ ^ ~${E}[m" "$tmp/col.err" && ok || { bad "--color=always:"; cat -v "$tmp/col.err"; }
for how in "--color=never" "" "--color never"; do
    # shellcheck disable=SC2086
    "$GVL" check "$tmp/mm.graph" $how 2> "$tmp/col.err"
    ! grep -q "$E" "$tmp/col.err" && grep -qx '1 error generated.' "$tmp/col.err" && ok || bad "'$how' (not a terminal) coloured the messages"
done
"$GVL" check "$tmp/mm.graph" --color=sometimes 2> "$tmp/col.err"
[ $? -eq 2 ] && grep -qx "graphviz-lab: error: --color takes auto, always or never, not 'sometimes'" "$tmp/col.err" \
    && ok || bad "--color=sometimes: $(cat "$tmp/col.err")"
if command -v script > /dev/null && script -qec true /dev/null > /dev/null 2>&1; then
    # on a terminal (script's pty): colour unless NO_COLOR or TERM=dumb
    tty_run() { script -qec "$*" /dev/null < /dev/null; }
    out=$(TERM=xterm tty_run "'$GVL' check '$tmp/mm.graph'")
    case $out in *"${E}[1;31merror:"*) ok ;; *) bad "auto on a terminal: no colour" ;; esac
    out=$(TERM=xterm NO_COLOR=1 tty_run "'$GVL' check '$tmp/mm.graph'")
    case $out in *"$E"*) bad "NO_COLOR=1 on a terminal: coloured" ;; *) ok ;; esac
    out=$(TERM=dumb tty_run "'$GVL' check '$tmp/mm.graph'")
    case $out in *"$E"*) bad "TERM=dumb on a terminal: coloured" ;; *) ok ;; esac
    out=$(TERM=xterm NO_COLOR=1 tty_run "'$GVL' check '$tmp/mm.graph' --color=always")
    case $out in *"${E}[1;31merror:"*) ok ;; *) bad "--color=always with NO_COLOR: no colour" ;; esac
else
    echo "note: no script(1) pty here: --color=auto on a terminal is not tried"
fi

# --diagnostics-format=json: one object a line, its ranges exact (the
# culprit, then each operand; end one past the last character), notes inside
printf 'size n = 3\ninput x[n,1]\ninput y[4,1]\nz = x + y\nw = q\n' > "$tmp/two.graph"
"$GVL" check "$tmp/two.graph" --diagnostics-format=json 2> "$tmp/j.err" > /dev/null
st=$?
got=$(python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
objs = [json.loads(l) for l in lines]
def r(x): return "%d:%d-%d:%d" % (x["start"]["line"], x["start"]["column"], x["end"]["line"], x["end"]["column"])
for o in objs:
    print(o["severity"], o["line"], o["column"], " ".join(r(x) for x in o["ranges"]), len(o["notes"]),
          " ".join("%s@%d:%d" % (n["severity"], n["line"], n["column"]) for n in o["notes"]))
' "$tmp/j.err" 2>&1)
want="error 4 7 4:7-4:8 4:5-4:6 4:9-4:10 1 note@1:10
error 5 5 5:5-5:6 0 "
[ $st -eq 1 ] && [ "$got" = "$want" ] && ok || { bad "--diagnostics-format=json (exit $st):"; echo "$got"; cat "$tmp/j.err"; }
! grep -q 'generated\.' "$tmp/j.err" && ok || bad "JSON diagnostics end with a summary line"
"$GVL" check "$tmp/two.graph" 2> "$tmp/t.err" > /dev/null
[ "$(tail -n 1 "$tmp/t.err")" = "2 errors generated." ] && ok || bad "the text form's last line: $(tail -n 1 "$tmp/t.err")"
# the program's own messages as JSON too
"$GVL" render graphs/ex1.graph -o "$tmp/x.svg" --engine nope --diagnostics-format=json 2> "$tmp/j2.err"
[ $? -eq 2 ] && python3 -c 'import json,sys; o=json.loads(open(sys.argv[1]).readline()); assert o["severity"]=="error" and o["file"]=="graphviz-lab" and "nope" in o["message"]' "$tmp/j2.err" 2>/dev/null \
    && ok || bad "a usage error with --diagnostics-format=json: $(cat "$tmp/j2.err")"
"$GVL" check "$tmp/two.graph" --diagnostics-format=xml 2> "$tmp/j3.err"
[ $? -eq 2 ] && grep -qx "graphviz-lab: error: --diagnostics-format takes text or json, not 'xml'" "$tmp/j3.err" && ok \
    || bad "--diagnostics-format=xml: $(cat "$tmp/j3.err")"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
