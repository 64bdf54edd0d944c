/*
 * cli.h - the command line: options into a struct, and the help texts.
 */
#ifndef GVL_CLI_H
#define GVL_CLI_H

#include "table.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum { CMD_NONE, CMD_CHECK, CMD_DIMS } Command;

typedef struct Options {
    Command cmd;
    const char *file;
    Format format;
    int precision;
    bool ascii;
    const char *of;          /* --of NODE */
    bool has_random;
    uint64_t random_seed;
    int64_t max_elements;
    bool help, version;
} Options;

/* Fills O from ARGV.  Returns 0, or 2 after printing a usage error. */
int cli_parse(int argc, char **argv, Options *o);
void cli_help(Command cmd, FILE *out);

#endif
