/*
 * dot.c: the roadmap graph through Graphviz (cgraph to build it, gvc to
 * lay it out and render SVG in-process).  Nodes are items, shaped by
 * kind and filled by status; each root goal's subtree is a cluster
 * labelled with the goal; edges run from a prerequisite to the item that
 * builds on it.
 *
 * Invariants: only items in the snapshot given appear, and an edge only
 * when both its ends do, so the public site's graph holds public items
 * only; with public names no item id appears (nodes are named by uuid
 * prefix).  Graphviz's own diagnostics go to a callback, never stderr.
 * Labels have their backslashes doubled, since Graphviz reads \N, \G and
 * \n in labels as escapes.
 *
 * Only two Graphviz plugins are loaded, the dot layout and the core
 * renderers (for SVG), not every plugin the system has: the pango text
 * plugin of Graphviz 2.43 keeps a pointer to a freed font name from one
 * layout to the next (a use after free the fuzzers found when a process
 * draws twice, as publish does), and without it text is measured by
 * Graphviz's own font tables, so the drawing does not depend on the fonts
 * installed.  Graphviz 2.43's dot layout also leaks a little per cluster;
 * tests/lsan-graphviz.supp tells LeakSanitizer so.
 *
 * Workload: roadmaps of up to a few thousand items (layout is the cost).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <graphviz/gvplugin.h>

#include "config.h"

#include "cairn/plan/goal-path.h"
#include "fmt/fmt-int.h"
#include "banned.h"

static const char *const fill[] = {
        [CAIRN_STATUS_IDEA] = "#ede7f6",   [CAIRN_STATUS_PLANNED] = "#ffffff",
        [CAIRN_STATUS_ACTIVE] = "#c8e6c9", [CAIRN_STATUS_PAUSED] = "#fff3c4",
        [CAIRN_STATUS_DONE] = "#cfd8dc",   [CAIRN_STATUS_DROPPED] = "#f8d7da",
};

static int
put(void *chan, const char *s)
{
	buf_adds(chan, s);
	return 0;
}

static int
flush(void *chan)
{
	(void)chan;
	return 0;
}

static Agiodisc_t io = {NULL, put, flush};

/*
 * Object ids in creation order.  cgraph's own discipline uses the address
 * of an object's interned name as its id and keeps subgraphs in id order,
 * so DOT output would list clusters in whatever order malloc placed their
 * names (different under AddressSanitizer, say).  Named objects get even
 * ids counting up, anonymous ones (edges) odd ids.
 */
struct ids {
	Agraph_t *g;
	struct strmap byname;
	/* names[k] has id 2 * (k + 1); interned with agstrdup, as cgraph's
	 * writer expects, and freed with the graph's strings */
	char **names;
	size_t n;
	IDTYPE anon;
};

static void *
id_open(Agraph_t *g, Agdisc_t *d)
{
	struct ids *s = xcalloc(1, sizeof(*s));

	(void)d;
	s->g = g;
	s->anon = 1;
	return s;
}

static long
id_map(void *state, int objtype, char *str, IDTYPE *id, int create)
{
	struct ids *s = state;
	int64_t *known;

	(void)objtype;
	if (!str) {
		*id = s->anon;
		s->anon += 2;
		return 1;
	}
	if ((known = strmap_get(&s->byname, str))) {
		*id = (IDTYPE)*known;
		return 1;
	}
	if (!create)
		return 0;
	s->names = xrealloc(s->names, (s->n + 1) * sizeof(*s->names));
	s->names[s->n++] = agstrdup(s->g, str);
	*id = 2 * (IDTYPE)s->n;
	strmap_put(&s->byname, str, (int64_t)*id);
	return 1;
}

static long
id_alloc(void *state, int objtype, IDTYPE id)
{
	(void)state;
	(void)objtype;
	(void)id;
	return 1;
}

static void
id_free(void *state, int objtype, IDTYPE id)
{
	(void)state;
	(void)objtype;
	(void)id; /* names go at close */
}

static char *
id_print(void *state, int objtype, IDTYPE id)
{
	struct ids *s = state;

	(void)objtype;
	if (id % 2 || id == 0 || id / 2 > s->n)
		return NULL;
	return s->names[id / 2 - 1];
}

static void
id_close(void *state)
{
	struct ids *s = state;

	free(s->names);
	strmap_release(&s->byname);
	free(s);
}

static void
id_register(void *state, int objtype, void *obj)
{
	(void)state;
	(void)objtype;
	(void)obj;
}

static Agiddisc_t ids = {id_open,  id_map,   id_alloc,   id_free,
                         id_print, id_close, id_register};

/* Graphviz reports errors through here; keep the last one. */
static char gv_error[256];

static int
gv_err(char *msg)
{
	snprintf(gv_error, sizeof(gv_error), "%s", msg);
	return 0;
}

static void
set(void *obj, const char *name, const char *value)
{
	agsafeset(obj, (char *)name, (char *)value, "");
}

