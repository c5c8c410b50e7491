/* symbol.c - see symbol.h.  Values come from the system headers, never typed in by hand. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>

#include "symbol.h"

struct symbol {
	const char *name;
	int64_t value;
};

#define S(name) { #name, (int64_t)(name) }

static const struct symbol symbols[] = {
	/* socket(), levels */
	S(AF_UNSPEC), S(AF_INET), S(AF_INET6), S(AF_PACKET),
	S(PF_UNSPEC), S(PF_INET), S(PF_INET6),
	S(SOCK_STREAM), S(SOCK_DGRAM), S(SOCK_RAW), S(SOCK_SEQPACKET),
	S(SOCK_NONBLOCK), S(SOCK_CLOEXEC),
	S(IPPROTO_IP), S(IPPROTO_TCP), S(IPPROTO_UDP), S(IPPROTO_IPV6),
	S(IPPROTO_ICMP), S(IPPROTO_ICMPV6), S(IPPROTO_RAW),
	S(SOL_SOCKET), S(SOL_TCP), S(SOL_IP), S(SOL_IPV6),
	S(INADDR_ANY),

	/* SOL_SOCKET options */
	S(SO_DEBUG), S(SO_REUSEADDR), S(SO_TYPE), S(SO_ERROR),
	S(SO_DONTROUTE), S(SO_BROADCAST), S(SO_SNDBUF), S(SO_RCVBUF),
	S(SO_SNDBUFFORCE), S(SO_RCVBUFFORCE), S(SO_KEEPALIVE),
	S(SO_OOBINLINE), S(SO_NO_CHECK), S(SO_PRIORITY), S(SO_LINGER),
	S(SO_BSDCOMPAT), S(SO_REUSEPORT), S(SO_PASSCRED), S(SO_PEERCRED),
	S(SO_RCVLOWAT), S(SO_SNDLOWAT), S(SO_RCVTIMEO), S(SO_SNDTIMEO),
	S(SO_BINDTODEVICE), S(SO_TIMESTAMP), S(SO_TIMESTAMPNS),
	S(SO_TIMESTAMPING), S(SO_ACCEPTCONN), S(SO_PROTOCOL), S(SO_DOMAIN),
	S(SO_MARK), S(SO_RXQ_OVFL), S(SO_PEEK_OFF), S(SO_BUSY_POLL),
	S(SO_MAX_PACING_RATE), S(SO_INCOMING_CPU), S(SO_ZEROCOPY),
	S(SO_TXTIME),

	/* recvmsg() control messages, the error queue, timestamping */
	S(SCM_TIMESTAMPING), { "TCP_CM_INQ", TCP_INQ }, S(IP_RECVERR), S(IPV6_RECVERR),
	S(SO_EE_ORIGIN_NONE), S(SO_EE_ORIGIN_LOCAL), S(SO_EE_ORIGIN_ICMP),
	S(SO_EE_ORIGIN_ICMP6), S(SO_EE_ORIGIN_TIMESTAMPING), S(SO_EE_ORIGIN_ZEROCOPY),
	S(SO_EE_CODE_ZEROCOPY_COPIED),
	S(SCM_TSTAMP_SND), S(SCM_TSTAMP_SCHED), S(SCM_TSTAMP_ACK),
	S(SOF_TIMESTAMPING_TX_HARDWARE), S(SOF_TIMESTAMPING_TX_SOFTWARE),
	S(SOF_TIMESTAMPING_RX_HARDWARE), S(SOF_TIMESTAMPING_RX_SOFTWARE),
	S(SOF_TIMESTAMPING_SOFTWARE), S(SOF_TIMESTAMPING_RAW_HARDWARE),
	S(SOF_TIMESTAMPING_OPT_ID), S(SOF_TIMESTAMPING_TX_SCHED),
	S(SOF_TIMESTAMPING_TX_ACK), S(SOF_TIMESTAMPING_OPT_CMSG),
	S(SOF_TIMESTAMPING_OPT_TSONLY), S(SOF_TIMESTAMPING_OPT_STATS),

	/* IPPROTO_TCP options */
	S(TCP_NODELAY), S(TCP_MAXSEG), S(TCP_CORK), S(TCP_KEEPIDLE),
	S(TCP_KEEPINTVL), S(TCP_KEEPCNT), S(TCP_SYNCNT), S(TCP_LINGER2),
	S(TCP_DEFER_ACCEPT), S(TCP_WINDOW_CLAMP), S(TCP_INFO),
	S(TCP_QUICKACK), S(TCP_CONGESTION), S(TCP_MD5SIG),
	S(TCP_THIN_LINEAR_TIMEOUTS), S(TCP_THIN_DUPACK), S(TCP_USER_TIMEOUT),
	S(TCP_REPAIR), S(TCP_REPAIR_QUEUE), S(TCP_QUEUE_SEQ),
	S(TCP_REPAIR_OPTIONS), S(TCP_FASTOPEN), S(TCP_TIMESTAMP),
	S(TCP_NOTSENT_LOWAT), S(TCP_CC_INFO), S(TCP_SAVE_SYN),
	S(TCP_SAVED_SYN), S(TCP_REPAIR_WINDOW), S(TCP_FASTOPEN_CONNECT),
	S(TCP_ULP), S(TCP_MD5SIG_EXT), S(TCP_FASTOPEN_KEY),
	S(TCP_FASTOPEN_NO_COOKIE), S(TCP_ZEROCOPY_RECEIVE), S(TCP_INQ),
	S(TCP_TX_DELAY),

	/* TCP states, Linux numbering (sock_diag's idiag_state) */
	S(TCP_ESTABLISHED), S(TCP_SYN_SENT), S(TCP_SYN_RECV),
	S(TCP_FIN_WAIT1), S(TCP_FIN_WAIT2), S(TCP_TIME_WAIT), S(TCP_CLOSE),
	S(TCP_CLOSE_WAIT), S(TCP_LAST_ACK), S(TCP_LISTEN), S(TCP_CLOSING),

	/* IP level */
	S(IP_TOS), S(IP_TTL), S(IP_MTU_DISCOVER), S(IP_RECVERR),
	S(IP_FREEBIND), S(IP_TRANSPARENT), S(IP_PMTUDISC_DONT),
	S(IP_PMTUDISC_WANT), S(IP_PMTUDISC_DO), S(IP_PMTUDISC_PROBE),
	S(IPV6_V6ONLY), S(IPV6_TCLASS), S(IPV6_RECVERR),
	S(IPV6_MTU_DISCOVER), S(IPV6_UNICAST_HOPS),

	/* shutdown() */
	S(SHUT_RD), S(SHUT_WR), S(SHUT_RDWR),

	/* fcntl() */
	S(F_DUPFD), S(F_DUPFD_CLOEXEC), S(F_GETFD), S(F_SETFD), S(F_GETFL),
	S(F_SETFL), S(FD_CLOEXEC), S(O_RDONLY), S(O_WRONLY), S(O_RDWR),
	S(O_NONBLOCK), S(O_NDELAY), S(O_APPEND), S(O_CLOEXEC), S(O_ASYNC),
	/* known so that a script using them is refused by name (call_arg.c) */
	S(F_GETOWN), S(F_SETOWN), S(F_GETOWN_EX), S(F_SETOWN_EX), S(F_GETSIG),
	S(F_SETSIG), S(F_GETLEASE), S(F_SETLEASE), S(F_NOTIFY), S(F_GETLK),
	S(F_SETLK), S(F_SETLKW), S(F_GETPIPE_SZ), S(F_SETPIPE_SZ),

	/* open(), splice(); O_CREAT and O_TRUNC known to be refused by name (call_file.c) */
	S(O_CREAT), S(O_TRUNC), S(SPLICE_F_MOVE), S(SPLICE_F_NONBLOCK), S(SPLICE_F_MORE),
	S(SPLICE_F_GIFT),

	/* ioctl() */
	S(FIONREAD), S(FIONBIO), S(TIOCOUTQ), { "SIOCINQ", FIONREAD },
	{ "SIOCOUTQ", TIOCOUTQ },

	/* send()/recv() flags */
	S(MSG_OOB), S(MSG_PEEK), S(MSG_DONTROUTE), S(MSG_CTRUNC), S(MSG_TRUNC),
	S(MSG_DONTWAIT), S(MSG_EOR), S(MSG_WAITALL), S(MSG_CONFIRM),
	S(MSG_ERRQUEUE), S(MSG_NOSIGNAL), S(MSG_MORE), S(MSG_FASTOPEN),
	S(MSG_ZEROCOPY), S(MSG_CMSG_CLOEXEC),

	/* poll() */
	S(POLLIN), S(POLLPRI), S(POLLOUT), S(POLLERR), S(POLLHUP),
	S(POLLNVAL), S(POLLRDNORM), S(POLLRDBAND), S(POLLWRNORM),
	S(POLLWRBAND), S(POLLRDHUP),

	/* epoll_ctl()/epoll_wait() */
	S(EPOLLIN), S(EPOLLPRI), S(EPOLLOUT), S(EPOLLRDNORM), S(EPOLLRDBAND),
	S(EPOLLWRNORM), S(EPOLLWRBAND), S(EPOLLMSG), S(EPOLLERR), S(EPOLLHUP),
	S(EPOLLRDHUP), S(EPOLLEXCLUSIVE), S(EPOLLWAKEUP), S(EPOLLONESHOT),
	S(EPOLLET), S(EPOLL_CTL_ADD), S(EPOLL_CTL_MOD), S(EPOLL_CTL_DEL),

	/* signals */
	S(SIGHUP), S(SIGINT), S(SIGQUIT), S(SIGKILL), S(SIGUSR1), S(SIGUSR2),
	S(SIGPIPE), S(SIGALRM), S(SIGTERM), S(SIGCHLD), S(SIGCONT),
	S(SIGSTOP), S(SIGURG), S(SIGIO),
};

