/*
 * option.c - see option.h.
 *
 * atoi("abc") is 0 and strtoll of a huge value saturates silently: a
 * number that reaches timing arithmetic or a fork loop unchecked becomes
 * an overflow or thousands of failed starts, so every value of every
 * option is read here, by its row's kind, before anything uses it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "define.h"
#include "error.h"
#include "exec.h"
#include "bed.h"
#include "option.h"
#include "run.h"

#define DEFAULT_TOLERANCE_USECS		4000
#define DEFAULT_TOLERANCE_PERCENT	12.5	/* packetdrill's: timer wheel slack */

int option_number(const char *name, const char *arg, long long min, long long max,
		  long long *out, char **error)
{
	char *end = NULL;
	long long v;

	errno = 0;
	/* strtoll would skip leading white space: a value is digits, maybe a sign */
	if (arg && (*arg == '-' || *arg == '+' || (*arg >= '0' && *arg <= '9'))) {
		v = strtoll(arg, &end, 10);
		if (end != arg && !*end && !errno && v >= min && v <= max) {
			*out = v;
			return STATUS_OK;
		}
	}
	return error_set(error, "%s: expected an integer from %lld to %lld, found '%s'",
			 name, min, max, arg ? arg : "");
}

/* ---- what each row stores ---- */

#define SET_INT(field)								\
static int set_##field(struct option_values *v, const union option_arg *a, char **e) \
{ (void)e; v->field = a->n; return STATUS_OK; }
#define SET_FLAG(field)								\
static int set_##field(struct option_values *v, const union option_arg *a, char **e) \
{ (void)a; (void)e; v->field = true; return STATUS_OK; }
#define SET_TEXT(field)								\
static int set_##field(struct option_values *v, const union option_arg *a, char **e) \
{ (void)e; v->field = a->s; return STATUS_OK; }

SET_INT(tolerance_usecs)
SET_INT(tcp_ts_tick_usecs)
SET_INT(mtu)
SET_INT(mss)
SET_INT(jobs)
SET_FLAG(dry_run)
SET_FLAG(send_omit_free)
SET_FLAG(strict_segments)
SET_FLAG(strict_quiet)
SET_FLAG(tcp_ts_ecr_scaled)
SET_FLAG(verbose)
SET_FLAG(help)
SET_FLAG(vary)
SET_TEXT(results)
SET_TEXT(json)
SET_TEXT(tap)
SET_TEXT(junit)
SET_TEXT(ktap)
SET_TEXT(pcap_dir)
SET_TEXT(local_ip)
SET_TEXT(remote_ip)

/* --format ktap is --ktap -: the one format that streams to standard output. */
static int set_format(struct option_values *v, const union option_arg *a, char **e)
{
	(void)a;
	(void)e;
	v->ktap = "-";
	return STATUS_OK;
}

static int set_ip_version(struct option_values *v, const union option_arg *a, char **e)
{
	(void)e;
	v->ip_version = (enum option_ip)a->n;
	return STATUS_OK;
}

static int set_gso(struct option_values *v, const union option_arg *a, char **e)
{
	(void)e;
	v->gso_off = a->n == 1;
	return STATUS_OK;
}

static int set_tolerance_percent(struct option_values *v, const union option_arg *a, char **e)
{
	(void)e;
	v->tolerance_percent = a->d;
	return STATUS_OK;
}

/* packetdrill only ever adds kinds: a later --non_fatal does not clear one */
static int set_non_fatal(struct option_values *v, const union option_arg *a, char **e)
{
	(void)e;
	v->non_fatal_packet |= (a->n & 1) != 0;
	v->non_fatal_syscall |= (a->n & 2) != 0;
	return STATUS_OK;
}

/* Accepted and checked; the bed keeps its documentation-range addresses. */
static int set_nothing(struct option_values *v, const union option_arg *a, char **e)
{
	(void)v;
	(void)a;
	(void)e;
	return STATUS_OK;
}

static int set_define(struct option_values *v, const union option_arg *a, char **e)
{
	if (!v->defines && !(v->defines = define_list_new()))
		return error_set(e, "out of memory");
	/* a later -D of the same NAME wins, as in packetdrill */
	return define_list_set(v->defines, a->s, false, e);
}

/* ---- the table ---- */

