/*
 * cli.c - parsing the command line.
 *
 * Options may come before or after FILE.  Every mistake is a usage error:
 * one line on standard error naming the flag, then exit status 2.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    Command cmd;
    const char *summary;
} commands[] = {
    {"check", CMD_CHECK, "parse and shape-check; one line per node: name, kind, op, shape"},
    {"dims", CMD_DIMS, "the Jacobian size table: nodes, edge Jacobians, dL/dv"},
};

static const struct {
    const char *name;
    Format f;
} formats[] = {
    {"text", FMT_TEXT}, {"md", FMT_MD}, {"csv", FMT_CSV}, {"latex", FMT_LATEX}, {"json", FMT_JSON},
};

void cli_help(Command cmd, FILE *out)
{
    if (cmd == CMD_NONE) {
        fputs("usage: graphviz-lab COMMAND FILE [OPTIONS]\n\n"
              "Reads a computational graph from FILE (a .graph file, or - for standard input).\n\n"
              "Commands:\n", out);
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
            fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
        fputs("\nOptions:\n"
              "  --help      this text; 'graphviz-lab COMMAND --help' for a command's options\n"
              "  --version   the program's version\n\n"
              "Exit status: 0 success, 1 the graph has errors, 2 usage or I/O error.\n"
              "The language and the commands: docs/language.md and docs/cli.md.\n", out);
        return;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (commands[i].cmd == cmd)
            fprintf(out, "usage: graphviz-lab %s FILE [OPTIONS]\n\n%s.\n\n", commands[i].name, commands[i].summary);
    fputs("Options:\n"
          "  --format F         text (default), md, csv, latex or json\n"
          "  --json             the same as --format json\n"
          "  --ascii            write dL/dw and 4x6 instead of \xe2\x88\x82L/\xe2\x88\x82w and 4\xc3\x97" "6\n", out);
    if (cmd == CMD_DIMS)
        fputs("  --of NODE          differentiate NODE (one element) instead of the loss\n", out);
    fputs("  --help             this text\n\n"
          "Shapes never allocate tensors, so the evaluation options --precision N,\n"
          "--random SEED and --max-elements N are accepted here but change nothing.\n", out);
}

static int usage(const char *fmt, const char *arg)
{
    fputs("graphviz-lab: error: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'graphviz-lab --help'.\n", stderr);
    return 2;
}

static bool parse_u64(const char *s, uint64_t *out)
{
    if (!*s || *s == '-') return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno) return false;
    *out = v;
    return true;
}

int cli_parse(int argc, char **argv, Options *o)
{
    memset(o, 0, sizeof *o);
    o->precision = 6;
    o->max_elements = (int64_t)1 << 26;
    int i = 1;
    if (i < argc && argv[i][0] != '-') {
        for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
            if (!strcmp(argv[i], commands[k].name)) o->cmd = commands[k].cmd;
        if (o->cmd == CMD_NONE) return usage("unknown command '%s'", argv[i]);
        i++;
    }
    for (; i < argc; i++) {
        const char *a = argv[i];
        /* --flag=value is the same as --flag value */
        char flag[64];
        const char *val = NULL;
        const char *eq = strchr(a, '=');
        if (a[0] == '-' && a[1] == '-' && eq && (size_t)(eq - a) < sizeof flag) {
            memcpy(flag, a, (size_t)(eq - a));
            flag[eq - a] = '\0';
            val = eq + 1;
            a = flag;
        }
#define NEED_VALUE()                                                           \
    do {                                                                       \
        if (!val) {                                                            \
            if (i + 1 >= argc) return usage("option '%s' needs a value", a);   \
            val = argv[++i];                                                   \
        }                                                                      \
    } while (0)
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) o->help = true;
        else if (!strcmp(a, "--version")) o->version = true;
        else if (!strcmp(a, "--json")) o->format = FMT_JSON;
        else if (!strcmp(a, "--ascii")) o->ascii = true;
        else if (!strcmp(a, "--format")) {
            NEED_VALUE();
            size_t k;
            for (k = 0; k < sizeof formats / sizeof formats[0]; k++)
                if (!strcmp(val, formats[k].name)) break;
            if (k == sizeof formats / sizeof formats[0])
                return usage("unknown format '%s' (use text, md, csv, latex or json)", val);
            o->format = formats[k].f;
        } else if (!strcmp(a, "--precision")) {
            NEED_VALUE();
            uint64_t v;
            if (!parse_u64(val, &v) || v < 1 || v > 17)
                return usage("--precision takes a whole number from 1 to 17, not '%s'", val);
            o->precision = (int)v;
        } else if (!strcmp(a, "--random")) {
            NEED_VALUE();
            if (!parse_u64(val, &o->random_seed))
                return usage("--random takes a seed, a whole number >= 0, not '%s'", val);
            o->has_random = true;
        } else if (!strcmp(a, "--max-elements")) {
            NEED_VALUE();
            uint64_t v;
            if (!parse_u64(val, &v) || v < 1 || v > (uint64_t)INT64_MAX)
                return usage("--max-elements takes a whole number >= 1, not '%s'", val);
            o->max_elements = (int64_t)v;
        } else if (!strcmp(a, "--of")) {
            if (o->cmd != CMD_DIMS) return usage("--of is an option of dims (and, later, eval, explain and render)%s", "");
            NEED_VALUE();
            o->of = val;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage("unknown option '%s'", argv[i]);
        } else if (!o->file) {
            o->file = a;
        } else {
            return usage("unexpected argument '%s': give one FILE", a);
        }
#undef NEED_VALUE
    }
    if (o->help || o->version) return 0;
    if (o->cmd == CMD_NONE) return usage("no command given%s", "");
    if (!o->file) return usage("no FILE given (use - for standard input)%s", "");
    return 0;
}
