// SPDX-License-Identifier: GPL-2.0
/*
 * lag: sysfs view and configuration, /sys/class/net/<lag>/lag/.
 *
 * Writes need CAP_NET_ADMIN over the LAG's network namespace and take RTNL
 * with rtnl_trylock(), restarting the system call when it is contended:
 * unregistering a LAG holds RTNL while it waits for these files' active
 * readers and writers to finish, so blocking on RTNL here could deadlock.
 */

#include <linux/capability.h>
#include <linux/device.h>
#include <linux/etherdevice.h>
#include <linux/kstrtox.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "lag.h"

static struct lag *lag_from_device(struct device *d)
{
	return netdev_priv(to_net_dev(d));
}

/* Common prologue of every write: privilege, then RTNL. */
static int lag_sysfs_begin_write(struct device *d)
{
	struct net_device *dev = to_net_dev(d);

	if (!ns_capable(dev_net(dev)->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	if (!rtnl_trylock())
		return restart_syscall();
	return 0;
}

static ssize_t min_links_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(lag_from_device(d)->min_links));
}

static ssize_t min_links_store(struct device *d, struct device_attribute *attr,
			       const char *buf, size_t count)
{
	u8 val;
	int err;

	err = kstrtou8(buf, 10, &val);
	if (err || val > LAG_MAX_PORTS)
		return -EINVAL;
	err = lag_sysfs_begin_write(d);
	if (err)
		return err;
	lag_set_min_links(lag_from_device(d), val);
	rtnl_unlock();
	return count;
}
static DEVICE_ATTR_RW(min_links);

static ssize_t xmit_hash_policy_show(struct device *d,
				     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  lag_hash_policy_name(READ_ONCE(lag_from_device(d)->hash_policy)));
}

static ssize_t xmit_hash_policy_store(struct device *d,
				      struct device_attribute *attr,
				      const char *buf, size_t count)
{
	int policy, err;

	policy = lag_hash_policy_parse(buf);
	if (policy < 0)
		return -EINVAL;
	err = lag_sysfs_begin_write(d);
	if (err)
		return err;
	lag_set_hash_policy(lag_from_device(d), policy);
	rtnl_unlock();
	return count;
}
static DEVICE_ATTR_RW(xmit_hash_policy);

static ssize_t active_ports_show(struct device *d,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", lag_active_ports(lag_from_device(d)));
}
static DEVICE_ATTR_RO(active_ports);

/* "on"/"off" (a trailing newline allowed), or -EINVAL. */
static int lag_parse_onoff(const char *buf)
{
	if (sysfs_streq(buf, "on"))
		return 1;
	if (sysfs_streq(buf, "off"))
		return 0;
	return -EINVAL;
}

/* Apply a boolean LACP option: privilege, RTNL, then the LACP lock. */
static ssize_t lag_store_lacp_bool(struct device *d, int val, size_t count,
				   void (*set)(struct lacp_group *g, bool val, u64 now))
{
	struct lag *lag = lag_from_device(d);
	int err;

	if (val < 0)
		return val;
	err = lag_sysfs_begin_write(d);
	if (err)
		return err;
	lag_lock(lag);
	set(&lag->lacp, val, lag_now());
	lag_unlock(lag);
	rtnl_unlock();
	return count;
}

static ssize_t lacp_rate_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  READ_ONCE(lag_from_device(d)->lacp.fast) ? "fast" : "slow");
}

static ssize_t lacp_rate_store(struct device *d, struct device_attribute *attr,
			       const char *buf, size_t count)
{
	int fast = sysfs_streq(buf, "fast") ? 1 : sysfs_streq(buf, "slow") ? 0 : -EINVAL;

	return lag_store_lacp_bool(d, fast, count, lacp_group_set_fast);
}
static DEVICE_ATTR_RW(lacp_rate);

static ssize_t lacp_active_show(struct device *d, struct device_attribute *attr,
				char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  READ_ONCE(lag_from_device(d)->lacp.active) ? "on" : "off");
}

static ssize_t lacp_active_store(struct device *d, struct device_attribute *attr,
				 const char *buf, size_t count)
{
	return lag_store_lacp_bool(d, lag_parse_onoff(buf), count,
				   lacp_group_set_active);
}
static DEVICE_ATTR_RW(lacp_active);

static ssize_t lacp_fallback_show(struct device *d,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  READ_ONCE(lag_from_device(d)->lacp.fallback) ? "on" : "off");
}

static ssize_t lacp_fallback_store(struct device *d,
				   struct device_attribute *attr,
				   const char *buf, size_t count)
{
	return lag_store_lacp_bool(d, lag_parse_onoff(buf), count,
				   lacp_group_set_fallback);
}
static DEVICE_ATTR_RW(lacp_fallback);

static ssize_t actor_sys_prio_show(struct device *d,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(lag_from_device(d)->lacp.sys_prio));
}

