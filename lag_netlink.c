// SPDX-License-Identifier: GPL-2.0
/*
 * lag: rtnetlink configuration of LAG devices (ip link ... type lag) and
 * the LACP state of their members (ip -d link show <member>).
 *
 * Everything here is made from the option tables (lag_options.c): the
 * policies, the checks, the attributes reported and their size. Every
 * request is checked in full, by the policies and the tables' checks,
 * before anything is applied; the setters cannot fail, so a refused request
 * changes nothing.
 */

#include <linux/build_bug.h>
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>
#include <kunit/visibility.h>

#include "lag.h"
#include "lag_netlink.h"
#include "lag_options.h"

/*
 * The policies are made from the option tables at module init and never
 * change after it: a settable option's type (its range is the table's to
 * check, in lag_nl_validate()), a read-only one rejected with its message.
 */
VISIBLE_IF_KUNIT struct nla_policy lag_nl_policy[IFLA_LAG_MAX + 1] __ro_after_init;
EXPORT_SYMBOL_IF_KUNIT(lag_nl_policy);
VISIBLE_IF_KUNIT struct nla_policy lag_port_nl_policy[IFLA_LAG_PORT_MAX + 1] __ro_after_init;
EXPORT_SYMBOL_IF_KUNIT(lag_port_nl_policy);

static void lag_nl_policy_init(const struct lag_opt_table *t,
			       struct nla_policy *pol)
{
	unsigned int i;

	for (i = 0; i < t->n; i++) {
		const struct lag_opt *o = &t->opts[i];
		struct nla_policy *p = &pol[o->attr];

		if (!o->rw) {
			p->type = NLA_REJECT;
			p->reject_message = o->ro_msg;
			continue;
		}
		switch (o->type) {
		case LAG_OPT_MAC:
			/* NLA_POLICY_ETH_ADDR: exactly ETH_ALEN bytes */
			p->type = NLA_BINARY;
			p->validation_type = NLA_VALIDATE_RANGE;
			p->min = ETH_ALEN;
			p->max = ETH_ALEN;
			break;
		case LAG_OPT_U16:
			p->type = NLA_U16;
			break;
		case LAG_OPT_U64:
			p->type = NLA_U64;
			break;
		default:
			p->type = NLA_U8;
			break;
		}
	}
	if (t->pad) {
		pol[t->pad].type = NLA_REJECT;
		pol[t->pad].reject_message = "pad is read-only";
	}
}

/* The value of @o's attribute @a, whose length the policy checked. */
static void lag_nl_value(const struct lag_opt *o, const struct nlattr *a,
			 union lag_opt_val *v)
{
	memset(v, 0, sizeof(*v));
	switch (o->type) {
	case LAG_OPT_MAC:
		nla_memcpy(v->mac, a, ETH_ALEN);
		break;
	case LAG_OPT_U16:
		v->num = nla_get_u16(a);
		break;
	case LAG_OPT_U64:
		v->num = nla_get_u64(a);
		break;
	default:
		v->num = nla_get_u8(a);
		break;
	}
}

/* Check every settable attribute of a request against its table row. */
static int lag_nl_check(const struct lag_opt_table *t,
			const struct nla_policy *pol, struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	union lag_opt_val v;
	unsigned int i;
	int err;

	if (!data)
		return 0;
	for (i = 0; i < t->n; i++) {
		const struct lag_opt *o = &t->opts[i];
		struct nlattr *a = data[o->attr];

		if (!a || !o->rw)
			continue;
		lag_nl_value(o, a, &v);
		err = lag_opt_check(o, &v);
		if (err) {
			/*
			 * NL_SET_ERR_MSG() wants a literal; the row's words
			 * are a static string all the same.
			 */
			if (extack)
				extack->_msg = o->err;
			NL_SET_BAD_ATTR_POLICY(extack, a, &pol[o->attr]);
			return err;
		}
	}
	return 0;
}

/*
 * Apply a request lag_nl_check() accepted, under RTNL. The rows that can
 * be refused first, the others after: a refusal then
 * leaves every option of the request as it was. A request holds at most
 * one such row today (xmit_hash_policy).
 */
static int lag_nl_apply(const struct lag_opt_table *t, struct lag *lag,
			struct lag_port *port, struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	union lag_opt_val v;
	unsigned int pass, i;
	int err;

	if (!data)
		return 0;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < t->n; i++) {
			const struct lag_opt *o = &t->opts[i];

			if (!data[o->attr] || !o->rw || o->may_fail != !pass)
				continue;
			lag_nl_value(o, data[o->attr], &v);
			err = t->set(lag, port, o, &v, extack);
			if (err)
				return err;
		}
	}
	return 0;
}

static size_t lag_nl_size(const struct lag_opt_table *t)
{
	size_t size = 0;
	unsigned int i;

	for (i = 0; i < t->n; i++) {
		unsigned int len = lag_opt_len(&t->opts[i]);

		size += t->opts[i].type == LAG_OPT_U64 ?
			nla_total_size_64bit(len) : nla_total_size(len);
	}
	return size;
}

/* Every row's value, read under one hold of the LACP lock, then put. */
static int lag_nl_fill(const struct lag_opt_table *t, struct sk_buff *skb,
		       struct lag *lag, const struct lag_port *port)
{
	union lag_opt_val v[LAG_OPT_ROWS_MAX];
	unsigned int i;
	int err = 0;

	lag_lock(lag);
	for (i = 0; i < t->n; i++)
		t->get(lag, port, &t->opts[i], &v[i]);
	lag_unlock(lag);