/* A label: backslashes doubled, lines broken near width columns. */
static void
label(struct buf *out, const char *prefix, const char *title, int width)
{
	int col = 0;

	buf_adds(out, prefix);
	col = (int)strlen(prefix);
	for (const char *p = title; *p; p++) {
		if (*p == ' ' && col >= width) {
			buf_adds(out, "\\n");
			col = 0;
			continue;
		}
		if (*p == '\\')
			buf_addch(out, '\\');
		if (*p == '\n' || *p == '\r') {
			buf_addch(out, ' ');
		} else {
			buf_addch(out, *p);
		}
		if (((unsigned char)*p & 0xc0) != 0x80)
			col++;
	}
}

static void
node_name(char out[48], const struct cairn_item *it, int public_names)
{
	if (public_names)
		snprintf(out, 48, "n%.8s", it->uuid);
	else
		snprintf(out, 48, "n%lld", (long long)it->id);
}

static Agnode_t *
add_node(Agraph_t *sub, const struct cairn_item *it, int public_names,
         const char *href_fmt)
{
	char name[48];
	struct buf lab = BUF_INIT, pre = BUF_INIT;
	Agnode_t *n;

	node_name(name, it, public_names);
	n = agnode(sub, name, 1);
	if (!public_names)
		buf_addf(&pre, "#%lld ", (long long)it->id);
	label(&lab, pre.buf, it->title, it->kind == CAIRN_KIND_GOAL ? 30 : 24);
	set(n, "label", lab.buf);
	set(n, "fillcolor", fill[it->status]);
	set(n, "tooltip", cairn_status_name(it->status));
	set(n, "class", cairn_status_name(it->status));
	switch (it->kind) {
	case CAIRN_KIND_GOAL:
		set(n, "shape", "box");
		set(n, "peripheries", "2");
		set(n, "style", "rounded,filled,bold");
		break;
	case CAIRN_KIND_QUESTION:
		set(n, "shape", "ellipse");
		set(n, "style", "filled");
		break;
	case CAIRN_KIND_IDEA:
		set(n, "shape", "note");
		set(n, "style", "filled");
		break;
	default:
		set(n, "shape", "box");
		set(n, "style",
		    it->status == CAIRN_STATUS_DROPPED ? "rounded,filled,dashed"
		                                       : "rounded,filled");
	}
	if (href_fmt && it->kind == CAIRN_KIND_GOAL && !it->parent) {
		struct buf href = BUF_INIT;
		char prefix[9];

		snprintf(prefix, sizeof(prefix), "%.8s", it->uuid);
		buf_addf(&href, href_fmt, prefix);
		set(n, "href", href.buf);
		buf_release(&href);
	}
	buf_release(&lab);
	buf_release(&pre);
	return n;
}

/* Put node i and everything below it into sub. */
static void
add_subtree(Agraph_t *sub, const struct cairn_roadmap *rm, size_t i,
            int public_names, const char *href_fmt)
{
	size_t *stack = xmalloc((rm->n ? rm->n : 1) * sizeof(*stack));
	size_t depth = 0;

	stack[depth++] = i;
	while (depth) {
		size_t x = stack[--depth];

		add_node(sub, &rm->items[x], public_names, href_fmt);
		for (uint32_t k = rm->kid_off[x + 1]; k-- > rm->kid_off[x];)
			stack[depth++] = rm->kid[k];
	}
	free(stack);
}

/*
 * A Graphviz context with the dot layout and the core renderers only;
 * NULL with a message when they cannot be loaded.
 */
static GVC_t *
gv_context(struct cairn_err *err)
{
	static const char *const libs[][2] = {
	        {"libgvplugin_dot_layout.so.6",
	         "gvplugin_dot_layout_LTX_library"},
	        {"libgvplugin_core.so.6", "gvplugin_core_LTX_library"},
	};
	static gvplugin_library_t *lib[2];
	GVC_t *gvc;

	for (int i = 0; i < 2; i++) {
		char path[512];
		void *h;

		if (lib[i])
			continue;
		snprintf(path, sizeof(path), "%s/%s", CAIRN_GV_PLUGINS,
		         libs[i][0]);
		/* Kept open: the context points into it. */
		if (!(h = dlopen(path, RTLD_NOW | RTLD_LOCAL)) ||
		    !(lib[i] = dlsym(h, libs[i][1]))) {
			cairn_err_set(err, CAIRN_EINVAL,
			              "cannot load the Graphviz plugin '%s'",
			              path);
			return NULL;
		}
	}
	gvc = gvContextPlugins(NULL, 0);
	for (int i = 0; i < 2; i++)
		gvAddLibrary(gvc, lib[i]);
	return gvc;
}

int
fmt_dot_render(const struct cairn_roadmap *rm, int svg, int public_names,
               const char *href_fmt, const unsigned char *mark, struct buf *out,
               struct cairn_err *err)
{
	Agdisc_t disc = {&AgMemDisc, &ids, &io};
	Agraph_t *g;
	unsigned char *in_goal = xcalloc(rm->n ? rm->n : 1, 1);
	int rc = 0;

