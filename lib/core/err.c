/*
 * err.c: filling struct cairn_err.  Messages are truncated, never
 * overflowed, at CAIRN_ERR_MAX bytes.
 */
#include <stdarg.h>
#include <stdio.h>

#include "cairn/core/err.h"
#include "banned.h"

int
cairn_err_set(struct cairn_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void
cairn_err_clear(struct cairn_err *err)
{
	if (!err)
		return;
	err->code = 0;
	err->msg[0] = '\0';
}

const char *
cairn_strerror(int code)
{
	switch (code) {
	case CAIRN_OK:
		return "success";
	case CAIRN_EINVAL:
		return "invalid value";
	case CAIRN_ENOTFOUND:
		return "not found";
	case CAIRN_ECYCLE:
		return "cycle";
	case CAIRN_EEXIST:
		return "already exists";
	case CAIRN_ESTATE:
		return "not allowed now";
	case CAIRN_EDB:
		return "store error";
	case CAIRN_ENOTDB:
		return "not a cairn store";
	case CAIRN_EVERSION:
		return "store too new";
	case CAIRN_EREADONLY:
		return "store is read-only";
	case CAIRN_EFULL:
		return "disk full";
	case CAIRN_ENOSTORE:
		return "no store";
	case CAIRN_EBUSY:
		return "store busy";
	case CAIRN_ECORRUPT:
		return "store damaged";
	}
	return "unknown error";
}
