#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench, guest side: what every part of the benchmark shares. The
namespaces (A holds what is measured, P the partners), the LAGs' state in
sysfs, link control by ioctl, and pktgen. See bench.py for the topology."""
import ctypes
import fcntl
import os
import re
import socket
import statistics
import struct
import subprocess
import sys
import time

NS_A = "lagbench-a"
NS_P = "lagbench-p"
N = 4                       # members per LAG
POLICIES = ["layer2", "layer2+3", "layer3+4", "encap2+3", "encap3+4"]
DST_MAC = bytes.fromhex("020000000002")

ETH_P_ALL = 0x0003
CLONE_NEWNET = 0x40000000
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
LACP_DISTRIBUTING = 0x20

libc = ctypes.CDLL(None, use_errno=True)


def log(*a):
    print("bench:", *a, file=sys.stderr, flush=True)


def sh(cmd, check=True):
    r = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    if check and r.returncode:
        raise RuntimeError(f"{cmd}: {r.stderr.strip()}")
    return r.stdout


def wr(path, val):
    with open(path, "w", encoding="ascii") as f:
        f.write(str(val))


def rd(path):
    with open(path, encoding="ascii") as f:
        return f.read().strip()


# --- namespaces ------------------------------------------------------------

class Netns:
    """Switch this process between A and P; sockets keep their netns."""

    def __init__(self):
        self.fds = {}

    def enter(self, name):
        if name not in self.fds:
            self.fds[name] = os.open(f"/run/netns/{name}", os.O_RDONLY)
        if libc.setns(self.fds[name], CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), f"setns {name}")


NS = Netns()


def socket_in(ns, *args):
    NS.enter(ns)
    try:
        return socket.socket(*args)
    finally:
        NS.enter(NS_A)


# Link up/down through ioctl on a socket in P: no process start in the
# measured interval.
_ctl = None


def set_link_p(ifname, up):
    global _ctl
    if _ctl is None:
        _ctl = socket_in(NS_P, socket.AF_INET, socket.SOCK_DGRAM)
    req = struct.pack("16sh22x", ifname.encode(), 0)
    flags = struct.unpack("16sh22x", fcntl.ioctl(_ctl, SIOCGIFFLAGS, req))[1]
    flags = flags | IFF_UP if up else flags & ~IFF_UP
    fcntl.ioctl(_ctl, SIOCSIFFLAGS, struct.pack("16sh22x", ifname.encode(), flags))


# --- LAG state -------------------------------------------------------------

def lag_dist(i):
    return rd(f"/sys/class/net/a{i}/lag_port/state") == "distributing"


def bond_dist(i):
    st = rd(f"/sys/class/net/c{i}/bonding_slave/ad_actor_oper_port_state")
    st = int(st) if st.isdigit() else 0     # "N/A" while in no aggregator
    return (bool(st & LACP_DISTRIBUTING) and
            rd(f"/sys/class/net/c{i}/bonding_slave/mii_status") == "up")


def bond_linkdown(i):
    return rd(f"/sys/class/net/c{i}/bonding_slave/mii_status") != "up"


def lag_all():
    return rd("/sys/class/net/lag0/lag/active_ports") == str(N) and \
        all(lag_dist(i) for i in range(N))


def bond_all():
    return all(bond_dist(i) for i in range(N))


DIST = {"lag": lag_dist, "bond": bond_dist}
ALL = {"lag": lag_all, "bond": bond_all}
DEV = {"lag": "lag0", "bond": "bond0"}
MEMBER = {"lag": "a", "bond": "c"}
PEER = {"lag": "b", "bond": "d"}


def members(kind):
    """The devices a kind sends by in A: a LAG's four members, or e0."""
    return [f"{MEMBER[kind]}{i}" for i in range(N)] if kind != "bare" else ["e0"]


def peers(kind):
    """Their partner ports in P."""
    return [f"{PEER[kind]}{i}" for i in range(N)] if kind != "bare" else ["f0"]


