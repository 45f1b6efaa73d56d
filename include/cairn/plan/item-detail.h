/*
 * item-detail.h: an item's detail as JSON, the one shape every front end
 * shows for a single item (`show --json`, /api/items/ID).
 */
#ifndef CAIRN_ITEM_DETAIL_H
#define CAIRN_ITEM_DETAIL_H

#include <jansson.h>

#include "cairn/core/item.h"
#include "cairn/store/store.h"

/* The detail of it, read from st (attachments missing on a read error). */
json_t *cairn_item_detail_json(struct cairn_store *st,
                               const struct cairn_item *it);
/* The same for item id: 0, or CAIRN_ENOTFOUND / CAIRN_EDB. */
int cairn_item_detail(struct cairn_store *st, int64_t id, json_t **out,
                      struct cairn_err *err);

#endif
