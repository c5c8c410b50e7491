/* check_symbol.c - constant and errno names resolve to the system's values, and back. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "suites.h"
#include "symbol.h"

static const struct {
	const char *name;
	int64_t value;
} constants[] = {
	{ "SOL_SOCKET", SOL_SOCKET }, { "SO_LINGER", SO_LINGER },
	{ "SO_REUSEADDR", SO_REUSEADDR }, { "SO_RCVBUF", SO_RCVBUF },
	{ "SO_SNDBUF", SO_SNDBUF }, { "SO_ERROR", SO_ERROR },
	{ "SO_KEEPALIVE", SO_KEEPALIVE }, { "SO_REUSEPORT", SO_REUSEPORT },
	{ "AF_INET", AF_INET }, { "AF_INET6", AF_INET6 },
	{ "SOCK_STREAM", SOCK_STREAM }, { "IPPROTO_TCP", IPPROTO_TCP },
	{ "SOL_TCP", IPPROTO_TCP },
	{ "TCP_NODELAY", TCP_NODELAY }, { "TCP_QUICKACK", TCP_QUICKACK },
	{ "TCP_LINGER2", TCP_LINGER2 }, { "TCP_MAXSEG", TCP_MAXSEG },
	{ "O_NONBLOCK", O_NONBLOCK }, { "O_RDWR", O_RDWR },
	{ "F_GETFL", F_GETFL }, { "F_SETFL", F_SETFL },
	{ "SHUT_RD", SHUT_RD }, { "SHUT_WR", SHUT_WR }, { "SHUT_RDWR", SHUT_RDWR },
	{ "MSG_PEEK", MSG_PEEK }, { "MSG_DONTWAIT", MSG_DONTWAIT },
	{ "MSG_NOSIGNAL", MSG_NOSIGNAL },
	{ "SIGPIPE", SIGPIPE },
	/* errno names are constants too (SO_ERROR values) */
	{ "ECONNRESET", ECONNRESET },
};

START_TEST(lookup_gives_the_system_headers_values)
{
	int64_t v = -12345;

	ck_assert_msg(symbol_lookup(constants[_i].name, &v), "%s unknown",
		      constants[_i].name);
	ck_assert_int_eq(v, constants[_i].value);
}
END_TEST

/* Linux numbering (include/net/tcp_states.h), as sock_diag reports it. */
START_TEST(tcp_states_have_linux_numbers)
{
	static const struct {
		const char *name;
		int64_t value;
	} states[] = {
		{ "TCP_ESTABLISHED", 1 }, { "TCP_SYN_SENT", 2 }, { "TCP_SYN_RECV", 3 },
		{ "TCP_FIN_WAIT1", 4 }, { "TCP_FIN_WAIT2", 5 }, { "TCP_TIME_WAIT", 6 },
		{ "TCP_CLOSE", 7 }, { "TCP_CLOSE_WAIT", 8 }, { "TCP_LAST_ACK", 9 },
		{ "TCP_LISTEN", 10 }, { "TCP_CLOSING", 11 },
	};

	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		int64_t v = -1;

		ck_assert_msg(symbol_lookup(states[i].name, &v), "%s", states[i].name);
		ck_assert_int_eq(v, states[i].value);
	}
}
END_TEST

START_TEST(unknown_names_are_not_found)
{
	int64_t v = 77;
	int e = 77;

	ck_assert(!symbol_lookup("SO_NOSUCH", &v));
	ck_assert(!symbol_lookup("", &v));
	ck_assert(!symbol_lookup("so_linger", &v));	/* case matters */
	ck_assert(!symbol_lookup(NULL, &v));
	ck_assert_int_eq(v, 77);
	ck_assert(!symbol_errno("ENOSUCH", &e));
	ck_assert(!symbol_errno("SO_LINGER", &e));	/* a constant, not an errno */
	ck_assert(!symbol_errno(NULL, &e));
	ck_assert_int_eq(e, 77);
}
END_TEST

static const struct {
	const char *name;
	int value;
} errnos[] = {
	{ "ECONNRESET", ECONNRESET }, { "EPIPE", EPIPE }, { "ENOTCONN", ENOTCONN },
	{ "EAGAIN", EAGAIN }, { "EWOULDBLOCK", EWOULDBLOCK },
	{ "EINPROGRESS", EINPROGRESS }, { "EBADF", EBADF }, { "EINVAL", EINVAL },
	{ "ENOENT", ENOENT }, { "ECONNREFUSED", ECONNREFUSED },
	{ "ETIMEDOUT", ETIMEDOUT }, { "EISCONN", EISCONN }, { "ENOTSOCK", ENOTSOCK },
	{ "EADDRINUSE", EADDRINUSE }, { "EOPNOTSUPP", EOPNOTSUPP },
	{ "EINTR", EINTR }, { "EALREADY", EALREADY }, { "ESHUTDOWN", ESHUTDOWN },
	{ "ECONNABORTED", ECONNABORTED }, { "EHOSTUNREACH", EHOSTUNREACH },
	{ "ENETUNREACH", ENETUNREACH }, { "EADDRNOTAVAIL", EADDRNOTAVAIL },
	{ "EAFNOSUPPORT", EAFNOSUPPORT }, { "EPROTO", EPROTO },
	{ "ENOPROTOOPT", ENOPROTOOPT }, { "EFAULT", EFAULT }, { "EPERM", EPERM },
	{ "EACCES", EACCES }, { "ENOBUFS", ENOBUFS }, { "ENOMEM", ENOMEM },
	{ "EMSGSIZE", EMSGSIZE }, { "EDESTADDRREQ", EDESTADDRREQ },
};

START_TEST(errno_names_give_errno_values)
{
	int v = -1;

	ck_assert_msg(symbol_errno(errnos[_i].name, &v), "%s unknown", errnos[_i].name);
	ck_assert_int_eq(v, errnos[_i].value);
}
END_TEST

START_TEST(errno_values_name_themselves)
{
	const char *name = symbol_errno_name(errnos[_i].value);
	int v = -1;

	ck_assert_ptr_nonnull(name);
	ck_assert(symbol_errno(name, &v));
	ck_assert_int_eq(v, errnos[_i].value);
}
END_TEST

START_TEST(errno_aliases_name_the_primary)
{
	ck_assert_str_eq(symbol_errno_name(EWOULDBLOCK), "EAGAIN");
	ck_assert_str_eq(symbol_errno_name(EOPNOTSUPP), "EOPNOTSUPP");
	ck_assert_str_eq(symbol_errno_name(ECONNRESET), "ECONNRESET");
	ck_assert_str_eq(symbol_errno_name(EPIPE), "EPIPE");
	ck_assert_ptr_null(symbol_errno_name(0));
	ck_assert_ptr_null(symbol_errno_name(-1));
	ck_assert_ptr_null(symbol_errno_name(100000));
}
END_TEST

Suite *symbol_suite(void)
{
	Suite *s = suite_create("symbol");
	TCase *tc = tcase_create("symbol");

	tcase_add_loop_test(tc, lookup_gives_the_system_headers_values, 0,
			    sizeof(constants) / sizeof(constants[0]));
	tcase_add_test(tc, tcp_states_have_linux_numbers);
	tcase_add_test(tc, unknown_names_are_not_found);
	tcase_add_loop_test(tc, errno_names_give_errno_values, 0,
			    sizeof(errnos) / sizeof(errnos[0]));
	tcase_add_loop_test(tc, errno_values_name_themselves, 0,
			    sizeof(errnos) / sizeof(errnos[0]));
	tcase_add_test(tc, errno_aliases_name_the_primary);
	suite_add_tcase(s, tc);
	return s;
}
