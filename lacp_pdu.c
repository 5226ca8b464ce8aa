// SPDX-License-Identifier: GPL-2.0
/*
 * lag: the LACPDU and Marker PDU codec (IEEE 802.1AX-2014 6.4.2, 6.5.3).
 *
 * Strict parsing and building of the 110-byte Slow Protocols PDUs, from
 * the subtype byte on. Pure functions of their arguments: no state, no
 * lock, callable from any context.
 */

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "lacp_pdu.h"
#include "lag_compat.h"

/* LACPDU layout, offsets from the subtype byte (802.1AX 6.4.2.3) */
#define LACPDU_ACTOR_TLV	2
#define LACPDU_PARTNER_TLV	22
#define LACPDU_COLLECTOR_TLV	42
#define LACPDU_TERMINATOR	58
#define LACPDU_INFO_LEN		20
#define LACPDU_COLLECTOR_LEN	16
#define LACP_TLV_ACTOR		1
#define LACP_TLV_PARTNER	2
#define LACP_TLV_COLLECTOR	3
#define LACP_TLV_TERMINATOR	0

/* Marker PDU layout (802.1AX 6.5.3.3) */
#define MARKER_TLV		2
#define MARKER_INFO_LEN		16
#define MARKER_TERMINATOR	18

#define LACP_VERSION		1

static void lacp_get_info(const u8 *tlv, struct lacp_info *info)
{
	info->sys_prio = get_unaligned_be16(tlv + 2);
	memcpy(info->system, tlv + 4, ETH_ALEN);
	info->key = get_unaligned_be16(tlv + 10);
	info->port_prio = get_unaligned_be16(tlv + 12);
	info->port = get_unaligned_be16(tlv + 14);
	info->state = tlv[16];
}

static void lacp_put_info(u8 *tlv, u8 type, const struct lacp_info *info)
{
	tlv[0] = type;
	tlv[1] = LACPDU_INFO_LEN;
	put_unaligned_be16(info->sys_prio, tlv + 2);
	memcpy(tlv + 4, info->system, ETH_ALEN);
	put_unaligned_be16(info->key, tlv + 10);
	put_unaligned_be16(info->port_prio, tlv + 12);
	put_unaligned_be16(info->port, tlv + 14);
	tlv[16] = info->state;
	/* tlv[17..19] reserved, zero */
}

static int lacp_parse_lacpdu(const u8 *buf, size_t len, struct lacp_pdu *out)
{
	size_t off = LACPDU_TERMINATOR;

	if (buf[LACPDU_ACTOR_TLV] != LACP_TLV_ACTOR ||
	    buf[LACPDU_ACTOR_TLV + 1] != LACPDU_INFO_LEN ||
	    buf[LACPDU_PARTNER_TLV] != LACP_TLV_PARTNER ||
	    buf[LACPDU_PARTNER_TLV + 1] != LACPDU_INFO_LEN ||
	    buf[LACPDU_COLLECTOR_TLV] != LACP_TLV_COLLECTOR ||
	    buf[LACPDU_COLLECTOR_TLV + 1] != LACPDU_COLLECTOR_LEN)
		return -EINVAL;

	/*
	 * 802.1AX 6.4.2.3/6.4.2.4: a PDU of a higher version is parsed as
	 * version 1; TLVs it adds after the Collector TLV are skipped by
	 * their length up to the Terminator. The version-1 TLV types may not
	 * appear again.
	 */
	if (out->version > LACP_VERSION) {
		while (off + 2 <= len && buf[off] != LACP_TLV_TERMINATOR) {
			u8 type = buf[off], tlen = buf[off + 1];

			if (type <= LACP_TLV_COLLECTOR || tlen < 2 ||
			    tlen > len - off)
				return -EINVAL;
			off += tlen;
		}
	}
	if (off + 2 > len || buf[off] != LACP_TLV_TERMINATOR ||
	    buf[off + 1] != 0)
		return -EINVAL;

	lacp_get_info(buf + LACPDU_ACTOR_TLV, &out->actor);
	lacp_get_info(buf + LACPDU_PARTNER_TLV, &out->partner);
	out->collector_max_delay = get_unaligned_be16(buf + LACPDU_COLLECTOR_TLV + 2);
	return 0;
}

