#!/usr/bin/env bash
# The course kit, examples/course/: every command of its README.md, in a copy
# of the kit, and what each must give.
#
# - each shell line of the README's ```sh blocks is a line of this file;
# - make-worksheets.sh and the README's loop: five students' worksheets and
#   keys, different for each, each key 8 of 8 against its own variant;
# - submissions/right.answers (written by hand from variant 3's sizes) equals
#   the key and scores 8 of 8; partly.answers scores exactly the expected
#   questions, with its malformed line's diagnostic at 8:10, exit 1; a
#   binary file is "gradable": false, exit 1;
# - gradescope/run_autograder and prairielearn's tests/run.sh in fake
#   /autograder and /grade trees (AUTOGRADER_ROOT, GRADE_ROOT): their
#   results.json's scores;
# - grade-class.sh: the class's keys in one CSV, all full marks;
# - setup.sh only through bash -n (it installs packages); the LaTeX
#   worksheet through pdflatex when it is installed.
set -u
: "${GVL:?set GVL to the graphviz-lab program}" "${SRCDIR:?set SRCDIR to the source tree}"
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
same() { if [ "$2" = "$3" ]; then ok; else bad "$1: expected [$2], got [$3]"; fi; }
has() { if grep -qF -- "$2" "$3"; then ok; else bad "$1: no [$2] in $3: $(head -c 600 "$3")"; fi; }
# the first "score" of a results.json (the top-level one)
score_of() {
    if command -v node > /dev/null; then
        node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(j.score === undefined ? "none" : j.score)' "$1" 2>&1
    else
        s=$(grep -o '"score":[[:space:]]*[0-9.]*' "$1" | head -1 | sed 's/.*:[[:space:]]*//')
        echo "${s:-none}"
    fi
}
# node checks that the file is JSON; without node, that it starts with {
is_json() {
    if command -v node > /dev/null; then node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$1" 2> /dev/null
    else head -c 1 "$1" | grep -q '{'; fi
}
graphviz-lab() { "$GVL" "$@"; }
export GVL

kitsrc=$SRCDIR/examples/course
readme=$kitsrc/README.md

# 0. each command of README.md is one this test runs, word for word
while IFS= read -r line; do
    l=$(printf '%s' "$line" | sed 's/^[[:space:]]*//')
    [ -z "$l" ] && continue
    if sed 's/^[[:space:]]*//' "$SRCDIR/tests/course.sh" | grep -qxF -- "$l"; then ok; else bad "README.md's command is not run by tests/course.sh: $l"; fi
done < <(awk '/^```sh$/ { on = 1; next } /^```/ { on = 0 } on' "$readme")

# the kit, copied as it is in the source tree, with ../../graphs beside it and
# a stand-in for make dist's tarball
mkdir -p "$tmp/examples" "$tmp/graphs"
cp -R "$kitsrc" "$tmp/examples/course"
chmod -R u+w "$tmp/examples/course"   # make distcheck's source tree is read-only
cp "$SRCDIR/graphs/ex4_sizes.graph" "$tmp/graphs/"
(cd "$tmp/examples/course" && rm -rf worksheets keys class handed-in pl-sheets ag-trial pl-trial grades.csv autograder.zip \
    submissions/unreadable.answers prairielearn/questions/ex4Sizes/clientFilesQuestion \
    prairielearn/questions/ex4Sizes/tests/ex4_sizes.graph prairielearn/questions/ex4Sizes/tests/questions.txt)
mkdir -p "$tmp/fake-src/graphviz-lab-0.1.0"
echo stand-in > "$tmp/fake-src/graphviz-lab-0.1.0/README"
tar -czf "$tmp/graphviz-lab-0.1.0.tar.gz" -C "$tmp/fake-src" graphviz-lab-0.1.0
cd "$tmp/examples/course" || exit 1
g=../../graphs/ex4_sizes.graph

# 1. the questions: the lab's five of exercise 4 and three shapes, each one
# the full worksheet of ex4_sizes.graph asks
same "questions.txt" 'size(dL/dq),size(dq/dz),size(dz/dw),size(dL/dy),size(dL/dw),shape(p),shape(x),shape(z)' "$(cat questions.txt)"
graphviz-lab quiz "$g" > "$tmp/all.sheet" || bad "quiz $g failed"
for k in $(tr ',' ' ' < questions.txt); do
    grep -qxF "$k =" "$tmp/all.sheet" && ok || bad "the worksheet of $g has no question $k"
done

