/* check_call_arg.c - the allow-lists and size checks of system call arguments, each refusal's exact message, and the whole catalogue passing them; no root needed. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "call.h"
#include "call_arg.h"
#include "error.h"
#include "exec.h"
#include "record.h"
#include "script.h"
#include "script_test.h"
#include "shell.h"
#include "suites.h"

/* call_check() of every call and %{ }% block of text, in order: the first failure's status. */
static int check_text(const char *text, char **error)
{
	struct script *s = ok(text);
	int rc = 0;

	for (size_t i = 0; i < script_event_count(s) && rc == 0; i++)
		if (script_event(s, i)->type == EVENT_SYSCALL ||
		    script_event(s, i)->type == EVENT_CODE)
			rc = call_check("t.pkt", script_event(s, i), error);
	script_free(s);
	return rc;
}

static const char *const allowed[] = {
	"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n",
	"0 socket(AF_INET6, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0) = 3\n",
	"0 fcntl(3, F_GETFL) = 0x2 (flags O_RDWR)\n",
	"0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n",
	"0 fcntl(3, F_SETFD, FD_CLOEXEC) = 0\n",
	"0 fcntl(3, F_GETFD) = 1\n",
	"0 setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}, 8) = 0\n",
	"0 setsockopt(3, SOL_TCP, TCP_NODELAY, [1], 4) = 0\n",
	"0 setsockopt(3, IPPROTO_TCP, TCP_USER_TIMEOUT, [1000], ...) = 0\n",
	"0 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0\n",
	"0 writev(4, [{iov_base=..., iov_len=10}, {..., 20}], 2) = 30\n",
	"0 readv(4, [{..., 10}, {..., 20}], 1) = 10\n",
	"0 readv(4, [{..., [5]}], 1) = 5\n",
	"0 write(4, \"hi\\n\", 3) = 3\n",
	"0 send(4, NULL, 0, MSG_DONTWAIT|MSG_NOSIGNAL) = 0\n",
	"0 recv(4, ..., 10, MSG_PEEK) = 10\n",
	"0 listen(3, 0) = 0\n",
	"0 close(2147483647) = -1 EBADF\n",
	"0 shutdown(4, 7) = -1 EINVAL\n",
	"0 tcp_diag(..., {idiag_state=TCP_TIME_WAIT, idiag_expires=55000~60000}) = 0\n",
	"0 ioctl(4, SIOCINQ, [1000]) = 0\n",
	"0 setsockopt(4, SOL_TCP, TCP_NOTSENT_LOWAT, [4294967295], 4) = 0\n",
	"0 getsockopt(3, SOL_TCP, TCP_CONGESTION, \"reno\", [4]) = 0\n",
	"0 getsockopt(3, SOL_TCP, TCP_CONGESTION, \"cubic\", ...) = 0\n",
	"0 ioctl(4, SIOCOUTQ, [0]) = 0\n",
	"0 poll([{fd=4, events=POLLIN|POLLOUT, revents=POLLOUT}], 1, 100) = 1\n",
	"0 epoll_create(1) = 5\n",
	"0 epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLOUT|EPOLLET|EPOLLEXCLUSIVE, fd=4}) = 0\n",
	"0 epoll_wait(5, {events=0, ptr=0}, 1, 0) = 0\n",
	"0 epoll_wait(5, {events=EPOLLERR|EPOLLOUT, fd=4}, 1, 0) = 1\n",
	"0 sendto(4, ..., 1000, MSG_FASTOPEN|MSG_DONTWAIT, ..., ...) = 1000\n",
	"0 sendto(4, NULL, 1, MSG_FASTOPEN, AF_UNSPEC, ...) = -1 EOPNOTSUPP\n",
	"0 recvfrom(4, NULL, 1000, 0, ..., ...) = -1 EFAULT\n",
	"0 connect(4, AF_UNSPEC, ...) = 0\n",
	"0 %{ assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd }%\n",
	"0 pipe([5, 6]) = 0\n",
	"0 splice(4, NULL, 6, NULL, 99, 0) = 99\n",
	"0 splice(5, 0, 4, NULL, 1048576, SPLICE_F_MOVE|SPLICE_F_NONBLOCK|SPLICE_F_MORE) = 10\n",
	"0 open(\"/tmp/testfile\", O_RDONLY) = 5\n",
	"0 open(\"/tmp/a/b\", O_RDONLY|O_CLOEXEC|O_NONBLOCK) = -1 ENOENT\n",
	"0 sendfile(4, 5, [0], 5) = 5\n",
	"0 sendfile(4, 5, [1048576], 1048576) = 0\n",
	"0 sigpending([SIGPIPE]) = 0\n",
	"0 sigpending([0]) = 0\n",
};

