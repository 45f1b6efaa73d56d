/*
 * predict.h: predictions (usually of how a mentor will react to an idea)
 * and the calibration of the person making them.
 *
 * A prediction states a probability that a statement turns out true, may
 * name who it is about, an item and a resolve-by date, and is resolved
 * once, yes or no, with a date and the reasoning heard.  Calibration looks
 * only at resolved predictions: the Brier score (mean squared difference
 * between the stated probability and the outcome, 0 is perfect, 0.25 is
 * what always saying 50 % earns), the log score (mean natural log of the
 * probability given to what happened, 0 is perfect; probabilities are
 * taken as at least 0.001 so that one confident miss is not -infinity) and
 * a table of stated probability against observed frequency.
 */
#ifndef CAIRN_PREDICT_H
#define CAIRN_PREDICT_H

#include <stdint.h>

#include <jansson.h>

#include "cairn/core/err.h"
#include "cairn/store/store.h"
#include "cairn/core/time.h"

/* One prediction; strings owned (cairn_prediction_release). */
struct cairn_prediction {
	int64_t id;
	int64_t item; /* 0: none */
	char *who;    /* NULL: none */
	char *statement;
	double p;
	char created[CAIRN_TS_LEN];
	char due[CAIRN_DATE_LEN]; /* resolve-by, "" when none */
	int outcome;              /* -1 open, 0 no, 1 yes */
	char resolved[CAIRN_DATE_LEN];
	char *why;
};

void cairn_prediction_init(struct cairn_prediction *pr);
void cairn_prediction_release(struct cairn_prediction *pr);

/* Parse a prediction id: "3", "P3" or "p3". */
int cairn_prediction_id_parse(const char *s, int64_t *id,
                              struct cairn_err *err);

/*
 * Parse a probability: 0-1 ("0.7") or a percentage ("70%").  CAIRN_EINVAL
 * outside 0-1.
 */
int cairn_probability_parse(const char *s, double *p, struct cairn_err *err);

/*
 * Record pr (statement, p, and optionally item, who, due).  Fills id and
 * created.  Errors: CAIRN_EINVAL (p outside 0-1, empty statement, bad
 * date), CAIRN_ENOTFOUND (item).
 */
int cairn_prediction_add(struct cairn_store *st, struct cairn_prediction *pr,
                         struct cairn_err *err);

/* Read prediction id into out (initialised).  CAIRN_ENOTFOUND. */
int cairn_prediction_get(struct cairn_store *st, int64_t id,
                         struct cairn_prediction *out, struct cairn_err *err);

/* The fields cairn_prediction_parse_field takes, NULL-terminated. */
extern const char *const cairn_prediction_fields[];

/*
 * Parse one field's text form into pr without touching a store: p (as
 * cairn_probability_parse), due (a date; "" or "none" clears it), who
 * ("" or "none" clears it) and statement.  CAIRN_ENOTFOUND for an
 * unknown field, CAIRN_EINVAL for a bad value.
 */
int cairn_prediction_parse_field(struct cairn_prediction *pr, const char *field,
                                 const char *value, struct cairn_err *err);

/*
 * Write pr's p, due, who and statement over prediction pr->id, in one
 * change, while it is open: what was said before the answer came is what
 * calibration scores.  The item, creation date and outcome stay.
 * Errors: CAIRN_ENOTFOUND, CAIRN_ESTATE (already resolved), CAIRN_EINVAL
 * (as for cairn_prediction_add).
 */
int cairn_prediction_update(struct cairn_store *st,
                            const struct cairn_prediction *pr,
                            struct cairn_err *err);

/*
 * Resolve prediction id: outcome 1 (it happened) or 0, on date
 * (YYYY-MM-DD; NULL: today), with why (may be NULL).  Errors:
 * CAIRN_ENOTFOUND, CAIRN_ESTATE (already resolved), CAIRN_EINVAL (date
 * before the prediction was made, or in the future).
 */
int cairn_prediction_resolve(struct cairn_store *st, int64_t id, int outcome,
                             const char *date, const char *why,
                             struct cairn_err *err);

/*
 * A prediction whose who is "@NAME" is put to the hub user NAME (the
 * mentor loop): its statement goes to them at the next sync, and only
 * their answer resolves it (cairn_prediction_answer, from the sync
 * client); cairn_prediction_resolve refuses it with CAIRN_ESTATE.  1
 * when pr is one.
 */
int cairn_prediction_mentor(const struct cairn_prediction *pr);
/* Resolve prediction id with a mentor's answer (today, the mentor's
 * reasoning kept as why).  Errors as cairn_prediction_resolve's. */
int cairn_prediction_answer(struct cairn_store *st, int64_t id, int outcome,
                            const char *why, struct cairn_err *err);

/*
 * A listing.  open: unresolved only; resolved: resolved only; overdue:
 * unresolved and past its resolve-by date; who: that person only (exact,
 * case-insensitive); tag: only predictions whose item carries the tag;
 * resolver: 1 only those resolved (or to be) by oneself, 2 only those
 * put to a mentor on the hub (who "@NAME"), 0 both.
 */
struct cairn_prediction_query {
	int open;
	int resolved;
	int overdue;
	const char *who;
	const char *tag;
	int resolver;
};

#define CAIRN_PREDICTION_QUERY_INIT                                            \
	{                                                                      \
		0, 0, 0, NULL, NULL, 0                                         \
	}

typedef int (*cairn_prediction_fn)(void *ctx,
                                   const struct cairn_prediction *pr);

/* Stream matching predictions in id order. */
int cairn_prediction_each(struct cairn_store *st,
                          const struct cairn_prediction_query *q,
                          cairn_prediction_fn fn, void *ctx,
                          struct cairn_err *err);

/* Ten bins of stated probability: [0, 0.1), ..., [0.9, 1]. */
#define CAIRN_CALIBRATION_BINS 10

struct cairn_calibration_bin {
	double lo, hi;
	int count;
	int yes;
	double sum_p;
};

struct cairn_calibration {
	int count;        /* resolved predictions */
	int yes;          /* of which came true */
	int early;        /* resolved before their resolve-by date */
	double brier;     /* mean (p - outcome)^2; 0 without predictions */
	double log_score; /* mean ln(probability of what happened) */
	struct cairn_calibration_bin bins[CAIRN_CALIBRATION_BINS];
	/* running sums, finished by cairn_calibration_finish */
	double sum_sq, sum_log;
};

void cairn_calibration_init(struct cairn_calibration *c);
/* Count one resolved prediction (early: resolved before its due date). */
void cairn_calibration_add(struct cairn_calibration *c, double p, int outcome,
                           int early);
/* Turn the sums into means. */
void cairn_calibration_finish(struct cairn_calibration *c);

/*
 * Calibration over the resolved predictions matching q (its open and
 * overdue flags are ignored).  CAIRN_ENOTFOUND when q->who is set and no
 * prediction, open or resolved, is about that person; the message names
 * the people the predictions are about.
 */
int cairn_calibration_compute(struct cairn_store *st,
                              const struct cairn_prediction_query *q,
                              struct cairn_calibration *out,
                              struct cairn_err *err);

/* JSON: a prediction (id, item, who, statement, p, created, due, outcome
 * as true/false/null, resolved, why); calibration (count, yes, early,
 * brier, log_score, bins: non-empty ones with lo, hi, count, yes,
 * mean_p, observed).  New references. */
json_t *cairn_prediction_json(const struct cairn_prediction *pr);
json_t *cairn_calibration_json(const struct cairn_calibration *c);

#endif
