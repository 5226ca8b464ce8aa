# SPDX-License-Identifier: GPL-2.0
"""make bench, part "xdp": XDP_DROP and XDP_TX on lag0 against bond0 on the
same kind of members, and on the bare veth e0 for reference. Called by
bench.py inside namespace A once both LAGs distribute over their four
members: measure(res) fills res["xdp"], report(res) gives the lines of
section 7, summary(res) the summary's "xdp lag/bond D/T".

Programs: tests/xdp/xdp_drop.o and xdp_tx.o (build/xdp/, `make -C
tests/xdp`), attached native (`ip link set DEV xdpdrv obj ... sec xdp`) to
lag0, bond0 and e0 together: each LAG puts its program on its four members.
Both act on IPv4 UDP to port 9000 only (LACPDUs pass). The partner side
runs xdp_pass.o (on pb0 and qb0, so on b0..b3 and d0..d3, and on f0) for
the whole part: a veth takes frames by XDP_TX or ndo_xdp_xmit only while
its peer has NAPI, and XDP_TX kicks the peer's NAPI only when the peer runs
a program (tests/selftests/xdp.sh does the same). The frames sent back then
reach the partner ports' tc ingress filter and are dropped there.

Load: pktgen in namespace P (its own /proc/net/pktgen; this process
switches to P around every pktgen write), on one partner port, straight
into member 0: b0 -> a0 (lag), d0 -> c0 (bond), f0 -> e0 (bare). 60-byte
IPv4 UDP frames to port 9000, source and destination addresses random in
198.19.0.0/16 (so that what XDP_TX swaps back is dropped by the partner's
filter too), random source port, 1024 flows of 8 frames. The same frame
count for the three in a run, the order rotated every round, the drop
phase first, then the tx phase.

What is compared: pktgen's frames/s (not the receive counters: they only
confirm what pktgen's rate stands for). The guest has one CPU: the receiving
veth's NAPI (the program, and for XDP_TX the partner's NAPI taking the
frame back) runs in the softirq pktgen's own transmit raises, on the same
CPU, so pktgen's rate is the rate of the whole loop; the sender's share of
it is the same for the three. Ratios are taken per round, then their
median, quartiles and min..max are given.

Before the rounds of each program, one warm-up run per device (checked:
the program acted on its frames, else the setup failed) and, unless the
frame count is given, a 100 000-frame calibration run on the bare member.
UML has no BPF JIT: the programs run in the interpreter, alike for all.

XDP_DROP: neither LAG's code runs per frame (the program runs in the
member's driver), so lag/bond there is the check that attaching is all
either does, and shows the noise of the method.

XDP_TX does not take the same path on the two LAGs. On bonding's slaves
the core turns XDP_TX into a redirect to the slave the bond's hash picks
(xdp_master_redirect()), so bond0's frames go back over c0..c3. lag cannot
have that (see lag_xdp.c): a lag member's XDP_TX leaves by the member it
came in on, a0, as on the bare veth: lag/bare is then expected near 1,
and lag/bond holds bonding's redirect. The per-member counts printed show
which way the frames went. So one ratio cannot stand for both: the summary gives drop and tx
apart ("xdp lag/bond D/T").

Counted, so that no frame is lost unseen: every member's veth counters
(ethtool -S, read by ioctl: rx_queue_0_xdp_drops, _xdp_tx, _xdp_redirect,
_xdp_tx_errors, _drops, tx_queue_0_xdp_xmit, _xdp_xmit_errors) and
tx_dropped, and, for XDP_TX, the partner ports' ingress filter counts (the
frames that came back, per port). Unaccounted = frames pktgen sent minus
those the program dropped (drop) or the partner got back (tx).

Environment: LAG_BENCH_XDP_ROUNDS (default 11), LAG_BENCH_XDP_SECS (one
run's length at the bare member's rate, default 1.0), LAG_BENCH_XDP_FRAMES
(a fixed frame count per run instead: no calibration).
"""
import ctypes
import fcntl
import os
import re
import socket
import struct
import subprocess
import time

