# SPDX-License-Identifier: GPL-2.0
"""make bench, part "tcp": one and eight TCP streams (iperf3) through lag,
bonding and the bare member, veth members with TSO, GSO and checksum offload
on, in one run; and the offload features each LAG ends up with against its
members'.

Called by bench.py inside namespace A once both LAGs distribute over their
four members. Each path gets a /24 of its own (A side .1, P side .2):

  lag   lag0   10.10.1.1  <->  pb0  10.10.1.2   (bonding over b0..b3 in P)
  bond  bond0  10.10.2.1  <->  qb0  10.10.2.2   (bonding over d0..d3 in P)
  bare  e0     10.10.3.1  <->  f0   10.10.3.2

One iperf3 server (IPv4) runs in P; the client runs in A, bound to the
path's address, so the route is the path's connected one. A round runs, for
1 and then 8 streams, each of the three paths once, for $LAG_BENCH_TCP_SECS
seconds after $LAG_BENCH_TCP_OMIT seconds of warm-up (iperf3 -O, slow start
left out); the order of the paths rotates every round. A path's figure is
iperf3's receiver throughput (end.sum_received.bits_per_second). Ratios
(lag/bare, lag/bond, bond/bare) are taken per round, between runs a few
seconds apart, then their median; their quartiles and min..max are the noise
measured. Before the rounds, a 1-second run on each path checks that it
connects and carries its traffic (the setup fails otherwise); every run
also checks that the path's device sent at least the bytes iperf3 received,
and records what each member sent (one stream rides one member, eight are
spread by the layer3+4 hash). The summary gives lag/bare for 1 and for 8
streams apart ("tcp lag/bare R1/R8"): a LAG can pass one and fail the other.
Rounds, run length and warm-up: $LAG_BENCH_TCP_ROUNDS (5),
$LAG_BENCH_TCP_SECS (3), $LAG_BENCH_TCP_OMIT (1); about 2.5 minutes.

What each path costs besides the device under test: lag and bond end in a
bonding device in P (its rx_handler on the data, its transmit path on the
ACKs); the bare path ends in f0 alone. lag/bond compares like with like;
lag/bare also holds the partner bond's share. The ACKs of the lag path come
back through lag's receive handler. Every partner port runs its tc ingress
flower filter (which drops only 198.19.0.0/16) on each frame of every path.
The guest has one CPU: client, server and softirq share it, so a figure is
the CPU cost per byte of the whole path, not a link speed.

A LAG that loses an offload shows here as a collapse (segmentation and
checksums in software on the LAG's transmit path), so the features of the
LAGs and of the members (ethtool -k) are recorded and printed side by side,
with every feature on in all of a LAG's members and off in the LAG, and the
GSO/TSO size limits (ip -d link).
"""
import json
import os
import subprocess
import tempfile
import time

from benchlib import DEV, NS_P, log, members, rd, sh, spread, wait_until

ROUNDS = int(os.environ.get("LAG_BENCH_TCP_ROUNDS", "5"))
SECS = float(os.environ.get("LAG_BENCH_TCP_SECS", "3"))
OMIT = int(os.environ.get("LAG_BENCH_TCP_OMIT", "1"))
STREAMS = (1, 8)
KINDS = ("lag", "bond", "bare")
RATIOS = (("lag", "bare"), ("lag", "bond"), ("bond", "bare"))
PORT = 5201
# kind: (device in A, its address, partner device in P, partner address)
PATH = {"lag": ("lag0", "10.10.1.1", "pb0", "10.10.1.2"),
        "bond": ("bond0", "10.10.2.1", "qb0", "10.10.2.2"),
        "bare": ("e0", "10.10.3.1", "f0", "10.10.3.2")}
PREFIX = 24
# Turned on on every member if a veth came up without them (veth has them).
NEEDED = {"tcp-segmentation-offload": "tso", "generic-segmentation-offload": "gso",
          "tx-checksumming": "tx", "scatter-gather": "sg"}
