/*
 * cmd-check.c: `cairn check`, the roadmap linter (rules in lib/check.c).
 * One line per finding: the item, the rule, what is wrong and how to fix
 * it.  The exit status is 0 when clean and 1 when there are findings, so
 * a script can gate on it.
 */
#include <string.h>

#include "cmd.h"
#include "cairn/plan/check.h"
#include "../lib/banned.h"

struct out {
	struct cli *c;
	json_t *arr;
	struct buf line;
};

static int
print_finding(void *ctx, const struct cairn_finding *f)
{
	struct out *o = ctx;
	struct cli *c = o->c;
	struct buf *b = &o->line;

	if (o->arr) {
		json_array_append_new(o->arr, cairn_finding_json(f));
		return 0;
	}
	/* Without formats: a store can have a finding for every
	 * milestone. */
	buf_reset(b);
	if (f->item) {
		buf_add(b, "#", 1);
		buf_add_int(b, f->item);
		buf_add(b, " ", 1);
	} else {
		buf_add(b, "- ", 2);
	}
	cli_styled(c, b, STYLE_YELLOW, f->rule);
	buf_add(b, ": ", 2);
	buf_adds(b, f->message);
	buf_add(b, "; fix: ", 7);
	buf_adds(b, f->hint);
	buf_add(b, "\n", 1);
	fwrite(b->buf, 1, b->len, c->out);
	return 0;
}

static const struct option opts[] = {
        {"off", required_argument, NULL, 'f'},
        {"on", required_argument, NULL, 'n'},
        {0},
};

/* check --off RULE / --on RULE: the setting check.RULE. */
static int
switch_rule(struct cli *c, const char *rule, int on)
{
	struct buf key = BUF_INIT;
	int k, rc;

	for (k = 0; cairn_check_rules[k]; k++)
		if (!strcmp(cairn_check_rules[k], rule))
			break;
	if (!cairn_check_rules[k]) {
		struct buf all = BUF_INIT;

		for (k = 0; cairn_check_rules[k]; k++)
			buf_addf(&all, "%s%s", k ? ", " : "",
			         cairn_check_rules[k]);
		cli_usage(c, "no rule '%s' (rules: %s)", rule, all.buf);
		buf_release(&all);
		return 2;
	}
	buf_addf(&key, "check.%s", rule);
	if (cli_begin(c)) {
		buf_release(&key);
		return 1;
	}
	rc = cairn_setting_set(c->st, key.buf, on ? NULL : "off", &c->err);
	buf_release(&key);
	if (rc)
		return cli_abort(c);
	if (cli_commit(c))
		return 1;
	if (c->json) {
		json_t *o = json_object();

		json_object_set_new(o, "rule", json_string(rule));
		json_object_set_new(o, "on", json_boolean(on));
		cli_json_print(c, o);
		return 0;
	}
	fprintf(c->out, "rule %s is %s\n", rule, on ? "on" : "off");
	return 0;
}

static int
cmd_check_exec(struct cli *c)
{
	struct cairn_roadmap rm;
	struct cairn_roadmap_scope sc;
	struct out o = {c, NULL, BUF_INIT};
	const char *rule = NULL;
	size_t count = 0;
	int ch, rc, on = 0;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		switch (ch) {
		case 'f':
		case 'n':
			if (rule)
				return cli_usage(c, "one --on or --off at a "
				                    "time");
			rule = optarg;
			on = ch == 'n';
			break;
		default:
			return 2;
		}
	}
	if (rule)
		return switch_rule(c, rule, on);
	if (cli_open(c))
		return 1;
	cairn_check_scope(&sc);
	if (cairn_roadmap_load_scope(c->st, &sc, &rm, &c->err))
		return cli_fail(c);
	if (c->json)
		o.arr = json_array();
	rc = cairn_check_run(&rm, print_finding, &o, &count, &c->err);
	cairn_roadmap_release(&rm);
	buf_release(&o.line);
	if (rc) {
		json_decref(o.arr);
		return cli_fail(c);
	}
	if (o.arr)
		cli_json_print(c, o.arr);
	else if (!count)
		fputs("no findings\n", c->out);
	return count ? 1 : 0;
}

const struct cmd_entry cmd_check_entry = {
        .name = "check",
        .usage = "check [--off RULE | --on RULE]",
        .summary = "lint the roadmap (exit 1 when there are findings)",
        .help = "Rules: cycle (prerequisites, counting those of parents, go "
                "round), feeds-no-goal (a milestone no goal needs), "
                "scope-shrinks (builds on something of larger scope), "
                "no-prior-work (a goal without a reading or replication "
                "milestone or a required paper), no-metric (a goal with no "
                "metric, on it or on a goal below it), no-estimate, "
                "portfolio (a goal's milestones all safe bets or all long "
                "shots), idea-driven (more than check.idea-driven.max, "
                "default 0.5, of the goals), wip (more items active than "
                "the focus setting's WIP limit, default 3), stale (active "
                "with no change for check.stale.days, default 30).  "
                "--off RULE switches a rule off for this store (the setting "
                "check.RULE=off), --on RULE back on.",
        .flags = CMD_OPENS_DB,
        .exec = cmd_check_exec,
};
