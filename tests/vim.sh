#!/usr/bin/env bash
# Vim support (editors/vim): the syntax file's op list is the program's op
# table, every keyword docs/language.md names is highlighted, and, when vim is
# installed, chosen places of graphs/*.graph and of a file written here get the
# expected syntax groups in a real Vim run in batch mode.
# Without vim (or with a vim built without +syntax, such as vim-tiny) the last
# part is skipped with a note; the rest still runs.
#   GVL=./graphviz-lab SRCDIR=. bash tests/vim.sh
set -u
: "${GVL:?set GVL to the graphviz-lab program}" "${SRCDIR:?set SRCDIR to the source tree}"
cd "$SRCDIR" || exit 1
LC_ALL=C
export LC_ALL
syn=editors/vim/syntax/graph.vim
ftd=editors/vim/ftdetect/graph.vim
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
for f in "$syn" "$ftd" editors/vim/regen-ops.sh; do
    if [ -f "$f" ]; then ok; else bad "$f is missing"; fi
done
[ -f "$syn" ] || { echo "$pass passed, $fail failed"; exit 1; }

# The language's keywords, from docs/language.md: the reserved words ("A few
# words are reserved and cannot be names") and the words that are keywords
# only in their place (`size ... in`, `def`, `return`, `end`).
reserved="input param const label loss optimize as pi"
contextual="size in def return end"

# 1. the op list: one `syn keyword graphOp` statement, after its marker line,
#    naming exactly the ops and aliases the program knows
if "$GVL" ops --format csv > "$tmp/ops.csv" && "$GVL" ops --json > "$tmp/ops.json"; then ok
else bad "'$GVL ops --format csv' or 'ops --json' failed"; fi
{
    tail -n +2 "$tmp/ops.csv" | cut -d, -f1
    sed -n 's/^[[:space:]]*"alias":[[:space:]]*"\([A-Za-z_0-9]*\)".*/\1/p' "$tmp/ops.json"
} | grep -x '[A-Za-z_][A-Za-z_0-9]*' | sort -u > "$tmp/ops"
if [ "$(wc -l < "$tmp/ops")" -ge 30 ]; then ok; else bad "'$GVL ops' lists only $(wc -l < "$tmp/ops") names"; fi
# the words of every `syn keyword graphOp` statement, with its \ continuation lines
awk '/^[[:space:]]*syn(tax)?[[:space:]]+keyword[[:space:]]+graphOp([[:space:]]|$)/ {
         n++; print "@" NR > "/dev/stderr"; sub(/^[[:space:]]*syn(tax)?[[:space:]]+keyword[[:space:]]+graphOp/, "")
         print; inlist = 1; next }
     inlist && /^[[:space:]]*\\/ { sub(/^[[:space:]]*\\/, ""); print; next }
     { inlist = 0 }' "$syn" 2> "$tmp/list-at" | tr -s ' \t' '\n\n' | grep -v -e '^$' -e = -e '^contained$' |
    sort > "$tmp/listed"
lists=$(wc -l < "$tmp/list-at" | tr -d ' ')
if [ "$lists" = 1 ]; then ok; else bad "$syn has $lists 'syn keyword graphOp' lists; it should have exactly one"; fi
marker=$(grep -nxF '" ops: generated from graphviz-lab ops' "$syn" | cut -d: -f1)
if [ -n "$marker" ] && [ "@$((marker + 1))" = "$(head -1 "$tmp/list-at")" ]; then ok
else bad "the line before the op list of $syn is not '\" ops: generated from graphviz-lab ops'"; fi
dups=$(uniq -d "$tmp/listed" | tr '\n' ' ')
if [ -z "$dups" ]; then ok; else bad "$syn lists these ops twice: $dups"; fi
sort -u -o "$tmp/listed" "$tmp/listed"
missing=$(comm -23 "$tmp/ops" "$tmp/listed" | tr '\n' ' ')
extra=$(comm -13 "$tmp/ops" "$tmp/listed" | tr '\n' ' ')
if [ -z "$missing" ]; then ok; else bad "ops that $syn does not highlight: $missing(run editors/vim/regen-ops.sh)"; fi
if [ -z "$extra" ]; then ok; else bad "names in the op list of $syn that are not ops: $extra(run editors/vim/regen-ops.sh)"; fi
# and the list is exactly what the generator writes
cp "$syn" "$tmp/regen.vim"
if GVL="$GVL" sh editors/vim/regen-ops.sh "$tmp/regen.vim" > "$tmp/regen.out" 2>&1; then ok
else bad "editors/vim/regen-ops.sh failed:"; cat "$tmp/regen.out"; fi
if cmp -s "$syn" "$tmp/regen.vim"; then ok
else bad "$syn is not what editors/vim/regen-ops.sh writes; run it:"; diff "$syn" "$tmp/regen.vim" | head -20; fi

