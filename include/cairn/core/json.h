/*
 * json.h: the JSON shapes of cairn's entities, with the stable field names
 * of DESIGN.md section 2.  Front ends print them for --json; exporters
 * build on them.  Returned objects are new references owned by the caller.
 */
#ifndef CAIRN_JSON_H
#define CAIRN_JSON_H

#include <jansson.h>

#include "cairn/core/item.h"

/* An item: every field, unset optional fields as null. */
json_t *cairn_item_json(const struct cairn_item *it);

/* Parse the JSON text of a journal image (NULL in, NULL out). */
json_t *cairn_json_parse(const char *text);

#endif
