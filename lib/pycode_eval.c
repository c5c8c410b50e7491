/* pycode_eval.c - running a parsed %{ }% block: values, Python's integer arithmetic, names between blocks, and what a failed assert says. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pycode.h"
#include "pycode_int.h"

struct pycode_env {
	struct { char *name; int64_t v; } *vars;
	size_t n;
};

/* An integer, or a string (owned) when s is set. */
struct value {
	int64_t i;
	char *s;
};

struct run {
	const struct pycode *c;
	struct pycode_env *env;
	int line;
	char **error;
};

struct pycode_env *pycode_env_new(void)
{
	return calloc(1, sizeof(struct pycode_env));
}

void pycode_env_free(struct pycode_env *env)
{
	if (!env)
		return;
	for (size_t i = 0; i < env->n; i++)
		free(env->vars[i].name);
	free(env->vars);
	free(env);
}

static int64_t *env_find(const struct pycode_env *env, const char *name)
{
	for (size_t i = 0; i < env->n; i++)
		if (!strcmp(env->vars[i].name, name))
			return &env->vars[i].v;
	return NULL;
}

int pycode_env_set(struct pycode_env *env, const char *name, int64_t v)
{
	int64_t *p = env_find(env, name);
	void *n;

	if (p) {
		*p = v;
		return 0;
	}
	n = realloc(env->vars, (env->n + 1) * sizeof(*env->vars));
	if (!n)
		return -1;
	env->vars = n;
	env->vars[env->n].name = strdup(name);
	if (!env->vars[env->n].name)
		return -1;
	env->vars[env->n++].v = v;
	return 0;
}

static int fail(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct run *r, const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	error_set(r->error, "%%{ }%% line %d: %s", r->line,
		  msg ? msg : "out of memory");
	free(msg);
	return STATUS_ERROR;
}

static int eval(struct run *r, const struct node *n, struct value *v);

/* An integer operand; a string is an error naming op. */
static int eval_int(struct run *r, const struct node *n, const char *op, int64_t *i)
{
	struct value v;

	if (eval(r, n, &v) < 0)
		return -1;
	if (v.s) {
		free(v.s);
		return fail(r, "operator '%s' on a string", op);
	}
	*i = v.i;
	return 0;
}

/* Python's a // b and a % b: the quotient rounds down, the remainder has b's sign. */
static int floor_divmod(struct run *r, int64_t a, int64_t b, int64_t *q, int64_t *m)
{
	if (b == 0)
		return fail(r, "division by zero");
	if (a == INT64_MIN && b == -1)
		return fail(r, "integer overflow");
	*q = a / b;
	*m = a % b;
	if (*m && ((*m < 0) != (b < 0))) {
		(*q)--;
		*m += b;
	}
	return 0;
}

static int arith(struct run *r, const char *op, int64_t a, int64_t b, int64_t *out)
{
	int64_t q = 0, m = 0;
	bool over = false;

	if (!strcmp(op, "+"))
		over = __builtin_add_overflow(a, b, out);
	else if (!strcmp(op, "-"))
		over = __builtin_sub_overflow(a, b, out);
	else if (!strcmp(op, "*"))
		over = __builtin_mul_overflow(a, b, out);
	else if (!strcmp(op, "//") || !strcmp(op, "%")) {
		if (floor_divmod(r, a, b, &q, &m) < 0)
			return -1;
		*out = op[0] == '%' ? m : q;
	} else if (!strcmp(op, "&"))
		*out = a & b;
	else if (!strcmp(op, "|"))
		*out = a | b;
	else if (!strcmp(op, "^"))
		*out = a ^ b;
	else if (b < 0 || b > 62)
		return fail(r, "shift count %" PRId64 " out of range", b);
	else if (!strcmp(op, "<<"))
		over = __builtin_mul_overflow(a, (int64_t)1 << b, out);
	else
		*out = a >> b;
	if (over)
		return fail(r, "integer overflow (beyond 64 bits)");
	return 0;
}

/* 'fmt' % value or % (a, b): %d %i %u %s %x %%, the rest copied. */
static int format(struct run *r, const char *fmt, const struct node *args, struct value *v)
{
	const struct node *const *items = args->kind == NK_TUPLE ?
		(const struct node *const *)args->kids : &args;
	size_t n = args->kind == NK_TUPLE ? args->n : 1, k = 0;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return fail(r, "out of memory");
	for (const char *p = fmt; *p; p++) {
		struct value a;

		if (*p != '%' || !p[1] || !strchr("diusx%", p[1])) {
			fputc(*p, f);
			continue;
		}
		if (*++p == '%') {
			fputc('%', f);
			continue;
		}
		if (k == n || eval(r, items[k++], &a) < 0) {
			fclose(f);
			free(out);
			return k > n || !*r->error ? fail(r, "not enough arguments "
				"for the format string") : -1;
		}
		if (a.s)
			fputs(a.s, f);
		else
			fprintf(f, *p == 'x' ? "%" PRIx64 : "%" PRId64, a.i);
		free(a.s);
	}
	fclose(f);
	v->s = out;
	return out ? 0 : fail(r, "out of memory");
}

