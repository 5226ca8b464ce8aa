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

/* The longest state or reason word, with its NUL. */
#define LAG_TRACE_WORD	16

/*
 * A member's Receive (mux == 0) or Mux (mux == 1) machine moves from one
 * state to another; the reason is the member's at that moment. The states
 * and the reason are recorded as numbers (for filters) and as the words
 * the caller names them with (lag_opts.h's, as sysfs and ip show them).
 */
DECLARE_EVENT_CLASS(lag_port_transition,
		    TP_PROTO(const struct net_device *dev,
			     const struct lacp_port *lp, u8 mux, int from,
			     int to, const char *from_word, const char *to_word,
			     const char *reason_word),
		    TP_ARGS(dev, lp, mux, from, to, from_word, to_word,
			    reason_word),
		    TP_STRUCT__entry(__array(char, dev, IFNAMSIZ)
				     __field(u16, port)
				     __field(u8, mux)
				     __field(u8, from)
				     __field(u8, to)
				     __field(u8, reason)
				     __array(char, from_word, LAG_TRACE_WORD)
				     __array(char, to_word, LAG_TRACE_WORD)
				     __array(char, reason_word, LAG_TRACE_WORD)),
		    TP_fast_assign(strscpy(__entry->dev, dev->name, IFNAMSIZ);
				   __entry->port = lp->port_number;
				   __entry->mux = mux;
				   __entry->from = from;
				   __entry->to = to;
				   __entry->reason = lp->reason;
				   strscpy(__entry->from_word, from_word,
					   LAG_TRACE_WORD);
				   strscpy(__entry->to_word, to_word,
					   LAG_TRACE_WORD);
				   strscpy(__entry->reason_word, reason_word,
					   LAG_TRACE_WORD);),
		    TP_printk("%s port %u: %s %s -> %s, reason %s",
			      __entry->dev, __entry->port,
			      __entry->mux ? "mux" : "receive",
			      __entry->from_word, __entry->to_word,
			      __entry->reason_word)
);

DEFINE_EVENT(lag_port_transition, lag_rx_state,
	     TP_PROTO(const struct net_device *dev, const struct lacp_port *lp,
		      u8 mux, int from, int to, const char *from_word,
		      const char *to_word, const char *reason_word),
	     TP_ARGS(dev, lp, mux, from, to, from_word, to_word, reason_word)
);

DEFINE_EVENT(lag_port_transition, lag_mux_state,
	     TP_PROTO(const struct net_device *dev, const struct lacp_port *lp,
		      u8 mux, int from, int to, const char *from_word,
		      const char *to_word, const char *reason_word),
	     TP_ARGS(dev, lp, mux, from, to, from_word, to_word, reason_word)
);

#endif /* _LAG_TRACE_H */

/* Out of tree: define_trace.h finds this file through -I$(src)/include. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE lag_trace
#include <trace/define_trace.h>
