#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the User-Mode Linux test kernel from Debian's linux-source-6.12 and
# print the path of its build tree on stdout.
#
# The tree is cached outside the work tree, under $LAG_CACHE (default
# /var/cache/lag), keyed by the hash of the config fragment, this script and
# the source package version, and reused until one of them changes. The
# patches in patches/ are applied to the source first (and are part of the
# key): fixes the test kernel needs on this kind of host. A lock
# per key makes a second build of the same key wait for the first and reuse
# its tree, instead of both writing it.
#
# Usage: build-uml.sh [FRAGMENT]   (default: uml.config beside this script)

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
frag=$(realpath "${1:-$here/uml.config}")
cache=${LAG_CACHE:-/var/cache/lag}
src_pkg=linux-source-6.12
tarball=/usr/src/linux-source-6.12.tar.xz

log() { echo "build-uml: $*" >&2; }

if [ ! -f "$tarball" ]; then
	log "installing $src_pkg"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		"$src_pkg" >&2
fi

version=$(dpkg-query -W -f='${Version}' "$src_pkg")
patches=("$here"/patches/*.patch)
[ -e "${patches[0]}" ] || patches=()
key=$( { cat "$frag" "$0" ${patches[@]+"${patches[@]}"}; echo "$version"; } |
	sha256sum | cut -c1-16)
name=$(basename "$frag" .config)
out=$cache/$name-$key

mkdir -p "$cache"
exec 9> "$out.lock"
if ! flock -n 9; then
	log "waiting for another build of $name-$key"
	flock 9
fi
if [ -f "$out/.built" ]; then
	echo "$out/linux"
	exit 0
fi

log "building UML ($src_pkg $version, $(basename "$frag"), key $key) in $out"
rm -rf "$out"
mkdir -p "$out"
tar -C "$out" -xf "$tarball"
mv "$out/linux-source-6.12" "$out/linux"
cd "$out/linux"
for p in ${patches[@]+"${patches[@]}"}; do
	log "applying $(basename "$p")"
	patch -p1 --forward --quiet < "$p" >&2
done

make ARCH=um defconfig >&2
scripts/kconfig/merge_config.sh -m -O . .config "$frag" >&2
make ARCH=um olddefconfig >&2

# Every option the fragment asks for must have taken effect.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=n)
		opt=${line%%=*}
		if grep -q "^$opt=" .config; then
			log "$opt is set but the fragment says n"; bad=1
		fi ;;
	CONFIG_*=*)
		if ! grep -qx "$line" .config; then
			log "$line did not take: $(grep "^${line%%=*}=" .config || echo unset)"
			bad=1
		fi ;;
	esac
done < "$frag"
[ "$bad" = 0 ] || { log "config fragment not satisfied"; exit 1; }

make ARCH=um -j"$(nproc)" >&2
touch "$out/.built"
log "done"
echo "$out/linux"
