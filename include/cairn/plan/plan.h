/*
 * plan.h: the planning engine's DAG.  A goal's remaining work as a graph
 * of efforts and its critical path (DESIGN.md section 5).  The engine
 * knows nothing about the store: tests and benchmarks build plans by
 * hand, and roadmap.h builds them from a snapshot.
 *
 * Units: efforts are working days of effort.
 */
#ifndef CAIRN_PLAN_H
#define CAIRN_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "cairn/core/buf.h"
#include "cairn/core/err.h"
#include "cairn/core/item.h"

enum cairn_node_flags {
	CAIRN_NODE_DEFAULT_EST = 1 << 0, /* no estimate: the default used */
	CAIRN_NODE_OUTSIDE = 1 << 1,     /* a prerequisite from outside */
	CAIRN_NODE_PAPER = 1 << 2,       /* a required paper, see below */
};

/*
 * A plan: nodes with three-point estimates (working days), a chance of
 * success per attempt, and prerequisites.  Structure of arrays, edges in
 * CSR form.
 *
 * Build it with cairn_plan_add_node and cairn_plan_add_edge, then call
 * cairn_plan_finish, which checks it, renumbers the nodes in topological
 * order (every prerequisite before its dependents; among nodes that are
 * ready together, the one added first comes first) and fills the CSR
 * arrays.  After finish the fields are read-only and:
 *	pre[pre_off[i] .. pre_off[i + 1]) are the prerequisites of node i,
 *	all < i, without duplicates, in increasing order;
 *	suc[suc_off[i] .. suc_off[i + 1]) are its dependents, all > i.
 * mean[i] is the expected effort of one attempt, the PERT mean
 * (o + 4m + p) / 6.
 */
struct cairn_plan {
	size_t n;
	int64_t *id; /* the caller's name for each node */
	double *opt, *likely, *pess;
	double *p_success;
	double *mean;
	unsigned char *flags; /* enum cairn_node_flags */
	uint32_t *pre_off, *pre;
	uint32_t *suc_off, *suc;
	size_t nedges;
	/* building state */
	size_t cap, ecap;
	uint32_t *eu, *ev; /* edge eu[k] builds on ev[k] */
	int finished;
};

#define CAIRN_PLAN_MAX_NODES 10000000u

void cairn_plan_init(struct cairn_plan *g);
/* Free the contents; g is then as after cairn_plan_init. */
void cairn_plan_release(struct cairn_plan *g);

/*
 * Add a node named id with estimate est = {optimistic, likely,
 * pessimistic} working days and chance of success p_success per attempt.
 * Returns the node's index (>= 0) until cairn_plan_finish renumbers, or
 * CAIRN_EINVAL for an estimate that is not 0 <= o <= m <= p <= 1e6, a
 * chance outside 0..1, or too many nodes.
 */
long cairn_plan_add_node(struct cairn_plan *g, int64_t id, const double est[3],
                         double p_success, unsigned flags,
                         struct cairn_err *err);

/*
 * Node u builds on node v (both indices from cairn_plan_add_node).
 * Duplicates are merged at finish.  CAIRN_EINVAL for a bad index or more
 * than 2^32 - 2 edges, CAIRN_ECYCLE when u == v ("cycle: #7 -> #7"),
 * CAIRN_ESTATE after finish.
 */
int cairn_plan_add_edge(struct cairn_plan *g, size_t u, size_t v,
                        struct cairn_err *err);

/*
 * Check and freeze the plan (see above).  CAIRN_ECYCLE when the
 * prerequisites form a cycle; the message names one, in builds-on order:
 * "cycle: #3 -> #5 -> #3" (#3 builds on #5, which builds on #3).
 */
int cairn_plan_finish(struct cairn_plan *g, struct cairn_err *err);

/* Index of the node named id in a finished plan, or -1. */
long cairn_plan_find(const struct cairn_plan *g, int64_t id);

/*
 * The critical path by expected effort (mean[]), as in the critical path
 * method with unlimited parallel streams: es/ef are each node's earliest
 * start and finish, slack how much it can slip without delaying the end
 * (0 on the critical path), path the chain of node indices, first to last,
 * whose efforts add up to length.  Among equally long chains the one
 * through lower indices wins.  The arrays are owned by the struct.
 */
struct cairn_cpm {
	double length;
	double *es, *ef, *slack;
	uint32_t *path;
	size_t npath;
};

/* Fill out for a finished plan (which may be empty: length 0). */
void cairn_plan_critical(const struct cairn_plan *g, struct cairn_cpm *out);
void cairn_cpm_release(struct cairn_cpm *c);

#endif
