/*
 * pages.c: the lab's pages on the hub, for a user logged in (web.c).
 *
 *	GET  /					my labs, and questions waiting
 *	GET  /queue				questions put to me, my
 *						mentees' open milestones
 *	POST /questions/ID/answer		outcome, why: answer one
 *	GET  /labs/LAB				members: focus, WIP, next
 *	GET  /labs/LAB/calibration		calibration per mentor
 *	GET  /labs/LAB/check			the lab's check
 *	GET  /labs/LAB/members/USER		USER's lab roadmap
 *	GET  /labs/LAB/members/USER/items/UUID	an item, a goal's plan
 *	GET  /labs/LAB/members/USER/items/UUID/graph.svg
 *	POST /labs/LAB/members/USER/items/UUID/comments	text: a comment
 *
 * What a page may show is asked of hub/lab.c (hub_lab_role,
 * hub_lab_access) on every request, and a lab, member or item out of
 * reach is 404 whatever the reason, as in the API.  What a page shows of
 * a roadmap is computed by the library from the hub's copy of it
 * (copy.c): the same plan, forecast, `next`, focus report and
 * calibration the owner's CLI gives for those items.  A question's
 * probability is never shown: the hub has none for it, and a copy's
 * predictions are read only for the calibration of those resolved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cairn/cairn.h"
#include "cairn/store/sync.h"
#include "hub/hub-int.h"
#include "web/web.h"
#include "../lib/banned.h"

#define SEGS 8

struct path {
	char copy[512];
	char *seg[SEGS];
	int n;
};

/* path's segments; -1 for a path too long or deep, or with an empty
 * segment. */
static int
split(const char *path, struct path *p)
{
	char *s, *save = NULL;

	p->n = 0;
	if (strlen(path) >= sizeof(p->copy) || strstr(path, "//"))
		return -1;
	snprintf(p->copy, sizeof(p->copy), "%s", path);
	for (s = strtok_r(p->copy, "/", &save); s;
	     s = strtok_r(NULL, "/", &save)) {
		if (p->n == SEGS)
			return -1;
		p->seg[p->n++] = s;
	}
	return 0;
}

static int
is(const struct path *p, int i, const char *s)
{
	return i < p->n && !strcmp(p->seg[i], s);
}

static int
db_fail(struct hub_call *x, const struct hub_session *me,
        const struct cairn_err *err)
{
	(void)err;
	return hub_page_refuse(x, me, 503, "the database is unreachable");
}

static int
not_found(struct hub_call *x, const struct hub_session *me, const char *kind,
          const char *what)
{
	char msg[200];

	hub_log_refusal(x, kind, what);
	if (!strcmp(kind, "lab"))
		snprintf(msg, sizeof(msg), "No lab '%.64s' of yours.", what);
	else
		snprintf(msg, sizeof(msg),
		         "Nothing '%.64s' here for you to see.", what);
	return hub_page_refuse(x, me, 404, msg);
}

static void
page_ok(struct hub_call *x)
{
	x->rs->status = 200;
	x->rs->type = NULL;
}

/* ---- my labs ---- */

static int
home(struct hub_call *x, const struct hub_session *me)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	const char *p[] = {me->user_id};
	struct buf *out = &x->rs->body;
	PGresult *r;
	int n;

	r = hub_exec(x->db,
	             "SELECT l.name, m.role, (SELECT count(*) FROM "
	             "hub.questions q WHERE " HUB_OPEN_TO_ME ") "
	             "FROM hub.memberships m JOIN "
	             "hub.labs l ON l.id = m.lab_id "
	             "WHERE m.user_id = $1::bigint "
	             "ORDER BY l.name",
	             1, p, &err);
	if (!r)
		return db_fail(x, me, &err);
	page_ok(x);
	hub_page_begin(out, me, "My labs");
	n = PQntuples(r);
	if (!n)
		buf_adds(out,
		         "<p class=\"muted\">You are in no lab yet: join "
		         "one with <code>cairn sync join CODE</code>.</p>");
	else
		buf_adds(out, "<ul>\n");
	for (int i = 0; i < n; i++)
		html_addf(out,
		          "<li><a href=\"/labs/%s\">%s</a> <span "
		          "class=\"muted\">as %s</span></li>\n",
		          PQgetvalue(r, i, 0), PQgetvalue(r, i, 0),
		          PQgetvalue(r, i, 1));
	if (n) {
		buf_adds(out, "</ul>\n");
		html_addf(out,
		          "<p><a href=\"/queue\">%s question%s waiting for "
		          "your answer</a></p>",
		          PQgetvalue(r, 0, 2),
		          strcmp(PQgetvalue(r, 0, 2), "1") ? "s" : "");
	}
	PQclear(r);
	hub_page_end(out);
	return 200;
}

/* ---- one member's copy, read by the library ---- */

/* The copy of user_id's roadmap as a snapshot of its items (the open
 * ones only with open_only). */
