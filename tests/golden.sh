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
# the CSV tables carry exactly the numbers of --json (which the reference
# tests check against PyTorch): every element, every digit
if command -v python3 > /dev/null 2>&1; then
    if python3 - "$GVL" <<'PY'
import csv, io, json, subprocess, sys
gvl = sys.argv[1]
def run(*a):
    return subprocess.run([gvl, *a], capture_output=True, text=True, check=True).stdout
def flat(x):
    return [v for e in x for v in flat(e)] if isinstance(x, list) else [x]
ev = json.loads(run("eval", "graphs/ex4.graph", "--random", "3", "--json"))
rows = list(csv.DictReader(io.StringIO(run("eval", "graphs/ex4.graph", "--random", "3", "--format", "csv"))))
want = [(n["name"], float(v), float(g)) for n in ev["nodes"] for v, g in zip(flat(n["value"]), flat(n["grad"]))]
got = [(r["name"], float(r["value"]), float(r["grad"])) for r in rows]
assert got == want, "eval --format csv differs from --json"
tr = json.loads(run("train", "graphs/mlp.graph", "--json"))
rows = list(csv.DictReader(io.StringIO(run("train", "graphs/mlp.graph", "--format", "csv"))))
want = [(str(s["step"]), float(s["loss"]), p, float(v)) for s in tr["steps"] for p, t in s["params"].items() for v in flat(t)]
got = [(r["step"], float(r["loss"]), r["param"], float(r["value"])) for r in rows if r["step"] != "0"]
assert got == want, "train --format csv differs from --json"
PY
    then pass=$((pass + 1)); else echo "FAIL the CSV tables do not carry the --json numbers"; fail=$((fail + 1)); fi
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
