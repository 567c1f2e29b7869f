/*
 * route.c - route matching and the one role/scope decision (http.h).  Pure:
 * no I/O, no state, so every route × role is tested directly.
 */
#include "../core/dd.h"
#include "../core/region.h"
#include "http.h"

#include <stdio.h>
#include <string.h>

bool dd_http_in_scope(const dd_http_principal *p, const char *code)
{
	if (!p || !code || !p->region || !*p->region)
		return false;
	switch (p->role) {
	case DD_ROLE_COUNTY_ADMIN:
	case DD_ROLE_AUDITOR:
	case DD_ROLE_TOWNSHIP:
		return dd_region_within(code, p->region);
	case DD_ROLE_VILLAGE:
		return !strcmp(code, p->region);
	default:
		return false;   /* dept and charity see persons only through dispatches (later) */
	}
}

bool dd_http_scope_filter(const dd_http_principal *p, const char *asked, char out[13])
{
	out[0] = 0;
	if (!dd_http_in_scope(p, p ? p->region : NULL))
		return false;
	if (!asked || !*asked || dd_region_within(p->region, asked)) {
		snprintf(out, 13, "%s", p->region);
		return true;
	}
	if (!dd_region_within(asked, p->region))
		return false;
	snprintf(out, 13, "%s", asked);
	return true;
}

/* Matches one pattern; {} takes a non-empty segment of at most 63 bytes. */
static bool match(const char *pat, const char *path, char params[DD_HTTP_MAX_PARAMS][64])
{
	int np = 0;
	while (*pat && *path) {
		if (pat[0] == '{' && pat[1] == '}') {
			size_t n = strcspn(path, "/");
			if (n == 0 || n > 63 || np == DD_HTTP_MAX_PARAMS)
				return false;
			memcpy(params[np], path, n);
			params[np++][n] = 0;
			pat += 2;
			path += n;
		} else if (*pat++ != *path++) {
			return false;
		}
	}
	return !*pat && !*path;
}

const dd_http_route *dd_http_route_match(const char *method, const char *path,
					 char params[DD_HTTP_MAX_PARAMS][64], bool *path_known)
{
	size_t n;
	const dd_http_route *r = dd_http_routes(&n);

	*path_known = false;
	for (size_t i = 0; i < n; i++) {
		if (!match(r[i].pattern, path, params))
			continue;
		*path_known = true;
		if (!strcmp(r[i].method, method))
			return &r[i];
	}
	return NULL;
}

bool dd_http_role_allowed(const dd_http_route *r, dd_role role)
{
	return !r->roles || (role > DD_ROLE_NONE && role < DD_ROLE_N && (r->roles & DD_ROLE_BIT(role)));
}

int dd_http_decide(const dd_http_route *r, const dd_http_principal *p, const char *region)
{
	if (!dd_http_role_allowed(r, p ? p->role : DD_ROLE_NONE))
		return 403;
	if (r->scoped && (!region || !dd_http_in_scope(p, region)))
		return 404;   /* outside the scope answers exactly as absent */
	return 200;
}
