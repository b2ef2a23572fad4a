#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests of scripts/gen_kheaders.sh on a small fixture tree, on the host:
# comment stripping, reproducibility, missing tools, failures that leave
# nothing behind.  TAP on stdout.

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../tap.sh
. "$here/../tap.sh"

gen=$top/linux/scripts/gen_kheaders.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The host program of the archive step, built as scripts/Makefile does.
gcc -O2 -Wall -Werror -o "$work/kheaders_compact" "$top/linux/scripts/kheaders_compact.c" ||
	{ echo "not ok - scripts/kheaders_compact.c does not build"; exit 1; }

# make_fixture DIR: a source tree and an O= object tree under DIR.
make_fixture() {
	local src=$1/src obj=$1/obj
	mkdir -p "$src/include/linux/atomic" "$src/arch/x86/include/asm" \
		"$src/scripts/basic" "$obj/include/config" \
		"$obj/include/generated" "$obj/arch/x86/include/generated/asm" \
		"$obj/scripts/basic" "$obj/kernel"
	echo 'VERSION = 6' > "$src/Makefile"
	echo '# x86' > "$src/arch/x86/Makefile"
	echo '# build' > "$src/scripts/Makefile.build"
	for f in Kbuild.include subarch.include module-common.c depmod.sh \
		modules-check.sh \
		makelst kernel-doc; do
		echo "# $f" > "$src/scripts/$f"
	done
	echo 'int main(void) { return 0; }' > "$src/scripts/basic/fixdep.c"
	echo '# not for module builds' > "$src/scripts/checkpatch.pl"
	cp "$here/strip-in.h" "$src/include/linux/strip.h"
	add_cases "$src"
	printf '#define ATOMIC 1 /* keep */\n// %s\n' \
		0123456789abcdef0123456789abcdef01234567 > "$src/include/linux/atomic/atomic-gen.h"
	echo '#define ASM_B 1 // b' > "$src/arch/x86/include/asm/b.h"
	echo 'secret' > "$src/scripts/signing_key.pem"
	echo 'junk' > "$src/include/linux/.nfs000123"
	# Editor and patch leftovers, a precompiled header.
	for f in strip.h.orig strip.h.rej strip.h~ '#strip.h#' strip.h.gch; do
		echo 'junk' > "$src/include/linux/$f"
	done
	for f in Makefile.build~ Makefile.build.orig Makefile.build.rej; do
		echo 'junk' > "$src/scripts/$f"
	done
	# A tristate option set to m asks for its host program as y does.
	printf 'CONFIG_X86=y\nCONFIG_MODULES=y\nCONFIG_ASN1=m\n' > "$obj/include/config/auto.conf"
	printf '# comment\nCONFIG_X86=y\nCONFIG_MODULES=y\nCONFIG_ASN1=m\n' > "$obj/.config"
	echo 6.12.0-test > "$obj/include/config/kernel.release"
	echo '#define CONFIG_X86 1' > "$obj/include/generated/autoconf.h"
	echo '#define UTS_VERSION "#1 now"' > "$obj/include/generated/utsversion.h"
	echo '#include <asm-generic/x.h>' > "$obj/arch/x86/include/generated/asm/x.h"
	gcc -g -o "$obj/scripts/basic/fixdep" "$src/scripts/basic/fixdep.c"
	# Left over from an earlier configuration with CONFIG_MODVERSIONS=y.
	mkdir "$obj/scripts/genksyms" "$obj/scripts/mod"
	cp "$obj/scripts/basic/fixdep" "$obj/scripts/mod/modpost"
	cp "$obj/scripts/basic/fixdep" "$obj/scripts/genksyms/genksyms"
	cp "$obj/scripts/basic/fixdep" "$obj/scripts/asn1_compiler"
	echo 'object' > "$obj/scripts/basic/fixdep.o"
	cp "$work/kheaders_compact" "$obj/scripts/"
	echo 'SECTIONS { }' > "$obj/kernel/kheaders_module.lds"
}

# Valid headers that a comment stripper reading lines, not tokens, gets
# wrong: one case a file, written by add_cases (printf: CRLF and trailing
# spaces stay).  NAME<TAB>CONTENT.
# shellcheck disable=SC2016 # no expansion wanted
strip_cases='in-macro	#define A /* a\nb */ 1 /* c\nd */ + 2\nint x = A;\n
directive-after-comment	/* x */ #define A /* a\nb */ 3\nint x = A;\n
splice-then-spaces	#define A 4 \\  \n/* a\n b */ + 5\nint x = A;\n
hash-after-comment	int code; /* x\n y */ #define NOT_A_DIRECTIVE 6\n
line-comment-splice	int a; // ends in a backslash \\\nint hidden;\n
line-comment-splice-spaces	int a; // a backslash, then spaces \\   \nint hidden;\n
line-comment-splice-crlf	int a; // a backslash, then CRLF \\\r\nint hidden;\r\n
header-slashes	#include <linux/foo//bar.h>\nint x;\n
header-star	#include <a/*b.h>\nint x; /* c */\n
apostrophe-if0	#if 0\ndoesn\x27t /* an apostrophe\n#endif\nint x; /* c */\n
apostrophe-asm	#ifdef __ASSEMBLY__\n\tmovl $1, %%eax # don\x27t /* clobber\n#endif\nint x; /* c */\n
quote-if0	#if 0\n"an unmatched quote /* here\n#endif\nint x; /* c */\n
crlf-string	char *s = "a  \\\r\n  b";\r\nint   y;  /* c */\r\n
object-like	#define F/**/(x) x\nint y = F(1);\n
no-paste	#define P a/**/b\n
error-apostrophe	#error don\x27t /* a comment */\nint x;\n
splice-empty-line	#define A 1 \\\n\nint not_in_macro;\n'
add_cases() {
	local dir=$1/include/linux/cases name text
	mkdir -p "$dir"
	while IFS=$'\t' read -r name text; do
		# shellcheck disable=SC2059 # the case is a printf format
		printf "$text" > "$dir/$name.h"
	done <<< "$strip_cases"
}