static int
copy_load(struct hub_call *x, const char *user_id, int open_only,
          struct cairn_store **st, struct cairn_roadmap *rm,
          struct cairn_err *err)
{
	struct cairn_roadmap_scope sc = {0};
	int rc;

	memset(rm, 0, sizeof(*rm));
	if ((rc = hub_copy_open(x, user_id, st, err)))
		return rc;
	sc.open_only = open_only;
	if ((rc = cairn_roadmap_load_scope(*st, &sc, rm, err))) {
		cairn_store_free(*st);
		*st = NULL;
	}
	return rc;
}

static const char *
status_name(const struct cairn_item *it)
{
	return cairn_status_name(it->status);
}

/* A link to item i of rm on whom's pages in lab. */
static void
item_link(struct buf *out, const char *lab, const char *whom,
          const struct cairn_item *it)
{
	html_addf(out, "<a href=\"/labs/%s/members/%s/items/%s\">%s</a>", lab,
	          whom, it->uuid, it->title);
}

/* One row of the members' table: focus, WIP and next from the copy. */
static void
member_row(struct hub_call *x, struct buf *out, const char *lab,
           const char *name, const char *role, const char *mentors,
           const char *user_id, enum hub_see see)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_store *st = NULL;
	struct cairn_roadmap rm;
	struct cairn_focus_report fr;
	struct cairn_next nx = {0};
	char since[CAIRN_DATE_LEN], until[CAIRN_DATE_LEN], dur[32];
	const char *sp[] = {since}, *up[] = {until};

	html_addf(out, "<tr><th scope=\"row\">");
	if (see != HUB_SEE_NONE)
		html_addf(out, "<a href=\"/labs/%s/members/%s\">%s</a>", lab,
		          name, name);
	else
		html_addf(out, "%s", name);
	html_addf(out, "</th><td>%s</td><td>%s</td>", role, mentors);
	if (see == HUB_SEE_NONE || see == HUB_SEE_GOALS) {
		buf_adds(out, "<td colspan=\"3\" class=\"muted\">"
		              "not shared with you</td></tr>\n");
		return;
	}
	if (copy_load(x, user_id, 1, &st, &rm, &err)) {
		html_addf(out,
		          "<td colspan=\"3\" class=\"error\">%s</td></tr>\n",
		          err.msg);
		return;
	}
	cairn_last_weeks(1, since, until);
	if (cairn_focus_reports(st, 1, sp, up, &fr, &err)) {
		html_addf(out, "<td colspan=\"3\" class=\"error\">%s</td>",
		          err.msg);
	} else {
		cairn_duration_format(fr.total_minutes, dur);
		html_addf(out, "<td>%s logged", dur);
		if (fr.total_minutes)
			html_addf(out, ", %d%% on the main project",
			          (int)(100.0 * fr.main_minutes /
			                        fr.total_minutes +
			                0.5));
		html_addf(out,
		          " <span class=\"muted\">(target %d%%)</span></td>"
		          "<td>%d of %d%s</td>",
		          (int)(100 * (1 - fr.focus.explore) + 0.5), fr.active,
		          fr.focus.wip,
		          fr.active > fr.focus.wip ? " (over)" : "");
		cairn_focus_report_release(&fr);
		buf_adds(out, "<td>");
		if (!cairn_next(&rm, 0, 3, &nx, &err) && nx.n) {
			buf_adds(out, "<ol class=\"tight\">");
			for (size_t i = 0; i < nx.n; i++) {
				long k =
				        cairn_roadmap_find(&rm, nx.picks[i].id);

				buf_adds(out, "<li>");
				if (k >= 0)
					item_link(out, lab, name, &rm.items[k]);
				else
					html_addf(out, "%s", nx.picks[i].title);
				buf_adds(out, "</li>");
			}
			buf_adds(out, "</ol>");
		} else {
			buf_adds(out, "<span class=\"muted\">nothing "
			              "ready</span>");
		}
		cairn_next_release(&nx);
		buf_adds(out, "</td>");
	}
	buf_adds(out, "</tr>\n");
	cairn_roadmap_release(&rm);
	cairn_store_free(st);
}

/* The lab's members as the caller may see them: each row's user id,
 * name, role and mentors. */
static PGresult *
members_query(struct hub_call *x, const char *lab_id, struct cairn_err *err)
{
	const char *p[] = {lab_id};

	return hub_exec(
	        x->db,
	        "SELECT m.user_id, u.name, m.role, coalesce((SELECT "
	        "string_agg(v.name, ', ' ORDER BY v.name) FROM "
	        "hub.mentorships s JOIN hub.users v ON v.id = s.mentor_id "
	        "WHERE s.lab_id = m.lab_id AND s.member_id = m.user_id), '') "
	        "FROM hub.memberships m JOIN hub.users u ON u.id = m.user_id "
	        "WHERE m.lab_id = $1::bigint ORDER BY u.name",
	        1, p, err);
}

