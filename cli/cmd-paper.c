/*
 * cmd-paper.c: `cairn paper`, the literature:
 *
 *	paper add TITLE [--key K] [--authors A] [--year Y] [--url U]
 *		[--doi D] [--venue V]
 *	paper import FILE.bib
 *	paper set KEY FIELD=VALUE...
 *	paper link|unlink KEY ID
 *	paper rm KEY [--force]
 *	paper show KEY
 *
 * Each writing form is one change; set applies every FIELD=VALUE or none.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/banned.h"

enum {
	OPT_KEY = 256,
	OPT_AUTHORS,
	OPT_YEAR,
	OPT_URL,
	OPT_DOI,
	OPT_VENUE,
	OPT_FORCE
};

static const struct option opts[] = {
        {"key", required_argument, NULL, OPT_KEY},
        {"authors", required_argument, NULL, OPT_AUTHORS},
        {"year", required_argument, NULL, OPT_YEAR},
        {"url", required_argument, NULL, OPT_URL},
        {"doi", required_argument, NULL, OPT_DOI},
        {"venue", required_argument, NULL, OPT_VENUE},
        {"force", no_argument, NULL, OPT_FORCE},
        {0},
};

struct args {
	const char *val[6]; /* by OPT_ - OPT_KEY */
	int any;            /* an option of add's */
	int force;
};

static int
paper_add(struct cli *c, const struct args *a, int argi)
{
	struct cairn_paper p;
	struct buf title = BUF_INIT;
	int rc;

	if ((rc = cli_subargs(c, argi, "TITLE...")))
		return rc;
	cairn_paper_init(&p);
	cli_join(c, argi, &title);
	p.title = buf_detach(&title, NULL);
	if (a->val[OPT_KEY - OPT_KEY])
		p.key = xstrdup(a->val[OPT_KEY - OPT_KEY]);
	/* Fields go through the library's parser: one set of rules. */
	if (a->val[OPT_AUTHORS - OPT_KEY])
		p.authors = xstrdup(a->val[OPT_AUTHORS - OPT_KEY]);
	if (a->val[OPT_URL - OPT_KEY])
		p.url = xstrdup(a->val[OPT_URL - OPT_KEY]);
	if (a->val[OPT_DOI - OPT_KEY])
		p.doi = xstrdup(a->val[OPT_DOI - OPT_KEY]);
	if (a->val[OPT_VENUE - OPT_KEY])
		p.venue = xstrdup(a->val[OPT_VENUE - OPT_KEY]);
	if (a->val[OPT_YEAR - OPT_KEY] &&
	    (rc = cli_int(c, "year", a->val[OPT_YEAR - OPT_KEY], 1000, 2999,
	                  &p.year)))
		goto out;
	rc = 1;
	if (cli_begin(c))
		goto out;
	if (cairn_paper_add(c->st, &p, &c->err)) {
		rc = cli_abort(c);
		goto out;
	}
	if (cli_commit(c))
		goto out;
	if (c->json)
		cli_json_print(c, cairn_paper_json(&p));
	else
		fprintf(c->out, "added paper '%s': %s\n", p.key, p.title);
	rc = 0;
out:
	cairn_paper_release(&p);
	return rc;
}

static int
paper_import(struct cli *c, int argi)
{
	struct cairn_import_stats s;
	int rc;

	if ((rc = cli_subargs(c, argi, "FILE")))
		return rc;
	if (cli_begin(c))
		return 1;
	if (cairn_paper_import(c->st, c->argv[argi], &s, &c->err))
		return cli_abort(c);
	if (cli_commit(c))
		return 1;
	if (c->json) {
		json_t *o = json_object();

		json_object_set_new(o, "added", json_integer(s.added));
		json_object_set_new(o, "present", json_integer(s.present));
		json_object_set_new(o, "repeats", json_integer(s.repeats));
		cli_json_print(c, o);
		return 0;
	}
	fprintf(c->out, "imported %d paper%s from %s", s.added,
	        s.added == 1 ? "" : "s", c->argv[argi]);
	if (s.present)
		fprintf(c->out, "; %d already present, left as they are",
		        s.present);
	if (s.repeats)
		fprintf(c->out, "; skipped %d repeated key%s", s.repeats,
		        s.repeats == 1 ? "" : "s");
	fputc('\n', c->out);
	return 0;
}

