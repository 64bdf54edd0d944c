#!/usr/bin/env bash
# The output-file guarantees of docs/errors.md ("Output files"), one by one:
#   1. only a regular file is replaced; a device, a FIFO or a socket is
#      written in place, and its write errors are exit 2;
#   2. a replaced file keeps its mode and owner, a symbolic link stays and
#      its target is replaced, a long valid name stays valid, the input
#      itself is never the output, a read-only file is not replaced;
#   3. no temporary file is left behind by `ulimit -f` or by SIGINT, SIGTERM
#      or SIGHUP arriving while it is being synced (gdb stops the program at
#      fsync, so the signal lands exactly there);
#   4. every lost write to standard output is exit 2 with a message.
# Run as root (CI) it also makes device nodes and runs the unprivileged
# cases as nobody (setpriv); run as a user it runs those cases directly.
# Without gdb the signal cases are skipped with a note, unless
# GVL_REQUIRE_GDB=1 (CI), which makes that a failure.
set -u
: "${GVL:?set GVL to the graphviz-lab program}" "${SRCDIR:?set SRCDIR to the source tree}"
cd "$SRCDIR" || exit 1
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
root=0
[ "$(id -u)" -eq 0 ] && root=1
g=graphs/ex1.graph
"$GVL" render "$g" -T dot -o "$tmp/want.dot" || { echo "FAIL: render $g -T dot"; exit 1; }
# is_old FILE: FILE still holds "old"
is_old() { [ "$(cat "$1" 2>/dev/null)" = old ]; }
# no_temp DIR WHAT: no temporary file stayed in DIR
no_temp() {
    local left
    left=$(find "$1" -maxdepth 1 -name '.gvl-*' | head -1)
    if [ -z "$left" ]; then ok; else bad "$2 left $left behind"; rm -f "$1"/.gvl-*; fi
}
# says FILE TEXT: FILE is exactly the one line TEXT
says() {
    if [ "$(cat "$1")" = "$2" ]; then ok; else bad "expected '$2', got:"; cat "$1"; fi
}

# ---- 1. devices, FIFOs and sockets are written, never replaced -------------------
# The real /dev/null and /dev/full only when not root: root could replace
# them if the program regressed, and break the machine; root tries copies.
if [ $root -eq 0 ]; then
    "$GVL" render "$g" -T dot -o /dev/null; rc=$?
    [ $rc -eq 0 ] && [ -c /dev/null ] && ok || bad "render -o /dev/null gave exit $rc"
    "$GVL" render "$g" -T dot -o /dev/full 2> "$tmp/full.err"; rc=$?
    [ $rc -eq 2 ] && [ -c /dev/full ] && ok || bad "render -o /dev/full gave exit $rc"
    says "$tmp/full.err" "graphviz-lab: error: cannot write '/dev/full': No space left on device"
    "$GVL" export --torch "$g" -o /dev/full 2> "$tmp/full.err"; rc=$?
    [ $rc -eq 2 ] && ok || bad "export -o /dev/full gave exit $rc"
    says "$tmp/full.err" "graphviz-lab: error: cannot write '/dev/full': No space left on device"
fi
if [ $root -eq 1 ]; then
    # copies of the device nodes, so that a regression cannot break the real ones
    mkdir "$tmp/dev"
    if mknod "$tmp/dev/null" c 1 3 2>/dev/null && mknod "$tmp/dev/full" c 1 7; then
        fmt=dot
        command -v dot > /dev/null && echo 'digraph{a}' | dot -Tsvg > /dev/null 2>&1 && fmt=svg
        "$GVL" render "$g" -T $fmt -o "$tmp/dev/null"; rc=$?
        [ $rc -eq 0 ] && [ -c "$tmp/dev/null" ] && ok || bad "render -T $fmt -o a copy of /dev/null: exit $rc, $(stat -c %F "$tmp/dev/null")"
        "$GVL" render "$g" -T $fmt -o "$tmp/dev/full" 2> "$tmp/full.err"; rc=$?
        [ $rc -eq 2 ] && [ -c "$tmp/dev/full" ] && ok || bad "render -o a copy of /dev/full: exit $rc, $(stat -c %F "$tmp/dev/full")"
        says "$tmp/full.err" "graphviz-lab: error: cannot write '$tmp/dev/full': No space left on device"
        "$GVL" export --torch "$g" -o "$tmp/dev/full" 2> "$tmp/full.err"; rc=$?
        [ $rc -eq 2 ] && [ -c "$tmp/dev/full" ] && ok || bad "export -o a copy of /dev/full gave exit $rc"
        says "$tmp/full.err" "graphviz-lab: error: cannot write '$tmp/dev/full': No space left on device"
        no_temp "$tmp/dev" "writing a device"
    else
        echo "note: mknod is not allowed here; the copies of /dev/null and /dev/full are not tried"
    fi