# gen DIR ARGS...: run the generator in DIR's object tree, as Kbuild does.
gen() {
	local dir=$1
	shift
	(cd "$dir/obj" && srctree=$dir/src SRCARCH=x86 sh "$gen" "$@")
}

make_fixture "$work/a"
check "archive mode writes an archive" \
	gen "$work/a" archive kernel/out.tar.xz kernel/kheaders_module.lds ''
(cd "$work/a/obj" && xz -dc kernel/out.tar.xz > "$work/a.tar")
# Without its end blocks, tar reports an unexpected end: that is expected.
tar -tf "$work/a.tar" > "$work/a.list" 2> /dev/null
check "the stream is an open tar: members, no end blocks" \
	sh -c "test -s '$work/a.list' && test \$(tail -c 1024 '$work/a.tar' | tr -d '\\0' | wc -c) -gt 0"
check "expected members, sorted" diff -u - <(grep -v /cases/ "$work/a.list") <<'LIST'
.config
Makefile
arch/x86/Makefile
arch/x86/include/asm/b.h
arch/x86/include/generated/asm/x.h
include/config/auto.conf
include/config/kernel.release
include/generated/autoconf.h
include/linux/atomic/atomic-gen.h
include/linux/strip.h
scripts/Kbuild.include
scripts/Makefile.build
scripts/asn1_compiler
scripts/basic/fixdep
scripts/depmod.sh
scripts/kernel-doc
scripts/makelst
scripts/mod/modpost
scripts/module-common.c
scripts/module.lds
scripts/modules-check.sh
scripts/subarch.include
LIST
check "owner root, modes 0644/0755, mtime 0" sh -c \
	"tar -tvf '$work/a.tar' --numeric-owner | awk '
		\$2 != \"0/0\" || \$4 != \"1970-01-01\" { bad = 1 }
		/fixdep\$/ && \$1 != \"-rwxr-xr-x\" { bad = 1 }
		/\\.h\$/ && \$1 != \"-rw-r--r--\" { bad = 1 }
		END { exit bad }'"
mkdir "$work/ax"
tar -xf "$work/a.tar" -C "$work/ax"
check "comments stripped as expected" diff -u "$here/strip-out.h" "$work/ax/include/linux/strip.h"
check "stripped header preprocesses to the same tokens" bash -c \
	"diff <(cpp -P '$here/strip-in.h' | tr -s ' \\n' '  ') <(cpp -P '$work/ax/include/linux/strip.h' | tr -s ' \\n' '  ')"
# tokens [OPTION] FILE...: the C tokens of each FILE, as tests/c_tokens.py
# gives them (clang's lexer; --fast, its own).
tokens() {
	local f options=(-v)
	case $1 in -*) options+=("$1"); shift ;; esac
	for f; do printf '\n#pragma kheaders_file %s\n' "${f##*/}"; cat "$f"; done > "$work/tokens.h"
	python3 "$here/../c_tokens.py" "${options[@]}" "$work/tokens.h"
}
while IFS=$'\t' read -r name _; do
	check "stripping keeps the tokens: $name" \
		diff <(tokens "$work/a/src/include/linux/cases/$name.h") \
		<(tokens "$work/ax/include/linux/cases/$name.h")
done <<< "$strip_cases"
# The Kbuild test lexes the real tree with --fast: it must see what clang does.
cases=("$work/a/src/include/linux/cases/"*.h "$work/ax/include/linux/cases/"*.h
	"$here/strip-in.h" "$work/ax/include/linux/strip.h")
check "c_tokens.py --fast gives clang's tokens on every case, before and after" \
	diff <(tokens "${cases[@]}") <(tokens --fast "${cases[@]}")
check "a header with a hash on its last line is kept as is" \
	cmp "$work/a/src/include/linux/atomic/atomic-gen.h" "$work/ax/include/linux/atomic/atomic-gen.h"
check "host programs are stripped" \
	sh -c "! readelf -S '$work/ax/scripts/basic/fixdep' | grep -qF .symtab"