static int show_paper(struct cli *c, const char *key);

static int
paper_set(struct cli *c, int argi)
{
	const char *key;
	int rc;

	if ((rc = cli_subargs(c, argi, "KEY FIELD=VALUE...")) ||
	    (rc = cli_fields_check(c, argi + 1)))
		return rc;
	key = c->argv[argi];
	if (cli_begin(c))
		return 1;
	for (int i = argi + 1; i < c->argc; i++) {
		struct buf field = BUF_INIT;
		const char *v = cli_field_split(c->argv[i], &field);

		rc = cairn_paper_set(c->st, key, field.buf, v, &c->err);
		/* A renamed key: later fields go to the new name. */
		if (!rc && !strcmp(field.buf, "key"))
			key = v;
		buf_release(&field);
		if (rc)
			return cli_abort(c);
	}
	if (cli_commit(c))
		return 1;
	/* As `paper show KEY --json` prints it, under its new key. */
	if (c->json)
		return show_paper(c, key);
	fprintf(c->out, "updated paper '%s'\n", key);
	return 0;
}

static int
paper_link(struct cli *c, int argi, int add)
{
	int64_t id;
	int rc;

	if ((rc = cli_subargs(c, argi, "KEY ID")))
		return rc;
	if ((rc = cli_id(c, c->argv[argi + 1], &id)))
		return rc;
	if (cli_begin(c))
		return 1;
	if ((add ? cairn_paper_link : cairn_paper_unlink)(c->st, c->argv[argi],
	                                                  id, &c->err))
		return cli_abort(c);
	if (cli_commit(c))
		return 1;
	if (c->json) {
		json_t *o = json_object();

		json_object_set_new(o, "item", json_integer(id));
		json_object_set_new(o, "requires", json_string(c->argv[argi]));
		json_object_set_new(o, "added", json_boolean(add));
		cli_json_print(c, o);
		return 0;
	}
	fprintf(c->out,
	        add ? "#%lld now requires '%s'\n"
	            : "#%lld no longer requires '%s'\n",
	        (long long)id, c->argv[argi]);
	return 0;
}

static int
add_item(void *ctx, int64_t item)
{
	json_array_append_new(ctx, json_integer(item));
	return 0;
}

/* The paper with the items that require it, as text or --json. */
static int
show_paper(struct cli *c, const char *key)
{
	struct cairn_paper p;
	json_t *items = json_array();
	int rc = 1;

	if (cairn_paper_get(c->st, key, &p, &c->err) ||
	    cairn_paper_items(c->st, p.id, add_item, items, &c->err)) {
		rc = cli_fail(c);
		goto out;
	}
	if (c->json) {
		json_t *o = cairn_paper_json(&p);

		json_object_set_new(o, "items", json_incref(items));
		cli_json_print(c, o);
	} else {
		struct buf out = BUF_INIT;
		size_t i;
		json_t *v;

		cli_styled(c, &out, STYLE_BOLD, p.title);
		buf_addf(&out, "\nkey        %s\nstatus     %s\n", p.key,
		         cairn_paper_status_name(p.status));
		if (p.authors && *p.authors)
			buf_addf(&out, "authors    %s\n", p.authors);
		if (p.year)
			buf_addf(&out, "year       %d\n", p.year);
		if (p.venue)
			buf_addf(&out, "venue      %s\n", p.venue);
		if (p.url)
			buf_addf(&out, "url        %s\n", p.url);
		if (p.doi)
			buf_addf(&out, "doi        %s\n", p.doi);
		if (json_array_size(items)) {
			buf_adds(&out, "needed by ");
			json_array_foreach(items, i, v)
			        buf_addf(&out, " #%lld",
			                 (long long)json_integer_value(v));
			buf_addch(&out, '\n');
		}
		if (p.notes && *p.notes)
			buf_addf(&out, "\n%s\n", p.notes);
		fputs(out.buf, c->out);
		buf_release(&out);
	}
	rc = 0;
out:
	json_decref(items);
	cairn_paper_release(&p);
	return rc;
}