static ssize_t actor_sys_prio_store(struct device *d,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	struct lag *lag = lag_from_device(d);
	u16 prio;
	int err;

	if (kstrtou16(buf, 10, &prio) || !prio)
		return -EINVAL;
	err = lag_sysfs_begin_write(d);
	if (err)
		return err;
	lag_lock(lag);
	lacp_group_set_sys_prio(&lag->lacp, prio, lag_now());
	lag_unlock(lag);
	rtnl_unlock();
	return count;
}
static DEVICE_ATTR_RW(actor_sys_prio);

static ssize_t actor_system_show(struct device *d,
				 struct device_attribute *attr, char *buf)
{
	struct lag *lag = lag_from_device(d);
	u8 mac[ETH_ALEN];

	spin_lock_bh(&lag->lock);
	ether_addr_copy(mac, lag->actor_system);
	spin_unlock_bh(&lag->lock);
	return sysfs_emit(buf, "%pM\n", mac);
}

static ssize_t actor_system_store(struct device *d,
				  struct device_attribute *attr,
				  const char *buf, size_t count)
{
	struct lag *lag = lag_from_device(d);
	u8 mac[ETH_ALEN];
	int err;

	/* All-zero means the LAG's own address; a multicast ID is invalid. */
	if (!mac_pton(buf, mac) || is_multicast_ether_addr(mac))
		return -EINVAL;
	err = lag_sysfs_begin_write(d);
	if (err)
		return err;
	spin_lock_bh(&lag->lock);
	ether_addr_copy(lag->actor_system, mac);
	spin_unlock_bh(&lag->lock);
	lag_lacp_update_system(lag);
	rtnl_unlock();
	return count;
}
static DEVICE_ATTR_RW(actor_system);

static ssize_t ports_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	struct lag *lag = lag_from_device(d);
	struct lag_port *port;
	int len = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(port, &lag->ports, list)
		len += sysfs_emit_at(buf, len, "%s%s", len ? " " : "",
				     port->dev->name);
	rcu_read_unlock();
	return len + sysfs_emit_at(buf, len, "\n");
}

/*
 * "+DEV" associates DEV, "-DEV" disassociates it. A member of another LAG
 * moves: it is checked against this LAG's rules before it leaves the other.
 */
static ssize_t ports_store(struct device *d, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	struct net_device *dev = to_net_dev(d), *pd, *master;
	struct lag *lag = netdev_priv(dev);
	struct netlink_ext_ack extack = {};
	char name[IFNAMSIZ];
	int err;

	if ((buf[0] != '+' && buf[0] != '-') ||
	    sscanf(buf + 1, "%15s", name) != 1 || !dev_valid_name(name))
		return -EINVAL;
	err = lag_sysfs_begin_write(d);
	if (err)
		return err;

	pd = __dev_get_by_name(dev_net(dev), name);
	if (!pd) {
		err = -ENODEV;
		goto out;
	}
	master = netdev_master_upper_dev_get(pd);
	if (buf[0] == '-') {
		err = master == dev ? lag_del_port(dev, pd) : -ENOENT;
		goto out;
	}
	if (master == dev)
		goto out;
	if (master && lag_is_lag_dev(master)) {
		err = lag_admission_check(lag->nr_ports, lag->speed,
					  lag_port_speed(pd));
		if (!err)
			err = lag_del_port(master, pd);
	}
	if (!err)
		err = lag_add_port(dev, pd, &extack);
out:
	if (err && extack._msg)
		netdev_info(dev, "%s\n", extack._msg);
	rtnl_unlock();
	return err ? err : count;
}
static DEVICE_ATTR_RW(ports);

static struct attribute *lag_sysfs_attrs[] = {
	&dev_attr_ports.attr,
	&dev_attr_min_links.attr,
	&dev_attr_xmit_hash_policy.attr,
	&dev_attr_active_ports.attr,
	&dev_attr_lacp_rate.attr,
	&dev_attr_lacp_active.attr,
	&dev_attr_lacp_fallback.attr,
	&dev_attr_actor_sys_prio.attr,
	&dev_attr_actor_system.attr,
	NULL,
};

/* Registered with the LAG's net_device through dev->sysfs_groups[0]. */
const struct attribute_group lag_sysfs_group = {
	.name = "lag",
	.attrs = lag_sysfs_attrs,
};

/* ---- /sys/class/net/<member>/lag_port/ --------------------------------- */

/*
 * The group exists only while the device is a member: lag_sysfs_port_del()
 * removes it (waiting for active readers) before the port is freed, so the
 * rx_handler_data a reader finds is the port.
 */
static struct lag_port *lag_port_from_device(struct device *d)
{
	return rcu_dereference_protected(to_net_dev(d)->rx_handler_data, 1);
}

