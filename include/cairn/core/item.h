/*
 * item.h: items of the roadmap (goals, milestones, questions, ideas), their
 * tags, links, notes, statement history and builds-on edges.
 *
 * Every mutating call runs in its own change (see store.h) unless the
 * caller has one open, in which case it joins it.  Validation happens here,
 * not in front ends: a value out of range never reaches the store.
 */
#ifndef CAIRN_ITEM_H
#define CAIRN_ITEM_H

#include <stdint.h>

#include "cairn/core/edge.h"
#include "cairn/core/err.h"
#include "cairn/store/store.h"
#include "cairn/core/time.h"

enum cairn_kind {
	CAIRN_KIND_GOAL,
	CAIRN_KIND_MILESTONE,
	CAIRN_KIND_QUESTION,
	CAIRN_KIND_IDEA,
	CAIRN_KIND_COUNT
};

enum cairn_status {
	CAIRN_STATUS_IDEA,
	CAIRN_STATUS_PLANNED,
	CAIRN_STATUS_ACTIVE,
	CAIRN_STATUS_PAUSED,
	CAIRN_STATUS_DONE,
	CAIRN_STATUS_DROPPED,
	CAIRN_STATUS_COUNT
};

enum cairn_driven { CAIRN_DRIVEN_NONE, CAIRN_DRIVEN_GOAL, CAIRN_DRIVEN_IDEA };

/*
 * CAIRN_VIS_INHERIT is no visibility of its own: given to cairn_item_add,
 * the new item takes its parent's (a milestone under a public goal is
 * public), and a root is private.  Moving an item never changes it.
 */
enum cairn_visibility {
	CAIRN_VIS_PRIVATE,
	CAIRN_VIS_LAB,
	CAIRN_VIS_PUBLIC,
	CAIRN_VIS_INHERIT
};

/* Names as stored and shown; parse returns -1 for an unknown name. */
const char *cairn_kind_name(enum cairn_kind k);
int cairn_kind_parse(const char *s);
const char *cairn_status_name(enum cairn_status s);
int cairn_status_parse(const char *s);

/*
 * The verbs that change an item's status, one table for the commands,
 * the web UI and its API: start (active), pause (paused), done (done)
 * and drop (dropped, with a reason), each with the word that reports it.
 */
struct cairn_status_verb {
	const char *verb;
	enum cairn_status status;
	const char *past; /* "started" */
};

/* The verb called verb, or NULL. */
const struct cairn_status_verb *cairn_status_verb_find(const char *verb);
const char *cairn_driven_name(enum cairn_driven d); /* NULL for NONE */
int cairn_driven_parse(const char *s);
const char *cairn_visibility_name(enum cairn_visibility v);
int cairn_visibility_parse(const char *s);

/*
 * One item.  Optional numbers are unset when negative (scope, novelty: 0);
 * optional strings are NULL or "" when unset.  Strings are owned by the
 * struct: cairn_item_release frees them.
 */
struct cairn_item {
	int64_t id;
	char uuid[37];
	enum cairn_kind kind;
	char *title;
	char *body;
	int64_t parent; /* 0: a root */
	enum cairn_status status;
	char *why; /* reason for dropping */
	int scope; /* 1-5, 0 unset */
	double p_success;
	int novelty;   /* 1-5, 0 unset */
	double est[3]; /* optimistic, likely, pessimistic days; <0 unset */
	char due[CAIRN_DATE_LEN];
	double likelihood;
	enum cairn_driven driven;
	enum cairn_visibility visibility;
	char created[CAIRN_TS_LEN];
	char started[CAIRN_TS_LEN];
	char finished[CAIRN_TS_LEN];
	int rank; /* place in goal order, 1 first; 0 unset */
};

void cairn_item_init(struct cairn_item *it);
void cairn_item_release(struct cairn_item *it);

