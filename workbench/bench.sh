#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh [--smoke]: our generator against the base tree's own
# kernel/gen_kheaders.sh (taken from the pristine Debian source and run in a
# scratch directory) on the same built objtree, build/obj-m; then the
# served file in a booted guest.  Runs alternate, the median is quoted.
# Writes BENCHMARK.md.  --smoke: one run each, no guest, no results file,
# TAP on stdout: only that both generators run and produce an archive.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

smoke=0
[ "${1:-}" = --smoke ] && smoke=1
runs=${KH_BENCH_RUNS:-5}
[ "$smoke" = 1 ] && runs=1
obj=$(objtree m)
scratch=$build/bench
export SRCARCH=x86
results=$top/BENCHMARK.md
[ -f "$obj/vmlinux" ] || die "$obj not built: run workbench/kernel.sh m"
[ -f "$base_tree/kernel/gen_kheaders.sh" ] || die "$base_tree: no base generator"

rm -rf "$scratch"
mkdir -p "$scratch/theirs/kernel" "$scratch/theirs/arch/$SRCARCH" "$scratch/ours"
# Theirs reads include/ and arch/*/include/ under its working directory
# and writes kernel/kheaders.md5 there: give it the objtree's, by links.
ln -s "$obj/include" "$scratch/theirs/include"
ln -s "$obj/arch/$SRCARCH/include" "$scratch/theirs/arch/$SRCARCH/include"
cp "$base_tree/kernel/gen_kheaders.sh" "$scratch/theirs/"

ours_archive=$scratch/ours/kheaders_part.tar.xz
theirs_archive=$scratch/theirs/kernel/kheaders_data.tar.xz

ours() {
	(cd "$obj" && srctree=$tree sh "$tree/scripts/gen_kheaders.sh" "$@")
}
ours_gen() {
	rm -rf "$ours_archive" "$scratch/ours/cache"
	ours inputs kernel/kheaders_module.lds "$scratch/ours/cache" > "$scratch/ours/inputs" &&
		ours archive "$ours_archive" kernel/kheaders_module.lds '' "$scratch/ours/cache"
}
ours_noop() {
	ours inputs kernel/kheaders_module.lds "$scratch/ours/cache" > "$scratch/ours/inputs.new" &&
		cmp -s "$scratch/ours/inputs" "$scratch/ours/inputs.new"
}
theirs() {
	(cd "$scratch/theirs" && srctree=$tree building_out_of_srctree=1 XZ=xz \
		sh ./gen_kheaders.sh kernel/kheaders_data.tar.xz)
}
theirs_gen() {
	rm -f "$theirs_archive" "$scratch/theirs/kernel/kheaders.md5"
	theirs > /dev/null
}
theirs_noop() {
	[ -z "$(theirs)" ]	# it prints GEN when it regenerates
}

