/* sqlite_warn.c - SQLite backend: comparison runs and warnings (DOMAIN.md §4). */
#include "../core/dd.h"
#include "sqlite_int.h"

const sq_migration sq_warn_migrations[] = {
	{ NULL, NULL },
};
