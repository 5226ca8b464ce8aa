#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what building and testing lag needs on Debian 12 (as root); only
# what is missing.
# Usage: install-deps.sh [check|stock]
#
#   (none)  building, the UML guest and its tests (make demo, make bench)
#   check   also what make check's stages "smp", "stock" and "dkms" need
#           (QEMU, busybox, Debian's stock 6.1 and 6.12 kernel images,
#           dkms), for those of them that LAG_CHECK_ONLY selects
#   stock   also all of those (make check-stock, make dkms-check,
#           make check-smp, make check-kcsan)
set -euo pipefail
pkgs=(
	build-essential bc bison flex libelf-dev libssl-dev kmod
	linux-source-6.12 linux-headers-amd64 linux-headers-6.12-amd64
	sparse python3 jq iproute2 ethtool iputils-ping libteam-utils tshark
	util-linux xz-utils rsync clang llvm libbpf-dev
	iperf3
)
arg=${1:-}
# stage NAME: what the stage NAME of make check needs is wanted
stage() {
	case "$arg" in
	stock) true ;;
	check) [ -z "${LAG_CHECK_ONLY:-}" ] || [[ " $LAG_CHECK_ONLY " == *" $1 "* ]] ;;
	*) false ;;
	esac
}
if stage smp; then
	pkgs+=(qemu-system-x86)
fi
if stage stock; then
	pkgs+=(qemu-system-x86 busybox-static cpio linux-image-amd64 linux-image-6.12-amd64)
fi
if stage dkms; then
	pkgs+=(dkms)
fi
# The selftests ifupdown and lag_exporter (ifup, promtool), and the stage
# "deb" (make deb, lintian, the install/purge round trip).
pkgs+=(ifupdown prometheus)
if stage deb; then
	pkgs+=(debhelper dh-dkms dkms lintian)
fi
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