# 2. the README's loop and make-worksheets.sh, for five students
questions=$(cat questions.txt)
mkdir -p worksheets keys
for n in 1 2 3 4 5; do
    graphviz-lab quiz ../../graphs/ex4_sizes.graph --variant "$n" --only "$questions" -o "worksheets/student-$n.txt" --key "keys/student-$n.answers"
done
{
./make-worksheets.sh 5 class
} > "$tmp/mw.out" 2>&1 || bad "make-worksheets.sh 5 class: $(cat "$tmp/mw.out")"
for n in 1 2 3 4 5; do
    for f in worksheets/student-$n.txt keys/student-$n.answers class/worksheets/student-$n.txt \
        class/worksheets/student-$n.tex class/keys/student-$n.answers; do
        [ -s "$f" ] && ok || bad "$f was not written"
    done
    same "student $n's worksheet, first line" "# Worksheet: ex4_sizes.graph, variant $n" "$(head -1 "class/worksheets/student-$n.txt")"
    same "student $n: the loop's key and make-worksheets.sh's" "$(grep -v '^#' "keys/student-$n.answers")" "$(grep -v '^#' "class/keys/student-$n.answers")"
    same "student $n's worksheet: its blanks" "$(tr ',' '\n' < questions.txt | sed 's/$/ =/')" "$(grep -v '^#' "class/worksheets/student-$n.txt" | grep .)"
    out=$(graphviz-lab grade "$g" "class/keys/student-$n.answers" --variant "$n" --only "$questions" 2>&1)
    rc=$?
    same "student $n's key against variant $n: exit" 0 "$rc"
    same "student $n's key against variant $n" "class/keys/student-$n.answers: 8 of 8" "$(printf '%s\n' "$out" | head -1)"
    for m in 1 2 3 4 5; do
        [ "$m" -lt "$n" ] || continue
        cmp -s "class/worksheets/student-$m.txt" "class/worksheets/student-$n.txt" && bad "students $m and $n have the same worksheet" || ok
        cmp -s "class/worksheets/student-$m.tex" "class/worksheets/student-$n.tex" && bad "students $m and $n have the same LaTeX worksheet" || ok
        [ "$(grep -v '^#' "class/keys/student-$m.answers")" != "$(grep -v '^#' "class/keys/student-$n.answers")" ] && ok \
            || bad "students $m and $n have the same answers"
    done
done
# a key against another variant is not full marks
out=$(graphviz-lab grade "$g" class/keys/student-3.answers --variant 4 --only "$questions" 2>&1)
same "student 3's key against variant 4" "class/keys/student-3.answers: 0 of 8" "$(printf '%s\n' "$out" | head -1)"
WORKSHEET_FORMAT=md ./make-worksheets.sh 2 md-class > /dev/null 2>&1 && [ -s md-class/worksheets/student-2.md ] && ok \
    || bad "WORKSHEET_FORMAT=md make-worksheets.sh wrote no Markdown worksheet"
./make-worksheets.sh 0 nowhere > /dev/null 2>&1
same "make-worksheets.sh 0: exit" 2 "$?"
./make-worksheets.sh 2 > /dev/null 2>&1
same "make-worksheets.sh without OUTDIR: exit" 2 "$?"

# the LaTeX worksheet
if command -v pdflatex > /dev/null; then
    {
    pdflatex -interaction=nonstopmode -halt-on-error -output-directory class/worksheets class/worksheets/student-3.tex
    } > "$tmp/latex.log" 2>&1 && [ -s class/worksheets/student-3.pdf ] && ok || bad "pdflatex student-3.tex: $(tail -5 "$tmp/latex.log")"
else
    grep -q '\\end{document}' class/worksheets/student-3.tex && ok || bad "student-3.tex is not a whole LaTeX document"
    echo "note: pdflatex is not installed: the LaTeX worksheet was not compiled (skipped)"
fi

# 3. student 3's submissions: variant 3 is m = 3, k = 3
grep -qxF '#   size m = 3' class/worksheets/student-3.txt && grep -qxF '#   size k = 3' class/worksheets/student-3.txt && ok \
    || bad "variant 3's worksheet does not show size m = 3, size k = 3: right.answers was worked out for those"
