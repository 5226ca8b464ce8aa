// SPDX-License-Identifier: GPL-2.0
/*
 * lag: sysfs view and configuration, /sys/class/net/<lag>/lag/ and
 * /sys/class/net/<member>/lag_port/: a file per row of the option tables
 * (lag_options.c), and the LAG's "ports".
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
#include "lag_options.h"

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

/*
 * The option files are made from the option tables at module init (see
 * lag_sysfs_init()) and never change after it.
 */
struct lag_sysfs_attr {
	struct device_attribute attr;
	const struct lag_opt_table *table;
	const struct lag_opt *opt;
};

static const struct lag_sysfs_attr *lag_sysfs_file(struct device_attribute *attr)
{
	return container_of(attr, struct lag_sysfs_attr, attr);
}

/*
 * A refusal's message in the kernel log, which sysfs has instead of an
 * extack; lag's own messages start with the LAG's name, which netdev_info()
 * prints already.
 */
static void lag_sysfs_log(struct net_device *dev, const char *msg)
{
	size_t n = strlen(dev->name);

	if (!strncmp(msg, dev->name, n) && !strncmp(msg + n, ": ", 2))
		msg += n + 2;
	if (net_ratelimit())
		netdev_info(dev, "%s\n", msg);
}

/* A refused value: the errno, and the row's words in the kernel log. */
static int lag_sysfs_refuse(struct net_device *dev, const struct lag_opt *o,
			    int err)
{
	if (net_ratelimit())
		netdev_info(dev, "%s\n", o->err);
	return err;
}

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
		err = lag_port_may_move(lag, pd, &extack);
		if (!err)
			err = lag_del_port(master, pd);
	}
	if (!err)
		err = lag_add_port(dev, pd, &extack);
out:
	if (err && extack._msg)
		lag_sysfs_log(dev, extack._msg);
	rtnl_unlock();
	return err ? err : count;
}
static DEVICE_ATTR_RW(ports);

static struct lag_sysfs_attr lag_opt_attrs[LAG_OPT_ROWS_MAX] __ro_after_init;
/* the options, "ports", NULL */
static struct attribute *lag_sysfs_attrs[LAG_OPT_ROWS_MAX + 2] __ro_after_init;

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

/* The LAG and, for a member's file, the member that file @f is about. */
static struct lag *lag_sysfs_target(struct device *d,
				    const struct lag_sysfs_attr *f,
				    struct lag_port **port)
{
	if (f->table == &lag_port_opts) {
		*port = lag_port_from_device(d);
		return (*port)->lag;
	}
	*port = NULL;
	return lag_from_device(d);
}

/* Any option file, of a LAG or of a member: its row's value. */
static ssize_t lag_opt_attr_show(struct device *d,
				 struct device_attribute *attr, char *buf)
{
	const struct lag_sysfs_attr *f = lag_sysfs_file(attr);
	struct lag_port *port;
	struct lag *lag = lag_sysfs_target(d, f, &port);
	union lag_opt_val v;

	lag_lock(lag);
	f->table->get(lag, port, f->opt, &v);
	lag_unlock(lag);
	return lag_opt_show(f->opt, &v, buf);
}

/* Any settable option file: the table's check, then its setter, as netlink. */
static ssize_t lag_opt_attr_store(struct device *d,
				  struct device_attribute *attr,
				  const char *buf, size_t count)
{
	const struct lag_sysfs_attr *f = lag_sysfs_file(attr);
	struct netlink_ext_ack extack = {};
	struct lag_port *port;
	union lag_opt_val v;
	struct lag *lag;
	int err;

	if (!ns_capable(dev_net(to_net_dev(d))->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	err = lag_opt_parse(f->opt, buf, &v);
	if (err)
		return lag_sysfs_refuse(to_net_dev(d), f->opt, err);
	if (!rtnl_trylock())
		return restart_syscall();
	lag = lag_sysfs_target(d, f, &port);
	err = f->table->set(lag, port, f->opt, &v, &extack);
	rtnl_unlock();
	/* sysfs has no extack: the refusal goes to the kernel log. */
	if (err) {
		lag_sysfs_log(to_net_dev(d), extack._msg ?: f->opt->err);
		return err;
	}
	return count;
}

static struct lag_sysfs_attr lag_port_opt_attrs[LAG_OPT_ROWS_MAX] __ro_after_init;
static struct attribute *lag_port_attrs[LAG_OPT_ROWS_MAX + 1] __ro_after_init;

static const struct attribute_group lag_port_group = {
	.name = "lag_port",
	.attrs = lag_port_attrs,
};

/* One file per row of @t, into @files and @list (NULL-terminated after). */
static unsigned int lag_sysfs_make(const struct lag_opt_table *t,
				   struct lag_sysfs_attr *files,
				   struct attribute **list)
{
	unsigned int i;

	for (i = 0; i < t->n; i++) {
		struct lag_sysfs_attr *f = &files[i];

		f->table = t;
		f->opt = &t->opts[i];
		sysfs_attr_init(&f->attr.attr);
		f->attr.attr.name = f->opt->name;
		f->attr.attr.mode = f->opt->rw ? 0644 : 0444;
		f->attr.show = lag_opt_attr_show;
		f->attr.store = f->opt->rw ? lag_opt_attr_store : NULL;
		list[i] = &f->attr.attr;
	}
	return i;
}

/**
 * lag_sysfs_init - make the sysfs files of LAGs and members from the tables
 *
 * Call once from module init, before any LAG is registered.
 */
void lag_sysfs_init(void)
{
	unsigned int n;

	n = lag_sysfs_make(&lag_lag_opts, lag_opt_attrs, lag_sysfs_attrs);
	lag_sysfs_attrs[n] = &dev_attr_ports.attr;
	lag_sysfs_make(&lag_port_opts, lag_port_opt_attrs, lag_port_attrs);
}

/**
 * lag_sysfs_port_add - create /sys/class/net/<member>/lag_port/
 * @port: the new member, its rx handler registered
 *
 * Return: 0 or the sysfs error, which makes the enslave fail (undone).
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
