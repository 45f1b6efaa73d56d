/*
 * cmd-backup.c: `cairn backup DEST`, an online copy of the store
 * (cairn_store_backup), safe while other processes write.
 */
#include "cmd.h"
#include "../lib/banned.h"

static int
cmd_backup_exec(struct cli *c)
{
	struct cairn_store *st;
	const char *dest;
	int rc;

	if (cli_getopt(c, "", (const struct option[]){{0}}) != -1)
		return 2;
	if (optind >= c->argc)
		return cli_usage(c, "backup needs a destination file");
	if (optind + 1 < c->argc)
		return cli_usage(c, "too many arguments");
	dest = c->argv[optind];
	if (cairn_store_open(&st, c->db_path, CAIRN_OPEN_CHECK, &c->err))
		return cli_fail(c);
	rc = cairn_store_backup(st, dest, &c->err);
	cairn_store_free(st);
	if (rc)
		return cli_fail(c);
	if (c->json) {
		json_t *o = json_object();

		json_object_set_new(o, "store", json_string(c->db_path));
		json_object_set_new(o, "backup", json_string(dest));
		cli_json_print(c, o);
		return 0;
	}
	fprintf(c->out, "backed up '%s' to '%s'\n", c->db_path, dest);
	return 0;
}

const struct cmd_entry cmd_backup_entry = {
        .name = "backup",
        .usage = "backup DEST",
        .args = "DEST",
        .summary = "copy the store to DEST, safely while others write",
        .help = "An online copy through SQLite's backup API: one "
                "consistent state of the store, even while other processes "
                "write.  DEST must not exist; the copy is checked before it "
                "takes that name, and a damaged store makes no backup.  "
                "Restore by copying DEST over the store while no cairn "
                "runs (and removing the store's -wal and -shm files).  "
                "Every schema migration first backs the store up beside "
                "it as STORE.bak-vN-TIME, keeping the newest 3.",
        .flags = 0,
        .exec = cmd_backup_exec,
};
