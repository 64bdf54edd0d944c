#!/usr/bin/env bash
# Diagrams: every graph in graphs/ as DOT (checked for its labels and read
# back by dot with no warning), each output format produced and validated,
# and the promise that OUT is replaced whole or not at all.
# Needs Graphviz's dot and its plugins; without them it skips (exit 77).
set -u
: "${GVL:?set GVL to the graphviz-lab program}" "${SRCDIR:?set SRCDIR to the source tree}"
cd "$SRCDIR" || exit 1
if ! command -v dot > /dev/null || ! echo 'digraph{a->b}' | dot -Tpng > /dev/null 2>&1; then
    echo "SKIP: Graphviz's dot or its png plugin is missing (apt-get install graphviz; dot -c)"
    exit 77
fi
pass=0 fail=0
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# expect_in FILE TEXT...: every TEXT occurs in FILE
expect_in() {
    local f=$1 t
    shift
    for t in "$@"; do
        if grep -qF -- "$t" "$f"; then ok; else bad "$f lacks '$t'"; fi
    done
}

# 1. every shipped graph as DOT, read back by dot itself without a warning
for g in graphs/*.graph; do
    b=$(basename "$g" .graph)
    if ! "$GVL" render "$g" -o "$tmp/$b.dot" 2> "$tmp/$b.err"; then bad "render $g -o $b.dot failed"; cat "$tmp/$b.err"; continue; fi
    if dot -Tsvg "$tmp/$b.dot" -o /dev/null 2> "$tmp/$b.dotwarn" && [ ! -s "$tmp/$b.dotwarn" ]; then ok
    else bad "dot complains about $b.dot:"; cat "$tmp/$b.dotwarn"; fi
done
# the labels the lab asks for: shapes, Jacobian sizes, values, gradients;
# the tooltips' exact numbers are PyTorch's (tests/reference/ex1.json, ex3.json)
expect_in "$tmp/ex4.dot" "∂z/∂w: 4×24" "∂L/∂q: 1×4" "∂q/∂z: 4×4" "∂p/∂y: 5×17" "hom · 6×1" "param · 4×6" \
    "label · 4×1" "legend"
expect_in "$tmp/ex1.dot" "-2.449e-16" "∂L/∂y: 1×1" "param · 2×1" "after" "before" \
    "after 1 step = [[5.5707963267948974], [5.141592653589793]]" \
    "grad ∂L/∂w = [[-8.000000000000002], [-4.000000000000001]]" "mse · scalar"
expect_in "$tmp/ex2.dot" "conv2d · 2×2" "∂vec(c1)/∂vec(w): 4×4"
expect_in "$tmp/ex3.dot" "grad ∂f/∂w = [[2, 1]]" "after 1 step = [[0, -0.5]]"

# 2. options change what is drawn
"$GVL" render graphs/ex3.graph -o "$tmp/back.dot" --backward 2>/dev/null
expect_in "$tmp/back.dot" "style=dashed" "∂f/∂vec(c) · ∂vec(c)/∂vec(w)\\n∂vec(c)/∂vec(w) = [[2, 1], [1, 2]]" \
    "label=\"∂f/∂vec(c)\\n∂f/∂vec(c) = [[1, 0]]\""
"$GVL" render graphs/ex1.graph -o "$tmp/plain.dot" --no-values --no-grads --no-jacobians --ascii 2>/dev/null
if grep -qF -- "-2.449e-16" "$tmp/plain.dot" || grep -qF "label=\"d" "$tmp/plain.dot"; then
    bad "--no-values/--no-jacobians still drew values or edge labels"
else ok; fi
expect_in "$tmp/plain.dot" "param · 2x1"
# boxes show 4 digits by default, and exactly what --precision says, 6 included
"$GVL" render graphs/ex1.graph -o "$tmp/p6.dot" --precision 6 2>/dev/null
expect_in "$tmp/p6.dot" "-2.44929e-16"
if grep -qF -- " -2.449e-16 " "$tmp/p6.dot"; then bad "--precision 6 drew 4 digits"; else ok; fi
"$GVL" render graphs/ex1.graph -o "$tmp/tb.dot" --rankdir TB 2>/dev/null
expect_in "$tmp/tb.dot" "rankdir=TB"
"$GVL" render graphs/ex1.graph -o "$tmp/of.dot" --of y 2>/dev/null
expect_in "$tmp/of.dot" "grad ∂y/∂w = [[2], [1]]"

# 3. each format, and the file is of its kind
"$GVL" render graphs/ex1.graph -o "$tmp/ex1.svg" && xmllint --noout "$tmp/ex1.svg" && ok || bad "ex1.svg is not well-formed XML"
expect_in "$tmp/ex1.svg" "<title>w (param, 2×1)" "value = [[1.5707963267948966], [3.141592653589793]]"
"$GVL" render graphs/ex1.graph -o "$tmp/ex1.png" && [ "$(head -c 8 "$tmp/ex1.png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] \
    && ok || bad "ex1.png is not a PNG"
"$GVL" render graphs/ex1.graph -o "$tmp/ex1.pdf" && [ "$(head -c 5 "$tmp/ex1.pdf")" = "%PDF-" ] \
    && tail -c 8 "$tmp/ex1.pdf" | grep -q '%%EOF' && ok || bad "ex1.pdf is not a PDF"
"$GVL" render graphs/ex1.graph -o "$tmp/ex1.json" || bad "render -o ex1.json failed"
expect_in "$tmp/ex1.json" '"nodes":' '"edges":' '"loss":' '"loss_value":' '"label":'
if command -v python3 > /dev/null; then   # the exact numbers, where python3 can parse JSON
python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["loss"] == "L" and abs(j["loss_value"] - 4) < 1e-12, j["loss_value"]
w = [n for n in j["nodes"] if n["name"] == "w"][0]
assert [[round(x, 9) for x in r] for r in w["grad"]] == [[-8], [-4]], w["grad"]
assert any(e["label"] == "dz/dw" or e["jacobian"] == [1, 2] for e in j["edges"])
' "$tmp/ex1.json" && ok || bad "ex1.json lacks the eval object and edges"
fi
"$GVL" render graphs/ex4.graph -T svg -o - 2>/dev/null | xmllint --noout - && ok || bad "-T svg -o - is not SVG on stdout"
for f in 0 neato fdp sfdp circo twopi; do
    [ "$f" = 0 ] && continue
    "$GVL" render graphs/ex3.graph -o "$tmp/ex3-$f.svg" --engine "$f" 2>/dev/null && xmllint --noout "$tmp/ex3-$f.svg" \
        && ok || bad "--engine $f"
done

# 4. OUT is replaced whole or not at all
out="$tmp/keep.svg"
echo old > "$out"
"$GVL" render graphs/errors/matmul_inner.graph -o "$out" 2>/dev/null; rc=$?
[ $rc -eq 1 ] && [ "$(cat "$out")" = old ] && ok || bad "a bad graph (exit $rc) touched an existing OUT"
"$GVL" render graphs/ex1.graph -o "$out" --engine nope 2>/dev/null; rc=$?
[ $rc -eq 2 ] && [ "$(cat "$out")" = old ] && ok || bad "a bad flag (exit $rc) touched an existing OUT"
"$GVL" render graphs/ex1.graph -o "$tmp/x.unknown" 2>/dev/null; rc=$?
[ $rc -eq 2 ] && [ ! -e "$tmp/x.unknown" ] && ok || bad "an unknown extension gave exit $rc or a file"
# a directory that cannot be written: a path under a regular file fails for
# root too (ENOTDIR); a read-only directory only for other users
echo file > "$tmp/afile"
"$GVL" render graphs/ex1.graph -o "$tmp/afile/x.svg" 2>"$tmp/notdir.err"; rc=$?
[ $rc -eq 2 ] && [ "$(cat "$tmp/afile")" = file ] && grep -q "cannot write '$tmp/afile/x.svg': Not a directory" \
    "$tmp/notdir.err" && ok || { bad "a path under a regular file gave exit $rc"; cat "$tmp/notdir.err"; }
mkdir "$tmp/ro" && chmod a-w "$tmp/ro"
if [ "$(id -u)" -ne 0 ]; then
    "$GVL" render graphs/ex1.graph -o "$tmp/ro/x.svg" 2>/dev/null; rc=$?
    [ $rc -eq 2 ] && [ -z "$(ls -A "$tmp/ro")" ] && ok || bad "a read-only directory gave exit $rc or left a file"
fi
"$GVL" render graphs/ex1.graph -o "$tmp/nodir/x.svg" 2>"$tmp/nodir.err"; rc=$?
[ $rc -eq 2 ] && grep -q "cannot write" "$tmp/nodir.err" && ok || bad "a missing directory gave exit $rc"
GVBINDIR="$tmp/empty" "$GVL" render graphs/ex1.graph -o "$out" 2>"$tmp/plugins.err"; rc=$?
[ $rc -eq 2 ] && [ "$(cat "$out")" = old ] && grep -q "dot -c" "$tmp/plugins.err" && ok \
    || { bad "missing plugins gave exit $rc, or no hint"; cat "$tmp/plugins.err"; }
# a target that cannot be replaced (a directory): the rename fails, nothing is left
mkdir "$tmp/isdir.svg"
"$GVL" render graphs/ex1.graph -o "$tmp/isdir.svg" 2>"$tmp/isdir.err"; rc=$?
[ $rc -eq 2 ] && [ -d "$tmp/isdir.svg" ] && [ -z "$(ls -A "$tmp/isdir.svg")" ] && grep -q "cannot write" "$tmp/isdir.err" \
    && ok || bad "rendering over a directory gave exit $rc"
# interrupted midway: a render killed before it could finish leaves OUT as it
# was.  The input is a FIFO that stays open, so the program is certainly
# still reading when the signal comes: no sleep, no race.
mkfifo "$tmp/in.graph"
"$GVL" render "$tmp/in.graph" -o "$out" 2>/dev/null &
pid=$!
exec 3> "$tmp/in.graph"          # returns once the program has opened its input
printf 'input x[2,1] = [2, 1]\n' >&3
kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rc=$?
exec 3>&-
[ $rc -eq 143 ] && [ "$(cat "$out")" = old ] && ok || bad "an interrupted render (exit $rc) touched OUT"
leftover=$(find "$tmp" -name '.gvl-*' | head -1)
[ -z "$leftover" ] && ok || bad "a temporary file was left behind: $leftover"
"$GVL" render graphs/ex1.graph -o "$out" && xmllint --noout "$out" && ok || bad "a good render did not replace OUT"

# 5. a tooltip carries at most 1000 values, cut with balanced brackets and a
# note saying where the rest is (every value of a 2^20-element tensor once
# made a 25 MB diagram that took 10 s)
printf 'param W[10,10,15]\nL = sum(W)\n' > "$tmp/cut.graph"
"$GVL" render "$tmp/cut.graph" --random 1 -o "$tmp/cut.dot"
sed -e ':a' -e '/\\$/{N;s/\\\n//;ba' -e '}' "$tmp/cut.dot" | grep -o 'value = [^"]*' | head -1 > "$tmp/tip"
open=$(tr -cd '[' < "$tmp/tip" | wc -c) close=$(tr -cd ']' < "$tmp/tip" | wc -c)
values=$(sed 's/ (the first.*//' "$tmp/tip" | grep -o '[-0-9][0-9.e+-]*' | wc -l)
[ "$open" -eq "$close" ] && [ "$values" -eq 1000 ] \
    && grep -qF ', ...]]] (the first 1000 of 1500 values; eval --json and render -o FILE.json have them all)' "$tmp/tip" \
    && ok || bad "the tooltip of a 1500-element tensor: $values values, $open '[' and $close ']': $(tail -c 200 "$tmp/tip")"