static int eval_binary(struct run *r, const struct node *n, struct value *v)
{
	const char *op = n->ops[0];
	int64_t a = 0, b = 0;

	if (!strcmp(op, "%") && n->kids[0]->kind == NK_STR)
		return format(r, n->kids[0]->text, n->kids[1], v);
	if (eval_int(r, n->kids[0], op, &a) < 0 || eval_int(r, n->kids[1], op, &b) < 0)
		return -1;
	return arith(r, op, a, b, &v->i);
}

static bool compare(const char *op, const struct value *a, const struct value *b)
{
	int c = a->s && b->s ? strcmp(a->s, b->s) : a->s || b->s ? 2 :
		a->i < b->i ? -1 : a->i > b->i;

	if (!strcmp(op, "=="))
		return c == 0;
	if (!strcmp(op, "!="))
		return c != 0;
	if (!strcmp(op, "<"))
		return c < 0;
	if (!strcmp(op, ">"))
		return c > 0 && c != 2;
	if (!strcmp(op, "<="))
		return c <= 0;
	return c >= 0 && c != 2;
}

/* a < b < c: each pair in turn, stopping at the first false, as Python does */
static int eval_compare(struct run *r, const struct node *n, struct value *v)
{
	struct value a, b;

	if (eval(r, n->kids[0], &a) < 0)
		return -1;
	v->i = 1;
	for (size_t k = 1; k < n->n && v->i; k++) {
		if (eval(r, n->kids[k], &b) < 0) {
			free(a.s);
			return -1;
		}
		if ((a.s != NULL) != (b.s != NULL) && strcmp(n->ops[k - 1], "==") &&
		    strcmp(n->ops[k - 1], "!=")) {
			free(a.s);
			free(b.s);
			return fail(r, "'%s' between a string and an integer",
				    n->ops[k - 1]);
		}
		v->i = compare(n->ops[k - 1], &a, &b);
		free(a.s);
		a = b;
	}
	free(a.s);
	return 0;
}

/* and/or give the deciding operand; not gives 0 or 1 */
static int eval_logic(struct run *r, const struct node *n, struct value *v)
{
	for (size_t k = 0; k < n->n; k++) {
		bool truth;

		if (eval(r, n->kids[k], v) < 0)
			return -1;
		truth = v->s ? *v->s != '\0' : v->i != 0;
		if (n->kind == NK_NOT) {
			free(v->s);
			v->s = NULL;
			v->i = !truth;
			return 0;
		}
		if (k + 1 == n->n || truth == (n->kind == NK_OR))
			return 0;
		free(v->s);
	}
	return 0;
}

/* The text of a tuple, "(a, b)", as str() gives it. */
static int eval_tuple(struct run *r, const struct node *n, struct value *v)
{
	size_t len = 0;
	FILE *f = open_memstream(&v->s, &len);

	if (!f)
		return fail(r, "out of memory");
	fputc('(', f);
	for (size_t k = 0; k < n->n; k++) {
		struct value a;

		if (eval(r, n->kids[k], &a) < 0) {
			fclose(f);
			free(v->s);
			v->s = NULL;
			return -1;
		}
		if (a.s)
			fprintf(f, "%s'%s'", k ? ", " : "", a.s);
		else
			fprintf(f, "%s%" PRId64, k ? ", " : "", a.i);
		free(a.s);
	}
	fputs(n->n == 1 ? ",)" : ")", f);
	fclose(f);
	return 0;
}

static int eval(struct run *r, const struct node *n, struct value *v)
{
	const int64_t *p;
	int64_t x = 0;

	memset(v, 0, sizeof(*v));
	switch (n->kind) {
	case NK_INT:
		v->i = n->value;
		return 0;
	case NK_STR:
		v->s = strdup(n->text);
		return v->s ? 0 : fail(r, "out of memory");
	case NK_NAME:
		p = env_find(r->env, n->text);
		if (!p)
			return fail(r, "name '%s' is not defined", n->text);
		v->i = *p;
		return 0;
	case NK_TUPLE:
		return eval_tuple(r, n, v);
	case NK_UNARY:
		if (eval_int(r, n->kids[0], n->ops[0], &x) < 0)
			return -1;
		if (n->ops[0][0] == '-' && x == INT64_MIN)
			return fail(r, "integer overflow");
		v->i = n->ops[0][0] == '-' ? -x : n->ops[0][0] == '~' ? ~x : x;
		return 0;
	case NK_BINARY:
		return eval_binary(r, n, v);
	case NK_COMPARE:
		return eval_compare(r, n, v);
	case NK_AND:
	case NK_OR:
	case NK_NOT:
		return eval_logic(r, n, v);
	}
	return fail(r, "bad expression");
}