/* What the caller may see of member name in lab (HUB_SEE_NONE on a
 * failure too: the page then shows nothing of them), and the caller's
 * role there in me. */
static enum hub_see
sees_as(struct hub_call *x, const char *lab, const char *name, char whom_id[24],
        struct hub_lab_ref *me)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	enum hub_see see = HUB_SEE_NONE;

	if (hub_lab_access(x->db, x->user_id, lab, name, me, whom_id, &see,
	                   &err) != 1)
		return HUB_SEE_NONE;
	return see;
}

static enum hub_see
sees(struct hub_call *x, const char *lab, const char *name, char whom_id[24])
{
	struct hub_lab_ref me;

	return sees_as(x, lab, name, whom_id, &me);
}

static void
lab_nav(struct buf *out, const char *lab)
{
	html_addf(out,
	          "<p><a href=\"/labs/%s\">Members</a> · <a "
	          "href=\"/labs/%s/calibration\">Calibration</a> · <a "
	          "href=\"/labs/%s/check\">Check</a></p>\n",
	          lab, lab, lab);
}

static int
lab_page(struct hub_call *x, const struct hub_session *me, const char *lab,
         const struct hub_lab_ref *ref)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf *out = &x->rs->body;
	struct buf title = BUF_INIT;
	PGresult *r = members_query(x, ref->lab_id, &err);

	if (!r)
		return db_fail(x, me, &err);
	page_ok(x);
	buf_addf(&title, "Lab %s", lab);
	hub_page_begin(out, me, title.buf);
	buf_release(&title);
	html_addf(out, "<p class=\"muted\">You are its %s.</p>", ref->role);
	lab_nav(out, lab);
	buf_adds(out,
	         "<table class=\"members\"><caption>Members this "
	         "week</caption><tr><th scope=\"col\">Member</th><th "
	         "scope=\"col\">Role</th><th scope=\"col\">Mentored "
	         "by</th><th scope=\"col\">Focus</th><th "
	         "scope=\"col\">WIP</th><th scope=\"col\">Next</th></tr>\n");
	for (int i = 0; i < PQntuples(r); i++) {
		char whom_id[24];
		enum hub_see see = sees(x, lab, PQgetvalue(r, i, 1), whom_id);

		member_row(x, out, lab, PQgetvalue(r, i, 1),
		           PQgetvalue(r, i, 2), PQgetvalue(r, i, 3),
		           PQgetvalue(r, i, 0), see);
	}
	PQclear(r);
	buf_adds(out, "</table>\n");
	hub_page_end(out);
	return 200;
}

/* ---- a member's roadmap ---- */

static void
tree(struct buf *out, const struct cairn_roadmap *rm, size_t i, const char *lab,
     const char *whom)
{
	const struct cairn_item *it = &rm->items[i];

	html_addf(out, "<li><span class=\"muted\">%s %s</span> ",
	          cairn_kind_name(it->kind), status_name(it));
	item_link(out, lab, whom, it);
	if (rm->kid_off[i] < rm->kid_off[i + 1]) {
		buf_adds(out, "<ul>");
		for (uint32_t k = rm->kid_off[i]; k < rm->kid_off[i + 1]; k++)
			tree(out, rm, rm->kid[k], lab, whom);
		buf_adds(out, "</ul>");
	}
	buf_adds(out, "</li>\n");
}

static int
roadmap_page(struct hub_call *x, const struct hub_session *me, const char *lab,
             const char *whom, const char *whom_id, enum hub_see see)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_store *st;
	struct cairn_roadmap rm;
	struct buf *out = &x->rs->body;
	struct buf title = BUF_INIT;
	size_t shown = 0;

	if (copy_load(x, whom_id, 0, &st, &rm, &err))
		return hub_page_refuse(x, me, 500, err.msg);
	page_ok(x);
	buf_addf(&title, "%s's roadmap in %s", whom, lab);
	hub_page_begin(out, me, title.buf);
	buf_release(&title);
	lab_nav(out, lab);
	if (see == HUB_SEE_GOALS)
		buf_adds(out, "<p class=\"muted\">The goals shared with the "
		              "lab.</p>");
	buf_adds(out, "<ul class=\"tree\">\n");
	for (size_t k = 0; k < rm.nroots; k++) {
		size_t i = rm.roots[k];

		if (see == HUB_SEE_GOALS) {
			if (rm.items[i].kind != CAIRN_KIND_GOAL)
				continue;
			html_addf(out,
			          "<li><span class=\"muted\">goal "
			          "%s</span> ",
			          status_name(&rm.items[i]));
			item_link(out, lab, whom, &rm.items[i]);
			buf_adds(out, "</li>\n");
		} else {
			tree(out, &rm, i, lab, whom);
		}
		shown++;
	}
	buf_adds(out, "</ul>\n");
	if (!shown)
		buf_adds(out, "<p class=\"muted\">Nothing shared with the lab "
		              "yet.</p>");
	hub_page_end(out);
	cairn_roadmap_release(&rm);
	cairn_store_free(st);
	return 200;
}

