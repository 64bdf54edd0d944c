#!/usr/bin/env bash
# Worksheets and grading: quiz and grade.
#
# The key is checked against numbers worked out by hand (the lab's answers
# of exercise 4, exercise 1's values from docs/cli.md's answers example);
# every key scores full marks against its own graph, and changing any one
# answer fails exactly that question; a variant's worksheet is a .graph file
# whose own key is the variant's key; malformed, empty, binary, missing and
# huge answers files end in diagnostics and the documented exit status.
set -u
: "${GVL:?set GVL to the graphviz-lab program}" "${SRCDIR:?set SRCDIR to the source tree}"
cd "$SRCDIR" || exit 1
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# same NAME EXPECTED ACTUAL
same() { if [ "$2" = "$3" ]; then ok; else bad "$1: expected [$2], got [$3]"; fi; }

# 1. exercise 4's five questions, as the lab sheet asks them, and the lab's answers
five='size(dL/dq),size(dq/dz),size(dz/dw),size(dL/dy),size(dL/dw)'
"$GVL" quiz graphs/ex4.graph --only "$five" --key "$tmp/ex4.key" > "$tmp/ex4.sheet"
same "ex4 key" "size(dL/dq) = 1x4
size(dq/dz) = 4x4
size(dz/dw) = 4x24
size(dL/dy) = 1x17
size(dL/dw) = 1x24" "$(grep -v '^#' "$tmp/ex4.key")"
same "ex4 worksheet blanks" "size(dL/dq) =
size(dq/dz) =
size(dz/dw) =
size(dL/dy) =
size(dL/dw) =" "$(grep -v '^#' "$tmp/ex4.sheet" | grep .)"

# 2. exercise 1's numbers by hand: w^T x = 2pi, sin(2pi) ~ 0, L = (0 - 2)^2 = 4,
# dL/dw = 2(y - 2) cos(2pi) x = [-8, -4], w - 0.5 dL/dw = [pi/2 + 4, pi + 2]
cat > "$tmp/hand.answers" <<'EOF'
value(w^T @ x) = 6.2832
value(y) = -2.449e-16
value(L) = 4
grad(w) = [-8, -4]          # a flat list for the 2x1 gradient
step(w) = [5.5708, 5.1416]
size(dL/dw) = 1x2
shape(w^T) = 1x2
EOF
"$GVL" grade graphs/ex1.graph "$tmp/hand.answers" > "$tmp/hand.out"
for k in 'value(w^T @ x)' 'value(y)' 'value(L)' 'grad(w)' 'step(w)' 'size(dL/dw)' 'shape(w^T)'; do
    grep -qF "  ok    $k  right" "$tmp/hand.out" && ok || bad "ex1 by hand: $k is not right: $(grep -F "$k" "$tmp/hand.out")"
done
same "ex1 by hand: the score" "$tmp/hand.answers: 7 of 33" "$(head -1 "$tmp/hand.out")"

# exercise 1's dy/dw (--of y), by hand: x cos(w^T x) = [2, 1] cos(2 pi)
"$GVL" quiz graphs/ex1.graph --of y --only 'grad(w)' --key "$tmp/dy.key" > /dev/null
same "ex1 dy/dw" "grad(w) = [[2], [1]]" "$(grep -v '^#' "$tmp/dy.key")"

# 3. each key scores full marks; one answer changed fails that question alone
for spec in ex1 ex2 ex3 ex4 ex4_sizes "ex1 --variant 1" "ex1 --variant 2" "ex4_sizes --variant 5" "mlp --variant 3"; do
    set -- $spec
    g=graphs/$1.graph
    shift
    key=$tmp/key.answers
    "$GVL" quiz "$g" "$@" --key "$key" > /dev/null || { bad "quiz $spec failed"; continue; }
    n=$(grep -vc '^#' "$key")
    out=$("$GVL" grade "$g" "$key" "$@")
    st=$?
    same "$spec: its own key" "$key: $n of $n, exit 0" "$(echo "$out" | head -1), exit $st"
    i=0
    while IFS= read -r line; do
        i=$((i + 1))
        case $line in '#'*) continue ;; esac
        q=${line%% = *}
        case $q in shape*|size*) wrong="99x98" ;; *) wrong="12345.5" ;; esac
        awk -v n="$i" -v w="$q = $wrong" 'NR == n { print w; next } { print }' "$key" > "$tmp/one.answers"
        res=$("$GVL" grade "$g" "$tmp/one.answers" "$@" | grep '^  FAIL')
        # that question alone fails: a wrong size, or a wrong number (of a
        # tensor: "1 number given, 6 expected")
        same "$spec: changing $q" "  FAIL  $q  wrong: " "$(echo "$res" | grep -c . | sed 's/^1$//')${res:0:$((17 + ${#q}))}"
    done < "$key"
