/*
 * roadmap.h: the snapshot of the roadmap that planners, checks and
 * exporters read, its loaders, and the plans built from it.  The loader
 * reads the store once; everything downstream works on the snapshot.
 */
#ifndef CAIRN_ROADMAP_H
#define CAIRN_ROADMAP_H

#include "cairn/plan/forecast.h"
#include "cairn/research/paper.h"
#include "cairn/research/timelog.h"
#include "cairn/store/store.h"

/*
 * Items without an estimate get CAIRN_DEFAULT_OPT/LIKELY/PESS (5/10/20
 * working days: two weeks likely, one to four), and their plan nodes
 * carry CAIRN_NODE_DEFAULT_EST so front ends can warn.  An unset p_success
 * counts as 1: the forecast adds no risk the researcher did not state.
 */
#define CAIRN_DEFAULT_OPT    5.0
#define CAIRN_DEFAULT_LIKELY 10.0
#define CAIRN_DEFAULT_PESS   20.0

/*
 * Required papers (paper.h, `paper link`).  Reading or replicating a paper
 * an item requires is a prerequisite of the item and of everything below
 * it until the paper is read, replicated or its replication has failed.
 * The planner makes each such paper one node, shared by every milestone
 * that waits for it, named CAIRN_PAPER_NODE(paper id) (negative, so it
 * never collides with an item id) and flagged CAIRN_NODE_PAPER.  It has
 * no prerequisites, p_success 1 (the attempt is the prerequisite, not its
 * outcome) and an effort in working days by where the paper stands:
 *	to-read      1/2/5: a careful read of a research paper, with its
 *	             appendix and a key reference or two;
 *	reading      0.5/1/3: the rest of a read under way;
 *	replicating  5/10/20: the rest of a replication, counted like a
 *	             milestone without an estimate.
 * The researcher cannot estimate these, so they are not flagged
 * CAIRN_NODE_DEFAULT_EST; cairn_paper_effort gives the figures.
 */
#define CAIRN_PAPER_NODE(paper_id) (-(int64_t)(paper_id))

#define CAIRN_PAPER_READ_OPT         1.0
#define CAIRN_PAPER_READ_LIKELY      2.0
#define CAIRN_PAPER_READ_PESS        5.0
#define CAIRN_PAPER_READING_OPT      0.5
#define CAIRN_PAPER_READING_LIKELY   1.0
#define CAIRN_PAPER_READING_PESS     3.0
#define CAIRN_PAPER_REPLICATE_OPT    5.0
#define CAIRN_PAPER_REPLICATE_LIKELY 10.0
#define CAIRN_PAPER_REPLICATE_PESS   20.0

/*
 * The remaining effort of a paper with status s into est: 1 when the
 * paper still holds its items back (to-read, reading, replicating), 0
 * when it no longer does (est untouched).
 */
int cairn_paper_effort(enum cairn_paper_status s, double est[3]);

/* One setting of the store (`cairn set`, focus, check rules). */
struct cairn_roadmap_setting {
	char *key;
	char *value;
};

/* A link or a note of an item, as the snapshot holds it. */
struct cairn_roadmap_entry {
	int64_t id;
	char time[CAIRN_TS_LEN];
	char *text;  /* the URL of a link, a note's text */
	char *label; /* a link's label, else NULL */
};

/* A paper some item requires, as the snapshot holds it. */
struct cairn_roadmap_paper {
	int64_t id;
	char *key;
	char *title;
	enum cairn_paper_status status;
};

