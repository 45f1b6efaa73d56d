/*
 * ext.c: the cairn program's side of the module cairn-ext (meson.build).
 *
 * The formats that need the big libraries (BibTeX, Markdown and its
 * YAML front matter, iCalendar, Graphviz, the static site), the web
 * UI's server and the hub live in cairn-ext.so, so that the many
 * commands that use none of them start without loading them (and their
 * own dependencies: ICU, the C++ runtime, GnuTLS, libpq).  Each entry point the
 * rest of the program calls is defined here with the real one's prototype and
 * calls it through the module, opened on the first call: first beside the
 * program (the build directory), then in CAIRN_EXT_DIR (the installed
 * one).  The module's own calls into libcairn resolve to the program's
 * (it is linked with export_dynamic).
 *
 * The tests, benchmarks and fuzzers link the whole library instead and
 * never see this file.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ext.h"
#include "cairn/fmt/bibtex.h"
#include "cairn/fmt/fmt.h"
#include "fmt/fmt-int.h"
#include "../hub/hub.h"
#include "../net/http.h"
#include "../net/sync-client.h"
#include "../web/web.h"
#include "banned.h"

#define EXT_NAME "cairn-ext.so"

static void *ext;

static void *
ext_open(void)
{
	char self[PATH_MAX], path[PATH_MAX + sizeof(EXT_NAME) + 1];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	const char *err;
	char *slash;
	void *h = NULL;

	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/'))) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/%s", self, EXT_NAME);
			if (!access(path, R_OK))
				h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		}
	}
	if (!h &&
	    !(h = dlopen(CAIRN_EXT_DIR "/" EXT_NAME, RTLD_NOW | RTLD_LOCAL))) {
		err = dlerror();
		fprintf(stderr,
		        "cairn: cannot load the module this command "
		        "needs: %s\n",
		        err ? err : CAIRN_EXT_DIR "/" EXT_NAME);
		exit(1);
	}
	return h;
}

void *
cairn_ext_sym(const char *name)
{
	void *p;

	if (!ext)
		ext = ext_open();
	if (!(p = dlsym(ext, name))) {
		fprintf(stderr,
		        "cairn: %s has no %s (is it another cairn's?)\n",
		        EXT_NAME, name);
		exit(1);
	}
	return p;
}

/* Define NAME(PARAMS) to call the module's NAME with ARGS (and return
 * what it returns, with EXT_CALL). */