# seconds CMD...: run CMD, print its wall time in seconds.
seconds() {
	local start end
	start=$(date +%s.%N)
	"$@" || die "failed: $*"
	end=$(date +%s.%N)
	echo "$end - $start" | bc
}
# timed FILE CMD...: run CMD, append its wall and CPU (user and system, its
# children's included) seconds to FILE.
timed() {
	local file=$1 t TIMEFORMAT='%R %U %S'
	shift
	t=$( { time "$@" > /dev/null 2> "$scratch/err"; } 2>&1) ||
		die "failed: $*: $(cat "$scratch/err")"
	awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' <<< "$t" >> "$file"
}
# median [COLUMN]: the median of a column (1 by default) of stdin.
median() {
	awk -v c="${1:-1}" '{ print $c }' | sort -n |
		awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { echo "scale=3; $1 / $2" | bc | sed 's/^\./0./'; }

for ((i = 0; i < runs; i++)); do
	say "run $((i + 1))/$runs: generation from scratch"
	timed "$scratch/ours.gen" ours_gen
	timed "$scratch/theirs.gen" theirs_gen
	for ((j = 0; j < 3; j++)); do
		seconds ours_noop >> "$scratch/ours.noop"
		seconds theirs_noop >> "$scratch/theirs.noop"
	done
done
if [ "$smoke" = 1 ]; then
	# shellcheck source=../tests/tap.sh
	. "$top/tests/tap.sh"
	for archive in "$ours_archive" "$theirs_archive"; do
		check "${archive#"$scratch"/}: written, a valid xz" xz -t "$archive"
	done
fi
# memory_needed ARCHIVE: bytes a reader needs to decompress it.
memory_needed() { xz --robot -lvv "$1" | awk -F '\t' '/^summary/ { print $2 }'; }
ours_bytes=$(wc -c < "$ours_archive")
theirs_bytes=$(wc -c < "$theirs_archive")
ours_memory=$(memory_needed "$ours_archive")
theirs_memory=$(memory_needed "$theirs_archive")
if [ "$smoke" = 1 ]; then
	check "ours is no larger than theirs ($ours_bytes vs $theirs_bytes bytes)" \
		test "$ours_bytes" -le "$theirs_bytes"
	check "ours needs no more memory to decompress ($ours_memory vs $theirs_memory bytes)" \
		test "$ours_memory" -le "$theirs_memory"
	exit 0
fi
[ "$ours_bytes" -le "$theirs_bytes" ] ||
	die "ours is larger than theirs: $ours_bytes bytes against $theirs_bytes"
[ "$ours_memory" -le "$theirs_memory" ] ||
	die "ours needs more memory to decompress: $ours_memory bytes against $theirs_memory"
[ -s "$ours_archive" ] || die "our generator wrote no archive"
[ -s "$theirs_archive" ] || die "the base generator wrote no archive"

# tar_stats ARCHIVE: entries and uncompressed bytes (ours has no end
# blocks, so tar's complaint about the end is expected).
tar_stats() {
	echo "$(xz -dc "$1" | tar -t 2> /dev/null | grep -vc '/$') $(xz -dc "$1" | wc -c)"
}
read -r ours_entries ours_raw < <(tar_stats "$ours_archive")
read -r theirs_entries theirs_raw < <(tar_stats "$theirs_archive")
floor=$(xz -dc "$ours_archive" | xz -9e --threads=1 | wc -c)
blocks=$(xz --robot -lvv "$ours_archive" | awk -F '\t' '/^stream/ { print $3 }')
block_mib=$(xz --robot -lvv "$ours_archive" | awk -F '\t' '/^block/ {
	m = $8 / 1048576; if (!n++ || m < lo) lo = m; if (m > hi) hi = m }
	END { printf "%.1f to %.1f", lo, hi }')
ours_gen_s=$(median < "$scratch/ours.gen")
theirs_gen_s=$(median < "$scratch/theirs.gen")
ours_cpu_s=$(median 2 < "$scratch/ours.gen")
theirs_cpu_s=$(median 2 < "$scratch/theirs.gen")
# What a process costs on this machine: theirs starts several a file.
timed "$scratch/forks" bash -c 'for ((i = 0; i < 1000; i++)); do sh -c true; done'
forks_s=$(median < "$scratch/forks")
ours_noop_s=$(median < "$scratch/ours.noop")
theirs_noop_s=$(median < "$scratch/theirs.noop")

# Regenerations in make; make; touch a header; make, through Kbuild for
# ours and through the script (its own check) for theirs; then a real
# change to a header's content.
say "regenerations"
# A header the kernel/ objects do not include: no recompilation.
header=include/linux/mlx5/driver.h
count_ours() { kmake O="$obj" kernel/ 2>&1 | grep -c 'GEN .*kheaders_part' || true; }
count_theirs() { theirs | grep -c 'GEN' || true; }
count_ours > /dev/null
count_theirs > /dev/null
regen_ours=0
regen_theirs=0
for step in make touch; do
	[ "$step" = touch ] && touch "$tree/$header"
	regen_ours=$((regen_ours + $(count_ours)))
	regen_theirs=$((regen_theirs + $(count_theirs)))
done
cp "$obj/kernel/kheaders_part.tar.xz" "$scratch/before-ours"
cp "$theirs_archive" "$scratch/before-theirs"
# The tree's files are hard links into the base tree: replace, never edit.
cp "$tree/$header" "$scratch/header"
{ cat "$scratch/header"; echo '#define KHEADERS_BENCH_PROBE 1'; } > "$tree/$header.new"
mv "$tree/$header.new" "$tree/$header"
changed_ours=$(count_ours)
changed_theirs=$(count_theirs)
cmp -s "$scratch/before-ours" "$obj/kernel/kheaders_part.tar.xz" && changed_ours="$changed_ours, same bytes"
cmp -s "$scratch/before-theirs" "$theirs_archive" && changed_theirs="$changed_theirs, same bytes"
cp -p "$scratch/header" "$tree/$header.new"
mv "$tree/$header.new" "$tree/$header"
touch -r "$base_tree/$header" "$tree/$header"
count_ours > /dev/null

# What the generator's steps cost as Kbuild runs them in obj-m (make
# kernel/), timed by a CONFIG_SHELL that times gen_kheaders.sh and runs the
# rest as it is: from scratch (no archive, hash cache or blocks) and after
# a content change to $header, in turns; each archive after a change is
# compared with the one made from scratch for the same content.
say "regeneration through Kbuild"
cat > "$scratch/timed-sh" <<'SH'
#!/bin/sh
case $1 in
*/gen_kheaders.sh)
	start=$(date +%s.%N)
	sh "$@"
	rc=$?
	echo "$(date +%s.%N) - $start" | bc >> "${0%/*}/gen.times"
	exit $rc ;;
