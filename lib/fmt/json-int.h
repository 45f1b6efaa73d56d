/*
 * json-int.h: what the JSON dump's modules share (json.c writes and
 * loads the dump, json-check.c parses and checks it without the store).
 * Not installed.
 */
#ifndef CAIRN_JSON_INT_H
#define CAIRN_JSON_INT_H

#include <jansson.h>

#include "fmt/fmt-int.h"

#define DUMP_FORMAT  "cairn-dump"
#define DUMP_VERSION 1

/* The dump's tables in order, NULL past the last: the journal's change
 * and event, then cairn_jtables (json.c). */
const char *json_table_at(size_t i);

/* Whether name is a table of the dump: the journal's or a journalled
 * one (json.c). */
int json_known_table(const char *name);

/* Parse data (len bytes) as JSON; NULL with err set (line and column,
 * naming source) when it is not. */
json_t *json_doc_load(const char *data, size_t len, const char *source,
                      struct cairn_err *err);

/*
 * Check a parsed dump without the store: its header, its tables (known,
 * arrays of objects with integer ids), every item row and every tag.
 * Fills *tables and *seq (NULL when absent), borrowed from doc.  0, or
 * an error naming source and the row.
 */
int json_doc_check(json_t *doc, const char *source, json_t **tables,
                   json_t **seq, struct cairn_err *err);

#endif