same "right.answers (by hand) is the key" "$(grep -v '^#' class/keys/student-3.answers)" \
    "$(grep -v '^#' submissions/right.answers | grep . | sed -e 's/[[:space:]]*#.*//' -e 's/×/x/g')"
{
graphviz-lab grade ../../graphs/ex4_sizes.graph submissions/right.answers --variant 3 --only "$(cat questions.txt)"
} > "$tmp/right.out" 2> "$tmp/right.err"
same "right.answers: exit" 0 "$?"
same "right.answers" "submissions/right.answers: 8 of 8
  ok    size(dL/dq)  right
  ok    size(dq/dz)  right
  ok    size(dz/dw)  right
  ok    size(dL/dy)  right
  ok    size(dL/dw)  right
  ok    shape(p)  right
  ok    shape(x)  right
  ok    shape(z)  right" "$(cat "$tmp/right.out")"
same "right.answers: standard error" "" "$(cat "$tmp/right.err")"

{
graphviz-lab grade ../../graphs/ex4_sizes.graph submissions/partly.answers --variant 3 --only "$(cat questions.txt)" --show-answers
} > "$tmp/partly.out" 2> "$tmp/partly.err"
same "partly.answers: exit" 1 "$?"
same "partly.answers" "submissions/partly.answers: 4 of 8
  ok    size(dL/dq)  right
  ok    size(dq/dz)  right
  FAIL  size(dz/dw)  wrong: 12x3; expected 3x12
  ok    size(dL/dy)  right
  FAIL  size(dL/dw)  not answered; expected 1x12
  FAIL  shape(p)  wrong: the answer could not be read (see its error); expected 3x1
  ok    shape(x)  right
  FAIL  shape(z)  wrong: 4x1; expected 3x1" "$(cat "$tmp/partly.out")"
same "partly.answers: the malformed line" "submissions/partly.answers:8:10: error: '=' expected after shape(p)
    8 | shape(p) 3x1
      |          ^" "$(cat "$tmp/partly.err")"

printf 'size(dL/dq) = 1x3\n\000\001\002binary\377\n' > submissions/unreadable.answers
{
graphviz-lab grade ../../graphs/ex4_sizes.graph submissions/unreadable.answers --variant 3 --only "$(cat questions.txt)" --format prairielearn
} > "$tmp/unr.json" 2> "$tmp/unr.err"
same "unreadable.answers: exit" 1 "$?"
is_json "$tmp/unr.json" && ok || bad "unreadable.answers: not JSON: $(cat "$tmp/unr.json")"
has "unreadable.answers" '"gradable":	false' "$tmp/unr.json"
has "unreadable.answers: format_errors" '"format_errors":	["submissions/unreadable.answers: error: this is not a text file' "$tmp/unr.json"
has "unreadable.answers: the diagnostic" 'submissions/unreadable.answers: error: this is not a text file' "$tmp/unr.err"

# 4. the class in one CSV: the keys, then hand-ins (student 3's partly right)
./grade-class.sh class/keys > grades.csv
same "grade-class.sh class/keys: exit" 0 "$?"
same "grade-class.sh class/keys" "file,score,max_score,size(dL/dq),size(dq/dz),size(dz/dw),size(dL/dy),size(dL/dw),shape(p),shape(x),shape(z)
student-1.answers,8,8,1,1,1,1,1,1,1,1
student-2.answers,8,8,1,1,1,1,1,1,1,1
student-3.answers,8,8,1,1,1,1,1,1,1,1
student-4.answers,8,8,1,1,1,1,1,1,1,1
student-5.answers,8,8,1,1,1,1,1,1,1,1" "$(cat grades.csv)"
mkdir -p handed-in
cp class/keys/student-*.answers handed-in/
cp submissions/partly.answers handed-in/student-3.answers
# variant 10 is m = 2, k = 5: of student 3's answers only dL/dw = 1x12 is right
cp submissions/right.answers handed-in/student-10.answers
{
./grade-class.sh handed-in > grades.csv
} 2> "$tmp/class.err"
same "grade-class.sh handed-in: exit" 1 "$?"
same "grade-class.sh handed-in: the rows" "student-1.answers,8,8
student-2.answers,8,8
student-3.answers,4,8
student-4.answers,8,8
student-5.answers,8,8
student-10.answers,1,8" "$(tail -n +2 grades.csv | cut -d, -f1-3)"
has "grade-class.sh handed-in: the diagnostic" "student-3.answers:8:10: error: '=' expected after shape(p)" "$tmp/class.err"
./grade-class.sh "$tmp/empty-dir" > /dev/null 2>&1
same "grade-class.sh on a missing directory: exit" 2 "$?"