# The ethtool -k rows printed; every feature is kept in the JSON.
SHOWN = ("tx-checksumming", "tx-checksum-ip-generic", "tx-checksum-sctp",
         "scatter-gather", "tx-scatter-gather-fraglist",
         "tcp-segmentation-offload", "tx-tcp-segmentation",
         "tx-tcp-ecn-segmentation", "tx-tcp-mangleid-segmentation",
         "tx-tcp6-segmentation", "generic-segmentation-offload",
         "tx-udp-segmentation", "tx-udp_tnl-segmentation", "tx-gso-partial",
         "tx-gso-list", "generic-receive-offload", "rx-checksumming", "highdma")
SIZES = ("mtu", "gso_max_size", "gso_max_segs", "tso_max_size", "tso_max_segs",
         "gso_ipv4_max_size", "gro_max_size")


# --- devices ---------------------------------------------------------------

def features(dev):
    """ethtool -k: {feature: [on, fixed]}."""
    out = {}
    for line in sh(f"ethtool -k {dev}").splitlines()[1:]:
        name, _, val = line.strip().partition(": ")
        if val.startswith(("on", "off")):
            out[name] = [val.startswith("on"), "[fixed]" in val]
    return out


def sizes(dev):
    link = json.loads(sh(f"ip -d -j link show dev {dev}"))[0]
    return {k: link[k] for k in SIZES if k in link}


def offloads_on():
    """Members with tso, gso, tx checksum or sg off get them on; returns
    what had to be turned on, per device."""
    forced = {}
    for kind in KINDS:
        for dev in members(kind):
            f = features(dev)
            off = [k for k in NEEDED if not f.get(k, [False])[0]]
            if off:
                sh(f"ethtool -K {dev} " + " ".join(f"{NEEDED[k]} on" for k in off))
                forced[dev] = off
                f = features(dev)
                still = [k for k in NEEDED if not f.get(k, [False])[0]]
                if still:
                    raise RuntimeError(f"{dev}: cannot turn on {', '.join(still)}")
    return forced


def lost_features(kind, feats):
    """Features on in every member of the LAG and off in the LAG."""
    lag = feats[DEV[kind]]
    ms = members(kind)
    on = set.intersection(*({k for k, v in feats[m].items() if v[0]} for m in ms))
    return sorted(k for k in on if not lag.get(k, [False])[0])


def addresses(add):
    op = "add" if add else "del"
    for dev, a, pdev, pa in PATH.values():
        sh(f"ip addr {op} {a}/{PREFIX} dev {dev}", check=add)
        sh(f"ip -n {NS_P} addr {op} {pa}/{PREFIX} dev {pdev}", check=add)


def tx_bytes(dev):
    return int(rd(f"/sys/class/net/{dev}/statistics/tx_bytes"))


# --- iperf3 ----------------------------------------------------------------