"$GVL" eval "$tmp/cut.graph" --random 1 --json | tr -d ' \t\n' | grep -o '"value":\[\[\[[^]]*' | head -1 | cut -d'[' -f4 | cut -d, -f1 > "$tmp/first"
grep -qF "value = [[[$(cat "$tmp/first")," "$tmp/tip" && ok || bad "the tooltip's first value is not eval's $(cat "$tmp/first")"

# 6. render takes --steps and --lr as train does: the "after" it draws is
# train's param after those steps; long work says how far it is
"$GVL" render graphs/ex1.graph --steps 3 --lr 0.1 -o "$tmp/steps.dot" 2> "$tmp/steps.err" && ok || bad "render --steps 3 --lr 0.1 failed"
want=$("$GVL" train graphs/ex1.graph --steps 3 --lr 0.1 --json | grep -o '"step":3,.*' | grep -o '"w":\[\[[^]]*\],\[[^]]*\]\]' | sed 's/"w"://; s/,/, /g')
grep -qF "after 3 steps = $want" "$tmp/steps.dot" && ok || bad "render --steps 3 does not draw train's w after 3 steps ($want)"
GVL_PROGRESS_AFTER=0 "$GVL" train graphs/ex1.graph --steps 2000 > /dev/null 2> "$tmp/progress.err"; rc=$?
[ $rc -eq 0 ] && grep -q '^graphviz-lab: note: gradient descent: step 1 of 2000 (0.1%), about [0-9]* s left$' "$tmp/progress.err" \
    && ok || { bad "train printed no progress line (exit $rc):"; cat "$tmp/progress.err"; }
