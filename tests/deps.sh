#!/bin/sh
# tests/deps.sh - the library's modules form a one-way pipeline, and every
# symbol it exports carries the project prefix.
#
# From `nm` on each object file of src/libgvlab.a: module A depends on
# module B when A uses a symbol B defines.  tsort finds a cycle in that
# graph if there is one; the test then fails and prints it.  A defined
# global symbol without the gvl_ prefix fails too: libgvc and libcgraph
# export names like graph_init, and ours would replace theirs at link time.
# The lower_*.c files count as one module, lower (see lower.h).
#   LIB=src/libgvlab.a sh tests/deps.sh       (make check sets LIB)
LC_ALL=C
export LC_ALL
lib=${LIB:-src/libgvlab.a}
if [ ! -f "$lib" ]; then
    echo "deps.sh: no library $lib" >&2
    exit 1
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# "OBJECT KIND SYMBOL" for every defined (T D B R) or undefined (U) symbol
nm -A "$lib" 2>/dev/null | awk '{
    split($1, p, ":"); obj = p[2]; sub(/\.o$/, "", obj)
    # the lowering files (lower.h) are one module: a call of a function
    # lowers its body, whose expressions may call functions again
    sub(/^lower_.*/, "lower", obj)
    if (NF == 3) print obj, $2, $3; else if (NF == 2) print obj, $1, $2
}' > "$tmp/syms"
fail=0
# 1. the prefix (symbols the compiler makes, such as ASan's __odr_asan.*, aside)
awk '$2 ~ /^[TDBR]$/ && $3 !~ /^gvl_/ && $3 !~ /^__/ { print "  " $1 ": " $3 }' "$tmp/syms" > "$tmp/unprefixed"
if [ -s "$tmp/unprefixed" ]; then
    echo "FAIL: exported symbols without the gvl_ prefix:"
    cat "$tmp/unprefixed"
    fail=1
fi
# 2. the module graph: "USER DEFINER" pairs, then tsort
awk '$2 ~ /^[TDBR]$/ { def[$3] = $1 } $2 == "U" { use[NR] = $1 " " $3 }
     END { for (k in use) { split(use[k], u, " "); if ((u[2] in def) && def[u[2]] != u[1]) print u[1], def[u[2]] } }' \
    "$tmp/syms" | sort -u > "$tmp/edges"
awk '{ print $1 }' "$tmp/syms" | sort -u | awk '{ print $1, $1 }' >> "$tmp/edges"
if ! tsort "$tmp/edges" > "$tmp/order" 2> "$tmp/loop"; then
    echo "FAIL: the modules depend on each other in a cycle:"
    cat "$tmp/loop"
    fail=1
elif [ -s "$tmp/loop" ]; then
    echo "FAIL: the modules depend on each other in a cycle:"
    cat "$tmp/loop"
    fail=1
fi
if [ $fail -eq 0 ]; then
    echo "$(wc -l < "$tmp/order" | tr -d ' ') modules, $(awk '$1 != $2' "$tmp/edges" | wc -l | tr -d ' ') dependencies, no cycle; every export is gvl_*"
    echo "modules, users before what they use:"
    tr '\n' ' ' < "$tmp/order"
    echo
fi
exit $fail
