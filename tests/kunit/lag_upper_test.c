// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the upper info a LAG gives its members' drivers. A LAG and two
 * stand-in Ethernet devices are registered in init_net; a netdevice
 * notifier plays the offloading driver: it records the hash type of every
 * NETDEV_CHANGEUPPER that links a member to the LAG, and refuses one type
 * on one member at NETDEV_PRECHANGEUPPER, as mlxsw refuses hash types its
 * hardware cannot do. The members' room and features are what a LAG
 * must take on from them.
 */

#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>

#include "lag.h"
#include "lag_options.h"

#define LAG_UT_MEMBERS	2

/**
 * struct lag_ut - one case's devices and what the notifier saw
 * @nb: the notifier, playing the members' driver
 * @lag: the LAG device
 * @member: its members
 * @links: NETDEV_CHANGEUPPER events linking each member to @lag
 * @hash: the hash type of each member's last link
 * @refuse_dev: the member whose driver refuses @refuse_hash, or NULL
 * @refuse_hash: the type it refuses
 * @refuse_all: it refuses every link, without a message
 * @refuse_mask: per member, the hash types (bits) it refuses, without a
 *	message
 *
 * Locking: the notifier runs under RTNL, which each case holds while it
 * reads these.
 */
struct lag_ut {
	struct notifier_block nb;
	struct net_device *lag;
	struct net_device *member[LAG_UT_MEMBERS];
	unsigned int links[LAG_UT_MEMBERS];
	enum netdev_lag_hash hash[LAG_UT_MEMBERS];
	struct net_device *refuse_dev;
	enum netdev_lag_hash refuse_hash;
	bool refuse_all;
	u32 refuse_mask[LAG_UT_MEMBERS];
};

static int lag_ut_event(struct notifier_block *nb, unsigned long event,
			void *ptr)
{
	struct netdev_notifier_changeupper_info *info = ptr;
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct lag_ut *ut = container_of(nb, struct lag_ut, nb);
	struct netdev_lag_upper_info *up;
	unsigned int i;

	if (event != NETDEV_PRECHANGEUPPER && event != NETDEV_CHANGEUPPER)
		return NOTIFY_DONE;
	if (!ut->lag || info->upper_dev != ut->lag || !info->linking)
		return NOTIFY_DONE;
	up = info->upper_info;
	if (event == NETDEV_PRECHANGEUPPER) {
		if (dev == ut->refuse_dev && ut->refuse_all)
			return notifier_from_errno(-EOPNOTSUPP);
		for (i = 0; up && i < LAG_UT_MEMBERS; i++)
			if (dev == ut->member[i] &&
			    (ut->refuse_mask[i] & BIT(up->hash_type)))
				return notifier_from_errno(-EOPNOTSUPP);
		if (dev != ut->refuse_dev || !up || up->hash_type != ut->refuse_hash)
			return NOTIFY_DONE;
		NL_SET_ERR_MSG(info->info.extack, "kunit: hash type refused");
		return notifier_from_errno(-EOPNOTSUPP);
	}
	for (i = 0; i < LAG_UT_MEMBERS; i++) {
		if (ut->member[i] != dev)
			continue;
		ut->links[i]++;
		ut->hash[i] = up ? up->hash_type : NETDEV_LAG_HASH_NONE;
	}
	return NOTIFY_DONE;
}

static netdev_tx_t lag_ut_xmit(struct sk_buff *skb, struct net_device *dev)
{
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops lag_ut_member_ops = {
	.ndo_start_xmit		= lag_ut_xmit,
	.ndo_set_mac_address	= eth_mac_addr,
};

static void lag_ut_member_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &lag_ut_member_ops;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	dev->needs_free_netdev = true;
	eth_hw_addr_random(dev);
}