/*
 * Every item with its edges, tags, links, notes and last change, the
 * papers items require, time logged and metrics, read in one go, with
 * indexes for the planner, the linter and the exporters.  Items are in id
 *order; the index arrays refer to positions in items[]: parent[i]: the parent's
 *position, or -1 for a root (an item whose parent is not in the snapshot is a
 *root of it); kid[kid_off[i] .. kid_off[i + 1]): children, in id order;
 *	pre[pre_off[i] .. pre_off[i + 1]): items i builds on, in id order;
 *	dep[dep_off[i] .. dep_off[i + 1]): items building on i;
 *	tag[tag_off[i] .. tag_off[i + 1]): tag names, in name order;
 *	req[req_off[i] .. req_off[i + 1]): papers i itself requires, as
 *	positions in papers[] (which holds only required papers, in id
 *	order), in paper id order;
 *	logged[i]: minutes of time logged on the item itself;
 *	metrics[i]: how many metrics the item has;
 *	touched[i]: time of the item's last journal event, for an active
 *	  item ("" if none, and for every item not active);
 *	link[link_off[i] .. link_off[i + 1]): links, in id order;
 *	note[note_off[i] .. note_off[i + 1]): notes, by time, then id;
 *	depth[i]: how many ancestors i has in the snapshot (0 for a root);
 *	roots[0 .. nroots): every root, in id order;
 *	goals[0 .. ngoals): the roots that are goals, in goal order
 *	(cairn_goal_cmp): the order every ranked view shows them in;
 *	at[id - at_lo] for at_lo <= id < at_lo + at_n: the position of
 *	item id, or -1: a direct index cairn_roadmap_find uses when the
 *	loader made one (NULL: it searches items[]).
 * It carries what planners read of the settings as well: every setting,
 * in key order (cairn_roadmap_setting), and the focus setting as
 * cairn_focus_get reads it, so that nothing downstream of the loader
 * needs the store.  Only items are ever dropped from a snapshot (by its
 * scope): an edge, tag, link, note, paper, time or metric is in it
 * exactly when its items are.
 */
struct cairn_roadmap {
	size_t n;
	struct cairn_item *items;
	long *parent;
	uint32_t *kid_off, *kid;
	uint32_t *pre_off, *pre;
	uint32_t *dep_off, *dep;
	uint32_t *tag_off;
	char **tag;
	size_t npapers;
	struct cairn_roadmap_paper *papers;
	uint32_t *req_off, *req;
	long *logged;
	uint32_t *metrics;
	char (*touched)[CAIRN_TS_LEN];
	uint32_t *link_off, *note_off;
	struct cairn_roadmap_entry *link, *note;
	int *depth;
	uint32_t *roots, *goals;
	size_t nroots, ngoals;
	long *at;
	int64_t at_lo;
	size_t at_n;
	struct cairn_roadmap_setting *settings;
	size_t nsettings;
	struct cairn_focus focus;
};

/*
 * Which part of the roadmap a snapshot holds.  The zero scope (or NULL)
 * is the whole store.
 *	minvis: only the items at least this visible (enum
 *	cairn_visibility) whose ancestors all are too, as if the rest did
 *	not exist; CAIRN_VIS_PRIVATE (0) keeps every item.  A forecast from
 *	such a snapshot uses only what a reader of that visibility may see
 *	(the public site's).
 *	no_dropped: leave dropped items, and everything below them, out.
 *	open_only: leave done and dropped items, and everything below
 *	them, out: what is open for planning (cairn_roadmap_plan), all
 *	that `next` reads.
 *	goal: non-zero for one goal's subgraph: the item goal, everything
 *	below it, and what its plan reads (cairn_roadmap_plan(rm, goal)):
 *	the ancestors of what is in, and the items what is in builds on,
 *	with everything below them, until nothing more comes in.  Planning
 *	the goal from its subgraph gives the plan the whole snapshot gives
 *	(cairn_roadmap_history and cairn_roadmap_share read the whole
 *	roadmap: take those from a whole snapshot).
 *	goals, ngoals: with goal 0, the union of these items'
 *	subgraphs (each as goal would read it); none of them need exist.
 *	plan_only: read only what planning reads (items, builds-on edges,
 *	required papers, time logged, settings): tags, links, notes,
 *	metrics and last changes are left empty.  Plans, paths, forecasts
 *	and portfolios are the same; the linter and the exporters need
 *	the rest.  The loader's only: cairn_roadmap_select copies what
 *	its source holds.
 *	check_only: read only what the linter reads (cairn_check_scope):
 *	items without their uuid, body, why, novelty, due, likelihood,
 *	visibility, created, finished and rank (left as cairn_item_init
 *	leaves them: body NULL, visibility private), and no links, notes
 *	or time logged.  Plans from it are the same (estimates, chances
 *	and start times are read); its forecasts, history, exports and
 *	goal order are not.  With minvis, open_only or a goal, items are
 *	read whole all the same.
 *	tags: NULL for every tag; else a NULL-terminated list of names,
 *	and only tags of these names are read.
 * minvis, no_dropped and open_only apply first, goal to what they leave.
 * The loader reads a goal's subgraph with indexed queries (its cost
 * grows with the subgraph, not the store) and open_only's items with one
 * scan of the open ones.
 */
