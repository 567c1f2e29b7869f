/* sqlite_feed.c - SQLite backend: department feeds (FORMATS.md §3). */
#include "../core/dd.h"
#include "sqlite_int.h"

const sq_migration sq_feed_migrations[] = {
	{ NULL, NULL },
};
