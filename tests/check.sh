#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every compile check, static check, KUnit case and selftest,
# the interop selftests on Debian's stock kernels and the DKMS round trip.
# Prints one line per check and, last, "N passed, N failed[, N skipped]".
# Exits non-zero when anything failed.
#
# LAG_CHECK_ONLY="build style kunit selftests smp stock dkms deb" limits the
# stages run (that list is the default); LAG_SELFTESTS="device membership"
# limits the selftest files run; LAG_CHECK_JOBS (default: the host's CPU
# count) is how many selftest guests run at a time.
# The stages "smp", "stock" and "dkms" run tests/smp/check-smp.sh,
# tests/stock/check-stock.sh (make check-stock, LAG_STOCK_*) and
# tests/stock/dkms-check.sh (make dkms-check) and count each line they
# print. The stage "smp" runs churn (60 s, LAG_CHURN_SECS) on the
# SMP debug kernel, unless LAG_SMP_SELFTESTS and LAG_SMP_KUNIT say
# otherwise: make check-smp runs the whole set there (KUnit, datapath,
# membership, lacp_interop too), which does not fit CI's time with the
# rest (README).

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
logs=$top/build/check
rm -rf "$logs"
mkdir -p "$logs"
stages=${LAG_CHECK_ONLY:-build style kunit selftests smp stock dkms deb}

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "FAIL - $*"; }
skip() { skipped=$((skipped + 1)); echo "skip - $*"; }
want() { [[ " $stages " == *" $1 "* ]]; }

newest() { ls -d $1 2>/dev/null | sort -V | tail -n 1; }

# A build is clean when make succeeds and prints no warning at W=1.
build_clean() { # name log make-args...
	local name=$1 log=$logs/$2
	shift 2
	if make -C "$top" W=1 "$@" > "$log" 2>&1 && ! grep -q -i 'warning' "$log"; then
		pass "$name"
	else
		fail "$name (see $log)"
		grep -i -m 10 -e 'warning' -e 'error' "$log" | sed 's/^/    /'
	fi
}

src_files=$(git ls-files -co --exclude-standard -- '*.c' '*.h' | sort)

uml_tree=""
if want build || want kunit || want selftests; then
	if uml_tree=$("$top/tests/kernel/build-uml.sh" 2> "$logs/uml-kernel.log"); then
		pass "UML debug test kernel ($uml_tree)"
	else
		fail "UML debug test kernel (see $logs/uml-kernel.log)"
		tail -n 20 "$logs/uml-kernel.log" | sed 's/^/    /'
		uml_tree=""
	fi
fi

# The SMP kernel of the stage "smp" is the longest build on a new machine.
# It runs in the background at the lowest priority while the stages before
# "smp" (when chosen with it) run: UML is uniprocessor, so they leave a CPU
# idle. check-smp.sh asks for the same kernel and waits for this build
# (build-kernel.sh's lock).
smp_build=""
if want smp; then
	nice -n 19 "$top/tests/kernel/build-smp.sh" > /dev/null 2> "$logs/smp-kernel.log" &
	smp_build=$!
fi

# The iproute2 plugin: `ip` in the guest loads it through IP_LIB_DIR.
if want build || want selftests; then
	if make -C "$top/tools/iproute2" > "$logs/iproute2.log" 2>&1 &&
			! grep -qi warning "$logs/iproute2.log"; then
		pass "iproute2 plugin (-Wall -Wextra)"
	else
		fail "iproute2 plugin (see $logs/iproute2.log)"
		grep -i -m 10 -e warning -e error "$logs/iproute2.log" | sed 's/^/    /'
	fi
fi

# The XDP programs tests/selftests/xdp.sh loads (clang's BPF target).
if want build || want selftests; then
	if make -C "$top/tests/xdp" > "$logs/xdp-progs.log" 2>&1; then
		pass "XDP test programs (clang -target bpf -Wall -Werror)"
	else
		fail "XDP test programs (see $logs/xdp-progs.log)"
		grep -i -m 10 -e warning -e error "$logs/xdp-progs.log" | sed 's/^/    /'
	fi