# 5. Gradescope: the zip, then run_autograder in fake /autograder trees
bash -n gradescope/setup.sh && ok || bad "gradescope/setup.sh: bash -n failed"
bash -n gradescope/run_autograder && ok || bad "gradescope/run_autograder: bash -n failed"
[ -x gradescope/run_autograder ] && [ -x gradescope/setup.sh ] && ok || bad "gradescope's scripts are not executable"
grep -qF "$(sed -n 's/.*\(apt-get install -y [^&]*[^ &]\).*/\1/p' "$SRCDIR/README.md" | head -1)" gradescope/setup.sh && ok \
    || bad "gradescope/setup.sh does not install the packages of README.md's Quick start"
if command -v zip > /dev/null && command -v unzip > /dev/null; then
    {
    ./gradescope/make-zip.sh ../../graphviz-lab-*.tar.gz autograder.zip
    } > /dev/null || bad "make-zip.sh failed"
    same "autograder.zip's files" "ex4_sizes.graph
graphviz-lab-0.1.0.tar.gz
questions.txt
run_autograder
setup.sh" "$(unzip -Z1 autograder.zip | sort)"
    mkdir -p ag-trial/source ag-trial/submission
    unzip -q -o autograder.zip -d ag-trial/source
    cp submissions/partly.answers ag-trial/submission/
    {
    AUTOGRADER_ROOT=ag-trial ./gradescope/run_autograder
    } > /dev/null 2>&1
    same "README's Gradescope trial: score" 4 "$(score_of ag-trial/results/results.json)"
else
    echo "note: zip or unzip is not installed: make-zip.sh was not tried (skipped)"
fi
# autograde SUBMISSION-FILE... : a fresh tree, run_autograder, its results.json
autograde() {
    rm -rf "$tmp/ag"
    mkdir -p "$tmp/ag/source" "$tmp/ag/submission"
    cp "$g" questions.txt "$tmp/ag/source/"
    for f; do cp "$f" "$tmp/ag/submission/"; done
    AUTOGRADER_ROOT=$tmp/ag ./gradescope/run_autograder > "$tmp/ag.out" 2>&1
    same "run_autograder $*: exit" 0 "$?"
    [ -f "$tmp/ag/results/results.json" ] && is_json "$tmp/ag/results/results.json" && ok \
        || bad "run_autograder $*: no results.json, or not JSON: $(cat "$tmp/ag/results/results.json" 2> /dev/null)"
}
autograde submissions/right.answers
same "Gradescope, right.answers: score" 8 "$(score_of "$tmp/ag/results/results.json")"
same "Gradescope, right.answers: passed tests" 8 "$(grep -c '"status":	"passed"' "$tmp/ag/results/results.json")"
autograde submissions/partly.answers
same "Gradescope, partly.answers: score" 4 "$(score_of "$tmp/ag/results/results.json")"
has "Gradescope, partly.answers: the diagnostic in output" '"output":	"partly.answers:8:10: error: '"'='"' expected after shape(p)\n"' "$tmp/ag/results/results.json"
echo 3 > "$tmp/variant.txt"
autograde submissions/unreadable.answers "$tmp/variant.txt"
same "Gradescope, unreadable.answers: score" 0 "$(score_of "$tmp/ag/results/results.json")"
has "Gradescope, unreadable.answers: output" 'this is not a text file' "$tmp/ag/results/results.json"
# variant.txt wins over the worksheet's first line: right.answers against variant 4
echo 4 > "$tmp/variant.txt"
autograde submissions/right.answers "$tmp/variant.txt"
same "Gradescope, right.answers with variant.txt 4: score" 0 "$(score_of "$tmp/ag/results/results.json")"
# no variant anywhere; two files
grep -v '^# Worksheet' submissions/right.answers > "$tmp/novariant.answers"
autograde "$tmp/novariant.answers"
same "Gradescope, no variant: score" 0 "$(score_of "$tmp/ag/results/results.json")"
has "Gradescope, no variant: the message" "first line, '# Worksheet: ex4_sizes.graph, variant N', is missing" "$tmp/ag/results/results.json"
autograde submissions/right.answers submissions/partly.answers
same "Gradescope, two files: score" 0 "$(score_of "$tmp/ag/results/results.json")"
has "Gradescope, two files: the message" "Hand in one file" "$tmp/ag/results/results.json"

# 6. PrairieLearn: the question, then tests/run.sh in fake /grade trees
info=prairielearn/questions/ex4Sizes/info.json
if command -v node > /dev/null; then
    same "info.json" "External true /grade/tests/run.sh 30" "$(node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const o = j.externalGradingOptions; console.log(j.gradingMethod, o.enabled, o.entrypoint, o.timeout)' "$info")"