# Reproducible: another tree at another path, built later, same bytes.
make_fixture "$work/b"
touch -d '2001-01-01' "$work/b/src/include/linux/strip.h"
gen "$work/b" archive kernel/out.tar.xz kernel/kheaders_module.lds ''
check "same inputs elsewhere give identical bytes" \
	cmp "$work/a/obj/kernel/out.tar.xz" "$work/b/obj/kernel/out.tar.xz"
(cd "$work/b/obj" && XZ_OPT=--memlimit-compress=50MiB XZ_DEFAULTS=-0 XZ="xz -T0" \
	srctree=$work/b/src SRCARCH=x86 sh "$gen" archive kernel/env.tar.xz \
	kernel/kheaders_module.lds '') 2> "$work/err"
check "XZ with options, XZ_OPT and XZ_DEFAULTS: the same bytes" \
	cmp "$work/a/obj/kernel/out.tar.xz" "$work/b/obj/kernel/env.tar.xz"
gen "$work/b" archive kernel/t.tar.xz kernel/kheaders_module.lds @1000000000
check "TIMESTAMP sets every member's date" sh -c \
	"xz -dc '$work/b/obj/kernel/t.tar.xz' | tar -tv --full-time 2>/dev/null | grep -v -c ' 2001-09-0[89] ' | grep -qx 0"

# The manifest changes with content, not with timestamps.
inputs() { gen "$work/a" inputs kernel/kheaders_module.lds kernel/.cache; }
hdr=$work/a/src/include/linux/strip.h
# A file is cached once its ctime is 2 s older than the file system's
# clock when the cache is written (a run that takes more than a second, on
# a machine loaded beyond reason, would show nothing: it is tried again).
name="inputs: a file changed less than 2 s ago is not cached"
checked=
for _ in 1 2 3 4 5 6; do
	start=$(date +%s%N)
	touch "$work/a/src/Makefile"
	inputs > "$work/m1"
	if [ $(($(date +%s%N) - start)) -lt 1000000000 ]; then
		check "$name" sh -c "! grep -q '^$work/a/src/Makefile	' '$work/a/obj/kernel/.cache/hashes'"
		checked=1
		break
	fi
done
[ -n "$checked" ] || pass "$name # SKIP every run took more than a second"
# The manifest is kept once every file is: rerun until then.
for _ in $(seq 200); do
	inputs > "$work/m1"
	test -e "$work/a/obj/kernel/.cache/quick" && break
	sleep 0.05
done
check "inputs: one line per member, hash, mode and name" sh -c \
	"test \$(grep -cE '^[0-9a-f]{32} (644|755) [^ ]+\$' '$work/m1') = \$(wc -l < '$work/a.list')"
check "inputs: the hash cache is written" \
	grep -q "^$work/a/src/Makefile	" "$work/a/obj/kernel/.cache/hashes"
inputs > "$work/m2"
check "inputs: the same manifest with the cache" cmp "$work/m1" "$work/m2"
check "inputs: the manifest is kept, for the next run with nothing changed" \
	test -s "$work/a/obj/kernel/.cache/quick"
# A hash planted in the cache is believed while the file's status holds
# (without the manifest kept, which would be printed before).
rm "$work/a/obj/kernel/.cache/quick"
cp "$work/a/obj/kernel/.cache/hashes" "$work/hashes"
planted=0123456789abcdef0123456789abcdef
sed -i "s|^\($work/a/src/Makefile	.*	\)[0-9a-f]* |\1$planted |" \
	"$work/a/obj/kernel/.cache/hashes"
check "inputs: the cache is used" sh -c \
	"cd '$work/a/obj' && srctree='$work/a/src' SRCARCH=x86 sh '$gen' inputs kernel/kheaders_module.lds kernel/.cache | grep -qx '$planted 644 Makefile'"
# Not those of another version of the script, whose weights may differ.
rm -f "$work/a/obj/kernel/.cache/quick"
sed -i "1s/ .*/ ffffffffffffffffffffffffffffffff/" "$work/a/obj/kernel/.cache/hashes"
check "inputs: a cache that another version of the script wrote is not" sh -c \
	"cd '$work/a/obj' && srctree='$work/a/src' SRCARCH=x86 sh '$gen' inputs kernel/kheaders_module.lds kernel/.cache | grep -qx '$(md5sum < "$work/a/src/Makefile" | cut -c1-32) 644 Makefile'"
cp "$work/hashes" "$work/a/obj/kernel/.cache/hashes"
rm -f "$work/a/obj/kernel/.cache/quick"
touch "$hdr"
inputs > "$work/m2"
check "inputs: touching a file changes nothing" cmp "$work/m1" "$work/m2"
# A file that find does not list (the Makefile is named): its change shows
# past the manifest kept.
inputs > /dev/null
cp "$work/a/src/Makefile" "$work/Makefile.saved"
echo 'PATCHLEVEL = 12' >> "$work/a/src/Makefile"
inputs > "$work/m2"
check "inputs: a change to a named file shows past the manifest kept" \
	sh -c "! cmp -s '$work/m1' '$work/m2' && grep -q ' 644 Makefile\$' '$work/m2'"
