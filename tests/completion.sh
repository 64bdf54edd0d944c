#!/usr/bin/env bash
# Bash completion (completions/graphviz-lab): the function is called as bash
# calls it, with COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT set, and
# the words it offers (COMPREPLY) must be exactly the ones expected: the
# commands, each command's options, the values of --format, --engine,
# --rankdir, -T, --color, --diagnostics-format and --questions (as --opt V
# and --opt=V, with bash splitting words at '=' and without), *.graph files
# for FILE.  Without bash-completion's helper functions, which it must not
# need.  And no drift: every option 'graphviz-lab COMMAND --help' prints is
# offered for COMMAND.
set -u
: "${GVL:?set GVL to the graphviz-lab program}" "${SRCDIR:?set SRCDIR to the source tree}"
cd "$SRCDIR" || exit 1
export LC_ALL=C
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
script=$SRCDIR/completions/graphviz-lab

# the script itself: valid bash, and shellcheck's warnings when it is installed
if bash -n "$script" 2> "$tmp/n.out"; then ok; else bad "bash -n $script: $(cat "$tmp/n.out")"; fi
if command -v shellcheck > /dev/null; then
    if shellcheck -S warning -s bash "$script" > "$tmp/sc.out" 2>&1; then ok; else bad "shellcheck: $(cat "$tmp/sc.out")"; fi
else
    echo "note: shellcheck is not installed: $script was not checked (skipped)"
fi

# shellcheck source=SCRIPTDIR/../completions/graphviz-lab
. "$script" || { bad "sourcing $script failed"; echo "$pass passed, $fail failed"; exit 1; }
if complete -p graphviz-lab 2> /dev/null | grep -q -- '-F _graphviz_lab graphviz-lab$'; then ok
else bad "'complete -p graphviz-lab' is '$(complete -p graphviz-lab 2>&1)', not -F _graphviz_lab"; fi

