#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The patch series (workbench/series.sh): 'git am' onto a fresh copy of the
# base, the result the very tree the variants were built from, and
# checkpatch --strict on every patch, run in that git tree as a maintainer
# would.  TAP on stdout.

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../workbench/lib.sh
. "$here/../workbench/lib.sh"
# shellcheck source=tap.sh
. "$here/tap.sh"
set +e

series=$build/series
fresh=$build/series-am
check "make series writes the series" "$top/workbench/series.sh"

rm -rf "$fresh"
git clone -q --shared "$build/series-base" "$fresh" && git -C "$fresh" checkout -q base
check "git am applies the series cleanly onto a fresh copy of the base" \
	git -C "$fresh" -c user.name=kheaders -c user.email=kheaders@localhost \
	am -q --whitespace=error "$series"/*.patch

# Every file compared with the tree the variants were built from (setup
# brings each up to date first), so that their builds are the series'.
changed=$(git -C "$fresh" --work-tree="$tree" status --porcelain --untracked-files=no)
check "the result is the tree obj-{$(echo "$variants" | tr ' ' ,)} are built from" \
	test -z "$changed"
[ -z "$changed" ] || echo "$changed" | head -n 10 | sed 's/^/#   /'

cd "$fresh" || exit 1
for patch in "$series"/*.patch; do
	name=$(basename "$patch")
	check "$name: a kheaders:, randstruct:, proc:, kernfs: or sysfs: subject" grep -qE '^Subject: \[PATCH [0-9/]*\] (kheaders|randstruct|proc|kernfs|sysfs): ' "$patch"
	check "$name: a Signed-off-by to fill in" grep -q '^Signed-off-by: Your Name <' "$patch"
	summary=$(scripts/checkpatch.pl --strict "$patch" 2>&1 | grep '^total: ')
	if [[ $summary == "total: 0 errors, 0 warnings,"* ]]; then
		pass "$name: checkpatch --strict: ${summary#total: }"
	else
		fail "$name: checkpatch --strict: 0 errors and 0 warnings" "seen: $summary" \
			"$(scripts/checkpatch.pl --strict --terse "$patch" 2>&1 | head -n 10)"
	fi
done
cd "$top" && rm -rf "$fresh"