/* ---- an item, and a goal's plan ---- */

static int
put_note(void *ctx, const struct cairn_entry *e)
{
	struct buf *out = ctx;
	char day[11];

	snprintf(day, sizeof(day), "%.10s", e->time);
	html_addf(out, "<li><span class=\"muted\">%s</span> ", day);
	if (e->label)
		html_addf(out, "<strong>%s:</strong> ", e->label);
	html_addf(out, "%s</li>\n", e->text);
	return 0;
}

static int
item_page(struct hub_call *x, const struct hub_session *me, const char *lab,
          const char *whom, const char *whom_id, enum hub_see see,
          const char *role, const char *uuid, int svg)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_store *st;
	struct cairn_roadmap rm;
	struct buf *out = &x->rs->body;
	const struct cairn_item *it;
	int64_t id = 0;
	long i;
	size_t done, total;
	int rc = 200;

	if (!cairn_uuid_ok(uuid))
		return not_found(x, me, "item", uuid);
	if (copy_load(x, whom_id, 0, &st, &rm, &err))
		return hub_page_refuse(x, me, 500, err.msg);
	if (cairn_sync_row_local(st, "item", uuid, &id, &err) || !id ||
	    (i = cairn_roadmap_find(&rm, id)) < 0 ||
	    (see == HUB_SEE_GOALS &&
	     (rm.items[i].kind != CAIRN_KIND_GOAL || rm.parent[i] >= 0))) {
		rc = not_found(x, me, "item", uuid);
		goto out;
	}
	it = &rm.items[i];
	if (svg) {
		struct buf g = BUF_INIT;

		if (see == HUB_SEE_GOALS ||
		    cairn_goal_graph_svg(st, id, &g, &err)) {
			rc = not_found(x, me, "item", uuid);
		} else {
			page_ok(x);
			x->rs->type = "image/svg+xml";
			buf_add(out, g.buf ? g.buf : "", g.len);
		}
		buf_release(&g);
		goto out;
	}
	page_ok(x);
	hub_page_begin(out, me, it->title);
	html_addf(out,
	          "<p class=\"muted\">%s's %s, %s · <a "
	          "href=\"/labs/%s/members/%s\">the roadmap</a></p>",
	          whom, cairn_kind_name(it->kind), status_name(it), lab, whom);
	if (it->body && *it->body)
		html_addf(out, "<p class=\"body\">%s</p>", it->body);
	cairn_roadmap_progress(&rm, (size_t)i, &done, &total);
	if (total)
		html_addf(out, "<p>%d of %d milestones done.</p>", (int)done,
		          (int)total);
	if (see == HUB_SEE_GOALS)
		goto end;
	if (rm.kid_off[i] < rm.kid_off[i + 1]) {
		buf_adds(out, "<h2>Below it</h2><ul class=\"tree\">\n");
		for (uint32_t k = rm.kid_off[i]; k < rm.kid_off[i + 1]; k++)
			tree(out, &rm, rm.kid[k], lab, whom);
		buf_adds(out, "</ul>\n");
		html_addf(out,
		          "<h2>Plan</h2><figure><img class=\"graph\" "
		          "src=\"/labs/%s/members/%s/items/%s/graph.svg\" "
		          "alt=\"The breakdown of %s and what builds on what, "
		          "the critical path in red\"></figure>\n",
		          lab, whom, it->uuid, it->title);
	}
	if (cairn_item_open(it) && rm.kid_off[i] < rm.kid_off[i + 1]) {
		struct cairn_goal_forecast_opts o =
		        CAIRN_GOAL_FORECAST_OPTS_INIT;
		struct cairn_goal_forecast fc;

		buf_adds(out, "<h2>Forecast</h2>");
		if (cairn_goal_forecast(st, id, &o, &fc, &err))
			html_addf(out,
			          "<p class=\"error\" role=\"alert\">%s</p>",
			          err.msg);
		else
			html_forecast(out, &fc);
		cairn_goal_forecast_release(&fc);
	}
	buf_adds(out, "<h2 id=\"notes\">Notes and comments</h2>");
	if (rm.note_off[i] < rm.note_off[i + 1]) {
		buf_adds(out, "<ul>\n");
		if (cairn_item_notes(st, id, put_note, out, &err))
			html_addf(out, "<li class=\"error\">%s</li>", err.msg);
		buf_adds(out, "</ul>\n");
	} else {
		buf_adds(out, "<p class=\"muted\">None yet.</p>");
	}
	/* The form for those who may comment (hub_comment_add decides). */
	if (strcmp(whom, me->name) &&
	    (!strcmp(role, "lead") || !strcmp(role, "mentor"))) {
		html_addf(out,
		          "<form method=\"post\" class=\"stack\" "
		          "action=\"/labs/%s/members/%s/items/%s/comments\">",
		          lab, whom, it->uuid);
		hub_page_csrf(out, me);
		html_addf(
		        out,
		        "<label for=\"comment\">A comment for %s</label>"
		        "<textarea id=\"comment\" name=\"text\" required "
		        "maxlength=\"4000\" rows=\"3\"></textarea>"
		        "<button type=\"submit\">Comment</button></form>"
		        "<p class=\"muted\">It reaches %s's roadmap as a note "
		        "from you at their next sync.</p>",
		        whom, whom);
	}
