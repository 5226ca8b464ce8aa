#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Our ports as an LACP partner sees them, as JSON: {port: {"agg": ID,
"partner_state": N, "partner_system": MAC, "active": bool}}.

  partner_state.py bond BOND     parse /proc/net/bonding/BOND
  partner_state.py team TEAM     parse `teamdctl TEAM state dump`
"""
import json
import re
import subprocess
import sys


def bond(name):
    text = open(f"/proc/net/bonding/{name}", encoding="utf-8").read()
    m = re.search(r"Active Aggregator Info:\n\s+Aggregator ID: (\d+)", text)
    active = int(m.group(1)) if m else None
    out = {}
    for block in text.split("\nSlave Interface: ")[1:]:
        port = block.split("\n", 1)[0].strip()
        agg = re.search(r"^Aggregator ID: (\d+)", block, re.M)
        partner = block.split("details partner lacp pdu:", 1)
        info = {"agg": int(agg.group(1)) if agg else None}
        if len(partner) == 2:
            st = re.search(r"port state: (\d+)", partner[1])
            mac = re.search(r"system mac address: (\S+)", partner[1])
            prio = re.search(r"system priority: (\d+)", partner[1])
            info["partner_state"] = int(st.group(1))
            info["partner_system"] = mac.group(1)
            info["partner_sys_prio"] = int(prio.group(1))
        info["active"] = info["agg"] is not None and info["agg"] == active
        out[port] = info
    return out


def team(name):
    dump = json.loads(subprocess.run(["teamdctl", name, "state", "dump"],
                                     check=True, capture_output=True,
                                     text=True).stdout)
    out = {}
    for port, p in dump.get("ports", {}).items():
        r = p.get("runner", {})
        partner = r.get("partner_lacpdu_info", {})
        out[port] = {"agg": r.get("aggregator", {}).get("id"),
                     "partner_state": partner.get("state"),
                     "partner_system": partner.get("system"),
                     "active": bool(r.get("selected"))}
    return out


def main():
    ports = {"bond": bond, "team": team}[sys.argv[1]](sys.argv[2])
    for info in ports.values():
        # Our port, seen from the partner: in its active aggregator, and in
        # sync, collecting and distributing (state bits 0x38).
        info["ours_up"] = bool(info["active"] and
                               ((info.get("partner_state") or 0) & 0x38) == 0x38)
    print(json.dumps(ports))


if __name__ == "__main__":
    main()
