#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the UML test guest (see tests/run-guest.sh): the job's scratch
# directory is the host path $LAG_JOB, through hostfs; the rest is
# tests/guest/lib.sh, as in every guest. The debug kernel has veth, bonding
# and the rest built in, so nothing is modprobed.

# shellcheck source=tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"

guest_mount_base
mount -t hostfs -o "$LAG_JOB" hostfs /run/lag-job
guest_setup lag-guest
guest_run_job
