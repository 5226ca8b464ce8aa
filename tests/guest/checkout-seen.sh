#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run in a guest by tests/check.sh, from a copy of the checkout made under
# the host's /tmp: the guest's own /tmp is a tmpfs, which must not hide the
# checkout it was started from (tests/guest/lib.sh binds it back). One TAP
# case; the guest's init already fails (exit 97) when it cannot enter
# $LAG_TOP at all.

me=$LAG_TOP/tests/guest/checkout-seen.sh
if [ "$(realpath "$0")" = "$me" ] && [ -f "$LAG_TOP/Kbuild" ] &&
		[ -f "$LAG_MODDIR/lag.ko" ]; then
	echo "ok 1 - the guest sees the checkout $LAG_TOP"
else
	echo "not ok 1 - the guest does not see the checkout $LAG_TOP ($0, $LAG_MODDIR)"
	exit 1
fi
