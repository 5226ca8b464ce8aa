#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""lag_exporter_check.py EXPORTER PROMFILE [MEMBER=REASON...]: run EXPORTER
(tools/lag-exporter) to write PROMFILE, check it with promtool, and check
that every series matches sysfs in this network namespace: gauges equal
(read before and after, which must agree), counters between the values
read before and after the export. A sysfs file that is absent must have no
series. MEMBER=REASON also asserts that member's reason. Prints each
mismatch; exits 1 on any."""

import os
import re
import subprocess
import sys
import time

NET = "/sys/class/net"
MUX = {"detached": 0, "waiting": 1, "attached": 2, "collecting": 3,
       "distributing": 4, "fallback": 5}
COUNTERS = {"lacpdu_rx": "lacpdu_rx", "lacpdu_tx": "lacpdu_tx",
            "lacpdu_rx_errors": "rx_errors", "marker_rx": "marker_rx",
            "marker_tx": "marker_tx", "marker_resp_rx": "marker_resp_rx",
            "marker_rx_dropped": "marker_rx_dropped", "unknown_rx": "unknown_rx",
            "misdirected_rx": "misdirected_rx", "churn_count": "churn"}
GAUGES = ("state", "reason", "partner_system", "partner_key", "partner_port",
          "actor_key", "port_number", "aggregator_id", "actor_state", "partner_state")
LAG_GAUGES = ("active_ports", "min_links", "ports", "partner_system",
              "partner_key", "partner_sys_prio", "active_aggregator", "user_port_key")


def read(p):
    try:
        with open(p) as f:
            return f.read().strip()
    except OSError:
        return None


def snapshot():
    s = {}
    for lag in sorted(os.listdir(NET)):
        d = os.path.join(NET, lag, "lag")
        if not os.path.isdir(d):
            continue
        e = {"carrier": read(os.path.join(NET, lag, "carrier"))}
        for f in LAG_GAUGES:
            e[f] = read(os.path.join(d, f))
        e["members"] = {}
        for m in (e["ports"] or "").split():
            p = os.path.join(NET, m, "lag_port")
            e["members"][m] = {f: read(os.path.join(p, f))
                               for f in list(GAUGES) + list(COUNTERS) + ["last_change_ms"]}
        s[lag] = e
    return s


LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def parse(text):
    series = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = LINE.match(line)
        if not m:
            raise ValueError(f"unparsable line: {line}")
        labels = dict(LABEL.findall(m.group(2) or ""))
        series.append((m.group(1), labels, float(m.group(3))))
    return series


def main():
    exporter, out = sys.argv[1], sys.argv[2]
    want_reason = dict(a.split("=", 1) for a in sys.argv[3:])
    bad = []
    for _ in range(5):
        before = snapshot()
        t = time.time()
        subprocess.run([sys.executable, exporter, "-o", out], check=True)
        after = snapshot()
        # Gauges must not have moved while the exporter ran; retry if so.
        if all(before[l]["members"][m][g] == after[l]["members"][m][g]
               for l in before for m in before[l]["members"] for g in GAUGES) and \
                all(before[l][g] == after[l][g] for l in before for g in LAG_GAUGES + ("carrier",)):
            break
    else:
        print("sysfs kept changing while the exporter ran")
        return 1
    r = subprocess.run(["promtool", "check", "metrics"], stdin=open(out),
                       capture_output=True, text=True)
    print(f"promtool check metrics: exit {r.returncode} {r.stdout.strip()} {r.stderr.strip()}")
    if r.returncode != 0:
        bad.append("promtool check metrics failed")
    series = parse(open(out).read())
    n = 0

    def find(name, **lab):
        return [(l, v) for nm, l, v in series if nm == name and
                all(l.get(k) == x for k, x in lab.items())]

    def eq(name, want, **lab):
        nonlocal n
        got = find(name, **lab)
        if want is None:
            if got:
                bad.append(f"{name}{lab}: present though sysfs has no file")
            return
        n += 1
        if len(got) != 1 or got[0][1] != float(want):
            bad.append(f"{name}{lab}: got {[v for _, v in got]}, sysfs {want}")

    def label(name, key, want, **lab):
        nonlocal n
        got = find(name, **lab)
        if want is None:
            if got:
                bad.append(f"{name}{lab}: present though sysfs has no file")
            return
        n += 1
        if len(got) != 1 or got[0][0].get(key) != want or got[0][1] != 1:
            bad.append(f"{name}{lab}: got {got}, sysfs {key}={want}")

    for lag, e in before.items():
        L = {"lag": lag}
        eq("lag_carrier", e["carrier"], **L)
        eq("lag_distributing_members", e["active_ports"], **L)
        eq("lag_min_links", e["min_links"], **L)
        eq("lag_members", len(e["members"]), **L)
        eq("lag_partner_key", e["partner_key"], **L)
        eq("lag_partner_sys_prio", e["partner_sys_prio"], **L)
        eq("lag_active_aggregator", e["active_aggregator"], **L)
        eq("lag_user_port_key", e["user_port_key"], **L)
        label("lag_partner_info", "partner_system", e["partner_system"], **L)
        for m, p in e["members"].items():
            M = {"lag": lag, "member": m}
            eq("lag_member_mux_state", MUX[p["state"]], **M)
            eq("lag_member_distributing", int(p["state"] in ("distributing", "fallback")), **M)
            label("lag_member_reason", "reason", p["reason"], **M)
            label("lag_member_partner_info", "partner_system", p["partner_system"], **M)
            for g in ("partner_key", "partner_port", "actor_key", "port_number", "aggregator_id"):
                eq("lag_member_" + g, p[g], **M)
            for g in ("actor_state", "partner_state"):
                eq("lag_member_" + g, None if p[g] is None else int(p[g], 16), **M)
            for f, metric in COUNTERS.items():
                name = f"lag_member_{metric}_total"
                got = find(name, **M)
                lo, hi = p[f], after[lag]["members"][m][f]
                if lo is None:
                    if got:
                        bad.append(f"{name}{M}: present though sysfs has no {f}")
                    continue
                n += 1
                if len(got) != 1 or not int(lo) <= got[0][1] <= int(hi):
                    bad.append(f"{name}{M}: got {[v for _, v in got]}, sysfs {lo}..{hi}")
            ms = p["last_change_ms"]
            got = find("lag_member_last_change_timestamp_seconds", **M)
            if ms is None:
                if got:
                    bad.append(f"last_change{M}: present though sysfs has no last_change_ms")
            else:
                n += 1
                if len(got) != 1 or abs(got[0][1] - (t - int(ms) / 1000)) > 2:
                    bad.append(f"last_change{M}: got {got}, sysfs {ms} ms before {t}")
            if m in want_reason:
                n += 1
                if p["reason"] != want_reason[m]:
                    bad.append(f"{m}: reason {p['reason']}, expected {want_reason[m]}")
    absent = [f for l in before.values() for m in l["members"].values()
              for f in ("churn_count", "last_change_ms") if m[f] is None]
    absent += [f for l in before.values() for f in ("partner_system", "partner_key") if l[f] is None]
    print(f"{n} values compared with sysfs; absent here (series omitted): {sorted(set(absent)) or 'none'}")
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
