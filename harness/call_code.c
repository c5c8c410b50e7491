/*
 * call_code.c - %{ }% blocks on the worker: the names packetdrill gives a
 * block (tcpi_* from TCP_INFO and SK_MEMINFO_* from SO_MEMINFO of the
 * newest socket, tcpi_state and tcpi_ca_state names, TCPI_OPT_* flags),
 * then pycode.h's evaluator.
 *
 * Names packetdrill also gives from TCP_CC_INFO (bbr_*, dctcp_*) and
 * tcpi_* fields newer than this build's struct tcp_info are a SKIP naming
 * them, so a block never fails or passes for want of a value.
 */
#include <errno.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "call.h"
#include "call_int.h"
#include "error.h"
#include "pycode.h"
#include "symbol.h"

#ifndef SOL_TCP
#define SOL_TCP 6
#endif
#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif

/* A field of struct tcp_info by its offset; bit fields have their own code. */
static const struct tcpi_field {
	const char *name;
	size_t off, size;
} tcpi_fields[] = {
#define F(m) { #m, offsetof(struct tcp_info, m), sizeof(((struct tcp_info *)0)->m) }
	F(tcpi_state), F(tcpi_ca_state), F(tcpi_retransmits), F(tcpi_probes),
	F(tcpi_backoff), F(tcpi_options), F(tcpi_rto), F(tcpi_ato),
	F(tcpi_snd_mss), F(tcpi_rcv_mss), F(tcpi_unacked), F(tcpi_sacked),
	F(tcpi_lost), F(tcpi_retrans), F(tcpi_fackets), F(tcpi_last_data_sent),
	F(tcpi_last_ack_sent), F(tcpi_last_data_recv), F(tcpi_last_ack_recv),
	F(tcpi_pmtu), F(tcpi_rcv_ssthresh), F(tcpi_rtt), F(tcpi_rttvar),
	F(tcpi_snd_ssthresh), F(tcpi_snd_cwnd), F(tcpi_advmss),
	F(tcpi_reordering), F(tcpi_rcv_rtt), F(tcpi_rcv_space),
	F(tcpi_total_retrans), F(tcpi_pacing_rate), F(tcpi_max_pacing_rate),
	F(tcpi_bytes_acked), F(tcpi_bytes_received), F(tcpi_segs_out),
	F(tcpi_segs_in), F(tcpi_notsent_bytes), F(tcpi_min_rtt),
	F(tcpi_data_segs_in), F(tcpi_data_segs_out), F(tcpi_delivery_rate),
	F(tcpi_busy_time), F(tcpi_rwnd_limited), F(tcpi_sndbuf_limited),
	F(tcpi_delivered), F(tcpi_delivered_ce), F(tcpi_bytes_sent),
	F(tcpi_bytes_retrans), F(tcpi_dsack_dups), F(tcpi_reord_seen),
	F(tcpi_rcv_ooopack), F(tcpi_snd_wnd),
#undef F
};

#define NFIELDS (sizeof(tcpi_fields) / sizeof(tcpi_fields[0]))

/* The bit fields of the byte after tcpi_options. */
static const char *const tcpi_bits[] = {
	"tcpi_snd_wscale", "tcpi_rcv_wscale", "tcpi_delivery_rate_app_limited",
};

/* Constants packetdrill defines for every block. */
static const struct { const char *name; long value; } constants[] = {
	{ "TCP_CA_Open", TCP_CA_Open }, { "TCP_CA_Disorder", TCP_CA_Disorder },
	{ "TCP_CA_CWR", TCP_CA_CWR }, { "TCP_CA_Recovery", TCP_CA_Recovery },
	{ "TCP_CA_Loss", TCP_CA_Loss },
	{ "TCPI_OPT_TIMESTAMPS", TCPI_OPT_TIMESTAMPS }, { "TCPI_OPT_SACK", TCPI_OPT_SACK },
	{ "TCPI_OPT_WSCALE", TCPI_OPT_WSCALE }, { "TCPI_OPT_ECN", TCPI_OPT_ECN },
	{ "TCPI_OPT_ECN_SEEN", TCPI_OPT_ECN_SEEN },
	{ "TCPI_OPT_SYN_DATA", TCPI_OPT_SYN_DATA },
	{ "TCPI_OPT_USEC_TS", 64 }, { "TCPI_OPT_TFO_CHILD", 128 },
};

/* SO_MEMINFO's u32 array, by index, named as packetdrill names them. */
static const char *const meminfo[SK_MEMINFO_VARS] = {
#define M(n) [n] = #n
	M(SK_MEMINFO_RMEM_ALLOC), M(SK_MEMINFO_RCVBUF), M(SK_MEMINFO_WMEM_ALLOC),
	M(SK_MEMINFO_SNDBUF), M(SK_MEMINFO_FWD_ALLOC), M(SK_MEMINFO_WMEM_QUEUED),
	M(SK_MEMINFO_OPTMEM), M(SK_MEMINFO_BACKLOG), M(SK_MEMINFO_DROPS),
#undef M
};

static const char *const states[] = {
	"TCP_ESTABLISHED", "TCP_SYN_SENT", "TCP_SYN_RECV", "TCP_FIN_WAIT1",
	"TCP_FIN_WAIT2", "TCP_TIME_WAIT", "TCP_CLOSE", "TCP_CLOSE_WAIT",
	"TCP_LAST_ACK", "TCP_LISTEN", "TCP_CLOSING",
};