/* Index order is enum option_ip's. */
static const char *const ip_words[] = { "both", "ipv4", "ipv6", "ipv4-mapped-ipv6", NULL };
static const char *const format_words[] = { "ktap", NULL };
static const char *const gso_words[] = { "on", "off", NULL };
static const char *const non_fatal_words[] = { "packet", "syscall", NULL };

#define BOTH	(OPTION_CLI | OPTION_SCRIPT)

const struct option_desc option_table[] = {
	{ "ip_version", 0, OPTION_WORD, BOTH, 0, 0, ip_words, set_ip_version,
	  "--ip_version=V        ipv4, ipv6, both (default) or ipv4-mapped-ipv6" },
	{ "tolerance_usecs", 0, OPTION_INTEGER, BOTH, 0, EXEC_TOLERANCE_MAX_USECS, NULL,
	  set_tolerance_usecs, "--tolerance_usecs=N   timing tolerance, 0 to 10000000 (default 4000)" },
	{ "tolerance_percent", 0, OPTION_DECIMAL, BOTH, 0, 100, NULL, set_tolerance_percent,
	  "--tolerance_percent=P at least P% of the time since the previous event (default 12.5)" },
	{ "tcp_ts_tick_usecs", 0, OPTION_INTEGER, BOTH, 0, 1000000, NULL, set_tcp_ts_tick_usecs,
	  "--tcp_ts_tick_usecs=N judge outbound TS val progress at N us a tick (default 0: not)" },
	{ "non_fatal", 0, OPTION_WORD_LIST, BOTH, 0, 0, non_fatal_words, set_non_fatal,
	  "--non_fatal=packet    a wrong outbound packet is a warning, the case goes on" },
	{ "dry_run", 0, OPTION_FLAG, BOTH, 0, 0, NULL, set_dry_run,
	  "--dry_run             parse and check the scripts, run nothing (SKIP)" },
	{ "define", 'D', OPTION_DEFINE, BOTH, 0, 0, NULL, set_define,
	  "-D NAME=VALUE         a script word NAME reads as VALUE (also --define)" },
	{ "gso", 0, OPTION_WORD, BOTH, 0, 0, gso_words, set_gso,
	  "--gso=on|off          on (default): super-segments whole, large inbound ones as GSO\n"
	  "                        packets, as packetdrill's tun; off: real segments on the wire" },
	{ "mtu", 0, OPTION_INTEGER, BOTH, BED_MTU_MIN, BED_MTU_MAX, NULL, set_mtu,
	  "--mtu=N               the bed's MTU, 68 to 65535 (default 1500, 1520 for IPv6)" },
	{ "mss", 0, OPTION_INTEGER, BOTH, 1, BED_MSS_MAX, NULL, set_mss,
	  "--mss=N               GSO size of inbound segments longer than N, 1 to 65495" },
	{ "local_ip", 0, OPTION_ADDRESS, BOTH, 0, 0, NULL, set_local_ip,
	  "--local_ip=A --remote_ip=A   the addresses scripts' Fast Open cookies are for\n"
	  "                        (default: packetdrill's runners'); the bed keeps its own\n"
	  "--gateway_ip=A --netmask_ip=M   checked, not used" },
	{ "remote_ip", 0, OPTION_ADDRESS, BOTH, 0, 128, NULL, set_remote_ip, NULL },
	{ "gateway_ip", 0, OPTION_ADDRESS, BOTH, 0, 0, NULL, set_nothing, NULL },
	{ "netmask_ip", 0, OPTION_NETMASK, BOTH, 0, 0, NULL, set_nothing, NULL },
	{ "send_omit_free", 0, OPTION_FLAG, BOTH, 0, 0, NULL, set_send_omit_free,
	  "--send_omit_free --tcp_ts_ecr_scaled   accepted (see README)" },
	{ "strict_segments", 0, OPTION_FLAG, BOTH, 0, 0, NULL, set_strict_segments,
	  "--strict_segments     an outbound line matches one segment, never several joined" },
	{ "strict_quiet", 0, OPTION_FLAG, BOTH, 0, 0, NULL, set_strict_quiet,
	  "--strict_quiet        a segment the kernel sends where no outbound line awaits it\n"
	  "                        fails (tcpconf's; packetdrill judges only at outbound lines)" },
	{ "tcp_ts_ecr_scaled", 0, OPTION_FLAG, BOTH, 0, 0, NULL, set_tcp_ts_ecr_scaled, NULL },
	{ "jobs", 'j', OPTION_INTEGER, OPTION_CLI, 1, RUN_JOBS_MAX, NULL, set_jobs,
	  "-j N                  cases in parallel, 1 to 1024 (default: 16 per CPU, 2 without real-time priority)" },
	{ "results", 0, OPTION_TEXT, OPTION_CLI, 0, 0, NULL, set_results,
	  "--results DIR         write DIR/results.jsonl, results.tap, junit.xml, meta.json" },
	{ "json", 0, OPTION_TEXT, OPTION_CLI, 0, 0, NULL, set_json,
	  "--json FILE --tap FILE --junit FILE   write one format ('-': standard output,\n"
	  "                        and the progress lines go to standard error)" },
	{ "tap", 0, OPTION_TEXT, OPTION_CLI, 0, 0, NULL, set_tap, NULL },
	{ "junit", 0, OPTION_TEXT, OPTION_CLI, 0, 0, NULL, set_junit, NULL },
	{ "ktap", 0, OPTION_TEXT, OPTION_CLI, 0, 0, NULL, set_ktap,
	  "--ktap FILE           KTAP version 1, streamed as cases finish to a pipe or terminal" },
	{ "format", 0, OPTION_WORD, OPTION_CLI, 0, 0, format_words, set_format,
	  "--format ktap         KTAP version 1 on standard output (--ktap -)" },
	{ "pcap-dir", 0, OPTION_TEXT, OPTION_CLI, 0, 0, NULL, set_pcap_dir,
	  "--pcap-dir DIR        captures of failing cases (default DIR/pcap or ./tcpconf-pcap)" },
	{ "vary", 0, OPTION_FLAG, OPTION_CLI, 0, 0, NULL, set_vary,
	  "--vary                run each case again with tcp_rmem[1] doubled and halved,\n"
	  "                        tcp_wmem[1] doubled (unless the script sets them), a CPU of\n"
	  "                        load, on another CPU: a verdict that changes is reported\n"
	  "                        as condition-dependent and the exit status is 1" },
	{ "verbose", 'v', OPTION_FLAG, BOTH, 0, 0, NULL, set_verbose,
	  "-v, --verbose         a line per case, not only failures" },
	{ "help", 'h', OPTION_FLAG, OPTION_CLI, 0, 0, NULL, set_help, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL },
};