esac
exec sh "$@"
SH
chmod +x "$scratch/timed-sh"
# kbuild_gen FILE: make kernel/; append to FILE the seconds that the
# generator's steps took.
kbuild_gen() {
	rm -f "$scratch/gen.times"
	kmake O="$obj" CONFIG_SHELL="$scratch/timed-sh" kernel/ > /dev/null ||
		die "make kernel/ failed"
	awk '{ s += $1 } END { printf "%.3f\n", s }' "$scratch/gen.times" >> "$1"
}
no_caches() {
	rm -rf "$obj/kernel/kheaders_part.tar.xz" "$obj/kernel/kheaders.inputs" \
		"$obj/kernel/.kheaders-cache"
}
# set_header 0|1: the header as shipped, or with a line more.
set_header() {
	if [ "$1" = 1 ]; then
		{ cat "$scratch/header"; echo '#define KHEADERS_BENCH_PROBE 2'; } > "$tree/$header.new"
	else
		cp -p "$scratch/header" "$tree/$header.new"
	fi
	mv "$tree/$header.new" "$tree/$header"
	[ "$1" = 1 ] || touch -r "$base_tree/$header" "$tree/$header"
}
identical=yes
set_header 0
# Once first, so that no other command of kernel/, changed with the shell,
# runs beside the timed ones.
kbuild_gen "$scratch/kbuild.warmup"
no_caches
kbuild_gen "$scratch/kbuild.scratch"
for content in 1 0 1; do
	set_header "$content"
	kbuild_gen "$scratch/kbuild.regen"
	cp "$obj/kernel/kheaders_part.tar.xz" "$scratch/regen$content.tar.xz"
done
for content in 1 0; do
	set_header "$content"
	no_caches
	kbuild_gen "$scratch/kbuild.scratch"
	cmp -s "$obj/kernel/kheaders_part.tar.xz" "$scratch/regen$content.tar.xz" || identical=no
done
count_ours > /dev/null		# with Kbuild's own shell again
[ "$identical" = yes ] || die "a regenerated archive differs from one made from scratch"
kbuild_scratch_s=$(median < "$scratch/kbuild.scratch")
kbuild_regen_s=$(median < "$scratch/kbuild.regen")

say "scripts/extract-ikheaders"
# extract_read ARGS...: bytes the tool and its children read (rchar; a
# reaped child's count is added to its parent's) for the archive of ARGS.
extract_read() {
	bash -c '"$0" "$@" > /dev/null && sed -n "s/^rchar: //p" /proc/$$/io' \
		"$tree/scripts/extract-ikheaders" "$@"
}
extract_row() {
	local label=$1 inputs=0 f t
	shift
	for f in "$@"; do [ -f "$f" ] && inputs=$((inputs + $(stat -c %s "$f"))); done
	t=$(for ((i = 0; i < runs; i++)); do
		seconds "$tree/scripts/extract-ikheaders" -o "$scratch/extracted" "$@"
	done | median)
	echo "| $label | $t | $((inputs / 1048576)) | $(ratio "$(extract_read "$@")" "$inputs") |"
}
extract_rows=$(
	extract_row "kheaders.ko" "$obj/kernel/kheaders.ko"
	if [ -f "$(objtree y)/vmlinux" ]; then
		extract_row "vmlinux of =y" "$(objtree y)/vmlinux"
		extract_row "bzImage of =y (gzip)" "$(objtree y)/arch/x86/boot/bzImage"
	fi
	if [ -f "$(objtree arm64y)/vmlinux" ]; then
		extract_row "arm64 Image.gz of =y" "$(objtree arm64y)/arch/arm64/boot/Image.gz"
	fi
)

