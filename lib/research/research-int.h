/*
 * research-int.h: small helpers shared by the research-practice modules
 * (metric.c, paper.c, lesson.c, predict.c, timelog.c, review.c,
 * lookback.c).  Not installed.
 *
 * They are static inline so that each module stays self-contained; none
 * prints or exits.
 */
#ifndef CAIRN_RESEARCH_INT_H
#define CAIRN_RESEARCH_INT_H

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/core/item.h"
#include "cairn/core/time.h"
#include "store/store-int.h"

/* Upper bound for free text (notes, statements, lessons). */
#define RS_TEXT_MAX (1 << 20)
/* Upper bound for short names (metric names, units, people). */
#define RS_NAME_MAX 200

/* A whole finite decimal number and nothing else; -1 when malformed
 * (cairn_number_parse, the one number parser, without percentages). */
static inline int
rs_parse_double(const char *s, double *out)
{
	return cairn_number_parse(s, 0, out);
}

/* Text that may be required, is bounded, and holds no control bytes
 * other than newlines and tabs when multiline. */
static inline int
rs_check_text(const char *what, const char *s, int required, size_t max,
              int multiline, struct cairn_err *err)
{
	if (!s || !*s) {
		if (required)
			return cairn_err_set(err, CAIRN_EINVAL,
			                     "%s must not be empty", what);
		return 0;
	}
	if (strlen(s) > max)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "%s is longer than %zu bytes", what, max);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < ' ' && !(multiline && (*p == '\n' || *p == '\t'))) ||
		    *p == 0x7f)
			return cairn_err_set(err, CAIRN_EINVAL,
			                     "%s contains a control character",
			                     what);
	return 0;
}

/* Today's date by the cairn clock. */
static inline void
rs_today(char out[CAIRN_DATE_LEN])
{
	cairn_date_format(cairn_clock(), out);
}

/* CAIRN_EINVAL when the date (YYYY-MM-DD) lies after today. */
static inline int
rs_not_future(const char *date, struct cairn_err *err)
{
	char today[CAIRN_DATE_LEN];

	rs_today(today);
	if (strcmp(date, today) > 0)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "date '%s' is in the future (today is "
		                     "%s)",
		                     date, today);
	return 0;
}

/*
 * The day of a record: date (any form cairn_date_parse takes; NULL:
 * today) into day, refused with CAIRN_EINVAL when malformed or after
 * today.
 */
static inline int
rs_past_day(const char *date, char day[CAIRN_DATE_LEN], struct cairn_err *err)
{
	int rc;

	if (!date)
		rs_today(day);
	else if ((rc = cairn_date_parse(date, day, err)))
		return rc;
	return rs_not_future(day, err);
}

/* Column as a double, or def when NULL. */
static inline double
rs_col_double(sqlite3_stmt *s, int i, double def)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL
	               ? def
	               : sqlite3_column_double(s, i);
}

#endif