else
    has "info.json" '"gradingMethod": "External"' "$info"
    has "info.json" '"entrypoint": "/grade/tests/run.sh"' "$info"
fi
has "question.html" 'file-names="answers.answers"' prairielearn/questions/ex4Sizes/question.html
bash -n prairielearn/questions/ex4Sizes/tests/run.sh && ok || bad "prairielearn's run.sh: bash -n failed"
{
./make-worksheets.sh 16 pl-sheets
} > /dev/null
mkdir -p prairielearn/questions/ex4Sizes/clientFilesQuestion
cp -R pl-sheets/worksheets prairielearn/questions/ex4Sizes/clientFilesQuestion/
cp ../../graphs/ex4_sizes.graph questions.txt prairielearn/questions/ex4Sizes/tests/
[ -s prairielearn/questions/ex4Sizes/clientFilesQuestion/worksheets/student-16.txt ] && ok || bad "the question's worksheets were not copied"
[ -e prairielearn/questions/ex4Sizes/clientFilesQuestion/keys ] && bad "the keys are in clientFilesQuestion, which students can download" || ok
mkdir -p pl-trial/student pl-trial/data
cp -R prairielearn/questions/ex4Sizes/tests pl-trial/
cp submissions/partly.answers pl-trial/student/answers.answers
echo '{"params": {"variant": 3}}' > pl-trial/data/data.json
{
GRADE_ROOT=pl-trial pl-trial/tests/run.sh
} > /dev/null 2>&1
same "README's PrairieLearn trial: score" 0.5 "$(score_of pl-trial/results/results.json)"
# plgrade FILE [DATA.JSON-TEXT]: a fresh tree, run.sh, its results.json
plgrade() {
    rm -rf "$tmp/pl"
    mkdir -p "$tmp/pl/student" "$tmp/pl/data"
    cp -R prairielearn/questions/ex4Sizes/tests "$tmp/pl/"
    [ -n "$1" ] && cp "$1" "$tmp/pl/student/answers.answers"
    [ $# -ge 2 ] && printf '%s\n' "$2" > "$tmp/pl/data/data.json"
    GRADE_ROOT=$tmp/pl "$tmp/pl/tests/run.sh" > "$tmp/pl.out" 2>&1
    same "run.sh $*: exit" 0 "$?"
    [ -f "$tmp/pl/results/results.json" ] && is_json "$tmp/pl/results/results.json" && ok \
        || bad "run.sh $*: no results.json, or not JSON: $(cat "$tmp/pl/results/results.json" 2> /dev/null)"
}
plgrade submissions/right.answers '{"params": {"variant": 3}}'
same "PrairieLearn, right.answers: score" 1 "$(score_of "$tmp/pl/results/results.json")"
has "PrairieLearn, right.answers: gradable" '"gradable":	true' "$tmp/pl/results/results.json"
plgrade submissions/partly.answers '{"correct_answers": {}, "params": {"seed": 7, "variant": 3}, "submitted_answers": {}}'
same "PrairieLearn, partly.answers: score" 0.5 "$(score_of "$tmp/pl/results/results.json")"
plgrade submissions/unreadable.answers '{"params": {"variant": 3}}'
has "PrairieLearn, unreadable.answers" '"gradable":	false' "$tmp/pl/results/results.json"
has "PrairieLearn, unreadable.answers: format_errors" '"format_errors":	["answers.answers: error: this is not a text file' "$tmp/pl/results/results.json"
# no data.json: variant 1 (m = 5, k = 3), where right.answers has dL/dy, p and x right
plgrade submissions/right.answers
same "PrairieLearn, no data.json: variant 1's score" 0.375 "$(score_of "$tmp/pl/results/results.json")"
plgrade "" '{"params": {"variant": 3}}'
has "PrairieLearn, nothing submitted" '"gradable": false' "$tmp/pl/results/results.json"

# 7. the scripts, through shellcheck when it is installed
if command -v shellcheck > /dev/null; then
    shellcheck -S warning make-worksheets.sh grade-class.sh gradescope/setup.sh gradescope/run_autograder gradescope/make-zip.sh \
        prairielearn/questions/ex4Sizes/tests/run.sh > "$tmp/sc.out" 2>&1 && ok || bad "shellcheck: $(cat "$tmp/sc.out")"
else
    echo "note: shellcheck is not installed: the kit's scripts were not checked (skipped)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
