#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Slow Protocols frames on the wire, for the lag selftests.

  slowproto.py marker IFACE       send a Marker Information PDU on IFACE and
                                  print the Marker Response as JSON
  slowproto.py capture IFACE SECS PCAP
                                  write every 0x8809 frame seen on IFACE for
                                  SECS seconds to PCAP
  slowproto.py send IFACE HEX     send one frame (hex, from the destination
                                  address on)
  slowproto.py listen IFACE SECS  listen as a Slow Protocols daemon would
                                  (a socket of protocol 0x8809 bound to
                                  IFACE, or to no device if IFACE is ""),
                                  for SECS seconds, and print the subtypes
                                  of the incoming frames it got, as JSON
  slowproto.py netlen IFACE SECS  print, as JSON, the lengths of the
                                  outgoing Slow Protocols frames on IFACE
                                  as a SOCK_DGRAM socket sees them (from
                                  the network header on)
"""
import json
import select
import socket
import struct
import sys
import time

ETH_P_SLOW = 0x8809
SLOW_MCAST = bytes.fromhex("0180c2000002")


ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def sock(iface):
    # ETH_P_ALL: taps see frames before an rx handler (bonding's, ours)
    # consumes them; protocol-bound sockets would not.
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, ETH_P_ALL))
    return s


def recv_slow(s):
    """An incoming Slow Protocols frame, or None for anything else."""
    data, addr = s.recvfrom(2048)
    if addr[2] == PACKET_OUTGOING or len(data) < 15:
        return None
    if struct.unpack("!H", data[12:14])[0] != ETH_P_SLOW:
        return None
    return data


def marker(iface):
    s = sock(iface)
    src = s.getsockname()[4]
    tid = 0x12345678
    system = bytes.fromhex("020000c0ffee")
    tlv = struct.pack("!BBH6sIH", 1, 16, 7, system, tid, 0)
    pdu = struct.pack("!BB", 2, 1) + tlv + b"\0\0" + bytes(90)
    frame = SLOW_MCAST + src + struct.pack("!H", ETH_P_SLOW) + pdu
    s.send(frame)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        r, _, _ = select.select([s], [], [], 0.2)
        if not r:
            continue
        data = recv_slow(s)
        if data is None or len(data) < 14 + 18 or data[14] != 2 or data[16] != 2:
            continue
        _, _, port, sysid, rtid, _ = struct.unpack("!BBH6sIH", data[16:32])
        print(json.dumps({"port": port, "system": sysid.hex(), "tid": rtid,
                          "len": len(data) - 14, "src": data[6:12].hex()}))
        return 0
    print(json.dumps({}))
    return 1


def capture(iface, secs, path):
    s = sock(iface)
    frames = []
    deadline = time.monotonic() + secs
    while time.monotonic() < deadline:
        r, _, _ = select.select([s], [], [], 0.2)
        if r:
            data = recv_slow(s)
            if data is not None:
                frames.append((time.time(), data))
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for ts, data in frames:
            f.write(struct.pack("<IIII", int(ts), int((ts % 1) * 1e6),
                                len(data), len(data)))
            f.write(data)
    print(len(frames))
    return 0


def send(iface, hexdata):
    s = sock(iface)
    s.send(bytes.fromhex(hexdata))
    return 0


def netlen(iface, secs):
    # SOCK_DGRAM: the payload starts at the skb's network header.
    # ETH_P_ALL: only such taps see outgoing frames.
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_ALL))
    s.bind((iface, ETH_P_ALL))
    got = []
    deadline = time.monotonic() + secs
    while time.monotonic() < deadline:
        r, _, _ = select.select([s], [], [], 0.2)
        if r:
            data, addr = s.recvfrom(2048)
            if addr[2] == PACKET_OUTGOING and addr[1] == ETH_P_SLOW:
                got.append(len(data))
    print(json.dumps(got))
    return 0


def listen(iface, secs):
    # Protocol-bound: gets only what rx handlers pass on, unlike sock().
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_SLOW))
    if iface:
        s.bind((iface, ETH_P_SLOW))
    got = []
    deadline = time.monotonic() + secs
    while time.monotonic() < deadline:
        r, _, _ = select.select([s], [], [], 0.2)
        if r:
            data, addr = s.recvfrom(2048)
            if addr[2] != PACKET_OUTGOING and len(data) > 14:
                got.append(data[14])
    print(json.dumps(got))
    return 0


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "marker":
        sys.exit(marker(sys.argv[2]))
    elif cmd == "listen":
        sys.exit(listen(sys.argv[2], float(sys.argv[3])))
    elif cmd == "netlen":
        sys.exit(netlen(sys.argv[2], float(sys.argv[3])))
    elif cmd == "capture":
        sys.exit(capture(sys.argv[2], float(sys.argv[3]), sys.argv[4]))
    else:
        sys.exit(send(sys.argv[2], sys.argv[3]))
