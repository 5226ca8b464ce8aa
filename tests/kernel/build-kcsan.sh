#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The x86_64 KCSAN kernel booted under QEMU (make check-kcsan): the kernel
# concurrency sanitizer, which excludes KASAN. Prints the path of its build
# tree on stdout (build-kernel.sh builds it once and caches it).

here=$(cd "$(dirname "$0")" && pwd)
exec "$here/build-kernel.sh" kcsan x86_64 \
	"$here/common.config" "$here/x86-qemu.config" "$here/kcsan.config"
