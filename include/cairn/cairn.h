/*
 * cairn.h: the public interface of libcairn, the core of cairn, a planner
 * for research careers.  Include this one header.
 */
#ifndef CAIRN_H
#define CAIRN_H

#include "cairn/bibtex.h"
#include "cairn/buf.h"
#include "cairn/err.h"
#include "cairn/fmt.h"
#include "cairn/item.h"
#include "cairn/journal.h"
#include "cairn/json.h"
#include "cairn/lesson.h"
#include "cairn/lookback.h"
#include "cairn/metric.h"
#include "cairn/paper.h"
#include "cairn/plan.h"
#include "cairn/predict.h"
#include "cairn/review.h"
#include "cairn/store.h"
#include "cairn/time.h"
#include "cairn/timelog.h"
#include "cairn/width.h"

/* The library's version, "MAJOR.MINOR.PATCH". */
const char *cairn_version(void);

#endif
