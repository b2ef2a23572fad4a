#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kheaders archive against the running kernel: a valid xz tar whose
# release and configuration are this kernel's, with nothing unsafe to
# extract, whose Module.symvers lists what the kernel exports.  With
# CONFIG_IKHEADERS=m, also load/unload cycles with readers holding the files
# open, which must leave no warning and lose no memory.

DIR=$(dirname "$(readlink -f "$0")")
# shellcheck source=../kselftest/ktap_helpers.sh
source "$DIR/../kselftest/ktap_helpers.sh"

proc=/proc/kheaders.tar.xz
sys=/sys/kernel/kheaders.tar.xz
kmemleak=/sys/kernel/debug/kmemleak
# Fewer where each takes long (an emulated machine).
cycles=${KHEADERS_CYCLES:-100}

# check NAME CMD...: a case that passes if CMD succeeds; CMD prints what it
# expected and saw when it fails.
check() {
	local name=$1
	shift
	if "$@"; then
		ktap_test_pass "$name"
	else
		ktap_test_fail "$name"
	fi
}

# The helpers below run through check, which shellcheck does not follow.
# shellcheck disable=SC2317
# expect WHAT EXPECTED SEEN: compare, saying both when they differ.
expect() {
	[ "$2" = "$3" ] && return 0
	ktap_print_msg "$1: expected '$2', saw '$3'"
	return 1
}

# below WHAT VALUE LIMIT: VALUE must be less than LIMIT.
# shellcheck disable=SC2317
below() {
	[ "$2" -lt "$3" ] && return 0
	ktap_print_msg "$1: expected less than $3, saw $2"
	return 1
}

# none WHAT FILE: FILE must be empty; else show its first lines.
# shellcheck disable=SC2317
none() {
	[ -s "$2" ] || return 0
	ktap_print_msg "expected no $1, saw:"
	head -n 10 "$2" | sed 's/^/#   /'
	return 1
}

ktap_print_header
if [ "$(id -u)" != 0 ]; then
	ktap_skip_all "must be run as root"
	exit "$KSFT_SKIP"
fi
for tool in xz tar modprobe; do
	if ! command -v "$tool" > /dev/null; then
		ktap_skip_all "$tool not found"
		exit "$KSFT_SKIP"
	fi
done
was_present=false
[ -e "$proc" ] && was_present=true
$was_present || modprobe -q kheaders
if [ ! -e "$proc" ]; then
	ktap_skip_all "$proc missing: kernel without CONFIG_IKHEADERS"
	exit "$KSFT_SKIP"
fi
# Only a loadable module has an initstate.
module=false
[ -e /sys/module/kheaders/initstate ] && module=true

work=$(mktemp -d)
# shellcheck disable=SC2317 # run by the trap
cleanup() {
	rm -rf "$work"
	# Leave kheaders loaded or not, as found.
	if $module && $was_present; then
		modprobe -q kheaders
	elif $module; then
		modprobe -q -r kheaders
	fi
}
trap cleanup EXIT
echo "kheaders selftest: start" > /dev/kmsg

ktap_set_plan 15
cp "$proc" "$work/whole"

# --- content --------------------------------------------------------------

check "archive passes xz -t" xz -t "$work/whole"
tar -tvJf "$work/whole" > "$work/list.long" 2> "$work/list.err"
check "tar lists the archive without error or warning" \
	none "tar messages" "$work/list.err"
# tar -tv gives the type first, the name from the sixth field on.
awk '{ $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print }' \
	"$work/list.long" > "$work/list"
grep -E '^/|(^|/)\.\.(/|$)' "$work/list" > "$work/unsafe"
check "no member is absolute or has a .. component" \
	none "such member" "$work/unsafe"
grep -v '^[-d]' "$work/list.long" > "$work/special"
check "every member is a regular file or a directory" \
	none "device node, fifo or link" "$work/special"