"$GVL" train graphs/ex1.graph --steps 2000 > /dev/null 2> "$tmp/progress.err"
[ ! -s "$tmp/progress.err" ] && ok || bad "quick work printed a progress line: $(cat "$tmp/progress.err")"

# 7. under a tight `ulimit -v`, render ends in a message and exit 2, never a
# crash: Graphviz, cairo and pango die when memory runs out (SIGSEGV, a GLib
# abort), so the drawing runs in a child and is refused when it cannot fit.
# Each run: exit 0 with a whole diagram, or exit 2 with an error naming the
# limit; only our own lines on standard error; no OUT and no temporary file
# after a failure.  (Skipped where the program cannot start under a limit:
# AddressSanitizer reserves terabytes of address space.)
if (ulimit -v 400000; "$GVL" --version > /dev/null 2>&1); then
    bench/gen-chain.sh 1000 > "$tmp/chain.graph"
    refused=0 drawn=0
    for g in graphs/ex1.graph "$tmp/chain.graph"; do
        for fmt in svg png; do
            for kib in 30000 45000 60000 80000 110000 150000 220000 320000 500000; do
                rm -rf "$tmp/mem" && mkdir "$tmp/mem"
                (ulimit -v $kib; exec "$GVL" render "$g" --random 1 -o "$tmp/mem/out.$fmt") > /dev/null 2> "$tmp/mem.err"
                rc=$?
                what="render $(basename "$g") -o out.$fmt under ulimit -v $kib"
                if grep -qv '^graphviz-lab: ' "$tmp/mem.err"; then bad "$what printed what is not ours:"; cat "$tmp/mem.err"
                elif [ $rc = 0 ]; then
                    if [ $fmt = svg ]; then xmllint --noout "$tmp/mem/out.svg" 2> /dev/null; else head -c 8 "$tmp/mem/out.png" | od -An -c | grep -q 'P   N   G'; fi \
                        && { ok; drawn=$((drawn + 1)); } || bad "$what exited 0 with a broken diagram"
                elif [ $rc = 2 ] && tail -n 1 "$tmp/mem.err" | grep -qE '^graphviz-lab: error: .*(ulimit -v|out of memory)'; then
                    [ -z "$(ls -A "$tmp/mem")" ] && { ok; refused=$((refused + 1)); } || bad "$what failed and left $(ls -A "$tmp/mem")"
                else
                    bad "$what: exit $rc"; cat "$tmp/mem.err"
                fi
            done
        done
    done
    # both outcomes happened, so the sweep spans the limit
    [ $refused -gt 0 ] && [ $drawn -gt 0 ] && ok || bad "the memory sweep drew $drawn and refused $refused"