	agseterrf(gv_err);
	agseterr(AGMAX);
	gv_error[0] = '\0';
	g = agopen((char *)"roadmap", Agdirected, &disc);
	set(g, "rankdir", "LR");
	set(g, "fontname", "Helvetica");
	set(g, "fontsize", "12");
	set(g, "bgcolor", "transparent");
	agattr(g, AGNODE, (char *)"fontname", (char *)"Helvetica");
	agattr(g, AGNODE, (char *)"fontsize", (char *)"10");
	agattr(g, AGEDGE, (char *)"color", (char *)"#555555");
	for (size_t k = 0; k < rm->ngoals; k++) {
		size_t gi = rm->goals[k];
		char name[64];
		struct buf lab = BUF_INIT;
		Agraph_t *c;

		snprintf(name, sizeof(name), "cluster_%zu", k + 1);
		c = agsubg(g, name, 1);
		label(&lab, "", rm->items[gi].title, 40);
		set(c, "label", lab.buf);
		set(c, "style", "rounded");
		set(c, "color", "#9e9e9e");
		buf_release(&lab);
		add_subtree(c, rm, gi, public_names, href_fmt);
		in_goal[gi] = 1;
	}
	for (size_t k = 0; k < rm->nroots; k++)
		if (!in_goal[rm->roots[k]])
			add_subtree(g, rm, rm->roots[k], public_names,
			            href_fmt);
	for (size_t a = 0; mark && a < rm->n; a++)
		if (mark[a]) {
			char na[48];
			Agnode_t *n;

			node_name(na, &rm->items[a], public_names);
			if ((n = agnode(g, na, 0))) {
				set(n, "color", "#a4161a");
				set(n, "penwidth", "3");
				set(n, "class", "critical");
			}
		}
	/* Edges in (item, prereq) id order, as the snapshot keeps them. */
	for (size_t a = 0; a < rm->n; a++) {
		for (uint32_t k = rm->pre_off[a]; k < rm->pre_off[a + 1]; k++) {
			char na[48], nb[48];

			Agedge_t *e;

			node_name(na, &rm->items[a], public_names);
			node_name(nb, &rm->items[rm->pre[k]], public_names);
			e = agedge(g, agnode(g, nb, 0), agnode(g, na, 0), NULL,
			           1);
			if (mark && mark[a] && mark[rm->pre[k]]) {
				set(e, "color", "#a4161a");
				set(e, "penwidth", "3");
				set(e, "class", "critical");
			}
		}
	}
	if (!svg) {
		agwrite(g, out);
		goto out;
	}
	{
		GVC_t *gvc = gv_context(err);
		char *data = NULL;
		unsigned int len = 0;

		if (!gvc) {
			rc = CAIRN_EINVAL;
			goto out;
		}
		if (gvLayout(gvc, g, "dot") ||
		    gvRenderData(gvc, g, "svg", &data, &len)) {
			rc = cairn_err_set(err, CAIRN_EINVAL,
			                   "graphviz could not draw the "
			                   "roadmap: %s",
			                   gv_error[0] ? gv_error
			                               : "no layout plugin");
		} else {
			buf_add(out, data, len);
		}
		if (data)
			gvFreeRenderData(data);
		gvFreeLayout(gvc, g);
		gvFreeContext(gvc);
	}
out:
	agclose(g);
	free(in_goal);
	return rc;
}

int
cairn_goal_graph_svg(struct cairn_store *st, int64_t goal, struct buf *out,
                     struct cairn_err *err)
{
	struct cairn_roadmap rm, sub;
	struct cairn_goal_path path;
	unsigned char *mark = NULL;
	long gi;
	int rc;

	if ((rc = cairn_roadmap_load(st, &rm, err)))
		return rc;
	if ((gi = cairn_roadmap_find(&rm, goal)) < 0) {
		cairn_roadmap_release(&rm);
		return cairn_err_set(err, CAIRN_ENOTFOUND, "no item #%lld",
		                     (long long)goal);
	}
	memset(&path, 0, sizeof(path));
	rc = cairn_goal_path(&rm, goal, &path, err);
	cairn_roadmap_subtree(&rm, (size_t)gi, &sub);
	if (!rc) {
		mark = xcalloc(sub.n ? sub.n : 1, 1);
		for (size_t i = 0; i < path.npath; i++) {
			long x = path.path[i].id
			                 ? cairn_roadmap_find(&sub,
			                                      path.path[i].id)
			                 : -1;

			if (x >= 0)
				mark[x] = 1;
		}
		rc = fmt_dot_render(&sub, 1, 0, NULL, mark, out, err);
	}
	free(mark);
	cairn_goal_path_release(&path);
	cairn_roadmap_release(&sub);
	cairn_roadmap_release(&rm);
	return rc;
}