	for (i = 0; i < t->n && !err; i++) {
		const struct lag_opt *o = &t->opts[i];

		switch (o->type) {
		case LAG_OPT_MAC:
			err = nla_put(skb, o->attr, ETH_ALEN, v[i].mac);
			break;
		case LAG_OPT_U16:
			err = nla_put_u16(skb, o->attr, v[i].num);
			break;
		case LAG_OPT_U64:
			err = nla_put_u64_64bit(skb, o->attr, v[i].num, t->pad);
			break;
		default:
			err = nla_put_u8(skb, o->attr, v[i].num);
			break;
		}
	}
	return err ? -EMSGSIZE : 0;
}

/**
 * lag_nl_validate - the checks of a LAG request that the policy leaves to
 *	the option table: ranges, words and the address rule
 * @tb: the request's IFLA_* attributes
 * @data: its IFLA_LAG_* attributes, already checked against lag_nl_policy;
 *        NULL when it has none
 * @extack: where a refusal is explained, with the row's own words
 *
 * Return: 0, or lag_opt_check()'s error with @extack naming the attribute.
 */
VISIBLE_IF_KUNIT int lag_nl_validate(struct nlattr *tb[], struct nlattr *data[],
				     struct netlink_ext_ack *extack)
{
	return lag_nl_check(&lag_lag_opts, lag_nl_policy, data, extack);
}
EXPORT_SYMBOL_IF_KUNIT(lag_nl_validate);

/*
 * Options are applied before the device is registered (a LAG without
 * members refuses none): if registration fails, rtnetlink frees the
 * device and nothing of the request remains.
 */
static int lag_newlink(struct net *src_net, struct net_device *dev,
		       struct nlattr *tb[], struct nlattr *data[],
		       struct netlink_ext_ack *extack)
{
	int err = lag_nl_apply(&lag_lag_opts, netdev_priv(dev), NULL, data,
			       extack);

	return err ?: register_netdevice(dev);
}

static int lag_changelink(struct net_device *dev, struct nlattr *tb[],
			  struct nlattr *data[], struct netlink_ext_ack *extack)
{
	return lag_nl_apply(&lag_lag_opts, netdev_priv(dev), NULL, data,
			    extack);
}

static size_t lag_get_size(const struct net_device *dev)
{
	return lag_nl_size(&lag_lag_opts);
}

static int lag_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	return lag_nl_fill(&lag_lag_opts, skb, netdev_priv(dev), NULL);
}

/* ---- members ----------------------------------------------------------- */

/* The member behind a device whose master is one of our LAGs, or NULL. */
static struct lag_port *lag_nl_port(const struct net_device *slave_dev)
{
	if (!lag_is_port_dev(slave_dev))
		return NULL;
	return rcu_dereference_rtnl(slave_dev->rx_handler_data);
}

static size_t lag_get_slave_size(const struct net_device *dev,
				 const struct net_device *slave_dev)
{
	return lag_nl_size(&lag_port_opts);
}

static int lag_fill_slave_info(struct sk_buff *skb,
			       const struct net_device *dev,
			       const struct net_device *slave_dev)
{
	struct lag_port *port;
	int err = 0;

	/* RCU keeps the port, which is freed after a grace period. */
	rcu_read_lock();
	port = lag_nl_port(slave_dev);
	if (port && port->lag == netdev_priv(dev))
		err = lag_nl_fill(&lag_port_opts, skb, port->lag, port);
	rcu_read_unlock();
	return err;
}

static int lag_slave_changelink(struct net_device *dev,
				struct net_device *slave_dev,
				struct nlattr *tb[], struct nlattr *data[],
				struct netlink_ext_ack *extack)
{
	struct lag *lag = netdev_priv(dev);
	struct lag_port *port;
	int err;

	ASSERT_RTNL();
	port = lag_nl_port(slave_dev);
	if (!port || port->lag != lag) {
		NL_SET_ERR_MSG(extack, "not a member of this LAG");
		return -EINVAL;
	}
	err = lag_nl_check(&lag_port_opts, lag_port_nl_policy, data, extack);
	if (!err)
		err = lag_nl_apply(&lag_port_opts, lag, port, data, extack);
	return err;
}

struct rtnl_link_ops lag_link_ops __read_mostly = {
	.kind			= LAG_DRV_NAME,
	.priv_size		= sizeof(struct lag),
	.setup			= lag_setup,
	.maxtype		= IFLA_LAG_MAX,
	.policy			= lag_nl_policy,
	.validate		= lag_nl_validate,
	.newlink		= lag_newlink,
	.changelink		= lag_changelink,
	.get_size		= lag_get_size,
	.fill_info		= lag_fill_info,
	.slave_maxtype		= IFLA_LAG_PORT_MAX,
	.slave_policy		= lag_port_nl_policy,
	.slave_changelink	= lag_slave_changelink,
	.get_slave_size		= lag_get_slave_size,
	.fill_slave_info	= lag_fill_slave_info,
};
EXPORT_SYMBOL_IF_KUNIT(lag_link_ops);

/**
 * lag_netlink_init - register the "lag" link kind
 *
 * Return: 0 or a negative errno from rtnl_link_register().
 */
int lag_netlink_init(void)
{
	lag_nl_policy_init(&lag_lag_opts, lag_nl_policy);
	lag_nl_policy_init(&lag_port_opts, lag_port_nl_policy);
	return rtnl_link_register(&lag_link_ops);
}

/**
 * lag_netlink_fini - unregister the "lag" link kind
 *
 * Deletes every LAG device in every network namespace.
 */
void lag_netlink_fini(void)
{
	rtnl_link_unregister(&lag_link_ops);
}
