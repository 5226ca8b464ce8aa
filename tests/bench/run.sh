#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: lag against Linux bonding (802.3ad) in one boot of the
# benchmark UML kernel (tests/kernel/uml-bench.config: the test kernel's
# fragment without the debug checkers), with lag.ko built for it in
# build/uml-bench. The guest side is tests/bench/bench.py.
#
# Prints one table ending with the line
#   bench: tx lag/bond R, lag/bare-q R (noise +-N%); tcp lag/bare R1/R8;
#   xdp lag/bond D/T;
#   surviving flows moved lag P% bond P%; balance lag B bond B
# and writes the same figures to build/bench/bench.json (bench.txt beside
# it, the guest's log in guest.log). Figures only: nothing here asserts a
# timing; it fails only when the build or the setup fails.
#
# Environment: LAG_BENCH_ROUNDS (transmit rounds, default 60),
# LAG_BENCH_RUN_SECS (length of one transmit burst, default 0.2),
# LAG_BENCH_ONLY (some of "tx moves balance failover loss tcp xdp": a
# partial run, figures in guest.log only), LAG_BENCH_MOVE_FLOWS (default
# 4096), LAG_BENCH_LOSS_PPS (default 20000), LAG_BENCH_TCP_ROUNDS (5),
# LAG_BENCH_TCP_SECS (3), LAG_BENCH_TCP_OMIT (1): the TCP part
# (bench_tcp.py), LAG_BENCH_XDP_ROUNDS (11), LAG_BENCH_XDP_SECS (1.0),
# LAG_BENCH_XDP_FRAMES (0: calibrated): the XDP part (bench_xdp.py),
# LAG_BENCH_NICE (the guest's nice value, default -10), LAG_UML_TREE (use
# this benchmark kernel tree instead of building one).

set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/bench
moddir=$top/build/uml-bench

log() { echo "bench: $*" >&2; }

tree=${LAG_UML_TREE:-$("$top/tests/kernel/build-uml.sh" "$top/tests/kernel/uml-bench.config")}
make -s -C "$top" KDIR="$tree" ARCH=um B="$moddir" modules >&2
# The XDP part's programs (build/xdp/*.o, clang and libbpf-dev).
make -s -C "$top/tests/xdp" >&2

# The guest runner loads the modules from $LAG_MODDIR; a runner without it
# would load the debug kernel's build/uml modules into this kernel.
if ! grep -q 'LAG_MODDIR:-' "$top/tests/run-guest.sh"; then
	log "tests/run-guest.sh does not take LAG_MODDIR; it needs"
	# shellcheck disable=SC2016 # printed as is
	log '  moddir=${LAG_MODDIR:-$top/build/uml}'
	exit 1
fi

rm -rf "$out"
mkdir -p "$out"
log "running in the guest (about 8 minutes); log in $out/guest.log"
cpu=$(sed -n 's/^model name\s*:\s*//p' /proc/cpuinfo | head -n 1)
status=0
# Raised priority: other work on the host is the largest source of noise.
LAG_UML_TREE=$tree LAG_MODDIR=$moddir LAG_SCRATCH=$out/guest \
	nice -n "${LAG_BENCH_NICE:--10}" "$top/tests/run-guest.sh" --timeout 2400 \
	env LAG_BENCH_HOST_CPU="$cpu x $(nproc)" \
	LAG_BENCH_ROUNDS="${LAG_BENCH_ROUNDS:-60}" \
	LAG_BENCH_RUN_SECS="${LAG_BENCH_RUN_SECS:-0.2}" \
	LAG_BENCH_ONLY="${LAG_BENCH_ONLY:-}" \
	LAG_BENCH_MOVE_FLOWS="${LAG_BENCH_MOVE_FLOWS:-4096}" \
	LAG_BENCH_LOSS_PPS="${LAG_BENCH_LOSS_PPS:-20000}" \
	LAG_BENCH_TCP_ROUNDS="${LAG_BENCH_TCP_ROUNDS:-5}" \
	LAG_BENCH_TCP_SECS="${LAG_BENCH_TCP_SECS:-3}" \
	LAG_BENCH_TCP_OMIT="${LAG_BENCH_TCP_OMIT:-1}" \
	LAG_BENCH_XDP_ROUNDS="${LAG_BENCH_XDP_ROUNDS:-11}" \
	LAG_BENCH_XDP_SECS="${LAG_BENCH_XDP_SECS:-1.0}" \
	LAG_BENCH_XDP_FRAMES="${LAG_BENCH_XDP_FRAMES:-0}" \
	python3 "$top/tests/bench/bench.py" > "$out/guest.log" 2>&1 || status=$?

if [ -n "${LAG_BENCH_ONLY:-}" ]; then
	# A partial run (debugging): its figures are in the guest's log only.
	cat "$out/guest.log"
	exit "$status"
fi
if [ "$status" != 0 ] || [ ! -f "$out/guest/bench.json" ]; then
	log "failed (exit $status); the end of $out/guest.log:"
	tail -n 30 "$out/guest.log" >&2
	exit 1
fi
cp "$out/guest/bench.json" "$out/guest/bench.txt" "$out/"
cat "$out/bench.txt"
