/*
 * ext.h: the module cairn-ext, loaded when a command first needs it.
 */
#ifndef CAIRN_CLI_EXT_H
#define CAIRN_CLI_EXT_H

/* The address of the module's symbol name (a function or data); a
 * missing or broken module ends the command with one line on stderr. */
void *cairn_ext_sym(const char *name);

#endif
