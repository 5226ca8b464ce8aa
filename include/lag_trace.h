/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lag: trace events for the LACP machines of each member, for perf and
 * trace-cmd (events/lag/lag_rx_state and events/lag/lag_mux_state).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM lag

#if !defined(_LAG_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _LAG_TRACE_H

#include <linux/netdevice.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "lacp.h"

#define lag_show_rx(val)						\
	__print_symbolic(val,						\
			 { LACP_RX_INITIALIZE, "initialize" },		\
			 { LACP_RX_PORT_DISABLED, "port_disabled" },	\
			 { LACP_RX_LACP_DISABLED, "lacp_disabled" },	\
			 { LACP_RX_EXPIRED, "expired" },		\
			 { LACP_RX_DEFAULTED, "defaulted" },		\
			 { LACP_RX_CURRENT, "current" })

#define lag_show_mux(val)						\
	__print_symbolic(val,						\
			 { LAG_MUX_DETACHED, "detached" },		\
			 { LAG_MUX_WAITING, "waiting" },		\
			 { LAG_MUX_ATTACHED, "attached" },		\
			 { LAG_MUX_COLLECTING, "collecting" },		\
			 { LAG_MUX_DISTRIBUTING, "distributing" })

#define lag_show_reason(val)						\
	__print_symbolic(val,						\
			 { LAG_PORT_REASON_NONE, "none" },			\
			 { LAG_PORT_REASON_DOWN, "down" },			\
			 { LAG_PORT_REASON_SPEED, "speed" },		\
			 { LAG_PORT_REASON_PARTNER, "partner" },		\
			 { LAG_PORT_REASON_DEFAULTED, "defaulted" },	\
			 { LAG_PORT_REASON_EXPIRED, "expired" },		\
			 { LAG_PORT_REASON_SYNC, "sync" },			\
			 { LAG_PORT_REASON_CHURN, "churn" },		\
			 { LAG_PORT_REASON_LOOP, "loop" },			\
			 { LAG_PORT_REASON_PASSIVE, "passive" })

/*
 * A member's Receive (mux == 0) or Mux (mux == 1) machine moves from one
 * state to another; the reason is the member's at that moment.
 */
DECLARE_EVENT_CLASS(lag_port_transition,
		    TP_PROTO(const struct net_device *dev,
			     const struct lacp_port *lp, u8 mux, int from,
			     int to),
		    TP_ARGS(dev, lp, mux, from, to),
		    TP_STRUCT__entry(__array(char, dev, IFNAMSIZ)
				     __field(u16, port)
				     __field(u8, mux)
				     __field(u8, from)
				     __field(u8, to)
				     __field(u8, reason)),
		    TP_fast_assign(strscpy(__entry->dev, dev->name, IFNAMSIZ);
				   __entry->port = lp->port_number;
				   __entry->mux = mux;
				   __entry->from = from;
				   __entry->to = to;
				   __entry->reason = lp->reason;),
		    TP_printk("%s port %u: %s %s -> %s, reason %s",
			      __entry->dev, __entry->port,
			      __entry->mux ? "mux" : "receive",
			      __entry->mux ? lag_show_mux(__entry->from) :
					     lag_show_rx(__entry->from),
			      __entry->mux ? lag_show_mux(__entry->to) :
					     lag_show_rx(__entry->to),
			      lag_show_reason(__entry->reason))
);

DEFINE_EVENT(lag_port_transition, lag_rx_state,
	     TP_PROTO(const struct net_device *dev, const struct lacp_port *lp,
		      u8 mux, int from, int to),
	     TP_ARGS(dev, lp, mux, from, to)
);

DEFINE_EVENT(lag_port_transition, lag_mux_state,
	     TP_PROTO(const struct net_device *dev, const struct lacp_port *lp,
		      u8 mux, int from, int to),
	     TP_ARGS(dev, lp, mux, from, to)
);

#endif /* _LAG_TRACE_H */

/* Out of tree: define_trace.h finds this file through -I$(src)/include. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE lag_trace
#include <trace/define_trace.h>