end:
	hub_page_end(out);
out:
	cairn_roadmap_release(&rm);
	cairn_store_free(st);
	return rc;
}

/* A mentor's (or the lead's) comment from an item's page. */
static int
comment_post(struct hub_call *x, const struct hub_session *me, const char *lab,
             const char *whom, const char *uuid)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	const char *text = http_field(x->rq, "text");
	struct buf back = BUF_INIT;
	char id[24];
	int rc;

	if (!hub_text_ok(text))
		return hub_page_refuse(x, me, 400,
		                       "A comment has 1 to 4000 bytes.");
	rc = hub_comment_add(x->db, me->user_id, lab, whom, uuid, text, id,
	                     &err);
	if (rc < 0)
		return db_fail(x, me, &err);
	if (!rc)
		return not_found(x, me, "comment", uuid);
	buf_addf(&back, "/labs/%s/members/%s/items/%s#notes", lab, whom, uuid);
	http_redirect(x->rs, back.buf);
	buf_release(&back);
	return 303;
}

/* ---- the mentor's queue ---- */

static int
queue_page(struct hub_call *x, const struct hub_session *me)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	const char *p[] = {me->user_id};
	struct buf *out = &x->rs->body;
	PGresult *q, *m;

	q = hub_exec(x->db,
	             "SELECT q.id, u.name, q.statement, q.created::date "
	             "FROM hub.questions q JOIN hub.users u ON u.id = "
	             "q.asker_id WHERE " HUB_OPEN_TO_ME " ORDER BY "
	             "q.id",
	             1, p, &err);
	if (!q)
		return db_fail(x, me, &err);
	m = hub_exec(x->db,
	             "SELECT l.name, u.name, u.id FROM hub.mentorships s "
	             "JOIN hub.labs l ON l.id = s.lab_id JOIN hub.users u ON "
	             "u.id = s.member_id WHERE s.mentor_id = $1::bigint "
	             "ORDER BY l.name, u.name",
	             1, p, &err);
	if (!m) {
		PQclear(q);
		return db_fail(x, me, &err);
	}
	page_ok(x);
	hub_page_begin(out, me, "My queue");
	buf_adds(out, "<h2>Questions put to you</h2>\n");
	if (!PQntuples(q))
		buf_adds(out, "<p class=\"muted\">None waiting.</p>");
	for (int i = 0; i < PQntuples(q); i++) {
		const char *id = PQgetvalue(q, i, 0);

		html_addf(
		        out,
		        "<section class=\"question\" id=\"q%s\"><p><strong>"
		        "Q%s</strong> from %s <span class=\"muted\">(asked "
		        "%s)</span></p><blockquote>%s</blockquote>"
		        "<form method=\"post\" action=\"/questions/%s/answer\" "
		        "class=\"stack\">",
		        id, id, PQgetvalue(q, i, 1), PQgetvalue(q, i, 3),
		        PQgetvalue(q, i, 2), id);
		hub_page_csrf(out, me);
		html_addf(out,
		          "<fieldset><legend>Your answer to Q%s</legend>"
		          "<label><input type=\"radio\" name=\"outcome\" "
		          "value=\"yes\" required> yes</label> "
		          "<label><input type=\"radio\" name=\"outcome\" "
		          "value=\"no\"> no</label></fieldset>"
		          "<label for=\"why%s\">Why</label>"
		          "<textarea id=\"why%s\" name=\"why\" required "
		          "maxlength=\"4000\" rows=\"3\"></textarea>"
		          "<button type=\"submit\">Answer Q%s</button></form>"
		          "</section>\n",
		          id, id, id, id);
	}
	PQclear(q);
	buf_adds(out, "<h2>Your mentees' open milestones</h2>\n");
	if (!PQntuples(m))
		buf_adds(out, "<p class=\"muted\">You mentor no one.</p>");
	for (int i = 0; i < PQntuples(m); i++) {
		const char *lab = PQgetvalue(m, i, 0),
		           *who = PQgetvalue(m, i, 1);
		struct cairn_store *st;
		struct cairn_roadmap rm;
		size_t shown = 0;

		html_addf(out, "<h3>%s <span class=\"muted\">in %s</span></h3>",
		          who, lab);
		if (copy_load(x, PQgetvalue(m, i, 2), 1, &st, &rm, &err)) {
			html_addf(out, "<p class=\"error\">%s</p>", err.msg);
			continue;
		}
		for (size_t k = 0; k < rm.n; k++) {
			if (rm.items[k].kind != CAIRN_KIND_MILESTONE)
				continue;
			buf_adds(out, shown++ ? "" : "<ul>");
			html_addf(out, "<li><span class=\"muted\">%s</span> ",
			          status_name(&rm.items[k]));
			item_link(out, lab, who, &rm.items[k]);
			buf_adds(out, "</li>\n");
		}
		buf_adds(out, shown ? "</ul>\n"
		                    : "<p class=\"muted\">No open milestone "
		                      "shared.</p>");
		cairn_roadmap_release(&rm);
		cairn_store_free(st);
	}
	PQclear(m);
	hub_page_end(out);
	return 200;
}

