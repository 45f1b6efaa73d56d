/* version.c: the library's version string, from meson.build. */
#include "config.h"
#include "cairn/cairn.h"
#include "banned.h"

const char *
cairn_version(void)
{
	return CAIRN_VERSION;
}
