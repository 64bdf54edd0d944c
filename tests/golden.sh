#!/usr/bin/env bash
# Golden-output tests: `check` and `dims` on every graph in graphs/, and the
# cases in tests/golden/cases.txt, compared byte for byte (stdout and stderr
# together) with tests/golden/NAME; each must also exit with its status
# (0 unless cases.txt gives another).
set -u
export LC_ALL=C
: "${GVL:?set GVL to the graphviz-lab program}" "${SRCDIR:?set SRCDIR to the source tree}"
. "$SRCDIR/tests/golden-cases.sh"
cd "$SRCDIR" || exit 1
pass=0 fail=0
while IFS='|' read -r name args want; do
    out=$(mktemp)
    # shellcheck disable=SC2086
    timeout 60 "$GVL" $args > "$out" 2>&1
    rc=$?
    if [ "$rc" -ne "${want:-0}" ]; then
        echo "FAIL $name: graphviz-lab $args exited $rc, not ${want:-0}"; cat "$out"; fail=$((fail + 1))
    elif ! diff -u "tests/golden/$name" "$out"; then
        echo "FAIL $name: graphviz-lab $args differs from tests/golden/$name"; fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
    rm -f "$out"
done < <(golden_cases)
# a golden file only proves nothing changed; --every must print exactly the
# full run's steps 3, 6 and the last, 7 (compared here, not by hand)
"$GVL" train graphs/ex1.graph --steps 7 --lr 0.1 --json | tr -d ' \t\n' | sed 's/},{"step"/}\n{"step"/g' > "${TMPDIR:-/tmp}/gvl-full.$$"
"$GVL" train graphs/ex1.graph --steps 7 --lr 0.1 --every 3 --json | tr -d ' \t\n' | sed 's/},{"step"/}\n{"step"/g' > "${TMPDIR:-/tmp}/gvl-every.$$"
want=$(grep -E '"step":(3|6|7),' "${TMPDIR:-/tmp}/gvl-full.$$" | sed 's/^.*\({"step":\)/\1/; s/}\],"final_loss".*/}/')
got=$(grep -E '"step":[0-9]+,' "${TMPDIR:-/tmp}/gvl-every.$$" | sed 's/^.*\({"step":\)/\1/; s/}\],"final_loss".*/}/')
if [ -n "$want" ] && [ "$want" = "$got" ]; then pass=$((pass + 1)); else echo "FAIL train --every 3 does not print the full run's steps 3, 6, 7:"; echo "$got"; fail=$((fail + 1)); fi
rm -f "${TMPDIR:-/tmp}/gvl-full.$$" "${TMPDIR:-/tmp}/gvl-every.$$"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