static int lacp_parse_marker(const u8 *buf, size_t len, struct lacp_pdu *out)
{
	u8 type = buf[MARKER_TLV];

	if ((type != LACP_MARKER_INFO && type != LACP_MARKER_RESPONSE) ||
	    buf[MARKER_TLV + 1] != MARKER_INFO_LEN ||
	    buf[MARKER_TERMINATOR] != LACP_TLV_TERMINATOR ||
	    buf[MARKER_TERMINATOR + 1] != 0)
		return -EINVAL;

	out->marker_type = type;
	out->marker_port = get_unaligned_be16(buf + MARKER_TLV + 2);
	memcpy(out->marker_system, buf + MARKER_TLV + 4, ETH_ALEN);
	out->marker_tid = get_unaligned_be32(buf + MARKER_TLV + 10);
	return 0;
}

/**
 * lacp_pdu_parse - parse a Slow Protocols PDU strictly
 * @buf: the PDU, from the subtype byte on
 * @len: bytes available at @buf (may include padding beyond LACP_PDU_LEN)
 * @out: the parsed PDU; zeroed first, valid only when 0 is returned
 *
 * Accepts an LACPDU or a Marker PDU of version 1 or higher whose TLV types
 * and lengths are those of 802.1AX and whose length is at least the
 * version-1 layout; reserved fields are ignored.
 *
 * Return: 0; -EPROTONOSUPPORT for a subtype other than LACP or Marker;
 * -EINVAL for a malformed PDU (short, version 0, wrong TLV type or length).
 */
int lacp_pdu_parse(const u8 *buf, size_t len, struct lacp_pdu *out)
{
	memset(out, 0, sizeof(*out));
	if (!buf || len < 1)
		return -EINVAL;
	if (!lacp_subtype_ours(buf[0]))
		return -EPROTONOSUPPORT;
	if (len < LACP_PDU_LEN || buf[1] == 0)
		return -EINVAL;

	out->subtype = buf[0];
	out->version = buf[1];
	if (out->subtype == LACP_SUBTYPE_LACP)
		return lacp_parse_lacpdu(buf, len, out);
	return lacp_parse_marker(buf, len, out);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_pdu_parse);

/**
 * lacp_pdu_build_lacpdu - build a version-1 LACPDU
 * @buf: LACP_PDU_LEN bytes, from the subtype byte on
 * @actor: actor information
 * @partner: partner information
 * @collector_max_delay: collector maximum delay, tens of microseconds
 *
 * Reserved fields are zero.
 */
void lacp_pdu_build_lacpdu(u8 buf[LACP_PDU_LEN], const struct lacp_info *actor,
			   const struct lacp_info *partner,
			   u16 collector_max_delay)
{
	memset(buf, 0, LACP_PDU_LEN);
	buf[0] = LACP_SUBTYPE_LACP;
	buf[1] = LACP_VERSION;
	lacp_put_info(buf + LACPDU_ACTOR_TLV, LACP_TLV_ACTOR, actor);
	lacp_put_info(buf + LACPDU_PARTNER_TLV, LACP_TLV_PARTNER, partner);
	buf[LACPDU_COLLECTOR_TLV] = LACP_TLV_COLLECTOR;
	buf[LACPDU_COLLECTOR_TLV + 1] = LACPDU_COLLECTOR_LEN;
	put_unaligned_be16(collector_max_delay, buf + LACPDU_COLLECTOR_TLV + 2);
	/* terminator TLV (type 0, length 0) and reserved bytes: zero */
}
EXPORT_SYMBOL_IF_KUNIT(lacp_pdu_build_lacpdu);

/**
 * lacp_pdu_build_marker - build a version-1 Marker PDU
 * @buf: LACP_PDU_LEN bytes, from the subtype byte on
 * @response: true for a Marker Response, false for Marker Information
 * @port: requester port
 * @system: requester system (ETH_ALEN bytes)
 * @tid: requester transaction ID
 *
 * Pad and reserved fields are zero.
 */
void lacp_pdu_build_marker(u8 buf[LACP_PDU_LEN], bool response, u16 port,
			   const u8 *system, u32 tid)
{
	memset(buf, 0, LACP_PDU_LEN);
	buf[0] = LACP_SUBTYPE_MARKER;
	buf[1] = LACP_VERSION;
	buf[MARKER_TLV] = response ? LACP_MARKER_RESPONSE : LACP_MARKER_INFO;
	buf[MARKER_TLV + 1] = MARKER_INFO_LEN;
	put_unaligned_be16(port, buf + MARKER_TLV + 2);
	memcpy(buf + MARKER_TLV + 4, system, ETH_ALEN);
	put_unaligned_be32(tid, buf + MARKER_TLV + 10);
}
EXPORT_SYMBOL_IF_KUNIT(lacp_pdu_build_marker);
