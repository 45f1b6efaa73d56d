/*
 * err.h: error codes and the error record filled by every fallible call.
 *
 * Library functions return 0 or a negative CAIRN_E* code and, on failure,
 * leave a one-line message in a struct cairn_err: lower case, no final full
 * stop, saying what is wrong and quoting the input.  Only front ends turn
 * codes into exit statuses.  An err pointer may be NULL when the caller does
 * not want the message.
 */
#ifndef CAIRN_ERR_H
#define CAIRN_ERR_H

enum cairn_code {
	CAIRN_OK = 0,
	CAIRN_EINVAL = -1,    /* a value is malformed or out of range */
	CAIRN_ENOTFOUND = -2, /* no such item, edge, field or setting */
	CAIRN_ECYCLE = -3,    /* the change would close a cycle */
	CAIRN_EEXIST = -4,    /* already there */
	CAIRN_ESTATE = -5,    /* not allowed in the current state */
	CAIRN_EDB = -6,       /* the store failed (I/O, corruption) */
	CAIRN_ENOTDB = -7,    /* the file is not a cairn store */
	CAIRN_EVERSION = -8,  /* the store is of a newer schema */
	CAIRN_EREADONLY = -9, /* the store cannot be written */
	CAIRN_EFULL = -10,    /* the disk is full */
	CAIRN_ENOSTORE = -11, /* no store at that path */
	CAIRN_EBUSY = -12,    /* the store stayed locked too long */
	CAIRN_ECORRUPT = -13, /* the store is damaged: nothing is written */
};

#define CAIRN_ERR_MAX 512

struct cairn_err {
	int code;
	char msg[CAIRN_ERR_MAX];
};

#define CAIRN_ERR_INIT                                                         \
	{                                                                      \
		0,                                                             \
		{                                                              \
			0                                                      \
		}                                                              \
	}

/*
 * Fill err (when not NULL) with code and a printf-style message and return
 * code, so that a failing path reads as one line:
 *	return cairn_err_set(err, CAIRN_ENOTFOUND, "no item #%lld", id);
 */
int cairn_err_set(struct cairn_err *err, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Reset err to "no error". */
void cairn_err_clear(struct cairn_err *err);

/* A short name for a code ("not found"), never NULL. */
const char *cairn_strerror(int code);

#endif
