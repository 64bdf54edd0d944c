#!/usr/bin/env bash
# run.sh - PrairieLearn's external grader runs this (info.json's entrypoint)
# for each submission, with
#   $ROOT/tests/              this directory, with ex4_sizes.graph and questions.txt
#   $ROOT/student/answers.answers   the student's filled-in worksheet
#   $ROOT/data/data.json      the question's data: {"params": {"variant": N}, ...}
# and writes $ROOT/results/results.json.  ROOT is $GRADE_ROOT, default /grade
# (set it to try the grader in a directory of your own); the program is $GVL,
# default graphviz-lab.  The variant is data.json's params.variant, 1 if it
# has none.
set -u
root=${GRADE_ROOT:-/grade}
root=$(cd "$root" && pwd) || exit 1
gvl=${GVL:-graphviz-lab}
case $gvl in */*) gvl=$(cd "$(dirname "$gvl")" && pwd)/$(basename "$gvl") ;; esac
mkdir -p "$root/results"
out=$root/results/results.json

json_text() { tr -d '\000-\011\013-\037' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n/\\n/g'; }
# not_gradable MESSAGE: PrairieLearn does not count the attempt and shows MESSAGE
not_gradable() {
    printf '{"gradable": false, "format_errors": ["%s"]}\n' "$(printf '%s\n' "$1" | json_text)" > "$out"
    printf '%s\n' "$1" >&2
    exit 0
}

variant=1
if [ -r "$root/data/data.json" ]; then
    # "params": {..., "variant": 3, ...}: the first "variant" number after "params"
    v=$(tr -d '\n' < "$root/data/data.json" | sed -n 's/.*"params"[^}]*"variant"[[:space:]]*:[[:space:]]*\([0-9][0-9]*\).*/\1/p')
    [ -n "$v" ] && variant=$v
fi
answers=$root/student/answers.answers
[ -f "$answers" ] || not_gradable "No answers.answers was submitted: upload your filled-in worksheet under that name."

# from the student directory, so that diagnostics name the file as the student does
cd "$root/student" || exit 1
"$gvl" grade "$root/tests/ex4_sizes.graph" answers.answers --variant "$variant" --only "$(cat "$root/tests/questions.txt")" \
    --format prairielearn > "$out.tmp" 2> "$root/results/grade.stderr"
rc=$?
cat "$root/results/grade.stderr" >&2
if [ "$rc" -le 1 ] && [ -s "$out.tmp" ]; then
    mv "$out.tmp" "$out"
else
    rm -f "$out.tmp"
    not_gradable "The grader could not grade this submission (graphviz-lab grade exit status $rc): $(cat "$root/results/grade.stderr")"
fi
