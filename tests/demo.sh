#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: runs in the UML guest and shows lag doing its job, step by step.

set -u
step() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

ip netns add demo
trap 'ip netns del demo' EXIT
step "lag.ko is loaded"
run grep '^lag ' /proc/modules
step "create a LAG"
run ip -n demo link add lag0 type lag
run ip -n demo -d link show lag0
step "delete it"
run ip -n demo link del lag0
run ip -n demo link show type lag
