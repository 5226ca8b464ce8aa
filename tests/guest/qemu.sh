# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # top and qemu_*: the caller sets them
#
# Booting a guest under QEMU (TCG: nested KVM hangs on the hosts we run on),
# sourced by tests/stock/check-stock.sh and tests/smp/check-smp.sh (and
# tests/guest/qemu-boot-test.sh, which tests qemu_boot). The
# guest's root is the host's, read-only over virtio-9p (tag "hostroot"),
# its job directory SCRATCH is shared read-write (tag "job"), and its init
# is tests/guest/qemu-init.sh, which hands over to tests/guest/lib.sh like
# every guest. The caller sets:
#
#   top          the checkout
#   qemu_smp     guest CPUs          qemu_mem  MiB
#   qemu_timeout seconds per boot
#   qemu_init_secs seconds the guest gets to reach its init (default
#                300); a boot that hangs before it is killed then, not
#                left to qemu_timeout
#
#   qemu_job SCRATCH MODDIR MODPROBE KUNIT [SCRIPT [ARG..]]  SCRATCH/job.env
#   qemu_boot SCRATCH KERNEL INITRD APPEND         boot; status as run-guest.sh
#   qemu_tap PREFIX FILE                           count FILE's TAP lines

# shellcheck source=tests/guest/env.sh
. "$top/tests/guest/env.sh"

# qemu_job SCRATCH MODDIR MODPROBE KUNIT [SCRIPT [ARG...]]: a fresh SCRATCH
# with the job the guest runs: SCRIPT (none: nothing) with lag.ko from
# MODDIR loaded, and lag_kunit.ko too when KUNIT is 1, after modprobing
# MODPROBE.
qemu_job() {
	local scratch=$1

	rm -rf "$scratch"
	mkdir -p "$scratch"
	{
		printf 'LAG_TOP=%q\n' "$top"
		printf 'LAG_MODDIR=%q\n' "$2"
		printf 'LAG_MODPROBE=%q\n' "$3"
		printf 'LAG_KUNIT=%q\n' "$4"
		guest_env_print
		shift 4
		printf 'LAG_SCRIPT=('
		[ $# -gt 0 ] && printf '%q ' "$@"
		printf ')\n'
	} > "$scratch/job.env"
}

# qemu_boot SCRATCH KERNEL INITRD APPEND: boot KERNEL (with INITRD unless
# empty, and APPEND on the command line) on the job in SCRATCH; then the
# splat and leak check. Returns the job's status, or 1.
#
# The guest's init writes SCRATCH/booted first thing (qemu-init.sh). A
# kernel that has not got there within qemu_init_secs is stuck in its own
# boot (seen under TCG: an endless string of KASAN reports from
# identify_cpu()), and waiting out qemu_timeout would only cost an hour.
qemu_boot() {
	local scratch=$1 kernel=$2 initrd=$3 append=$4 status=0 pid t0=$SECONDS
	local hung=

	rm -f "$scratch/booted"
	# -cpu max without LA57: the guest kernel clears its CPU features in
	# identify_cpu() for a moment, and an interrupt then sees 4-level
	# paging in a 5-level address space (KASAN: wild-memory-access at
	# boot; 6.12 reads pgtable_l5_enabled() from those features).
	timeout --kill-after=10 "$qemu_timeout" qemu-system-x86_64 \
		-accel tcg,thread=multi -cpu max,la57=off -smp "$qemu_smp" -m "$qemu_mem" \
		-nodefaults -display none -no-reboot -nic none \
		-serial "file:$scratch/console.log" \
		-kernel "$kernel" ${initrd:+-initrd "$initrd"} \
		-append "console=ttyS0 panic=-1 mitigations=off $append" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$scratch,mount_tag=job,security_model=none" \
		< /dev/null > "$scratch/qemu.log" 2>&1 &
	pid=$!
	# QEMU runs in the background: an interrupted runner takes it along
	trap 'kill "$pid" 2> /dev/null; exit 130' INT TERM
	while [ ! -e "$scratch/booted" ] && kill -0 "$pid" 2> /dev/null; do
		if [ $((SECONDS - t0)) -ge "${qemu_init_secs:-300}" ]; then
			hung=1
			kill "$pid"
			break
		fi
		sleep 1
	done
	wait "$pid" || status=$?
	trap - INT TERM
	if [ -n "$hung" ]; then
		echo "qemu: guest never reached its init in ${qemu_init_secs:-300}s (a boot hang); killed" >&2
		tail -n 40 "$scratch/console.log" >&2
		status=1
	elif [ ! -f "$scratch/rc" ]; then
		if [ "$status" = 124 ] || [ "$status" = 137 ]; then
			echo "qemu: guest timed out after ${qemu_timeout}s" >&2
		else
			echo "qemu: guest died before the job finished (qemu exit $status)" >&2
		fi
		tail -n 40 "$scratch/console.log" "$scratch/qemu.log" >&2
		status=1
	else
		status=$(cat "$scratch/rc")
		[ "$status" = 0 ] || echo "qemu: guest script exited $status" >&2
	fi
	"$top/tests/guest/splat-check.sh" "$scratch" || status=1
	return "$status"
}

# qemu_tap PREFIX FILE: a check per TAP line of FILE (pass, fail and skip,
# the caller's), named "PREFIX: description"; a failed case's comments are
# printed after its line.
qemu_tap() {
	local line notes=()

	while IFS= read -r line; do
		case "$line" in
		"#"*) notes+=("$line"); continue ;;
		"ok "*"# SKIP"*) skip "$1: ${line#ok * - }" ;;
		"ok "*) pass "$1: ${line#ok * - }" ;;
		"not ok "*)
			fail "$1: ${line#not ok * - }"
			[ ${#notes[@]} -gt 0 ] && printf '    %s\n' "${notes[@]}" | tail -n 20
			;;
		esac
		notes=()
	done < "$2"
}
