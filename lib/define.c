/*
 * define.c - see define.h.
 *
 * A handful of definitions per run: a plain array searched in order is
 * all it takes.
 */
#include <stdlib.h>
#include <string.h>

#include "define.h"
#include "error.h"

#define DEFINE_MAX	256		/* more is a mistake, not a test */

struct define_list {
	struct { char *name, *value; } *item;
	size_t n;
};

/*
 * The words packetdrill's lexer reads as keywords before it looks a word
 * up: a definition of one would never apply there, so it is refused here
 * rather than silently ignored.
 */
static const char *const keywords[] = {
	"sa_family", "sin_port", "sin_addr", "msg_name", "msg_iov", "msg_flags",
	"msg_control", "cmsg_data", "cmsg_level", "cmsg_type", "ee_errno",
	"ee_origin", "ee_type", "ee_code", "ee_info", "ee_data", "scm_sec",
	"scm_nsec", "fd", "u32", "u64", "ptr", "events", "revents", "onoff",
	"linger", "htons", "ipv4", "ipv6", "icmp", "udp", "GREv0", "gre", "raw",
	"sum", "off", "key", "seq", "none", "checksum", "present", "encap", "psp",
	"spi", "mpls", "label", "tc", "ttl", "inet_addr", "inet6_addr", "ack",
	"eol", "ecr", "mss", "mtu", "nop", "sack", "sackOK", "md5", "TS", "FO",
	"FOEXP", "ECN", "e0b", "e1b", "ceb", "tos", "flowlabel", "flags", "Flags",
	"val", "win", "urg", "wscale", "ect01", "ect0", "ect1", "noecn", "ce", "id",
};

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident(int c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

struct define_list *define_list_new(void)
{
	return calloc(1, sizeof(struct define_list));
}

void define_list_free(struct define_list *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->item[i].name);
		free(d->item[i].value);
	}
	free(d->item);
	free(d);
}

static int add(struct define_list *d, const char *name, size_t nlen, const char *value)
{
	char *n = strndup(name, nlen), *v = strdup(value);
	void *grown = n && v ? realloc(d->item, (d->n + 1) * sizeof(*d->item)) : NULL;

	if (!grown) {
		free(n);
		free(v);
		return -1;
	}
	d->item = grown;
	d->item[d->n].name = n;
	d->item[d->n].value = v;
	d->n++;
	return 0;
}

struct define_list *define_list_copy(const struct define_list *d)
{
	struct define_list *c = define_list_new();

	for (size_t i = 0; c && d && i < d->n; i++)
		if (add(c, d->item[i].name, strlen(d->item[i].name), d->item[i].value) < 0) {
			define_list_free(c);
			return NULL;
		}
	return c;
}

int define_check(const char *def, size_t *name_len, char **error)
{
	const char *eq = strchr(def, '=');
	size_t n = eq ? (size_t)(eq - def) : strlen(def);

	if (!eq)
		return error_set(error, "'%s': expected NAME=VALUE", def);
	if (n == 0 || !is_alpha((unsigned char)def[0]))
		return error_set(error, "'%s': expected a NAME (a letter or '_', then letters, "
				 "digits or '_') before '='", def);
	for (size_t i = 1; i < n; i++)
		if (!is_ident((unsigned char)def[i]))
			return error_set(error, "'%s': expected a NAME (a letter or '_', then "
					 "letters, digits or '_') before '='", def);
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strlen(keywords[i]) == n && !memcmp(keywords[i], def, n))
			return error_set(error, "'%s': %.*s is a keyword of the script language, "
					 "which packetdrill never replaces", def, (int)n, def);
	if (!eq[1])
		return error_set(error, "'%s': expected a value after '='", def);
	if (strpbrk(eq + 1, "\n\r"))
		return error_set(error, "'%.*s=...': a value may not hold a line break", (int)n, def);
	*name_len = n;
	return STATUS_OK;
}

int define_list_set(struct define_list *d, const char *def, bool keep, char **error)
{
	size_t n;

	if (define_check(def, &n, error) < 0)
		return STATUS_ERROR;
	for (size_t i = 0; i < d->n; i++)
		if (strlen(d->item[i].name) == n && !memcmp(d->item[i].name, def, n)) {
			char *v;

			if (keep)
				return STATUS_OK;
			v = strdup(def + n + 1);
			if (!v)
				return error_set(error, "out of memory");
			free(d->item[i].value);
			d->item[i].value = v;
			return STATUS_OK;
		}
	if (d->n == DEFINE_MAX)
		return error_set(error, "'%s': more than %d definitions", def, DEFINE_MAX);
	if (add(d, def, n, def + n + 1) < 0)
		return error_set(error, "out of memory");
	return STATUS_OK;
}

const char *define_list_get(const struct define_list *d, const char *text, size_t len,
			    const char **name)
{
	for (size_t i = 0; d && i < d->n; i++)
		if (strlen(d->item[i].name) == len && !memcmp(d->item[i].name, text, len)) {
			if (name)
				*name = d->item[i].name;
			return d->item[i].value;
		}
	return NULL;
}

size_t define_list_count(const struct define_list *d)
{
	return d ? d->n : 0;
}
