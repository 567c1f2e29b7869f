/* sqlite_flow.c - SQLite backend: applications and the recognition procedure (DOMAIN.md §3). */
#include "../core/dd.h"
#include "sqlite_int.h"

const sq_migration sq_flow_migrations[] = {
	{ NULL, NULL },
};