fi

if want build; then
	k61=$(newest '/usr/src/linux-headers-6.1.*-amd64')
	k612=$(newest '/usr/src/linux-headers-6.12.*-amd64')
	for k in "$k61" "$k612"; do
		if [ -n "$k" ]; then
			build_clean "build W=1 $(basename "$k")" "build-$(basename "$k").log" KDIR="$k"
		else
			fail "build W=1: Debian headers missing (install linux-headers-amd64 linux-headers-6.12-amd64)"
		fi
	done
	if [ -n "$uml_tree" ]; then
		build_clean "build W=1 UML test kernel" build-uml.log KDIR="$uml_tree" ARCH=um B="$top/build/uml"
	fi
	if [ -n "$k612" ] && command -v sparse > /dev/null; then
		# Sparse checks every file (C=2); only reports about our sources count.
		make -C "$top" KDIR="$k612" B="$top/build/sparse" C=2 > "$logs/sparse.log" 2>&1
		if grep -E "^($top/)?build/sparse/[^:]+:[0-9]+:[0-9]+: (warning|error)" "$logs/sparse.log" |
				grep -v '^/usr/src' > "$logs/sparse-ours.log" ||
				! grep -q 'lag.ko' "$logs/sparse.log"; then
			fail "sparse C=2 (see $logs/sparse.log)"
			head -n 10 "$logs/sparse-ours.log" | sed 's/^/    /'
		else
			pass "sparse C=2"
		fi
	else
		fail "sparse C=2: sparse or headers missing"
	fi
fi

if want style; then
	cp=$(newest '/var/cache/lag/uml-*/linux/scripts/checkpatch.pl')
	[ -n "$cp" ] || cp=$(command -v checkpatch.pl)
	if [ -n "$cp" ]; then
		bad=0
		for f in $src_files; do
			if ! "$cp" --strict --no-tree --quiet --show-types -f "$f" > "$logs/checkpatch.out" 2>&1; then
				bad=1
				sed "s|^|    |" "$logs/checkpatch.out" | head -n 20
			fi
		done
		if [ "$bad" = 0 ]; then
			pass "checkpatch --strict ($(wc -w <<< "$src_files") files)"
		else
			fail "checkpatch --strict"
		fi
	else
		fail "checkpatch: no kernel tree"
	fi
	bad=0
	for f in $src_files; do
		head -n 2 "$f" | grep -q 'SPDX-License-Identifier:' || { bad=1; echo "    $f: no SPDX"; }
	done
	[ "$bad" = 0 ] && pass "SPDX headers" || fail "SPDX headers"
fi

modules_ok=0
if { want kunit || want selftests; } && [ -n "$uml_tree" ]; then
	if make -C "$top" KDIR="$uml_tree" ARCH=um B="$top/build/uml" modules > "$logs/uml-modules.log" 2>&1; then
		modules_ok=1
	else
		fail "modules for the UML kernel (see $logs/uml-modules.log)"
	fi
fi
export LAG_UML_TREE=$uml_tree

if want kunit; then
	if [ "$modules_ok" = 1 ]; then
		if LAG_SCRATCH=$logs/kunit "$top/tests/run-guest.sh" --kunit > "$logs/kunit.out" 2>&1; then
			guest_ok=1
		else
			guest_ok=0
		fi
		if [ -f "$logs/kunit/kunit.json" ]; then
			"$top/tests/kunit_summary.py" "$logs/kunit/kunit.json" > "$logs/kunit.sum"
			while read -r word rest; do
				case "$word" in
				ok) pass "$rest" ;;
				skip) skip "$rest" ;;
				FAIL) fail "$rest" ;;
				esac
			done < <(grep -v '^kunit:' "$logs/kunit.sum")
		fi
		if [ "$guest_ok" = 1 ]; then
			pass "KUnit guest run: no splat, no leak, clean unload"
		else
			fail "KUnit guest run (see $logs/kunit.out and $logs/kunit/)"
			grep -e 'run-guest' -e 'splat-check' "$logs/kunit.out" | sed 's/^/    /'
		fi
	else
		fail "KUnit: no modules for the UML kernel"
	fi
