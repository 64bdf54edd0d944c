#!/usr/bin/env bash
# grade-class.sh DIR [GRAPH]
#
# Grades every DIR/student-N.answers against student N's version (--variant N)
# and prints one CSV: a header line (file, score, max_score, then one column
# per question, 1 right and 0 not), then one row per student, by N.
#
# One `graphviz-lab grade` call takes one --variant for all its files, so a
# class whose students have different variants is graded one file at a time
# here and the rows are put together.
#
# Exit status as graphviz-lab grade's, the worst of all files: 0 every file
# was graded, 1 some answers file has errors (diagnostics on stderr), 2 a file
# could not be read.
set -u
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 DIR [GRAPH]" >&2; exit 2; }
dir=$1
kit=$(cd "$(dirname "$0")" && pwd)
graph=${2:-$kit/../../graphs/ex4_sizes.graph}
graph=$(cd "$(dirname "$graph")" && pwd)/$(basename "$graph")
gvl=${GVL:-graphviz-lab}
case $gvl in */*) gvl=$(cd "$(dirname "$gvl")" && pwd)/$(basename "$gvl") ;; esac
questions=$(cat "$kit/questions.txt") || exit 2
cd "$dir" || exit 2
files=$(printf '%s\n' student-*.answers | grep -E '^student-[0-9]+\.answers$' | sort -t- -k2,2n)
[ -n "$files" ] || { echo "$0: no student-N.answers in $dir" >&2; exit 2; }
status=0 header=true
for f in $files; do
    n=${f#student-}
    n=${n%.answers}
    rows=$("$gvl" grade "$graph" "$f" --variant "$n" --only "$questions" --format csv)
    rc=$?
    [ "$rc" -gt "$status" ] && status=$rc
    [ -n "$rows" ] || continue
    if $header; then printf '%s\n' "$rows"; header=false; else printf '%s\n' "$rows" | tail -n +2; fi
done
exit "$status"