START_TEST(calls_the_tables_allow_pass)
{
	char *error = NULL;

	shell_allow_unsandboxed();	/* open(): where /tmp is the case's own */
	ck_assert_msg(check_text(allowed[_i], &error) == 0, "%s: %s", allowed[_i],
		      error ? error : "?");
}
END_TEST

static const struct {
	const char *text;
	int status;
	const char *message;
} refused[] = {
	/* what reaches outside the case (issue #9) */
	{ "0 fcntl(4, F_SETOWN, 1) = 0\n", STATUS_ERROR,
	  "t.pkt:1:12: fcntl(): argument 2: F_SETOWN is not allowed (it could signal a process outside the case)" },
	{ "0 fcntl(4, 8, 1) = 0\n", STATUS_ERROR,
	  "t.pkt:1:12: fcntl(): argument 2: F_SETOWN is not allowed (it could signal a process outside the case)" },
	{ "0 fcntl(4, F_SETSIG, SIGKILL) = 0\n", STATUS_ERROR,
	  "t.pkt:1:12: fcntl(): argument 2: F_SETSIG is not allowed (it could signal a process outside the case)" },
	{ "0 fcntl(4, F_SETOWN_EX, 1) = 0\n", STATUS_ERROR,
	  "t.pkt:1:12: fcntl(): argument 2: F_SETOWN_EX is not allowed (it could signal a process outside the case)" },
	{ "0 fcntl(4, F_SETLEASE, 1) = 0\n", STATUS_ERROR,
	  "t.pkt:1:12: fcntl(): argument 2: F_SETLEASE is not allowed (it could signal a process outside the case)" },
	{ "0 fcntl(4, F_NOTIFY, 1) = 0\n", STATUS_ERROR,
	  "t.pkt:1:12: fcntl(): argument 2: F_NOTIFY is not allowed (it could signal a process outside the case)" },
	{ "0 fcntl(4, F_SETFL, O_RDWR|O_ASYNC) = 0\n", STATUS_ERROR,
	  "t.pkt:1:21: fcntl(): argument 3: O_ASYNC is not allowed (it could signal a process outside the case)" },
	{ "0 fcntl(4, F_SETFL, O_APPEND) = 0\n", STATUS_ERROR,
	  "t.pkt:1:21: fcntl(): argument 3: O_APPEND is not allowed (allowed: O_RDONLY, O_WRONLY, O_RDWR)" },
	{ "0 fcntl(4, F_SETFD, 2) = 0\n", STATUS_ERROR,
	  "t.pkt:1:21: fcntl(): argument 3: 0x2 is not allowed (allowed: 0, FD_CLOEXEC)" },
	{ "0 fcntl(4, F_SETPIPE_SZ, 1) = 0\n", STATUS_ERROR,
	  "t.pkt:1:12: fcntl(): argument 2: F_SETPIPE_SZ is not allowed (allowed: F_GETFD, F_SETFD, F_GETFL, F_SETFL)" },
	{ "0 fcntl(4, 1234) = 0\n", STATUS_ERROR,
	  "t.pkt:1:12: fcntl(): argument 2: 1234 is not allowed (allowed: F_GETFD, F_SETFD, F_GETFL, F_SETFL)" },
	{ "0 fcntl(4, F_DUPFD, 5) = 5\n", STATUS_ERROR,
	  "t.pkt:1:12: fcntl(): argument 2: F_DUPFD is not allowed (the new descriptor would have no number in the script)" },
	{ "0 fcntl(4, F_SETFL) = 0\n", STATUS_ERROR,
	  "t.pkt:1:12: fcntl(): argument 2: F_SETFL needs a third argument" },
	{ "0 fcntl(4, F_GETFL, 1) = 0\n", STATUS_ERROR,
	  "t.pkt:1:12: fcntl(): argument 2: F_GETFL takes no third argument" },
	/* socket() */
	{ "0 socket(AF_PACKET, SOCK_STREAM, 0) = 3\n", STATUS_ERROR,
	  "t.pkt:1:10: socket(): argument 1: AF_PACKET is not allowed (allowed: AF_INET, AF_INET6)" },
	{ "0 socket(..., SOCK_DGRAM, 0) = 3\n", STATUS_ERROR,
	  "t.pkt:1:15: socket(): argument 2: SOCK_DGRAM is not allowed (only TCP sockets are tested)" },
	{ "0 socket(..., SOCK_STREAM|0x10000, 0) = 3\n", STATUS_ERROR,
	  "t.pkt:1:15: socket(): argument 2: SOCK_STREAM|65536 is not allowed (allowed: SOCK_STREAM)" },
	{ "0 socket([...], SOCK_STREAM, 0) = 3\n", STATUS_ERROR,
	  "t.pkt:1:10: socket(): argument 1: expected an integer, found '...'" },
	{ "0 socket(..., SOCK_STREAM, IPPROTO_UDP) = 3\n", STATUS_ERROR,
	  "t.pkt:1:28: socket(): argument 3: IPPROTO_UDP is not allowed (allowed: 0, IPPROTO_TCP)" },
	{ "0 socket(..., SOCK_STREAM, 0) = 4294967299\n", STATUS_ERROR,
	  "t.pkt:1:33: socket(): result 4294967299 is out of range for a descriptor (-1 to 2147483647)" },
	/* socket options: typed, by level and name */
	{ "0 setsockopt(3, SOL_SOCKET, SO_BUSY_POLL, [1], 4) = 0\n", STATUS_ERROR,
	  "t.pkt:1:29: setsockopt(): argument 3: SO_BUSY_POLL is not allowed (it spins a CPU the host shares)" },
	/* the cookie key: 16 or 32 bytes, set only */
	{ "0 setsockopt(3, SOL_TCP, TCP_FASTOPEN_KEY, [1], 4) = 0\n", STATUS_ERROR,
	  "t.pkt:1:44: setsockopt(): argument 4: TCP_FASTOPEN_KEY takes a string of at most 32 bytes" },
	{ "0 setsockopt(3, SOL_TCP, TCP_FASTOPEN_KEY, \"\", 33) = 0\n", STATUS_ERROR,
	  "t.pkt:1:48: setsockopt(): argument 5: a length 33 is out of range (0 to 32)" },
	{ "0 getsockopt(3, SOL_TCP, TCP_FASTOPEN_KEY, \"abcdefghijklmnop\", 16) = 0\n", STATUS_ERROR,
	  "t.pkt:1:26: getsockopt(): argument 3: TCP_FASTOPEN_KEY is supported by setsockopt() only" },
	{ "0 setsockopt(3, SOL_TCP, TCP_CONGESTION, [1], 4) = 0\n", STATUS_ERROR,
	  "t.pkt:1:26: setsockopt(): argument 3: TCP_CONGESTION is not allowed (the kernel may load a module by that name, outside the case)" },
	{ "0 setsockopt(3, SOL_SOCKET, TCP_NODELAY, [1], 4) = 0\n", STATUS_ERROR,
	  "t.pkt:1:29: setsockopt(): argument 3: TCP_NODELAY is not allowed at level SOL_SOCKET" },
	{ "0 getsockopt(3, SOL_IP, 99, [1], 4) = 0\n", STATUS_ERROR,
	  "t.pkt:1:25: getsockopt(): argument 3: 99 is not allowed at level SOL_IP" },
	{ "0 setsockopt(3, 263, 1, [1], 4) = 0\n", STATUS_ERROR,
	  "t.pkt:1:17: setsockopt(): argument 2: 0x107 is not allowed (allowed: SOL_SOCKET, IPPROTO_TCP, IPPROTO_IP, IPPROTO_IPV6)" },
	{ "0 setsockopt(3, SOL_SOCKET, SO_LINGER, [1], 4) = 0\n", STATUS_ERROR,
	  "t.pkt:1:40: setsockopt(): argument 4: SO_LINGER takes {l_onoff=N, l_linger=N}, found a list" },
	{ "0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, {l_onoff=1}, 8) = 0\n", STATUS_ERROR,
	  "t.pkt:1:43: setsockopt(): argument 4: expected an integer, found a struct" },
	{ "0 setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, x=0}, 8) = 0\n", STATUS_ERROR,
	  "t.pkt:1:54: setsockopt(): argument 4: expected l_onoff=N or l_linger=N" },
	{ "0 setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}, 4) = 0\n", STATUS_ERROR,
	  "t.pkt:1:65: setsockopt(): argument 5: length 4 does not match SO_LINGER, 8 bytes" },
	{ "0 setsockopt(3, SOL_SOCKET, SO_RCVBUF, [4294967296], 4) = 0\n", STATUS_ERROR,
	  "t.pkt:1:41: setsockopt(): argument 4: an integer 4294967296 is out of range (-2147483648 to 4294967295)" },
	/* counts and sizes against what the line wrote */
	{ "0 writev(4, [{..., 1}], 16) = 1\n", STATUS_ERROR,
	  "t.pkt:1:25: writev(): argument 3: count 16 is more than the 1 iovecs of argument 2" },
	{ "0 readv(4, [{..., 1}], -1) = 1\n", STATUS_ERROR,
	  "t.pkt:1:24: readv(): argument 3: a count -1 is out of range (0 to 2147483647)" },
	{ "0 writev(4, [{..., 1048577}], 1) = 1\n", STATUS_ERROR,
	  "t.pkt:1:20: writev(): argument 2: an iovec length 1048577 is out of range (0 to 1048576)" },
	{ "0 writev(4, [1], 1) = 1\n", STATUS_ERROR,
	  "t.pkt:1:14: writev(): argument 2: iovec 1: expected {..., length}" },
	{ "0 close(4294967300) = 0\n", STATUS_ERROR,
	  "t.pkt:1:9: close(): argument 1: descriptor 4294967300 is out of range (0 to 2147483647)" },
	{ "0 close(-1) = -1 EBADF\n", STATUS_ERROR,
	  "t.pkt:1:9: close(): argument 1: descriptor -1 is out of range (0 to 2147483647)" },
	{ "0 listen(3, 65536) = 0\n", STATUS_ERROR,
	  "t.pkt:1:13: listen(): argument 2: an integer 65536 is out of range (0 to 65535)" },
	{ "0 shutdown(4, 4294967296) = 0\n", STATUS_ERROR,
	  "t.pkt:1:15: shutdown(): argument 2: an integer 4294967296 is out of range (-2147483648 to 2147483647)" },
	{ "0 read(4, ..., 1048577) = 0\n", STATUS_ERROR,
	  "t.pkt:1:16: read(): argument 3: an integer 1048577 is out of range (0 to 1048576)" },
	{ "0 write(4, \"abc\", 10) = 10\n", STATUS_ERROR,
	  "t.pkt:1:12: write(): argument 2: a string of 3 bytes for a count of 10 (argument 3): the two must agree" },
	{ "0 read(4, \"abc\", 3) = 3\n", STATUS_ERROR,
	  "t.pkt:1:11: read(): argument 2: expected '...' or NULL, found a string" },
	{ "0 recv(4, ..., 1, MSG_ERRQUEUE) = 1\n", STATUS_ERROR,
	  "t.pkt:1:19: recv(): argument 4: MSG_ERRQUEUE is not allowed (allowed: 0)" },
	{ "0 send(4, ..., 1, MSG_PEEK) = 1\n", STATUS_ERROR,
	  "t.pkt:1:19: send(): argument 4: MSG_PEEK is not allowed (allowed: 0)" },
	{ "0 tcp_diag(..., {idiag_nosuch=1}) = 0\n", STATUS_ERROR,
	  "t.pkt:1:31: tcp_diag(): argument 2: unknown field 'idiag_nosuch'" },
	/* the call as a whole */
	{ "0 close(3, 4) = 0\n", STATUS_ERROR,
	  "t.pkt:1:1: close() takes 1 to 1 arguments, the script gives 2" },
	{ "0 cap_set(\"cap_net_admin+ep\") = 0\n", STATUS_SKIP,
	  "t.pkt:1:1: system call cap_set() is not supported" },
	/* sigpending(): one signal or none, and only one the calls' thread holds */
	{ "0 sigpending([SIGURG]) = 0\n", STATUS_ERROR,
	  "t.pkt:1:15: sigpending(): argument 1: only SIGPIPE can be pending: it is the one signal the calls' thread holds" },
	{ "0 sigpending(SIGPIPE) = 0\n", STATUS_ERROR,
	  "t.pkt:1:14: sigpending(): argument 1: expected [SIGPIPE] or [0] (none pending)" },
	{ "0 sigpending([SIGPIPE, SIGURG]) = 0\n", STATUS_ERROR,
	  "t.pkt:1:14: sigpending(): argument 1: expected [SIGPIPE] or [0] (none pending)" },
	/* pipe(), open(), splice(), sendfile() */
	{ "0 pipe([5]) = 0\n", STATUS_ERROR,
	  "t.pkt:1:8: pipe(): argument 1: expected [read end, write end], two descriptors" },
	{ "0 pipe([5, 5]) = 0\n", STATUS_ERROR,
	  "t.pkt:1:12: pipe(): argument 1: both ends are descriptor 5" },
	{ "0 pipe([5, -1]) = 0\n", STATUS_ERROR,
	  "t.pkt:1:12: pipe(): argument 1: descriptor -1 is out of range (0 to 2147483647)" },
	{ "0 pipe(5, 6) = 0\n", STATUS_ERROR,
	  "t.pkt:1:1: pipe() takes 1 to 1 arguments, the script gives 2" },
	{ "0 open(\"/tmp/f\", O_WRONLY) = 5\n", STATUS_ERROR,
	  "t.pkt:1:18: open(): argument 2: O_WRONLY is not allowed (open() only reads: a case's files are its commands' to write)" },
	{ "0 open(\"/tmp/f\", O_RDWR|O_NONBLOCK) = 5\n", STATUS_ERROR,
	  "t.pkt:1:18: open(): argument 2: O_RDWR is not allowed (open() only reads: a case's files are its commands' to write)" },
	{ "0 open(\"/tmp/f\", O_RDONLY|O_CREAT) = 5\n", STATUS_ERROR,
	  "t.pkt:1:18: open(): argument 2: O_CREAT is not allowed (it creates a file; open() only reads: a case's files are its commands' to write)" },
	{ "0 open(\"/tmp/f\", O_RDONLY|O_TRUNC) = 5\n", STATUS_ERROR,
	  "t.pkt:1:18: open(): argument 2: O_TRUNC is not allowed (it empties the file even when read-only; open() only reads: a case's files are its commands' to write)" },
	{ "0 open(\"/tmp/f\", 0x4000) = 5\n", STATUS_ERROR,
	  "t.pkt:1:18: open(): argument 2: 0x4000 is not allowed (allowed: O_RDONLY)" },
	{ "0 open(\"/etc/passwd\", O_RDONLY) = 5\n", STATUS_ERROR,
	  "t.pkt:1:8: open(): argument 1: \"/etc/passwd\" is not below /tmp/: open() reads only the case's own /tmp" },
	{ "0 open(\"/tmp/../etc/passwd\", O_RDONLY) = 5\n", STATUS_ERROR,
	  "t.pkt:1:8: open(): argument 1: \"/tmp/../etc/passwd\" has a '..': open() reads only below /tmp/" },
	{ "0 open(\"/tmp/a/..\", O_RDONLY) = 5\n", STATUS_ERROR,
	  "t.pkt:1:8: open(): argument 1: \"/tmp/a/..\" has a '..': open() reads only below /tmp/" },
	{ "0 open(\"/tmp/\", O_RDONLY) = 5\n", STATUS_ERROR,
	  "t.pkt:1:8: open(): argument 1: \"/tmp/\" is not below /tmp/: open() reads only the case's own /tmp" },
	{ "0 open(\"/tmpfile\", O_RDONLY) = 5\n", STATUS_ERROR,
	  "t.pkt:1:8: open(): argument 1: \"/tmpfile\" is not below /tmp/: open() reads only the case's own /tmp" },
	{ "0 open(\"tmp/f\", O_RDONLY) = 5\n", STATUS_ERROR,
	  "t.pkt:1:8: open(): argument 1: \"tmp/f\" is not below /tmp/: open() reads only the case's own /tmp" },
	{ "0 open(5, O_RDONLY) = 5\n", STATUS_ERROR,
	  "t.pkt:1:8: open(): argument 1: expected a path in quotes, found an integer" },
	{ "0 open(\"/tmp/f\", O_RDONLY) = 4294967296\n", STATUS_ERROR,
	  "t.pkt:1:30: open(): result 4294967296 is out of range for a descriptor (-1 to 2147483647)" },
	{ "0 splice(4, [0], 6, NULL, 1, 0) = 1\n", STATUS_ERROR,
	  "t.pkt:1:13: splice(): argument 2: expected NULL, found a list (pipes and sockets take no offset; packetdrill passes a number as an address)" },
	{ "0 splice(4, NULL, 6, 140737488355328, 1, 0) = 1\n", STATUS_ERROR,
	  "t.pkt:1:22: splice(): argument 4: expected NULL, found an integer (pipes and sockets take no offset; packetdrill passes a number as an address)" },
	{ "0 splice(4, NULL, 6, NULL, 1048577, 0) = 1\n", STATUS_ERROR,
	  "t.pkt:1:28: splice(): argument 5: an integer 1048577 is out of range (0 to 1048576)" },
	{ "0 splice(4, NULL, 6, NULL, 1, 0x10) = 1\n", STATUS_ERROR,
	  "t.pkt:1:31: splice(): argument 6: 0x10 is not allowed (allowed: 0)" },
	{ "0 sendfile(4, 5, 0, 5) = 5\n", STATUS_ERROR,
	  "t.pkt:1:18: sendfile(): argument 3: expected [offset], found an integer" },
	{ "0 sendfile(4, 5, NULL, 5) = 5\n", STATUS_ERROR,
	  "t.pkt:1:18: sendfile(): argument 3: expected [offset], found 'NULL'" },
	{ "0 sendfile(4, 5, [-1], 5) = 5\n", STATUS_ERROR,
	  "t.pkt:1:19: sendfile(): argument 3: an offset -1 is out of range (0 to 9223372036854775807)" },
	{ "0 sendfile(4, 5, [0], 1048577) = 5\n", STATUS_ERROR,
	  "t.pkt:1:23: sendfile(): argument 4: an integer 1048577 is out of range (0 to 1048576)" },
	/* the calls of issue #11 */
	{ "0 getsockopt(3, SOL_TCP, TCP_CONGESTION, \"reno\", [5]) = 0\n", STATUS_ERROR,
	  "t.pkt:1:51: getsockopt(): argument 5: length 5 does not match TCP_CONGESTION, 4 bytes" },
	{ "0 getsockopt(3, SOL_TCP, TCP_CONGESTION, [1], [4]) = 0\n", STATUS_ERROR,
	  "t.pkt:1:42: getsockopt(): argument 4: TCP_CONGESTION takes a string of at most 16 bytes" },
	{ "0 ioctl(4, FIONBIO, [1]) = 0\n", STATUS_ERROR,
	  "t.pkt:1:12: ioctl(): argument 2: FIONBIO is not allowed (use fcntl(F_SETFL, O_NONBLOCK))" },
	{ "0 ioctl(4, SIOCINQ, 1) = 0\n", STATUS_ERROR,
	  "t.pkt:1:21: ioctl(): argument 3: expected [N], the value the kernel writes" },
	{ "0 poll([{fd=4, events=POLLIN}], 1, 0) = 0\n", STATUS_ERROR,
	  "t.pkt:1:9: poll(): argument 1: pollfd 1: expected fd, events and revents" },
	{ "0 poll([{fd=4, events=POLLIN, revents=0}], 2, 0) = 0\n", STATUS_ERROR,
	  "t.pkt:1:44: poll(): argument 2: a count 2 is out of range (0 to 1)" },
	{ "0 poll([{fd=4, events=POLLIN, revents=0}], 1, 3600000) = 0\n", STATUS_ERROR,
	  "t.pkt:1:47: poll(): argument 3: an integer 3600000 is out of range (-1 to 600000)" },
	{ "0 epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLIN|EPOLLWAKEUP, fd=4}) = 0\n", STATUS_ERROR,
	  "t.pkt:1:42: epoll_ctl(): argument 4: EPOLLWAKEUP is not allowed (it keeps the host from suspending)" },
	{ "0 epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLIN, fd=3}) = 0\n", STATUS_ERROR,
	  "t.pkt:1:54: epoll_ctl(): argument 4: fd=3 is not the descriptor of argument 3 (4)" },
	{ "0 epoll_wait(5, {events=0}, 1, 0) = 0\n", STATUS_ERROR,
	  "t.pkt:1:17: epoll_wait(): argument 2: expected {events=M, fd=N} (or ptr=, u32=, u64=)" },
	{ "0 connect(4, AF_INET, ...) = 0\n", STATUS_ERROR,
	  "t.pkt:1:14: connect(): argument 2: AF_INET is not allowed (allowed: AF_UNSPEC)" },
	{ "0 sendto(4, ..., 1, MSG_ERRQUEUE, ..., ...) = 1\n", STATUS_ERROR,
	  "t.pkt:1:21: sendto(): argument 4: MSG_ERRQUEUE is not allowed (allowed: 0)" },
	{ "0 %{ if x: pass }%\n", STATUS_SKIP,
	  "t.pkt:1:6: %{ }%: 'if' is not supported (tcpconf evaluates assert, print and integer expressions only)" },
	{ "0 %{ assert bbr_bw > 0 }%\n", STATUS_SKIP,
	  "t.pkt:1:6: %{ }%: name bbr_bw is not supported (tcpconf gives tcpi_* of this "
	  "kernel's TCP_INFO and SK_MEMINFO_* of SO_MEMINFO)" },
	{ "0 %{ assert SK_MEMINFO_RCVBUF > SK_MEMINFO_FOO }%\n", STATUS_SKIP,
	  "t.pkt:1:6: %{ }%: name SK_MEMINFO_FOO is not supported (tcpconf gives tcpi_* of this "
	  "kernel's TCP_INFO and SK_MEMINFO_* of SO_MEMINFO)" },
	{ "0 %{ assert (1 }%\n", STATUS_ERROR,
	  "t.pkt:1:15: %{ }%: expected ')', found the end of the block" },
};

