#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prepare the kernel tree: unpack Debian's linux-source-6.12 once into
# build/base, copy it to build/linux, remove its own kheaders implementation
# and lay linux/ over it.  Rerunning rewrites only the files whose content
# changes, so make rebuilds only what depends on them.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ -f "$base_tarball" ] || die "$base_tarball missing: install $base_pkg"
version=$(dpkg-query -W -f='${Version}' "$base_pkg")

if [ "$(cat "$build/base/VERSION" 2>/dev/null)" != "$version" ]; then
	say "unpacking $base_pkg $version"
	rm -rf "$build/base" "$tree"
	mkdir -p "$build/base"
	tar -xf "$base_tarball" -C "$build/base"
	echo "$version" > "$build/base/VERSION"
fi
say "base tree: $base_pkg $version ($(make -s -C "$base_tree" kernelversion))"

if [ ! -d "$tree" ]; then
	# Hard links: the tree is only read by O= builds, and every file
	# replaced below is written anew, never in place.
	cp -al "$base_tree" "$tree.tmp"
	mv "$tree.tmp" "$tree"
fi

# install_if_changed SRC DEST: keep DEST (and its timestamp) if identical.
install_if_changed() {
	if ! cmp -s "$1" "$2"; then
		mkdir -p "$(dirname "$2")"
		cp "$1" "$2.tmp" && mv -f "$2.tmp" "$2"
		echo "  updated ${2#"$tree"/}"
	fi
}

# The base tree's own implementation: its files, and the lines that wire it
# into the build (base_wiring, lib.sh).  A line left behind is an error, so a
# new base version that moves them is noticed.  The documentation that
# mentions it is edited by plain diffs.
for file in $base_files; do
	[ -e "$top/linux/$file" ] || rm -f "$tree/$file"
done
remove_base_kheaders() {
	local file=$1
	perl -e '
		my ($file) = @ARGV;
		open(my $fh, "<", $file) or die "$file: $!\n";
		my @out;
		my ($skip, $removed) = (0, 0);
		while (<$fh>) {
			if ($file =~ /Kconfig$/) {
				$skip = 1 if /^config IKHEADERS$/;
				$skip = 0 if $skip && /^(?:menu)?config (?!IKHEADERS$)|^endmenu/;
			}
			if ($skip || /kheaders|genikh/) {
				$removed = 1;
				next;
			}
			# No double blank line where lines were taken out.
			next if /^$/ && $removed && @out && $out[-1] eq "\n";
			$removed = 0 unless /^$/;
			push @out, $_;
		}
		pop @out while @out && $out[-1] eq "\n";
		print @out;
	' "$base_tree/$file"
}

edits=$build/edits
rm -rf "$edits"
mkdir -p "$edits"
while IFS= read -r diff; do
	file=${diff%.diff}
	mkdir -p "$edits/$(dirname "$file")"
	if [[ " $base_wiring " = *" $file "* ]]; then
		remove_base_kheaders "$file" > "$edits/$file.removed"
		if grep -qiE 'kheaders|genikh' "$edits/$file.removed"; then
			die "$file: base kheaders lines left after removal"
		fi
	else
		cp "$base_tree/$file" "$edits/$file.removed"
	fi
	if ! patch -s -o "$edits/$file" "$edits/$file.removed" < "$top/linux/$diff"; then
		die "linux/$diff does not apply to $base_pkg $version"
	fi
	chmod --reference="$base_tree/$file" "$edits/$file"
	install_if_changed "$edits/$file" "$tree/$file"
done < <(cd "$top/linux" && find . -name '*.diff' | sed 's|^\./||' | sort)

while IFS= read -r file; do
	install_if_changed "$top/linux/$file" "$tree/$file"
done < <(cd "$top/linux" && find . -type f ! -name '*.diff' | sed 's|^\./||' | sort)