else
    echo "note: section 7 skipped: the program cannot start under ulimit -v"
fi

# 8. a leaf used more than 4 times (a weight shared by every layer) is drawn
# beside each use: one W shared by 80 matmuls once kept dot busy for over two
# minutes (160 nodes: 76 s); the layout now has a W box per use
{
    printf 'input x[4,1] = 1\nparam W[4,4] = 0.1\n'
    prev=x
    for i in $(seq 1 80); do printf 'h%d = W @ %s\n' "$i" "$prev"; prev=h$i; done
    printf 'L = sum(%s)\n' "$prev"
} > "$tmp/shared.graph"
timeout 60 "$GVL" render "$tmp/shared.graph" -o "$tmp/shared.dot" 2> "$tmp/shared.err"
boxes=$(grep -c '<B>W</B>' "$tmp/shared.dot")
[ "$boxes" -eq 80 ] && grep -qF 'a leaf used in many places is drawn beside each use' "$tmp/shared.err" \
    && ok || bad "a W shared by 80 matmuls: $boxes W boxes in the DOT (want 80): $(cat "$tmp/shared.err")"
# ... as a PNG, 82 ranks deep, it is drawn in columns (render_plan.c): a
# picture that fits cairo's 32767-pixel limit, with our note saying so
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%d %d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }'; }
timeout 60 "$GVL" render "$tmp/shared.graph" -o "$tmp/shared.png" 2> "$tmp/shared_png.err"
read -r pw ph <<EOF
$(png_size "$tmp/shared.png")
EOF
grep -qx 'graphviz-lab: note: 82 ranks deep: drawn in 8 columns, left to right; a dashed box stands for a node drawn in an earlier column' "$tmp/shared_png.err" \
    && ! grep -q "cairo" "$tmp/shared_png.err" && [ "$pw" -lt 32767 ] && [ "$ph" -lt 32767 ] && [ "$pw" -gt "$ph" ] \
    && ok || bad "a PNG of 82 ranks in columns: ${pw}x${ph}: $(cat "$tmp/shared_png.err")"