fi

# host_tap NAME SCRIPT: a host-side TAP test, a check per case; a script
# that fails with no failed case, or prints none, fails as well.
host_tap() {
	local name=$1 out rc line n=0 nfail=0
	out=$("$2" 2>&1)
	rc=$?
	while IFS= read -r line; do
		case "$line" in
		"ok "*) pass "$name: ${line#ok * - }"; n=$((n + 1)) ;;
		"not ok "*) fail "$name: ${line#not ok * - }"; n=$((n + 1)); nfail=$((nfail + 1)) ;;
		"# "*) echo "    $line" ;;
		esac
	done <<< "$out"
	if [ "$n" = 0 ] || { [ "$rc" != 0 ] && [ "$nfail" = 0 ]; }; then
		fail "$name: $(basename "$2") exited $rc after $n cases"
		tail -n 5 <<< "$out" | sed 's/^/    /'
	fi
}

# The guests' splat check itself, on made-up kernel logs, and qemu_boot's
# watch for a guest that hangs in its boot (host side).
if want selftests; then
	host_tap splat-check "$top/tests/guest/splat-check-test.sh"
	host_tap qemu-boot "$top/tests/guest/qemu-boot-test.sh"
fi

# One selftest's results, from its guest's output and exit status.
selftest_report() { # name
	local name=$1 rc line
	rc=$(cat "$logs/$name.rc")
	# The test's own TAP lines, one check each.
	while IFS= read -r line; do
		case "$line" in
		"ok "*"# SKIP"*) skip "$name: ${line#ok * - }" ;;
		"ok "*) pass "$name: ${line#ok * - }" ;;
		"not ok "*) fail "$name: ${line#not ok * - }" ;;
		esac
	done < <(grep -E '^(not )?ok [0-9]+ ' "$logs/$name.out")
	if [ "$rc" = 0 ]; then
		pass "$name: guest run (no splat, no leak, clean unload)"
	else
		fail "$name: guest run exited $rc (see $logs/$name.out)"
		grep -e 'run-guest' -e 'splat-check' -e '^#' "$logs/$name.out" | head -n 20 | sed 's/^/    /'
	fi
}