static int
answer_post(struct hub_call *x, const struct hub_session *me, const char *qid)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	const char *o = http_field(x->rq, "outcome");
	const char *why = http_field(x->rq, "why");
	int rc;

	if (strspn(qid, "0123456789") != strlen(qid) || strlen(qid) > 18)
		return not_found(x, me, "answer", qid);
	if (!o || (strcmp(o, "yes") && strcmp(o, "no")) || !hub_text_ok(why))
		return hub_page_refuse(x, me, 400,
		                       "An answer needs yes or no, and why "
		                       "(1 to 4000 bytes).");
	rc = hub_question_answer(x->db, me->user_id, qid, !strcmp(o, "yes"),
	                         why, &err);
	if (rc == HUB_ANSWER_FAILED)
		return db_fail(x, me, &err);
	if (rc != HUB_ANSWER_OK) {
		hub_log_refusal(x, "answer", qid);
		if (rc == HUB_ANSWER_AGAIN)
			return hub_page_refuse(x, me, 409,
			                       "That question was answered "
			                       "already.");
		return hub_page_refuse(x, me, 404,
		                       "No such question put to you.");
	}
	http_redirect(x->rs, "/queue");
	return 303;
}

/* ---- calibration per mentor ---- */

#define CAL_ROWS 256

struct cal {
	char who[HUB_NAME_MAX + 2]; /* "@sam", or a member's name */
	int self;                   /* resolved by the member themself */
	char year[8];               /* "" over all time, else "2026" */
	struct cairn_calibration c;
};

struct cals {
	struct cal row[CAL_ROWS];
	int n;
	const char *member;
};

static struct cal *
cal_row(struct cals *cs, const char *who, int self, const char *year)
{
	for (int i = 0; i < cs->n; i++)
		if (cs->row[i].self == self &&
		    !strcasecmp(cs->row[i].who, who) &&
		    !strcmp(cs->row[i].year, year))
			return &cs->row[i];
	if (cs->n == CAL_ROWS)
		return NULL;
	snprintf(cs->row[cs->n].who, sizeof(cs->row[0].who), "%s", who);
	snprintf(cs->row[cs->n].year, sizeof(cs->row[0].year), "%s", year);
	cs->row[cs->n].self = self;
	cairn_calibration_init(&cs->row[cs->n].c);
	return &cs->row[cs->n++];
}

static int
cal_one(void *ctx, const struct cairn_prediction *pr)
{
	struct cals *cs = ctx;
	int mentor = cairn_prediction_mentor(pr);
	const char *who = mentor ? pr->who : cs->member;
	int early = *pr->due && strcmp(pr->resolved, pr->due) < 0;
	char year[8];
	struct cal *row;

	if (pr->outcome < 0)
		return 0;
	snprintf(year, sizeof(year), "%.4s", pr->resolved);
	if ((row = cal_row(cs, who, !mentor, "")))
		cairn_calibration_add(&row->c, pr->p, pr->outcome, early);
	/* Over time: each mentor's score year by year. */
	if (mentor && (row = cal_row(cs, who, 0, year)))
		cairn_calibration_add(&row->c, pr->p, pr->outcome, early);
	return 0;
}

