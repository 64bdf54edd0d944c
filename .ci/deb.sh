#!/usr/bin/env bash
# CI: the Debian package.  Run as root on Debian 12 after the Quick start of
# README.md (apt-get update done, the build dependencies installed, the
# program built in the tree).  Builds the .deb with dpkg-buildpackage from a
# clean clone of the checkout's HEAD (the in-tree build products, and any
# uncommitted change, stay out of it), fails on any lintian error, installs
# the package with apt-get, runs the installed program, and removes it.
# A few minutes: the package's own tests are a quick subset of `make check`
# (debian/rules).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
cd "$(dirname "$0")/.."
start=$SECONDS

tmp=$(mktemp -d)
installed=no
cleanup() {
    if [ "$installed" = yes ]; then
        echo "+ apt-get remove -y graphviz-lab   (after a failure)"
        apt-get remove -y -q graphviz-lab > /dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

tools="dpkg-dev debhelper lintian fakeroot build-essential man-db git"
echo "+ apt-get install -y $tools"
apt-get install -y -q $tools > /dev/null

# safe.directory: the checkout may belong to another user than root
git -c safe.directory='*' rev-parse --git-dir > /dev/null 2>&1 || {
    echo ".ci/deb.sh: $(pwd) is not a git checkout: the package is built from a clone of HEAD" >&2
    exit 1
}
if [ -n "$(git -c safe.directory='*' status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    echo ".ci/deb.sh: note: uncommitted changes are not in the package (it is built from HEAD)"
fi
echo "+ git clone -q . $tmp/src"
git -c safe.directory='*' clone -q . "$tmp/src"

# Build-Depends the Quick start does not install (debhelper's own, and any
# added to debian/control later)
echo "+ apt-get build-dep -y $tmp/src"
apt-get build-dep -y -q "$tmp/src" > /dev/null

echo "+ cd $tmp/src && dpkg-buildpackage -us -uc -b"
if ! (cd "$tmp/src" && dpkg-buildpackage -us -uc -b) > "$tmp/build.log" 2>&1; then
    echo "==== dpkg-buildpackage failed; its log follows ====" >&2
    cat "$tmp/build.log" >&2
    exit 1
fi
grep -E '^# (TOTAL|PASS|SKIP|FAIL|ERROR):' "$tmp/build.log" | sed 's/^/  make check (debian\/rules): /' || true

arch=$(dpkg-architecture -qDEB_HOST_ARCH)
version=$(cd "$tmp/src" && dpkg-parsechangelog -SVersion)
deb="$tmp/graphviz-lab_${version}_${arch}.deb"
changes="$tmp/graphviz-lab_${version}_${arch}.changes"
[ -f "$deb" ] || { echo ".ci/deb.sh: no $deb" >&2; ls -l "$tmp" >&2; exit 1; }
echo "  $(basename "$deb"): $(stat -c %s "$deb") bytes"

echo "+ lintian --fail-on error $(basename "$changes")"
lstatus=0
lintian --fail-on error "$changes" > "$tmp/lintian.txt" 2>&1 || lstatus=$?
grep -v 'running with root privileges is not recommended' "$tmp/lintian.txt" | sed 's/^/  /' || true
if [ "$lstatus" -ne 0 ]; then
    echo ".ci/deb.sh: lintian found errors (exit $lstatus)" >&2
    exit 1
fi

echo "+ apt-get install -y $deb"
installed=yes
apt-get install -y -q "$deb" > /dev/null

echo "+ graphviz-lab dims /usr/share/graphviz-lab/graphs/ex4.graph"
gvl=$(command -v graphviz-lab) || { echo ".ci/deb.sh: graphviz-lab is not on PATH after the install" >&2; exit 1; }
[ "$gvl" = /usr/bin/graphviz-lab ] || { echo ".ci/deb.sh: graphviz-lab is $gvl, not /usr/bin/graphviz-lab" >&2; exit 1; }
status=0
out=$(graphviz-lab dims /usr/share/graphviz-lab/graphs/ex4.graph 2>&1) || status=$?
if [ "$status" -ne 0 ] || ! grep -q Jacobian <<< "$out"; then
    echo ".ci/deb.sh: dims exited with $status, or printed no Jacobian table:" >&2
    printf '%s\n' "$out" >&2
    exit 1
fi
head -n 2 <<< "$out" | sed 's/^/  /'

# the Graphviz plugins the program needs at run time come with the package's
# dependencies (libgvc6)
echo "+ graphviz-lab render /usr/share/graphviz-lab/graphs/ex1.graph -o $tmp/ex1.png"
graphviz-lab render /usr/share/graphviz-lab/graphs/ex1.graph -o "$tmp/ex1.png"
if [ "$(head -c 8 "$tmp/ex1.png" | od -An -tx1 | tr -d ' \n')" != 89504e470d0a1a0a ]; then
    echo ".ci/deb.sh: $tmp/ex1.png is not a PNG" >&2
    exit 1
fi

if [ -f /usr/share/man/man1/graphviz-lab.1.gz ]; then
    echo "+ man -w graphviz-lab"
    man -w graphviz-lab
else
    echo "+ man -w graphviz-lab   skipped: the package has no /usr/share/man/man1/graphviz-lab.1.gz"
fi

echo "+ apt-get remove -y graphviz-lab"
apt-get remove -y -q graphviz-lab > /dev/null
installed=no
if [ -e /usr/bin/graphviz-lab ]; then
    echo ".ci/deb.sh: /usr/bin/graphviz-lab is still there after the removal" >&2
    exit 1
fi
echo ".ci/deb.sh: the package built, passed lintian, installed, ran and was removed in $((SECONDS - start)) s"
