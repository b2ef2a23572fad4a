#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# qemu.sh VARIANT SCRIPT [ARG]: boot build/obj-VARIANT under QEMU with the
# host's root filesystem and run SCRIPT [ARG] in the guest as root (see
# guest-init).  Prints what SCRIPT printed and exits with its status.  The
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
image=$obj/arch/x86/boot/bzImage

[ -f "$image" ] || die "$image missing: run workbench/kernel.sh $variant"
case "$top$script$arg" in *[[:space:]]*) die "paths with spaces cannot go on the kernel command line" ;; esac
rm -rf "$out"
mkdir -p "$out"

cmdline="console=ttyS0 panic=-1 root=/dev/root rootfstype=9p ro"
cmdline+=" rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose"
cmdline+=" init=$top/workbench/guest-init KH_RUN=$script KH_OUT=$out"
cmdline+=" KH_MODS=$(modroot "$variant") KH_ARGS=$arg ${KH_QEMU_APPEND:-}"

say "booting obj-$variant ($(kernel_release "$variant")): $(basename "$script") $arg"
start=$SECONDS
rc=0
timeout "$timeout" qemu-system-x86_64 -nodefaults -display none -no-reboot \
	-accel tcg,thread=multi -cpu max -smp 2 -m 3G \
	-kernel "$image" -append "$cmdline" \
	-serial "file:$out/console.log" \
	-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=root,mount_tag=/dev/root \
	-fsdev local,id=out,path="$out",security_model=none \
	-device virtio-9p-pci,fsdev=out,mount_tag=results || rc=$?

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
