#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kselftest.sh VARIANT: the kheaders kselftest, run in the guest as a kernel
# developer runs it (make -C tools/testing/selftests TARGETS=kheaders
# run_tests, built out of the tree), its nested KTAP flattened into TAP
# lines for tests/run.sh: one per case, one per test program's exit.

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tree=$top/build/linux
work=$(mktemp -d)
# Load/unload cycles, each long under emulation (and kmemleak on mv): 50
# give the memory trend enough points; arm64, slower still, repeats what
# mv checks.  On mv (kmemleak on), the memory checks are also shown to
# catch a planted leak.
planted_leak=false
case ${1:-} in
mv) export KHEADERS_CYCLES=50; planted_leak=true ;;
arm64) export KHEADERS_CYCLES=25 ;;
esac

make -C "$tree/tools/testing/selftests" O="$work/out" TARGETS=kheaders \
	run_tests > "$work/ktap" 2>&1
rc=$?
# The raw KTAP, for a closer look, beside the guest's other logs.
[ -d "${KH_OUT:-}" ] && cp "$work/ktap" "$KH_OUT/kselftest.ktap"
perl -ne '
	our ($n, $prog);
	if (/^# selftests: kheaders: (\S+)/) {
		$prog = $1;
	} elsif (/^# (ok|not ok) \d+ (.*?)\s*(# (?:SKIP|TODO).*)?$/) {
		my ($result, $desc, $directive) = ($1, $2, $3);
		# kselftest.h puts a skip reason after the directive.
		$desc = "(no description)" if $desc eq "";
		printf "%s %d - %s: %s%s\n", $result, ++$n, $prog, $desc,
			$directive ? " $directive" : "";
	} elsif (/^(ok|not ok) \d+ selftests: kheaders: (\S+)\s*(.*)$/) {
		printf "%s %d - %s: runs to completion%s\n", $1, ++$n, $2,
			$3 ne "" ? " $3" : "";
	} elsif (/^# # (.*)/ || /^# (Bail out!.*)/) {
		print "#   $1\n";
	}
' "$work/ktap" | tee "$work/tap"
n=$(grep -cE '^(ok|not ok)' "$work/tap")
# Without the feature both programs skip, not fail: on a =m kernel, hide
# the module from modprobe in a mount namespace of their own.
if zgrep -qx CONFIG_IKHEADERS=m /proc/config.gz && [ ! -e /proc/kheaders.tar.xz ]; then
	# The program is built under O=, the script runs from the tree.
	for prog in "$work/out/kselftest/kheaders/kheaders_file" \
		"$tree/tools/testing/selftests/kheaders/kheaders.sh"; do
		# shellcheck disable=SC2016 # expanded by the inner shell
		unshare -m sh -c 'mount -t tmpfs none "/lib/modules/$(uname -r)" &&
			exec "$1"' sh "$prog" > "$work/skip.out" 2>&1
		rc=$?
		if [ "$rc" = 4 ] && grep -q '^1\.\.0 # SKIP\|# SKIP' "$work/skip.out"; then
			echo "ok $((n + 1)) - ${prog##*/}: skips when kheaders cannot be loaded"
		else
			echo "not ok $((n + 1)) - ${prog##*/}: skips when kheaders cannot be loaded"
			echo "#   expected exit status 4 (skip), saw $rc after:"
			tail -n 5 "$work/skip.out" | sed 's/^/#   /'
		fi
		n=$((n + 1))
	done
fi

# With a module that leaks four page-sized kmalloc()s at each load of
# kheaders (tests/guest/leak, built from the archive), the selftest run
# alone must fail both memory checks: the trend over 20 cycles (16 kB a
# cycle, four times its limit), and kmemleak.  Leaked objects first fill
# the free room of slabs in use: at twice the limit, that hid the trend
# once in eight runs.
if $planted_leak; then
	cp -r "$here/leak" "$work/leak"
	mkdir "$work/h"
	if modprobe kheaders && tar -xf /proc/kheaders.tar.xz -C "$work/h" &&
		rmmod kheaders &&
		make -C "$work/h" M="$work/leak" modules > "$work/leak.log" 2>&1 &&
		insmod "$work/leak/kh_leak.ko" pages=4; then
		KHEADERS_CYCLES=20 "$tree/tools/testing/selftests/kheaders/kheaders.sh" \
			> "$work/leak.ktap" 2>&1
		rmmod kh_leak
		[ -d "${KH_OUT:-}" ] && cp "$work/leak.ktap" "$KH_OUT/planted-leak.ktap"
		grep '^# .*growing' "$work/leak.ktap" | sed 's/^# /#   /'
		for case in "no memory lost over the cycles" "no leak reported by kmemleak"; do
			n=$((n + 1))
			if grep -q "^not ok [0-9]* $case\$" "$work/leak.ktap"; then
				echo "ok $n - planted leak: fails \"$case\""
			else
				echo "not ok $n - planted leak: fails \"$case\""
				grep -E "^(not )?ok [0-9]* $case" "$work/leak.ktap" | sed 's/^/#   saw: /'
			fi
		done
	else
		n=$((n + 1))
		echo "not ok $n - planted leak: kh_leak.ko built from the archive and loaded"
		tail -n 10 "$work/leak.log" 2> /dev/null | sed 's/^/#   /'
	fi
fi

if ! grep -q '^ok .*selftests: kheaders:' "$work/ktap"; then
	echo "# make run_tests exited with status $rc; its output ends with:"
	tail -n 30 "$work/ktap" | sed 's/^/#   /'
	exit 1
fi
