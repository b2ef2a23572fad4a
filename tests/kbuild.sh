#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kbuild.sh: the kheaders Kbuild rules on the real tree, on the host, after
# workbench/kernel.sh m: no needless regeneration, regeneration on a real
# change, and the same archive from a fresh O= build and an in-tree build.
# TAP on stdout.

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../workbench/lib.sh
. "$here/../workbench/lib.sh"
# shellcheck source=tap.sh
. "$here/tap.sh"
set +e

obj=$(objtree m)
archive=$obj/kernel/kheaders_data.tar.xz
probe=include/linux/kheaders_probe.h
log=$build/kbuild-test.log
: > "$log"

stamp() { stat -c %Y.%y "$archive"; }
kbuild() { kmake O="$1" "${@:2}" >> "$log" 2>&1; }

kbuild "$obj" kernel/
before=$(stamp)
cp "$archive" "$build/archive-before.tar.xz"
kbuild "$obj" kernel/
check "no change: not regenerated" test "$(stamp)" = "$before"
touch "$tree/include/linux/mlx5/driver.h"
kbuild "$obj" kernel/
check "a touched header: not regenerated" test "$(stamp)" = "$before"

echo '#define KHEADERS_PROBE 1' > "$tree/$probe"
kbuild "$obj" kernel/
check "a new header: regenerated" test "$(stamp)" != "$before"
check "and it is in the archive" sh -c "xz -dc '$archive' | tar -t 2>/dev/null | grep -qx '$probe'"
changed=$(stamp)
echo '#define KHEADERS_PROBE 2' > "$tree/$probe.tmp" && mv "$tree/$probe.tmp" "$tree/$probe"
kbuild "$obj" kernel/
check "a header's content changed: regenerated" test "$(stamp)" != "$changed"
check "with the new content" sh -c "xz -dc '$archive' | tar -xO '$probe' 2>/dev/null | grep -q 'PROBE 2'"
rm -f "$tree/$probe"
kbuild "$obj" kernel/
check "header removed: back to the same bytes" cmp "$build/archive-before.tar.xz" "$archive"

# Every header has the line count of its source, wherever that is.
same_line_counts() {
	local h src bad=0
	while read -r h; do
		src=$tree/$h
		[ -f "$src" ] || src=$obj/$h
		if [ "$(wc -l < "$1/$h")" != "$(wc -l < "$src")" ]; then
			echo "$h: line count differs from $src"
			bad=1
		fi
	done < <(cd "$1" && find . -name '*.h' | sed 's|^\./||')
	return "$bad"
}
mkdir -p "$build/archive-x"
xz -dc "$archive" | tar -x -C "$build/archive-x" 2> /dev/null
check "every header keeps its number of lines" same_line_counts "$build/archive-x"
rm -rf "$build/archive-x"

# Clean builds elsewhere: a fresh O= tree and an in-tree build.
fresh=$build/repro-obj
intree=$build/repro-intree
rm -rf "$fresh" "$intree"
mkdir -p "$fresh"
cp "$obj/.config" "$fresh/.config"
kbuild "$fresh" olddefconfig && kbuild "$fresh" kernel/
check "a clean O= build elsewhere gives identical bytes" \
	cmp "$archive" "$fresh/kernel/kheaders_data.tar.xz"
cp -al "$tree" "$intree"
cp "$obj/.config" "$intree/.config"
tree=$intree kmake olddefconfig >> "$log" 2>&1 &&
	tree=$intree kmake kernel/ >> "$log" 2>&1
check "an in-tree build gives identical bytes" \
	cmp "$archive" "$intree/kernel/kheaders_data.tar.xz"
rm -rf "$fresh" "$intree"