/*
 * Parse "O/M/P" working days into est[3]; O <= M <= P, all >= 0.  A single
 * number N means N/N/N.
 */
int cairn_estimate_parse(const char *s, double est[3], struct cairn_err *err);

/* Parse an item reference, "12" or "#12". */
int cairn_id_parse(const char *s, int64_t *id, struct cairn_err *err);

/* ---- pure validators (item-check.c): no store, no side effects ---- */

/* Longest text an item field, note or statement may hold. */
#define CAIRN_TEXT_MAX (1 << 20)

/* The largest rank a goal can have. */
#define CAIRN_RANK_MAX 1000000

/*
 * The one number parser: a finite decimal number and nothing else (no
 * leading space, hex, "inf" or "nan"); with percent, "80%" reads as 0.8.
 * 0, or -1 when s is malformed (no message: callers name the field).
 */
int cairn_number_parse(const char *s, int percent, double *out);

/*
 * Whether every field of it is one cairn stores: a well-formed uuid (or
 * none yet), known kind, status (or CAIRN_STATUS_COUNT, "the default"),
 * driven and visibility, a title that is not blank and is one line, a body
 * and reason within CAIRN_TEXT_MAX (the reason one line), scope and
 * novelty 0 or 1-5, probabilities unset or 0-1, an ordered estimate, and
 * due date and time stamps empty or well-formed.  0, or CAIRN_EINVAL with
 * a message that names the field but not the item: callers that check
 * many items (importers) say which one.  The command path and the bulk
 * writer both call it; an importer calls it before its first write.
 */
int cairn_item_check(const struct cairn_item *it, struct cairn_err *err);

/* Text that is required (not blank) or not, and within CAIRN_TEXT_MAX;
 * what names it in the message. */
int cairn_text_check(const char *what, const char *s, int required,
                     struct cairn_err *err);
/* One line: no control characters (titles, tags, labels, reasons). */
int cairn_line_check(const char *what, const char *s, struct cairn_err *err);
/* A tag: 1-100 bytes, one line, no spaces or commas. */
int cairn_tag_check(const char *tag, struct cairn_err *err);
/* A link: http://, https:// or mailto: with an address, no spaces or
 * control characters, at most 8 KiB; label (NULL: none) one line. */
int cairn_link_check(const char *url, const char *label, struct cairn_err *err);
/* A note: not blank, within CAIRN_TEXT_MAX. */
int cairn_note_check(const char *text, struct cairn_err *err);

/* Whether s is a well-formed uuid; whether url passes cairn_link_check
 * (without the messages). */
int cairn_uuid_ok(const char *s);
int cairn_url_ok(const char *url);

/*
 * Add it to the store.  Fills it->id, uuid, created and, when status is
 * left at CAIRN_STATUS_COUNT, the default status (idea for ideas, planned
 * otherwise); a visibility of CAIRN_VIS_INHERIT becomes the parent's
 * (private for a root).  Errors: CAIRN_EINVAL (bad field), CAIRN_ENOTFOUND
 * (parent).
 */
int cairn_item_add(struct cairn_store *st, struct cairn_item *it,
                   struct cairn_err *err);

/* Read item id into out (initialised by the call).  CAIRN_ENOTFOUND. */
int cairn_item_get(struct cairn_store *st, int64_t id, struct cairn_item *out,
                   struct cairn_err *err);

/*
 * Set one field from its text form: title, body, kind, scope, p_success
 * (or p-success), novelty, estimate, due, likelihood, driven, visibility,
 * status (not to dropped: use cairn_item_set_status with a reason).
 * "none" or "" clears an optional field.  CAIRN_ENOTFOUND for an unknown
 * field, CAIRN_EINVAL for a bad value.
 */
int cairn_item_set(struct cairn_store *st, int64_t id, const char *field,
                   const char *value, struct cairn_err *err);

/*
 * Write back the editable fields of it (kind, title, body, numbers, due,
 * driven, visibility, and status with its time stamps) in one change.
 */