static int
calibration_page(struct hub_call *x, const struct hub_session *me,
                 const char *lab, const struct hub_lab_ref *ref)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_prediction_query q = CAIRN_PREDICTION_QUERY_INIT;
	struct buf *out = &x->rs->body;
	struct buf title = BUF_INIT;
	struct cals *cs = xcalloc(1, sizeof(*cs));
	PGresult *r = members_query(x, ref->lab_id, &err);

	if (!r) {
		free(cs);
		return db_fail(x, me, &err);
	}
	q.resolved = 1;
	for (int i = 0; i < PQntuples(r); i++) {
		char whom_id[24];
		enum hub_see see = sees(x, lab, PQgetvalue(r, i, 1), whom_id);
		struct cairn_store *st;

		if (see == HUB_SEE_NONE || see == HUB_SEE_GOALS ||
		    hub_copy_open(x, whom_id, &st, &err))
			continue;
		cs->member = PQgetvalue(r, i, 1);
		cairn_prediction_each(st, &q, cal_one, cs, &err);
		cairn_store_free(st);
	}
	PQclear(r);
	page_ok(x);
	buf_addf(&title, "Calibration in %s", lab);
	hub_page_begin(out, me, title.buf);
	buf_release(&title);
	lab_nav(out, lab);
	buf_adds(out, "<p>Predictions about a mentor that the mentor "
	              "resolved on the hub, apart from those the members "
	              "resolved themselves. A Brier score of 0 is perfect, "
	              "0.25 is what always saying 50% scores.</p>");
	buf_adds(out, "<table><caption>Resolved predictions</caption><tr><th "
	              "scope=\"col\">Resolved by</th><th "
	              "scope=\"col\">Predictions</th><th scope=\"col\">Came "
	              "true</th><th scope=\"col\">Brier</th></tr>\n");
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < cs->n; i++) {
			struct cal *c = &cs->row[i];
			char brier[16];

			if (c->self != pass || c->year[0])
				continue;
			cairn_calibration_finish(&c->c);
			snprintf(brier, sizeof(brier), "%.3f", c->c.brier);
			html_addf(out,
			          "<tr><th scope=\"row\">%s%s</th><td>%d</td>"
			          "<td>%d</td><td>%s</td></tr>\n",
			          c->who, c->self ? " (self-resolved)" : "",
			          c->c.count, c->c.yes, brier);
		}
	buf_adds(out, "</table>\n");
	buf_adds(out, "<table><caption>Each mentor over time</caption><tr><th "
	              "scope=\"col\">Mentor</th><th scope=\"col\">Year "
	              "resolved</th><th scope=\"col\">Predictions</th><th "
	              "scope=\"col\">Brier</th></tr>\n");
	for (int i = 0; i < cs->n; i++) {
		struct cal *c = &cs->row[i];
		char brier[16];

		if (!c->year[0])
			continue;
		cairn_calibration_finish(&c->c);
		snprintf(brier, sizeof(brier), "%.3f", c->c.brier);
		html_addf(out,
		          "<tr><th scope=\"row\">%s</th><td>%s</td><td>%d</td>"
		          "<td>%s</td></tr>\n",
		          c->who, c->year, c->c.count, brier);
	}
	buf_adds(out, "</table>\n");
	if (!cs->n)
		buf_adds(out, "<p class=\"muted\">No resolved predictions "
		              "shared with the lab yet.</p>");
	hub_page_end(out);
	free(cs);
	return 200;
}

/* ---- the lab's check ---- */

/* 1 when nothing in the subtree of goal g builds on anything outside it,
 * and nothing outside builds on it. */
static int
isolated(const struct cairn_roadmap *rm, size_t g)
{
	for (size_t i = 0; i < rm->n; i++) {
		long a = (long)i;
		int in;

		while (a >= 0 && (size_t)a != g)
			a = rm->parent[a];
		in = a >= 0;
		for (uint32_t k = rm->pre_off[i]; k < rm->pre_off[i + 1]; k++) {
			long b = (long)rm->pre[k];

			while (b >= 0 && (size_t)b != g)
				b = rm->parent[b];
			if (in != (b >= 0))
				return 0;
		}
	}
	return 1;
}

/* 1 when goal g of a shared roadmap has a goal of rm taking it up: the
 * same title, or a tag in common. */
static int
taken_up(const struct cairn_roadmap *shared, size_t g,
         const struct cairn_roadmap *rm)
{
	for (size_t k = 0; k < rm->ngoals; k++) {
		size_t i = rm->goals[k];

		if (!strcasecmp(rm->items[i].title, shared->items[g].title))
			return 1;
		for (uint32_t a = rm->tag_off[i]; a < rm->tag_off[i + 1]; a++)
			for (uint32_t b = shared->tag_off[g];
			     b < shared->tag_off[g + 1]; b++)
				if (!strcmp(rm->tag[a], shared->tag[b]))
					return 1;
	}
	return 0;
}

