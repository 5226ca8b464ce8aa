#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send or count UDP flows for the lag selftests.

  udp_flows.py recv ADDR PORT EXPECTED TIMEOUT  -> prints datagrams received
  udp_flows.py send ADDR PORT FLOWS PER_FLOW    -> FLOWS source ports, PER_FLOW each
"""
import socket
import sys
import time


def recv(addr, port, expected, timeout):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    # SO_RCVBUFFORCE (33; Python does not name it): root may exceed rmem_max.
    s.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_RCVBUFFORCE", 33), 4 << 20)
    s.bind((addr, port))
    s.settimeout(0.5)
    got = 0
    deadline = time.monotonic() + timeout
    print("ready", flush=True)
    while got < expected and time.monotonic() < deadline:
        try:
            s.recv(2048)
            got += 1
        except socket.timeout:
            pass
    print(got, flush=True)


def send(addr, port, flows, per_flow):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    socks = []
    for i in range(flows):
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.bind(("", 20000 + i))
        socks.append(s)
    # Paced, so that a slow receiver's socket buffer is not what drops them.
    for _ in range(per_flow):
        for i, s in enumerate(socks):
            try:
                s.sendto(b"x" * 64, (addr, port))
            except OSError:
                # The route may go away under us (rmmod under traffic).
                pass
            if i % 16 == 15:
                time.sleep(0.005)


if __name__ == "__main__":
    if sys.argv[1] == "recv":
        recv(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]))
    else:
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
