/*
 * auth.c - roles, passwords, session tokens, cookies, CSRF and login
 * throttling (http.h).  Secrets are compared with sodium_memcmp only.
 */
#include "../core/dd.h"
#include "../core/region.h"
#include "http.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const role_codes[DD_ROLE_N] = {
	[DD_ROLE_NONE] = "",
	[DD_ROLE_COUNTY_ADMIN] = "county_admin",
	[DD_ROLE_TOWNSHIP] = "township",
	[DD_ROLE_VILLAGE] = "village",
	[DD_ROLE_DEPT] = "dept",
	[DD_ROLE_CHARITY] = "charity",
	[DD_ROLE_AUDITOR] = "auditor",
};

dd_role dd_role_parse(const char *code)
{
	for (int r = DD_ROLE_NONE + 1; code && r < DD_ROLE_N; r++)
		if (!strcmp(code, role_codes[r]))
			return (dd_role)r;
	return DD_ROLE_NONE;
}

const char *dd_role_code(dd_role r)
{
	return r > DD_ROLE_NONE && r < DD_ROLE_N ? role_codes[r] : "";
}

static bool digits(const char *s, size_t n)
{
	if (!s || strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

dd_rc dd_http_user_region(dd_role role, const char *region, const char *dept, const char *county,
			  char out[13], dd_err *err)
{
	dd_region r;
	size_t want = role == DD_ROLE_TOWNSHIP ? 9 : role == DD_ROLE_VILLAGE ? 12 : 0;

	out[0] = 0;
	switch (role) {
	case DD_ROLE_COUNTY_ADMIN:
	case DD_ROLE_AUDITOR:
		if (region && (!county || strcmp(region, county)))
			return dd_err_set(err, DD_ERR_USAGE, "%s 的范围是全县，--region 只能是县代码 %s",
					  dd_role_code(role), county ? county : "");
		snprintf(out, 13, "%s", county ? county : "");
		return DD_OK;
	case DD_ROLE_TOWNSHIP:
	case DD_ROLE_VILLAGE:
		if (!digits(region, want))
			return dd_err_set(err, DD_ERR_USAGE, "%s 需要 --region %zu 位%s代码", dd_role_code(role),
					  want, role == DD_ROLE_TOWNSHIP ? "乡镇（街道）" : "村（社区）");
		if (!county || !dd_region_within(region, county) || dd_region_lookup(region, want, &r) != DD_OK)
			return dd_err_set(err, DD_ERR_USAGE, "区划代码 %s 不在本县（%s）", region,
					  county ? county : "未初始化");
		snprintf(out, 13, "%s", region);
		return DD_OK;
	case DD_ROLE_DEPT:
	case DD_ROLE_CHARITY:
		if (region)
			return dd_err_set(err, DD_ERR_USAGE, "%s 不按区划授权，不能带 --region", dd_role_code(role));
		if (role == DD_ROLE_DEPT && (!dept || !*dept))
			return dd_err_set(err, DD_ERR_USAGE, "dept 需要 --dept 部门名称，例如 --dept 医保");
		return DD_OK;
	default:
		return dd_err_set(err, DD_ERR_USAGE,
				  "角色应为 county_admin、township、village、dept、charity 或 auditor");
	}
}

/* ---- passwords and tokens ---- */

dd_rc dd_http_password_hash(const char *password, char out[DD_HTTP_PWHASH_MAX], dd_err *err)
{
	_Static_assert(crypto_pwhash_STRBYTES <= DD_HTTP_PWHASH_MAX, "password hash buffer");
	if (sodium_init() < 0)
		return dd_err_set(err, DD_ERR_INTERNAL, "libsodium 初始化失败");
	/* crypto_pwhash_str is Argon2id in libsodium >= 1.0.15 */
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足，无法计算口令散列");
	return DD_OK;
}

bool dd_http_password_ok(const char *hash, const char *password)
{
	return hash && password &&
	       crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static void hex(const unsigned char *b, size_t n, char *out)
{
	sodium_bin2hex(out, 2 * n + 1, b, n);
}

void dd_http_token_new(char out[DD_HTTP_TOKEN_HEX + 1])
{
	unsigned char b[DD_HTTP_TOKEN_HEX / 2];
	randombytes_buf(b, sizeof b);
	hex(b, sizeof b, out);
	sodium_memzero(b, sizeof b);
}

void dd_http_token_hash(const char *token, char out[DD_HTTP_TOKEN_HEX + 1])
{
	unsigned char h[DD_HTTP_TOKEN_HEX / 2];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	hex(h, sizeof h, out);
}

static bool token_form(const char *s, size_t n)
{
	if (n != DD_HTTP_TOKEN_HEX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

bool dd_http_cookie_token(const char *h, char out[DD_HTTP_TOKEN_HEX + 1])
{
	static const char name[] = "doudi_session=";
	const size_t nl = sizeof name - 1;

	out[0] = 0;
	while (h && *h) {
		while (*h == ' ' || *h == '\t')
			h++;
		size_t len = strcspn(h, ";");
		if (len > nl && !strncmp(h, name, nl)) {
			const char *v = h + nl;
			size_t vl = len - nl;
			while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
				vl--;
			if (!token_form(v, vl))
				return false;
			memcpy(out, v, vl);
			out[vl] = 0;
			return true;
		}
		h += len;
		if (*h == ';')
			h++;
	}
	return false;
}

bool dd_http_csrf_ok(const char *method, bool is_login, const char *header, const char *expected)
{
	if (!strcmp(method, "GET") || !strcmp(method, "HEAD") || is_login)
		return true;
	if (!header || !expected || !*expected || strlen(header) != strlen(expected))
		return false;
	return sodium_memcmp(header, expected, strlen(expected)) == 0;
}

/* ---- throttling ---- */

#define THROTTLE_SLOTS 2048
#define THROTTLE_PROBE 8
#define THROTTLE_MAX 32          /* the largest per_user / per_addr */

typedef struct slot {
	uint64_t key;                /* 0: free */
	int n;                       /* failures kept in t[], oldest first */
	int64_t t[THROTTLE_MAX];
} slot;

struct dd_http_throttle {
	pthread_mutex_t mu;
	int per_user, per_addr;
	int64_t window;
	unsigned char hkey[crypto_shorthash_KEYBYTES];
	slot slots[THROTTLE_SLOTS];
};

dd_rc dd_http_throttle_new(dd_http_throttle **out, int per_user, int per_addr, int64_t window,
			   dd_err *err)
{
	dd_http_throttle *t;

	*out = NULL;
	if (per_user < 1 || per_addr < 1 || per_user > THROTTLE_MAX || per_addr > THROTTLE_MAX)
		return dd_err_set(err, DD_ERR_USAGE, "登录限制次数应在 1..%d", THROTTLE_MAX);
	if (sodium_init() < 0)
		return dd_err_set(err, DD_ERR_INTERNAL, "libsodium 初始化失败");
	if (!(t = calloc(1, sizeof *t)))
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	pthread_mutex_init(&t->mu, NULL);
	t->per_user = per_user;
	t->per_addr = per_addr;
	t->window = window;
	crypto_shorthash_keygen(t->hkey);
	*out = t;
	return DD_OK;
}

void dd_http_throttle_free(dd_http_throttle *t)
{
	if (!t)
		return;
	pthread_mutex_destroy(&t->mu);
	free(t);
}

/* Keyed BLAKE2b of kind + name, never 0 (the free mark). */
static uint64_t tkey(const dd_http_throttle *t, char kind, const char *name)
{
	crypto_generichash_state st;
	unsigned char h[crypto_generichash_BYTES_MIN];
	uint64_t k;

	crypto_generichash_init(&st, t->hkey, sizeof t->hkey, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)&kind, 1);
	crypto_generichash_update(&st, (const unsigned char *)name, strlen(name));
	crypto_generichash_final(&st, h, sizeof h);
	memcpy(&k, h, sizeof k);
	return k ? k : 1;
}

static int64_t newest(const slot *s)
{
	return s->n ? s->t[s->n - 1] : 0;
}

/* The slot of key, or NULL; with `make`, a free slot of the probe run or else the stalest is taken. */
static slot *find(dd_http_throttle *t, uint64_t key, bool make)
{
	slot *victim = NULL;
	for (size_t i = 0; i < THROTTLE_PROBE; i++) {
		slot *s = &t->slots[(key + i) % THROTTLE_SLOTS];
		if (s->key == key)
			return s;
		if (!victim || (victim->key && (!s->key || newest(s) < newest(victim))))
			victim = s;
	}
	if (!make)
		return NULL;
	memset(victim, 0, sizeof *victim);
	victim->key = key;
	return victim;
}

/* Drops the failures that have left the window. */
static void expire(const dd_http_throttle *t, slot *s, int64_t now)
{
	int k = 0;
	while (k < s->n && s->t[k] <= now - t->window)
		k++;
	memmove(s->t, s->t + k, (size_t)(s->n - k) * sizeof *s->t);
	s->n -= k;
}

static bool over(dd_http_throttle *t, char kind, const char *name, int limit, int64_t now)
{
	slot *s = name ? find(t, tkey(t, kind, name), false) : NULL;
	if (!s)
		return false;
	expire(t, s, now);
	return s->n >= limit;
}

bool dd_http_throttle_blocked(dd_http_throttle *t, const char *user, const char *addr, int64_t now)
{
	pthread_mutex_lock(&t->mu);
	bool b = over(t, 'u', user, t->per_user, now) || over(t, 'a', addr, t->per_addr, now);
	pthread_mutex_unlock(&t->mu);
	return b;
}

static void note(dd_http_throttle *t, char kind, const char *name, int64_t now)
{
	slot *s = name ? find(t, tkey(t, kind, name), true) : NULL;
	if (!s)
		return;
	expire(t, s, now);
	if (s->n == THROTTLE_MAX) {
		memmove(s->t, s->t + 1, (THROTTLE_MAX - 1) * sizeof *s->t);
		s->n--;
	}
	s->t[s->n++] = now;
}

void dd_http_throttle_fail(dd_http_throttle *t, const char *user, const char *addr, int64_t now)
{
	pthread_mutex_lock(&t->mu);
	note(t, 'u', user, now);
	note(t, 'a', addr, now);
	pthread_mutex_unlock(&t->mu);
}

void dd_http_throttle_clear(dd_http_throttle *t, const char *user)
{
	pthread_mutex_lock(&t->mu);
	slot *s = user ? find(t, tkey(t, 'u', user), false) : NULL;
	if (s)
		memset(s, 0, sizeof *s);
	pthread_mutex_unlock(&t->mu);
}

/* ---- listen address ---- */

dd_rc dd_http_parse_listen(const char *listen, char addr[16], unsigned *port, dd_err *err)
{
	const char *colon = listen ? strrchr(listen, ':') : NULL;
	struct in_addr a;
	size_t al = colon ? (size_t)(colon - listen) : 0;
	char *end;

	addr[0] = 0;
	*port = 0;
	if (!colon || al == 0 || al > 15 || !colon[1])
		return dd_err_set(err, DD_ERR_USAGE, "--listen 应为 地址:端口，例如 127.0.0.1:8080");
	memcpy(addr, listen, al);
	addr[al] = 0;
	unsigned long p = strtoul(colon + 1, &end, 10);
	if (*end || colon[1] < '0' || colon[1] > '9' || p > 65535)
		return dd_err_set(err, DD_ERR_USAGE, "端口 '%s' 无效（0..65535）", colon + 1);
	if (inet_pton(AF_INET, addr, &a) != 1)
		return dd_err_set(err, DD_ERR_USAGE, "地址 '%s' 不是 IPv4 地址", addr);
	*port = (unsigned)p;
	return DD_OK;
}