fi
# a FIFO's reader gets every byte, and the FIFO stays a FIFO (the timeout
# only ends the reader if a regression replaced the FIFO and it waits forever)
mkfifo "$tmp/fifo"
timeout 60 cat "$tmp/fifo" > "$tmp/from-fifo" &
reader=$!
"$GVL" render "$g" -T dot -o "$tmp/fifo"; rc=$?
wait $reader
[ $rc -eq 0 ] && [ -p "$tmp/fifo" ] && cmp -s "$tmp/from-fifo" "$tmp/want.dot" && ok \
    || bad "render -o FIFO: exit $rc, the reader got $(wc -c < "$tmp/from-fifo") of $(wc -c < "$tmp/want.dot") bytes"
no_temp "$tmp" "writing a FIFO"
# a Unix socket: the program connects to it; the listener signals readiness
# through a FIFO, so there is no sleep and no race
py=$(command -v python3 || true)
if [ -n "$py" ]; then
    mkfifo "$tmp/ready"
    "$py" - "$tmp/sock" "$tmp/ready" "$tmp/from-sock" <<'EOF' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(60)
s.bind(sys.argv[1])
s.listen(1)
open(sys.argv[2], "w").write("ready\n")
c, _ = s.accept()
with open(sys.argv[3], "wb") as out:
    while True:
        b = c.recv(65536)
        if not b:
            break
        out.write(b)
EOF
    listener=$!
    timeout 60 head -1 "$tmp/ready" > /dev/null
    "$GVL" render "$g" -T dot -o "$tmp/sock"; rc=$?
    wait $listener
    [ $rc -eq 0 ] && [ -S "$tmp/sock" ] && cmp -s "$tmp/from-sock" "$tmp/want.dot" && ok \
        || bad "render -o SOCKET: exit $rc, the listener got $(wc -c < "$tmp/from-sock" 2>/dev/null) bytes"
    # a socket nobody listens at is an error, and stays a socket
    "$GVL" render "$g" -T dot -o "$tmp/sock" 2> "$tmp/sock.err"; rc=$?
    [ $rc -eq 2 ] && [ -S "$tmp/sock" ] && ok || bad "a socket without a listener gave exit $rc"
    says "$tmp/sock.err" "graphviz-lab: error: cannot write '$tmp/sock': Connection refused"
else
    echo "note: no python3; the socket case is not tried"
fi

# ---- 2. what is the user's stays the user's ---------------------------------------
echo old > "$tmp/private.dot"
chmod 600 "$tmp/private.dot"
"$GVL" render "$g" -T dot -o "$tmp/private.dot"
[ "$(stat -c %a "$tmp/private.dot")" = 600 ] && cmp -s "$tmp/private.dot" "$tmp/want.dot" && ok \
    || bad "a 0600 OUT came back $(stat -c %a "$tmp/private.dot")"
echo old > "$tmp/script.py"
chmod 750 "$tmp/script.py"
"$GVL" export --torch "$g" -o "$tmp/script.py"
[ "$(stat -c %a "$tmp/script.py")" = 750 ] && ok || bad "a 0750 script came back $(stat -c %a "$tmp/script.py")"
# a new file gets what umask allows, as any other program's would
(umask 027 && "$GVL" render "$g" -T dot -o "$tmp/new.dot")
[ "$(stat -c %a "$tmp/new.dot")" = 640 ] && ok || bad "a new OUT under umask 027 is $(stat -c %a "$tmp/new.dot")"
if [ $root -eq 1 ]; then
    echo old > "$tmp/theirs.dot"
    chown 65534:65534 "$tmp/theirs.dot"
    "$GVL" render "$g" -T dot -o "$tmp/theirs.dot"
    [ "$(stat -c %u:%g "$tmp/theirs.dot")" = 65534:65534 ] && ok \
        || bad "root replacing nobody's file made it $(stat -c %u:%g "$tmp/theirs.dot")'s"
fi
# a symbolic link: its target is replaced, in the target's directory, and the link stays
mkdir "$tmp/links" "$tmp/real"
echo old > "$tmp/real/diagram.dot"
ln -s ../real/diagram.dot "$tmp/links/diagram.dot"
"$GVL" render "$g" -T dot -o "$tmp/links/diagram.dot"; rc=$?
[ $rc -eq 0 ] && [ -L "$tmp/links/diagram.dot" ] && [ "$(readlink "$tmp/links/diagram.dot")" = ../real/diagram.dot ] \
    && cmp -s "$tmp/real/diagram.dot" "$tmp/want.dot" && ok || bad "OUT as a symbolic link: exit $rc, $(ls -l "$tmp/links")"
