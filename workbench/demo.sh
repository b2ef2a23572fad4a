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
step rmmod kheaders
echo
echo "A module built from the kernel's own archive was loaded."
