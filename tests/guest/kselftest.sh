#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kselftest.sh: the kheaders kselftest, run in the guest as a kernel
# developer runs it (make -C tools/testing/selftests TARGETS=kheaders
# run_tests, built out of the tree), its nested KTAP flattened into TAP
# lines for tests/run.sh: one per case, one per test program's exit.

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tree=$top/build/linux
work=$(mktemp -d)

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
' "$work/ktap"
if ! grep -q '^ok .*selftests: kheaders:' "$work/ktap"; then
	echo "# make run_tests exited with status $rc; its output ends with:"
	tail -n 30 "$work/ktap" | sed 's/^/#   /'
	exit 1
fi
