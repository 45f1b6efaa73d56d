/*
 * cmd-doctor.c: `cairn doctor`, check the store (cairn_store_doctor):
 * one line per finding, exit 0 when there are none, else 1.
 */
#include "cmd.h"
#include "../lib/banned.h"

struct found {
	struct cli *c;
	json_t *list;
};

static int
print_finding(void *ctx, const char *line)
{
	struct found *f = ctx;

	if (f->list)
		json_array_append_new(f->list, json_string(line));
	else
		fprintf(f->c->out, "%s\n", line);
	return 0;
}

static int
cmd_doctor_exec(struct cli *c)
{
	struct found f = {c, c->json ? json_array() : NULL};
	int n;

	if (cli_getopt(c, "", (const struct option[]){{0}}) != -1)
		goto usage;
	if (optind < c->argc) {
		cli_usage(c, "too many arguments");
		goto usage;
	}
	if ((n = cairn_store_doctor(c->db_path, print_finding, &f, &c->err)) <
	    0) {
		json_decref(f.list);
		return cli_fail(c);
	}
	if (c->json) {
		json_t *o = json_object();

		json_object_set_new(o, "store", json_string(c->db_path));
		json_object_set_new(o, "sound", json_boolean(n == 0));
		json_object_set_new(o, "findings", f.list);
		cli_json_print(c, o);
	} else if (!n) {
		fprintf(c->out, "store '%s' is sound\n", c->db_path);
	}
	return n ? 1 : 0;
usage:
	json_decref(f.list);
	return 2;
}

const struct cmd_entry cmd_doctor_entry = {
        .name = "doctor",
        .usage = "doctor",
        .summary = "check the store for damage and inconsistencies",
        .help = "Runs SQLite's integrity check, the foreign-key check, the "
                "journal against the tables (its triggers, and each row "
                "against its last event) and the schema version, and "
                "prints one line per finding.  Exit 0 when there are "
                "none, else 1.  The store is only read, never migrated.  "
                "Once a command finds the store damaged, every command "
                "but doctor and backup refuses it until doctor finds it "
                "sound again (after restoring a backup, say).",
        .flags = 0,
        .exec = cmd_doctor_exec,
};
