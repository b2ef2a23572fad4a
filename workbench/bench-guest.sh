#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest half of bench.sh, run in the kheaders=m guest: prints
# name=value lines.  Times are the median of 5 runs.

set -eu
proc=/proc/kheaders.tar.xz
sys=/sys/kernel/kheaders.tar.xz
work=/run/bench
mkdir -p "$work"

seconds() {
	local start end
	start=$(date +%s.%N)
	"$@"
	end=$(date +%s.%N)
	echo "$end - $start" | bc
}
median5() {
	for _ in 1 2 3 4 5; do seconds "$@"; done |
		sort -n | sed -n 3p | sed 's/^\./0./'
}
memavail() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	awk '/^MemAvailable:/ { print $2 }' /proc/meminfo
}

# bench.sh boots with initcall_debug: the kernel times the module's init.
before=$(memavail)
modprobe kheaders
after=$(memavail)
echo "memavail_drop_kib=$((before - after))"
echo "init_usecs=$(dmesg | sed -n 's/.*initcall kheaders_init.* returned 0 after \([0-9]*\) usecs.*/\1/p' | tail -n 1)"
echo "ko_bytes=$(stat -c %s "$(modinfo -n kheaders)")"
echo "served_bytes=$(stat -c %s "$proc")"

cat "$proc" > "$work/copy.tar.xz"
read_all() { cat "$1" > /dev/null; }
echo "read_proc_s=$(median5 read_all "$proc")"
echo "read_sys_s=$(median5 read_all "$sys")"
echo "read_tmpfs_s=$(median5 read_all "$work/copy.tar.xz")"
extract() {
	rm -rf "$work/h"
	mkdir "$work/h"
	tar -xf "$proc" -C "$work/h"
}
echo "extract_s=$(median5 extract)"
rm -rf "$work"
rmmod kheaders
