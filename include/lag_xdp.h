/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lag: XDP on a LAG (lag_xdp.c). The LAG's native XDP program runs on every
 * member; a redirect into the LAG is hashed to a distributing member. The
 * program is the LAG's alone: &lag.xdp_prog, under RTNL (see struct lag).
 */
#ifndef _LAG_XDP_H
#define _LAG_XDP_H

#include <linux/types.h>

struct lag;
struct lag_port;
struct net_device;
struct netdev_bpf;
struct netlink_ext_ack;
struct xdp_buff;
struct xdp_frame;

/* Membership (RTNL): the LAG's program follows its members. */
int lag_xdp_can_join(const struct lag *lag, struct net_device *pd,
		     struct netlink_ext_ack *extack);
int lag_xdp_port_add(struct lag_port *port, struct netlink_ext_ack *extack);
void lag_xdp_port_del(struct lag_port *port);
void lag_xdp_update_features(struct lag *lag);

/* net_device_ops of the LAG. */
int lag_xdp_bpf(struct net_device *dev, struct netdev_bpf *bpf);
int lag_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		 u32 flags);
struct net_device *lag_xdp_get_xmit_slave(struct net_device *dev,
					  struct xdp_buff *xdp);

#endif /* _LAG_XDP_H */