done

# 4. variants: the same N the same worksheet, different N different ones;
# values are multiples of 0.5 in [-3, 3], sizes inside their ranges; and the
# worksheet's graph is a .graph file whose key is the variant's key
"$GVL" quiz graphs/ex1.graph --variant 4 --key "$tmp/v4a.key" > "$tmp/v4a.sheet"
"$GVL" quiz graphs/ex1.graph --variant 4 --key "$tmp/v4b.key" > "$tmp/v4b.sheet"
cmp -s "$tmp/v4a.sheet" "$tmp/v4b.sheet" && cmp -s "$tmp/v4a.key" "$tmp/v4b.key" && ok || bad "variant 4 twice differs"
for g in ex1 ex4_sizes mlp; do
    for n in 0 1 2 3 4 5 6 7 8 9; do
        "$GVL" quiz "graphs/$g.graph" --variant "$n" --key "$tmp/$g.$n.key" > "$tmp/$g.$n.sheet"
        # the graph, as printed, back to a file
        sed -n 's/^#   //p; s/^#$//p' "$tmp/$g.$n.sheet" > "$tmp/$g.$n.graph"
        "$GVL" quiz "$tmp/$g.$n.graph" --key "$tmp/$g.$n.back" > /dev/null 2> "$tmp/err" || bad "$g variant $n: its worksheet's graph fails: $(cat "$tmp/err")"
        if diff <(grep -v '^#' "$tmp/$g.$n.key") <(grep -v '^#' "$tmp/$g.$n.back") > /dev/null; then ok
        else bad "$g variant $n: the worksheet's graph has another key"; fi
        # every number in a declaration is k/2 with |k| <= 6
        vals=$(grep -E '^(input|param|const|label) ' "$tmp/$g.$n.graph" | grep -o '= .*' | tr -c -- '-0-9.\n' ' ')
        for x in $vals; do
            awk -v x="$x" 'BEGIN { exit !(x * 2 == int(x * 2) && x >= -3 && x <= 3) }' && ok || bad "$g variant $n: value $x"
        done
    done
    distinct=$(for n in 0 1 2 3 4 5 6 7 8 9; do md5sum < "$tmp/$g.$n.sheet"; done | sort -u | wc -l)
    same "$g: 10 variants, all different" 10 "$distinct"
done
for n in 0 1 2 3 4 5 6 7 8 9; do
    m=$(sed -n 's/^#   size m = \([0-9]*\)$/\1/p' "$tmp/ex4_sizes.$n.sheet")
    k=$(sed -n 's/^#   size k = \([0-9]*\)$/\1/p' "$tmp/ex4_sizes.$n.sheet")
    [ "$m" -ge 2 ] && [ "$m" -le 5 ] && [ "$k" -ge 3 ] && [ "$k" -le 6 ] && ok || bad "ex4_sizes variant $n: m=$m k=$k"
    # W is m x (k+1), y (k+2) x 1: by hand, dz/dw is m x m(k+1) and dL/dy 1 x (k+2)
    grep -qx "size(dz/dw) = ${m}x$((m * (k + 1)))" "$tmp/ex4_sizes.$n.key" && grep -qx "size(dL/dy) = 1x$((k + 2))" "$tmp/ex4_sizes.$n.key" \
        && ok || bad "ex4_sizes variant $n (m=$m k=$k): $(grep -E 'dz/dw|dL/dy' "$tmp/ex4_sizes.$n.key" | tr '\n' ' ')"
done