# ... forced left to right it passes cairo's limit: our note, not Graphviz's
timeout 60 "$GVL" render "$tmp/shared.graph" -o "$tmp/shared_lr.png" --rankdir LR 2> "$tmp/shared_png.err"
grep -q "note: the picture is larger than cairo's bitmap limit (32767 pixels a side), so the PNG is drawn at [0-9]*% of its size" "$tmp/shared_png.err" \
    && ! grep -q 'Graphviz says' "$tmp/shared_png.err" && ok || bad "a PNG over cairo's limit: $(cat "$tmp/shared_png.err")"
printf 'param W[2,2] = 1\ninput x[2] = 1\nL = sum(W @ (W @ x))\n' > "$tmp/twice.graph"
"$GVL" render "$tmp/twice.graph" -o "$tmp/twice.dot" 2> "$tmp/twice.err"
boxes=$(grep -c '<B>W</B>' "$tmp/twice.dot")
[ "$boxes" -eq 1 ] && ! [ -s "$tmp/twice.err" ] && ok || bad "a W used twice is drawn $boxes times"

# 9. the HTML page (tests/html.sh drives it in Chromium): one file that
# loads nothing (no http: or https: anywhere, no src= or href= to a file),
# every marker of the template filled, and data blocks that are exactly
# what eval --json and dims --json print
block() {   # block ID FILE: the JSON of <script type="application/json" id=ID>
    awk -v id="$1" 'index($0, "<script type=\"application/json\" id=\"" id "\">") {
        sub(/.*<script type="application\/json" id="[a-z-]*">/, ""); p = 1 }
        p { if (sub(/<\/script>$/, "")) { if (length($0)) print; exit } print }' "$2"
}
for b in ex1 ex2 ex3 ex4 mlp; do
    page=$tmp/$b.html
    if ! "$GVL" render "graphs/$b.graph" -o "$page" 2> "$tmp/$b.html.err"; then bad "render $b -o $b.html failed: $(cat "$tmp/$b.html.err")"; continue; fi
    if grep -qE 'https?:' "$page"; then bad "$b.html names a network address: $(grep -oE '.{20}https?:.{20}' "$page" | head -1)"; else ok; fi
    if grep -qE '<script[^>]* src=|<link |<img |<iframe |url\(' "$page"; then bad "$b.html loads a file: $(grep -oE '<script[^>]* src=[^>]*>|<link [^>]*>|<img [^>]*>|url\([^)]*\)' "$page" | head -1)"; else ok; fi
    if grep -q '<!--gvl:' "$page"; then bad "$b.html has an unfilled template marker"; else ok; fi
    expect_in "$page" '<svg' 'id="gvl&#45;node&#45;0"' 'class="node"' 'svg-pan-zoom v3.6.2' \
        'Redistribution and use in source and binary forms' 'id="btn-forward"' 'id="btn-backward"'
    "$GVL" dims "graphs/$b.graph" --json > "$tmp/$b.dims.json"
    if block gvl-dims "$page" | cmp -s - "$tmp/$b.dims.json"; then ok; else bad "$b.html: its dims block is not dims --json"; fi
    if "$GVL" eval "graphs/$b.graph" --json > "$tmp/$b.eval.json" 2> /dev/null; then
        if block gvl-eval "$page" | cmp -s - "$tmp/$b.eval.json"; then ok; else bad "$b.html: its eval block is not eval --json"; fi
    elif block gvl-eval "$page" | grep -q '"value":	null'; then ok
    else bad "$b.html: a shapes-only file's eval block should have null values"; fi
done
# exercise 1's page: the backward order (the loss L=8 first, then every node
# with a gradient, last id first), the param after its step, the chain rule
# of w; ex4 (shapes only) has no values and says so on stderr
block gvl-page "$tmp/ex1.html" > "$tmp/ex1.page.json"
expect_in "$tmp/ex1.page.json" '"backward":	[8, 7, 6, 5, 4, 3, 2, 1, 0]' '"steps":	1' '"lr":	0.5' \
    '"1":	[[5.5707963267948974], [5.141592653589793]]' '"has_values":	true' '"root":	8'
block gvl-explain "$tmp/ex1.html" > "$tmp/ex1.explain.json"
expect_in "$tmp/ex1.explain.json" '"matrix":	"x^T ⊗ I"' '"value":	[[-8.000000000000002, -4.000000000000001]]'
block gvl-page "$tmp/ex4.html" > "$tmp/ex4.page.json"
expect_in "$tmp/ex4.page.json" '"has_values":	false' '"steps":	0' '"backward":	[7, 6, 5, 4, 3, 2, 1, 0]'
expect_in "$tmp/ex4.html.err" "graphs/ex4.graph gives shapes only, so the diagram shows no values"
# -T html to standard output is the same page; a file with an error writes none
"$GVL" render graphs/ex1.graph -T html -o - > "$tmp/stdout.html" && cmp -s "$tmp/stdout.html" "$tmp/ex1.html" && ok \
    || bad "render -T html -o - differs from -o ex1.html"
