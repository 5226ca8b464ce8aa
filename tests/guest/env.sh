# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The test settings a guest takes from the host's environment, named once:
# for the runners that write a job's job.env (tests/run-guest.sh for UML,
# tests/guest/qemu.sh for QEMU) and for the guest that exports them again
# (tests/guest/lib.sh).
#
#   guest_env_vars    their names
#   guest_env_print   one NAME=VALUE line each for job.env (empty: unset)

guest_env_vars=(LAG_TEST_FILTER LAG_CHURN_SECS LAG_CHURN_FLOOD)

guest_env_print() {
	local v

	for v in "${guest_env_vars[@]}"; do
		printf '%s=%q\n' "$v" "${!v:-}"
	done
}
