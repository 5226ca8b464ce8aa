#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what building and testing lag needs on Debian 12 (as root).
# Usage: install-deps.sh [stock]
set -euo pipefail
pkgs=(
	build-essential bc bison flex libelf-dev libssl-dev kmod
	linux-source-6.12 linux-headers-amd64 linux-headers-6.12-amd64
	sparse python3 jq iproute2 ethtool iputils-ping libteam-utils tshark
	util-linux xz-utils rsync
)
# "stock": also what make check-stock and make dkms-check need.
if [ "${1:-}" = stock ]; then
	pkgs+=(qemu-system-x86 busybox-static cpio linux-image-amd64
	       linux-image-6.12-amd64 dkms)
fi
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
