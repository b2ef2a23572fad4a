#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest half of bench.sh, run in the kheaders=m guest: prints
# name=value lines.  Times are medians: of 15 reads, of 5 extractions.

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

# Reads of the whole file in 128 KiB calls, as cat makes them, timed in one
# process (a process start under TCG would outweigh the read): 15 rounds,
# each reading the files in turn, in an order that rotates, each 10 times
# over (the guest clock may tick only every few milliseconds).
# Each round reads into the buffer one page further on.  Under TCG, a copy
# whose source and destination pages are a multiple of 128 KiB apart runs
# about 6 times slower (QEMU's software TLB: a tmpfs read or a memcpy in
# user space alike), so one place for all rounds would make an outlier of
# one boot in 32 or so; 15 places make one round of 15 at most.
cat "$proc" > "$work/copy.tar.xz"
perl -MTime::HiRes=time -e '
	my @reads = ([read_proc_s => $ARGV[0], 131072],
		     [read_sys_s => $ARGV[1], 131072],
		     [read_tmpfs_s => $ARGV[2], 131072]);
	my %t;
	my $buf = "\0" x (16 * 4096 + 131072);
	for my $round (0 .. 14) {
		my $at = $round * 4096;
		for my $i (map { ($_ + $round) % @reads } 0 .. $#reads) {
			my ($name, $path, $size) = @{$reads[$i]};
			my $start = time();
			for (1 .. 10) {
				open(my $fh, "<:raw", $path) or die "$path: $!\n";
				1 while sysread($fh, $buf, $size, $at);
				close($fh);
			}
			push(@{$t{$name}}, (time() - $start) / 10);
		}
	}
	for (map { $_->[0] } @reads) {
		my @v = sort { $a <=> $b } @{$t{$_}};
		printf "%s=%.6f\n", $_, $v[@v / 2];
	}' "$proc" "$sys" "$work/copy.tar.xz"
extract() {
	rm -rf "$work/h"
	mkdir "$work/h"
	tar -xf "$proc" -C "$work/h"
}
echo "extract_s=$(median5 extract)"
rm -rf "$work"
rmmod kheaders
