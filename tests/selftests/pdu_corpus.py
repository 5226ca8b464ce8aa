#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The known-bad Slow Protocols corpus of tests/kunit/lacp_fuzz_test.c, as
raw Ethernet frames, plus random and mutated PDUs from a fixed seed, for
tests/selftests/wire_fuzz.sh.

  pdu_corpus.py send --own MAC [--random N] [--seed S] [--max-len L] IFACE...
      send the corpus round-robin over IFACE... (the partner's side of the
      links) and print, as JSON, how many frames of each class each IFACE
      sent: {"b0": {"malformed": n, "unknown": n, "lacpdu": n,
      "marker": n, "marker_resp": n, "sent": n}, ...}
  pdu_corpus.py list --own MAC [--random N] [--seed S] [--max-len L]
      print one line per frame: class, PDU length, hex of the first bytes

MAC is the LAG's actor system (its address): the corpus loops it back.
Each frame goes to 01:80:c2:00:00:02, ethertype 0x8809, from the sending
interface's address; the PDU (from the subtype on) follows the header.
"""
import argparse
import json
import random
import socket
import struct
import sys
import time

ETH_P_SLOW = 0x8809
SLOW_MCAST = bytes.fromhex("0180c2000002")
PDU_LEN = 110

MALFORMED, UNKNOWN, LACPDU, MARKER, MARKER_RESP = (
    "malformed", "unknown", "lacpdu", "marker", "marker_resp")

PARTNER_SYS = bytes.fromhex("020000000099")


def info(sys_prio, system, key, port_prio, port, state):
    return struct.pack("!H6sHHHB3x", sys_prio, system, key, port_prio, port,
                       state)


def lacpdu(actor, partner, version=1):
    """A version-1 layout LACPDU, 110 bytes (actor/partner: info() bytes)."""
    pdu = struct.pack("!BB", 1, version)
    pdu += struct.pack("!BB", 1, 20) + actor
    pdu += struct.pack("!BB", 2, 20) + partner
    pdu += struct.pack("!BBH12x", 3, 16, 0)
    pdu += bytes(2) + bytes(50)          # terminator, reserved
    assert len(pdu) == PDU_LEN
    return bytearray(pdu)


def marker(resp, port, tid, version=1):
    system = bytes.fromhex("02123456789a")
    pdu = struct.pack("!BB", 2, version)
    pdu += struct.pack("!BBH6sIH", 2 if resp else 1, 16, port & 0xffff,
                       system, tid & 0xffffffff, 0)
    pdu += bytes(2) + bytes(90)          # terminator, reserved
    assert len(pdu) == PDU_LEN
    return bytearray(pdu)


def classify(b):
    """The reference classifier, as in lacp_fuzz_test.c."""
    n = len(b)
    if n < 1:
        return MALFORMED
    if b[0] not in (1, 2):
        return UNKNOWN
    if n < PDU_LEN or b[1] == 0:
        return MALFORMED
    if b[0] == 2:
        if b[2] not in (1, 2) or b[3] != 16 or b[18] != 0 or b[19] != 0:
            return MALFORMED
        return MARKER if b[2] == 1 else MARKER_RESP
    if (b[2], b[3], b[22], b[23], b[42], b[43]) != (1, 20, 2, 20, 3, 16):
        return MALFORMED
    off = 58
    while b[1] > 1 and off + 2 <= n and b[off] != 0:
        if b[off] <= 3 or b[off + 1] < 2 or off + b[off + 1] > n:
            return MALFORMED
        off += b[off + 1]
    if off + 2 > n or b[off] != 0 or b[off + 1] != 0:
        return MALFORMED
    return LACPDU


def partner_like(port):
    """An LACPDU like a partner's, about our port 1..4 (not our real
    partner's system, so it is a second partner)."""
    actor = info(100, PARTNER_SYS, 77, 1, 100 + port, 0x3d)
    partner = info(65535, bytes(6), 0, 255, port, 0x3d)
    return lacpdu(actor, partner)