from benchlib import (ALL, DEV, NS, NS_A, NS_P, PG, log, members, peers, pg,
                      pg_result, pg_setup, rd, sh, socket_in, spread,
                      wait_until)

ROUNDS = max(1, int(os.environ.get("LAG_BENCH_XDP_ROUNDS", "11")))
RUN_SECS = float(os.environ.get("LAG_BENCH_XDP_SECS", "1.0"))
FRAMES = int(os.environ.get("LAG_BENCH_XDP_FRAMES", "0"))
TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OBJ = os.path.join(TOP, "build", "xdp")
KINDS = ("lag", "bond", "bare")
MODES = ("drop", "tx")
RATIOS = (("lag", "bond"), ("lag", "bare"), ("bond", "bare"))
# The receiving side of each kind (namespace A) and its partner ports (P).
MEMBERS = {k: members(k) for k in KINDS}
PEERS = {k: peers(k) for k in KINDS}
ATTACH = {"lag": DEV["lag"], "bond": DEV["bond"], "bare": "e0"}
PARTNER_PROG = ("pb0", "qb0", "f0")     # xdp_pass.o, in P
COUNTERS = ("rx_queue_0_xdp_packets", "rx_queue_0_xdp_drops",
            "rx_queue_0_xdp_tx", "rx_queue_0_xdp_tx_errors",
            "rx_queue_0_xdp_redirect", "rx_queue_0_drops",
            "tx_queue_0_xdp_xmit", "tx_queue_0_xdp_xmit_errors", "tx_dropped")
ERRORS = ("rx_queue_0_xdp_tx_errors", "rx_queue_0_drops",
          "tx_queue_0_xdp_xmit_errors", "tx_dropped")


# --- veth counters, by the ethtool ioctl (no process per reading) -----------

SIOCETHTOOL = 0x8946
ETHTOOL_GDRVINFO, ETHTOOL_GSTRINGS, ETHTOOL_GSTATS = 0x03, 0x1b, 0x1d
ETH_SS_STATS = 1
DRVINFO_LEN, DRVINFO_N_STATS = 196, 180     # struct ethtool_drvinfo


class Ethtool:
    """`ethtool -S` of the devices of one namespace, through a socket there."""

    def __init__(self, ns):
        self.sock = socket_in(ns, socket.AF_INET, socket.SOCK_DGRAM)
        self.names = {}

    def close(self):
        self.sock.close()

    def _ioctl(self, dev, data):
        buf = ctypes.create_string_buffer(data, len(data))
        ifr = struct.pack("16sP16x", dev.encode(), ctypes.addressof(buf))
        fcntl.ioctl(self.sock, SIOCETHTOOL, ifr)
        return buf.raw

    def stats(self, dev):
        """{name: value}. The kernel writes as many values as the driver
        has now (not as many as asked): room is left for more."""
        if dev not in self.names:
            info = self._ioctl(dev, struct.pack("I", ETHTOOL_GDRVINFO) +
                               bytes(DRVINFO_LEN - 4))
            n = struct.unpack_from("I", info, DRVINFO_N_STATS)[0]
            raw = self._ioctl(dev, struct.pack("III", ETHTOOL_GSTRINGS,
                                               ETH_SS_STATS, n) + bytes(32 * n))
            self.names[dev] = [raw[12 + 32 * i:44 + 32 * i].split(b"\0")[0].decode()
                               for i in range(n)]
        names = self.names[dev]
        raw = self._ioctl(dev, struct.pack("II", ETHTOOL_GSTATS, len(names)) +
                          bytes(8 * (len(names) + 256)))
        if struct.unpack_from("I", raw, 4)[0] != len(names):
            del self.names[dev]         # the driver's set changed
            return self.stats(dev)
        return dict(zip(names, struct.unpack_from(f"{len(names)}Q", raw, 8)))