mkdir "$work/h"
tar -xJf "$work/whole" -C "$work/h" 2> "$work/extract.err"
check "extracts without error or warning" \
	none "tar messages" "$work/extract.err"
{
	grep -iE '\.(pem|x509|key|crt|der|p12|priv)$|signing_key' "$work/list"
	grep -rlE -- '-----BEGIN ([A-Z]+ )?PRIVATE KEY-----' "$work/h"
} > "$work/keys"
check "no key or certificate" none "key or certificate" "$work/keys"

release=$(uname -r)
uts=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
	"$work/h/include/generated/utsrelease.h" 2> /dev/null)
check "include/generated/utsrelease.h is uname -r" \
	expect "UTS_RELEASE" "$release" "$uts"
check "include/config/kernel.release is uname -r" \
	expect "kernel.release" "$release" \
	"$(cat "$work/h/include/config/kernel.release" 2> /dev/null)"

# auto.conf writes string values without the quotes that .config has.
config_lines() { grep '^CONFIG_' | sed 's/="\(.*\)"$/=\1/' | sort; }
if [ -e /proc/config.gz ]; then
	diff <(config_lines < "$work/h/include/config/auto.conf") \
		<(zcat /proc/config.gz | config_lines) > "$work/config.diff"
	check "include/config/auto.conf matches /proc/config.gz" \
		none "difference (< archive, > running kernel)" "$work/config.diff"
else
	ktap_test_skip "include/config/auto.conf matches /proc/config.gz: no CONFIG_IKCONFIG_PROC"
fi
rm -rf "$work/h"

# --- load/unload cycles ---------------------------------------------------

# Memory that only a free gives back, in kB: unreclaimable slab (kmalloc)
# and vmalloc (module images).  Caches and page cache are left out.
unreclaimable() {
	awk '/^(SUnreclaim|VmallocUsed):/ { kb += $2 } END { print kb }' /proc/meminfo
}

# growth FILE: kB per line that the values in FILE grow by, rounded, as the
# slope of a least-squares line over all but the first 5 (warm-up) lines.
# A leak adds up over the cycles; noise does not.
growth() {
	awk 'NR > 5 { n++; sx += NR; sy += $1; sxx += NR * NR; sxy += NR * $1 }
		END { s = n < 2 ? 0 : (n * sxy - sx * sy) / (n * sxx - sx * sx);
		      printf "%d\n", s < 0 ? s - 0.5 : s + 0.5 }' "$1"
}

# held_read FD PATH N: read on from FD, open on PATH across an unload in
# cycle N: an error, or the right bytes; never others.
held_read() {
	local fd=$1 path=$2 n=$3 err
	if cat <&"$fd" > "$work/tail" 2> "$work/err"; then
		if ! cat "$work/head$fd" "$work/tail" | cmp -s - "$work/whole"; then
			echo "cycle $n: held reader of $path read wrong bytes after rmmod"
			return 1
		fi
		echo "held reader of $path after rmmod: the right bytes"
	else
		err=$(sed 's/^cat: -: //' "$work/err")
		echo "held reader of $path after rmmod: ${err:-error without message}"
	fi
}

# kmemleak_scan: the two scans after which a leak is reported: the first
# only records the content of a new object.
kmemleak_scan() {
	echo scan > "$kmemleak" && echo scan > "$kmemleak"
}

# cycle N: load, hold both files open partly read, unload, then read on.
# Appends what happened to $work/cycles.log; returns non-zero on a fault.
cycle() {
	local n=$1 rc
	if ! modprobe kheaders 2> "$work/err"; then
		echo "cycle $n: modprobe failed: $(cat "$work/err")"
		return 1
	fi
	if [ ! -e "$proc" ] || [ ! -e "$sys" ]; then
		echo "cycle $n: paths missing after modprobe"
		return 1
	fi
	exec 3< "$proc" 4< "$sys"
	dd bs=65536 count=1 status=none <&3 > "$work/head3"
	dd bs=4096 count=1 status=none <&4 > "$work/head4"
	timeout 60 rmmod kheaders 2> "$work/err"
	rc=$?
	case $rc in
	0) echo "rmmod with readers: unloaded" ;;
	124) echo "cycle $n: rmmod hung"; return 1 ;;
	*) echo "rmmod with readers: status $rc: $(cat "$work/err")" ;;
	esac
	held_read 3 "$proc" "$n" || return 1
	held_read 4 "$sys" "$n" || return 1
	exec 3<&- 4<&-
	if [ "$rc" != 0 ] && ! rmmod kheaders 2> "$work/err"; then
		echo "cycle $n: rmmod failed with no reader: $(cat "$work/err")"
		return 1
	fi
	if [ -e "$proc" ] || [ -e "$sys" ]; then
		echo "cycle $n: a path is still there after rmmod"
		return 1
	fi
}

