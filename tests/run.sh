#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every test: style checks, the generator on fixtures, the Kbuild rules on
# the real tree, and the end-to-end tests in a booted guest for each kernel
# variant.  Sets up what is missing first.  Ends with "N passed, N failed".

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../workbench/lib.sh
. "$here/../workbench/lib.sh"
set +e

results=$build/test-results
rm -rf "$results"
mkdir -p "$results"

# suite NAME CMD...: run a TAP-printing command; a failure that printed no
# "not ok" line (a crash, a boot failure) still counts as one.
suite() {
	local name=$1 out=$results/$1.tap rc start=$SECONDS
	shift
	say "tests: $name"
	"$@" > "$out" 2> "$results/$name.err"
	rc=$?
	sed "s/^\(not ok\|ok\) [0-9]* - /\1 - $name: /" "$out" |
		grep -E '^(ok|not ok|#)'
	echo "# $name: $((SECONDS - start)) s"
	if [ "$rc" != 0 ] && ! grep -q '^not ok' "$out"; then
		echo "not ok - $name: exited with status $rc" | tee -a "$out"
		tail -n 20 "$results/$name.err" | sed 's/^/#   /'
	fi
}

setup() {
	"$top/workbench/deps.sh" && "$top/workbench/tree.sh" &&
		for v in $variants; do "$top/workbench/kernel.sh" "$v" || return 1; done
}

if ! setup; then
	echo "not ok - setup: packages, tree and kernels"
	echo "0 passed, 1 failed"
	exit 1
fi
suite lint "$here/lint.sh"
suite series "$here/series.sh"
suite generator "$here/host/gen_kheaders.sh"
suite kbuild "$here/kbuild.sh"
suite noproc "$here/noproc.sh"
suite bench-smoke "$top/workbench/bench.sh" --smoke
for v in $variants; do
	if [[ " $device_variants " = *" $v "* ]]; then
		suite "guest-$v" "$top/workbench/qemu.sh" "$v" "$here/guest/device.sh" "$v"
	else
		suite "guest-$v" "$top/workbench/qemu.sh" "$v" "$here/guest/kheaders.sh" "$v"
	fi
	suite "extract-$v" "$here/host/extract_ikheaders.sh" "$v"
	case " $readers_variants " in
	*" $v "*) suite "readers-$v" "$here/host/xz_readers.sh" "$v" ;;
	esac
	case " $kselftest_variants " in
	*" $v "*) suite "kselftest-$v" "$top/workbench/qemu.sh" "$v" "$here/guest/kselftest.sh" "$v" ;;
	esac
done

# A skipped case (one that does not apply to a variant) is neither.
skipped=$(cat "$results"/*.tap | grep -c '^ok .*# SKIP')
passed=$(($(cat "$results"/*.tap | grep -c '^ok') - skipped))
failed=$(cat "$results"/*.tap | grep -c '^not ok')
echo "# $skipped skipped"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
