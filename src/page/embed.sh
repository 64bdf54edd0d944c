#!/bin/sh
# embed.sh [--script] FILE: FILE as a C string literal, one literal per line,
# for #include into an initialiser (the page's style, script and template,
# and the vendored svg-pan-zoom, are kept as their own files and compiled in).
# Backslashes, quotes and '?' (no trigraphs) are escaped.  With --script,
# each ':' right after "http" or "https" becomes \x3a: inside a JavaScript
# string literal or comment that is the same text to the browser, and the
# page then holds no "http:" at all (svg-pan-zoom names the SVG namespaces).
set -e
script=
if [ "$1" = --script ]; then script=1; shift; fi
if [ -n "$script" ]; then
    sed -e 's/\(https\{0,1\}\):/\1\\x3a/g' "$1"
else
    cat "$1"
fi | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/"/' -e 's/$/\\n"/'