cp "$work/Makefile.saved" "$work/a/src/Makefile"
inputs > "$work/m2"
check "inputs: and its undoing too" cmp "$work/m1" "$work/m2"
# A same-size edit with the old mtime put back: the ctime still shows it.
old=$(stat -c %y "$hdr")
sed -i 's/_STRIP_H/_STRIQ_H/' "$hdr"
touch -d "$old" "$hdr"
inputs > "$work/m3"
check "inputs: a content change shows, even under the old mtime" \
	sh -c "! cmp -s '$work/m1' '$work/m3'"
chmod +x "$hdr"
inputs > "$work/m4"
check "inputs: a mode change shows" sh -c "! cmp -s '$work/m3' '$work/m4'"

# File times behind the local clock (NFS, a VM's shared folder), simulated:
# the clock 10 s ahead for the generator (faketime), the files' times real.
# A file cached, then changed at once without changing size or mtime,
# shows: the cache does not go by the local clock.
skewed() { NO_FAKE_STAT=1 faketime -f +10s "$@"; }
skew=$work/a/src/include/linux/skew.h
echo '#define SKEW 1' > "$skew"
for _ in $(seq 200); do
	skewed sh -c "cd '$work/a/obj' && srctree='$work/a/src' SRCARCH=x86 sh '$gen' inputs kernel/kheaders_module.lds kernel/.cache" > /dev/null
	grep -q "^$skew	" "$work/a/obj/kernel/.cache/hashes" && break
	sleep 0.05
done
old=$(stat -c %y "$skew")
echo '#define SKEW 2' > "$skew"
touch -d "$old" "$skew"
skewed sh -c "cd '$work/a/obj' && srctree='$work/a/src' SRCARCH=x86 sh '$gen' inputs kernel/kheaders_module.lds kernel/.cache" > "$work/m-skew"
check "inputs: with file times 10 s behind the clock, a same-size edit just after caching shows" \
	grep -q "^$(md5sum < "$skew" | cut -c1-32) 644 include/linux/skew.h\$" "$work/m-skew"
rm "$skew"
echo '#define NEW 1' > "$work/a/src/include/linux/new.h"
inputs > "$work/m5"
check "inputs: a new file shows" grep -q ' include/linux/new.h$' "$work/m5"
check "inputs: the config is an input" grep -q ' include/config/auto.conf$' "$work/m5"
check "inputs: scripts a module build does not run are not" \
	sh -c "! grep -q -e checkpatch -e genksyms -e fixdep.c '$work/m5'"

# The cache of blocks: a tree with enough headers for several groups.
make_fixture "$work/c"
for i in 1 2 3; do
	# 1.2 MB each, quick to strip and compress
	awk -v i="$i" 'BEGIN { x = sprintf("%1000s", ""); gsub(/ /, "x", x)
		for (n = 1; n <= 1200; n++) printf "#define BIG%d_%d %s\n", i, n, x }' \
		> "$work/c/src/include/linux/big$i.h"