# The selftests run LAG_CHECK_JOBS guests at a time (default: one per host
# CPU; a UML guest uses one). Each writes its own files; the results are
# printed in the tests' order, each as soon as it and those before it are
# done.
if want selftests; then
	jobs_max=${LAG_CHECK_JOBS:-$(nproc)}
	# Started and not yet printed, in order; a guest is done when its
	# .rc file is there. Polled: "wait -n" would also reap the SMP
	# kernel's build in the background.
	queue=()
	selftests_running() {
		local n=0 q
		for q in "${queue[@]}"; do
			[ -f "$logs/$q.rc" ] || n=$((n + 1))
		done
		echo "$n"
	}
	selftests_report_done() {
		while [ ${#queue[@]} -gt 0 ] && [ -f "$logs/${queue[0]}.rc" ]; do
			selftest_report "${queue[0]}"
			queue=("${queue[@]:1}")
		done
	}
	for t in "$top"/tests/selftests/*.sh; do
		name=$(basename "$t" .sh)
		[ "$name" = lib ] && continue
		if [ -n "${LAG_SELFTESTS:-}" ] && [[ " $LAG_SELFTESTS " != *" $name "* ]]; then
			continue
		fi
		# churn runs in the stage smp, on four CPUs, rather than here
		# too (CI's time; README), unless asked for by name.
		if [ "$name" = churn ] && want smp && [ -z "${LAG_SELFTESTS:-}" ] &&
				[[ " ${LAG_SMP_SELFTESTS-churn} " == *" churn "* ]]; then
			echo "# selftest churn: in the stage smp (the SMP debug kernel), not on UML"
			continue
		fi
		if [ "$modules_ok" != 1 ]; then
			fail "selftest $name: no modules for the UML kernel"
			continue
		fi
		while [ "$(selftests_running)" -ge "$jobs_max" ]; do
			sleep 1
			selftests_report_done
		done
		(
			LAG_SCRATCH=$logs/$name "$top/tests/run-guest.sh" "$t" > "$logs/$name.out" 2>&1
			echo $? > "$logs/$name.rc.new" && mv "$logs/$name.rc.new" "$logs/$name.rc"
		) &
		queue+=("$name")
	done
	while [ ${#queue[@]} -gt 0 ]; do
		selftests_report_done
		[ ${#queue[@]} -gt 0 ] && sleep 1
	done
fi

# A copy of the checkout's files under the host's /tmp, where the guests'
# own /tmp must not hide it (a fresh clone there, as CI may make): each kind
# of guest runs tests/guest/checkout-seen.sh from such a copy. Made once,
# in this shell (not in a $(...) subshell, which would lose tmp_copy and
# leave one copy behind per call), removed at the end.
tmp_copy=""
tmp_checkout() {
	if [ -z "$tmp_copy" ]; then
		tmp_copy=$(mktemp -d /tmp/lag-checkout.XXXXXX) || return 1
		git ls-files -co --exclude-standard | grep -v '^build/' |
			tar -c -T - | tar -x -C "$tmp_copy" || return 1
	fi
	copy=$tmp_copy
}

if want selftests && [ "$modules_ok" = 1 ]; then
	# The modules go with the copy: this checkout may be under /tmp too,
	# and only the copy is bound back in the guest.
	if tmp_checkout && mkdir -p "$copy/build/uml" &&
			cp "$top/build/uml/lag.ko" "$copy/build/uml/" &&
			LAG_MODDIR=$copy/build/uml LAG_SCRATCH=$logs/tmp-checkout \
			"$copy/tests/run-guest.sh" "$copy/tests/guest/checkout-seen.sh" \
			> "$logs/tmp-checkout.out" 2>&1 &&
			grep -q '^ok 1 ' "$logs/tmp-checkout.out"; then
		pass "UML guest run from a checkout under /tmp"
	else
		fail "UML guest run from a checkout under /tmp (see $logs/tmp-checkout.out)"
		grep -e 'run-guest' -e 'ok 1' "$logs/tmp-checkout.out" | sed 's/^/    /'
	fi
fi

# sub NAME LOG SCRIPT: run a check script that prints its own "ok - ",
# "FAIL - " and "skip - " lines (indented details after a failure, "#"
# comments) and a summary; count each of its lines here, named "NAME: ...".
# A non-zero exit that no FAIL line accounts for, or no result at all, is a
# failure too.
sub() {
	local name=$1 log=$logs/$2 line rc=none n=0 nfail=0 t0=$SECONDS
	shift 2
	while IFS= read -r line; do
		# a runner that names its checks "NAME: ..." itself
		line=${line/#"ok - $name: "/"ok - "}
		line=${line/#"FAIL - $name: "/"FAIL - "}
		line=${line/#"skip - $name: "/"skip - "}
		case "$line" in
		"ok - "*) pass "$name: ${line#ok - }"; n=$((n + 1)) ;;
		"FAIL - "*) fail "$name: ${line#FAIL - }"; n=$((n + 1)); nfail=$((nfail + 1)) ;;
		"skip - "*) skip "$name: ${line#skip - }"; n=$((n + 1)) ;;
		"    "*) echo "$line" ;;
		"@@lag-check-rc "*) rc=${line#@@lag-check-rc } ;;
		"#"*) echo "# $name: ${line#\# }" ;;
		esac
	done < <("$@" 2>&1 | tee "$log"; echo "@@lag-check-rc ${PIPESTATUS[0]}")
	if [ "$n" = 0 ]; then
		fail "$name: $(basename "$1") reported nothing, exit status $rc (see $log)"
		tail -n 10 "$log" | sed 's/^/    /'
	elif [ "$rc" != 0 ] && [ "$nfail" = 0 ]; then
		fail "$name: $(basename "$1") exited $rc with no failed check (see $log)"
		tail -n 10 "$log" | sed 's/^/    /'
	fi
	echo "# $name: $((SECONDS - t0))s"
}

# The x86_64 SMP debug kernel under QEMU, four CPUs: churn, the selftest
# that concurrency can break most directly, every loop on a CPU of its own
# (make check-smp: KUnit and the others too). It runs from the copy of the
# checkout under /tmp, which its guest must see (checkout-seen.sh first),
# so that one boot, minutes under TCG, does both; the copy gets its own ip
# plugin for churn's netlink writer.
if want smp; then
	t0=$SECONDS
	wait "$smp_build"
	echo "# smp: waited $((SECONDS - t0))s more for its kernel, built in the background"
	if ! tmp_checkout; then
		fail "smp: no copy of the checkout under /tmp"
	elif ! make -C "$copy/tools/iproute2" > "$logs/smp-iproute2.log" 2>&1; then
		fail "smp: the ip plugin in the copy under /tmp (see $logs/smp-iproute2.log)"
	else
		LAG_SMP_SELFTESTS=${LAG_SMP_SELFTESTS-churn} \
			LAG_SMP_KUNIT=${LAG_SMP_KUNIT-0} \
			sub smp check-smp.log "$copy/tests/smp/check-smp.sh" smp \
			"$copy/tests/guest/checkout-seen.sh"
	fi
fi

# Debian's stock kernels under QEMU: the partner interop selftests there.
if want stock; then
	sub stock check-stock.log "$top/tests/stock/check-stock.sh"
	# The stock guest from a copy under /tmp, on the newest kernel only.
	k=$(newest '/usr/src/linux-headers-6.12.*-amd64')
	if [ -z "$k" ]; then
		fail "stock guest from a checkout under /tmp: no 6.12 headers"
	elif tmp_checkout; then
		LAG_STOCK_KERNELS=${k#/usr/src/linux-headers-} \
			LAG_STOCK_SELFTESTS=$copy/tests/guest/checkout-seen.sh \
			sub "stock guest from a checkout under /tmp" check-stock-tmp.log \
			"$copy/tests/stock/check-stock.sh"
	else
		fail "stock guest from a checkout under /tmp: no copy"
	fi
fi
# The stage smp wrote its guest's logs into the copy: keep them.
if [ -n "$tmp_copy" ] && [ -d "$tmp_copy/build/check-smp" ]; then
	cp -a "$tmp_copy/build/check-smp" "$logs/smp"
	echo "# smp: its guest's logs (named under $tmp_copy above) are kept in $logs/smp"
fi
[ -n "$tmp_copy" ] && rm -rf "$tmp_copy"

# DKMS installs into /lib/modules and /usr/src: only as root, and never over
# a lag that is installed already.
if want dkms; then
	if [ "$(id -u)" != 0 ]; then
		skip "dkms: needs root (it installs into /lib/modules and /usr/src)"
	elif [ -e /var/lib/dkms/lag ] || compgen -G '/usr/src/lag-*' > /dev/null ||
			[ -n "$(find /lib/modules -name 'lag.ko*' -print -quit 2> /dev/null)" ]; then
		skip "dkms: lag is installed here already (DKMS, /usr/src/lag-* or make install); not touching it"
	else
		sub dkms dkms-check.log "$top/tests/stock/dkms-check.sh"
	fi
fi

# The Debian packages: make deb, lintian, systemd-analyze verify, promtool,
# and the apt-get install / dpkg --purge round trip, which skips itself,
# saying so, where lag is installed already.
if want deb; then
	if [ "$(id -u)" != 0 ]; then
		skip "deb: needs root (apt-get install and dpkg --purge of the packages)"
	else
		sub deb deb-check.log "$top/tests/deploy/deb-check.sh"
	fi
fi

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" = 0 ]