struct cairn_roadmap_scope {
	int minvis;
	int no_dropped;
	int open_only;
	int plan_only;
	int check_only;
	const char *const *tags;
	int64_t goal;
	const int64_t *goals;
	size_t ngoals;
};

/*
 * Read the snapshot of scope (NULL: the whole store) into rm, released
 * with cairn_roadmap_release.  The one loader from the store: the
 * planners, the linter and the exporters read only what it fills.
 * CAIRN_EDB; CAIRN_ENOTFOUND when scope->goal is not in the store or is
 * left out by the rest of the scope.
 */
int cairn_roadmap_load_scope(struct cairn_store *st,
                             const struct cairn_roadmap_scope *scope,
                             struct cairn_roadmap *rm, struct cairn_err *err);

/* The whole store: cairn_roadmap_load_scope with no scope. */
int cairn_roadmap_load(struct cairn_store *st, struct cairn_roadmap *rm,
                       struct cairn_err *err);

/*
 * The part of src that scope selects, as its own snapshot in dst (as if
 * loaded with that scope from a store holding what src holds); src is
 * left alone.  CAIRN_ENOTFOUND as cairn_roadmap_load_scope.
 */
int cairn_roadmap_select(const struct cairn_roadmap *src,
                         const struct cairn_roadmap_scope *scope,
                         struct cairn_roadmap *dst, struct cairn_err *err);

void cairn_roadmap_release(struct cairn_roadmap *rm);

/*
 * The subtree of position i of src (i and everything below it) as its
 * own snapshot in dst, i its one root: what a page about one goal
 * draws.
 */
void cairn_roadmap_subtree(const struct cairn_roadmap *src, size_t i,
                           struct cairn_roadmap *dst);

/*
 * Milestones below position i (at any depth, i itself not counted) that
 * are not dropped: how many into *total, and how many of them are done
 * into *done.
 */
void cairn_roadmap_progress(const struct cairn_roadmap *rm, size_t i,
                            size_t *done, size_t *total);

/* The value of setting key, or NULL when it is not set. */
const char *cairn_roadmap_setting(const struct cairn_roadmap *rm,
                                  const char *key);

/*
 * Call fn with each link (each note) of position i, in the order of
 * cairn_item_links (cairn_item_notes).  A callback returning non-zero
 * stops the walk and that value is returned.
 */
int cairn_roadmap_links(const struct cairn_roadmap *rm, size_t i,
                        cairn_entry_fn fn, void *ctx);
int cairn_roadmap_notes(const struct cairn_roadmap *rm, size_t i,
                        cairn_entry_fn fn, void *ctx);

/* Position of item id, or -1. */
long cairn_roadmap_find(const struct cairn_roadmap *rm, int64_t id);

/* Position in papers[] of the paper with id paper_id, or -1. */
long cairn_roadmap_paper_find(const struct cairn_roadmap *rm, int64_t paper_id);

/*
 * What a plan node built from rm stands for, for people, into out
 * (reset first): an item's title, or for a paper node "read KEY: TITLE"
 * ("replicate KEY: TITLE" while replicating); "?" for an unknown id.
 * Returns out->buf.
 */
