#!/bin/sh
# tests/ops-doc.sh - the documentation's op lists against the op registry.
#
# docs/ops.md must be exactly what `graphviz-lab ops --format md` prints
# (`make update-docs` rewrites it), and every op that docs/language.md
# names in a call, `name(`, must be an op the program knows.
#   GVL=./graphviz-lab SRCDIR=. sh tests/ops-doc.sh
LC_ALL=C
export LC_ALL
: "${GVL:?set GVL to the graphviz-lab program}" "${SRCDIR:?set SRCDIR to the source tree}"
cd "$SRCDIR" || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
"$GVL" ops --format md > "$tmp/ops.md" || { echo "FAIL: graphviz-lab ops --format md exited $?"; exit 1; }
if ! cmp -s docs/ops.md "$tmp/ops.md"; then
    echo "FAIL: docs/ops.md is not what 'graphviz-lab ops --format md' prints; run 'make update-docs':"
    diff docs/ops.md "$tmp/ops.md" | head -20
    fail=1
fi
"$GVL" ops --format csv | tail -n +2 | cut -d, -f1 > "$tmp/names"
grep -c . "$tmp/names" > /dev/null || { echo "FAIL: ops lists no op"; fail=1; }
# aliases count as names too ("conv", "max_pool2d")
"$GVL" ops --json | sed -n 's/^[[:space:]]*"alias":[[:space:]]*"\([a-z_0-9]*\)".*/\1/p' >> "$tmp/names"
# calls in the first column of docs/language.md's tables, where it lists what to write
grep '^| `' docs/language.md | cut -d'|' -f2 | grep -o '`[a-z_0-9]*(' | tr -d '`(' | sort -u > "$tmp/mentioned"
missing=$(grep -vxF -f "$tmp/names" "$tmp/mentioned")
if [ -n "$missing" ]; then
    echo "FAIL: docs/language.md calls ops the program does not know: $missing"
    fail=1
fi
[ $fail -eq 0 ] && echo "docs/ops.md matches the registry ($(wc -l < "$tmp/names" | tr -d ' ') names); docs/language.md calls $(wc -l < "$tmp/mentioned" | tr -d ' ') known ops"
exit $fail
