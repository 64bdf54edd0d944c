#!/bin/sh
# Grading a class at once: 200 answers files of exercise 1 (each student's
# own variant's key with a few answers changed) graded by one
# `grade --format csv` run, against the 200 runs of one file each that an
# autograder makes.  The target: the whole class in under a second.
# Not part of `make check`.
# Usage: bench/grade.sh [path/to/graphviz-lab] [graph] [students]
set -e
gvl=${1:-./graphviz-lab}
graph=${2:-graphs/ex1.graph}
students=${3:-200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$gvl" quiz "$graph" --key "$tmp/key" > /dev/null
i=0
while [ "$i" -lt "$students" ]; do
    i=$((i + 1))
    # every seventh answer wrong, shifted by student
    awk -v s="$i" '!/^#/ && (NR + s) % 7 == 0 { sub(/=.*/, "= 12345"); } { print }' "$tmp/key" > "$tmp/s$i.answers"
done
questions=$(grep -vc '^#' "$tmp/key")
start=$(date +%s.%N)
"$gvl" grade "$graph" "$tmp"/s*.answers --format csv > "$tmp/class.csv" 2> /dev/null || true
end=$(date +%s.%N)
rows=$(($(wc -l < "$tmp/class.csv") - 1))
printf '%-52s %8.3f s  (%d rows, %d questions each)\n' "grade --format csv of $students files, one run" \
    "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$rows" "$questions"
start=$(date +%s.%N)
for f in "$tmp"/s*.answers; do "$gvl" grade "$graph" "$f" --format gradescope > /dev/null 2>&1 || true; done
end=$(date +%s.%N)
printf '%-52s %8.3f s\n' "grade --format gradescope, $students runs of one file" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