# a dangling link is written through: the file it names is made
ln -s made.dot "$tmp/links/dangling.dot"
"$GVL" render "$g" -T dot -o "$tmp/links/dangling.dot"
[ -L "$tmp/links/dangling.dot" ] && cmp -s "$tmp/links/made.dot" "$tmp/want.dot" && ok || bad "a dangling link was not written through"
no_temp "$tmp/links" "writing through a link"
no_temp "$tmp/real" "writing through a link"
ln -s loop.dot "$tmp/links/loop.dot"
"$GVL" render "$g" -T dot -o "$tmp/links/loop.dot" 2> "$tmp/loop.err"; rc=$?
[ $rc -eq 2 ] && [ -L "$tmp/links/loop.dot" ] && ok || bad "a link to itself gave exit $rc"
says "$tmp/loop.err" "graphviz-lab: error: cannot write '$tmp/links/loop.dot': Too many levels of symbolic links"
# the longest names a file system allows stay writable (the temporary name is short)
for n in 248 255; do
    name="$tmp/$(printf '%*s' $((n - 4)) '' | tr ' ' a).dot"
    "$GVL" render "$g" -T dot -o "$name"; rc=$?
    [ $rc -eq 0 ] && cmp -s "$name" "$tmp/want.dot" && ok || bad "an OUT name of $n bytes gave exit $rc"
done
# the input itself, by name, through a link or a hard link: refused, untouched
cp "$g" "$tmp/self.graph"
ln -s self.graph "$tmp/self-link.graph"
ln "$tmp/self.graph" "$tmp/self-hard.graph"
for out in "$tmp/self.graph" "$tmp/self-link.graph" "$tmp/self-hard.graph"; do
    "$GVL" render "$tmp/self.graph" -T dot -o "$out" 2> "$tmp/self.err"; rc=$?
    [ $rc -eq 2 ] && cmp -s "$tmp/self.graph" "$g" && ok || bad "render -o the input ($out) gave exit $rc"
    says "$tmp/self.err" "graphviz-lab: error: '$out' is the input file itself; writing it would destroy the graph (choose another OUT)"
done
"$GVL" export --torch "$tmp/self.graph" -o "$tmp/self.graph" 2>/dev/null; rc=$?
[ $rc -eq 2 ] && cmp -s "$tmp/self.graph" "$g" && ok || bad "export -o the input gave exit $rc"
# an unprivileged user: a read-only file or directory is an error and stays as it was
mkdir "$tmp/user" "$tmp/user/locked"
cp "$g" "$tmp/user/in.graph"   # the checkout may be where that user cannot read
echo old > "$tmp/user/readonly.dot"
chmod 444 "$tmp/user/readonly.dot"
chmod 555 "$tmp/user/locked"
if [ $root -eq 1 ]; then
    chown -R 65534:65534 "$tmp/user"
    as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
else
    as_user() { "$@"; }
fi
if as_user true 2>/dev/null; then
    user_gvl=$GVL
    if ! as_user "$GVL" --version > /dev/null 2>&1; then
        cp "$GVL" "$tmp/gvl-for-user" && user_gvl=$tmp/gvl-for-user
    fi
    as_user "$user_gvl" render "$tmp/user/in.graph" -T dot -o "$tmp/user/readonly.dot" 2> "$tmp/ro.err"; rc=$?
    [ $rc -eq 2 ] && is_old "$tmp/user/readonly.dot" && ok || bad "a read-only OUT gave exit $rc or changed"
    says "$tmp/ro.err" "graphviz-lab: error: cannot write '$tmp/user/readonly.dot': Permission denied"
    as_user "$user_gvl" render "$tmp/user/in.graph" -T dot -o "$tmp/user/locked/x.dot" 2> "$tmp/ro.err"; rc=$?
    [ $rc -eq 2 ] && [ -z "$(ls -A "$tmp/user/locked")" ] && ok || bad "a read-only directory gave exit $rc or a file"
    says "$tmp/ro.err" "graphviz-lab: error: cannot write '$tmp/user/locked/x.dot': Permission denied"
    no_temp "$tmp/user" "a refused write"
else
    echo "note: cannot run as an unprivileged user here (setpriv); the read-only cases are not tried"
fi