#define EXT_FN(name, params)                                                   \
	static __typeof__(name) *real;                                         \
                                                                               \
	if (!real)                                                             \
	*(void **)&real = cairn_ext_sym(#name)
#define EXT_CALL(ret, name, params, args)                                      \
	ret name params                                                        \
	{                                                                      \
		EXT_FN(name, params);                                          \
		return real args;                                              \
	}
#define EXT_VOID(name, params, args)                                           \
	void name params                                                       \
	{                                                                      \
		EXT_FN(name, params);                                          \
		real args;                                                     \
	}

EXT_CALL(int, fmt_md_import, (struct imp * im, const char *data, size_t len),
         (im, data, len))
EXT_CALL(int, fmt_md_export,
         (struct cairn_store * st, int jekyll, int minvis, struct buf *out,
          struct cairn_err *err),
         (st, jekyll, minvis, out, err))
EXT_CALL(int, fmt_ical_export,
         (const struct cairn_roadmap *rm, struct buf *out,
          struct cairn_err *err),
         (rm, out, err))
EXT_CALL(int, fmt_dot_render,
         (const struct cairn_roadmap *rm, int svg, int public_names,
          const char *href_fmt, const unsigned char *mark, struct buf *out,
          struct cairn_err *err),
         (rm, svg, public_names, href_fmt, mark, out, err))
EXT_VOID(cairn_bib_release, (struct cairn_bib * bib), (bib))
EXT_CALL(int, cairn_bibtex_parse,
         (const char *text, size_t len, const char *name, struct cairn_bib *out,
          struct cairn_err *err),
         (text, len, name, out, err))
EXT_CALL(int, cairn_month_parse, (const char *s), (s))
EXT_CALL(int, cairn_publish,
         (struct cairn_store * st, cairn_site_write_fn write, void *ctx,
          struct cairn_err *err),
         (st, write, ctx, err))
EXT_CALL(int, cairn_publish_since,
         (struct cairn_store * st, const char *since, cairn_site_write_fn write,
          void *ctx, struct cairn_err *err),
         (st, since, write, ctx, err))
EXT_CALL(int, cairn_lookback_post,
         (const struct cairn_lookback *lb, struct buf *out,
          struct cairn_err *err),
         (lb, out, err))
EXT_CALL(int, cairn_post_date,
         (const char *data, size_t len, const char *source,
          char out[CAIRN_TS_LEN], struct cairn_err *err),
         (data, len, source, out, err))
EXT_VOID(web_server_init, (struct web_server * ws, const char *path),
         (ws, path))
EXT_VOID(web_cache_stats,
         (struct web_cache * c, unsigned long *hits, unsigned long *misses,
          size_t *bytes),
         (c, hits, misses, bytes))
EXT_VOID(web_server_release, (struct web_server * ws), (ws))
EXT_VOID(web_handle, (void *ctx, struct http_req *rq, struct http_resp *rs),
         (ctx, rq, rs))
EXT_CALL(int, http_start,
         (struct http_server * *out, const struct http_server_opts *opts,
          http_handler_fn fn, void *ctx, struct cairn_err *err),
         (out, opts, fn, ctx, err))
EXT_VOID(http_stop, (struct http_server * s), (s))
EXT_CALL(int, sync_login,
         (struct cairn_store * st, const char *path,
          const struct sync_login_opts *o, struct cairn_err *err),
         (st, path, o, err))
EXT_CALL(int, sync_run,
         (struct cairn_store * st, struct sync_report *rep, sync_note_fn note,
          void *ctx, struct cairn_err *err),
         (st, rep, note, ctx, err))
EXT_CALL(const char *, http_token, (const struct http_server *s), (s))
EXT_CALL(const char *, http_origin, (const struct http_server *s), (s))
EXT_CALL(int, http_is_loopback, (const char *addr), (addr))
EXT_CALL(int, hub_name_ok, (const char *s), (s))
EXT_CALL(int, hub_schema_init,
         (const char *pg, int *from, int *to, struct cairn_err *err),
         (pg, from, to, err))
EXT_CALL(int, hub_user_add,
         (const char *pg, const char *name, char code[HUB_CODE_HEX + 1],
          int *existed, struct cairn_err *err),
         (pg, name, code, existed, err))
EXT_CALL(int, hub_user_rm,
         (const char *pg, const char *name, long *revoked,
          struct cairn_err *err),
         (pg, name, revoked, err))
EXT_CALL(int, hub_user_password,
         (const char *pg, const char *name, const char *password,
          struct cairn_err *err),
         (pg, name, password, err))
EXT_CALL(int, hub_start,
         (struct hub * *out, const struct hub_opts *opts,
          struct cairn_err *err),
         (out, opts, err))
EXT_CALL(const char *, hub_url, (const struct hub *h), (h))
EXT_VOID(hub_stop, (struct hub * h), (h))
EXT_CALL(int, hub_role_ok, (const char *role, int invitable), (role, invitable))
EXT_CALL(int, hub_lab_add,
         (const char *pg, const char *name, const char *lead,
          struct cairn_err *err),
         (pg, name, lead, err))
EXT_CALL(int, hub_lab_invite,
         (const char *pg, const char *lab, const char *role,
          char code[HUB_CODE_HEX + 1], struct cairn_err *err),
         (pg, lab, role, code, err))
EXT_CALL(int, hub_lab_mentor,
         (const char *pg, const char *lab, const char *mentor,
          const char *member, struct cairn_err *err),
         (pg, lab, mentor, member, err))
EXT_CALL(int, hub_lab_rm_member,
         (const char *pg, const char *lab, const char *user,
          struct cairn_err *err),
         (pg, lab, user, err))
EXT_CALL(int, sync_join,
         (struct cairn_store * st, const char *code, json_t **out,
          struct cairn_err *err),
         (st, code, out, err))
EXT_CALL(int, sync_questions,
         (struct cairn_store * st, json_t **out, struct cairn_err *err),
         (st, out, err))
EXT_CALL(int, sync_items,
         (struct cairn_store * st, const char *lab, const char *user,
          json_t **out, struct cairn_err *err),
         (st, lab, user, out, err))
EXT_CALL(int, sync_comment,
         (struct cairn_store * st, const char *lab, const char *user,
          const char *item, const char *text, int64_t *id,
          struct cairn_err *err),
         (st, lab, user, item, text, id, err))
EXT_CALL(int, sync_answer,
         (struct cairn_store * st, int64_t qid, int outcome, const char *why,
          struct cairn_err *err),
         (st, qid, outcome, why, err))