def corpus(own, seed, nrandom, max_len):
    """[(pdu bytes, expected class)], deterministic for a seed."""
    out = []

    def add(pdu, want=None):
        pdu = bytes(pdu)
        got = classify(pdu)
        assert want is None or got == want, (want, got, pdu[:64].hex())
        out.append((pdu, got))

    # truncated at every length: LACPDU and Marker PDU
    for n in range(PDU_LEN):
        add(partner_like(1 + n % 4)[:n], MALFORMED)
        add(marker(False, 1, n)[:n], MALFORMED)
    # every TLV length 0 and 255
    for length in (0, 255):
        for at in (3, 23, 43, 59):
            b = partner_like(1)
            b[at] = length
            add(b, LACPDU if at == 59 and length == 0 else MALFORMED)
        b = marker(False, 2, 3)
        b[3] = length
        add(b, MALFORMED)
        b = marker(True, 2, 3)
        b[19] = length
        add(b, MALFORMED if length else MARKER_RESP)
        # a version-2 extension TLV of this length
        b = partner_like(2) + bytearray(400)
        b[1], b[58], b[59] = 2, 9, length
        add(b[:PDU_LEN], MALFORMED)
        add(b[:58 + 255 + 2], LACPDU if length else MALFORMED)
        b[59] = 1
        add(b[:400], MALFORMED)
        b[58], b[59] = 1, 20
        add(b[:400], MALFORMED)
    # versions 0 and 0xff
    for port in range(1, 5):
        b = partner_like(port)
        b[1] = 0
        add(b, MALFORMED)
        b[1] = 0xff
        add(b, LACPDU)
        b = marker(False, 9, port)
        b[1] = 0
        add(b, MALFORMED)
        b[1] = 0xff
        add(b, MARKER)
    # our own system looped back
    for port in range(1, 5):
        me = info(65535, own, 0, 255, port, 0x3f)
        add(lacpdu(me, me), LACPDU)
    # all-zero IDs with every state bit set
    z = info(0, bytes(6), 0, 0, 0, 0xff)
    for _ in range(4):
        add(lacpdu(z, z), LACPDU)
    # malformed Marker PDUs: every TLV type, bad terminator, LACP-sized TLV
    for t in range(256):
        b = marker(False, 3, t)
        b[2] = t
        add(b, MARKER if t == 1 else MARKER_RESP if t == 2 else MALFORMED)
    b = marker(False, 3, 1)
    b[18] = 1
    add(b, MALFORMED)
    b = marker(False, 3, 1)
    b[3] = 20
    add(b, MALFORMED)
    # unsolicited Marker Responses, and Marker Information
    for i in range(40):
        add(marker(True, i, i * 77), MARKER_RESP)
        add(marker(False, i, ~i), MARKER)
    # unknown subtypes, short and long
    for st in (0, 3, 4, 5, 6, 7, 8, 9, 10, 0x80, 0xff):
        b = partner_like(1)
        b[0] = st
        add(b[:1], UNKNOWN)
        add(b, UNKNOWN)
        add(b + bytes(1400 - PDU_LEN), UNKNOWN)
    # oversized frames: valid PDUs with padding, up to the MTU
    for size in sorted({1500, max_len}):
        add(partner_like(3) + bytes([0xa5]) * (size - PDU_LEN), LACPDU)
        add(marker(False, 5, size) + bytes([0xa5]) * (size - PDU_LEN), MARKER)

    # random and mutated, from a fixed seed
    rnd = random.Random(seed)
    for _ in range(nrandom):
        kind = rnd.randrange(6)
        if kind == 0:
            b = bytearray(rnd.randbytes(rnd.randrange(300)))
            if b and rnd.random() < 0.5:
                b[0] = rnd.choice((1, 2))
        elif kind == 1:
            b = partner_like(rnd.randrange(1, 5))
            for _ in range(rnd.randrange(1, 5)):
                b[rnd.randrange(64)] ^= 1 << rnd.randrange(8)
        elif kind == 2:
            b = lacpdu(bytearray(rnd.randbytes(15)) + bytes(3),
                       bytearray(rnd.randbytes(15)) + bytes(3))
        elif kind == 3:
            b = marker(rnd.random() < 0.5, rnd.randrange(65536),
                       rnd.getrandbits(32))
            if rnd.random() < 0.5:
                b[rnd.randrange(24)] = rnd.randrange(256)
        elif kind == 4:
            b = partner_like(rnd.randrange(1, 5))
            b = b[:rnd.randrange(PDU_LEN + 200)]
        else:
            b = partner_like(rnd.randrange(1, 5)) + bytearray(300)
            b[1] = rnd.randrange(2, 256)
            off = 58
            while off + 2 < len(b) and rnd.random() < 0.75:
                tl = rnd.randrange(256) if rnd.random() < 0.5 else rnd.randrange(2, 32)
                b[off], b[off + 1] = rnd.randrange(4, 256), tl
                if not tl:
                    break
                off += tl
            b = b[:PDU_LEN + rnd.randrange(300)]
        add(b)
    return out


def frames_for(args):
    own = bytes.fromhex(args.own.replace(":", ""))
    return corpus(own, args.seed, args.random, args.max_len)


def send(args):
    items = frames_for(args)
    socks, counts = [], {}
    for iface in args.ifaces:
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                          socket.htons(ETH_P_SLOW))
        s.bind((iface, 0))
        socks.append((iface, s, s.getsockname()[4]))
        counts[iface] = {c: 0 for c in (MALFORMED, UNKNOWN, LACPDU, MARKER,
                                        MARKER_RESP)}
        counts[iface]["sent"] = 0
    for n, (pdu, cls) in enumerate(items):
        iface, s, src = socks[n % len(socks)]
        frame = SLOW_MCAST + src + struct.pack("!H", ETH_P_SLOW) + pdu
        for attempt in range(50):
            try:
                s.send(frame)
                break
            except OSError as e:     # ENOBUFS under load: retry
                if attempt == 49:
                    print(f"{iface}: frame {n}: {e}", file=sys.stderr)
                    return 1
                time.sleep(0.01)
        counts[iface][cls] += 1
        counts[iface]["sent"] += 1
        # pace, so that no backlog queue overflows under traffic
        if n % args.burst == args.burst - 1:
            time.sleep(args.pause)
    print(json.dumps(counts))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cmd", choices=("send", "list"))
    ap.add_argument("ifaces", nargs="*")
    ap.add_argument("--own", required=True, help="the LAG's system MAC")
    ap.add_argument("--seed", type=int, default=0x1AC9F022)
    ap.add_argument("--random", type=int, default=2000)
    ap.add_argument("--max-len", type=int, default=1500,
                    help="largest PDU (MTU of the links)")
    ap.add_argument("--burst", type=int, default=16)
    ap.add_argument("--pause", type=float, default=0.005)
    args = ap.parse_intermixed_args()
    if args.cmd == "list":
        for pdu, cls in frames_for(args):
            print(cls, len(pdu), pdu[:24].hex())
        return 0
    if not args.ifaces:
        ap.error("send needs at least one interface")
    return send(args)


if __name__ == "__main__":
    sys.exit(main())
