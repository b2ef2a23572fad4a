#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# qemu.sh VARIANT SCRIPT [ARG]: boot build/obj-VARIANT under QEMU with the
# host's root filesystem (arm64: build/root-arm64) and run SCRIPT [ARG] in
# the guest as root (see guest-init).  Prints what SCRIPT printed and exits with its status.  The
# console log, dmesg and SCRIPT's output stay in build/guest-VARIANT/.  A
# kernel warning, oops or panic on the console fails the run.
# KH_QEMU_APPEND: more kernel parameters; KH_QEMU_TIMEOUT: seconds.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

variant=${1:?usage: qemu.sh VARIANT SCRIPT [ARG]}
script=$(realpath "${2:?usage: qemu.sh VARIANT SCRIPT [ARG]}")
arg=${3:-}
timeout=${KH_QEMU_TIMEOUT:-1500}
obj=$(objtree "$variant")
out=$build/guest-$variant
image=$obj/$(kernel_image "$variant")

[ -f "$image" ] || die "$image missing: run workbench/kernel.sh $variant"
case "$top$script$arg" in *[[:space:]]*) die "paths with spaces cannot go on the kernel command line" ;; esac
rm -rf "$out"
mkdir -p "$out"

# x86: the host's root.  arm64: an arm64 Debian root (guest-root.sh), with
# guest-init put in it and the checkout shared at its own path.
if [ "$(kernel_arch "$variant")" = arm64 ]; then
	"$top/workbench/guest-root.sh" arm64
	root=$build/root-arm64
	install -m 755 "$top/workbench/guest-init" "$root/guest-init"
	init=/guest-init
	qemu=(qemu-system-aarch64 -M virt -cpu "max,pauth-impdef=on")
	clock=
	console=ttyAMA0
	virtio="virtio-9p-device"
	share=(-fsdev "local,id=top,path=$top,security_model=none,readonly=on"
		-device "$virtio,fsdev=top,mount_tag=top")
else
	root=/
	init=$top/workbench/guest-init
	qemu=(qemu-system-x86_64 -cpu max)
	# TCG delivers timer ticks late, and the clocksource watchdog, which
	# checks the TSC against them, would mark it unstable: the guest's
	# clock would then tick in jiffies, 4 ms.  QEMU's TSC follows the
	# host's, the same on every vCPU.
	clock=tsc=reliable
	console=ttyS0
	virtio="virtio-9p-pci"
	share=()
fi

cmdline="console=$console $clock panic=-1 root=/dev/root rootfstype=9p ro"
cmdline+=" rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose"
cmdline+=" init=$init KH_RUN=$script KH_OUT=$out KH_TOP=${share:+$top}"
cmdline+=" KH_MODS=$(modroot "$variant") KH_ARGS=$arg ${KH_QEMU_APPEND:-}"

say "booting obj-$variant ($(kernel_release "$variant")): $(basename "$script") $arg"
start=$SECONDS
rc=0
timeout "$timeout" "${qemu[@]}" -nodefaults -display none -no-reboot \
	-accel tcg,thread=multi -smp 2 -m 3G \
	-kernel "$image" -append "$cmdline" \
	-serial "file:$out/console.log" \
	-fsdev "local,id=root,path=$root,security_model=none,readonly=on,multidevs=remap" \
	-device "$virtio,fsdev=root,mount_tag=/dev/root" "${share[@]}" \
	-fsdev "local,id=out,path=$out,security_model=none" \
	-device "$virtio,fsdev=out,mount_tag=results" || rc=$?

cat "$out/guest.log" 2>/dev/null || true
if [ "$rc" = 124 ]; then
	tail -n 30 "$out/console.log" >&2
	die "guest timed out after $timeout s (console: ${out#"$top"/}/console.log)"
fi
[ "$rc" = 0 ] || die "qemu failed with status $rc"
if grep -nE 'WARNING:|BUG:|Oops|Kernel panic|general protection|Call Trace' "$out/console.log" >&2; then
	die "kernel splat on the console (${out#"$top"/}/console.log)"
fi
[ -f "$out/status" ] || { tail -n 30 "$out/console.log" >&2; die "guest did not finish"; }
say "guest finished in $((SECONDS - start)) s, status $(cat "$out/status")"
exit "$(cat "$out/status")"