START_TEST(calls_outside_the_tables_are_refused_by_name)
{
	char *error = NULL;

	shell_allow_unsandboxed();	/* open(): as in the sandbox */
	ck_assert_int_eq(check_text(refused[_i].text, &error), refused[_i].status);
	ck_assert_str_eq(error, refused[_i].message);
	free(error);
}
END_TEST

/* Outside the per-case sandbox /tmp is the host's: open() SKIPs there. */
START_TEST(open_skips_outside_the_sandbox)
{
	char *error = NULL;

	ck_assert_int_eq(check_text("0 open(\"/tmp/f\", O_RDONLY) = 5\n", &error), STATUS_SKIP);
	ck_assert_str_eq(error, "t.pkt:1:8: open(): /tmp is the case's own only inside "
			 "the per-case sandbox");
	free(error);
}
END_TEST

/* The arguments as the call reads them agree with what the check passed. */
START_TEST(decoding_gives_what_the_kernel_gets)
{
	struct script *s = ok("0 writev(4, [{..., 10}, {..., 20}], 1) = 10\n"
			      "0 setsockopt(4, SOL_SOCKET, SO_LINGER, {l_linger=5, l_onoff=1}, 8) = 0\n"
			      "0 getsockopt(4, SOL_TCP, TCP_NODELAY, [1], [4]) = 0\n");
	const struct syscall_event *sc = &script_event(s, 0)->u.syscall;
	size_t lens[CALL_ARG_IOV_MAX], n;
	struct call_optval v;
	int count, level, name;
	char *error = NULL;

	ck_assert_int_eq(call_arg_iovecs(sc, lens, &n, &count, &error), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(lens[0], 10);
	ck_assert_uint_eq(lens[1], 20);
	ck_assert_int_eq(count, 1);
	sc = &script_event(s, 1)->u.syscall;
	ck_assert_int_eq(call_arg_sockopt(sc, &level, &name, &v, &error), 0);
	ck_assert_int_eq(level, SOL_SOCKET);
	ck_assert_int_eq(name, SO_LINGER);
	ck_assert_uint_eq(v.len, sizeof(struct linger));
	ck_assert_int_eq(v.u.l.l_onoff, 1);
	ck_assert_int_eq(v.u.l.l_linger, 5);
	sc = &script_event(s, 2)->u.syscall;
	ck_assert_int_eq(call_arg_sockopt(sc, &level, &name, &v, &error), 0);
	ck_assert_uint_eq(v.len, sizeof(int));
	ck_assert_int_eq(v.u.i, 1);
	ck_assert_int_eq(call_arg_int(sc, 0, &count, &error), 0);
	ck_assert_int_eq(count, 4);
	ck_assert_ptr_null(error);
	ck_assert(call_arg_returns_fd("accept"));
	ck_assert(!call_arg_returns_fd("close"));
	script_free(s);
}
END_TEST

/* When the call is made nothing is narrowed silently either. */
START_TEST(decoding_refuses_what_does_not_fit_an_int)
{
	struct script *s = ok("0 close(4294967300) = 0\n");
	char *error = NULL;
	int v;

	ck_assert_int_eq(call_arg_int(&script_event(s, 0)->u.syscall, 0, &v, &error),
			 STATUS_ERROR);
	ck_assert_str_eq(error, "close(): argument 1: an integer 4294967300 is out "
			 "of range (-2147483648 to 2147483647)");
	free(error);
	script_free(s);
}
END_TEST

/* The case's pre-check refuses before the test bed exists: no root, nothing runs. */
START_TEST(a_refused_call_fails_the_case_before_anything_runs)
{
	struct script *s = ok("0 socket(..., SOCK_STREAM, 0) = 3\n"
			      "+0 fcntl(3, F_SETSIG, SIGKILL) = 0\n");
	struct exec_options o = { .tolerance_usecs = -1, .pcap_dir = NULL };
	struct record rec = { 0 };

	exec_case(s, AF_INET, &o, &rec);
	ck_assert_int_eq(rec.verdict, VERDICT_FAIL);
	ck_assert_str_eq(rec.message, "t.pkt:2:13: fcntl(): argument 2: F_SETSIG is "
			 "not allowed (it could signal a process outside the case)");
	record_clear(&rec);
	script_free(s);
}
END_TEST

/* Every call of every .pkt under dir passes: how many scripts. */
static int check_tree(const char *dir)
{
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort), count = 0;

	ck_assert_msg(n >= 0, "%s: cannot read", dir);
	for (int i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		size_t len = strlen(name);
		char path[1024];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (name[0] != '.' && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			count += check_tree(path);
		} else if (len > 4 && !strcmp(name + len - 4, ".pkt")) {
			struct script *s = NULL;
			char *error = NULL;

			ck_assert_msg(script_parse_file(path, &s, &error) == 0, "%s", error);
			for (size_t k = 0; k < script_event_count(s); k++) {
				const struct event *ev = script_event(s, k);

				if (ev->type == EVENT_SYSCALL)
					ck_assert_msg(call_check(path, ev, &error) == 0,
						      "%s", error);
			}
			script_free(s);
			count++;
		}
		free(list[i]);
	}
	free(list);
	return count;
}

START_TEST(every_call_of_the_catalogue_passes)
{
	ck_assert_int_ge(check_tree("cases"), 26);
}
END_TEST

Suite *call_arg_suite(void)
{
	Suite *s = suite_create("call_arg");
	TCase *tc = tcase_create("tables");

	tcase_add_loop_test(tc, calls_the_tables_allow_pass, 0,
			    sizeof(allowed) / sizeof(allowed[0]));
	tcase_add_loop_test(tc, calls_outside_the_tables_are_refused_by_name, 0,
			    sizeof(refused) / sizeof(refused[0]));
	tcase_add_test(tc, open_skips_outside_the_sandbox);
	tcase_add_test(tc, decoding_gives_what_the_kernel_gets);
	tcase_add_test(tc, decoding_refuses_what_does_not_fit_an_int);
	tcase_add_test(tc, a_refused_call_fails_the_case_before_anything_runs);
	tcase_add_test(tc, every_call_of_the_catalogue_passes);
	suite_add_tcase(s, tc);
	return s;
}