/* A consistent copy of a member's LACP state. */
static void lag_port_snapshot(struct device *d, struct lacp_port *lp)
{
	struct lag_port *port = lag_port_from_device(d);

	spin_lock_bh(&port->lag->lock);
	*lp = port->lacp;
	spin_unlock_bh(&port->lag->lock);
}

#define LAG_PORT_ATTR(_name, _fmt, _expr)					\
static ssize_t port_##_name##_show(struct device *d,				\
				   struct device_attribute *attr, char *buf)	\
{										\
	struct lacp_port lp;							\
										\
	lag_port_snapshot(d, &lp);						\
	return sysfs_emit(buf, _fmt "\n", _expr);				\
}										\
static struct device_attribute dev_attr_port_##_name =				\
	__ATTR(_name, 0444, port_##_name##_show, NULL)

/* The mux state, or "fallback" while the fallback rule makes it distribute. */
LAG_PORT_ATTR(state, "%s", lp.fallback ? "fallback" : lacp_mux_state_name(lp.mux_state));
LAG_PORT_ATTR(actor_state, "%02x", lp.actor.state);
LAG_PORT_ATTR(partner_state, "%02x", lp.partner.state);
LAG_PORT_ATTR(partner_system, "%pM", lp.partner.system);
LAG_PORT_ATTR(partner_key, "%u", lp.partner.key);
LAG_PORT_ATTR(partner_port, "%u", lp.partner.port);
LAG_PORT_ATTR(actor_key, "%u", lp.actor.key);
LAG_PORT_ATTR(port_number, "%u", lp.port_number);
LAG_PORT_ATTR(port_prio, "%u", lp.port_prio);
LAG_PORT_ATTR(aggregator_id, "%u", lp.agg_id);
LAG_PORT_ATTR(lacpdu_rx, "%llu", lp.stats.lacpdu_rx);
LAG_PORT_ATTR(lacpdu_tx, "%llu", lp.stats.lacpdu_tx);
LAG_PORT_ATTR(lacpdu_rx_errors, "%llu", lp.stats.lacpdu_rx_errors);
LAG_PORT_ATTR(marker_rx, "%llu", lp.stats.marker_rx);
LAG_PORT_ATTR(marker_tx, "%llu", lp.stats.marker_tx);
LAG_PORT_ATTR(marker_rx_dropped, "%llu", lp.stats.marker_rx_dropped);
LAG_PORT_ATTR(marker_resp_rx, "%llu", lp.stats.marker_resp_rx);
LAG_PORT_ATTR(unknown_rx, "%llu", lp.stats.unknown_rx);

static ssize_t port_reason_show(struct device *d, struct device_attribute *attr,
				char *buf)
{
	return sysfs_emit(buf, "%s\n", lag_port_reason(lag_port_from_device(d)));
}

static struct device_attribute dev_attr_port_reason =
	__ATTR(reason, 0444, port_reason_show, NULL);

static struct attribute *lag_port_attrs[] = {
	&dev_attr_port_state.attr,
	&dev_attr_port_actor_state.attr,
	&dev_attr_port_partner_state.attr,
	&dev_attr_port_partner_system.attr,
	&dev_attr_port_partner_key.attr,
	&dev_attr_port_partner_port.attr,
	&dev_attr_port_actor_key.attr,
	&dev_attr_port_port_number.attr,
	&dev_attr_port_port_prio.attr,
	&dev_attr_port_aggregator_id.attr,
	&dev_attr_port_reason.attr,
	&dev_attr_port_lacpdu_rx.attr,
	&dev_attr_port_lacpdu_tx.attr,
	&dev_attr_port_lacpdu_rx_errors.attr,
	&dev_attr_port_marker_rx.attr,
	&dev_attr_port_marker_tx.attr,
	&dev_attr_port_marker_rx_dropped.attr,
	&dev_attr_port_marker_resp_rx.attr,
	&dev_attr_port_unknown_rx.attr,
	NULL,
};

static const struct attribute_group lag_port_group = {
	.name = "lag_port",
	.attrs = lag_port_attrs,
};

/**
 * lag_sysfs_port_add - create /sys/class/net/<member>/lag_port/
 * @port: the new member, its rx handler registered
 *
 * Return: 0 or the sysfs error (the member works without the files).
 */
int lag_sysfs_port_add(struct lag_port *port)
{
	int err = sysfs_create_group(&port->dev->dev.kobj, &lag_port_group);

	if (err)
		netdev_warn(port->dev, "cannot create lag_port sysfs: %d\n", err);
	return err;
}

/**
 * lag_sysfs_port_del - remove /sys/class/net/<member>/lag_port/
 * @port: the member leaving
 *
 * Waits for active readers, so it runs before the port is freed.
 */
void lag_sysfs_port_del(struct lag_port *port)
{
	sysfs_remove_group(&port->dev->dev.kobj, &lag_port_group);
}
