#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-check.sh: dkms.conf works. For each installed Debian amd64 kernel
# header tree (/usr/src/linux-headers-<ver>-amd64 with /lib/modules/<ver>/build;
# LAG_DKMS_KERNELS overrides): copy the sources to /usr/src/lag-<version>/,
# `dkms add`, `dkms build -k <ver>`, `dkms install -k <ver>`, and check the
# installed file with modinfo (name, version, vermagic) and that depmod finds
# it; then `dkms remove --all` and check that nothing is left: no DKMS tree,
# no /usr/src/lag-<version>, no lag.ko under /lib/modules, and no DKMS
# signing key unless one existed before. Nothing is ever loaded: the running
# kernel is not ours. Needs root and dkms (apt-get install dkms).
#
# Prints one line per check and "N passed, N failed"; exits non-zero on failure.

set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
logs=$top/build/dkms-check
rm -rf "$logs"
mkdir -p "$logs"

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "FAIL - $*"; }

summary() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit
}

if [ "$(id -u)" != 0 ] || ! command -v dkms > /dev/null; then
	fail "dkms-check needs root and dkms (apt-get install dkms)"
	summary
fi

ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
drv=$(sed -n 's/^#define LAG_DRV_VERSION[[:space:]]*"\(.*\)"$/\1/p' "$top/include/lag.h")
if [ -n "$ver" ] && [ "$ver" = "$drv" ]; then
	pass "dkms.conf PACKAGE_VERSION $ver matches LAG_DRV_VERSION"
else
	fail "dkms.conf PACKAGE_VERSION '$ver' differs from LAG_DRV_VERSION '$drv'"
	summary
fi
src=/usr/src/lag-$ver

if [ -e "$src" ] || [ -e /var/lib/dkms/lag ]; then
	fail "lag is already in DKMS or $src exists; not touching it (dkms remove lag/$ver --all; rm -rf $src)"
	summary
fi
# A lag.ko installed otherwise (make install) would pass for ours.
old=$(find /lib/modules -name 'lag.ko*' -print -quit 2> /dev/null)
if [ -n "$old" ]; then
	fail "$old is installed already; not touching it (make uninstall)"
	summary
fi

if [ -n "${LAG_DKMS_KERNELS:-}" ]; then
	kernels=$LAG_DKMS_KERNELS
else
	kernels=""
	for d in /usr/src/linux-headers-*-amd64; do
		k=${d#/usr/src/linux-headers-}
		[ -e "/lib/modules/$k/build" ] && kernels="$kernels $k"
	done
fi
if [ -z "$kernels" ]; then
	fail "no installed kernel headers"
	summary
fi

# DKMS signs what it builds, generating a key pair on first use; a key that
# this run generated is removed at the end.
keys=()
for f in /var/lib/dkms/mok.key /var/lib/dkms/mok.pub; do
	[ -e "$f" ] || keys+=("$f")
done

# shellcheck disable=SC2317 # called by the trap
cleanup() {
	dkms remove "lag/$ver" --all > "$logs/remove.log" 2>&1
	rm -rf "$src"
	rm -f "${keys[@]}"
}
trap cleanup EXIT

# The sources a user installs (see the comment at the top of dkms.conf).
mkdir -p "$src"
cp -r "$top/Makefile" "$top/Kbuild" "$top/dkms.conf" "$top"/*.c "$top/include" "$src/"

if dkms add "lag/$ver" > "$logs/add.log" 2>&1 &&
		dkms status -m lag -v "$ver" 2> /dev/null | grep -q added; then
	pass "dkms add lag/$ver"
else
	fail "dkms add lag/$ver (see $logs/add.log)"
	summary
fi

for k in $kernels; do
	t0=$(date +%s)
	if dkms build "lag/$ver" -k "$k" > "$logs/build-$k.log" 2>&1; then
		pass "dkms build -k $k ($(($(date +%s) - t0))s)"
	else
		fail "dkms build -k $k (see $logs/build-$k.log and /var/lib/dkms/lag/$ver/build/make.log)"
		cp "/var/lib/dkms/lag/$ver/build/make.log" "$logs/make-$k.log" 2> /dev/null
		tail -n 15 "$logs/build-$k.log" "$logs/make-$k.log" 2> /dev/null | sed 's/^/    /'
		continue
	fi
	if ! dkms install "lag/$ver" -k "$k" > "$logs/install-$k.log" 2>&1; then
		fail "dkms install -k $k (see $logs/install-$k.log)"
		tail -n 15 "$logs/install-$k.log" | sed 's/^/    /'
		continue
	fi
	f=$(find "/lib/modules/$k/updates/dkms" -name 'lag.ko*' 2> /dev/null | head -n 1)
	if [ -z "$f" ]; then
		fail "dkms install -k $k: no lag.ko under /lib/modules/$k/updates/dkms"
		continue
	fi
	name=$(modinfo -F name "$f")
	mver=$(modinfo -F version "$f")
	magic=$(modinfo -F vermagic "$f" | cut -d' ' -f1)
	found=$(modinfo -k "$k" -n lag 2> /dev/null)
	if [ "$name" = lag ] && [ "$mver" = "$ver" ] && [ "$magic" = "$k" ] &&
			[ "$found" = "$f" ] && dkms status -m lag -v "$ver" -k "$k" 2> /dev/null | grep -q installed; then
		pass "dkms install -k $k: $f (version $mver, vermagic $magic, found by depmod)"
	else
		fail "dkms install -k $k: $f: name '$name' version '$mver' vermagic '$magic', modinfo -k finds '$found'"
	fi
done

if dkms remove "lag/$ver" --all > "$logs/remove.log" 2>&1; then
	pass "dkms remove lag/$ver --all"
else
	fail "dkms remove lag/$ver --all (see $logs/remove.log)"
fi
rm -rf "$src"
rm -f "${keys[@]}"
trap - EXIT

left=$(find /lib/modules -name "lag.ko*" 2> /dev/null; dkms status -m lag 2> /dev/null;
	ls -d /var/lib/dkms/lag "$src" "${keys[@]}" 2> /dev/null)
for k in $kernels; do
	modinfo -k "$k" -n lag > /dev/null 2>&1 && left="$left depmod-still-finds-lag-for-$k"
done
if [ -z "$left" ]; then
	pass "nothing left behind (DKMS tree, /usr/src, /lib/modules, modules.dep, signing key)"
else
	fail "left behind: $left"
fi
summary
