#!/usr/bin/env bash
# make-worksheets.sh COUNT OUTDIR [GRAPH]
#
# Writes, for each student N = 1..COUNT, their own version (--variant N) of
# the lab's exercise 4:
#   OUTDIR/worksheets/student-N.txt   the text worksheet (it is an answers file:
#                                     the student fills in the blanks, hands it in)
#   OUTDIR/worksheets/student-N.tex   the same worksheet in LaTeX, to print
#                                     (WORKSHEET_FORMAT=md for student-N.md instead)
#   OUTDIR/keys/student-N.answers     the answers (keep these away from students)
#
# The questions are those of questions.txt: the lab's five sizes of exercise 4
# and three shapes.  GRAPH defaults to ../../graphs/ex4_sizes.graph next to this
# kit; the program is $GVL, default graphviz-lab on the PATH.
set -u
usage() { echo "usage: $0 COUNT OUTDIR [GRAPH]" >&2; exit 2; }
[ $# -ge 2 ] && [ $# -le 3 ] || usage
count=$1 out=$2
case $count in '' | *[!0-9]* | 0) echo "$0: COUNT must be a whole number >= 1, not '$count'" >&2; usage ;; esac
kit=$(cd "$(dirname "$0")" && pwd)
graph=${3:-$kit/../../graphs/ex4_sizes.graph}
gvl=${GVL:-graphviz-lab}
case $gvl in */*) gvl=$(cd "$(dirname "$gvl")" && pwd)/$(basename "$gvl") ;; esac
case ${WORKSHEET_FORMAT:-latex} in
    latex) fmt=latex ext=tex ;;
    md) fmt=md ext=md ;;
    *) echo "$0: WORKSHEET_FORMAT is latex or md, not '$WORKSHEET_FORMAT'" >&2; exit 2 ;;
esac
[ -r "$graph" ] || { echo "$0: cannot read the graph '$graph'" >&2; exit 2; }
questions=$(cat "$kit/questions.txt") || exit 2
mkdir -p "$out/worksheets" "$out/keys" || exit 2
out=$(cd "$out" && pwd)
# Run from the graph's directory, so that the worksheets' first line names
# the graph as "ex4_sizes.graph" and not by a path on the TA's machine.
cd "$(dirname "$graph")" || exit 2
g=$(basename "$graph")
for n in $(seq 1 "$count"); do
    "$gvl" quiz "$g" --variant "$n" --only "$questions" \
        -o "$out/worksheets/student-$n.txt" --key "$out/keys/student-$n.answers" || exit
    "$gvl" quiz "$g" --variant "$n" --only "$questions" --format "$fmt" \
        -o "$out/worksheets/student-$n.$ext" || exit
done
echo "$count worksheets in $out/worksheets, their keys in $out/keys"
