/*
 * cairn.h: the public interface of libcairn, the core of cairn, a planner
 * for research careers.  Include this one header.
 */
#ifndef CAIRN_H
#define CAIRN_H

#include "cairn/fmt/bibtex.h"
#include "cairn/core/buf.h"
#include "cairn/core/edge.h"
#include "cairn/core/err.h"
#include "cairn/fmt/fmt.h"
#include "cairn/core/item.h"
#include "cairn/store/journal.h"
#include "cairn/store/backup.h"
#include "cairn/core/json.h"
#include "cairn/core/order.h"
#include "cairn/research/lesson.h"
#include "cairn/research/lookback.h"
#include "cairn/research/metric.h"
#include "cairn/research/paper.h"
#include "cairn/plan/check.h"
#include "cairn/plan/forecast.h"
#include "cairn/plan/goal-forecast.h"
#include "cairn/plan/goal-path.h"
#include "cairn/plan/item-detail.h"
#include "cairn/plan/next.h"
#include "cairn/plan/plan.h"
#include "cairn/plan/portfolio.h"
#include "cairn/plan/roadmap.h"
#include "cairn/research/predict.h"
#include "cairn/research/review.h"
#include "cairn/store/store.h"
#include "cairn/core/time.h"
#include "cairn/research/timelog.h"
#include "cairn/core/width.h"

/* The library's version, "MAJOR.MINOR.PATCH". */
const char *cairn_version(void);

#endif