/* The primary name of a value comes first: symbol_errno_name() returns it. */
static const struct symbol errnos[] = {
	S(EPERM), S(ENOENT), S(ESRCH), S(EINTR), S(EIO), S(ENXIO), S(E2BIG),
	S(ENOEXEC), S(EBADF), S(ECHILD), S(EAGAIN), S(EWOULDBLOCK),
	S(ENOMEM), S(EACCES), S(EFAULT), S(EBUSY), S(EEXIST), S(EXDEV),
	S(ENODEV), S(ENOTDIR), S(EISDIR), S(EINVAL), S(ENFILE), S(EMFILE),
	S(ENOTTY), S(EFBIG), S(ENOSPC), S(ESPIPE), S(EROFS), S(EMLINK),
	S(EPIPE), S(EDOM), S(ERANGE), S(EDEADLK), S(EDEADLOCK),
	S(ENAMETOOLONG), S(ENOLCK), S(ENOSYS), S(ENOTEMPTY), S(ELOOP),
	S(ENOMSG), S(EIDRM), S(ENOSTR), S(ENODATA), S(ETIME), S(ENOSR),
	S(ENOLINK), S(EPROTO), S(EBADMSG), S(EOVERFLOW), S(EILSEQ),
	S(ERESTART), S(EUSERS), S(ENOTSOCK), S(EDESTADDRREQ), S(EMSGSIZE),
	S(EPROTOTYPE), S(ENOPROTOOPT), S(EPROTONOSUPPORT),
	S(ESOCKTNOSUPPORT), S(EOPNOTSUPP), S(ENOTSUP), S(EPFNOSUPPORT),
	S(EAFNOSUPPORT), S(EADDRINUSE), S(EADDRNOTAVAIL), S(ENETDOWN),
	S(ENETUNREACH), S(ENETRESET), S(ECONNABORTED), S(ECONNRESET),
	S(ENOBUFS), S(EISCONN), S(ENOTCONN), S(ESHUTDOWN), S(ETOOMANYREFS),
	S(ETIMEDOUT), S(ECONNREFUSED), S(EHOSTDOWN), S(EHOSTUNREACH),
	S(EALREADY), S(EINPROGRESS), S(ESTALE), S(EDQUOT), S(ECANCELED),
	S(EOWNERDEAD), S(ENOTRECOVERABLE), S(ERFKILL), S(EHWPOISON),
};

#undef S

static const struct symbol *find(const struct symbol *table, size_t n,
				 const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

bool symbol_errno(const char *name, int *value)
{
	const struct symbol *s;

	if (!name)
		return false;
	s = find(errnos, sizeof(errnos) / sizeof(errnos[0]), name);
	if (!s)
		return false;
	*value = (int)s->value;
	return true;
}

const char *symbol_errno_name(int value)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].value == value)
			return errnos[i].name;
	return NULL;
}

/* errno names are constants too: getsockopt(..., SO_ERROR, [ECONNRESET], ...). */
bool symbol_lookup(const char *name, int64_t *value)
{
	const struct symbol *s;
	int e;

	if (!name)
		return false;
	s = find(symbols, sizeof(symbols) / sizeof(symbols[0]), name);
	if (s) {
		*value = s->value;
		return true;
	}
	if (symbol_errno(name, &e)) {
		*value = e;
		return true;
	}
	return false;
}