done
cgen() { gen "$work/c" archive "kernel/$1.tar.xz" kernel/kheaders_module.lds '' ${2:+"$2"}; }
cache=$work/c/obj/kernel/.cache
# blocks FILE: the number of xz blocks in FILE.
blocks() { xz --robot -l "$1" | awk -F '\t' '/^file/ { print $3 }'; }
# cached: the block files, by inode (a rewritten file is a new one).
cached() { (cd "$cache" && stat -c '%i %n' ./*.xz); }
cgen scratch
cgen first "$cache"
check "cache: several groups, a block each" \
	test "$(blocks "$work/c/obj/kernel/scratch.tar.xz")" -ge 2
check "cache: the same bytes as without one" \
	cmp "$work/c/obj/kernel/scratch.tar.xz" "$work/c/obj/kernel/first.tar.xz"
check "cache: a block file per block" \
	test "$(cached | wc -l)" = "$(blocks "$work/c/obj/kernel/first.tar.xz")"
cached > "$work/cached1"
cgen second "$cache"
cached > "$work/cached2"
check "cache: a run with nothing changed compresses nothing" \
	cmp "$work/cached1" "$work/cached2"
check "cache: and gives the same bytes" \
	cmp "$work/c/obj/kernel/scratch.tar.xz" "$work/c/obj/kernel/second.tar.xz"
echo '#define BIG2_MORE 1' >> "$work/c/src/include/linux/big2.h"
cgen changed "$cache"
cgen changed-scratch
cached > "$work/cached3"
check "cache: a changed header compresses its group alone" \
	test "$(comm -13 <(sort "$work/cached2") <(sort "$work/cached3") | wc -l)" = 1
check "cache: the blocks of the old group are removed" \
	test "$(wc -l < "$work/cached3")" = "$(blocks "$work/c/obj/kernel/changed.tar.xz")"
check "cache: the bytes are those of a run from scratch" \
	cmp "$work/c/obj/kernel/changed.tar.xz" "$work/c/obj/kernel/changed-scratch.tar.xz"
check "cache: one job or as many as CPUs, the same bytes" \
	sh -c "cd '$work/c/obj' && srctree='$work/c/src' SRCARCH=x86 taskset -c 0 sh '$gen' archive kernel/one.tar.xz kernel/kheaders_module.lds '' && cmp kernel/one.tar.xz kernel/changed-scratch.tar.xz"
# make -j1: one xz at a time (an xz that finds another running notes it).
cat > "$work/xz-alone" <<EOF
#!/bin/sh
mkdir "$work/xz-running" 2> /dev/null || echo overlap >> "$work/overlaps"
xz "\$@"
status=\$?
rmdir "$work/xz-running" 2> /dev/null
exit \$status
EOF
chmod +x "$work/xz-alone"
check "cache: under make -j1, one xz at a time, the same bytes" \
	sh -c "cd '$work/c/obj' && MAKEFLAGS='rR -j1 --no-print-directory -- X=-j8' srctree='$work/c/src' SRCARCH=x86 XZ='$work/xz-alone' sh '$gen' archive kernel/j1.tar.xz kernel/kheaders_module.lds '' && cmp kernel/j1.tar.xz kernel/changed-scratch.tar.xz && test ! -e '$work/overlaps'"
# A damaged block (a disk full, a killed copy) is made again.
damaged=$(cached | awk 'NR == 2 { print $2 }')
truncate -s 100 "$cache/$damaged"
cgen repaired "$cache"
check "cache: a damaged block is compressed again, the bytes right" \
	cmp "$work/c/obj/kernel/repaired.tar.xz" "$work/c/obj/kernel/changed-scratch.tar.xz"
check "cache: and its file is whole again" xz -t "$cache/$damaged"
# The archive step takes a weight from the hash cache only along with the
# content it was made of: weights of other content move no group.
sed -i 's/\t[0-9a-f]\{32\} [0-9]*$/\t00000000000000000000000000000000 99999999/' "$cache/hashes"
cgen reweighed "$cache"
check "cache: weights cached for other content are not used" \
	cmp "$work/c/obj/kernel/reweighed.tar.xz" "$work/c/obj/kernel/changed-scratch.tar.xz"
echo '#define BIG3_MORE 1' >> "$work/c/src/include/linux/big3.h"
cached > "$work/cached4"
(cd "$work/c/obj" && srctree=$work/c/src SRCARCH=x86 XZ=false sh "$gen" archive kernel/failed.tar.xz kernel/kheaders_module.lds '' "$cache") 2> /dev/null
cached > "$work/cached5"
check "cache: a failed compression leaves the blocks as they were" \
	sh -c "test ! -e '$work/c/obj/kernel/failed.tar.xz' && cmp -s '$work/cached4' '$work/cached5'"
check "cache: and nothing else in the cache than blocks and hashes" \
	test "$(find "$cache" -mindepth 1 ! -name '*.xz' | wc -l)" = 1

# Failures: a clear message, the previous archive intact, no leftovers.
cp "$work/a/obj/kernel/out.tar.xz" "$work/prev.tar.xz"
(cd "$work/a/obj" && srctree=$work/a/src SRCARCH=x86 XZ=false sh "$gen" archive kernel/out.tar.xz kernel/kheaders_module.lds '') 2> /dev/null
rc=$?
check "a failing compressor fails the generation" test "$rc" != 0
check "and leaves the previous archive as it was" cmp "$work/prev.tar.xz" "$work/a/obj/kernel/out.tar.xz"
check "and no temporary file" sh -c "! ls -a '$work/a/obj/kernel' | grep -q tmp"
# A compressor killed mid-run: Perl, writing to it, says so.
printf '#!/bin/sh\nhead -c 4096 > /dev/null\nkill -9 $$\n' > "$work/xz-dies"
chmod +x "$work/xz-dies"
(cd "$work/a/obj" && srctree=$work/a/src SRCARCH=x86 XZ=$work/xz-dies sh "$gen" archive kernel/out.tar.xz kernel/kheaders_module.lds '') 2> "$work/err"
rc=$?
check "a compressor killed mid-run fails the generation with a message" \
	sh -c "test $rc = 1 && grep -q 'xz-dies' '$work/err'"
check "and leaves the previous archive as it was (killed)" \
	cmp "$work/prev.tar.xz" "$work/a/obj/kernel/out.tar.xz"
rm "$work/a/obj/kernel/out.tar.xz"
# Interrupted (make stopped by ^C) while compressors run: none is left,
# nor any other process of the generator.  It waits for the compressor to
# start (up to a minute, for a loaded machine), then interrupts.
# shellcheck disable=SC2016 # expanded by the scripts they make and run
printf '#!/bin/sh\n[ "$1" = --version ] && exec xz --version\nexec sleep 300 < /dev/null\n' > "$work/xz-hangs"
chmod +x "$work/xz-hangs"
# shellcheck disable=SC2016
(cd "$work/c/obj" && exec setsid sh -c 'srctree=$1/src SRCARCH=x86 XZ=$2 exec sh "$3" archive kernel/int.tar.xz kernel/kheaders_module.lds ""' \
	sh "$work/c" "$work/xz-hangs" "$gen") 2> "$work/err" &
gen_pid=$!
# Its session, which setsid started, is all the generator's processes.
for _ in $(seq 600); do pgrep -s "$gen_pid" -f "sleep 300" > /dev/null && break; sleep 0.1; done
kill -INT -- "-$gen_pid"
wait "$gen_pid"
rc=$?
check "interrupted while compressing: it fails, and says so" \
	sh -c "test $rc != 0 && grep -q 'gen_kheaders.sh: interrupted' '$work/err'"
# (A zombie, dead, waits for init to reap it.)
check "and no compressor or worker is left running" \
	sh -c "! ps -o stat= -s '$gen_pid' | grep -qv '^Z'"
check "and neither an archive nor a temporary directory is left" \
	sh -c "! ls -a '$work/c/obj/kernel' | grep -q 'int.tar.xz'"
# A PATH with every tool but xz.
mkdir "$work/bin"
for tool in sh cat sort awk sed find grep mktemp rm mv perl strip; do
	ln -s "$(command -v "$tool")" "$work/bin/$tool"
done
(cd "$work/a/obj" && PATH=$work/bin srctree=$work/a/src SRCARCH=x86 sh "$gen" archive kernel/out.tar.xz kernel/kheaders_module.lds '') 2> "$work/err"
rc=$?
check "missing xz fails the generation" test "$rc" != 0
check "the error names xz and its Debian package" grep -q "'xz' not found.*xz-utils" "$work/err"
check "and no archive is written" test ! -e "$work/a/obj/kernel/out.tar.xz"
# With LLVM=1, $(STRIP), llvm-strip, strips the programs (binutils' strip
# may be missing); without, the host's strip does, even in a kernel
# cross-built without modules, whose $(STRIP) is the target's.
(cd "$work/a/obj" && LLVM=1 STRIP=llvm-strip srctree=$work/a/src SRCARCH=x86 sh "$gen" archive kernel/llvm.tar.xz kernel/kheaders_module.lds '')
check "LLVM=1: llvm-strip strips the host programs" sh -c \
	"tar -xOJf '$work/a/obj/kernel/llvm.tar.xz' scripts/basic/fixdep > '$work/fixdep' &&
	 readelf -S '$work/fixdep' > /dev/null && ! readelf -S '$work/fixdep' | grep -qF .symtab"
(cd "$work/a/obj" && LLVM=1 STRIP=no-such-strip srctree=$work/a/src SRCARCH=x86 sh "$gen" archive kernel/out.tar.xz kernel/kheaders_module.lds '') 2> "$work/err"
rc=$?
check "LLVM=1: a STRIP that is not there fails the generation, named" \
	sh -c "test $rc = 1 && grep -q \"'no-such-strip' not found.*llvm with LLVM=1\" '$work/err' && test ! -e '$work/a/obj/kernel/out.tar.xz'"
make_fixture "$work/nomod"
sed -i '/^CONFIG_MODULES=/d' "$work/nomod/obj/include/config/auto.conf"
(cd "$work/nomod/obj" && STRIP=aarch64-linux-gnu-strip srctree=$work/nomod/src SRCARCH=x86 sh "$gen" archive kernel/out.tar.xz kernel/kheaders_module.lds '') 2> "$work/err"
rc=$?
check "cross-built without modules: the host's strip, not \$(STRIP)" sh -c \
	"test $rc = 0 && tar -xOJf '$work/nomod/obj/kernel/out.tar.xz' scripts/basic/fixdep > '$work/fixdep' &&
	 ! readelf -S '$work/fixdep' | grep -qF .symtab"
# A file that find listed, gone before it is read (sed -i's temporary,
# renamed): no member, no error.  The PERL wrapper takes the whole list
# first, then removes the file.
echo '#define GONE 1' > "$work/a/src/include/linux/gone.h"
cat > "$work/perl-gone" <<EOF
#!/bin/sh
cat > "$work/list.gone"
rm -f "$work/a/src/include/linux/gone.h"
exec perl "\$@" < "$work/list.gone"
EOF
chmod +x "$work/perl-gone"
(cd "$work/a/obj" && PERL=$work/perl-gone srctree=$work/a/src SRCARCH=x86 sh "$gen" inputs kernel/kheaders_module.lds kernel/.cache) > "$work/m-gone" 2> "$work/err"
rc=$?
check "inputs: a listed file gone before it is read is left out" sh -c \
	"test $rc = 0 && grep -qa 'include/linux/gone.h' '$work/list.gone' &&
	 ! grep -q gone.h '$work/m-gone' && grep -q ' include/linux/strip.h\$' '$work/m-gone'"
# The host program that makes headers compact: missing, or failing.
mv "$work/a/obj/scripts/kheaders_compact" "$work/compact.saved"
gen "$work/a" archive kernel/out.tar.xz kernel/kheaders_module.lds '' 2> "$work/err"
rc=$?
check "a missing scripts/kheaders_compact fails the generation, named" \
	sh -c "test $rc = 1 && grep -q 'scripts/kheaders_compact: missing; it is built with the scripts' '$work/err'"
printf '#!/bin/sh\nhead -c 100 > /dev/null\necho 5; echo ab\n' > "$work/a/obj/scripts/kheaders_compact"
chmod +x "$work/a/obj/scripts/kheaders_compact"
gen "$work/a" archive kernel/out.tar.xz kernel/kheaders_module.lds '' 2> "$work/err"
rc=$?
check "one whose output is cut short fails it with a message" \
	sh -c "test $rc = 1 && grep -q 'kheaders_compact: output cut short' '$work/err'"
check "and no archive is written (compact)" test ! -e "$work/a/obj/kernel/out.tar.xz"
mv "$work/compact.saved" "$work/a/obj/scripts/kheaders_compact"
printf '10\nabc' | "$work/kheaders_compact" > /dev/null 2> "$work/err"
rc=$?
check "kheaders_compact: input cut short is an error" \
	sh -c "test $rc = 1 && grep -q 'input cut short' '$work/err'"
printf '3\nabc4' | "$work/kheaders_compact" > /dev/null 2> "$work/err"
rc=$?
check "kheaders_compact: a size without its newline is an error" \
	sh -c "test $rc = 1 && grep -q 'bad input' '$work/err'"
for size in -1 18446744073709551615 99999999999; do
	printf '%s\nabc' "$size" | "$work/kheaders_compact" > /dev/null 2> "$work/err"
	rc=$?
	check "kheaders_compact: size $size is refused, with a message" \
		sh -c "test $rc = 1 && grep -q 'bad input' '$work/err'"
done
check "kheaders_compact: headers in, the same number out, each framed" \
	bash -c "printf '9\\nint  a;\\n\\n0\\n' | '$work/kheaders_compact' | cmp - <(printf '7\\nint a;\\n0\\n')"
for stamp in 'not a date' @-1 @8589934592; do
	gen "$work/a" archive kernel/out.tar.xz kernel/kheaders_module.lds "$stamp" 2> "$work/err"
	check "TIMESTAMP '$stamp' is refused, and says why" \
		grep -q "KBUILD_BUILD_TIMESTAMP '$stamp': " "$work/err"
done
check "and no archive is written" test ! -e "$work/a/obj/kernel/out.tar.xz"

# Perl without Digest::MD5 (perl-base alone): said up front, with the package.
mkdir -p "$work/perl5/Digest"
printf 'die "not installed\\n";\n' > "$work/perl5/Digest/MD5.pm"
PERL5LIB=$work/perl5 gen "$work/a" inputs kernel/kheaders_module.lds kernel/.cache \
	> /dev/null 2> "$work/err"
check "a missing Perl module is named, with its package" \
	grep -q 'Perl module Digest::MD5 not found.*Debian package: perl' "$work/err"

# A listing that fails fails the generation, with no archive written.
ln -s .. "$work/a/src/include/linux/loop"
gen "$work/a" archive kernel/out.tar.xz kernel/kheaders_module.lds '' 2> "$work/err"
rc=$?
check "a symlink loop under include/ fails the generation" test "$rc" != 0
check "and names the cause" grep -q 'loop' "$work/err"
check "and no archive is written" test ! -e "$work/a/obj/kernel/out.tar.xz"
gen "$work/a" inputs kernel/kheaders_module.lds kernel/.cache > /dev/null 2> "$work/err"
check "the inputs listing fails too" grep -q 'listing the inputs failed' "$work/err"
rm "$work/a/src/include/linux/loop"

# A file name with a tab or a newline, which the manifest (a line per file)
# cannot hold: refused, the name shown escaped rather than a wrong path.
for c in tab newline; do
	case $c in
	tab) ch=$'\t' hex=09 ;;
	newline) ch=$'\n' hex=0a ;;
	esac
	bad=$work/a/src/include/linux/odd${ch}name.h
	shown="include/linux/odd\\x${hex}name.h: a control character"
	echo '#define ODD 1' > "$bad"
	gen "$work/a" archive kernel/out.tar.xz kernel/kheaders_module.lds '' 2> "$work/err"
	rc=$?
	check "a $c in a file name fails the generation, naming the file" \
		sh -c "test $rc != 0 && grep -qF '$shown' '$work/err'"
	check "and no archive is written ($c)" test ! -e "$work/a/obj/kernel/out.tar.xz"
	gen "$work/a" inputs kernel/kheaders_module.lds kernel/.cache > /dev/null 2> "$work/err"
	check "the inputs listing fails the same way ($c)" grep -qF "$shown" "$work/err"
	rm "$bad"
done

# A cross build: scripts/mod/empty.o, which $(CC) builds for the kernel, is
# for arm64.  The programs are built again for arm64 with $(CC), from their
# sources, and $(STRIP) strips them; the members are the same.
cp -a "$work/a" "$work/x"
x=$work/x
mkdir "$x/src/scripts/mod"
for f in modpost file2alias sumversion symsearch; do
	echo "int kh_$f;" > "$x/src/scripts/mod/$f.c"
done
echo 'int main(void) { return 0; }' >> "$x/src/scripts/mod/modpost.c"
echo 'int main(void) { return 0; }' > "$x/src/scripts/asn1_compiler.c"
echo 'int empty;' | aarch64-linux-gnu-gcc -c -x c -o "$x/obj/scripts/mod/empty.o" -
rm -f "$x/obj/kernel/out.tar.xz"
cross_gen() {
	(cd "$x/obj" && srctree=$x/src SRCARCH=x86 CC=aarch64-linux-gnu-gcc \
		STRIP=aarch64-linux-gnu-strip KBUILD_USERCFLAGS=-O2 sh "$gen" "$@")
}
check "cross: without CONFIG_CC_CAN_LINK, an archive" \
	cross_gen archive kernel/out.tar.xz kernel/kheaders_module.lds ''
mkdir "$work/xs"
xz -dc "$x/obj/kernel/out.tar.xz" | tar -x -C "$work/xs" 2> /dev/null
"$work/xs/scripts/basic/fixdep" > /dev/null 2> "$work/err"
rc=$?
check "whose programs say why they are not there, and fail" sh -c \
	"test $rc = 1 && grep -q 'scripts/basic/fixdep is not in .* cross-compiled, and aarch64-linux-gnu-gcc could not link programs for x86 (CONFIG_CC_CAN_LINK is not set)' '$work/err'"
rm "$x/obj/kernel/out.tar.xz"
echo CONFIG_CC_CAN_LINK=y >> "$x/obj/include/config/auto.conf"
check "cross: archive mode builds the programs for the target" \
	cross_gen archive kernel/out.tar.xz kernel/kheaders_module.lds ''
mkdir "$work/xx"
xz -dc "$x/obj/kernel/out.tar.xz" | tar -x -C "$work/xx" 2> /dev/null
gen "$work/a" archive kernel/native.tar.xz kernel/kheaders_module.lds ''
check "cross: the members of a native build" diff -u \
	<(xz -dc "$work/a/obj/kernel/native.tar.xz" | tar -t 2> /dev/null) \
	<(xz -dc "$x/obj/kernel/out.tar.xz" | tar -t 2> /dev/null)
for prog in scripts/basic/fixdep scripts/mod/modpost scripts/asn1_compiler; do
	check "cross: $prog is an arm64 program, stripped" sh -c \
		"file '$work/xx/$prog' | grep -q 'ARM aarch64.*, stripped'"
done

# finish: one xz stream, the archive's blocks and one with Module.symvers.
printf '0x12345678\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n0x00000001\tcrc32_le\tlib/crc32\tEXPORT_SYMBOL\t\n' \
	> "$work/a/obj/Module.symvers"
part=kernel/out.tar.xz
gen "$work/a" archive "$part" kernel/kheaders_module.lds ''
xz -dc "$work/a/obj/$part" | tar -t 2> /dev/null > "$work/part.list"
check "finish writes the served file" \
	gen "$work/a" finish kernel/whole.tar.xz "$part" '' Module.symvers
whole=$work/a/obj/kernel/whole.tar.xz
check "it passes xz -t: every block's CRC32, the index" xz -t "$whole"
xz --robot -lvv "$whole" > "$work/xzl"
check "it is one stream" sh -c "awk '/^totals/ { exit \$2 != 1 }' '$work/xzl'"
check "with a CRC32 in every block" sh -c \
	"awk -F '\t' '/^block/ { n++; if (\$10 != \"CRC32\") bad = 1 } END { exit bad || n < 2 }' '$work/xzl'"
check "decompressing it needs at most 5 MiB" sh -c \
	"awk -F '\t' '/^summary/ { exit \$2 > 5 * 1048576 }' '$work/xzl'"
tar -tJf "$whole" > "$work/whole.list" 2> "$work/err"
check "tar reads it whole, no message" sh -c "test ! -s '$work/err'"
check "its members: the archive's, then Module.symvers" \
	diff -u <(cat "$work/part.list"; echo Module.symvers) "$work/whole.list"
check "Module.symvers is the build's, byte for byte" \
	cmp "$work/a/obj/Module.symvers" <(tar -xJOf "$whole" Module.symvers)
gen "$work/a" finish kernel/nosym.tar.xz "$part" ''
check "finish without SYMVERS (no modules): the archive alone, ended" \
	sh -c "xz -t '$work/a/obj/kernel/nosym.tar.xz' && tar -tJf '$work/a/obj/kernel/nosym.tar.xz' | cmp -s - '$work/part.list'"
gen "$work/a" finish kernel/bad.tar.xz Module.symvers '' Module.symvers 2> "$work/err"
check "finish refuses a PART that is not xz" sh -c \
	"grep -q 'not a single xz stream' '$work/err' && test ! -e '$work/a/obj/kernel/bad.tar.xz'"