int cairn_item_update(struct cairn_store *st, const struct cairn_item *it,
                      struct cairn_err *err);

/*
 * Parse one field's text form into it without touching any store (the
 * same names and rules as cairn_item_set); for building an item before
 * cairn_item_add.
 */
int cairn_item_parse_field(struct cairn_item *it, const char *field,
                           const char *value, struct cairn_err *err);

/* The settable field names, NULL-terminated. */
extern const char *const cairn_item_fields[];

/*
 * Move id under parent (0: make it a root).  CAIRN_ECYCLE when parent is id
 * or one of its descendants.
 */
int cairn_item_move(struct cairn_store *st, int64_t id, int64_t parent,
                    struct cairn_err *err);

/*
 * Change status, stamping started (first time active) and finished (done
 * or dropped).  Dropping needs a non-empty why.
 */
int cairn_item_set_status(struct cairn_store *st, int64_t id,
                          enum cairn_status status, const char *why,
                          struct cairn_err *err);

/*
 * Delete id.  Without force an item with children is refused
 * (CAIRN_ESTATE); with force its whole subtree goes.  Tags, links, notes,
 * edges and statements go with it.  Undo brings everything back.
 */
int cairn_item_remove(struct cairn_store *st, int64_t id, int force,
                      struct cairn_err *err);

/* Add or remove a tag; adding a present tag or removing an absent one is
 * not an error. */
int cairn_item_tag(struct cairn_store *st, int64_t id, const char *tag, int add,
                   struct cairn_err *err);

/* Attach a link (http, https or mailto; label may be NULL). */
int cairn_item_link(struct cairn_store *st, int64_t id, const char *url,
                    const char *label, struct cairn_err *err);

/* Attach a timestamped note. */
int cairn_item_note(struct cairn_store *st, int64_t id, const char *text,
                    struct cairn_err *err);

/* Record a sharper statement: it becomes the title, the old ones stay in
 * the statement history. */
int cairn_item_refine(struct cairn_store *st, int64_t id, const char *statement,
                      struct cairn_err *err);

/*
 * Promote an idea to planned work of kind (goal or milestone), optionally
 * under parent (0: keep where it is).  History, notes and links stay.
 */
int cairn_item_promote(struct cairn_store *st, int64_t id, enum cairn_kind kind,
                       int64_t parent, struct cairn_err *err);

/* A dated text attached to an item: a note, a statement or a link. */
struct cairn_entry {
	int64_t id;
	const char *time;
	const char *text;  /* note text, statement, or URL */
	const char *label; /* link label, note author, else NULL */
};

typedef int (*cairn_entry_fn)(void *ctx, const struct cairn_entry *e);
typedef int (*cairn_item_fn)(void *ctx, const struct cairn_item *it);

/*
 * Iterate over an item's attachments in time order.  A callback returning
 * non-zero stops the walk and that value is returned.
 */
int cairn_item_notes(struct cairn_store *st, int64_t id, cairn_entry_fn fn,
                     void *ctx, struct cairn_err *err);
int cairn_item_links(struct cairn_store *st, int64_t id, cairn_entry_fn fn,
                     void *ctx, struct cairn_err *err);
int cairn_item_statements(struct cairn_store *st, int64_t id, cairn_entry_fn fn,
                          void *ctx, struct cairn_err *err);
/* Tags in name order, as entries with text = name. */
int cairn_item_tags(struct cairn_store *st, int64_t id, cairn_entry_fn fn,
                    void *ctx, struct cairn_err *err);
/* Items id builds on (prereqs) and items that build on id (dependents). */
int cairn_item_prereqs(struct cairn_store *st, int64_t id, cairn_item_fn fn,
                       void *ctx, struct cairn_err *err);
int cairn_item_dependents(struct cairn_store *st, int64_t id, cairn_item_fn fn,
                          void *ctx, struct cairn_err *err);
