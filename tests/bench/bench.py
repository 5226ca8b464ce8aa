#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench, guest side: lag against Linux bonding (802.3ad) on identical
veth members, in one boot of the benchmark kernel.

Run by tests/bench/run.sh through tests/run-guest.sh, as root, from the
repository. Builds its namespaces, prints one table, writes the same figures
as JSON ($LAG_BENCH_OUT, default /tmp/lag-job/bench.json) and, last, the
line "bench: tx lag/bond R, lag/bare-q R (noise +-N%); tcp lag/bare R1/R8
(1 and 8 streams); xdp lag/bond D/T (XDP_DROP and XDP_TX); surviving flows moved lag P% bond P%; balance lag B bond B".
The TCP and XDP parts are bench_tcp.py and bench_xdp.py. Nothing here asserts a timing: figures only; the
script fails only when the setup itself fails (a LAG that never distributes
over its four members, a probe that cannot see its frames).

Topology (namespace A holds what is measured, P the partners):

  A: lag0 over a0..a3   <-veth->  P: b0..b3 under pb0 (bonding 802.3ad)
  A: bond0 over c0..c3  <-veth->  P: d0..d3 under qb0 (bonding 802.3ad)
  A: e0 (bare member)   <-veth->  P: f0

and, for the transmit test only, the twins lag1 (a4..a7) and bond1 (c4..c7)
over partners pb1 and qb1 (see TWIN). All LAGs: fast LACP rate, xmit_hash_policy layer3+4, bonding with miimon
100. Every partner port drops IPv4 to 198.19.0.0/16 at tc ingress, before
any rx handler, so the receive side costs the same for every transmitter; packet sockets
on the partner ports see each frame before that drop and tell which member
a flow left by.
"""
import json
import os
import platform
import random
import select
import socket
import statistics
import struct
import subprocess
import sys
import time

import bench_tcp
import bench_xdp
from benchlib import (ALL, DEV, DIST, DST_MAC, ETH_P_ALL, MEMBER, N, NS,
                      NS_A, NS_P, PEER, PG, POLICIES, bond_linkdown,
                      lag_dist, log, pg_result, pg_run, pg_setup, rd,
                      set_link_p, set_policy, sh, socket_in, spread,
                      tc_rx, wait_until, wr)

FAILED = 1                  # the member that fails in every failure test
ROUNDS = int(os.environ.get("LAG_BENCH_ROUNDS", "60"))
RUN_SECS = float(os.environ.get("LAG_BENCH_RUN_SECS", "0.2"))
MOVE_FLOWS = int(os.environ.get("LAG_BENCH_MOVE_FLOWS", "4096"))
BAL_FLOWS = 10000
LOSS_RATE = int(os.environ.get("LAG_BENCH_LOSS_PPS", "20000"))
LOSS_SECS = 3.0
OUT = os.environ.get("LAG_BENCH_OUT", "/tmp/lag-job/bench.json")
TXT = os.path.splitext(OUT)[0] + ".txt"
MAGIC = 0x1a6be7c4
PROBE_NET = "198.19.0.0/16"     # every probe and pktgen frame goes there
PARTS = ("tx", "moves", "balance", "failover", "loss", "tcp", "xdp")


# --- setup -----------------------------------------------------------------

def setup_ns():
    for ns in (NS_A, NS_P):
        sh(f"ip netns del {ns}", check=False)
        sh(f"ip netns add {ns}")
        sh(f"ip -n {ns} link set lo up")
        for k in ("all", "default"):
            sh(f"ip netns exec {ns} sysctl -qw net.ipv6.conf.{k}.disable_ipv6=1")


# The twins: a second LAG of each kind, identical to the first, on members
# 4..7 (a4..a7 <-> b4..b7 under pb1, c4..c7 <-> d4..d7 under qb1). Only the
# transmit test uses them: lag against lag' and bond against bond' is the
# noise floor, two identical devices measured the same way.
TWIN = {"lag": "lag1", "bond": "bond1"}
TWIN_MEMBERS = range(N, 2 * N)


def setup():
    for p, q in (("a", "b"), ("c", "d")):
        for i in range(2 * N):
            sh(f"ip link add {p}{i} netns {NS_A} type veth peer name {q}{i} netns {NS_P}")
    sh(f"ip link add e0 netns {NS_A} type veth peer name f0 netns {NS_P}")
    for bond, q, idx in (("pb0", "b", range(N)), ("qb0", "d", range(N)),
                         ("pb1", "b", TWIN_MEMBERS), ("qb1", "d", TWIN_MEMBERS)):
        sh(f"ip -n {NS_P} link add {bond} type bond mode 802.3ad lacp_rate fast "
           f"miimon 100 xmit_hash_policy layer3+4")
        for i in idx:
            sh(f"ip -n {NS_P} link set {q}{i} master {bond}")
        sh(f"ip -n {NS_P} link set {bond} up")
    sh(f"ip -n {NS_P} link set f0 up")
    for dev in [f"{q}{i}" for q in "bd" for i in range(2 * N)] + ["f0"]:
        sh(f"tc -n {NS_P} qdisc add dev {dev} clsact")
        # Only the frames of the transmit, movement, balance and loss
        # tests (to 198.19.0.0/16); the TCP streams pass.
        sh(f"tc -n {NS_P} filter add dev {dev} ingress protocol ip pref 10 "
           f"flower dst_ip {PROBE_NET} action drop")
    # The devices under test, down and with no member yet.
    for lag in ("lag0", TWIN["lag"]):
        sh(f"ip link add {lag} type lag")
        wr(f"/sys/class/net/{lag}/lag/lacp_rate", "fast")
        wr(f"/sys/class/net/{lag}/lag/xmit_hash_policy", "layer3+4")
    for bond in ("bond0", TWIN["bond"]):
        sh(f"ip link add {bond} type bond mode 802.3ad lacp_rate fast miimon 100 "
           "xmit_hash_policy layer3+4")
    sh("ip link set e0 up")


def twin_all(kind):
    if kind == "lag" and rd(f"/sys/class/net/{TWIN[kind]}/lag/active_ports") != str(N):
        return False
    return all(DIST[kind](i) for i in TWIN_MEMBERS)


def enslave(kind, twin=False):
    """Enslave four members to an up LAG; seconds to all distributing."""
    m = MEMBER[kind]
    dev, idx = (TWIN[kind], TWIN_MEMBERS) if twin else (DEV[kind], range(N))
    sh(f"ip link set {dev} up")
    batch = "".join(f"link set {m}{i} master {dev}\n" for i in idx)
    if kind == "bond":
        batch += "".join(f"link set {m}{i} up\n" for i in idx)
    t0 = time.monotonic()
    subprocess.run(["ip", "-b", "-"], input=batch, text=True, check=True)
    done = (lambda: twin_all(kind)) if twin else ALL[kind]
    if wait_until(done, 60) is None:
        raise RuntimeError(f"{dev}: members never all distributing")
    return time.monotonic() - t0


# --- flow probes -----------------------------------------------------------

def csum(b):
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def udp_frame(smac, sip, dip, sport, dport, fid):
    payload = struct.pack("!II", MAGIC, fid)
    ulen = 8 + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, 0, 0x4000, 64, 17,
                     0, sip, dip)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    udp = struct.pack("!HHHH", sport, dport, ulen, 0)
    return DST_MAC + smac + b"\x08\x00" + ip + udp + payload


def move_flows(n):
    """Flows differing in their UDP ports only (what layer3+4 sees)."""
    sip, dip = bytes([198, 18, 0, 1]), bytes([198, 19, 0, 1])
    smac = bytes.fromhex("020000000001")
    return [udp_frame(smac, sip, dip, 1024 + i, 40000 + (i * 7) % 20000, i)
            for i in range(n)]


def balance_flows(n):
    """Flows with random source MAC, source IP and source port, so that
    every policy sees n distinct keys and none is favoured by a pattern."""
    rng = random.Random(20240601)   # fixed: the same flows every run
    out, keys = [], set()
    while len(out) < n:
        smac = bytes([0x02]) + rng.randbytes(5)
        sip = bytes([10]) + rng.randbytes(3)
        sport = rng.randrange(1024, 65536)
        if (smac, sip, sport) in keys:
            continue
        keys.add((smac, sip, sport))
        out.append(udp_frame(smac, sip, bytes([198, 19, 0, 1]), sport, 4789,
                             len(out)))
    return out


class Probe:
    """Packet sockets on the four partner ports of a LAG (ETH_P_ALL bound to
    the port: they see frames before the tc ingress drop)."""

    def __init__(self, kind):
        self.socks = []
        for i in range(N):
            s = socket_in(NS_P, socket.AF_PACKET, socket.SOCK_RAW,
                          socket.htons(ETH_P_ALL))
            s.setsockopt(socket.SOL_SOCKET, 33, 32 << 20)  # SO_RCVBUFFORCE
            NS.enter(NS_P)
            try:
                s.bind((f"{PEER[kind]}{i}", ETH_P_ALL))
            finally:
                NS.enter(NS_A)
            s.setblocking(False)
            self.socks.append(s)
        self.tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
        self.tx.bind((DEV[kind], 0))

    def close(self):
        for s in self.socks + [self.tx]:
            s.close()

    def _drain(self, seen):
        for idx, s in enumerate(self.socks):
            while True:
                try:
                    data, addr = s.recvfrom(2048)
                except BlockingIOError:
                    break
                except OSError:
                    continue    # ENETDOWN, reported once: the port went down
                if addr[2] == socket.PACKET_OUTGOING or len(data) < 50:
                    continue
                if data[12:14] != b"\x08\x00" or data[23] != 17:
                    continue
                magic, fid = struct.unpack("!II", data[42:50])
                if magic == MAGIC:
                    seen.setdefault(fid, set()).add(idx)

    def run(self, frames):
        """Send each frame once; {flow id: member index}, plus the number of
        flows seen on no member and on more than one."""
        seen = {}
        self._drain({})
        for k, f in enumerate(frames):
            self.tx.send(f)
            if k % 256 == 255:
                self._drain(seen)
        deadline = time.monotonic() + 2
        while len(seen) < len(frames) and time.monotonic() < deadline:
            select.select(self.socks, [], [], 0.05)
            self._drain(seen)
        multi = sum(1 for v in seen.values() if len(v) > 1)
        return ({f: min(v) for f, v in seen.items()},
                len(frames) - len(seen), multi)


def members_used(m):
    return sorted(set(m.values()))


# --- the measurements ------------------------------------------------------

# What the transmit test measures: name -> (device, pktgen xmit_mode).
# bare-q is the bare member again, but through dev_queue_xmit(), the core
# transmit path both LAGs hand each frame to on the member: lag/bare-q is
# the LAG's own cost per frame, bare-q/bare that second pass's. lag' and
# bond' are the twins (see TWIN).
TX_DEVS = {"lag": ("lag0", "start_xmit"), "lag'": ("lag1", "start_xmit"),
           "bond": ("bond0", "start_xmit"), "bond'": ("bond1", "start_xmit"),
           "bare": ("e0", "start_xmit"), "bare-q": ("e0", "queue_xmit")}
TX_RATIOS = (("lag", "bond"), ("lag", "bare-q"), ("bond", "bare-q"),
             ("lag", "bare"), ("bond", "bare"), ("bare-q", "bare"),
             ("lag", "lag'"), ("bond", "bond'"))
NOISE = (("lag", "lag'"), ("bond", "bond'"))


def best_of(v):
    """The best-of estimate of a device's rate over its bursts: the
    fastest burst. Interference (the host's other work, the guest's timer
    and LACP ticks landing in a burst) only ever slows a burst down, so the
    fastest is the one least disturbed."""
    return max(v)


def bench_tx(res):
    for kind in ("lag", "bond"):
        enslave(kind, twin=True)
    # Calibrate: about RUN_SECS per burst at the bare member's rate.
    pg_run("e0", 20000)
    pps = pg_run("e0", 100000)["pps"]
    count = max(20000, int(pps * RUN_SECS) // 1000 * 1000)
    log(f"tx: {ROUNDS} rounds of one {count}-frame burst per device")
    order = list(TX_DEVS)
    rounds = []
    for r in range(ROUNDS):
        row = {}
        n = r % len(order)                      # rotate who goes first
        for k in order[n:] + order[:n]:
            row[k] = pg_run(TX_DEVS[k][0], count, mode=TX_DEVS[k][1])["pps"]
        rounds.append(row)
        log(f"tx round {r + 1}: " + " ".join(f"{k} {v}" for k, v in row.items()))
    for kind in ("lag", "bond"):
        sh(f"ip link del {TWIN[kind]}")
    for bond in ("pb1", "qb1"):
        sh(f"ip -n {NS_P} link del {bond}")
    out = {"frames_per_burst": count, "rounds": rounds}
    for k in TX_DEVS:
        v = [r[k] for r in rounds]
        out[k] = {**spread(v), "best": best_of(v),
                  # best of the even rounds / best of the odd ones: how far
                  # the estimate moves between two halves of the same run
                  "halves": best_of(v[0::2]) / best_of(v[1::2])}
    for a, b in TX_RATIOS:
        v = [r[a] / r[b] for r in rounds]
        out[f"{a}/{b}"] = {**spread(v), "best": out[a]["best"] / out[b]["best"]}
    # The noise floor: how far apart the best-of estimates of two identical
    # devices came out, in per cent.
    out["noise_pct"] = 100.0 * max(abs(out[f"{a}/{b}"]["best"] - 1) for a, b in NOISE)
    res["tx"] = out


def bench_moves(res):
    frames = move_flows(MOVE_FLOWS)
    out = {}
    for kind in ("lag", "bond"):
        set_policy(kind, "layer3+4")
        pr = Probe(kind)
        m0, miss0, _ = pr.run(frames)
        if members_used(m0) != list(range(N)) or miss0:
            raise RuntimeError(f"{kind}: probe saw members {members_used(m0)}, "
                               f"{miss0} flows missing")
        peer = f"{PEER[kind]}{FAILED}"
        set_link_p(peer, False)
        gone = (lambda k=kind: not DIST[k](FAILED)) if kind == "lag" else \
            (lambda: bond_linkdown(FAILED))
        wait_until(gone, 10)
        time.sleep(0.3)
        m1, miss1, _ = pr.run(frames)
        set_link_p(peer, True)
        wait_until(ALL[kind], 30)
        time.sleep(0.3)
        m2, miss2, _ = pr.run(frames)
        pr.close()
        surv = [f for f in m0 if m0[f] != FAILED]
        on_failed = [f for f in m0 if m0[f] == FAILED]
        moved_surv = sum(1 for f in surv if m1.get(f) != m0[f])
        moved_ret = [f for f in m1 if m2.get(f) != m1[f]]
        to_ret = sum(1 for f in moved_ret if m2.get(f) == FAILED)
        back_home = sum(1 for f in on_failed if m2.get(f) == FAILED)
        out[kind] = {
            "flows": len(frames), "on_failed": len(on_failed),
            "surviving": len(surv), "surviving_moved": moved_surv,
            "surviving_moved_pct": 100.0 * moved_surv / len(surv),
            "failed_still_on_it": sum(1 for f in on_failed if m1.get(f) == FAILED),
            "missing_after_fail": miss1, "members_after_fail": members_used(m1),
            "return_moved": len(moved_ret),
            "return_moved_pct": 100.0 * len(moved_ret) / len(frames),
            "return_to_returning": to_ret,
            "return_between_survivors": len(moved_ret) - to_ret,
            "return_back_home": back_home,
            "fair_share": len(frames) // N, "missing_after_return": miss2,
        }
        log(f"moves {kind}: {out[kind]}")
    res["moves"] = out


def bench_balance(res):
    frames = balance_flows(BAL_FLOWS)
    out = {}
    for kind in ("lag", "bond"):
        pr = Probe(kind)
        out[kind] = {}
        for pol in POLICIES:
            set_policy(kind, pol)
            m, miss, _ = pr.run(frames)
            cnt = [sum(1 for v in m.values() if v == i) for i in range(N)]
            out[kind][pol] = {"per_member": cnt, "missing": miss,
                              "ratio": max(cnt) / min(cnt) if min(cnt) else None}
            log(f"balance {kind} {pol}: {cnt}")
        set_policy(kind, "layer3+4")
        pr.close()
    res["balance"] = out


def bench_failover(res):
    out = {"lag": {}, "bond": {}}
    for kind in ("lag", "bond"):
        o = out[kind]
        peer = f"{PEER[kind]}{FAILED}"
        # Carrier loss: the partner port goes down, our member loses carrier.
        samples = []
        back = []
        for _ in range(3):
            t0 = time.monotonic()
            set_link_p(peer, False)
            if kind == "lag":
                wait_until(lambda: not lag_dist(FAILED), 10, 0.0005)
            else:
                wait_until(lambda: bond_linkdown(FAILED), 10, 0.0005)
            samples.append(time.monotonic() - t0)
            time.sleep(0.5)
            t0 = time.monotonic()
            set_link_p(peer, True)
            wait_until(ALL[kind], 30)
            back.append(time.monotonic() - t0)
            time.sleep(0.5)
        o["carrier_loss_s"] = samples
        o["carrier_return_s"] = back
        # Partner silent: its LACPDUs dropped on the way out of port 0. A
        # packet socket on that port sees the PDUs that still left (taps
        # come after tc egress), so the time since the last one is known.
        p0 = f"{PEER[kind]}0"
        o["partner_silent_s"], o["since_last_pdu_s"] = [], []
        o["partner_back_s"] = []
        for _ in range(3):
            tap = socket_in(NS_P, socket.AF_PACKET, socket.SOCK_RAW,
                            socket.htons(ETH_P_ALL))
            NS.enter(NS_P)
            tap.bind((p0, ETH_P_ALL))
            NS.enter(NS_A)
            tap.setblocking(False)
            last = [None]

            def out_pdus():
                while True:
                    try:
                        d, a = tap.recvfrom(256)
                    except BlockingIOError:
                        return
                    if a[2] == socket.PACKET_OUTGOING and d[12:14] == b"\x88\x09":
                        last[0] = time.monotonic()

            # Read the tap as the PDUs leave: a PDU is stamped when read.
            wait_until(lambda: out_pdus(), 1.3, 0.005)
            sh(f"tc -n {NS_P} filter add dev {p0} egress protocol 0x8809 "
               f"pref 10 matchall action drop")
            t0 = time.monotonic()
            out_pdus()
            wait_until(lambda k=kind: (out_pdus(), not DIST[k](0))[1], 20, 0.005)
            t1 = time.monotonic()
            tap.close()
            o["partner_silent_s"].append(t1 - t0)
            o["since_last_pdu_s"].append(t1 - last[0] if last[0] else None)
            sh(f"tc -n {NS_P} filter del dev {p0} egress pref 10")
            t0 = time.monotonic()
            wait_until(ALL[kind], 30)
            o["partner_back_s"].append(time.monotonic() - t0)
            time.sleep(0.5)
        log(f"failover {kind}: {o}")
    res["failover"] = out


def bench_loss(res):
    out = {}
    count = int(LOSS_RATE * LOSS_SECS)
    for kind in ("lag", "bond"):
        peers = [f"{PEER[kind]}{i}" for i in range(N)]
        o = {"rate_pps": LOSS_RATE, "frames": count}
        for fail in (False, True):
            before = tc_rx(peers)
            pg_setup(DEV[kind], count, LOSS_RATE)
            drops0 = sum(int(rd(f"/sys/class/net/{MEMBER[kind]}{i}/statistics/tx_dropped"))
                         for i in range(N))
            t0 = time.monotonic()
            p = subprocess.Popen(["sh", "-c", f"echo start > {PG}/pgctrl"])
            t_fail = None
            if fail:
                time.sleep(1.0)
                t_fail = time.monotonic() - t0
                set_link_p(f"{PEER[kind]}{FAILED}", False)
            p.wait()
            t_end = time.monotonic() - t0
            drops = sum(int(rd(f"/sys/class/net/{MEMBER[kind]}{i}/statistics/tx_dropped"))
                        for i in range(N)) - drops0
            r = pg_result(DEV[kind])
            sent = r["sent"]
            time.sleep(0.2)
            got = tc_rx(peers) - before
            o["fail" if fail else "steady"] = {"sent": sent, "received": got,
                                               "lost": sent - got,
                                               "usec": r["usec"],
                                               "member_tx_dropped": drops,
                                               "t_fail": t_fail, "t_end": t_end}
            if fail:
                set_link_p(f"{PEER[kind]}{FAILED}", True)
                wait_until(ALL[kind], 30)
                time.sleep(0.5)
        lost = o["fail"]["lost"] - o["steady"]["lost"]
        # A quarter of the flows went to the failed member.
        o["blackout_ms"] = 1000.0 * max(lost, 0) / (LOSS_RATE / N)
        out[kind] = o
        log(f"loss {kind}: {o}")
    res["loss"] = out


# --- report ----------------------------------------------------------------

def report(res):
    L = []
    tx = res["tx"]
    L.append(f"lag benchmark: {res['date']}, {res['host']}")
    L.append("")
    L.append(f"1. transmit, pktgen 60-byte UDP, {len(tx['rounds'])} rounds of one "
             f"{tx['frames_per_burst']}-frame burst per device, order rotated (frames/s)")
    L.append(f"   {'':10} {'best':>9} {'median':>9} {'min':>9}   best of even/odd rounds")
    for k in TX_DEVS:
        L.append(f"   {k:10} {tx[k]['best']:>9.0f} {tx[k]['median']:>9.0f} "
                 f"{tx[k]['min']:>9.0f}   {tx[k]['halves']:.3f}")
    L.append(f"   {'ratio':10} {'best':>9} {'median':>9}   per-round ratio: "
             "quartiles; min..max")
    for k in (f"{a}/{b}" for a, b in TX_RATIOS):
        v = tx[k]
        L.append(f"   {k:11}{v['best']:>9.3f} {v['median']:>9.3f}   "
                 f"{v['q1']:.3f}..{v['q3']:.3f}; {v['min']:.3f}..{v['max']:.3f}")
    L.append(f"   noise floor (best of identical devices, lag/lag' and bond/bond'): "
             f"+-{tx['noise_pct']:.1f}%")
    mv = res["moves"]
    L.append("")
    L.append(f"2. flow movement, {mv['lag']['flows']} layer3+4 flows, member "
             f"{FAILED} of {N} fails (carrier) and returns")
    L.append(f"   {'':6} {'surviving moved':>22} {'on return moved':>22} "
             f"{'to returning':>13} {'between others':>15}")
    for k in ("lag", "bond"):
        v = mv[k]
        L.append(f"   {k:6} {v['surviving_moved']:>6}/{v['surviving']:<5} "
                 f"{v['surviving_moved_pct']:>6.1f}%   "
                 f"{v['return_moved']:>6}/{v['flows']:<5} {v['return_moved_pct']:>6.1f}%"
                 f"   {v['return_to_returning']:>11}   {v['return_between_survivors']:>13}")
    L.append(f"   fair share of the returning member: {mv['lag']['fair_share']} flows")
    bal = res["balance"]
    L.append("")
    L.append(f"3. balance, {BAL_FLOWS} flows: largest / smallest member share")
    L.append("   " + f"{'':6}" + "".join(f"{p:>10}" for p in POLICIES))
    for k in ("lag", "bond"):
        L.append(f"   {k:6}" + "".join(
            f"{bal[k][p]['ratio']:>10.3f}" if bal[k][p]["ratio"] else f"{'inf':>10}"
            for p in POLICIES))
    fo = res["failover"]
    L.append("")
    L.append("4. convergence and failover (s; fast rate, miimon 100 for bonding)")
    L.append(f"   {'':6} {'enslave->all dist':>18} {'carrier loss->off':>24} "
             f"{'partner silent->out':>20}")
    for k in ("lag", "bond"):
        cl = fo[k]["carrier_loss_s"]
        L.append(f"   {k:6} {res['converge'][k]:>18.3f} "
                 f"{statistics.median(cl):>10.4f} ({min(cl):.4f}..{max(cl):.4f})"
                 f" {statistics.median(fo[k]['partner_silent_s']):>8.3f} "
                 f"({min(fo[k]['partner_silent_s']):.3f}..{max(fo[k]['partner_silent_s']):.3f}),"
                 f" {statistics.median(fo[k]['since_last_pdu_s']):.3f} after the last PDU")
    ls = res["loss"]
    L.append("")
    L.append(f"5. frames lost, member {FAILED} fails under {LOSS_RATE} frames/s "
             f"for {LOSS_SECS:.0f} s")
    for k in ("lag", "bond"):
        v = ls[k]
        L.append(f"   {k:6} lost {v['fail']['lost']:>6} of {v['fail']['sent']} "
                 f"(steady run without failure: {v['steady']['lost']}); "
                 f"blackout of the failed member's flows ~{v['blackout_ms']:.1f} ms")
    for part in (bench_tcp, bench_xdp):
        L.append("")
        L.extend(part.report(res))
    L.append("")
    L.append(res["summary"])
    return "\n".join(L)


PART = {"tx": bench_tx, "moves": bench_moves, "balance": bench_balance,
        "failover": bench_failover, "loss": bench_loss,
        "tcp": bench_tcp.measure, "xdp": bench_xdp.measure}


def main():
    if os.environ.get("LAG_BENCH_IN_A") != "1":
        # Make the namespaces, then run again inside A, where sysfs and
        # /proc/net show A's devices (ip netns exec remounts them).
        setup_ns()
        os.environ["LAG_BENCH_IN_A"] = "1"
        os.execvp("ip", ["ip", "netns", "exec", NS_A, sys.executable,
                         os.path.abspath(__file__)])
    res = {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
           "host": f"UML {platform.release()} guest, 1 CPU; host CPU "
                   + os.environ.get("LAG_BENCH_HOST_CPU", "?")}
    log("setting up")
    setup()
    res["converge"] = {}
    for kind in ("lag", "bond"):
        res["converge"][kind] = enslave(kind)
        log(f"{kind}: all {N} distributing after {res['converge'][kind]:.3f}s")
    time.sleep(1)
    only = (os.environ.get("LAG_BENCH_ONLY") or " ".join(PARTS)).split()
    for name in PARTS:
        if name in only:
            PART[name](res)
    if set(only) != set(PARTS):     # a partial run, for debugging: figures only
        print(json.dumps(res, indent=1))
        return
    tx, mv, bal = res["tx"], res["moves"], res["balance"]
    res["summary"] = (
        f"bench: tx lag/bond {tx['lag/bond']['best']:.2f}, "
        f"lag/bare-q {tx['lag/bare-q']['best']:.2f} (noise +-{tx['noise_pct']:.1f}%); "
        f"{bench_tcp.summary(res)}; {bench_xdp.summary(res)}; surviving flows moved "
        f"lag {mv['lag']['surviving_moved_pct']:.0f}% "
        f"bond {mv['bond']['surviving_moved_pct']:.0f}%; balance "
        f"lag {bal['lag']['layer3+4']['ratio']:.2f} "
        f"bond {bal['bond']['layer3+4']['ratio']:.2f}")
    text = report(res)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(res, f, indent=1)
    with open(TXT, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    print(text)
    sh("ip link del lag0", check=False)
    sh("ip link del bond0", check=False)
    for ns in (NS_P, NS_A):
        sh(f"ip netns del {ns}", check=False)


if __name__ == "__main__":
    main()
