#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo, run in the guest by "make": what a user of a device without a
# headers package does, step by step.

here=$(cd "$(dirname "$0")" && pwd)
set -e
cd "$(mktemp -d)"

step() {
	printf '\n$ %s\n' "$*"
	"$@"
}

step uname -r
step modprobe kheaders
step ls -l /proc/kheaders.tar.xz /sys/kernel/kheaders.tar.xz
step mkdir h
step tar -xf /proc/kheaders.tar.xz -C h
step du -sh h
cp -r "$here/../tests/guest/hello" hello
step make -C h M="$PWD/hello" modules
step insmod hello/hello.ko
step sh -c 'dmesg | grep kheaders-hello'
step rmmod hello

# A stock BCC tool compiles its program against the same archive, found
# by BCC itself at /sys/kernel/kheaders.tar.xz.
printf '\n$ execsnoop-bpfcc &    # then: uname -a\n'
# Unbuffered, as it is stopped by a signal (SIGINT is ignored in the
# background of a script).
PYTHONUNBUFFERED=1 execsnoop-bpfcc > execsnoop.out 2>&1 &
snoop=$!
for _ in $(seq 600); do
	grep -q PCOMM execsnoop.out && break
	kill -0 "$snoop" 2> /dev/null || break
	sleep 1
done
uname -a > /dev/null
for _ in $(seq 60); do
	grep -q '^uname ' execsnoop.out && break
	sleep 1
done
kill -TERM "$snoop"
wait "$snoop" || true
cat execsnoop.out
grep -q '^uname ' execsnoop.out

step rmmod kheaders
echo
echo "A module built from the kernel's own archive was loaded, and BCC traced"
echo "with its headers."
