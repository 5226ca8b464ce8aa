#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The User-Mode Linux test kernel (make check, make demo), or another UML
# kernel: print the path of its build tree on stdout (build-kernel.sh builds
# it once and caches it).
#
# Usage: build-uml.sh [FRAGMENT]
#   without FRAGMENT: the debug test kernel, "uml" (common.config, uml.config,
#   debug.config); with one: a kernel named after it, from it alone (make
#   bench's uml-bench.config)

here=$(cd "$(dirname "$0")" && pwd)
if [ $# -gt 0 ]; then
	exec "$here/build-kernel.sh" "$(basename "$1" .config)" um "$1"
fi
exec "$here/build-kernel.sh" uml um \
	"$here/common.config" "$here/uml.config" "$here/debug.config"