class Server:
    """One iperf3 server in P, for all three paths (one test at a time)."""

    def __init__(self):
        self.log = tempfile.TemporaryFile(mode="w+")
        self.p = subprocess.Popen(
            ["ip", "netns", "exec", NS_P, "iperf3", "-s", "-4", "-p", str(PORT)],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        # ip netns exec execs iperf3: /proc/PID/net is P's once it has.
        if wait_until(self.listening, 30, 0.05) is None:
            raise RuntimeError(f"iperf3 server not listening: {self.tail()}")

    def listening(self):
        if self.p.poll() is not None:
            raise RuntimeError(f"iperf3 server exited {self.p.returncode}: "
                               f"{self.tail()}")
        try:
            with open(f"/proc/{self.p.pid}/net/tcp", encoding="ascii") as f:
                rows = [ln.split() for ln in f.readlines()[1:]]
        except OSError:
            return False
        return any(r[1].endswith(f":{PORT:04X}") and r[3] == "0A" for r in rows)

    def tail(self):
        self.log.seek(0)
        return self.log.read()[-2000:].strip()

    def stop(self):
        if self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.log.close()


def iperf(kind, streams, secs, omit, srv):
    """One client run; its figures, and the device's tx bytes meanwhile."""
    dev, a, _, pa = PATH[kind]
    ms = members(kind)
    cmd = ["iperf3", "-4", "-c", pa, "-B", a, "-p", str(PORT), "-J",
           "-P", str(streams), "-t", f"{secs:g}", "-O", str(omit),
           "--connect-timeout", "5000"]
    m0 = [tx_bytes(m) for m in ms]
    d0 = tx_bytes(dev)
    try:
        r = subprocess.run(cmd, capture_output=True, text=True,
                           timeout=secs + omit + 60)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{kind}: {' '.join(cmd)} timed out; "
                           f"server: {srv.tail()}") from None
    d1 = tx_bytes(dev)
    m1 = [tx_bytes(m) for m in ms]
    try:
        j = json.loads(r.stdout)
    except ValueError:
        j = {"error": (r.stdout + r.stderr).strip()[-500:]}
    if r.returncode or "error" in j:
        raise RuntimeError(f"{kind}: {' '.join(cmd)}: {j.get('error')}; "
                           f"server: {srv.tail()}")
    end = j["end"]
    out = {"bps": end["sum_received"]["bits_per_second"],
           "bytes": end["sum_received"]["bytes"],
           "retransmits": end["sum_sent"].get("retransmits", 0),
           "cpu_host": end.get("cpu_utilization_percent", {}).get("host_total"),
           "dev_tx_bytes": d1 - d0,
           "member_tx_bytes": [y - x for x, y in zip(m0, m1)]}
    # Routed elsewhere (a stale address, a wrong route) is a setup error.
    # A LAG's traffic is counted on its members (veth's own counters):
    # bonding's tx_bytes is a sum it folds from its slaves' stats, and one
    # run here read 1364 bytes on bond0 for 1.8 GB its slaves had sent.
    sent = sum(out["member_tx_bytes"])      # e0 itself for bare
    if sent < out["bytes"]:
        raise RuntimeError(f"{kind}: {dev} sent {sent} bytes, iperf3 "
                           f"received {out['bytes']}: not through {dev}")
    return out


# --- measure ---------------------------------------------------------------

def measure(res):
    if not sh("command -v iperf3", check=False).strip():
        raise RuntimeError("tcp: iperf3 not found (apt-get install iperf3)")
    t0 = time.monotonic()
    out = {"rounds_n": ROUNDS, "secs": SECS, "omit": OMIT,
           "streams": list(STREAMS)}
    out["forced_on"] = offloads_on()
    devs = [p[0] for p in PATH.values()] + members("lag") + members("bond")
    feats = {d: features(d) for d in devs}
    out["features"] = feats
    out["sizes"] = {d: sizes(d) for d in devs}
    out["lost"] = {k: lost_features(k, feats) for k in ("lag", "bond")}
    log(f"tcp: features lost: {out['lost']}; forced on: {out['forced_on']}")
    srv = None
    try:
        addresses(True)
        srv = Server()
        for kind in KINDS:          # connects, ARP resolved, caches warm
            w = iperf(kind, 1, 1, 0, srv)
            log(f"tcp: {kind} warm-up {w['bps'] / 1e6:.0f} Mbit/s")
        rounds = []
        for r in range(ROUNDS):
            n = r % len(KINDS)
            order = list(KINDS[n:] + KINDS[:n])
            row = {"order": order}
            for s in STREAMS:
                row[str(s)] = {k: iperf(k, s, SECS, OMIT, srv) for k in order}
                log(f"tcp round {r + 1}, {s} streams: " + " ".join(
                    f"{k} {row[str(s)][k]['bps'] / 1e6:.0f}" for k in order) + " Mbit/s")
            rounds.append(row)
    finally:
        if srv:
            srv.stop()
        addresses(False)
    out["rounds"] = rounds
    for s in map(str, STREAMS):
        o = out[s] = {}
        for k in KINDS:
            o[k] = spread([r[s][k]["bps"] for r in rounds])
            o[k]["retransmits"] = sum(r[s][k]["retransmits"] for r in rounds)
            mb = [sum(r[s][k]["member_tx_bytes"][i] for r in rounds)
                  for i in range(len(members(k)))]
            o[k]["member_share"] = [b / sum(mb) if sum(mb) else 0 for b in mb]
        for a, b in RATIOS:
            o[f"{a}/{b}"] = spread([r[s][a]["bps"] / r[s][b]["bps"] for r in rounds])
    out["elapsed_s"] = time.monotonic() - t0
    log(f"tcp: done in {out['elapsed_s']:.0f} s")
    res["tcp"] = out