# 2. the keywords: the test's list is still the one docs/language.md gives,
#    and the syntax file has a rule for each (part 3 checks that the rules work)
doc_reserved=$(tr '\n' ' ' < docs/language.md |
    sed -n 's/.*reserved and cannot be names: \(.*\)\. *`T` and `e`.*/\1/p' | grep -o '`[a-z_]*`' | tr -d '`' | sort | tr '\n' ' ')
if [ -z "$doc_reserved" ]; then
    echo "note: docs/language.md no longer has the sentence listing the reserved words; checking the list in tests/vim.sh only"
elif [ "$doc_reserved" = "$(printf '%s\n' $reserved | sort | tr '\n' ' ')" ]; then ok
else bad "docs/language.md reserves '$doc_reserved' but tests/vim.sh (and the syntax file?) know '$reserved'"; fi
for w in $contextual; do
    if grep -q "\`$w\`" docs/language.md; then ok; else bad "docs/language.md does not mention the keyword '$w' any more"; fi
done
# (the rules' patterns with each \X regex item blanked, so \zsreturn\> counts)
grep -E '^[[:space:]]*syn(tax)?[[:space:]]+(keyword|match)[[:space:]]' "$syn" | grep -vE 'keyword[[:space:]]+graphOp' |
    sed -e 's/\\z[se]/ /g' -e 's/\\./ /g' > "$tmp/rules"
for w in $reserved $contextual; do
    if grep -qw -- "$w" "$tmp/rules"; then ok; else bad "$syn has no syn keyword/match rule for the keyword '$w'"; fi
done
if grep -qxE 'let b:current_syntax = "graph"' "$syn"; then ok; else bad "$syn does not set b:current_syntax to \"graph\""; fi
if grep -qE '^[[:space:]]*au(tocmd)?[[:space:]]+BufRead,BufNewFile[[:space:]]+\*\.graph[[:space:]]+(setf(iletype)?|set[[:space:]]+(filetype|ft)=)[[:space:]]*graph' "$ftd"
then ok; else bad "$ftd does not set the filetype graph for *.graph"; fi

# 3. in Vim itself: the groups at chosen places.  A check is FILE, a search
#    pattern whose match start (\zs) is the place, and the syntax group wanted
#    there ('' for none); the file written here uses every keyword and kind of
#    token, including the contextual words used as names, and is a valid graph.
cat > "$tmp/all.graph" <<'EOF'
# every kind of token; TODO nothing to do
size n = 5
size h in 2..6; size k in 1..3
input x[n,1] = -1
param W[4,n+1] as w = 2.5e-3
input p[?,1]
input img[3,8,8] = .5
param K[2,3,3,3] = 1E+2
const end = 0.5
size = 3
c = conv2d(img, K, padding="same", dilation=1x1)
m = max(c, 2 x 2)
def f(a)
    hh = a ** -2
    return W @ hh^T^T
