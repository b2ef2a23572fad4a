#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Style: shellcheck on every shell script of the project,
# scripts/checkpatch.pl --strict on each C file and on the whole change to
# the kernel as one patch, docutils on the documentation.  TAP on stdout.

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../workbench/lib.sh
. "$here/../workbench/lib.sh"
# shellcheck source=tap.sh
. "$here/tap.sh"
set +e

checkpatch=$tree/scripts/checkpatch.pl

# A script under linux/ is checked where it lands in the kernel tree, next
# to the kernel files it sources.
while IFS= read -r f; do
	f=${f#./}
	case $f in
	linux/*) path=$tree/${f#linux/} ;;
	*) path=$top/$f ;;
	esac
	check "shellcheck $f" shellcheck -x "$path"
done < <(cd "$top" && grep -rlE '^#!/bin/(ba)?sh' --exclude-dir=build --exclude-dir=.git . | sort)

while IFS= read -r f; do
	check "checkpatch --strict ${f#"$top"/}" "$checkpatch" --no-tree --strict --terse -q -f "$f"
done < <(find "$top/linux" -name '*.[ch]' | sort)

# Documentation: valid reStructuredText, a warning being an error, and in
# the index of its book.
while IFS= read -r f; do
	check "docutils ${f#"$top"/}" /usr/bin/rst2html --strict --halt=warning "$f" /dev/null
	doc=${f#"$top"/linux/}
	check "$doc is in $(dirname "$doc")/index.rst" \
		grep -qx "   $(basename "$doc" .rst)" "$tree/$(dirname "$doc")/index.rst"
done < <(find "$top/linux/Documentation" -name '*.rst' | sort)

# The whole change as one mail: the diffs to existing files, then the new
# files.
patch=$build/kheaders-lint.patch
{
	cat <<-'MAIL'
	From: kheaders <kheaders@localhost>
	Subject: [PATCH] kheaders: headers and module build files in the kernel

	Serve the kernel headers and what an external module build needs as
	/proc/kheaders.tar.xz and /sys/kernel/kheaders.tar.xz.

	Signed-off-by: kheaders <kheaders@localhost>
	---
	MAIL
	(cd "$top/linux" && find . -name '*.diff' | sort | xargs cat)
	while IFS= read -r f; do
		echo "--- /dev/null"
		echo "+++ b/$f"
		diff -u /dev/null "$top/linux/$f" | tail -n +3
	done < <(cd "$top/linux" && find . -type f ! -name '*.diff' | sed 's|^\./||' | sort)
} > "$patch"
check "checkpatch --strict on the whole change" "$checkpatch" --strict --terse -q "$patch"
