#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deb-check.sh: the Debian packages (debian/, make deb) work. Builds
# lag-dkms and lag-tools with make deb, runs lintian on them (any error or
# warning fails; informational tags are printed), checks the unit with
# systemd-analyze verify and the exporter's output with promtool, then
# installs both with apt-get install ./lag-*.deb: DKMS must have built and
# installed lag.ko for every installed Debian amd64 kernel with headers
# (modinfo: name, version, vermagic; found by depmod), the ip plugin must be
# where Debian's ip loads it; then dpkg --purge both and check that no file
# they installed, no DKMS tree, no lag.ko and no DKMS signing key that the
# run created is left. Nothing is ever loaded: the running kernel is not
# ours. Needs root. Skips the install round trip, saying so, when lag is
# installed here already (packages, DKMS, /usr/src/lag-* or make install).
#
# Prints one line per check ("ok - ", "FAIL - ", "skip - ") and
# "N passed, N failed[, N skipped]"; exits non-zero on failure.

set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
logs=$top/build/deb-check
rm -rf "$logs"
mkdir -p "$logs"

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "FAIL - $*"; }
skip() { skipped=$((skipped + 1)); echo "skip - $*"; }
indent() { sed 's/^/    /'; }

summary() {
	local s="$passed passed, $failed failed"
	[ "$skipped" -gt 0 ] && s="$s, $skipped skipped"
	echo "$s"
	[ "$failed" = 0 ]
	exit
}

if [ "$(id -u)" != 0 ]; then
	fail "deb-check needs root (it installs packages)"
	summary
fi
for t in dpkg-buildpackage dh_dkms lintian dkms promtool systemd-analyze; do
	if ! command -v "$t" > /dev/null; then
		fail "$t is missing (tests/install-deps.sh check)"
		summary
	fi
done

t0=$SECONDS
if make -C "$top" deb > "$logs/make-deb.log" 2>&1 &&
		compgen -G "$top/build/deb/lag-dkms_*_all.deb" > /dev/null &&
		compgen -G "$top/build/deb/lag-tools_*_amd64.deb" > /dev/null; then
	pass "make deb ($((SECONDS - t0))s): $(cd "$top/build/deb" && echo lag-*.deb)"
else
	fail "make deb (see $logs/make-deb.log)"
	tail -n 15 "$logs/make-deb.log" | indent
	summary
fi
debs=("$top"/build/deb/lag-*.deb)
changes=$(ls "$top"/build/deb/lag_*.changes)

# lintian: errors and warnings fail; pedantic and info tags are shown.
lintian -I --pedantic "$changes" > "$logs/lintian.log" 2>&1
if grep -q -E '^[EW]: ' "$logs/lintian.log"; then
	fail "lintian: errors or warnings (see $logs/lintian.log)"
	grep -E '^[EW]: ' "$logs/lintian.log" | indent
else
	pass "lintian: no errors, no warnings ($(grep -c -E '^[IPX]: ' "$logs/lintian.log") info/pedantic tags)"
	grep -E '^[IPX]: ' "$logs/lintian.log" | indent
fi

# promtool on the exporter's output where no LAG exists: the series of a
# converged and a defaulted LAG are checked in the guest
# (tests/selftests/lag_exporter.sh).
if python3 "$top/tools/lag-exporter" -o - > "$logs/empty.prom" 2> "$logs/exporter.err" &&
		promtool check metrics < "$logs/empty.prom" > "$logs/promtool.log" 2>&1; then
	pass "lag-exporter without LAGs: promtool check metrics"
else
	fail "lag-exporter without LAGs (see $logs/exporter.err, $logs/promtool.log)"
fi

installed() {
	dpkg-query -W -f='${Status}\n' lag-dkms lag-tools 2> /dev/null | grep -q 'ok installed\|config-files'
}
if installed || [ -e /var/lib/dkms/lag ] || compgen -G '/usr/src/lag-*' > /dev/null ||
		[ -n "$(find /lib/modules -name 'lag.ko*' -print -quit 2> /dev/null)" ]; then
	skip "install/purge round trip: lag is installed here already (lag-dkms/lag-tools, DKMS, /usr/src/lag-* or make install); not touching it"
	summary
fi

kernels=""
for d in /usr/src/linux-headers-*-amd64; do
	k=${d#/usr/src/linux-headers-}
	[ -e "/lib/modules/$k/build" ] && kernels="$kernels $k"
done
if [ -z "$kernels" ]; then
	fail "no installed kernel headers (linux-headers-amd64, linux-headers-6.12-amd64)"
	summary
fi
ver=$(dpkg-deb -f "$top/build/deb/"lag-dkms_*_all.deb Version)
keys=()
for f in /var/lib/dkms/mok.key /var/lib/dkms/mok.pub; do
	[ -e "$f" ] || keys+=("$f")
done

purge() {
	DEBIAN_FRONTEND=noninteractive dpkg --purge lag-tools lag-dkms > "$logs/purge.log" 2>&1
}
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	installed && purge
	rm -f "${keys[@]}"
}
trap cleanup EXIT