def spread(v):
    """Median, min, max and quartiles of a list of figures (inclusive
    quartiles: with a few rounds they stay within min..max)."""
    q = statistics.quantiles(v, n=4, method="inclusive") if len(v) > 1 else v * 3
    return {"median": statistics.median(v), "min": min(v), "max": max(v),
            "q1": q[0], "q3": q[2]}


def wait_until(cond, timeout, step=0.002):
    """Seconds until cond() held, None on timeout."""
    t0 = time.monotonic()
    while True:
        if cond():
            return time.monotonic() - t0
        if time.monotonic() - t0 > timeout:
            return None
        time.sleep(step)


def set_policy(kind, pol):
    if kind == "lag":
        wr("/sys/class/net/lag0/lag/xmit_hash_policy", pol)
        got = rd("/sys/class/net/lag0/lag/xmit_hash_policy")
    else:
        wr("/sys/class/net/bond0/bonding/xmit_hash_policy", pol)
        got = rd("/sys/class/net/bond0/bonding/xmit_hash_policy").split()[0]
    if got != pol:
        raise RuntimeError(f"{kind}: policy {got}, wanted {pol}")



# --- pktgen ----------------------------------------------------------------

PG = "/proc/net/pktgen"


def pg(path, cmd):
    wr(f"{PG}/{path}", cmd + "\n")


# The flows of the transmit and loss tests: 198.18.0.0/24 to a /20 of
# 198.19.0.0/16, random UDP ports.
PG_FLOWS = ("src_min 198.18.0.1", "src_max 198.18.0.254",
            "dst_min 198.19.0.1", "dst_max 198.19.15.254",
            "udp_src_min 1024", "udp_src_max 65535",
            "udp_dst_min 1024", "udp_dst_max 65535",
            "flag IPDST_RND", "flag UDPSRC_RND", "flag UDPDST_RND")


def pg_setup(dev, count, ratep=0, mode="start_xmit", dst_mac=DST_MAC.hex(":"),
             flows=PG_FLOWS):
    """Configure this netns's pktgen for one run of count 60-byte frames
    from dev (1024 flows of 8 frames)."""
    pg("kpktgend_0", "rem_device_all")
    # The thread removes them asynchronously; adding before it has would
    # see the new device removed too.
    if wait_until(lambda: set(os.listdir(PG)) <= {"pgctrl", "kpktgend_0"},
                  10, 0.01) is None:
        raise RuntimeError(f"pktgen: devices not removed: {os.listdir(PG)}")
    pg("kpktgend_0", f"add_device {dev}")
    if dev not in os.listdir(PG):
        raise RuntimeError(f"pktgen: {dev} not in this netns's {PG}")
    for c in (f"xmit_mode {mode}", f"count {count}", "clone_skb 0", "pkt_size 60",
              "burst 1", "delay 0", f"dst_mac {dst_mac}") + flows + \
            ("flows 1024", "flowlen 8"):
        pg(dev, c)
    if ratep:
        pg(dev, f"ratep {ratep}")


def pg_result(dev):
    text = open(f"{PG}/{dev}", encoding="ascii").read()
    m = re.search(r"Result: OK: (\d+)\(c\d+\+d\d+\) usec, (\d+) .*?\n\s+(\d+)pps",
                  text, re.S)
    if not m:
        raise RuntimeError(f"pktgen {dev}: {text[text.find('Result'):]}")
    return {"usec": int(m.group(1)), "sent": int(m.group(2)),
            "pps": int(m.group(3))}


def pg_run(dev, count, ratep=0, mode="start_xmit"):
    pg_setup(dev, count, ratep, mode)
    pg("pgctrl", "start")          # returns when the count is sent
    return pg_result(dev)


def tc_rx(devs):
    """IPv4 frames the partner ports' ingress drop filters have seen."""
    total = 0
    for d in devs:
        out = sh(f"tc -n {NS_P} -s filter show dev {d} ingress")
        m = re.search(r"Sent \d+ bytes (\d+) pkt", out)
        total += int(m.group(1))
    return total
