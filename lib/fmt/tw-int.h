/*
 * tw-int.h: what the Taskwarrior modules share (lib/fmt/tw-read.c reads
 * the JSON into plain records, lib/fmt/taskwarrior.c maps them to items
 * and writes the export).  Not installed.
 */
#ifndef CAIRN_TW_INT_H
#define CAIRN_TW_INT_H

#include <stddef.h>

#include "fmt/fmt-int.h"

/*
 * The keys of a task the importer reads.  Up to TW_NFIELDS, fields read
 * as text; from TW_CAIRNKIND on, cairn's own attributes, read as text
 * whether Taskwarrior kept a string or a number.
 */
enum tw_key {
	TW_DESCRIPTION,
	TW_UUID,
	TW_STATUS,
	TW_ENTRY,
	TW_START,
	TW_END,
	TW_DUE,
	TW_WAIT,
	TW_PROJECT,
	TW_PRIORITY,
	TW_CAIRNKIND,
	TW_CAIRNPARENT,
	TW_CAIRNSTATUS,
	TW_CAIRNSCOPE,
	TW_CAIRNNOVELTY,
	TW_CAIRNPSUCCESS,
	TW_CAIRNESTIMATE,
	TW_CAIRNLIKELIHOOD,
	TW_CAIRNDRIVEN,
	TW_CAIRNVISIBILITY,
	TW_CAIRNBODY,
	TW_CAIRNWHY,
	TW_NFIELDS,
	TW_TAGS = TW_NFIELDS,
	TW_DEPENDS,
	TW_ANNOTATIONS,
	TW_BOOKKEEPING,
	TW_NKEYS
};

/* Each key's name in a task, by enum tw_key. */
extern const char *const tw_names[TW_NKEYS];
/* k's enum tw_key (TW_BOOKKEEPING for id, urgency, modified), or -1 for
 * a key the importer does not know. */
int tw_key(const char *k);

/*
 * A task as the importer reads it, taken out of its JSON by the thread
 * that parsed it, so that the JSON (several times bigger) is freed at
 * once.  Its texts live in the arena of the task list.
 */
struct tw_task {
	size_t i;   /* index in the input */
	int object; /* the task is a JSON object: else nothing below is set */
	/* each field's text: a string, or for cairn's attributes a number
	 * formatted; NULL when absent or anything else */
	const char *f[TW_NFIELDS];
	unsigned present;  /* 1 << field: the key is there, whatever value */
	const char **tags; /* the string elements of an array "tags" */
	size_t ntags;
	const char **ann; /* annotations with a string description: pairs
	                   * of description and entry (NULL: none) */
	size_t nann;
	const char **notes; /* "taskwarrior KEY: VALUE" for the other keys */
	size_t nnotes;
	const char **deps; /* depends: the pieces of a string, or the
	                    * elements of an array (NULL: not a string) */
	size_t ndeps;
	/* worked out beside the parse: entry as a time stamp ("" if none),
	 * the uuid in lower case (when f[TW_UUID] is one), the due date
	 * (when due is a time) */
	char entry[CAIRN_TS_LEN];
	char uuid[37];
	char due[CAIRN_DATE_LEN];
	int uuid_ok, due_ok;
};

/* Memory for the tasks' texts and lists, freed all at once. */ /* Memory for
                                                                   the tasks'
                                                                   texts and
                                                                   lists, freed
                                                                   all at once.
                                                                 */
struct arena {
	struct arena *next;
	size_t used, cap;
	max_align_t data[];
};

/* A list being gathered for one task, kept for the next. */
struct strs {
	const char **v;
	size_t n, cap;
};

/* What one thread reads tasks into. */
struct tw_reader {
	struct tw_task *v;
	size_t n, cap;
	struct arena *arena;
	struct strs tags, ann, notes, deps; /* scratch */
};

/* Free what r holds and empty it. */
void tw_reader_release(struct tw_reader *r);

/*
 * Read the input into r (emptied first): a JSON array of tasks, or one
 * task a line (then *lines gets each task's line number, else it is
 * NULL; the caller frees it).  A big array is read by two threads.  No
 * store: 0, or CAIRN_EINVAL naming source and where the JSON broke.
 */
int tw_tasks_read(const char *data, size_t len, const char *source,
                  struct tw_reader *r, size_t **lines, struct cairn_err *err);

/* "20260301T090000Z" (or cairn's own form) -> "2026-03-01T09:00:00Z";
 * -1 when malformed. */
int tw_to_ts(const char *s, char out[CAIRN_TS_LEN]);
/* cairn's time stamp -> Taskwarrior's. */
void ts_to_tw(const char *ts, char out[17]);
/* A due time to the local calendar date Taskwarrior shows; -1 when
 * malformed. */
int tw_to_date(const char *s, char out[CAIRN_DATE_LEN]);
/* Local midnight of a date, as a Taskwarrior UTC time. */
void date_to_tw(const char *date, char out[17]);

/* ---- project paths (tw-export.c) ---- */

/* An item as tw_paths sees it. */
struct tw_node {
	const char *uuid;
	const char *title;
	long parent; /* index, -1 for a root */
};

/*
 * For n items, path[i] (malloc'd, the caller frees each) is the project
 * the children of node i carry and proj[i] whether node i is a project
 * node: one made by the importer for a level of a Taskwarrior project,
 * which was never a task.  The export names projects by it, and the
 * importer finds the item a known project stands for by it.
 */
void tw_paths(const struct tw_node *v, size_t n, char **path, char *proj);

/* The uuid of the project node for path ("tw-project:" and path). */
void tw_project_uuid(const char *path, char out[37]);

#endif