t0=$SECONDS
if DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${debs[@]}" \
		> "$logs/install.log" 2>&1; then
	pass "apt-get install ./lag-*.deb ($((SECONDS - t0))s)"
else
	fail "apt-get install ./lag-*.deb (see $logs/install.log)"
	tail -n 20 "$logs/install.log" | indent
	summary
fi
dpkg -L lag-dkms lag-tools | sort -u > "$logs/files.txt"

for k in $kernels; do
	f=$(find "/lib/modules/$k/updates/dkms" -name 'lag.ko*' 2> /dev/null | head -n 1)
	if [ -z "$f" ]; then
		fail "lag-dkms: no lag.ko for $k (see $logs/install.log)"
		continue
	fi
	name=$(modinfo -F name "$f")
	mver=$(modinfo -F version "$f")
	magic=$(modinfo -F vermagic "$f" | cut -d' ' -f1)
	found=$(modinfo -k "$k" -n lag 2> /dev/null)
	if [ "$name" = lag ] && [ "$mver" = "$ver" ] && [ "$magic" = "$k" ] && [ "$found" = "$f" ]; then
		pass "lag-dkms: $f (version $mver, vermagic $magic, found by depmod)"
	else
		fail "lag-dkms: $f: name '$name' version '$mver' vermagic '$magic', modinfo -k finds '$found'"
	fi
done

plugin=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/ip/link_lag.so
if [ -f "$plugin" ] && [ -L "${plugin%.so}_slave.so" ] &&
		ip link help lag 2>&1 | grep -q min_links; then
	pass "lag-tools: $plugin is the one ip loads (ip link help lag)"
else
	fail "lag-tools: ip does not load $plugin ($(ip link help lag 2>&1 | head -n 1))"
fi

missing=""
for f in /etc/network/if-pre-up.d/lag /etc/network/if-post-down.d/lag \
		/lib/systemd/system/lag@.service /usr/libexec/lag/lag-unit \
		/usr/sbin/lag-exporter /usr/bin/lag-status; do
	[ -x "$f" ] || [ -f "$f" ] || missing="$missing $f"
done
for m in lag-status lag-exporter lag-unit; do
	man -w "$m" > /dev/null 2>&1 || missing="$missing man:$m"
done
if [ -z "$missing" ]; then
	pass "lag-tools: hooks, unit, helper, lag-exporter, lag-status and their man pages installed"
else
	fail "lag-tools: missing:$missing"
fi

if (cd "$logs" && systemd-analyze verify /lib/systemd/system/lag@.service) > "$logs/verify.log" 2>&1 &&
		! grep -q . "$logs/verify.log"; then
	pass "systemd-analyze verify lag@.service (installed)"
else
	fail "systemd-analyze verify lag@.service (see $logs/verify.log)"
	indent < "$logs/verify.log"
fi
if lag-status > "$logs/status.out" 2>&1 && lag-status -j | python3 -m json.tool > /dev/null &&
		/usr/sbin/lag-exporter -o "$logs/installed.prom" && promtool check metrics < "$logs/installed.prom"; then
	pass "installed lag-status, lag-status -j and lag-exporter run (no LAG on the host)"
else
	fail "installed lag-status or lag-exporter (see $logs/status.out)"
fi

if purge; then
	pass "dpkg --purge lag-tools lag-dkms"
else
	fail "dpkg --purge lag-tools lag-dkms (see $logs/purge.log)"
fi
rm -f "${keys[@]}"
trap - EXIT

left=""
while read -r f; do
	[ -e "$f" ] || continue
	# Directories other packages own stay (/etc/network/if-pre-up.d, ...).
	[ -d "$f" ] && [ -n "$(dpkg -S "$f" 2> /dev/null)" ] && continue
	[ -d "$f" ] && [ -n "$(ls -A "$f")" ] && continue
	[ "$f" = / ] || [ "$f" = /. ] || left="$left $f"
done < "$logs/files.txt"
left="$left $(find /lib/modules -name 'lag.ko*' 2> /dev/null | tr '\n' ' ')"
for f in /var/lib/dkms/lag /usr/src/lag-* "${keys[@]}"; do
	[ -e "$f" ] && left="$left $f"
done
for k in $kernels; do
	modinfo -k "$k" -n lag > /dev/null 2>&1 && left="$left depmod-still-finds-lag-for-$k"
done
installed && left="$left dpkg-still-knows-the-packages"
left=$(echo "$left" | xargs)
if [ -z "$left" ]; then
	pass "purge left nothing behind (package files, DKMS tree, /usr/src, lag.ko, modules.dep, signing key)"
else
	fail "purge left behind: $left"
fi
summary