static int lag_ut_init(struct kunit *test)
{
	struct lag_ut *ut = kunit_kzalloc(test, sizeof(*ut), GFP_KERNEL);
	struct net_device *dev;
	unsigned int i;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, ut);
	test->priv = ut;
	ut->nb.notifier_call = lag_ut_event;
	KUNIT_ASSERT_EQ(test, register_netdevice_notifier(&ut->nb), 0);

	rtnl_lock();
	dev = alloc_netdev(lag_link_ops.priv_size, "lagut%d", NET_NAME_ENUM,
			   lag_link_ops.setup);
	if (dev) {
		dev->rtnl_link_ops = &lag_link_ops;
		err = register_netdevice(dev);
		if (err)
			free_netdev(dev);
		else
			ut->lag = dev;
	}
	for (i = 0; ut->lag && i < LAG_UT_MEMBERS; i++) {
		dev = alloc_netdev(0, "lagutm%d", NET_NAME_ENUM,
				   lag_ut_member_setup);
		if (!dev)
			break;
		/* Room for a tunnel header on one, a trailer on the other. */
		dev->needed_headroom = i ? 64 : 32;
		dev->needed_tailroom = i ? 24 : 8;
		dev->mpls_features = NETIF_F_SG | NETIF_F_HW_CSUM;
		dev->gso_partial_features = NETIF_F_GSO_ESP;
		err = register_netdevice(dev);
		if (err) {
			free_netdev(dev);
			break;
		}
		ut->member[i] = dev;
		err = ut->lag->netdev_ops->ndo_add_slave(ut->lag, dev, NULL);
		KUNIT_EXPECT_EQ(test, err, 0);
	}
	rtnl_unlock();
	KUNIT_ASSERT_NOT_NULL(test, ut->lag);
	KUNIT_ASSERT_NOT_NULL(test, ut->member[LAG_UT_MEMBERS - 1]);
	return 0;
}

static void lag_ut_exit(struct kunit *test)
{
	struct lag_ut *ut = test->priv;
	unsigned int i;

	if (!ut)
		return;
	/* The notifier first: it reads ut->lag, about to go. */
	unregister_netdevice_notifier(&ut->nb);
	rtnl_lock();
	if (ut->lag)
		unregister_netdevice(ut->lag);	/* releases the members */
	for (i = 0; i < LAG_UT_MEMBERS; i++)
		if (ut->member[i])
			unregister_netdevice(ut->member[i]);
	rtnl_unlock();
}

static const struct lag_opt *lag_ut_opt(struct kunit *test, u16 attr)
{
	unsigned int i;

	for (i = 0; i < lag_lag_opts.n; i++)
		if (lag_lag_opts.opts[i].attr == attr)
			return &lag_lag_opts.opts[i];
	KUNIT_FAIL(test, "no option with attribute %u", attr);
	return NULL;
}

/* The table's setter, as netlink and sysfs call it. RTNL held. */
static int lag_ut_set_policy(struct kunit *test, struct lag_ut *ut,
			     enum lag_xmit_hash_policy policy,
			     struct netlink_ext_ack *extack)
{
	const struct lag_opt *o = lag_ut_opt(test, IFLA_LAG_XMIT_HASH_POLICY);
	union lag_opt_val v = { .num = policy };

	if (!o)
		return -ENOENT;
	return lag_lag_opts.set(netdev_priv(ut->lag), NULL, o, &v, extack);
}

static void lag_ut_expect_linked(struct kunit *test, struct lag_ut *ut,
				 enum netdev_lag_hash hash)
{
	unsigned int i;

	for (i = 0; i < LAG_UT_MEMBERS; i++) {
		KUNIT_EXPECT_EQ_MSG(test, ut->hash[i], hash, "member %u", i);
		KUNIT_EXPECT_PTR_EQ_MSG(test,
					netdev_master_upper_dev_get(ut->member[i]),
					ut->lag, "member %u", i);
		KUNIT_EXPECT_TRUE_MSG(test, lag_is_port_dev(ut->member[i]),
				      "member %u", i);
	}
}

/* A new policy reaches every member's driver, and only a new one. */
static void lag_upper_hash_follows_test(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct lag_ut *ut = test->priv;
	struct lag *lag = netdev_priv(ut->lag);

	rtnl_lock();
	lag_ut_expect_linked(test, ut, NETDEV_LAG_HASH_L2);
	KUNIT_EXPECT_EQ(test, ut->links[0], 1U);

	KUNIT_EXPECT_EQ(test, lag_ut_set_policy(test, ut, LAG_XMIT_POLICY_LAYER34,
						&extack), 0);
	KUNIT_EXPECT_EQ(test, lag->hash_policy, LAG_XMIT_POLICY_LAYER34);
	lag_ut_expect_linked(test, ut, NETDEV_LAG_HASH_L34);
	KUNIT_EXPECT_EQ(test, ut->links[0], 2U);
	KUNIT_EXPECT_EQ(test, ut->links[1], 2U);

	/* The same type again: the drivers are not bothered. */
	KUNIT_EXPECT_EQ(test, lag_ut_set_policy(test, ut, LAG_XMIT_POLICY_LAYER34,
						&extack), 0);
	KUNIT_EXPECT_EQ(test, ut->links[0], 2U);

	KUNIT_EXPECT_EQ(test, lag_ut_set_policy(test, ut, LAG_XMIT_POLICY_ENCAP23,
						&extack), 0);
	lag_ut_expect_linked(test, ut, NETDEV_LAG_HASH_E23);
	KUNIT_EXPECT_EQ(test, lag->nr_ports, 2U);
	rtnl_unlock();
}

