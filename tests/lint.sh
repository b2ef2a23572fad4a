#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Style: shellcheck on every shell script of the project, gofmt on the Go,
# scripts/checkpatch.pl --strict on each C file (tests/series.sh checks the
# patches), docutils on the documentation.  TAP on stdout.

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

# gofmt lists a file it would change.
gofmt_clean() { [ -z "$(gofmt -l "$1")" ]; }
while IFS= read -r f; do
	check "gofmt ${f#"$top"/}" gofmt_clean "$f"
done < <(find "$top/tests" -name '*.go' | sort)

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
