/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lag: the LACPDU and Marker PDU codec (lacp_pdu.c).
 */
#ifndef _LAG_LACP_PDU_H
#define _LAG_LACP_PDU_H

#include <linux/if_ether.h>
#include <linux/types.h>

#define LACP_PDU_LEN		110	/* LACPDU and Marker PDU: subtype .. reserved */

/* Slow Protocols subtypes (IEEE 802.3 Annex 57A) */
#define LACP_SUBTYPE_LACP	1
#define LACP_SUBTYPE_MARKER	2

/* Whether a Slow Protocols subtype is LACP's: an LACPDU or a Marker PDU. */
static inline bool lacp_subtype_ours(u8 subtype)
{
	return subtype == LACP_SUBTYPE_LACP || subtype == LACP_SUBTYPE_MARKER;
}

/* Marker PDU TLV types */
#define LACP_MARKER_INFO	1
#define LACP_MARKER_RESPONSE	2

/**
 * struct lacp_info - one side's information, as carried in an LACPDU
 * @sys_prio: system priority
 * @system: system MAC address
 * @key: operational key
 * @port_prio: port priority
 * @port: port number
 * @state: LACP_STATE_* bits
 *
 * Locking: none of its own; a port's copies are under the LACP lock
 * (struct lacp_port).
 */
struct lacp_info {
	u16 sys_prio;
	u8 system[ETH_ALEN];
	u16 key;
	u16 port_prio;
	u16 port;
	u8 state;
};

/**
 * struct lacp_pdu - a parsed Slow Protocols PDU (LACPDU or Marker PDU)
 * @subtype: LACP_SUBTYPE_LACP or LACP_SUBTYPE_MARKER
 * @version: version number as received (1 or higher)
 * @actor: LACPDU actor information
 * @partner: LACPDU partner information
 * @collector_max_delay: LACPDU collector maximum delay, tens of microseconds
 * @marker_type: Marker PDU TLV type: LACP_MARKER_INFO or LACP_MARKER_RESPONSE
 * @marker_port: Marker PDU requester port
 * @marker_system: Marker PDU requester system
 * @marker_tid: Marker PDU requester transaction ID
 *
 * Locking: none; a value owned by its user.
 */
struct lacp_pdu {
	u8 subtype;
	u8 version;
	struct lacp_info actor;
	struct lacp_info partner;
	u16 collector_max_delay;
	u8 marker_type;
	u16 marker_port;
	u8 marker_system[ETH_ALEN];
	u32 marker_tid;
};

int lacp_pdu_parse(const u8 *buf, size_t len, struct lacp_pdu *out);
void lacp_pdu_build_lacpdu(u8 buf[LACP_PDU_LEN], const struct lacp_info *actor,
			   const struct lacp_info *partner,
			   u16 collector_max_delay);
void lacp_pdu_build_marker(u8 buf[LACP_PDU_LEN], bool response, u16 port,
			   const u8 *system, u32 tid);

#endif /* _LAG_LACP_PDU_H */