# 5. malformed lines: a diagnostic each, at its line and column; the rest graded
cat > "$tmp/bad.answers" <<'EOF'
shape(w^T) = 1x2
shap(y) = 1x1
value(y = 0
grad(w) [-8, -4]
value(L) = 4 4
size(dL/dw) = 1 by 2
value(qq) = 1
grad(w) = [-8, -4]
grad(w) = [1, 2]
EOF
"$GVL" grade graphs/ex1.graph "$tmp/bad.answers" > "$tmp/bad.out" 2> "$tmp/bad.err"
st=$?
same "malformed: exit" 1 "$st"
same "malformed: the messages" "$tmp/bad.answers:2:1: error: 'shap' is not a kind of answer (shape, size, value, grad or step)
$tmp/bad.answers:3:6: error: this '(' is not closed
$tmp/bad.answers:4:9: error: '=' expected after grad(w)
$tmp/bad.answers:5:14: error: '4' is not where a number, ',', '[' or ']' can be
$tmp/bad.answers:6:15: error: '1 by 2' is not a size: write it as 4x24 (or 4×24), a vector's as [3], a scalar's as scalar
$tmp/bad.answers:7:1: error: the worksheet has no question value(qq)
$tmp/bad.answers:9:1: error: grad(w) is answered twice: the first answer is graded" "$(grep ': error: ' "$tmp/bad.err")"
grep -qF "did you mean 'shape'?" "$tmp/bad.err" && ok || bad "no hint for 'shap'"
same "malformed: the rest graded" "$tmp/bad.answers: 2 of 33" "$(head -1 "$tmp/bad.out")"

# 6. empty, binary, missing, huge
: > "$tmp/empty.answers"
"$GVL" grade graphs/ex1.graph "$tmp/empty.answers" > "$tmp/out" 2> "$tmp/err"
same "empty: exit and score" "0 $tmp/empty.answers: 0 of 33" "$? $(head -1 "$tmp/out")"
printf 'shape(x) = 2x1\n\000\001\002\377' > "$tmp/binary.answers"
"$GVL" grade graphs/ex1.graph "$tmp/binary.answers" --format prairielearn > "$tmp/out" 2> "$tmp/err"
same "binary: exit" 1 "$?"
grep -q '"gradable":	false' "$tmp/out" && grep -q '"format_errors":	\[".*binary.answers: error: this is not a text file' "$tmp/out" \
    && ok || bad "binary: prairielearn output: $(cat "$tmp/out")"
"$GVL" grade graphs/ex1.graph "$tmp/missing.answers" "$tmp/empty.answers" > "$tmp/out" 2> "$tmp/err"
same "missing: exit" 2 "$?"
same "missing: message" "graphviz-lab: error: cannot read '$tmp/missing.answers': No such file or directory" "$(cat "$tmp/err")"
grep -q "empty.answers: 0 of 33" "$tmp/out" && ok || bad "missing: the other file was not graded"
# 200,000 garbage lines (10 MB): diagnostics, capped, and no hang
awk 'BEGIN { for (i = 0; i < 200000; i++) print "zz(" i ") = ][ garbage garbage garbage" }' > "$tmp/huge.answers"
timeout 60 "$GVL" grade graphs/ex1.graph "$tmp/huge.answers" > "$tmp/out" 2> "$tmp/err"
same "huge: exit" 1 "$?"
errs=$(grep -c ': error: ' "$tmp/err")
[ "$errs" -ge 1 ] && [ "$errs" -le 100 ] && ok || bad "huge: $errs errors printed"

# 7. the formats
"$GVL" quiz graphs/ex1.graph --key "$tmp/ex1.key" > /dev/null
"$GVL" grade graphs/ex1.graph "$tmp/hand.answers" --format gradescope > "$tmp/gs.json"
for t in '"score":	7' '"name":	"grad(w)"' '"max_score":	1' '"status":	"passed"' '"status":	"failed"' '"output":	"not answered"'; do
    grep -qF "$t" "$tmp/gs.json" && ok || bad "gradescope lacks $t"
done
"$GVL" grade graphs/ex1.graph "$tmp/hand.answers" --format prairielearn > "$tmp/pl.json"
for t in '"gradable":	true' '"score":	0.21212121212121213' '"points":	1' '"max_points":	1' '"message":	"right"'; do
    grep -qF "$t" "$tmp/pl.json" && ok || bad "prairielearn lacks $t"
done
"$GVL" grade graphs/ex1.graph "$tmp/ex1.key" "$tmp/hand.answers" "$tmp/empty.answers" --format csv > "$tmp/class.csv"
same "csv: rows" 4 "$(wc -l < "$tmp/class.csv")"
same "csv: header" "file,score,max_score,shape(w^T),shape(w^T @ x)" "$(head -1 "$tmp/class.csv" | cut -d, -f1-5)"
same "csv: the key's row" "$tmp/ex1.key,33,33" "$(sed -n 2p "$tmp/class.csv" | cut -d, -f1-3)"
"$GVL" grade graphs/ex1.graph "$tmp/hand.answers" --json --show-answers > "$tmp/g.json"
grep -qF '"question":	"value(L)"' "$tmp/g.json" && grep -qF '"expected":	"4.000000000000002"' "$tmp/g.json" \
    && ok || bad "grade --json --show-answers"
"$GVL" quiz graphs/ex1.graph --format html > "$tmp/ex1.html" && xmllint --html --noout "$tmp/ex1.html" 2> "$tmp/err" \
    && [ ! -s "$tmp/err" ] && ok || bad "quiz --format html: $(head -3 "$tmp/err")"
"$GVL" quiz graphs/ex1.graph --format md > "$tmp/ex1.md" && grep -qx 'grad(w) =' "$tmp/ex1.md" && ok || bad "quiz --format md"
"$GVL" quiz graphs/ex1.graph --variant 2 --format latex > "$tmp/ex1.tex"
if command -v pdflatex > /dev/null; then
    (cd "$tmp" && pdflatex -interaction=nonstopmode -halt-on-error ex1.tex > latex.log 2>&1) && [ -s "$tmp/ex1.pdf" ] \
        && ok || bad "pdflatex ex1.tex: $(tail -5 "$tmp/latex.log")"
elif [ "${GVL_REQUIRE_TEX:-0}" = 1 ]; then
    bad "pdflatex is not installed (apt-get install texlive-latex-base), and GVL_REQUIRE_TEX=1"
else
    grep -q '\\end{document}' "$tmp/ex1.tex" && ok || bad "quiz --format latex"
    echo "note: pdflatex is not installed: the LaTeX worksheet was not compiled"
fi

# 8. a student's .graph file: each named node of the key is a question
cp graphs/ex1.graph "$tmp/student.graph"
same "student graph, the same" "$tmp/student.graph: 17 of 17" "$("$GVL" grade graphs/ex1.graph "$tmp/student.graph" | head -1)"
sed 's/^const b = 0 /const b = 1 /' graphs/ex1.graph > "$tmp/student.graph"
same "student graph, b = 1: what depends on b fails" "value(b) value(y) value(L) grad(x) grad(w) grad(b) grad(y_t) grad(y)" \
    "$("$GVL" grade graphs/ex1.graph "$tmp/student.graph" | awk '$1 == "FAIL" { printf "%s%s", sep, $2; sep = " " }')"

# 9. usage errors
"$GVL" grade graphs/ex1.graph > /dev/null 2>&1; same "grade without answers" 2 "$?"
"$GVL" quiz graphs/ex1.graph --questions shapes > /dev/null 2>&1; same "--questions shapes" 2 "$?"
"$GVL" quiz graphs/ex1.graph --only 'size(dz/dw)' > /dev/null 2> "$tmp/err"; same "--only unknown: exit" 2 "$?"
same "--only unknown: message" "graphviz-lab: error: --only: graphs/ex1.graph has no question 'size(dz/dw)' (quiz graphs/ex1.graph lists them all)" "$(cat "$tmp/err")"
"$GVL" quiz graphs/ex1.graph --format csv > /dev/null 2>&1; same "quiz --format csv" 2 "$?"
"$GVL" quiz graphs/ex1.graph --questions value,step --key "$tmp/vs.key" -o "$tmp/vs.sheet"
same "--questions value,step" "value(w^T) step(w)" "$(grep -v '^#' "$tmp/vs.key" | sed -n '1p;$p' | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//')"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
