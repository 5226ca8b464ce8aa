#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A scripted LACP partner on one link, for the lag selftests.

  lacp_partner.py IFACE SECS STATE [PORT]
      for SECS seconds, answer as partner port PORT (default 1) of system
      02:00:00:00:00:99, key 77, with actor state STATE (hex: e.g. 39 for
      an Individual port in sync, collecting and distributing: Aggregation
      clear): one LACPDU a second and one at once whenever the other end's
      information changes; its view of the other end is the last actor
      information heard. Prints, as JSON, how many LACPDUs it sent and got.
"""
import json
import os
import select
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdu_corpus import ETH_P_SLOW, SLOW_MCAST, PARTNER_SYS, info, lacpdu  # noqa: E402


def main():
    iface, secs, state = sys.argv[1], float(sys.argv[2]), int(sys.argv[3], 16)
    port = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_SLOW))
    s.bind((iface, ETH_P_SLOW))
    own = s.getsockname()[4]
    hdr = SLOW_MCAST + own + ETH_P_SLOW.to_bytes(2, "big")
    actor = info(100, PARTNER_SYS, 77, 1, port, state)
    view = bytes(18)
    sent = got = 0
    end = time.monotonic() + secs
    due = 0.0
    while True:
        now = time.monotonic()
        if now >= end:
            break
        if now >= due:
            s.send(hdr + lacpdu(actor, view))
            sent += 1
            due = now + 1.0
        r, _, _ = select.select([s], [], [], min(due, end) - now)
        if not r:
            continue
        frame = s.recv(2048)
        pdu = frame[14:]
        if len(pdu) < 22 or pdu[0] != 1 or pdu[2] != 1 or pdu[3] != 20:
            continue
        got += 1
        new = bytes(pdu[4:22])
        if new != view:
            view = new
            due = 0.0
    print(json.dumps({"sent": sent, "got": got}))


if __name__ == "__main__":
    main()