# --- report ----------------------------------------------------------------

def _feat(v):
    return "-" if v is None else ("on" if v[0] else "off") + ("*" if v[1] else "")


def report(res):
    t = res["tcp"]
    n = len(t["rounds"])
    L = [f"6. TCP, iperf3, {n} round{'s' * (n != 1)} of {t['secs']:g} s a run "
         f"(after {t['omit']} s omitted), paths in rotated order (Mbit/s received)"]
    L.append(f"   {'streams':12} {'median':>8} {'min':>8} {'max':>8} {'retrans':>8}"
             f"   bytes per member, %")
    for s in map(str, t["streams"]):
        for k in KINDS:
            v = t[s][k]
            share = (" ".join(f"{100 * x:.0f}" for x in v["member_share"])
                     if k != "bare" else "")
            L.append(f"   {s + ' ' + k:12} {v['median'] / 1e6:>8.0f} "
                     f"{v['min'] / 1e6:>8.0f} {v['max'] / 1e6:>8.0f} "
                     f"{v['retransmits']:>8}   {share}".rstrip())
    L.append(f"   {'per round':12} {'median':>8}   quartiles      min..max")
    for s in map(str, t["streams"]):
        for a, b in RATIOS:
            v = t[s][f"{a}/{b}"]
            L.append(f"   {s + ' ' + a + '/' + b:12} {v['median']:>8.3f}   "
                     f"{v['q1']:.3f}..{v['q3']:.3f}   {v['min']:.3f}..{v['max']:.3f}")
    devs = ["lag0", "a0", "bond0", "c0", "e0"]
    L.append("   features (ethtool -k; * fixed) " + "".join(f"{d:>7}" for d in devs))
    for name in SHOWN:
        L.append(f"   {name:31}" + "".join(
            f"{_feat(t['features'][d].get(name)):>7}" for d in devs))
    for key in ("gso_max_size", "tso_max_size", "gso_max_segs", "tso_max_segs"):
        L.append(f"   {key:31}" + "".join(
            f"{str(t['sizes'][d].get(key, '-')):>7}" for d in devs))
    for kind in ("lag", "bond"):
        lost = t["lost"][kind]
        ms = members(kind)
        L.append(f"   on in all of {ms[0]}..{ms[-1]}, off in "
                 f"{DEV[kind]}: " + (", ".join(
                     n + ("*" if t["features"][DEV[kind]].get(n, [0, 0])[1] else "")
                     for n in lost) or "none"))
    if t["forced_on"]:
        L.append("   turned on first: " + "; ".join(
            f"{d} {', '.join(v)}" for d, v in t["forced_on"].items()))
    return L


def summary(res):
    """One figure per stream count: a single stream rides one member, eight
    are spread by the hash; a LAG can pass one and fail the other."""
    t = res["tcp"]
    return "tcp lag/bare " + "/".join(
        f"{t[str(s)]['lag/bare']['median']:.2f}" for s in t["streams"])
