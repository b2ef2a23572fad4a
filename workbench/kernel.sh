#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel.sh VARIANT: configure and build one kernel variant (see lib.sh) in
# build/obj-VARIANT, and install its modules under build/modules-VARIANT.
# The configuration is tinyconfig plus the variant's fragments in
# workbench/configs/; an option that olddefconfig drops is an error.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

variant=${1:?usage: kernel.sh VARIANT}
obj=$(objtree "$variant")
mods=$(modroot "$variant")
case " $variants $test_kernels " in
*" $variant "*) ;;
*) die "no variant '$variant' (variants: $variants $test_kernels)" ;;
esac
mapfile -t frags < <(fragments "$variant")
use_variant "$variant"
log=$build/build-$variant.log

# The variants differ in a few options: the first build of one starts from
# a copy of another's objtree, and Kbuild rebuilds only what those options
# touch.
seed=$(seed_variant "$variant")
if [ ! -f "$obj/.config" ] && [ -n "$seed" ] && [ -f "$(objtree "$seed")/vmlinux" ]; then
	seed=$(objtree "$seed")
	say "obj-$variant: starting from a copy of ${seed#"$build"/}"
	rm -rf "$obj.tmp"
	cp -a "$seed" "$obj.tmp"
	rm -f "$obj.tmp/.fragments"
	mv "$obj.tmp" "$obj"
fi
mkdir -p "$obj"

# effective FRAGMENT...: each option's line from the last fragment that
# sets it, as merge_config.sh applies them.
effective() {
	awk '/^CONFIG_/ { k = $0; sub(/=.*/, "", k) }
		/^# CONFIG_.* is not set$/ { k = $2 }
		k != "" { if (!(k in line)) order[++n] = k; line[k] = $0; k = "" }
		END { for (i = 1; i <= n; i++) print line[order[i]] }' "$@"
}

fragments_id=$(cat "${frags[@]}" | sha1sum)
if [ "$(cat "$obj/.fragments" 2>/dev/null)" != "$fragments_id" ]; then
	say "obj-$variant: configuring"
	kmake -s O="$obj" tinyconfig > "$log" 2>&1 || { cat "$log"; die "tinyconfig failed"; }
	"$tree/scripts/kconfig/merge_config.sh" -m -Q -O "$obj" "$obj/.config" "${frags[@]}" >> "$log" 2>&1
	kmake -s O="$obj" olddefconfig >> "$log" 2>&1 || { cat "$log"; die "olddefconfig failed"; }
	dropped=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*)
			grep -qxF "$line" "$obj/.config" && continue ;;
		"# CONFIG_"*" is not set")
			opt=${line#\# }
			opt=${opt%% *}
			grep -q "^$opt=" "$obj/.config" || continue ;;
		*) continue ;;
		esac
		echo "error: config option did not survive olddefconfig: $line" >&2
		dropped=1
	done < <(effective "${frags[@]}")
	[ "$dropped" = 0 ] || die "obj-$variant: configuration incomplete"
	echo "$fragments_id" > "$obj/.fragments"
fi

say "obj-$variant: building (log: ${log#"$top"/})"
start=$SECONDS
# arm64: Image.gz, and Image with it, for scripts/extract-ikheaders' tests.
image=bzImage
[ "$(kernel_arch "$variant")" = arm64 ] && image=Image.gz
if ! kmake O="$obj" "$image" modules >> "$log" 2>&1; then
	tail -n 40 "$log"
	die "obj-$variant: build failed"
fi
rm -rf "$mods"
if ! kmake -s O="$obj" INSTALL_MOD_PATH="$mods" modules_install >> "$log" 2>&1; then
	tail -n 20 "$log"
	die "obj-$variant: modules_install failed"
fi
# A build link would lead BCC to the objtree instead of the archive.
rm -f "$mods/lib/modules/$(kernel_release "$variant")/build"
say "obj-$variant: $(kernel_release "$variant") built in $((SECONDS - start)) s"
