#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# xz_readers.sh VARIANT: the file a variant's kernel served at
# /proc/kheaders.tar.xz (build/guest-VARIANT/served.tar.xz, saved by
# tests/guest/kheaders.sh), read by the xz and tar readers that tools use.
# Every decompressor gives the bytes xz-utils gives, and every tar reader
# extracts the members GNU tar does, Module.symvers included, with the same
# content.  The Go and Rust readers are built offline against Debian's
# packaged libraries (tests/host/readers/).  TAP on stdout.

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../tap.sh
. "$here/../tap.sh"

variant=${1:?usage: xz_readers.sh VARIANT}
served=$top/build/guest-$variant/served.tar.xz
bin=$top/build/readers
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -s "$served" ]; then
	fail "the guest saved what /proc/kheaders.tar.xz served" "missing: $served"
	exit 1
fi

# The Go and Rust readers, rebuilt when their sources change.  Cargo writes
# Cargo.lock beside the manifest, so it builds a copy.
build_readers() {
	local src=$here/readers
	local stamp
	stamp=$(cd "$src" && find . -type f -print0 | sort -z | xargs -0 sha1sum | sha1sum)
	[ "$(cat "$bin/.sources" 2>/dev/null)" = "$stamp" ] && return 0
	rm -rf "$bin"
	mkdir -p "$bin/cargo-home"
	cp -r "$src/xz2" "$bin/xz2-src"
	printf '%s\n' '[source.crates-io]' 'replace-with = "debian"' \
		'[source.debian]' 'directory = "/usr/share/cargo/registry"' \
		'[net]' 'offline = true' > "$bin/cargo-home/config.toml"
	GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE=$bin/go-cache \
		/usr/bin/go build -o "$bin/xz-go" "$src/go/main.go" || return 1
	CARGO_HOME=$bin/cargo-home CARGO_TARGET_DIR=$bin/cargo-target \
		/usr/bin/cargo build -q --release --manifest-path "$bin/xz2-src/Cargo.toml" &&
		cp "$bin/cargo-target/release/xz2-reader" "$bin/xz2" &&
		echo "$stamp" > "$bin/.sources"
}
if ! out=$(build_readers 2>&1); then
	fail "the Go and Rust readers build offline" "$(tail -n 15 <<< "$out")"
	exit 1
fi

cd "$work" || exit 1

# The file itself: one stream, a check in every block, intact.
robot=$(xz --robot -lvv "$served" 2>&1)
streams=$(awk '$1 == "totals" { print $2 }' <<< "$robot")
if [ "$streams" = 1 ] && xz -t "$served" 2>/dev/null; then
	pass "xz: one stream, verified whole"
else
	fail "xz: one stream, verified whole" "streams: $streams" "$(xz -t "$served" 2>&1)"
fi
checks=$(awk '$1 == "block" { print $10 }' <<< "$robot" | sort -u)
if [ "$checks" = CRC32 ]; then
	pass "xz: every block carries a CRC32"
else
	fail "xz: every block carries a CRC32" "checks seen: $checks"
fi

# The reference: what xz-utils decompresses and GNU tar extracts.
xz -dc "$served" > ref.tar
mkdir ref
tar -xf ref.tar -C ref
# manifest DIR: every entry (type, path, link target) and every file's hash.
manifest() {
	(cd "$1" && find . -mindepth 1 -printf '%y %p %l\n' | LC_ALL=C sort &&
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha1sum)
}
manifest ref > ref.list
if grep -q '^f \./Module\.symvers $' ref.list; then
	pass "GNU tar: Module.symvers is a member"
else
	fail "GNU tar: Module.symvers is a member"
fi

# bytes NAME CMD...: CMD, given the served file on standard input, writes
# exactly the bytes xz-utils decompresses.
bytes() {
	local name=$1 rc
	shift
	"$@" < "$served" > out.tar 2> err
	rc=$?
	if [ $rc = 0 ] && cmp -s out.tar ref.tar; then
		pass "$name: decompresses every byte"
	else
		fail "$name: decompresses every byte" "status $rc, $(stat -c %s out.tar) of $(stat -c %s ref.tar) bytes" \
			"$(cmp out.tar ref.tar 2>&1 | head -n 1)" "$(head -n 5 err)"
	fi
	rm -f out.tar
}

# members NAME CMD...: CMD, run with the served file's path and an empty
# directory, extracts there what GNU tar does.
members() {
	local name=$1 rc
	shift
	rm -rf out
	mkdir out
	"$@" "$served" out > err 2>&1
	rc=$?
	if [ $rc = 0 ] && manifest out > out.list && cmp -s out.list ref.list; then
		pass "$name: extracts every member, same bytes"
	else
		fail "$name: extracts every member, same bytes" "status $rc" \
			"$(diff ref.list out.list | head -n 5)" "$(head -n 5 err)"
	fi
}

python_lzma() {
	/usr/bin/python3 -c 'import lzma, shutil, sys
shutil.copyfileobj(lzma.open(sys.stdin.buffer), sys.stdout.buffer)'
}
bytes "Python lzma" python_lzma
bytes "Go github.com/ulikunitz/xz" "$bin/xz-go" ulikunitz
bytes "Go github.com/xi2/xz" "$bin/xz-go" xi2
bytes "Rust xz2 XzDecoder::new" "$bin/xz2"
bytes "busybox unxz" busybox unxz -c
bytes "pixz -d" pixz -d
bytes "7-Zip" 7zz e -si -so -txz

# Python's tarfile, random access and stream mode.
python_tarfile() {
	/usr/bin/python3 - "$@" <<'EOF'
import sys, tarfile
mode, path, dest = sys.argv[1:]
with tarfile.open(path, mode) as tar:
    if hasattr(tarfile, "fully_trusted_filter"):
        tar.extractall(dest, filter="fully_trusted")
    else:
        tar.extractall(dest)
EOF
}
bsdtar_x() { bsdtar -xf "$1" -C "$2"; }
busybox_tar() { busybox tar -xJf "$1" -C "$2"; }
# Debian's toybox has no xz decoder of its own: its tar runs xzcat.
toybox_tar() { toybox tar -xJf "$1" -C "$2"; }
seven_zip_tar() { 7zz x -so "$1" | 7zz x -si -ttar -o"$2" > /dev/null; }
members "bsdtar (libarchive)" bsdtar_x
members "busybox tar" busybox_tar
members "toybox tar" toybox_tar
members "7-Zip" seven_zip_tar
members "Python tarfile r:xz" python_tarfile r:xz
members "Python tarfile r|xz" python_tarfile 'r|xz'