/*
 * The second member's driver refuses encap2+3: the first, relinked with
 * it already, is linked back with the old type, the policy stays, and
 * the driver's words reach the caller.
 */
static void lag_upper_hash_refused_test(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct lag_ut *ut = test->priv;
	struct lag *lag = netdev_priv(ut->lag);

	rtnl_lock();
	KUNIT_EXPECT_EQ(test, lag_ut_set_policy(test, ut, LAG_XMIT_POLICY_LAYER23,
						&extack), 0);
	ut->refuse_dev = ut->member[1];
	ut->refuse_hash = NETDEV_LAG_HASH_E23;
	KUNIT_EXPECT_EQ(test, lag_ut_set_policy(test, ut, LAG_XMIT_POLICY_ENCAP23,
						&extack), -EOPNOTSUPP);
	KUNIT_EXPECT_STREQ(test, extack._msg ?: "(none)", "kunit: hash type refused");
	KUNIT_EXPECT_EQ(test, lag->hash_policy, LAG_XMIT_POLICY_LAYER23);
	lag_ut_expect_linked(test, ut, NETDEV_LAG_HASH_L23);
	/* Added, layer2+3, encap2+3, back; added, layer2+3, back. */
	KUNIT_EXPECT_EQ(test, ut->links[0], 4U);
	KUNIT_EXPECT_EQ(test, ut->links[1], 3U);
	KUNIT_EXPECT_EQ(test, lag->nr_ports, 2U);

	/* Refused by a member: the new policy works once it is gone. */
	KUNIT_EXPECT_EQ(test, ut->lag->netdev_ops->ndo_del_slave(ut->lag,
								 ut->member[1]), 0);
	KUNIT_EXPECT_EQ(test, lag_ut_set_policy(test, ut, LAG_XMIT_POLICY_ENCAP23,
						&extack), 0);
	KUNIT_EXPECT_EQ(test, ut->hash[0], NETDEV_LAG_HASH_E23);
	rtnl_unlock();
}

/*
 * The second member's driver refuses the new type, without a word, and
 * then its old link too: it is released, the first member is linked back
 * with the old type, and the message is lag's own.
 */
static void lag_upper_hash_link_back_test(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct lag_ut *ut = test->priv;
	struct lag *lag = netdev_priv(ut->lag);
	char msg[NETLINK_MAX_FMTMSG_LEN];

	snprintf(msg, sizeof(msg), "%s: %s refused the new hash type: -EOPNOTSUPP",
		 ut->lag->name, ut->member[1]->name);
	ut->refuse_dev = ut->member[1];
	ut->refuse_all = true;

	rtnl_lock();
	KUNIT_EXPECT_EQ(test, lag_ut_set_policy(test, ut, LAG_XMIT_POLICY_ENCAP23,
						&extack), -EOPNOTSUPP);
	KUNIT_EXPECT_STREQ(test, extack._msg ?: "(none)", msg);
	KUNIT_EXPECT_EQ(test, lag->hash_policy, LAG_XMIT_POLICY_LAYER2);
	KUNIT_EXPECT_EQ(test, lag->nr_ports, 1U);
	KUNIT_EXPECT_EQ(test, ut->hash[0], NETDEV_LAG_HASH_L2);
	KUNIT_EXPECT_PTR_EQ(test, netdev_master_upper_dev_get(ut->member[0]),
			    ut->lag);
	KUNIT_EXPECT_NULL(test, netdev_master_upper_dev_get(ut->member[1]));
	KUNIT_EXPECT_FALSE(test, lag_is_port_dev(ut->member[1]));
	/* The features are the first member's alone, its room included. */
	KUNIT_EXPECT_EQ(test, ut->lag->needed_headroom, 32);
	rtnl_unlock();
}

/*
 * The first member takes the new type and the second refuses it; then the
 * first refuses its old type back. It is released once the second is
 * linked back, so the LAG's room is the second's, not that of a LAG
 * without members.
 */
static void lag_upper_hash_orphan_test(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct lag_ut *ut = test->priv;
	struct lag *lag = netdev_priv(ut->lag);

	ut->refuse_mask[0] = BIT(NETDEV_LAG_HASH_L2);
	ut->refuse_mask[1] = BIT(NETDEV_LAG_HASH_E23);

	rtnl_lock();
	KUNIT_EXPECT_EQ(test, lag_ut_set_policy(test, ut, LAG_XMIT_POLICY_ENCAP23,
						&extack), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, lag->hash_policy, LAG_XMIT_POLICY_LAYER2);
	KUNIT_EXPECT_EQ(test, lag->nr_ports, 1U);
	KUNIT_EXPECT_NULL(test, netdev_master_upper_dev_get(ut->member[0]));
	KUNIT_EXPECT_PTR_EQ(test, netdev_master_upper_dev_get(ut->member[1]),
			    ut->lag);
	KUNIT_EXPECT_EQ(test, ut->hash[1], NETDEV_LAG_HASH_L2);
	KUNIT_EXPECT_EQ(test, ut->lag->needed_headroom, 64);
	KUNIT_EXPECT_EQ(test, ut->lag->needed_tailroom, 24);
	rtnl_unlock();
}