# What Module.symvers costs at rest, in each variant built: its block in
# the served file (kheaders.ko for =m, vmlinux for =y), the last one.
last_block() { xz --robot -lvv "$1" | awk -F '\t' '/^block/ { n = $7 } END { print n }'; }
symvers_rows=$(
	for v in $variants; do
		o=$(objtree "$v")
		[ -f "$o/kernel/kheaders.tar.xz" ] || continue
		s=$(xz -dc "$o/kernel/kheaders.tar.xz" | tar -xO Module.symvers | wc -c)
		echo "| $v | $(xz -dc "$o/kernel/kheaders.tar.xz" | tar -xO Module.symvers | wc -l) | $s | $(last_block "$o/kernel/kheaders.tar.xz") | $(wc -c < "$o/kernel/kheaders.tar.xz") |"
	done
)

# A cross build, obj-arm64: the archive step there, and in it the time of
# the cross compiler, which builds the host programs again for arm64 (a
# native build has no such step), timed by a wrapper around it.  Run
# through Kbuild's run-command, so that the generator gets Kbuild's
# variables.
cross_row=
if [ -f "$(objtree arm64)/vmlinux" ]; then
	say "cross build: obj-arm64"
	cross_cc=$(use_variant arm64 && echo "${CROSS_COMPILE}gcc")
	cat > "$scratch/timed-cc" <<CC
#!/bin/sh
start=\$(date +%s.%N)
$cross_cc "\$@"
rc=\$?
echo "\$(date +%s.%N) - \$start" | bc >> "\${0%/*}/cc.times"
exit \$rc
CC
	chmod +x "$scratch/timed-cc"
	arm64_gen() {
		(use_variant arm64 &&
			kmake -s O="$(objtree arm64)" run-command CC="$scratch/timed-cc" \
			KBUILD_RUN_COMMAND="cd \$(objtree) && \$(CONFIG_SHELL) \$(srctree)/scripts/gen_kheaders.sh archive $scratch/arm64.tar.xz kernel/kheaders_module.lds ''")
	}
	for ((i = 0; i < runs; i++)); do
		rm -f "$scratch/cc.times"
		seconds arm64_gen >> "$scratch/arm64.gen"
		awk '{ s += $1 } END { printf "%.3f\n", s }' "$scratch/cc.times" >> "$scratch/arm64.cc"
	done
	cross_row="| $(median < "$scratch/arm64.gen") | $(median < "$scratch/arm64.cc") | $(wc -l < "$scratch/cc.times") |"
fi

say "guest measurements"
KH_QEMU_APPEND=initcall_debug "$top/workbench/qemu.sh" m "$top/workbench/bench-guest.sh" > "$scratch/guest" ||
	die "guest benchmark failed"
guest() { sed -n "s/^$1=//p" "$scratch/guest"; }