/* Names packetdrill gives a block that tcpconf does not: SKIP them. */
static int missing_name(const char *name, void *arg)
{
	(void)arg;
	if (!strncmp(name, "bbr_", 4) || !strncmp(name, "dctcp_", 6))
		return 1;
	if (!strncmp(name, "SK_MEMINFO_", 11)) {
		for (size_t k = 0; k < SK_MEMINFO_VARS; k++)
			if (meminfo[k] && !strcmp(meminfo[k], name))
				return 0;
		return 1;
	}
	if (strncmp(name, "tcpi_", 5))
		return 0;
	for (size_t k = 0; k < NFIELDS; k++)
		if (!strcmp(tcpi_fields[k].name, name))
			return 0;
	for (size_t k = 0; k < sizeof(tcpi_bits) / sizeof(tcpi_bits[0]); k++)
		if (!strcmp(tcpi_bits[k], name))
			return 0;
	return 1;
}

int call_code_check(const char *script, const struct event *ev, char **error)
{
	struct pycode *c;
	const char *name;
	int rc = pycode_parse(script, ev->code_line, ev->code_column, ev->u.code,
			      &c, error);

	if (rc < 0)
		return rc;
	name = pycode_find_name(c, missing_name, NULL);
	if (name)
		rc = error_skip(error, "%s:%d:%d: %%{ }%%: name %s is not supported "
				"(tcpconf gives tcpi_* of this kernel's TCP_INFO and "
				"SK_MEMINFO_* of SO_MEMINFO)",
				script, ev->code_line, ev->code_column, name);
	pycode_free(c);
	return rc;
}

static uint64_t field_value(const struct tcp_info *ti, const struct tcpi_field *f)
{
	const unsigned char *p = (const unsigned char *)ti + f->off;
	uint64_t v64;
	uint32_t v32;

	if (f->size == 1)
		return *p;
	if (f->size == 4) {
		memcpy(&v32, p, sizeof(v32));
		return v32;
	}
	memcpy(&v64, p, sizeof(v64));
	return v64;
}

/* The names of every block: constants, then tcpi_* of this TCP_INFO (len bytes). */
static int set_names(struct pycode_env *env, const struct tcp_info *ti, socklen_t len)
{
	int rc = 0;

	for (size_t k = 0; k < sizeof(constants) / sizeof(constants[0]); k++)
		rc |= pycode_env_set(env, constants[k].name, constants[k].value);
	for (size_t k = 0; k < sizeof(states) / sizeof(states[0]); k++) {
		int64_t v;

		if (symbol_lookup(states[k], &v))
			rc |= pycode_env_set(env, states[k], v);
	}
	for (size_t k = 0; k < NFIELDS; k++)
		if (tcpi_fields[k].off + tcpi_fields[k].size <= len)
			rc |= pycode_env_set(env, tcpi_fields[k].name,
					     (int64_t)field_value(ti, &tcpi_fields[k]));
	rc |= pycode_env_set(env, "tcpi_snd_wscale", ti->tcpi_snd_wscale);
	rc |= pycode_env_set(env, "tcpi_rcv_wscale", ti->tcpi_rcv_wscale);
	rc |= pycode_env_set(env, "tcpi_delivery_rate_app_limited",
			     ti->tcpi_delivery_rate_app_limited);
	return rc;
}

/* SK_MEMINFO_* of socket fd, as many as this kernel's SO_MEMINFO gives. */
static int set_meminfo(struct pycode_env *env, int fd, char **error)
{
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t len = sizeof(mem);
	int rc = 0;

	memset(mem, 0, sizeof(mem));
	if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len) < 0)
		return error_set(error, "%%{ }%%: getsockopt(SO_MEMINFO): %s",
				 strerror(errno));
	for (size_t k = 0; k < SK_MEMINFO_VARS && (k + 1) * sizeof(mem[0]) <= len; k++)
		if (meminfo[k])
			rc |= pycode_env_set(env, meminfo[k], mem[k]);
	return rc < 0 ? error_set(error, "out of memory") : 0;
}

int call_code_run(struct calls *cs, const struct event *ev, char **error)
{
	const char *script = script_name(cs->st->script);
	int live = cs->last_socket < 0 ? -1 : calls_fd_live(cs, cs->last_socket);
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	struct pycode *c;
	int rc;

	if (live < 0)
		return error_set(error, "%%{ }%%: no socket to read "
				 "TCP_INFO of");
	memset(&ti, 0, sizeof(ti));
	if (getsockopt(live, SOL_TCP, TCP_INFO, &ti, &len) < 0)
		return error_set(error, "%%{ }%%: getsockopt(TCP_INFO): %s",
				 strerror(errno));
	if (!cs->code_env && !(cs->code_env = pycode_env_new()))
		return error_set(error, "out of memory");
	if (set_names(cs->code_env, &ti, len) < 0)
		return error_set(error, "out of memory");
	if (set_meminfo(cs->code_env, live, error) < 0)
		return -1;
	rc = pycode_parse(script, ev->code_line, ev->code_column, ev->u.code, &c, error);
	if (rc < 0)
		return rc;
	rc = pycode_run(c, cs->code_env, error);
	pycode_free(c);
	return rc;
}
