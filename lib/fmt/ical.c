/*
 * ical.c: iCalendar out, through libical.  Milestones with a due date are
 * VTODOs (status from the item's, percent complete from the milestones
 * below it, or 0/100 for a leaf); goals with a due date (their target
 * date) are all-day VEVENTs.  UIDs are item uuids, so a calendar that
 * subscribes to the file updates its entries rather than adding new
 * ones.  libical does the escaping, line folding and CRLFs.
 *
 * Invariants: DTSTAMP is the cairn clock (fixed by $CAIRN_NOW in tests),
 * so the output is a function of the snapshot and the clock.
 *
 * Workload: one pass over the snapshot's items; the calendar is built
 * in memory.
 */
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "fmt/fmt-int.h"
#include "banned.h"

static struct icaltimetype
date_of(const char *date)
{
	struct icaltimetype t = icaltime_null_date();
	int y = 0, m = 0, d = 0;

	if (sscanf(date, "%4d-%2d-%2d", &y, &m, &d) == 3) {
		t.year = y;
		t.month = m;
		t.day = d;
	}
	return t;
}

static struct icaltimetype
utc_of(const char *ts)
{
	return icaltime_from_timet_with_zone(cairn_ts_to_time(ts), 0,
	                                     icaltimezone_get_utc_timezone());
}

static icalproperty_status
todo_status(enum cairn_status s)
{
	switch (s) {
	case CAIRN_STATUS_ACTIVE:
		return ICAL_STATUS_INPROCESS;
	case CAIRN_STATUS_DONE:
		return ICAL_STATUS_COMPLETED;
	case CAIRN_STATUS_DROPPED:
		return ICAL_STATUS_CANCELLED;
	default:
		return ICAL_STATUS_NEEDSACTION;
	}
}

static int
first_link(void *ctx, const struct cairn_entry *e)
{
	char **url = ctx;

	if (!*url && fmt_url_ok(e->text) && strncmp(e->text, "mailto:", 7))
		*url = xstrdup(e->text);
	return 0;
}

/* Properties both kinds of component carry. */
static void
common(const struct cairn_roadmap *rm, size_t i, icalcomponent *c,
       struct icaltimetype stamp)
{
	const struct cairn_item *it = &rm->items[i];
	char *url = NULL;

	icalcomponent_add_property(c, icalproperty_new_uid(it->uuid));
	icalcomponent_add_property(c, icalproperty_new_dtstamp(stamp));
	icalcomponent_add_property(c, icalproperty_new_summary(it->title));
	icalcomponent_add_property(
	        c, icalproperty_new_created(utc_of(it->created)));
	if (it->body && *it->body)
		icalcomponent_add_property(
		        c, icalproperty_new_description(it->body));
	if (rm->parent[i] >= 0)
		icalcomponent_add_property(
		        c, icalproperty_new_relatedto(
		                   rm->items[rm->parent[i]].uuid));
	for (uint32_t k = rm->tag_off[i]; k < rm->tag_off[i + 1]; k++)
		icalcomponent_add_property(
		        c, icalproperty_new_categories(rm->tag[k]));
	cairn_roadmap_links(rm, i, first_link, &url);
	if (url)
		icalcomponent_add_property(c, icalproperty_new_url(url));
	free(url);
}

static int
percent(const struct cairn_roadmap *rm, size_t i)
{
	const struct cairn_item *it = &rm->items[i];
	size_t done, total;

	if (it->status == CAIRN_STATUS_DONE)
		return 100;
	cairn_roadmap_progress(rm, i, &done, &total);
	return total ? (int)(done * 100 / total) : 0;
}

int
fmt_ical_export(const struct cairn_roadmap *rm, struct buf *out,
                struct cairn_err *err)
{
	icalcomponent *cal;
	struct icaltimetype stamp;
	char *text, prodid[64];
	int rc = 0;

	stamp = icaltime_from_timet_with_zone(cairn_clock(), 0,
	                                      icaltimezone_get_utc_timezone());
	/* No version: a store's calendar does not change with cairn's. */
	snprintf(prodid, sizeof(prodid), "-//cairn//roadmap//EN");
	cal = icalcomponent_vanew(
	        ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
	        icalproperty_new_prodid(prodid),
	        icalproperty_new_calscale("GREGORIAN"), (void *)0);
	for (size_t i = 0; i < rm->n && !rc; i++) {
		const struct cairn_item *it = &rm->items[i];
		icalcomponent *c;

		if (!it->due[0])
			continue;
		if (it->kind == CAIRN_KIND_MILESTONE) {
			c = icalcomponent_new(ICAL_VTODO_COMPONENT);
			common(rm, i, c, stamp);
			icalcomponent_add_property(
			        c, icalproperty_new_due(date_of(it->due)));
			icalcomponent_add_property(
			        c, icalproperty_new_status(
			                   todo_status(it->status)));
			icalcomponent_add_property(
			        c, icalproperty_new_percentcomplete(
			                   percent(rm, i)));
			if (it->status == CAIRN_STATUS_DONE && it->finished[0])
				icalcomponent_add_property(
				        c, icalproperty_new_completed(
				                   utc_of(it->finished)));
		} else if (it->kind == CAIRN_KIND_GOAL) {
			struct icaltimetype end = date_of(it->due);

			c = icalcomponent_new(ICAL_VEVENT_COMPONENT);
			common(rm, i, c, stamp);
			icalcomponent_add_property(
			        c, icalproperty_new_dtstart(date_of(it->due)));
			icaltime_adjust(&end, 1, 0, 0, 0);
			icalcomponent_add_property(c,
			                           icalproperty_new_dtend(end));
			icalcomponent_add_property(
			        c, icalproperty_new_transp(
			                   ICAL_TRANSP_TRANSPARENT));
			icalcomponent_add_property(
			        c, icalproperty_new_status(
			                   it->status == CAIRN_STATUS_DROPPED
			                           ? ICAL_STATUS_CANCELLED
			                           : ICAL_STATUS_CONFIRMED));
		} else {
			continue;
		}
		icalcomponent_add_component(cal, c);
	}
	if (!rc) {
		text = icalcomponent_as_ical_string_r(cal);
		if (text)
			buf_adds(out, text);
		free(text);
		if (!text)
			rc = cairn_err_set(err, CAIRN_EINVAL,
			                   "libical could not write the "
			                   "calendar");
	}
	icalcomponent_free(cal);
	return rc;
}