end
return = x - 1
s = softmax(x, dim=-1) / 2
y = sum(f(hom(x))) + end * size + sum(return) + sum(m) + sum(s) + sum(p)
loss y
EOF
if "$GVL" check "$tmp/all.graph" -w > "$tmp/all.out" 2>&1; then ok
else bad "the test's own graph does not check:"; cat "$tmp/all.out"; fi
printf 'input x[2,1]\nr = x^2 # an error\n' > "$tmp/caret.graph"
all=$tmp/all.graph caret=$tmp/caret.graph
ex1=graphs/ex1.graph mlp3=graphs/mlp3.graph cnn=graphs/cnn.graph
cat > "$tmp/checks" <<EOF
$ex1	^\\zs# Lab exercise	graphComment
$ex1	^\\zsinput	graphDecl
$ex1	^\\zsparam	graphDecl
$ex1	^\\zsconst	graphDecl
$ex1	^\\zslabel	graphDecl
$ex1	^input x\\zs\\[	graphShapeDelim
$ex1	^input x\\[\\zs2	graphShape
$ex1	^input x\\[2,1\\] = \\[\\zs2	graphNumber
$ex1	^param w.* = \\[\\zspi	graphConstant
$ex1	^param w.* = \\[pi\\zs/	graphOperator
$ex1	\\zs# the data point	graphComment
$ex1	^y = \\zssin(	graphOp
$ex1	^y = sin(w\\zs^T	graphTranspose
$ex1	^y = sin(w^T \\zs@	graphOperator
$ex1	^y = sin(w^T @ x) \\zs-	graphOperator
$ex1	^y = sin(\\zsw	
$ex1	^L = \\zsmse(	graphOp
$ex1	^\\zsoptimize	graphStatement
$ex1	^optimize L \\zslr=	graphOptKey
$ex1	^optimize L lr=\\zs0.5	graphNumber
$ex1	^optimize L lr=0.5 \\zssteps=	graphOptKey
$mlp3	^\\zsdef layer	graphDef
$mlp3	^def \\zslayer	graphFuncName
$mlp3	^def layer(x, W, b) = \\zsrelu(	graphOp
$mlp3	^param W1\\[\\zs5	graphShape
$mlp3	^param W1.*, \\zs-0.1	graphNumber
$mlp3	^param b1\\[5\\] = \\zs0.1	graphNumber
$mlp3	^h1 = \\zslayer(	
$mlp3	^L = \\zscross_entropy(	graphOp
$mlp3	^L = cross_entropy(z, \\zs1	graphNumber
$cnn	^\\s*\\zsreturn	graphReturn
$cnn	^\\zsend	graphEnd
$cnn	relu(\\zsconv2d(	graphOp
$cnn	conv2d(x, K, \\zspadding=	graphOptKey
$cnn	^def \\zsconv_block	graphFuncName
$cnn	^\\s*return maxpool2d(a, \\zs2	graphNumber
$all	TODO	graphTodo
$all	^\\zssize n =	graphSize
$all	^size n = \\zs5	graphNumber
$all	^\\zssize h in	graphSize
$all	^size h \\zsin	graphIn
$all	^size h in 2\\zs\\.\\.	graphRange
$all	^size h in 2\\.\\.\\zs6	graphNumber
$all	; \\zssize k	graphSize
$all	; size k \\zsin	graphIn
$all	^input x\\[\\zsn	graphShape
$all	^input x\\[n,1\\] = \\zs-1	graphNumber
$all	^param W\\[4,n\\zs+1	graphShape
$all	^param W.* \\zsas w	graphAs
$all	^param W.* = \\zs2.5e-3	graphNumber
$all	^param W.* = 2.5\\zse-3	graphNumber
$all	^input p\\[\\zs?	graphShape
$all	^input img.* = \\zs\\.5	graphNumber
$all	^param K.* = 1\\zsE+2	graphNumber
$all	^const \\zsend	
$all	^\\zssize = 3	
$all	padding=\\zs"same"	graphString
$all	dilation=\\zs1x1	graphSizeLit
$all	^m = max(c, \\zs2 x 2	graphSizeLit
$all	^m = max(c, 2 \\zsx 2	graphSizeLit
$all	^m = \\zsmax(	graphOp
$all	^\\zsdef f	graphDef
$all	^    hh = a \\zs\\*\\*	graphOperator
$all	^    hh = a \\*\\* \\zs-2	graphNumber
$all	^    \\zsreturn W	graphReturn
$all	^    return W @ hh\\zs^T	graphTranspose
$all	^\\zsend$	graphEnd
$all	^\\zsreturn = x	
$all	^return = x \\zs- 1	graphOperator
$all	dim=\\zs-1	graphNumber
$all	^s = \\zssoftmax	graphOp
$all	^s = softmax(x, \\zsdim=	graphOptKey
$all	) \\zs/ 2	graphOperator
$all	^y = sum(f(\\zshom(	graphOp
$all	^y = sum(f(hom(x))) + \\zsend	
$all	^\\zsloss y	graphStatement
$caret	x\\zs^2	graphCaretError
EOF
# the standard group each item links to
cat > "$tmp/links" <<'EOF'
graphComment Comment
graphDecl Keyword
graphStatement Statement
graphOp Function
graphNumber Number
graphShape Type
graphSizeLit Type
graphOperator Operator
graphString String
graphCaretError Error
EOF
# GVL_REQUIRE_VIM=1 (as in CI): a missing vim is a failure, not a note
if ! command -v vim > /dev/null; then
    echo "note: vim is not installed; the checks inside Vim are skipped (apt-get install vim-nox)"
    [ "${GVL_REQUIRE_VIM:-0}" = 1 ] && bad "vim is not installed, and GVL_REQUIRE_VIM=1"
elif ! vim --version 2> /dev/null | grep -q '+syntax'; then
    echo "note: this vim has no +syntax (vim-tiny?); the checks inside Vim are skipped (apt-get install vim-nox)"
    [ "${GVL_REQUIRE_VIM:-0}" = 1 ] && bad "this vim has no +syntax, and GVL_REQUIRE_VIM=1"
else
    cat > "$tmp/check.vim" <<'EOF'
" Runs the checks of $VIMTEST_CHECKS and writes one line per check to $VIMTEST_OUT.
let s:out = []
for s:c in readfile($VIMTEST_CHECKS)
  let [s:file, s:pat, s:want] = split(s:c, "\t", 1)
  if fnamemodify(s:file, ':p') !=# expand('%:p')
    execute 'silent edit ' . fnameescape(s:file)
    call add(s:out, (&filetype ==# 'graph' ? 'ok' : 'FAIL') . ' ' . s:file . ': filetype is "' . &filetype . '", want "graph"')
  endif
  call cursor(1, 1)
  let [s:l, s:col] = searchpos(s:pat, 'cW')
  if s:l == 0
    call add(s:out, 'FAIL ' . s:file . ': no line matches ' . s:pat)
    continue
  endif
  let s:got = synIDattr(synID(s:l, s:col, 1), 'name')
  call add(s:out, (s:got ==# s:want ? 'ok' : 'FAIL') . ' ' . s:file . ':' . s:l . ':' . s:col . ' "'
        \ . strpart(getline(s:l), s:col - 1, 14) . '" is ' . (s:got ==# '' ? 'not highlighted' : s:got)
        \ . ', want ' . (s:want ==# '' ? 'no highlighting' : s:want))
endfor
for s:c in readfile($VIMTEST_LINKS)
  let [s:item, s:group] = split(s:c)
  let s:got = matchstr(execute('highlight ' . s:item), 'links to \zs\w\+')
  call add(s:out, (s:got ==# s:group ? 'ok' : 'FAIL') . ' ' . s:item . ' links to ' . (s:got ==# '' ? 'no group' : s:got) . ', want ' . s:group)
endfor
call writefile(s:out, $VIMTEST_OUT)
qall!
EOF
    to=
    if command -v timeout > /dev/null; then to="timeout 60"; fi
    SRCDIR=$(pwd) VIMTEST_CHECKS="$tmp/checks" VIMTEST_LINKS="$tmp/links" VIMTEST_OUT="$tmp/vim.out" HOME="$tmp" \
        $to vim -u NONE -i NONE -N -es -c 'set rtp^=$SRCDIR/editors/vim' -c 'syntax on' \
        -c "source $tmp/check.vim" -c 'qall!' < /dev/null > "$tmp/vim.log" 2>&1
    rc=$?
    if [ -s "$tmp/vim.out" ]; then
        ok
        while read -r verdict rest; do
            if [ "$verdict" = ok ]; then ok; else bad "vim: $rest"; fi
        done < "$tmp/vim.out"
        n=$(wc -l < "$tmp/vim.out")
        want=$(($(wc -l < "$tmp/checks") + $(wc -l < "$tmp/links")))
        if [ "$n" -ge "$want" ]; then ok; else bad "vim reported $n of the $want checks"; fi
    else
        bad "vim wrote no results (exit status $rc$([ $rc = 124 ] && echo ', timed out')):"
        head -20 "$tmp/vim.log"
    fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] || exit 1