/*
 * A netlink request that also sets min_links: the refused policy is
 * applied first, so min_links stays too.
 */
static void lag_upper_hash_request_test(struct kunit *test)
{
	struct {
		struct nlattr hdr;
		u8 val;
		u8 pad[3];
	} attrs[2] = {
		{ { NLA_HDRLEN + 1, IFLA_LAG_MIN_LINKS }, 2 },
		{ { NLA_HDRLEN + 1, IFLA_LAG_XMIT_HASH_POLICY },
		  LAG_XMIT_POLICY_ENCAP34 },
	};
	struct nlattr *data[IFLA_LAG_MAX + 1] = {};
	struct netlink_ext_ack extack = {};
	struct lag_ut *ut = test->priv;
	struct lag *lag = netdev_priv(ut->lag);
	int err;

	data[IFLA_LAG_MIN_LINKS] = &attrs[0].hdr;
	data[IFLA_LAG_XMIT_HASH_POLICY] = &attrs[1].hdr;
	ut->refuse_dev = ut->member[0];
	ut->refuse_hash = NETDEV_LAG_HASH_E34;

	rtnl_lock();
	err = lag_link_ops.changelink(ut->lag, NULL, data, &extack);
	KUNIT_EXPECT_EQ(test, err, -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, lag->min_links, 0);
	KUNIT_EXPECT_EQ(test, lag->hash_policy, LAG_XMIT_POLICY_LAYER2);
	lag_ut_expect_linked(test, ut, NETDEV_LAG_HASH_L2);

	ut->refuse_dev = NULL;
	err = lag_link_ops.changelink(ut->lag, NULL, data, &extack);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, lag->min_links, 2);
	lag_ut_expect_linked(test, ut, NETDEV_LAG_HASH_E34);
	rtnl_unlock();
}

/*
 * What the LAG offers follows its members: the most room any member
 * needs, the features all of them have, and the dst released when every
 * member releases it.
 */
static void lag_upper_features_test(struct kunit *test)
{
	struct lag_ut *ut = test->priv;
	struct net_device *dev = ut->lag;

	rtnl_lock();
	KUNIT_EXPECT_EQ(test, dev->needed_headroom, 64);
	KUNIT_EXPECT_EQ(test, dev->needed_tailroom, 24);
	KUNIT_EXPECT_TRUE(test, dev->mpls_features & NETIF_F_HW_CSUM);
	KUNIT_EXPECT_TRUE(test, dev->gso_partial_features & NETIF_F_GSO_ESP);
	KUNIT_EXPECT_TRUE(test, dev->priv_flags & IFF_XMIT_DST_RELEASE);

	/* A member that needs the dst (as a tunnel does) keeps it for all. */
	ut->member[1]->priv_flags &= ~IFF_XMIT_DST_RELEASE;
	call_netdevice_notifiers(NETDEV_FEAT_CHANGE, ut->member[1]);
	KUNIT_EXPECT_FALSE(test, dev->priv_flags & IFF_XMIT_DST_RELEASE);

	KUNIT_EXPECT_EQ(test, dev->netdev_ops->ndo_del_slave(dev, ut->member[1]),
			0);
	KUNIT_EXPECT_EQ(test, dev->needed_headroom, 32);
	KUNIT_EXPECT_EQ(test, dev->needed_tailroom, 8);
	KUNIT_EXPECT_TRUE(test, dev->priv_flags & IFF_XMIT_DST_RELEASE);
	rtnl_unlock();
}

static struct kunit_case lag_upper_cases[] = {
	KUNIT_CASE(lag_upper_hash_follows_test),
	KUNIT_CASE(lag_upper_hash_refused_test),
	KUNIT_CASE(lag_upper_hash_link_back_test),
	KUNIT_CASE(lag_upper_hash_orphan_test),
	KUNIT_CASE(lag_upper_hash_request_test),
	KUNIT_CASE(lag_upper_features_test),
	{}
};

static struct kunit_suite lag_upper_suite = {
	.name = "lag_upper",
	.init = lag_ut_init,
	.exit = lag_ut_exit,
	.test_cases = lag_upper_cases,
};

kunit_test_suite(lag_upper_suite);
