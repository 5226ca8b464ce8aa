#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The x86_64 SMP debug kernel booted under QEMU (make check-smp): KASAN,
# lockdep, RCU proving, atomic-sleep, kmemleak, the netdev refcount
# tracker. Prints the path of its build tree on stdout (build-kernel.sh
# builds it once and caches it).

here=$(cd "$(dirname "$0")" && pwd)
exec "$here/build-kernel.sh" smp x86_64 \
	"$here/common.config" "$here/x86-qemu.config" "$here/debug.config"
