#!/bin/sh
# editors/vim/regen-ops.sh - rewrites the op list of the Vim syntax file from
# the program's op table, so that it never falls behind src/ops.def.
#
#   GVL=./graphviz-lab sh editors/vim/regen-ops.sh [SYNTAX_FILE]
#
# The names are every op of `graphviz-lab ops --format csv` (its first column)
# and every alias of `graphviz-lab ops --json` ("conv", "max_pool2d"), sorted.
# They replace the lines between the marker lines
#   " ops: generated from graphviz-lab ops
#   " end of ops
# of SYNTAX_FILE (default: syntax/graph.vim beside this script), as one
# `syn keyword graphOp` list; nothing else in the file changes.  GVL defaults
# to the graphviz-lab two directories up (the top of the source tree).
# tests/vim.sh fails when the file is not what this script writes.
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")" && pwd) || exit 2
file=${1:-$here/syntax/graph.vim}
GVL=${GVL:-$here/../../graphviz-lab}
[ -f "$file" ] || { echo "regen-ops.sh: $file: no such file" >&2; exit 2; }
start='" ops: generated from graphviz-lab ops'
stop='" end of ops'
grep -qxF "$start" "$file" && grep -qxF "$stop" "$file" ||
    { echo "regen-ops.sh: $file lacks the marker lines '$start' and '$stop'" >&2; exit 2; }

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
"$GVL" ops --format csv > "$tmp/csv" || { echo "regen-ops.sh: '$GVL ops --format csv' failed" >&2; exit 2; }
"$GVL" ops --json > "$tmp/json" || { echo "regen-ops.sh: '$GVL ops --json' failed" >&2; exit 2; }
{
    tail -n +2 "$tmp/csv" | cut -d, -f1
    sed -n 's/^[[:space:]]*"alias":[[:space:]]*"\([A-Za-z_0-9]*\)".*/\1/p' "$tmp/json"
} | grep -x '[A-Za-z_][A-Za-z_0-9]*' | sort -u > "$tmp/names"
[ -s "$tmp/names" ] || { echo "regen-ops.sh: '$GVL ops' lists no op" >&2; exit 2; }

# one `syn keyword` statement, its words on continuation lines of <= 78 columns
awk 'BEGIN { print "syn keyword graphOp"; line = "      \\" }
     { if (length(line) + 1 + length($0) > 78) { print line; line = "      \\" }
       line = line " " $0 }
     END { print line }' "$tmp/names" > "$tmp/list"

awk -v start="$start" -v stop="$stop" -v list="$tmp/list" '
    $0 == start { print; while ((getline l < list) > 0) print l; skip = 1; next }
    $0 == stop { skip = 0 }
    !skip { print }' "$file" > "$tmp/new" || exit 2

if cmp -s "$file" "$tmp/new"; then
    echo "regen-ops.sh: $file already lists the $(wc -l < "$tmp/names" | tr -d ' ') ops"
else
    cat "$tmp/new" > "$file" || exit 2     # in place: keeps the file's mode and links
    echo "regen-ops.sh: wrote the $(wc -l < "$tmp/names" | tr -d ' ') ops into $file"
fi
