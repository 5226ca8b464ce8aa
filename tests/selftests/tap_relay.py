#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A wire between tap devices in two network namespaces.

Usage: tap_relay.py NETNS NEAR:FAR [NEAR:FAR ...]

For each pair, NEAR is a tap device in the relay's own network namespace
and FAR one in NETNS (a name under /run/netns, or a path such as
/proc/PID/ns/net). Both must exist already (ip tuntap add ... mode tap);
the relay attaches to them (IFF_TAP | IFF_NO_PI), which gives them carrier,
and copies every frame one writes to the other, both ways. Unlike veth, a
tap does not set IFF_DISABLE_NETPOLL: this is a link netpoll can use.

Prints "ready ..." once every tap is attached. On SIGTERM or SIGINT it
prints, for each direction, the frames copied and those the far tap
refused, and exits 0.
"""

import ctypes
import errno
import fcntl
import os
import select
import signal
import socket
import struct
import sys

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
CLONE_NEWNET = 0x40000000


def setns(path):
    """Move this process into the network namespace at PATH."""
    fd = os.open(path, os.O_RDONLY)
    try:
        if hasattr(os, "setns"):  # Python 3.12 and later
            os.setns(fd, CLONE_NEWNET)
            return
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, "setns %s: %s" % (path, os.strerror(err)))
    finally:
        os.close(fd)


def attach(name):
    """An fd on the existing tap NAME in the current namespace."""
    try:
        socket.if_nametoindex(name)
    except OSError:
        raise SystemExit("tap_relay: no device %s here" % name)
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    ifr = struct.pack("16sH22x", name.encode(), IFF_TAP | IFF_NO_PI)
    fcntl.ioctl(fd, TUNSETIFF, ifr)
    return fd


class Direction:
    """Frames read from one tap and written to the other."""

    def __init__(self, src, dst, src_fd, dst_fd):
        self.src, self.dst = src, dst
        self.src_fd, self.dst_fd = src_fd, dst_fd
        self.frames = 0
        self.refused = 0
        self.error = None

    def pump(self):
        """Copy what SRC has; False once SRC is gone."""
        while True:
            try:
                frame = os.read(self.src_fd, 65536)
            except BlockingIOError:
                return True
            except OSError as e:
                # EBADFD: the tap was deleted under us.
                self.error = "read: %s" % os.strerror(e.errno)
                return False
            try:
                os.write(self.dst_fd, frame)
                self.frames += 1
            except OSError as e:
                # EIO while the far tap is down, for instance.
                self.refused += 1
                if e.errno not in (errno.EIO, errno.EAGAIN, errno.EINVAL):
                    self.error = "write: %s" % os.strerror(e.errno)

    def report(self):
        line = "%s -> %s: %d frames" % (self.src, self.dst, self.frames)
        if self.refused:
            line += ", %d refused" % self.refused
        if self.error:
            line += " (%s)" % self.error
        return line


def main(argv):
    if len(argv) < 3 or any(":" not in p for p in argv[2:]):
        raise SystemExit(__doc__.split("\n\n")[1])
    netns = argv[1]
    if "/" not in netns:
        netns = "/run/netns/" + netns
    pairs = [p.split(":", 1) for p in argv[2:]]

    near = [attach(n) for n, _ in pairs]
    setns(netns)
    far = [attach(f) for _, f in pairs]

    dirs = {}
    for (n, f), nfd, ffd in zip(pairs, near, far):
        dirs[nfd] = Direction(n, f, nfd, ffd)
        dirs[ffd] = Direction(f, n, ffd, nfd)

    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)

    poller = select.poll()
    poller.register(wake_r, select.POLLIN)
    for fd in dirs:
        poller.register(fd, select.POLLIN)
    print("ready " + " ".join("%s:%s" % (n, f) for n, f in pairs),
          flush=True)

    gone = select.POLLERR | select.POLLHUP | select.POLLNVAL
    running = True
    while running:
        for fd, ev in poller.poll():
            if fd == wake_r:
                running = False
            elif not dirs[fd].pump() or ev & gone:
                poller.unregister(fd)

    for d in dirs.values():
        print(d.report(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