"$GVL" render graphs/errors/bad_dim_dependant.graph -o "$tmp/bad.html" 2> /dev/null
st=$?
[ $st -eq 1 ] && [ ! -e "$tmp/bad.html" ] && ok || bad "render of a broken file to HTML: exit $st, file left: $(ls "$tmp/bad.html" 2>&1)"

# 10. every engine but dot lays boxes out without overlap: Graphviz itself
# lays out the DOT we write (the same attributes as in-process) and the
# boxes of its plain output are checked pairwise
for e in neato fdp sfdp circo twopi; do
    for b in ex1 ex2 ex3 ex4 mlp; do
        "$GVL" render "graphs/$b.graph" -o "$tmp/$b.$e.dot" --engine "$e" 2> /dev/null
        pairs=$(dot -K"$e" -Tplain "$tmp/$b.$e.dot" 2> /dev/null | awk '$1 == "node" { n++; x[n] = $3; y[n] = $4; w[n] = $5; h[n] = $6 }
            END { c = 0; for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
                if ((x[i] - x[j]) ^ 2 * 4 < (w[i] + w[j]) ^ 2 && (y[i] - y[j]) ^ 2 * 4 < (h[i] + h[j]) ^ 2) c++; print n ? c : -1 }')
        [ "$pairs" = 0 ] && ok || bad "--engine $e on $b: $pairs pairs of boxes overlap"
    done
done
# ... and no edge label covers a box, with any engine: dot gives labels a
# rank (or, over 150 nodes, a free place beside the edge), the others get
# each label as a node of its own that their overlap removal places
# (tests/svg_overlaps.py prints overlapping box pairs, covered labels, labels)
bench/gen-chain.sh 200 > "$tmp/chain200.graph"
for e in dot neato fdp sfdp circo twopi; do
    for b in graphs/ex1 graphs/ex4 graphs/mlp graphs/mlp3 "$tmp/chain200"; do
        [ "$e" != dot ] && [ "$b" = "$tmp/chain200" ] && continue
        "$GVL" render "$b.graph" -o "$tmp/over.svg" --engine "$e" --random 1 2> "$tmp/over.err"
        set -- $(python3 tests/svg_overlaps.py "$tmp/over.svg")
        labels=$(grep -o '<text' "$tmp/over.svg" | wc -l)
        [ "$1" = 0 ] && [ "$2" = 0 ] && ! grep -q 'no room' "$tmp/over.err" && [ "$labels" -gt 10 ] \
            && ok || bad "--engine $e on $(basename "$b"): $1 pairs of boxes overlap, $2 of $3 edge labels cover a box: $(cat "$tmp/over.err")"
    done
done
# neato's labels are nodes on the edge: ex1's 8 Jacobian labels, 8 nodes
"$GVL" render graphs/ex1.graph -o "$tmp/ex1.neato.dot" --engine neato 2> /dev/null
[ "$(grep -c '^	l[0-9]*_[0-9]*	\[' "$tmp/ex1.neato.dot")" = 8 ] && grep -q 'label="∂y/∂b: 1×1"' "$tmp/ex1.neato.dot" \
    && ok || bad "--engine neato: the edge labels are not 8 label nodes: $(grep -c '^	l' "$tmp/ex1.neato.dot")"

# 11. functions: each call a cluster labelled with its function, holding the
# nodes its body made (mlp3: h1's are n7-n9, h2's n10-n12); --collapse draws
# each call as one box whose edges carry the whole block's Jacobian size
# (h2 is [3] and h1 [5]: 3x5; vec(W1) has 20 elements: 5x20)
members() {   # members FILE CLUSTER: the node ids inside that cluster's block
    awk -v c="subgraph $2 {" 'index($0, c) { on = 1; d = 0 } on { d += gsub(/{/, "{"); d -= gsub(/}/, "}");
        if ($1 ~ /^n[0-9]+$/) print $1; if (d == 0) on = 0 }' "$1" | sort -u | tr '\n' ' '
}
"$GVL" render graphs/mlp3.graph -o "$tmp/mlp3.dot" 2> /dev/null
expect_in "$tmp/mlp3.dot" 'label="layer: h1"' 'label="layer: h2"'
[ "$(grep -c 'subgraph cluster_' "$tmp/mlp3.dot")" = 2 ] && ok || bad "mlp3: not 2 clusters"
[ "$(members "$tmp/mlp3.dot" cluster_call0)" = "n7 n8 n9 " ] && ok || bad "mlp3 cluster h1 holds: $(members "$tmp/mlp3.dot" cluster_call0)"
[ "$(members "$tmp/mlp3.dot" cluster_call1)" = "n10 n11 n12 " ] && ok || bad "mlp3 cluster h2 holds: $(members "$tmp/mlp3.dot" cluster_call1)"
for how in "--collapse" "--collapse layer" "--collapse=layer"; do
    # shellcheck disable=SC2086
    "$GVL" render graphs/mlp3.graph $how -o "$tmp/mlp3c.dot" 2> /dev/null
    edges=$(grep -o '^	[a-z0-9]* -> [a-z0-9]*' "$tmp/mlp3c.dot" | tr -d '\t' | sort | tr '\n' ' ')
    [ "$edges" = "call0 -> call1 call1 -> n13 n0 -> call0 n1 -> call0 n13 -> n14 n14 -> n16 n15 -> n16 n2 -> call0 n3 -> call1 n4 -> call1 n5 -> n13 n6 -> n14 " ] && ok \
        || bad "render $how: edges $edges"
    grep -q 'subgraph cluster_' "$tmp/mlp3c.dot" && bad "render $how still draws a cluster" || ok
    expect_in "$tmp/mlp3c.dot" '∂h2/∂h1: 3×5' '∂h1/∂vec(W1): 5×20' 'layer · [3] · 3 nodes'
