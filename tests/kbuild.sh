#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kbuild.sh: the kheaders Kbuild rules on the real tree, on the host, after
# workbench/kernel.sh m: no needless regeneration, regeneration on a real
# change, nothing relinked by a second make, the same archive from a clean
# in-tree build elsewhere, and no randstruct seed in the archive of a
# randstruct kernel.  TAP on stdout.

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../workbench/lib.sh
. "$here/../workbench/lib.sh"
# shellcheck source=tap.sh
. "$here/tap.sh"
set +e

obj=$(objtree m)
archive=$obj/kernel/kheaders_part.tar.xz
probe=include/linux/kheaders_probe.h
log=$build/kbuild-test.log
: > "$log"

stamp() { stat -c %Y.%y "$archive"; }
kbuild() { kmake O="$1" "${@:2}" >> "$log" 2>&1; }

# The final links, once modpost has run: the served file holds the build's
# Module.symvers, and a second make relinks nothing.
kbuild "$obj" bzImage modules
served=$obj/kernel/kheaders.tar.xz
check "the archive ends with the build's Module.symvers" \
	sh -c "xz -dc '$served' | tar -xO Module.symvers | cmp - '$obj/Module.symvers'"
finals() { stat -c %Y.%y "$served" "$obj/kernel/kheaders_data.o" "$obj/kernel/kheaders.ko" "$obj/vmlinux"; }
before=$(finals)
kbuild "$obj" bzImage modules
check "make; make: the second relinks nothing" test "$(finals)" = "$before"

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

x=$build/archive-x
rm -rf "$x"
mkdir -p "$x"
tar -xJf "$served" -C "$x"

# Every header, stripped, has the C tokens of its source, directive
# boundaries and header names included (tests/c_tokens.py --fast, all the
# headers of each side in one file, one after the other).
# shellcheck disable=SC2016 # Perl code
concat() {
	local h r
	while read -r h; do
		for r; do
			if [ -e "$r/$h" ]; then echo "$r/$h"; break; fi
		done
	done < "$x.headers" | xargs perl -e '
		my @roots = split(/ /, shift(@ARGV));
		for my $path (@ARGV) {
			my $name = $path;
			for my $root (@roots) {
				last if $name =~ s{^\Q$root\E/}{};
			}
			open(my $fh, "<", $path) or die "$path: $!\n";
			print "\n#pragma kheaders_file $name\n", <$fh>;
		}' "$*"
}
(cd "$x" && find include arch/x86/include -name '*.h' | sort) > "$x.headers"
concat "$tree" "$obj" > "$x.src.h"
concat "$x" > "$x.archive.h"
python3 "$here/c_tokens.py" --fast "$x.src.h" > "$x.src-tokens" &
python3 "$here/c_tokens.py" --fast "$x.archive.h" > "$x.archive-tokens"
wait
check "every header has the C tokens of its source ($(wc -l < "$x.headers") headers)" \
	sh -c "test \$(wc -l < '$x.src-tokens') = \$(wc -l < '$x.headers') && diff '$x.src-tokens' '$x.archive-tokens'"

# The archive builds an external module on this host, with W=1 (which runs
# scripts/kernel-doc), installs it and cleans up after it.
mod=$build/kbuild-test-mod
rm -rf "$mod"
cp -r "$here/guest/hello" "$mod"
check "make M= W=1 modules with the archive alone" \
	sh -c "make -C '$x' M='$mod' W=1 modules > '$mod.log' 2>&1 && test -f '$mod/hello.ko'"
check "with no warning" sh -c "! grep -i -e warning -e error '$mod.log'"
check "make M= modules_install" sh -c \
	"make -C '$x' M='$mod' INSTALL_MOD_PATH='$mod/root' modules_install >> '$mod.log' 2>&1 && find '$mod/root' -name hello.ko | grep -q ."
check "make M= clean" sh -c \
	"make -C '$x' M='$mod' clean >> '$mod.log' 2>&1 && test ! -e '$mod/hello.ko'"
cat "$mod.log" >> "$log"
rm -rf "$x" "$x".* "$mod" "$mod.log"

# A clean build elsewhere, in-tree: its srctree, objtree and paths all
# differ from obj-m's, and nothing is cached.
intree=$build/repro-intree
rm -rf "$intree"
cp -al "$tree" "$intree"
cp "$obj/.config" "$intree/.config"
tree=$intree kmake olddefconfig >> "$log" 2>&1 &&
	tree=$intree kmake kernel/ >> "$log" 2>&1
check "a clean in-tree build elsewhere gives identical bytes" \
	cmp "$archive" "$intree/kernel/kheaders_part.tar.xz"
# What a generator killed by SIGKILL leaves behind, make clean removes.
leftovers="kheaders_part.tar.xz.tmp.a1 kheaders.tar.xz.tmp.b2 .kheaders-cache"
for f in $leftovers; do mkdir -p "$intree/kernel/$f"; done
tree=$intree kmake clean >> "$log" 2>&1
check "make clean removes a killed generator's temporary files" \
	sh -c "cd '$intree/kernel' && ! ls -d $leftovers 2>/dev/null | grep -q ."
rm -rf "$intree"

# A randstruct kernel (the GCC plugin, built for real): the archive holds
# neither the seed nor the plugin that has it built in, and a module build
# from the archive stops and says why; one in the build tree still works.
rs=$build/randstruct-obj
rm -rf "$rs"
mkdir -p "$rs"
cp "$obj/.config" "$rs/.config"
"$tree/scripts/config" --file "$rs/.config" --enable GCC_PLUGINS \
	--disable RANDSTRUCT_NONE --enable RANDSTRUCT_FULL
if kbuild "$rs" olddefconfig && grep -qx CONFIG_GCC_PLUGIN_RANDSTRUCT=y "$rs/.config"; then
	kbuild "$rs" modules_prepare kernel/
	seed=$(cat "$rs/scripts/basic/randstruct.seed" 2>/dev/null)
	check "randstruct: the plugin was built with the seed" \
		sh -c "test -n '$seed' && grep -qF '$seed' '$rs/scripts/gcc-plugins/randomize_layout_plugin.so'"
	check "randstruct: the archive holds no copy of the seed" \
		sh -c "xz -dc '$rs/kernel/kheaders_part.tar.xz' > '$rs/part.tar' &&
		       ! grep -qF '$seed' '$rs/part.tar'"
	rm -rf "$x" "$mod"
	mkdir -p "$x"
	tar -xf "$rs/part.tar" -C "$x" 2>/dev/null
	cp -r "$here/guest/hello" "$mod"
	make -C "$x" M="$mod" modules > "$mod.log" 2>&1
	check "randstruct: a module build from the archive stops and says why" \
		sh -c "! test -e '$mod/hello.ko' &&
		       grep -q 'randomized with a private seed' '$mod.log'"
	# This objtree has no vmlinux, hence no Module.symvers to check against.
	kbuild "$rs" M="$mod" KBUILD_MODPOST_WARN=1 modules
	check "randstruct: a module build in the build tree still works" \
		test -f "$mod/hello.ko"
	cat "$mod.log" >> "$log"
else
	fail "randstruct: a GCC plugin randstruct configuration" \
		"CONFIG_GCC_PLUGIN_RANDSTRUCT did not survive olddefconfig (gcc-12-plugin-dev?)"
fi
rm -rf "$rs" "$x" "$mod" "$mod.log"