/* Direct children in id order. */
int cairn_item_children(struct cairn_store *st, int64_t id, cairn_item_fn fn,
                        void *ctx, struct cairn_err *err);

/*
 * A query over items.  kind and status are -1 for any; under limits to the
 * subtree below an item (not the item itself); open_only hides done and
 * dropped; ready keeps only the milestones the planner counts as ready
 * (cairn_roadmap_plan, `next`): planned or active, below open items only,
 * no open milestone below them, and every prerequisite of their own and
 * of their ancestors done or dropped, required papers included (read,
 * replicated or tried).  sort is a field name (id, title, kind,
 * status, due, created, scope, p_success, novelty, likelihood, parent),
 * optionally prefixed with '-' for descending.
 */
struct cairn_query {
	int kind;
	int status;
	const char *tag;
	int64_t under;
	int open_only;
	int ready;
	const char *sort;
};

#define CAIRN_QUERY_INIT                                                       \
	{                                                                      \
		-1, -1, NULL, 0, 0, 0, NULL                                    \
	}

/*
 * Stream the matching items to fn, one at a time, without loading them all:
 * memory does not grow with the store.  The item passed to fn is valid only
 * during the call.  CAIRN_EINVAL for an unknown sort field.
 */
int cairn_query_run(struct cairn_store *st, const struct cairn_query *q,
                    cairn_item_fn fn, void *ctx, struct cairn_err *err);

/*
 * 1 when s can name an item by its uuid rather than its number: 4 to 36
 * hex digits and dashes, with a letter or a dash among them (all digits
 * is a number).
 */
int cairn_uuid_prefix_ok(const char *s);

/*
 * The item whose uuid starts with prefix (any case), which names one item
 * on every replica.  CAIRN_ENOTFOUND when none does, CAIRN_EINVAL when
 * several do (the message names two and asks for more digits).
 */
int cairn_item_by_uuid(struct cairn_store *st, const char *prefix, int64_t *id,
                       struct cairn_err *err);

/* The largest item id in use (0 for an empty store), for column widths. */
int cairn_item_max_id(struct cairn_store *st, int64_t *out,
                      struct cairn_err *err);

/* Flags of cairn_tree_walk. */
enum cairn_tree_flags {
	CAIRN_TREE_ALL = 1 << 0,   /* include done and dropped items */
	CAIRN_TREE_BRIEF = 1 << 1, /* only the fields a drawing shows */
};

/*
 * Walk the breakdown tree depth-first below root (0: every root), children
 * in id order (at the top: goals by likelihood, then the rest, then
 * ideas).  Done and dropped items (and what is below them) are skipped
 * unless flags has CAIRN_TREE_ALL.  fn gets each item with its depth (0
 * for the top) and last[0..depth], whether the item and each ancestor
 * level is the last of its siblings (for drawing).  The item, its strings
 * and last are valid only during the call: they point into the walk's
 * own memory, which it frees on return.  A callback returning non-zero
 * stops the walk and that value is returned; CAIRN_ENOTFOUND when root
 * does not exist.
 *
 * With CAIRN_TREE_BRIEF every item but root itself (which comes whole)
 * has only id, kind, title, parent, status, scope, p_success, likelihood
 * and due; body is "", the rest as cairn_item_init leaves it.  That saves
 * time and memory when only drawing.  The walk loads the items it may
 * visit (below root, only root's subtree) before the first call, in
 * compact form: some 64 bytes an item plus its strings, or a whole struct
 * cairn_item without CAIRN_TREE_BRIEF.
 */
typedef int (*cairn_tree_fn)(void *ctx, const struct cairn_item *it, int depth,
                             const unsigned char *last);
int cairn_tree_walk(struct cairn_store *st, int64_t root, unsigned flags,
                    cairn_tree_fn fn, void *ctx, struct cairn_err *err);

#endif