static int
paper_rm(struct cli *c, int argi, int force)
{
	struct cairn_paper p;
	json_t *gone = NULL;
	int n = 0, rc;

	if ((rc = cli_subargs(c, argi, "KEY")))
		return rc;
	if (cli_begin(c))
		return 1;
	/* --json names what goes, read in the same change. */
	if (c->json) {
		if (cairn_paper_get(c->st, c->argv[argi], &p, &c->err))
			return cli_abort(c);
		gone = cairn_paper_json(&p);
		cairn_paper_release(&p);
	}
	if (cairn_paper_remove(c->st, c->argv[argi], force, &n, &c->err)) {
		json_decref(gone);
		return cli_abort(c);
	}
	if (cli_commit(c)) {
		json_decref(gone);
		return 1;
	}
	if (gone)
		return cli_print_removed(c, gone, "links", json_integer(n));
	fprintf(c->out, "removed paper '%s'", c->argv[argi]);
	if (n)
		fprintf(c->out, " and the %d link%s to it", n,
		        n == 1 ? "" : "s");
	fputc('\n', c->out);
	return 0;
}

static int
paper_show(struct cli *c, int argi)
{
	int rc;

	if ((rc = cli_subargs(c, argi, "KEY")))
		return rc;
	if (cli_open(c))
		return 1;
	return show_paper(c, c->argv[argi]);
}

static int
cmd_paper_exec(struct cli *c)
{
	struct args a;
	const char *sub;
	int ch;

	memset(&a, 0, sizeof(a));
	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch == OPT_FORCE) {
			a.force = 1;
			continue;
		}
		if (ch < OPT_KEY || ch > OPT_VENUE)
			return 2;
		a.val[ch - OPT_KEY] = optarg;
		a.any = 1;
	}
	sub = c->argv[optind];
	if (a.any && strcmp(sub, "add"))
		return cli_usage(c, "only 'paper add' takes --key, --authors, "
		                    "--year, --url, --doi and --venue");
	if (a.force && strcmp(sub, "rm"))
		return cli_usage(c, "only 'paper rm' takes --force");
	if (!strcmp(sub, "add"))
		return paper_add(c, &a, optind + 1);
	if (!strcmp(sub, "import"))
		return paper_import(c, optind + 1);
	if (!strcmp(sub, "set"))
		return paper_set(c, optind + 1);
	if (!strcmp(sub, "link"))
		return paper_link(c, optind + 1, 1);
	if (!strcmp(sub, "unlink"))
		return paper_link(c, optind + 1, 0);
	if (!strcmp(sub, "rm"))
		return paper_rm(c, optind + 1, a.force);
	if (!strcmp(sub, "show"))
		return paper_show(c, optind + 1);
	return cli_usage(c, "unknown subcommand '%s'", sub);
}

const struct cmd_entry cmd_paper_entry = {
        .name = "paper",
        .args = "add|import|set|link|unlink|rm|show [ARG...]",
        .usage = "paper add TITLE [--key K] [--authors A] [--year Y] "
                 "[--url U] [--doi D] [--venue V] | import FILE | set KEY "
                 "FIELD=VALUE... | link KEY ID | unlink KEY ID | rm KEY "
                 "[--force] | show KEY",
        .summary = "add, import (BibTeX), change, link and remove papers",
        .help = "Without --key a key is made from the first author, the year "
                "and the title (devlin2019bert).  import reads BibTeX as "
                "Zotero and Better BibTeX write it; papers already present "
                "are left alone, so importing twice adds nothing, and a "
                "malformed file imports nothing.  Fields: key, title, "
                "authors, year, month, venue, url, doi, status, notes.  "
                "Statuses: to-read, reading, read, replicating, replicated, "
                "replication-failed.  link KEY ID makes reading the paper a "
                "prerequisite of item ID.  rm refuses a paper that items "
                "require "
                "unless --force, which removes those links too.",
        .flags = CMD_WRITES,
        .exec = cmd_paper_exec,
};