const struct option_desc *option_find(const char *name)
{
	for (const struct option_desc *d = option_table; d->name; d++)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

void option_usage(FILE *f)
{
	for (const struct option_desc *d = option_table; d->name; d++)
		if (d->help && (d->where & OPTION_CLI))
			fprintf(f, "  %s\n", d->help);
}

void option_values_init(struct option_values *v)
{
	memset(v, 0, sizeof(*v));
	v->ip_version = OPTION_IP_BOTH;
	v->tolerance_usecs = DEFAULT_TOLERANCE_USECS;
	v->tolerance_percent = DEFAULT_TOLERANCE_PERCENT;
}

const char *option_given(const struct option_values *v, const char *name)
{
	const char *value = NULL;

	for (unsigned int i = 0; i < v->ngiven; i++)
		if (!strcmp(v->given[i].d->name, name))
			value = v->given[i].value;	/* the last one counts */
	return value;
}

void option_values_clear(struct option_values *v)
{
	define_list_free(v->defines);
	v->defines = NULL;
}

/* ---- reading a value by its row's kind ---- */

/* "a, b or c" of words into buf. */
static const char *word_choice(const char *const *w, char *buf, size_t size)
{
	size_t n = 0, o = 0;

	while (w[n])
		n++;
	buf[0] = '\0';
	for (size_t i = 0; i < n && o < size; i++)
		o += snprintf(buf + o, size - o, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ",
			      w[i]);
	return buf;
}

static int word_index(const char *const *w, const char *s, size_t len)
{
	for (int i = 0; w[i]; i++)
		if (strlen(w[i]) == len && !strncmp(w[i], s, len))
			return i;
	return -1;
}

/* packetdrill's list: words separated by commas and blanks, each known here. */
static int read_word_list(const char *name, const char *const *w, const char *arg,
			  long long *bits, char **error)
{
	char choice[128];

	*bits = 0;
	for (const char *p = arg; *p;) {
		size_t len = strcspn(p, ", ");
		int i = len ? word_index(w, p, len) : 0;

		if (i < 0)
			return error_set(error, "--%s: expected a list of %s, found '%.*s'", name,
					 word_choice(w, choice, sizeof(choice)), (int)len, p);
		if (len)
			*bits |= 1LL << i;
		p += len;
		p += *p ? 1 : 0;
	}
	return STATUS_OK;
}

static int read_decimal(const char *name, const char *arg, long long min, long long max,
			double *out, char **error)
{
	char *end = NULL;
	double d;

	errno = 0;
	if ((*arg >= '0' && *arg <= '9') || *arg == '.') {
		d = strtod(arg, &end);
		if (end != arg && !*end && !errno && isfinite(d) && d >= min && d <= max) {
			*out = d;
			return STATUS_OK;
		}
	}
	return error_set(error, "--%s: expected a number from %lld to %lld, found '%s'",
			 name, min, max, arg);
}

/* An IPv4 or IPv6 address, with "/N" when prefix_max (>0) allows one. */
static int read_address(const char *name, const char *arg, long long prefix_max,
			char **error)
{
	unsigned char a[16];
	const char *slash = prefix_max > 0 ? strchr(arg, '/') : NULL;
	char host[64];
	size_t n = slash ? (size_t)(slash - arg) : strlen(arg);
	int family = 0;

	if (n < sizeof(host)) {
		memcpy(host, arg, n);
		host[n] = '\0';
		family = inet_pton(AF_INET, host, a) == 1 ? AF_INET :
			 inet_pton(AF_INET6, host, a) == 1 ? AF_INET6 : 0;
	}
	if (family && slash) {
		long long bits;

		if (option_number(name, slash + 1, 0, family == AF_INET ? 32 : 128, &bits,
				  NULL) < 0)
			family = 0;
	}
	if (!family)
		return error_set(error, "--%s: expected an IPv4 or IPv6 address%s, found '%s'",
				 name, prefix_max > 0 ? " (with an optional /prefix)" : "", arg);
	return STATUS_OK;
}

static int read_netmask(const char *name, const char *arg, char **error)
{
	struct in_addr a;
	uint32_t m;

	if (inet_pton(AF_INET, arg, &a) == 1) {
		m = ntohl(a.s_addr);
		/* ones then zeros: ~m + 1 is a power of two (or 0 for /0) */
		if (((~m + 1) & ~m) == 0)
			return STATUS_OK;
	}
	return error_set(error, "--%s: expected an IPv4 netmask (255.255.0.0), found '%s'",
			 name, arg);
}

/* Read arg as d's kind says and store it in v; errors name "--NAME". */
static int option_apply(const struct option_desc *d, const char *arg,
			struct option_values *v, char **error)
{
	union option_arg a = { .s = arg };
	char dash[64], choice[128];
	int i;

	/* an option with a letter is known by it (-j, -D) */
	if (d->letter)
		snprintf(dash, sizeof(dash), "-%c", d->letter);
	else
		snprintf(dash, sizeof(dash), "--%s", d->name);
	switch (d->kind) {
	case OPTION_FLAG:
	case OPTION_TEXT:
		break;
	case OPTION_INTEGER:
		if (option_number(dash, arg, d->min, d->max, &a.n, error) < 0)
			return STATUS_ERROR;
		break;
	case OPTION_DECIMAL:
		if (read_decimal(d->name, arg, d->min, d->max, &a.d, error) < 0)
			return STATUS_ERROR;
		break;
	case OPTION_WORD:
		i = word_index(d->words, arg, strlen(arg));
		if (i < 0)
			return error_set(error, "--%s: expected %s, found '%s'", d->name,
					 word_choice(d->words, choice, sizeof(choice)), arg);
		a.n = i;
		break;
	case OPTION_WORD_LIST:
		if (read_word_list(d->name, d->words, arg, &a.n, error) < 0)
			return STATUS_ERROR;
		break;
	case OPTION_ADDRESS:
		if (read_address(d->name, arg, d->max, error) < 0)
			return STATUS_ERROR;
		break;
	case OPTION_NETMASK:
		if (read_netmask(d->name, arg, error) < 0)
			return STATUS_ERROR;
		break;
	case OPTION_DEFINE:
		if (define_check(arg, &(size_t){ 0 }, error) < 0)
			return error_prefix(error, "-D");
		break;
	}
	return d->set(v, &a, error);
}

/* ---- the command line ---- */

/* getopt_long's view of the table: long names and "j:vhD:". */
static void build_getopt(struct option *longopts, char *shortopts)
{
	size_t n = 0, k = 0;

	for (const struct option_desc *d = option_table; d->name; d++, n++) {
		int arg = d->kind == OPTION_FLAG ? no_argument : required_argument;

		longopts[n] = (struct option){ d->name, arg, NULL, 256 + (int)n };
		if (d->letter) {
			shortopts[k++] = d->letter;
			if (arg == required_argument)
				shortopts[k++] = ':';
		}
	}
	longopts[n] = (struct option){ NULL, 0, NULL, 0 };
	shortopts[k] = '\0';
}

static const struct option_desc *by_letter(int c)
{
	for (const struct option_desc *d = option_table; d->name; d++)
		if (d->letter == c)
			return d;
	return NULL;
}

/* The row getopt_long returned c for, or NULL with *error. */
static const struct option_desc *argv_row(int c, char **argv, char **error)
{
	const struct option_desc *d = c >= 256 ? &option_table[c - 256] : by_letter(c);

	if (!d || c == '?' || c == ':') {
		const char *arg = optind > 0 ? argv[optind - 1] : "?";

		if (optopt && by_letter(optopt))
			error_set(error, "-%c: expected a value", optopt);
		else if (optopt >= 256)
			error_set(error, "--%s: %s", option_table[optopt - 256].name,
				  option_table[optopt - 256].kind == OPTION_FLAG ?
				  "takes no value" : "expected a value");
		else
			error_set(error, "%s: unknown option", arg);
		return NULL;
	}
	return d;
}

int option_parse_argv(int argc, char **argv, struct option_values *v, int *first,
		      char **error)
{
	struct option longopts[sizeof(option_table) / sizeof(option_table[0])];
	char shortopts[2 * sizeof(option_table) / sizeof(option_table[0]) + 1];
	int c;

	build_getopt(longopts, shortopts);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const struct option_desc *d = argv_row(c, argv, error);

		if (!d || option_apply(d, optarg ? optarg : "", v, error) < 0)
			return STATUS_ERROR;
		/* a case option goes again over each script's own */
		if ((d->where & OPTION_SCRIPT) && d->kind != OPTION_DEFINE) {
			if (v->ngiven == OPTION_GIVEN_MAX)
				return error_set(error, "more than %d options", OPTION_GIVEN_MAX);
			v->given[v->ngiven].d = d;
			v->given[v->ngiven++].value = optarg ? optarg : "";
		}
	}
	*first = optind;
	return STATUS_OK;
}