def member_counters(et, kind):
    """COUNTERS of each receiving-side member of kind (namespace A)."""
    out = []
    for dev in MEMBERS[kind]:
        s = et.stats(dev)
        c = {k: s.get(k, 0) for k in COUNTERS if k != "tx_dropped"}
        c["tx_dropped"] = int(rd(f"/sys/class/net/{dev}/statistics/tx_dropped"))
        out.append(c)
    return out


def diff(after, before):
    return [{k: a[k] - b[k] for k in a} for a, b in zip(after, before)]


def back(c):
    """Frames a member sent back: by its own XDP_TX, or handed to it by
    ndo_xdp_xmit (bonding's XDP_TX redirected from the receiving slave)."""
    return c["rx_queue_0_xdp_tx"] + c["tx_queue_0_xdp_xmit"]


def partner_hits(kind):
    """Frames each partner port of kind took at its tc ingress drop filter
    (one process for all of them)."""
    devs = PEERS[kind]
    cmds = "".join(f"filter show dev {d} ingress\n" for d in devs)
    out = subprocess.run(["tc", "-n", NS_P, "-s", "-b", "-"], input=cmds,
                         capture_output=True, text=True, check=True).stdout
    hits = [int(x) for x in re.findall(r"Sent \d+ bytes (\d+) pkt", out)]
    if len(hits) != len(devs):
        raise RuntimeError(f"tc on {devs}: {len(hits)} counts: {out}")
    return hits


# --- programs ----------------------------------------------------------------

def obj(name):
    path = os.path.join(OBJ, f"{name}.o")
    if not os.path.isfile(path):
        raise RuntimeError(f"{path} missing: make -C tests/xdp first "
                           "(clang, llvm, libbpf-dev)")
    return path


def attach(dev, name, ns=None):
    n = f"-n {ns} " if ns else ""
    sh(f"ip {n}link set dev {dev} xdpdrv obj {obj(name)} sec xdp")


def detach(dev, ns=None):
    n = f"-n {ns} " if ns else ""
    sh(f"ip {n}link set dev {dev} xdpdrv off", check=False)


def leftover_progs():
    """Devices in A or P that still run an XDP program."""
    out = sh("ip -o link show") + sh(f"ip -n {NS_P} -o link show")
    return re.findall(r"^\d+: ([^:@]+).*prog/xdp", out, re.M)


# --- pktgen in P ---------------------------------------------------------------

# Source and destination in 198.19.0.0/16, so that what XDP_TX swaps back
# is dropped by the partner's ingress filter too; to XDP_TEST_PORT.
XDP_FLOWS = ("src_min 198.19.128.1", "src_max 198.19.143.254",
             "dst_min 198.19.0.1", "dst_max 198.19.15.254",
             "udp_src_min 1024", "udp_src_max 65535",
             "udp_dst_min 9000", "udp_dst_max 9000",
             "flag IPSRC_RND", "flag IPDST_RND", "flag UDPSRC_RND")


def pg_xdp(dev, count, dst_mac):
    """Configure pktgen of namespace P for one run from dev. In P: pktgen's
    /proc/net/pktgen is the process's netns's; add_device of a partner port
    fails in any other."""
    NS.enter(NS_P)
    try:
        pg_setup(dev, count, dst_mac=dst_mac, flows=XDP_FLOWS)
    finally:
        NS.enter(NS_A)


def pg_go(dev):
    """Run the configured device (returns when its count is sent)."""
    NS.enter(NS_P)
    try:
        pg("pgctrl", "start")
        r = pg_result(dev)
        text = open(f"{PG}/{dev}", encoding="ascii").read()
        m = re.search(r"pkts-sofar: \d+\s+errors: (\d+)", text)
        r["errors"] = int(m.group(1)) if m else None
        return r
    finally:
        NS.enter(NS_A)


def pg_clear():
    NS.enter(NS_P)
    try:
        pg("kpktgend_0", "rem_device_all")
    finally:
        NS.enter(NS_A)


# --- one run -------------------------------------------------------------------