# ---- 3. no temporary file left behind ------------------------------------------------
# ulimit -f (in 1024-byte blocks for bash): the write fails midway with EFBIG
mkdir "$tmp/limit"
echo old > "$tmp/limit/out.dot"
bash -c 'ulimit -f 4; exec "$0" render "$1" -T dot -o "$2"' "$GVL" "$g" "$tmp/limit/out.dot" 2> "$tmp/limit.err"; rc=$?
[ $rc -eq 2 ] && is_old "$tmp/limit/out.dot" && ok || bad "render past ulimit -f gave exit $rc (153 is death by SIGXFSZ)"
says "$tmp/limit.err" "graphviz-lab: error: cannot write '$tmp/limit/out.dot': File too large"
no_temp "$tmp/limit" "a write past ulimit -f"
bash -c 'ulimit -f 4; exec "$0" render "$1" -T dot -o - > "$2"' "$GVL" "$g" "$tmp/limit/stdout.dot" 2> "$tmp/limit.err"; rc=$?
[ $rc -eq 2 ] && ok || bad "standard output past ulimit -f gave exit $rc"
says "$tmp/limit.err" "graphviz-lab: error: cannot write to standard output: File too large"
# a signal while the temporary file is synced: gdb stops the program at fsync,
# lists the directory (the temporary file is there), then delivers the signal
if command -v gdb > /dev/null && gdb -nx -batch -ex run --args /bin/true > /dev/null 2>&1; then
    for sig in SIGINT SIGTERM SIGHUP; do
        d="$tmp/sig-$sig"
        mkdir "$d"
        echo old > "$d/out.dot"
        gdb -nx -batch -ex 'set breakpoint pending on' -ex 'break fsync' \
            -ex 'handle SIGINT SIGTERM SIGHUP nostop noprint pass' -ex run \
            -ex "shell ls -A '$d' > '$tmp/during'" -ex "signal $sig" \
            --args "$GVL" render "$g" -T dot -o "$d/out.dot" > "$tmp/gdb.out" 2>&1
        grep -q "^\.gvl-" "$tmp/during" && ok || bad "$sig: no temporary file while syncing (gdb: $(tail -3 "$tmp/gdb.out"))"
        grep -q "Program terminated with signal $sig" "$tmp/gdb.out" && ok || bad "$sig did not end the program: $(tail -3 "$tmp/gdb.out")"
        is_old "$d/out.dot" && ok || bad "$sig during the sync changed OUT"
        no_temp "$d" "$sig during the sync"
    done
elif [ "${GVL_REQUIRE_GDB:-0}" = 1 ]; then
    bad "gdb is missing or cannot run a program here, and GVL_REQUIRE_GDB=1 (apt-get install gdb)"
else
    echo "note: no working gdb; the signal cases are not tried (apt-get install gdb)"
fi

# ---- 4. a lost write to standard output is exit 2 ----------------------------------
# a graph big enough that its answers pass every buffer, and the lab's graph
{
    echo "param w0[8] = [1, 2, 3, 4, 5, 6, 7, 8]"
    for i in $(seq 1 400); do echo "w$i = sin(w$((i - 1))) * 0.5 + w0"; done
    echo "L = sum(w400)"
} > "$tmp/large.graph"
for graph in "$tmp/large.graph" "$g"; do
    for cmd in "check" "check --json" "dims" "dims --json" "dims --format csv" "eval" "eval --json" \
               "train" "train --json" "gradcheck" "explain --wrt w0" "export --torch" "render -T dot -o -"; do
        [ "$graph" = "$g" ] && cmd=${cmd/w0/w}
        # shellcheck disable=SC2086
        "$GVL" $cmd "$graph" > /dev/full 2> "$tmp/lost.err"; rc=$?
        # (render's notes about a large graph come first)
        if [ $rc -eq 2 ] && [ "$(tail -1 "$tmp/lost.err")" = "graphviz-lab: error: cannot write to standard output: No space left on device" ] \
            && [ "$(grep -c error "$tmp/lost.err")" = 1 ]; then ok
        else bad "$cmd $(basename "$graph") > /dev/full: exit $rc, $(cat "$tmp/lost.err")"; fi
    done
done
for cmd in "ops" "ops --json" "--help" "--version" "eval --help"; do
    # shellcheck disable=SC2086
    "$GVL" $cmd > /dev/full 2> "$tmp/lost.err"; rc=$?
    [ $rc -eq 2 ] && ok || bad "$cmd > /dev/full gave exit $rc"
done
# a closed standard output is a lost write too
"$GVL" check "$g" >&- 2> "$tmp/lost.err"; rc=$?
[ $rc -eq 2 ] && ok || bad "check with standard output closed gave exit $rc"
says "$tmp/lost.err" "graphviz-lab: error: cannot write to standard output: Bad file descriptor"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
