#!/bin/sh
# Builds the libFuzzer harness with clang (ASan + UBSan) and runs it on a
# corpus seeded from graphs/, graphs/errors/ and tests/reference/graphs/.
# Usage: fuzz/run.sh [SECONDS] [extra libFuzzer flags]   (default 60 s)
# Crashes, leaks and hangs are written to fuzz/artifacts/; a new crash
# input belongs in graphs/errors/ or tests/inputs/ as a regression test.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
[ $# -gt 0 ] && shift
out=${FUZZ_DIR:-$top/fuzz/work}
mkdir -p "$out/corpus" "$top/fuzz/artifacts"
srcs=$(ls "$top"/src/*.c "$top"/src/kernels/*.c | grep -v '/main\.c$')
# the exporter's Python helpers as a C string, as the Makefile makes them
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/\\n"/' "$top/src/export_prelude.py" > "$out/export_prelude.inc"
# shellcheck disable=SC2086
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -D_GNU_SOURCE -DPACKAGE_VERSION='"fuzz"' -I"$top/src" -I"$out" $srcs "$top/fuzz/fuzz_pipeline.c" \
    $(pkg-config --cflags --libs libgvc libcgraph libcjson) -lm -o "$out/fuzz_pipeline"
for f in "$top"/graphs/*.graph "$top"/graphs/errors/*.graph "$top"/tests/reference/graphs/*.graph \
         "$top"/tests/inputs/*.graph; do
    cp "$f" "$out/corpus/$(basename "$(dirname "$f")")_$(basename "$f")"
done
# the dictionary: the language's tokens, then every op, alias and parameter of
# the registry, read from its rows so that a new op is fuzzed by name at once
rows=$(grep -v '^ \*\|^/\*' "$top/src/ops.def")
{
    cat "$top/fuzz/graph.dict"
    printf '%s\n' "$rows" | sed -n 's/^OP([A-Z_0-9]*, \([a-z_0-9]*\),.*/"\1("/p'
    printf '%s\n' "$rows" | grep -o 'JAC([A-Z]*, [A-Z]*), "[a-z_0-9]*"' | grep -o '"[a-z_0-9]*"$' | sed 's/"$/("/'
    printf '%s\n' "$rows" | grep -o 'PARAM([a-z_0-9]*' | sed 's/PARAM(\(.*\)/"\1="/' | sort -u
} > "$out/graph.dict"
exec "$out/fuzz_pipeline" -dict="$out/graph.dict" -max_total_time="$secs" -timeout=10 \
    -rss_limit_mb=4096 -max_len=8192 -artifact_prefix="$top/fuzz/artifacts/" -print_final_stats=1 \
    "$@" "$out/corpus"