def run(et, kind, mode, count):
    """One pktgen run from kind's partner port 0 into its member 0, with
    the counters around it. Returns (pktgen result, member counter deltas,
    partner port hits or None)."""
    src = PEERS[kind][0]
    pg_xdp(src, count, rd(f"/sys/class/net/{MEMBERS[kind][0]}/address"))
    c0 = member_counters(et, kind)
    h0 = partner_hits(kind) if mode == "tx" else None
    r = pg_go(src)

    def acted():
        d = diff(member_counters(et, kind), c0)
        return sum(c["rx_queue_0_xdp_drops"] if mode == "drop" else back(c)
                   for c in d)
    # Frames still in a ring when pktgen stops: NAPI (ksoftirqd) takes them.
    wait_until(lambda: acted() >= r["sent"], 1.0, 0.01)
    d = diff(member_counters(et, kind), c0)
    h = None
    if mode == "tx":
        t0 = time.monotonic()
        while True:
            h = [a - b for a, b in zip(partner_hits(kind), h0)]
            if sum(h) >= r["sent"] or time.monotonic() - t0 > 1.0:
                break
            time.sleep(0.05)
    return r, d, h


def phase(et, mode):
    """All rounds of one mode, the program attached to the three devices."""
    try:
        for k in KINDS:
            attach(ATTACH[k], f"xdp_{mode}")
        # Warm-up (page pools, caches), and calibration on the bare member.
        warm = FRAMES or 20000
        for k in KINDS:
            r, d, h = run(et, k, mode, warm)
            acted = sum(c["rx_queue_0_xdp_drops"] if mode == "drop" else back(c)
                        for c in d)
            if not acted:
                raise RuntimeError(f"xdp {mode} {k}: of {r['sent']} frames, the "
                                   f"program {'dropped' if mode == 'drop' else 'sent back'} "
                                   f"none: {d} {h}")
        count = FRAMES
        if not count:
            pps = run(et, "bare", mode, 100000)[0]["pps"]
            count = max(20000, int(pps * RUN_SECS) // 1000 * 1000)
        log(f"xdp {mode}: {ROUNDS} rounds of {count} frames per device")
        rounds = []
        tot = {k: {"sent": 0, "pktgen_errors": 0,
                   "members": [dict.fromkeys(COUNTERS, 0) for _ in MEMBERS[k]],
                   "partner_hits": [0] * len(PEERS[k]) if mode == "tx" else None}
               for k in KINDS}
        for i in range(ROUNDS):
            row = {}
            n = i % len(KINDS)
            for k in KINDS[n:] + KINDS[:n]:
                r, d, h = run(et, k, mode, count)
                row[k] = r["pps"]
                t = tot[k]
                t["sent"] += r["sent"]
                t["pktgen_errors"] += r["errors"] or 0
                for a, b in zip(t["members"], d):
                    for c in COUNTERS:
                        a[c] += b[c]
                if h is not None:
                    t["partner_hits"] = [a + b for a, b in zip(t["partner_hits"], h)]
            rounds.append(row)
            log(f"xdp {mode} round {i + 1}: " +
                " ".join(f"{k} {v}" for k, v in row.items()))
    finally:
        for k in KINDS:
            detach(ATTACH[k])
    out = {"frames_per_run": count, "rounds": rounds}
    for k in KINDS:
        t = tot[k]
        if mode == "drop":
            t["acted"] = sum(c["rx_queue_0_xdp_drops"] for c in t["members"])
            t["unaccounted"] = t["sent"] - t["acted"]
        else:
            t["back_per_member"] = [back(c) for c in t["members"]]
            t["acted"] = sum(t["back_per_member"])
            t["unaccounted"] = t["sent"] - sum(t["partner_hits"])
        t["errors"] = {e: sum(c[e] for c in t["members"]) for e in ERRORS}
        out[k] = spread([r[k] for r in rounds])
        out[k]["totals"] = t
    for a, b in RATIOS:
        out[f"{a}/{b}"] = spread([r[a] / r[b] for r in rounds])
    return out


def measure(res):
    """The XDP part: res["xdp"], every program detached again after."""
    res["xdp"] = xdp = {"rounds": ROUNDS}
    for name in ("xdp_drop", "xdp_tx", "xdp_pass"):
        obj(name)
    et = Ethtool(NS_A)
    try:
        for dev in PARTNER_PROG:
            attach(dev, "xdp_pass", NS_P)
        for mode in MODES:
            xdp[mode] = phase(et, mode)
    finally:
        pg_clear()
        for dev in PARTNER_PROG:
            detach(dev, NS_P)
        et.close()
    left = leftover_progs()
    if left:
        raise RuntimeError(f"xdp: programs still attached: {left}")
    for k in ("lag", "bond"):
        if wait_until(ALL[k], 30) is None:
            raise RuntimeError(f"xdp: {k} lost a member")
    for line in report(res):
        log(line)


# --- report --------------------------------------------------------------------

def _counts(v):
    s = sum(v)
    pct = "/".join(f"{100.0 * x / s:.0f}" for x in v) if s else "-"
    return "/".join(str(x) for x in v) + f" ({pct} %)"


def _errors(t):
    e = {k: v for k, v in t["errors"].items() if v}
    if t["pktgen_errors"]:
        e["pktgen errors"] = t["pktgen_errors"]
    return " ".join(f"{k} {v}" for k, v in e.items()) or "none"


def report(res):
    x = res["xdp"]
    name = {"drop": "XDP_DROP", "tx": "XDP_TX"}
    L = ["7. XDP, native on lag0 and bond0 (so on their members) and on the bare e0:",
         f"   pktgen in P, 60-byte UDP to port 9000, partner port 0 -> member 0, "
         f"{x['rounds']} rounds,",
         "   order rotated; pktgen's frames/s (one CPU: they include the receiver's "
         "NAPI and program)",
         f"   {'':14} {'median':>9} {'min':>9} {'max':>9}"]
    for mode in MODES:
        v = x[mode]
        L.append(f"   {name[mode]}, {v['frames_per_run']} frames a run")
        for k in KINDS:
            L.append(f"   {'  ' + k:14} {v[k]['median']:>9.0f} "
                     f"{v[k]['min']:>9.0f} {v[k]['max']:>9.0f}")
        for a, b in RATIOS:
            r = v[f"{a}/{b}"]
            L.append(f"   {'  ' + a + '/' + b:14} {r['median']:>9.3f} {r['min']:>9.3f} "
                     f"{r['max']:>9.3f}   (per-round ratio; quartiles "
                     f"{r['q1']:.3f}..{r['q3']:.3f})")
    t = x["tx"]
    L.append("   XDP_TX frames sent back by member 0..3, all rounds:")
    for k in ("lag", "bond"):
        tt = t[k]["totals"]
        same = tt["partner_hits"] == tt["back_per_member"]
        L.append(f"     {k:5} {_counts(tt['back_per_member'])}" +
                 (", partner ports the same" if same else
                  f", partner ports {_counts(tt['partner_hits'])}"))
    L.append("     (bonding redirects an XDP_TX to the slave its hash picks; "
             "lag's leaves by the")
    L.append("     member it came in on, as on a bare device: see lag_xdp.c)")
    for mode in MODES:
        v = x[mode]
        what = "dropped by the program" if mode == "drop" else "back at the partner"
        L.append(f"   {name[mode]}: frames sent, not {what}: " + ", ".join(
            f"{k} {v[k]['totals']['unaccounted']} of {v[k]['totals']['sent']}"
            for k in KINDS))
        L.append("     errors counted: " + ", ".join(
            f"{k} {_errors(v[k]['totals'])}" for k in KINDS))
    return L


def summary(res):
    x = res["xdp"]
    return (f"xdp lag/bond {x['drop']['lag/bond']['median']:.2f}/"
            f"{x['tx']['lag/bond']['median']:.2f}")