/* ---- a case's values ---- */

/* One option line of s into *out; errors name file:line:column. */
static int script_line(const struct script *s, const struct script_option *o,
		       struct option_values *out, char **error)
{
	const struct option_desc *d = option_find(o->name);

	/* packetdrill refuses what it does not know, and so do we */
	if (!d || !(d->where & OPTION_SCRIPT))
		error_set(error, "unknown option --%s", o->name);
	else if (d->kind == OPTION_FLAG && o->value)
		error_set(error, "--%s takes no value", o->name);
	else if (d->kind != OPTION_FLAG && !o->value)
		error_set(error, "--%s: expected a value (--%s=...)", o->name, o->name);
	else if (d->kind == OPTION_DEFINE)
		return STATUS_OK;	/* the parser has put it in (script.h) */
	else if (option_apply(d, o->value ? o->value : "", out, error) == 0)
		return STATUS_OK;
	return error_prefix(error, "%s:%d:%d", script_name(s), o->line, o->column);
}

int option_resolve(const struct script *s, const struct option_values *cli,
		   struct option_values *out, char **error)
{
	option_values_init(out);
	for (size_t i = 0; i < script_option_count(s); i++)
		if (script_line(s, script_option(s, i), out, error) < 0)
			return STATUS_ERROR;
	/* checked when the command line was read: cannot fail */
	for (unsigned int i = 0; cli && i < cli->ngiven; i++)
		if (option_apply(cli->given[i].d, cli->given[i].value, out, error) < 0)
			return STATUS_ERROR;
	return STATUS_OK;
}

int option_families(const struct option_values *v, int families[2])
{
	switch (v->ip_version) {
	case OPTION_IP_V4:
	case OPTION_IP_V4_MAPPED_V6:	/* IPv4 on the wire */
		families[0] = AF_INET;
		return 1;
	case OPTION_IP_V6:
		families[0] = AF_INET6;
		return 1;
	case OPTION_IP_BOTH:
		break;
	}
	families[0] = AF_INET;
	families[1] = AF_INET6;
	return 2;
}