/* ---- statements ---- */

#define SEEN_MAX	16

/* "NAME=V, ..." of the names under n, each once, into f. */
static void names_text(const struct run *r, const struct node *n, FILE *f,
		       const char **seen, size_t *nseen)
{
	const int64_t *p;
	size_t k;

	for (k = 0; k < n->n; k++)
		names_text(r, n->kids[k], f, seen, nseen);
	if (n->kind != NK_NAME || *nseen == SEEN_MAX)
		return;
	for (k = 0; k < *nseen && strcmp(seen[k], n->text); k++)
		;
	p = env_find(r->env, n->text);
	if (k < *nseen || !p)
		return;
	fprintf(f, "%s%s=%" PRId64, *nseen ? ", " : "", n->text, *p);
	seen[(*nseen)++] = n->text;
}

/* What the block's values were: its names, then the assert's message. */
static char *assert_context(struct run *r, const struct stmt *s, const struct value *m)
{
	const char *seen[SEEN_MAX];
	size_t len = 0, nseen = 0;
	char *text = NULL;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	names_text(r, s->expr, f, seen, &nseen);
	if (s->msg && m->s)
		fprintf(f, "%smessage: %s", nseen ? "; " : "", m->s);
	else if (s->msg)
		fprintf(f, "%smessage: %" PRId64, nseen ? "; " : "", m->i);
	fclose(f);
	return text;
}

static int run_assert(struct run *r, const struct stmt *s)
{
	struct value v, m = { 0 };
	char *context, *what = NULL, *actual = NULL;
	bool truth;

	if (eval(r, s->expr, &v) < 0)
		return -1;
	truth = v.s ? *v.s != '\0' : v.i != 0;
	free(v.s);
	if (truth)
		return 0;
	if (s->msg && eval(r, s->msg, &m) < 0)
		return -1;
	context = assert_context(r, s, &m);
	if (asprintf(&what, "%%{ }%% line %d: assert %s", r->line, s->src) < 0)
		what = NULL;
	if (context && *context && asprintf(&actual, "false (%s)", context) < 0)
		actual = NULL;
	error_mismatch(r->error, what ? what : "assert", "true", actual ? actual : "false");
	free(context);
	free(what);
	free(actual);
	free(m.s);
	return STATUS_ERROR;
}

static int run_stmt(struct run *r, const struct stmt *s)
{
	struct value v;
	int64_t old;
	const int64_t *p;

	r->line = s->line;
	if (s->kind == ST_ASSERT)
		return run_assert(r, s);
	if (eval(r, s->expr, &v) < 0)
		return -1;
	if (s->kind == ST_PRINT) {
		free(v.s);
		return 0;
	}
	if (v.s) {
		free(v.s);
		return fail(r, "%s: only integers can be assigned", s->name);
	}
	if (strcmp(s->op, "=")) {
		p = env_find(r->env, s->name);
		if (!p)
			return fail(r, "name '%s' is not defined", s->name);
		old = *p;
		if (arith(r, s->op[0] == '/' ? "//" : (char[]){ s->op[0], 0 }, old,
			  v.i, &v.i) < 0)
			return -1;
	}
	if (pycode_env_set(r->env, s->name, v.i) < 0)
		return fail(r, "out of memory");
	return 0;
}

int pycode_run(const struct pycode *c, struct pycode_env *env, char **error)
{
	struct run r = { .c = c, .env = env, .error = error };

	for (size_t i = 0; i < c->n; i++)
		if (run_stmt(&r, &c->stmts[i]) < 0)
			return STATUS_ERROR;
	return 0;
}

static const char *find_in(const struct node *n,
			   int (*want)(const char *name, void *arg), void *arg)
{
	const char *found = NULL;

	if (!n)
		return NULL;
	if (n->kind == NK_NAME && want(n->text, arg))
		return n->text;
	for (size_t k = 0; k < n->n && !found; k++)
		found = find_in(n->kids[k], want, arg);
	return found;
}

const char *pycode_find_name(const struct pycode *c,
			     int (*want)(const char *name, void *arg), void *arg)
{
	const char *found = NULL;

	for (size_t i = 0; i < c->n && !found; i++) {
		found = find_in(c->stmts[i].expr, want, arg);
		if (!found)
			found = find_in(c->stmts[i].msg, want, arg);
	}
	return found;
}

void pycode_assigned(const struct pycode *c, void (*fn)(const char *name, void *arg),
		     void *arg)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->stmts[i].kind == ST_ASSIGN)
			fn(c->stmts[i].name, arg);
}