if ! $module; then
	for name in "$cycles load/unload cycles with readers" \
		"rmmod with a held reader unloads or fails cleanly" \
		"a held reader gets an error or the right bytes" \
		"no memory lost over the cycles" \
		"no leak reported by kmemleak"; do
		ktap_test_skip "$name: kheaders is built in"
	done
else
	rmmod kheaders
	# kmemleak reports an object once two scans found it unreferenced
	# and unchanged: leaks from before the cycles are reported, then
	# cleared.
	if [ -e "$kmemleak" ]; then
		kmemleak_scan
		echo clear > "$kmemleak"
	fi
	# Readers that open and read into the files whenever they are there,
	# so that some are in a read during an unload.
	touch "$work/busy"
	for path in "$proc" "$sys"; do
		while [ -e "$work/busy" ]; do
			dd if="$path" of=/dev/null bs=64k count=16 status=none 2> /dev/null
			sleep 0.1
		done &
	done
	ok=true
	for n in $(seq "$cycles"); do
		cycle "$n" >> "$work/cycles.log" || { ok=false; break; }
		unreclaimable >> "$work/memory"
	done
	rm "$work/busy"
	wait
	grep '^cycle' "$work/cycles.log" | tail -n 1 | sed 's/^/# /'
	check "$cycles load/unload cycles with readers" $ok
	sort "$work/cycles.log" | uniq -c | grep -v '^ *[0-9]* cycle' |
		sed 's/^ */# /'
	check "rmmod with a held reader unloads or fails cleanly" \
		none "hung or unclean rmmod" \
		<(grep -E 'rmmod hung|rmmod failed with no' "$work/cycles.log")
	check "a held reader gets an error or the right bytes" \
		none "wrong bytes" <(grep 'wrong bytes' "$work/cycles.log")
	# A leaked module image would be 4 MB per cycle, a forgotten kfree() of
	# a page-sized buffer 4 kB.  Slabs grow in steps of 32 kB or more,
	# which the slope evens out over enough cycles; one step that is not a
	# leak must not fail 25 cycles.
	lost=$(growth "$work/memory")
	ktap_print_msg "unreclaimable memory: $(head -n 1 "$work/memory") kB" \
		"after the first cycle, $(tail -n 1 "$work/memory") kB after the" \
		"last, growing $lost kB per cycle"
	check "no memory lost over the cycles" \
		below "kB of unreclaimable memory lost per cycle" "$lost" 4
	if [ -e "$kmemleak" ]; then
		# Objects younger than 5 s are never reported.
		sleep 6
		if ! kmemleak_scan 2> "$work/leaks"; then
			echo "kmemleak scan failed: is kmemleak off?" >> "$work/leaks"
		fi
		cat "$kmemleak" >> "$work/leaks"
		check "no leak reported by kmemleak" \
			none "kmemleak report" "$work/leaks"
	else
		ktap_test_skip "no leak reported by kmemleak: CONFIG_DEBUG_KMEMLEAK off"
	fi
fi

dmesg | sed -n '/kheaders selftest: start/,$p' |
	grep -E 'WARNING|BUG|Oops|Call Trace|general protection|kheaders.*(fail|error)' \
	> "$work/dmesg"
check "no warning or error in dmesg" none "kernel message" "$work/dmesg"

ktap_finished