# comp LINE: complete LINE, the cursor at its end, as bash would; the words
# offered, sorted, one line.  Words are split at blanks, and also at '=' (into
# '--opt' '=' 'VALUE', as bash does) when $split_eq is 1.
split_eq=1
comp() {
    local line=$1 w
    local -a raw
    read -r -a raw <<< "$line"
    [[ $line == *' ' ]] && raw+=('')
    COMP_WORDS=()
    for w in "${raw[@]}"; do
        if ((split_eq)) && [[ $w == *=* ]]; then
            while [[ $w == *=* ]]; do
                [[ -n ${w%%=*} ]] && COMP_WORDS+=("${w%%=*}")
                COMP_WORDS+=('=')
                w=${w#*=}
            done
            [[ -n $w ]] && COMP_WORDS+=("$w")
        else
            COMP_WORDS+=("$w")
        fi
    done
    # after a lone '=' the cursor is in it, as in bash
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$line
    COMP_POINT=${#line}
    if ((split_eq)); then COMP_WORDBREAKS=$' \t\n"\'><=;|&(:'; else COMP_WORDBREAKS=$' \t\n"\'><;|&(:'; fi
    COMPREPLY=()
    local prev=
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    _graphviz_lab graphviz-lab "${COMP_WORDS[COMP_CWORD]}" "$prev"
    if ((${#COMPREPLY[@]})); then printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'; fi
}
# expect LINE WORD...: completing LINE offers exactly WORD...
expect() {
    local line=$1 got want
    shift
    got=$(comp "$line")
    want=$(if (($#)); then printf '%s\n' "$@" | sort | tr '\n' ' ' | sed 's/ $//'; fi)
    if [[ $got == "$want" ]]; then ok; else bad "'$line' (split at '=': $split_eq) offers '$got', not '$want'"; fi
}

# same LINE1 LINE2: completing LINE1 offers what completing LINE2 does
same() {
    local got want
    got=$(comp "$1")
    want=$(comp "$2")
    if [[ $got == "$want" ]]; then ok; else bad "'$1' (split at '=': $split_eq) offers '$got', not what '$2' does: '$want'"; fi
}

commands='check dims eval train gradcheck render explain export quiz grade ops'
# shellcheck disable=SC2086
{
    expect 'graphviz-lab ' $commands --help --version
    expect 'graphviz-lab ren' render
    expect 'graphviz-lab g' gradcheck grade
    expect 'graphviz-lab --' --help --version
    expect 'graphviz-lab --v' --version
    expect 'graphviz-lab frobnicate x.graph --'
    expect 'graphviz-lab --help '
}

# the cursor inside a word: what is before it is completed
COMP_WORDS=(graphviz-lab rexyz x.graph) COMP_CWORD=1 COMP_LINE='graphviz-lab rexyz x.graph' COMP_POINT=15 COMPREPLY=()
_graphviz_lab graphviz-lab rexyz graphviz-lab
if [[ "${COMPREPLY[*]}" == render ]]; then ok; else bad "'graphviz-lab re|xyz x.graph' offers '${COMPREPLY[*]}', not 'render'"; fi

# options: the command's own and the common ones, not another command's
expect 'graphviz-lab render ex1.graph --eng' --engine
expect 'graphviz-lab render --eng' --engine
expect 'graphviz-lab render ex1.graph --no-' --no-values --no-grads --no-jacobians
expect 'graphviz-lab render x.graph --coll' --collapse
expect 'graphviz-lab explain x.graph --w' --wrt
expect 'graphviz-lab explain x.graph --coll'
expect 'graphviz-lab explain x.graph --eng'
expect 'graphviz-lab check x.graph --wrt'
expect 'graphviz-lab dims x.graph --asc' --ascii
expect 'graphviz-lab ops --asc' --ascii
expect 'graphviz-lab export x.graph --to' --tol --torch
expect 'graphviz-lab export x.graph -o' -o
expect 'graphviz-lab check x.graph -o'
expect 'graphviz-lab quiz x.graph --k' --key
expect 'graphviz-lab grade k.graph --k'
expect 'graphviz-lab grade k.graph a.txt --sh' --show-answers
expect 'graphviz-lab quiz x.graph --sh'
expect 'graphviz-lab eval x.graph --max-' --max-elements --max-memory --max-nodes --max-line-length
expect 'graphviz-lab render x.graph --max-r' --max-render-nodes
expect 'graphviz-lab check x.graph --help' --help
expect 'graphviz-lab check x.graph --vers'
# the two options every command takes that --help does not print yet
for cmd in $commands; do
    if [[ $cmd == render ]]; then
        expect "graphviz-lab $cmd x.graph --col" --color --collapse
    else
        expect "graphviz-lab $cmd x.graph --col" --color
    fi
    expect "graphviz-lab $cmd x.graph --diag" --diagnostics-format
done

# option values, as --opt VALUE and as --opt=VALUE, split at '=' and not
for split_eq in 1 0; do
    expect 'graphviz-lab render ex1.graph --engine ' dot neato fdp sfdp circo twopi
    expect 'graphviz-lab render x.graph --engine ne' neato
    expect 'graphviz-lab render x.graph --rankdir ' LR TB
    expect 'graphviz-lab render x.graph -T p' pdf png
    expect 'graphviz-lab render x.graph -T ' svg png pdf dot json html
    expect 'graphviz-lab quiz x.graph --format ' text md latex html json
    expect 'graphviz-lab grade k.graph a.txt --format g' gradescope
    expect 'graphviz-lab grade k.graph a.txt --format ' text json gradescope prairielearn csv
    expect 'graphviz-lab dims x.graph --format ' text md csv latex json
    expect 'graphviz-lab check x.graph --color ' auto always never
    expect 'graphviz-lab ops --color a' auto always
    expect 'graphviz-lab check x.graph --color=n' "$([[ $split_eq == 1 ]] || echo --color=)never"
    expect 'graphviz-lab eval x.graph --diagnostics-format ' text json
    expect 'graphviz-lab quiz x.graph --questions ' shape jacobian gradient value grad step
    expect 'graphviz-lab grade k.graph a.txt --questions gr' gradient grad
    expect 'graphviz-lab quiz x.graph --questions shape,gr' shape,gradient shape,grad
    expect 'graphviz-lab quiz x.graph --questions shape,grad,' shape,grad,jacobian shape,grad,gradient shape,grad,value shape,grad,step
    # free values: nothing
    expect 'graphviz-lab eval x.graph --set '
    expect 'graphviz-lab eval x.graph --of '
    expect 'graphviz-lab explain x.graph --wrt '
    expect 'graphviz-lab train x.graph --lr '
    expect 'graphviz-lab train x.graph --steps '
    expect 'graphviz-lab eval x.graph --precision '
    expect 'graphviz-lab eval x.graph --random '
    expect 'graphviz-lab quiz x.graph --only '
    # a value is not an option, nor FILE
    expect 'graphviz-lab eval --of --'
    same 'graphviz-lab render --engine dot --' 'graphviz-lab render x.graph --'
done
# --opt=VALUE: with '=' among the word breaks bash replaces only VALUE's
# part; without, the whole word
split_eq=1
expect 'graphviz-lab render x.graph --engine=ne' neato
expect 'graphviz-lab check x.graph --color=' auto always never
expect 'graphviz-lab quiz x.graph --format=l' latex
expect 'graphviz-lab quiz x.graph --questions=shape,gr' shape,gradient shape,grad
expect 'graphviz-lab eval x.graph --set=n'
expect 'graphviz-lab explain x.graph --engine='
same 'graphviz-lab eval x.graph --set n=4 --' 'graphviz-lab eval x.graph --'
split_eq=0
expect 'graphviz-lab render x.graph --engine=ne' --engine=neato
expect 'graphviz-lab check x.graph --color=' --color=auto --color=always --color=never
expect 'graphviz-lab quiz x.graph --format=l' --format=latex
expect 'graphviz-lab quiz x.graph --questions=shape,gr' --questions=shape,gradient --questions=shape,grad
expect 'graphviz-lab eval x.graph --set=n'
expect 'graphviz-lab explain x.graph --engine='
same 'graphviz-lab eval x.graph --set n=4 --' 'graphviz-lab eval x.graph --'

# files: FILE is a .graph file or a directory; -o, --key and ANSWERS any file
mkdir "$tmp/files" "$tmp/files/sub"
: > "$tmp/files/a.graph"
: > "$tmp/files/b.txt"
(
    cd "$tmp/files" || exit 1
    for split_eq in 1 0; do
        expect 'graphviz-lab check ' a.graph sub/
        expect 'graphviz-lab render ' a.graph sub/
        expect 'graphviz-lab check s' sub/
        expect 'graphviz-lab check b'
        expect 'graphviz-lab check -w ' a.graph sub/
        expect 'graphviz-lab eval --of a ' a.graph sub/
        same 'graphviz-lab check a.graph ' 'graphviz-lab check a.graph -'
        same 'graphviz-lab ops ' 'graphviz-lab ops -'
        expect 'graphviz-lab grade ' a.graph sub/
        expect 'graphviz-lab grade a.graph ' a.graph b.txt sub/
        expect 'graphviz-lab grade a.graph b.txt ' a.graph b.txt sub/
        expect 'graphviz-lab render a.graph -o ' a.graph b.txt sub/
        expect 'graphviz-lab export a.graph -o b' b.txt
        expect 'graphviz-lab quiz a.graph --key ' a.graph b.txt sub/
        expect 'graphviz-lab render --collapse ' a.graph sub/
        expect 'graphviz-lab render --collapse f ' a.graph sub/
        same 'graphviz-lab render --collapse a.graph ' 'graphviz-lab render a.graph -'
        # --color's value is optional: after it its values, if one fits,
        # else FILE; the word after --color is its value only when it is one
        expect 'graphviz-lab check --color a' always auto
        expect 'graphviz-lab check --color s' sub/
        expect 'graphviz-lab check --color never ' a.graph sub/
        same 'graphviz-lab check --color a.graph ' 'graphviz-lab check a.graph -'
    done
    # in a real completion compopt works: readline, told these are file
    # names, puts the slash after a directory itself
    # (expect runs comp in a subshell: the stub writes down its arguments)
    # shellcheck disable=SC2317
    compopt() { echo "$*" >> "$tmp/compopt"; }
    : > "$tmp/compopt"
    expect 'graphviz-lab check ' a.graph sub
    if grep -qx -- '-o filenames' "$tmp/compopt"; then ok; else bad "FILE's completion did not ask for -o filenames"; fi
    expect 'graphviz-lab check s' sub
    if ! grep -qx -- '-o nospace' "$tmp/compopt"; then ok; else bad "'check s' asked for -o nospace, which readline does itself"; fi
    split_eq=1
    expect 'graphviz-lab quiz a.graph --key=s' sub
    split_eq=0
    : > "$tmp/compopt"
    expect 'graphviz-lab quiz a.graph --key=s' --key=sub/
    if grep -qx -- '-o nospace' "$tmp/compopt"; then ok; else bad "'--key=s' (one word) did not ask for -o nospace after the directory"; fi
    : > "$tmp/compopt"
    expect 'graphviz-lab render x.graph --engine ' dot neato fdp sfdp circo twopi
    if ! [[ -s $tmp/compopt ]]; then ok; else bad "--engine's values are not file names, but asked for -o filenames"; fi
    unset -f compopt

    split_eq=1
    expect 'graphviz-lab quiz a.graph --key=b' b.txt
    split_eq=0
    expect 'graphviz-lab quiz a.graph --key=b' --key=b.txt
    echo "$pass $fail" > "$tmp/counts"
)
read -r pass fail < "$tmp/counts" || bad "the file completions' cases did not finish"

# drift: every option a command's --help prints is offered for it
for cmd in $commands; do
    if ! "$GVL" "$cmd" --help > "$tmp/help" 2>&1; then
        bad "graphviz-lab $cmd --help failed: $(cat "$tmp/help")"
        continue
    fi
    if [[ $cmd == ops ]]; then line='graphviz-lab ops -'; else line="graphviz-lab $cmd x.graph -"; fi
    offered=" $(comp "$line") "
    # an option line: two spaces, the option; '--questions KINDS, --only KEYS' holds two
    opts=$({
        sed -nE 's/^  (-[A-Za-z]|--[a-z][-a-z]*).*/\1/p' "$tmp/help"
        sed -nE 's/^  (-[A-Za-z]|--[a-z][-a-z]*)[^,]*, (-[A-Za-z]|--[a-z][-a-z]*).*/\2/p' "$tmp/help"
    } | sort -u)
    [[ -n $opts ]] || bad "no option found in 'graphviz-lab $cmd --help'"
    for o in $opts; do
        if [[ $offered == *" $o "* ]]; then ok; else bad "'graphviz-lab $cmd --help' prints $o, which completing '$line' does not offer"; fi
    done
done
# the top level's --help and --version
"$GVL" --help > "$tmp/help" 2>&1
offered=" $(comp 'graphviz-lab -') "
while read -r o; do
    if [[ $offered == *" $o "* ]]; then ok; else bad "'graphviz-lab --help' prints $o, which completing 'graphviz-lab -' does not offer"; fi
done < <(sed -nE 's/^  (--[a-z][-a-z]*).*/\1/p' "$tmp/help")

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