machine="$(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), $(free -g | awk '/^Mem:/ { print $2 }') GiB"
{
	echo "# kheaders benchmark"
	echo
	echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d): kernel $(kernel_release m)"
	echo "($base_pkg $(cat "$build/base/VERSION")), x86_64 guest config (workbench/configs),"
	echo "$machine, Debian $(cat /etc/debian_version). Theirs is the base tree's"
	echo "kernel/gen_kheaders.sh on the same objtree; times are the median of $runs runs"
	echo "(no-op: of $((runs * 3))), taken alternately."
	echo
	echo "| | ours | theirs | ours/theirs |"
	echo "|---|---:|---:|---:|"
	echo "| archive bytes (headers and build files, tar.xz) | $ours_bytes | $theirs_bytes | $(ratio "$ours_bytes" "$theirs_bytes") |"
	echo "| entries | $ours_entries | $theirs_entries | $(ratio "$ours_entries" "$theirs_entries") |"
	echo "| uncompressed tar bytes | $ours_raw | $theirs_raw | $(ratio "$ours_raw" "$theirs_raw") |"
	echo "| memory to decompress (xz -lvv), bytes | $ours_memory | $theirs_memory | $(ratio "$ours_memory" "$theirs_memory") |"
	echo "| generation from scratch, wall s | $ours_gen_s | $theirs_gen_s | $(ratio "$ours_gen_s" "$theirs_gen_s") |"
	echo "| generation from scratch, CPU s (user + system) | $ours_cpu_s | $theirs_cpu_s | $(ratio "$ours_cpu_s" "$theirs_cpu_s") |"
	echo "| no-op check, s | $ours_noop_s | $theirs_noop_s | $(ratio "$ours_noop_s" "$theirs_noop_s") |"
	echo "| regenerations in make; make; touch $header; make | $regen_ours | $regen_theirs | |"
	echo "| regenerations after a content change to $header | $changed_ours | $changed_theirs | |"
	echo
	echo "The machine: 1000 \`sh -c true\` take $forks_s s here. Theirs starts"
	echo "processes for every file (its wall and CPU grow with that figure); ours"
	echo "starts a few, and its cost is xz's, on every machine alike."
	echo
	echo "Ours is $blocks xz blocks (groups of members in name order, $block_mib MiB"
	echo "of tar each), compressed independently, as many at a time as there are"
	echo "CPUs. Physical floor: \`xz -9e\` of our own tar as one block is $floor"
	echo "bytes ($(ratio "$ours_bytes" "$floor")x of it)."
	echo
	echo "Regeneration through Kbuild (obj-m, \`make kernel/\`; the generator's"
	echo "steps as Kbuild runs them, timed by a CONFIG_SHELL wrapper; median of 3):"
	echo
	echo "| | s | of from scratch |"
	echo "|---|---:|---:|"
	echo "| from scratch (no archive, hash cache or blocks) | $kbuild_scratch_s | 1 |"
	echo "| after a content change to $header | $kbuild_regen_s | $(ratio "$kbuild_regen_s" "$kbuild_scratch_s") |"
	echo
	echo "Each archive made after a change is byte-identical to the one made"
	echo "from scratch for the same content."
	echo
	echo "In the guest (kheaders=m, QEMU TCG, 2 vCPUs), ours only. Reads: the"
	echo "whole file in 128 KiB calls, as cat makes them, timed in one process,"
	echo "median of 15 rounds that read the files in turn, each round into a"
	echo "buffer one page further on (see workbench/bench-guest.sh):"
	echo
	echo "| | value |"
	echo "|---|---:|"
	echo "| served file (/proc and /sys), bytes | $(guest served_bytes) |"
	echo "| of which the Module.symvers block, bytes | $(last_block "$obj/kernel/kheaders.tar.xz") |"
	echo "| read /proc/kheaders.tar.xz, s (of tmpfs) | $(guest read_proc_s) ($(ratio "$(guest read_proc_s)" "$(guest read_tmpfs_s)")) |"
	echo "| read /sys/kernel/kheaders.tar.xz, s (of tmpfs) | $(guest read_sys_s) ($(ratio "$(guest read_sys_s)" "$(guest read_tmpfs_s)")) |"
	echo "| read a tmpfs copy of the same bytes, s | $(guest read_tmpfs_s) |"
	echo "| extract (tar -xf), s | $(guest extract_s) |"
	echo "| kheaders.ko, bytes | $(guest ko_bytes) |"
	echo "| MemAvailable drop after modprobe, KiB | $(guest memavail_drop_kib) |"
	echo "| kheaders_init at load, as initcall_debug times it (whole microseconds) | $(guest init_usecs) |"
	echo
	echo "Module.symvers at rest, per variant (mv is distribution-like: many"
	echo "subsystems as modules). Its block is all it adds to the served file,"
	echo "which kheaders.ko (=m) or vmlinux (=y) holds; nothing is computed or"
	echo "allocated for it at boot or at load (kheaders_init only registers the"
	echo "two files):"
	echo
	echo "| variant | exports | Module.symvers, bytes | its block in the file, bytes | served file, bytes |"
	echo "|---|---:|---:|---:|---:|"
	echo "$symvers_rows"
	echo
	echo "scripts/extract-ikheaders, median of $runs runs. \"read\" is every byte it and"
	echo "its children read, its temporary files included (the kernel in a"
	echo "compressed image; the archive, which it checks and copies), over the"
	echo "size of the files given. The input itself is read whole once, by one"
	echo "grep for the markers or the compressors' magic numbers, and a compressed"
	echo "image's payload once more, by its decompressor:"
	echo
	echo "| input | s | MiB | read |"
	echo "|---|---:|---:|---:|"
	echo "$extract_rows"
	if [ -n "$cross_row" ]; then
		echo
		echo "A cross build (obj-arm64, x86_64 host, aarch64-linux-gnu-gcc): the"
		echo "archive step, and the part of it that the cross compiler takes to"
		echo "build the host programs again for arm64 (fixdep, modpost, genksyms),"
		echo "which a native build does not have. Median of $runs runs:"
		echo
		echo "| archive step, s | of which the cross compiler, s | compiler runs |"
		echo "|---:|---:|---:|"
		echo "$cross_row"
	fi
} > "$results"
cat "$results"