done
"$GVL" render graphs/mlp3.graph --collapse h2 -o "$tmp/mlp3h2.dot" 2> /dev/null
[ "$(grep -c 'subgraph cluster_' "$tmp/mlp3h2.dot")" = 1 ] && grep -q '^	call1 ' "$tmp/mlp3h2.dot" && ! grep -q '^	call0 ' "$tmp/mlp3h2.dot" && ok \
    || bad "--collapse h2 should box only the call h2"
"$GVL" render graphs/mlp3.graph --collapse nope -o "$tmp/nope.svg" 2> "$tmp/nope.err"
st=$?
[ $st -eq 2 ] && [ ! -e "$tmp/nope.svg" ] && [ "$(cat "$tmp/nope.err")" = "graphviz-lab: error: --collapse nope: no call and no called function is named nope" ] && ok \
    || bad "--collapse nope: exit $st, $(cat "$tmp/nope.err")"
# a call inside a call: its cluster inside the outer one, named outer/inner
printf 'input x[2] = [1, 2]\ndef inner(a) = 2 * a\ndef outer(a)\n    h = inner(a)\n    return h + a\nend\ny = outer(x)\nL = sum(y)\n' > "$tmp/nested.graph"
"$GVL" render "$tmp/nested.graph" -o "$tmp/nested.dot" 2> /dev/null
expect_in "$tmp/nested.dot" 'label="outer: y"' 'label="inner: y/h"'
awk '/subgraph cluster_call0/ { on = 1 } on && /subgraph cluster_call1/ { found = 1 } END { exit !found }' "$tmp/nested.dot" && ok \
    || bad "the inner call's cluster is not inside the outer one"
"$GVL" render graphs/cnn.graph -o "$tmp/cnn.png" 2> /dev/null && [ -s "$tmp/cnn.png" ] && ok || bad "render of graphs/cnn.graph"
"$GVL" render graphs/cnn.graph --collapse -o "$tmp/cnn.svg" 2> /dev/null && xmllint --noout "$tmp/cnn.svg" && ok || bad "render --collapse of graphs/cnn.graph"

# 12. the layout is chosen from the graph's shape (render_plan.c): a
# shallow graph left to right, a deep one top to bottom, and one deeper
# than a few screens in columns side by side, each laid out by dot on its
# own, with a dashed stand-in where a column uses a node drawn earlier
# (tests/svg_columns.py checks every node is drawn once, each stand-in is
# right of its node, each call's cluster whole)
"$GVL" render graphs/ex1.graph -o "$tmp/ex1.auto.dot" 2> /dev/null
"$GVL" render graphs/mlp3.graph -o "$tmp/mlp3.auto.dot" 2> /dev/null
grep -q 'rankdir=LR' "$tmp/ex1.auto.dot" && grep -q 'rankdir=TB' "$tmp/mlp3.auto.dot" && ok \
    || bad "ex1 (6 ranks) should go left to right, mlp3 (10 ranks) top to bottom"