const char *cairn_roadmap_label(const struct cairn_roadmap *rm, int64_t id,
                                struct buf *out);

/* Position of the nearest goal among i's ancestors (i itself included),
 * or -1. */
long cairn_roadmap_goal_of(const struct cairn_roadmap *rm, size_t i);

/* Not done and not dropped. */
int cairn_item_open(const struct cairn_item *it);

/*
 * Build the remaining work below root (0: all open work in the store)
 * into g (initialised here) and finish it.  Node ids are item ids, and
 * CAIRN_PAPER_NODE(paper id) for papers.  Open here means neither done
 * nor dropped, nor below anything done or dropped.
 *
 * - Work nodes are the open milestones below root (through open items
 *   only) that have no open milestone below them: a milestone broken
 *   into open smaller ones is done when they are, and its own estimate
 *   is then not counted.  root itself is the one node when it is an
 *   open milestone with nothing open below.
 * - A work node's prerequisites are the builds-on edges of the node and
 *   of every ancestor of it (a milestone starts when its own and its
 *   ancestors' prerequisites are done).
 * - Required papers not yet read, replicated or tried (see above) of the
 *   node and of every ancestor of it are prerequisites too, as paper
 *   nodes.  Papers come in only as prerequisites of remaining work: a
 *   goal with nothing open to do has no remaining work, whatever it
 *   requires.
 * - An edge to a done or dropped item, or to anything below one (work
 *   left under a finished or abandoned item is settled with it), is
 *   satisfied and drops out.  An edge to an open item stands for that
 *   item's work nodes, found as above, or for the item itself when it
 *   has none (an open goal, question or idea with nothing planned
 *   below); such prerequisites from outside root are nodes too
 *   (CAIRN_NODE_OUTSIDE), with their own prerequisites, and so on.
 *
 * - An edge from an item to something below it (a part of it) is not
 *   inherited by that part: the part comes first, the rest of the item
 *   waits for it.
 *
 * Errors: CAIRN_ENOTFOUND for an unknown root, CAIRN_ECYCLE when
 * inherited prerequisites close a cycle (named as in cairn_plan_finish)
 * or an item builds on something it is part of ("cycle: #7 builds on
 * #4, which it is part of").
 * An empty plan is not an error: root has no remaining work.
 */
int cairn_roadmap_plan(const struct cairn_roadmap *rm, int64_t root,
                       struct cairn_plan *g, struct cairn_err *err);

/*
 * The researcher's own history for evidence-based scheduling: for every
 * done milestone with a likely estimate > 0, its actual working days
 * divided by the likely estimate, clamped to [0.1, 10].  The actual is
 * the time logged on the milestone itself when there is any, counted as
 * hours_per_day hours to the working day (the focus setting, default
 * CAIRN_FOCUS_HOURS_PER_DAY: whoever logs only focused hours says so),
 * since that is what the milestone took; otherwise, when it has started
 * and finished times apart, the working days between them on the
 * calendar, Monday to Friday (cairn_weekdays_between; this also counts
 * days spent on other work, and does not change with a forecast's days
 * per week).  A milestone with neither (say, marked done without being
 * started) gives no ratio.  *out (freed by the caller) gets *n ratios in
 * item order.
 */
void cairn_roadmap_history(const struct cairn_roadmap *rm, double hours_per_day,
                           double **out, size_t *n);

/*
 * The share of working time, (0, 1], that the focus setting f (see
 * cairn_focus_get) gives goal: the main item and whatever lies above or
 * below it get 1 - f->explore, every other goal f->explore.  1 when no
 * main item is set or it is not in rm, and 1 where the setting would give
 * the goal no time at all (an exploration share of 0 or 1): dates that
 * never come say nothing useful.
 */
double cairn_roadmap_share(const struct cairn_roadmap *rm,
                           const struct cairn_focus *f, int64_t goal);

#endif
