#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# qemu-boot-test.sh: qemu_boot (tests/guest/qemu.sh) against a stand-in
# qemu-system-x86_64 made up here, on the host: a guest that never reaches
# its init is killed after qemu_init_secs with a message saying so, and a
# guest that boots and finishes its job is waited for and passes. TAP on
# stdout; exits 1 if a case failed.

top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

# The stand-in reads its job directory from the "-virtfs ...,mount_tag=job"
# argument and its console from "-serial file:...", like QEMU, and acts as
# $tmp/mode says: "hang" sleeps (a kernel stuck in its boot), "boot" writes
# what a guest that ran its job writes.
mkdir -p "$tmp/bin"
cat > "$tmp/bin/qemu-system-x86_64" <<'END'
#!/bin/bash
for a in "$@"; do
	case "$a" in
	file:*) console=${a#file:} ;;
	*mount_tag=job*) job=${a#local,path=}; job=${job%%,*} ;;
	esac
done
echo $$ > "$job/qemu.pid"
case "$(cat "$job/../mode")" in
hang)
	echo "[    0.006662] BUG: KASAN: wild-memory-access in rcu_is_watching+0x20/0x50" > "$console"
	exec sleep 600 ;;
boot)
	: > "$job/booted"
	sleep 5
	echo "[   71.646021] lag-runner: loading lag.ko" > "$console"
	: > "$job/dmesg.txt"
	echo 0 > "$job/rc" ;;
esac
END
chmod +x "$tmp/bin/qemu-system-x86_64"
PATH=$tmp/bin:$PATH

# shellcheck disable=SC2034 # read by qemu.sh
qemu_smp=1 qemu_mem=64 qemu_timeout=30 qemu_init_secs=3
# shellcheck source=tests/guest/qemu.sh
. "$top/tests/guest/qemu.sh"

# case MODE EXPECT MAXSECS DESC [PATTERN]: qemu_boot with the stand-in in
# MODE returns EXPECT within MAXSECS, its messages matching PATTERN.
case_() {
	local mode=$1 expect=$2 max=$3 desc=$4 pattern=${5:-} rc t0=$SECONDS
	n=$((n + 1))
	echo "$mode" > "$tmp/mode"
	qemu_job "$tmp/job" "$tmp" "" 0
	qemu_boot "$tmp/job" /nonexistent/bzImage "" "" > "$tmp/err" 2>&1
	rc=$?
	if [ "$rc" != "$expect" ]; then
		echo "not ok $n - $desc: returned $rc, expected $expect"
	elif [ $((SECONDS - t0)) -gt "$max" ]; then
		echo "not ok $n - $desc: took $((SECONDS - t0))s, more than ${max}s"
	elif [ -n "$pattern" ] && ! grep -q -e "$pattern" "$tmp/err"; then
		echo "not ok $n - $desc: no message matching '$pattern'"
	elif kill -0 "$(cat "$tmp/job/qemu.pid")" 2> /dev/null; then
		echo "not ok $n - $desc: the stand-in QEMU is still running"
	else
		echo "ok $n - $desc"
		return
	fi
	sed 's/^/# /' "$tmp/err"
	failed=$((failed + 1))
}

case_ hang 1 15 "a boot that never reaches init is killed after qemu_init_secs" \
	"never reached its init in 3s"
case_ boot 0 15 "a guest that reached init is waited for past qemu_init_secs"

echo "1..$n"
[ "$failed" = 0 ]