"$GVL" render graphs/mlp3.graph --rankdir LR -o "$tmp/mlp3.lr.dot" 2> /dev/null
grep -q 'rankdir=LR' "$tmp/mlp3.lr.dot" && ok || bad "--rankdir LR is not kept on a deep graph"
{
    printf 'def block(a) = sin(W @ a) + a\ninput x[4,1]\nparam W[4,4]\n'
    prev=x
    for i in $(seq 1 30); do printf 'h%d = block(%s)\n' "$i" "$prev"; prev=h$i; done
    printf 'L = sum(%s)\n' "$prev"
} > "$tmp/blocks.graph"
"$GVL" eval "$tmp/blocks.graph" --random 1 --json > "$tmp/blocks.json"
"$GVL" render "$tmp/blocks.graph" --random 1 -o "$tmp/blocks.svg" 2> "$tmp/blocks.err"
set -- $(python3 tests/svg_columns.py "$tmp/blocks.svg" "$tmp/blocks.json")
grep -qx 'graphviz-lab: note: 92 ranks deep: drawn in 8 columns, left to right; a dashed box stands for a node drawn in an earlier column' "$tmp/blocks.err" \
    && [ "$2 $4 $6 ${10} ${12} ${14}" = "93 0 0 0 30 0" ] && [ "$8" -gt 8 ] && [ "${16}" -gt "${18}" ] && [ "${16}" -lt 24000 ] \
    && ok || bad "30 calls in columns: $*: $(cat "$tmp/blocks.err")"
# ... collapsed: 30 boxes, each drawn once, in 5 columns
"$GVL" render "$tmp/blocks.graph" --random 1 --collapse -o "$tmp/blocksc.svg" 2> "$tmp/blocksc.err"
[ "$(grep -c '<title>call[0-9]*</title>' "$tmp/blocksc.svg")" = 30 ] && [ "$(grep -o '<title>call[0-9]*</title>' "$tmp/blocksc.svg" | sort -u | wc -l)" = 30 ] \
    && grep -q 'drawn in 5 columns' "$tmp/blocksc.err" && ok || bad "--collapse in columns: $(grep -c '<title>call' "$tmp/blocksc.svg") boxes: $(cat "$tmp/blocksc.err")"
# ... a 1000-node chain: every node once, labels beside the edges and none on a box
bench/gen-chain.sh 1000 > "$tmp/chain1000.graph"
"$GVL" eval "$tmp/chain1000.graph" --random 1 --json > "$tmp/chain1000.json"
"$GVL" render "$tmp/chain1000.graph" --random 1 -o "$tmp/chain1000.svg" 2> "$tmp/chain1000.err"
set -- $(python3 tests/svg_columns.py "$tmp/chain1000.svg" "$tmp/chain1000.json")
[ "$2 $4 $6 ${10}" = "1000 0 0 0" ] && [ "${16}" -lt 24000 ] && [ "${18}" -lt 24000 ] && grep -q 'drawn in 17 columns' "$tmp/chain1000.err" \
    && ok || bad "a 1000-node chain in columns: $*: $(cat "$tmp/chain1000.err")"
set -- $(python3 tests/svg_overlaps.py "$tmp/chain1000.svg")
[ "$1 $2" = "0 0" ] && [ "$3" -gt 1000 ] && ok || bad "a 1000-node chain: $1 boxes overlap, $2 of $3 labels cover a box"
# ... a column's stand-in names its node and column
grep -q '<text[^>]*>v24</text>' "$tmp/chain1000.svg" && grep -qF '4×1 · from column 1' "$tmp/chain1000.svg" && ok \
    || bad "no stand-in 'v24 / 4×1 · from column 1' in the chain's second column"
# ... DOT is written whole, for the user's own layout
"$GVL" render "$tmp/chain1000.graph" -o "$tmp/chain1000.dot" 2> "$tmp/chain1000d.err"
! grep -q 'columns' "$tmp/chain1000d.err" && ! grep -q '_c[0-9]' "$tmp/chain1000.dot" && ok || bad "DOT output should not be in columns"
# ... and the page draws its diagram in columns too (every node but the
# shared W, drawn beside each use, has its box ID, escaped as Graphviz writes it)
"$GVL" render "$tmp/blocks.graph" --random 1 -o "$tmp/blocks.html" 2> /dev/null && [ "$(grep -o 'id="gvl&#45;node&#45;[0-9]*"' "$tmp/blocks.html" | sort -u | wc -l)" = 92 ] \
    && ok || bad "the HTML page of 30 calls in columns"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
