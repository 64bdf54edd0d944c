#!/usr/bin/env bash
# The manual pages against the program: every option that `graphviz-lab
# COMMAND --help` prints has an entry in man/graphviz-lab.1 (the common
# OPTIONS, or the command's own subsection), and every entry there is an
# option --help prints, command by command, so the two cannot drift; every
# command is in COMMANDS and every op of `graphviz-lab ops` in the OPS of
# man/graphviz-lab.5; and groff formats both pages without a warning
# (`groff -ww`, skipped where groff is not installed).
set -u
: "${GVL:?set GVL to the graphviz-lab program}" "${SRCDIR:?set SRCDIR to the source tree}"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
page1=$SRCDIR/man/graphviz-lab.1 page5=$SRCDIR/man/graphviz-lab.5
commands="check dims eval train gradcheck render explain export quiz grade ops"

# options of --help: the first word of each option line, and a second one
# after a comma ("--questions KINDS, --only KEYS"); "--color[=WHEN]" is --color
help_options() {
    "$GVL" "$@" --help | grep -E '^  -' |
        sed -E 's/^  (-[-A-Za-z]+)[^,]*(, (--[-a-z]+))?.*/\1 \3/; s/\[.*//' | tr ' ' '\n' | grep . | sort -u
}
# options of a part of the man page: what each .TP entry's first line names
man_options() {
    grep -A1 '^\.TP' | grep -v '^\.TP\|^--$' | grep -oE '\\-(\\-[a-z]([a-z]|\\-)*|[A-Za-z]\b)' |
        sed 's/\\-/-/g' | sort -u
}
# the lines of .SH OPTIONS up to the first .SS (the common options), and of .SS NAME
common=$(awk '/^\.SH OPTIONS/ { on = 1; next } /^\.S[HS]/ { on = 0 } on' "$page1" | man_options)
section() { awk -v s="$1" '$0 == ".SS " s { on = 1; next } /^\.S[HS]/ { on = 0 } on' "$page1" | man_options; }

for c in $commands; do
    help_options "$c" > "$tmp/help"
    # --version is the top level's (checked below), not a command's
    { echo "$common" | grep -vx -- --version; section "$c"; } | sort -u > "$tmp/man"
    missing=$(comm -23 "$tmp/help" "$tmp/man" | tr '\n' ' ')
    extra=$(comm -13 "$tmp/help" "$tmp/man" | tr '\n' ' ')
    [ -z "$missing" ] && ok || bad "$c: --help prints options the man page lacks: $missing"
    [ -z "$extra" ] && ok || bad "$c: the man page has options $c --help does not print: $extra"
done
# the top level's own two
help_options > "$tmp/help"
[ "$(tr '\n' ' ' < "$tmp/help")" = "--help --version " ] && grep -q '^\.B \\-\\-version$' "$page1" && ok \
    || bad "graphviz-lab --help prints $(tr '\n' ' ' < "$tmp/help"); the man page should have --help and --version"
# a section per command that has options of its own, and no section for one that does not exist
for s in $(grep '^\.SS ' "$page1" | cut -d' ' -f2); do
    case " $commands " in *" $s "*) ok ;; *) bad "man page section .SS $s is not a command" ;; esac
done

# every command in COMMANDS, in the order of --help
want=$("$GVL" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }' | tr '\n' ' ')
got=$(awk '/^\.SH COMMANDS/ { on = 1; next } /^\.SH/ { on = 0 } on && tp && /^\.B [a-z]/ { print $2 } { tp = /^\.TP/ }' "$page1" | tr '\n' ' ')
[ "$want" = "$got" ] && [ -n "$want" ] && ok || bad "COMMANDS lists '$got', --help '$want'"

# every op in OPS of graphviz-lab.5, and nothing else
"$GVL" ops --format csv | tail -n +2 | cut -d, -f1 | sort > "$tmp/ops"
awk '/^\.SH OPS/ { on = 1; next } /^\.SH/ { on = 0 } on && tp && /^\.B / { print $2 } { tp = /^\.TP/ }' "$page5" | sort > "$tmp/man_ops"
[ -s "$tmp/ops" ] && cmp -s "$tmp/ops" "$tmp/man_ops" && ok \
    || bad "graphviz-lab.5's OPS differ from graphviz-lab ops: $(diff "$tmp/ops" "$tmp/man_ops" | grep '^[<>]' | tr '\n' ' ')"

# the exit statuses --help names are the ones EXIT STATUS lists
got=$(awk '/^\.SH EXIT STATUS/ { on = 1; next } /^\.SH/ { on = 0 } on && /^\.B [0-9]/ { print $2 }' "$page1" | tr '\n' ' ')
[ "$got" = "0 1 2 " ] && "$GVL" --help | grep -q '^Exit status: 0 success, 1 the graph has errors, 2 usage or I/O error\.$' \
    && ok || bad "EXIT STATUS lists '$got'"

# groff formats both without a warning
if command -v groff > /dev/null; then
    for p in "$page1" "$page5"; do
        groff -ww -man -Tutf8 -z "$p" 2> "$tmp/groff.err"
        [ $? -eq 0 ] && [ ! -s "$tmp/groff.err" ] && ok || bad "groff -ww on $(basename "$p"): $(cat "$tmp/groff.err")"
        # and the formatted page reads: its NAME line, no stray escape
        groff -man -Tascii -P-cbou "$p" > "$tmp/page.txt" 2> /dev/null
        grep -qE '^ *graphviz-lab +- ' "$tmp/page.txt" && ! grep -q '\\[-a-z]' "$tmp/page.txt" && ok \
            || bad "$(basename "$p") formats without its NAME line or with a stray escape"
    done
else
    echo "note: groff is not installed: the pages were not formatted"
    # GVL_REQUIRE_GROFF=1 (as in CI): a missing groff is a failure
    [ "${GVL_REQUIRE_GROFF:-0}" = 1 ] && bad "groff is not installed, and GVL_REQUIRE_GROFF=1 (apt-get install groff-base)"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
