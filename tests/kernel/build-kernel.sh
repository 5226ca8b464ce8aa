#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a test kernel from Debian's linux-source-6.12 and print the path of
# its build tree on stdout: the UML kernels (build-uml.sh) and the x86_64
# SMP debug kernels booted under QEMU (build-smp.sh) all come from here.
#
# Usage: build-kernel.sh NAME ARCH FRAGMENT...
#
# ARCH is "um" or "x86_64"; the FRAGMENTs are merged, in order, onto that
# architecture's defconfig, and every option they set must take effect.
# The patches in patches/ARCH/ are applied to the source first.
#
# The tree is cached outside the work tree, under $LAG_CACHE (default
# /var/cache/lag), as NAME-KEY, where KEY hashes the fragments, the patches,
# this script and the source package version; it is reused until one of
# them changes. A lock per key makes a second build of the same key wait
# for the first and reuse its tree, instead of both writing it.

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
name=$1 arch=$2
shift 2
frags=()
for f in "$@"; do
	frags+=("$(realpath "$f")")
done
cache=${LAG_CACHE:-/var/cache/lag}
src_pkg=linux-source-6.12
tarball=/usr/src/linux-source-6.12.tar.xz

log() { echo "build-kernel: $*" >&2; }

case "$arch" in
um | x86_64) ;;
*) log "unknown ARCH $arch"; exit 2 ;;
esac
[ ${#frags[@]} -gt 0 ] || { log "no config fragment"; exit 2; }

if [ ! -f "$tarball" ]; then
	log "installing $src_pkg"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		"$src_pkg" >&2
fi

version=$(dpkg-query -W -f='${Version}' "$src_pkg")
patches=("$here/patches/$arch"/*.patch)
[ -e "${patches[0]}" ] || patches=()
key=$( { echo "$arch"; cat "${frags[@]}" "$0" ${patches[@]+"${patches[@]}"}; echo "$version"; } |
	sha256sum | cut -c1-16)
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

log "building $name ($src_pkg $version, ARCH=$arch, key $key) in $out"
rm -rf "$out"
mkdir -p "$out"
tar -C "$out" -xf "$tarball"
mv "$out/linux-source-6.12" "$out/linux"
cd "$out/linux"
for p in ${patches[@]+"${patches[@]}"}; do
	log "applying $(basename "$p")"
	patch -p1 --forward --quiet < "$p" >&2
done

make ARCH="$arch" defconfig >&2
scripts/kconfig/merge_config.sh -m -O . .config "${frags[@]}" >&2
make ARCH="$arch" olddefconfig >&2

# Every option the fragments ask for must have taken effect.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=n)
		opt=${line%%=*}
		if grep -q "^$opt=" .config; then
			log "$opt is set but a fragment says n"; bad=1
		fi ;;
	CONFIG_*=*)
		if ! grep -qx "$line" .config; then
			log "$line did not take: $(grep "^${line%%=*}=" .config || echo unset)"
			bad=1
		fi ;;
	esac
done < <(cat "${frags[@]}")
[ "$bad" = 0 ] || { log "config fragments not satisfied"; exit 1; }

make ARCH="$arch" -j"$(nproc)" >&2
touch "$out/.built"
log "done"
echo "$out/linux"
