#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# series.sh: write linux/ as a git format-patch series into build/series,
# against the base tree with its own kheaders removed (build/series-base, a
# git repository made once per base version).  The patches, their order,
# files and messages are in workbench/series/; the MAINTAINERS entry grows
# with the files each patch adds.  Sign-offs are placeholders to fill in.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

messages=$top/workbench/series
repo=$build/series-base
out=$build/series
signer="Your Name <your.email@example.org>"
entry="KERNEL HEADERS ARCHIVE (IKHEADERS)"

[ -d "$build/edits" ] || die "no kernel tree: run workbench/tree.sh"

git() { command git -C "$repo" -c user.name=kheaders -c user.email=kheaders@localhost "$@"; }

# The base: the pristine tree, less the base kheaders files and wiring.
stamp=$({
	cat "$build/base/VERSION"
	echo "$base_files"
	for f in $base_wiring; do md5sum < "$build/edits/$f.removed"; done
} | md5sum)
if [ "$(cat "$repo/.stamp" 2>/dev/null)" != "$stamp" ]; then
	say "series: base repository (once per base version)"
	rm -rf "$repo"
	cp -al "$base_tree" "$repo.tmp"
	for f in $base_files $base_wiring; do rm -f "$repo.tmp/$f"; done
	for f in $base_wiring; do cp "$build/edits/$f.removed" "$repo.tmp/$f"; done
	mv "$repo.tmp" "$repo"
	git init -q
	git add -A -f
	git commit -q -m "$base_pkg $(cat "$build/base/VERSION"), kheaders removed"
	git tag -f base > /dev/null
	echo "$stamp" > "$repo/.stamp"
fi

# in_patch PATTERN FILE: a pattern ending in / takes the files below it.
in_patch() {
	case $1 in
	*/) [[ $2 == "$1"* ]] ;;
	*) [ "$2" = "$1" ] ;;
	esac
}

# Every file of linux/, by its path in the kernel, goes in one patch.
all=$(cd "$top/linux" && find . -type f | sed 's|^\./||; s|\.diff$||' | sort)
patterns=$(sed -s -n '1s/^Files: //p' "$messages"/*)
for f in $all; do
	[ "$f" = MAINTAINERS ] && continue
	n=0
	for p in $patterns; do in_patch "$p" "$f" && n=$((n + 1)); done
	[ $n = 1 ] || die "$f is in $n patches of workbench/series/ (must be in one)"
done

# maintainers ADDED...: MAINTAINERS as in the tree, with only the F: lines of
# our entry that match a file added so far.
maintainers() {
	awk -v entry="$entry" -v added="$*" '
	BEGIN { n = split(added, files, " ") }
	$0 == entry { in_entry = 1 }
	/^$/ { in_entry = 0 }
	in_entry && /^F:/ {
		pattern = $2
		sub(/\*$/, "", pattern)
		keep = 0
		for (i = 1; i <= n; i++)
			if (index(files[i], pattern) == 1)
				keep = 1
		if (!keep)
			next
	}
	{ print }' "$tree/MAINTAINERS"
}

name=${signer% <*}
email=${signer#*<}
email=${email%>}
# Dated as the checkout's last commit, so the series is reproducible.
date=$(command git -C "$top" log -1 --format=%cI 2>/dev/null || date -R)
export GIT_INDEX_FILE=$build/series.index
export GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_AUTHOR_DATE=$date
export GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email GIT_COMMITTER_DATE=$date
rm -f "$GIT_INDEX_FILE"
git read-tree base
head=$(git rev-parse base)
added=()
for msg in "$messages"/*; do
	read -ra msg_patterns < <(sed -n '1s/^Files: //p' "$msg")
	for pattern in "${msg_patterns[@]}"; do
		for f in $all; do
			in_patch "$pattern" "$f" || continue
			mode=100644
			[ -x "$tree/$f" ] && mode=100755
			git update-index --add --cacheinfo \
				"$mode,$(git hash-object -w "$tree/$f"),$f"
			added+=("$f")
		done
	done
	maintainers "${added[@]}" > "$build/series.MAINTAINERS"
	git update-index --add --cacheinfo \
		"100644,$(git hash-object -w "$build/series.MAINTAINERS"),MAINTAINERS"
	head=$(sed '1,/^$/d' "$msg" | { cat; echo; echo "Signed-off-by: $signer"; } |
		git commit-tree "$(git write-tree)" -p "$head")
done
cmp -s "$build/series.MAINTAINERS" "$tree/MAINTAINERS" ||
	die "MAINTAINERS: an F: line of '$entry' matches no file of the series"
rm -f "$GIT_INDEX_FILE"
git update-ref refs/heads/kheaders "$head"

rm -rf "$out"
git format-patch -q -o "$out" base..kheaders
say "series: $(find "$out" -name '*.patch' | wc -l) patches in ${out#"$top"/}"
