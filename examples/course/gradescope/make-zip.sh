#!/usr/bin/env bash
# make-zip.sh TARBALL OUT.zip
#
# Writes Gradescope's autograder zip: setup.sh and run_autograder at its root
# (Gradescope's requirement), the graph ex4_sizes.graph and questions.txt the
# autograder grades with, and TARBALL, graphviz-lab's source as `make dist`
# writes it (graphviz-lab-VERSION.tar.gz), which setup.sh builds.
set -u
[ $# -eq 2 ] || { echo "usage: $0 graphviz-lab-VERSION.tar.gz OUT.zip" >&2; exit 2; }
tarball=$1 zipfile=$2
here=$(cd "$(dirname "$0")" && pwd)
kit=$(dirname "$here")
case $(basename "$tarball") in graphviz-lab-*.tar.gz) ;; *) echo "$0: '$tarball' is not a graphviz-lab-VERSION.tar.gz from make dist" >&2; exit 2 ;; esac
[ -r "$tarball" ] || { echo "$0: cannot read '$tarball'" >&2; exit 2; }
command -v zip > /dev/null || { echo "$0: zip is not installed (apt-get install zip)" >&2; exit 2; }
case $zipfile in /*) ;; *) zipfile=$PWD/$zipfile ;; esac
stage=$(mktemp -d) || exit 2
trap 'rm -rf "$stage"' EXIT
cp "$here/setup.sh" "$here/run_autograder" "$kit/questions.txt" "$tarball" "$stage/" || exit 2
cp "$kit/../../graphs/ex4_sizes.graph" "$stage/" || exit 2
chmod +x "$stage/setup.sh" "$stage/run_autograder"
rm -f "$zipfile"
(cd "$stage" && zip -q -r "$zipfile" .) || exit 2
echo "wrote $zipfile"
