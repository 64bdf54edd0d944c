# Sourced by golden.sh and regen-golden.sh: prints "NAME|ARGS|EXIT" for every
# golden case, the generated ones for graphs/*.graph and the listed ones.
golden_cases() {
    for g in "$SRCDIR"/graphs/*.graph; do
        b=$(basename "$g" .graph)
        echo "$b.check.txt|check graphs/$b.graph"
        echo "$b.dims.txt|dims graphs/$b.graph"
        echo "$b.dims.json|dims graphs/$b.graph --json"
    done
    grep -v '^#' "$SRCDIR/tests/golden/cases.txt" | grep '|' | sed 's/ *| */|/g; s/ *$//'
}
