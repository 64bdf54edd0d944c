#!/usr/bin/env bash
# setup.sh - Gradescope runs this once, as root on its Ubuntu image, when it
# builds the autograder's image from the zip (make-zip.sh writes the zip):
# it installs graphviz-lab's build dependencies, the same packages as the
# Quick start of graphviz-lab's README.md, and builds and installs
# graphviz-lab from the source tarball shipped in the zip
# (/autograder/source/graphviz-lab-*.tar.gz, made by `make dist`).
set -eu
src=${AUTOGRADER_ROOT:-/autograder}/source
apt-get update
apt-get install -y gcc make autoconf automake libtool pkg-config libgraphviz-dev graphviz libcjson-dev check libxml2-utils libopenblas-dev
build=$(mktemp -d)
tarballs=("$src"/graphviz-lab-*.tar.gz)
tar -xzf "${tarballs[0]}" -C "$build"
cd "$build"/graphviz-lab-*/
./configure
make
make install
graphviz-lab --help > /dev/null