static int
check_page(struct hub_call *x, const struct hub_session *me, const char *lab,
           const struct hub_lab_ref *ref)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf *out = &x->rs->body;
	struct buf title = BUF_INIT, found = BUF_INIT;
	PGresult *r = members_query(x, ref->lab_id, &err);
	struct cairn_roadmap *rms;
	int n, lead = -1, count = 0;

	if (!r)
		return db_fail(x, me, &err);
	n = PQntuples(r);
	rms = xcalloc(n ? (size_t)n : 1, sizeof(*rms));
	for (int i = 0; i < n; i++) {
		char whom_id[24];
		enum hub_see see = sees(x, lab, PQgetvalue(r, i, 1), whom_id);
		struct cairn_store *st;

		if (!strcmp(PQgetvalue(r, i, 2), "lead"))
			lead = i;
		if (see == HUB_SEE_NONE ||
		    (see == HUB_SEE_GOALS && i != lead) ||
		    copy_load(x, whom_id, 0, &st, &rms[i], &err))
			continue;
		cairn_store_free(st);
		for (size_t k = 0; k < rms[i].ngoals && see != HUB_SEE_GOALS;
		     k++) {
			size_t g = rms[i].goals[k];

			if (!cairn_item_open(&rms[i].items[g]) ||
			    !isolated(&rms[i], g))
				continue;
			html_addf(&found,
			          "<li><span class=\"muted\">isolated</span> "
			          "%s's goal ",
			          PQgetvalue(r, i, 1));
			item_link(&found, lab, PQgetvalue(r, i, 1),
			          &rms[i].items[g]);
			buf_adds(&found, " builds on nothing, and nothing "
			                 "builds on it.</li>\n");
			count++;
		}
	}
	for (size_t k = 0; lead >= 0 && k < rms[lead].ngoals; k++) {
		size_t g = rms[lead].goals[k];
		int owned = 0;

		if (!cairn_item_open(&rms[lead].items[g]))
			continue;
		for (int i = 0; i < n && !owned; i++)
			owned = i != lead && taken_up(&rms[lead], g, &rms[i]);
		if (owned)
			continue;
		html_addf(&found,
		          "<li><span class=\"muted\">no owner</span> the "
		          "shared goal ");
		item_link(&found, lab, PQgetvalue(r, lead, 1),
		          &rms[lead].items[g]);
		buf_adds(&found, " is taken up by no member (no goal of theirs "
		                 "has its title or one of its tags).</li>\n");
		count++;
	}
	for (int i = 0; i < n; i++)
		cairn_roadmap_release(&rms[i]);
	free(rms);
	PQclear(r);
	page_ok(x);
	buf_addf(&title, "Check of %s", lab);
	hub_page_begin(out, me, title.buf);
	buf_release(&title);
	lab_nav(out, lab);
	if (count) {
		buf_adds(out, "<ul>\n");
		buf_add(out, found.buf, found.len);
		buf_adds(out, "</ul>\n");
	} else {
		buf_adds(out,
		         "<p class=\"muted\">No findings in what is shared "
		         "with you.</p>");
	}
	buf_release(&found);
	hub_page_end(out);
	return 200;
}

int
hub_pages_route(struct hub_call *x, const struct hub_session *me)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct hub_lab_ref ref;
	struct path p;
	int get = !strcmp(x->rq->method, "GET");
	int rc;

	if (split(x->rq->path, &p))
		return hub_page_refuse(x, me, 404, "No such page.");
	if (!p.n && get)
		return home(x, me);
	if (p.n == 1 && is(&p, 0, "queue") && get)
		return queue_page(x, me);
	if (p.n == 3 && is(&p, 0, "questions") && is(&p, 2, "answer") && !get)
		return answer_post(x, me, p.seg[1]);
	if (p.n == 7 && is(&p, 0, "labs") && is(&p, 2, "members") &&
	    is(&p, 4, "items") && is(&p, 6, "comments") && !get)
		return comment_post(x, me, p.seg[1], p.seg[3], p.seg[5]);
	if (p.n < 2 || !is(&p, 0, "labs") || !get)
		return hub_page_refuse(x, me, get ? 404 : 405,
		                       get ? "No such page."
		                           : "Not a page to post to.");
	if ((rc = hub_lab_role(x->db, me->user_id, p.seg[1], &ref, &err)) < 0)
		return db_fail(x, me, &err);
	if (!rc)
		return not_found(x, me, "lab", p.seg[1]);
	if (p.n == 2)
		return lab_page(x, me, p.seg[1], &ref);
	if (p.n == 3 && is(&p, 2, "calibration"))
		return calibration_page(x, me, p.seg[1], &ref);
	if (p.n == 3 && is(&p, 2, "check"))
		return check_page(x, me, p.seg[1], &ref);
	if (p.n >= 4 && is(&p, 2, "members") &&
	    (p.n == 4 || (p.n == 6 && is(&p, 4, "items")) ||
	     (p.n == 7 && is(&p, 4, "items") && is(&p, 6, "graph.svg")))) {
		char whom_id[24];
		struct hub_lab_ref mine;
		enum hub_see see =
		        sees_as(x, p.seg[1], p.seg[3], whom_id, &mine);

		if (see == HUB_SEE_NONE)
			return not_found(x, me, "member", p.seg[3]);
		if (p.n == 4)
			return roadmap_page(x, me, p.seg[1], p.seg[3], whom_id,
			                    see);
		return item_page(x, me, p.seg[1], p.seg[3], whom_id, see,
		                 mine.role, p.seg[5], p.n == 7);
	}
	return hub_page_refuse(x, me, 404, "No such page.");
}
