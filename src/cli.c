/*
 * cli.c - parsing the command line.
 *
 * Options may come before or after FILE.  Every mistake is a usage error:
 * one line on standard error naming the flag, then exit status 2.
 */
#include "cli.h"

#include "render.h"

#include "terminal.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    Command cmd;
    const char *summary;
} commands[] = {
    {"check", CMD_CHECK, "parse and shape-check; one line per node: name, kind, op, shape"},
    {"dims", CMD_DIMS, "the Jacobian size table: nodes, edge Jacobians, dL/dv"},
    {"eval", CMD_EVAL, "forward values, and gradients when there is a loss"},
    {"train", CMD_TRAIN, "gradient-descent steps on every param"},
    {"gradcheck", CMD_GRADCHECK, "backward gradients against central finite differences"},
    {"render", CMD_RENDER, "the annotated diagram: render FILE -o OUT.svg (or .png .pdf .dot .json .html)"},
    {"explain", CMD_EXPLAIN, "the chain rule for dL/dV, factor by factor: explain FILE --wrt V"},
    {"export", CMD_EXPORT, "a PyTorch script computing the same numbers: export FILE --torch [-o OUT.py]"},
    {"quiz", CMD_QUIZ, "a worksheet of every question the file answers: quiz FILE [--variant N] [--key KEY]"},
    {"grade", CMD_GRADE, "students' answers against a key: grade KEY.graph ANSWERS... [--format gradescope]"},
    {"ops", CMD_OPS, "every op of the language (no FILE): how it is written, parameters, PyTorch"},
};

static const struct {
    const char *name;
    Format f;
} formats[] = {
    {"text", FMT_TEXT}, {"md", FMT_MD}, {"csv", FMT_CSV}, {"latex", FMT_LATEX}, {"json", FMT_JSON},
};

void gvl_cli_free(Options *o)
{
    for (int i = 0; i < o->nsets; i++) free((char *)o->sets[i].name);
    free(o->sets);
    o->sets = NULL;
    o->nsets = 0;
    free(o->answers);
    o->answers = NULL;
    free(o->collapse);
    o->collapse = NULL;
    o->ncollapse = 0;
    o->nanswers = 0;
}

/* The formats of quiz and grade, which are not the tables' */
static const char *const quiz_formats[] = {"text", "md", "latex", "html", "json"};
static const char *const grade_formats[] = {"text", "json", "gradescope", "prairielearn", "csv"};

static bool listed(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(name, list[i])) return true;
    return false;
}

void gvl_cli_help(Command cmd, FILE *out)
{
    if (cmd == CMD_NONE) {
        fputs("usage: graphviz-lab COMMAND FILE [OPTIONS]\n\n"
              "Reads a computational graph from FILE (a .graph file, or - for standard input).\n\n"
              "Commands:\n", out);
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
            fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
        fputs("\nOptions:\n"
              "  --help      this text; 'graphviz-lab COMMAND --help' for a command's options\n"
              "  --version   the program's version\n\n"
              "Exit status: 0 success, 1 the graph has errors, 2 usage or I/O error.\n"
              "The language and the commands: man graphviz-lab, man 5 graphviz-lab, and\n"
              "docs/language.md and docs/cli.md (installed in " GVL_DOCDIR ");\n"
              "the lab's exercises and other examples: " GVL_DATADIR "/graphs.\n", out);
        return;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (commands[i].cmd == cmd)
            fprintf(out, "usage: graphviz-lab %s FILE [OPTIONS]\n\n%s.\n\n", commands[i].name, commands[i].summary);
    /* every command takes every common option, so that a script can pass
     * the same ones to all of them; each says which commands use it */
    fputs("Common options (every command takes them; each is used where it applies):\n"
          "  --format F         text (default), md, csv, latex or json\n"
          "  --json             JSON output, with the keys docs/cli.md lists\n"
          "  --ascii            write dL/dw and 4x6 instead of \xe2\x88\x82L/\xe2\x88\x82w and 4\xc3\x97" "6\n"
          "  -w                 no warnings (errors and notes still print)\n"
          "  --set NAME=SIZE    bind the size symbol NAME (repeatable; wins over the file's 'size')\n"
          "  --of NODE          differentiate NODE (one element) instead of the loss\n"
          "                     (dims, eval, gradcheck, render, explain, export)\n"
          "  --precision N      significant digits in text (default 6; JSON is always exact)\n"
          "  --random SEED      fill tensors declared without values with N(0,1) samples\n"
          "  --lr A             learning rate (train, render, export; default: the file's optimize, else 0.1)\n"
          "  --steps N          number of steps (train, render, export; default: the file's optimize, else 1)\n"
          "  --every N          train: print every N-th step (and the last), not each one\n"
          "  --eps E            gradcheck: finite-difference step (default 1e-6)\n"
          "  --tol T            gradcheck: allowed relative error (default 1e-6)\n"
          "  --atol A           gradcheck: allowed absolute error (default: the central difference's\n"
          "                     own rounding error, estimated from the forward pass)\n"
          "  --max-elements N   refuse a tensor of more than N elements (default 2^26)\n"
          "  --max-memory MIB   refuse values of more than MIB MiB in all (default 4096)\n"
          "  --max-nodes N      refuse a graph of more than N nodes (default 5000000)\n"
          "  --max-line-length N  refuse a line of more than N bytes (default 100000)\n"
          "  --color[=WHEN]     colour the messages: auto (default: on a terminal, unless\n"
          "                     NO_COLOR is set), always or never\n"
          "  --diagnostics-format F  text (default) or json: one JSON object a line\n"
          "  --help             this text\n", out);
    if (cmd == CMD_RENDER)
        fputs("\nOptions of render:\n"
              "  -o OUT             the file to write (- for standard output); its extension\n"
              "                     .svg .png .pdf .dot .json or .html (the interactive page)\n"
              "                     chooses the format\n"
              "  -T FORMAT          the format, whatever OUT is called: svg png pdf dot json html\n"
              "  --engine E         Graphviz layout: dot (default), neato, fdp, sfdp, circo, twopi\n"
              "  --rankdir D        LR (left to right, the default up to 8 ranks deep) or TB\n"
              "                     (top to bottom, the default of a deeper graph and of\n"
              "                     an HTML page, beside its panel); a graph deeper than a\n"
              "                     few screens is drawn in columns unless D is given\n"
              "  --no-values        leave values out of the boxes\n"
              "  --no-grads         leave gradients out of the boxes\n"
              "  --no-jacobians     leave Jacobian sizes off the edges\n"
              "  --backward         also draw the gradient flowing back along each edge\n"
              "  --collapse [NAME]  draw each function call as one box (its inputs' and output's\n"
              "                     shapes, the block's Jacobian sizes) instead of a cluster;\n"
              "                     with NAME only the calls of that function, or that call\n"
              "  --max-render-nodes N  refuse to draw more than N nodes (default 5000)\n", out);
    if (cmd == CMD_EXPLAIN)
        fputs("\nOptions of explain:\n"
              "  --wrt V            the node (or alias) to differentiate with respect to\n"
              "  --max-paths N      list at most N paths (default 16); the total counts them all\n", out);
    if (cmd == CMD_QUIZ)
        fputs("\nOptions of quiz:\n"
              "  --format F         text (default), md, latex, html, or json (the questions)\n"
              "  -o OUT             write the worksheet to OUT (default: standard output)\n"
              "  --key FILE         also write the answers to FILE, in the answers format\n"
              "  --variant N        student N's version: new values (multiples of 0.5 in [-3, 3])\n"
              "                     and sizes from each 'size n in A..B'; the same N, the same one\n"
              "  --questions KINDS  which questions: a comma list of shape, jacobian, gradient,\n"
              "                     value, grad, step (default: all)\n"
              "  --only KEYS        just these questions, in this order: size(dL/dq),shape(x),...\n", out);
    if (cmd == CMD_GRADE)
        fputs("\nOptions of grade (grade KEY.graph ANSWERS...):\n"
              "  --format F         text (default), json, gradescope, prairielearn or csv\n"
              "  --tol T            numbers pass within T, absolute or relative (default 1e-3)\n"
              "  --variant N        grade against student N's version of KEY\n"
              "  --questions KINDS, --only KEYS   the questions, as quiz takes them\n"
              "  --show-answers     say the expected answer of each wrong one\n"
              "  -o OUT             write the results to OUT (default: standard output)\n", out);
    if (cmd == CMD_EXPORT)
        fputs("\nOptions of export:\n"
              "  --torch            write a PyTorch script (the only kind of export)\n"
              "  -o OUT             the file to write (default: standard output)\n", out);
}

static int usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage(const char *fmt, ...)
{
    /* the words quoted come from the command line: escaped (terminal.h) */
    StrBuf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    gvl_sb_vprintf(&msg, fmt, ap);
    va_end(ap);
    gvl_say("error", "%s", gvl_sb_str(&msg));
    gvl_sb_free(&msg);
    if (!gvl_term_json()) fputs("Try 'graphviz-lab --help'.\n", stderr);
    return 2;
}

void gvl_cli_style(int argc, char **argv)
{
    /* read first, so that the command line's own errors already look as
     * asked; the parse proper checks the values */
    ColorWhen color = COLOR_AUTO;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : "";
        if (!strcmp(a, "--color") && (!strcmp(next, "auto") || !strcmp(next, "never") || !strcmp(next, "always")))
            a = next[1] == 'u' ? "--color=auto" : next[1] == 'e' ? "--color=never" : "--color=always";
        if (!strcmp(a, "--color") || !strcmp(a, "--color=always")) color = COLOR_ALWAYS;
        else if (!strcmp(a, "--color=never")) color = COLOR_NEVER;
        else if (!strcmp(a, "--color=auto")) color = COLOR_AUTO;
        else if (!strcmp(a, "--diagnostics-format=json") || (!strcmp(a, "--diagnostics-format") && !strcmp(next, "json")))
            json = true;
        else if (!strcmp(a, "--diagnostics-format=text") || (!strcmp(a, "--diagnostics-format") && !strcmp(next, "text")))
            json = false;
    }
    gvl_term_set_style(color, json);
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

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

int gvl_cli_parse(int argc, char **argv, Options *o)
{
    memset(o, 0, sizeof *o);
    o->max_elements = (int64_t)1 << 26;
    o->max_total = ((int64_t)4096 << 20) / 8;   /* 4 GiB of doubles */
    o->eps = 1e-6;
    o->tol = 1e-6;
    o->max_nodes = 5000000;       /* GRAPH_MAX_NODES */
    o->max_line = 100000;         /* GRAPH_MAX_LINE */
    o->max_render_nodes = 5000;   /* RENDER_MAX_NODES */
    int i = 1;
    if (i < argc && argv[i][0] != '-') {
        for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
            if (!strcmp(argv[i], commands[k].name)) o->cmd = commands[k].cmd;
        if (o->cmd == CMD_NONE) return usage("unknown command '%s'", argv[i]);
        i++;
    }
    for (; i < argc; i++) {
        const char *a = argv[i];
        /* --flag=value is the same as --flag value; a flag name longer than
         * any option stays whole and is reported as an unknown option */
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
        else if (!strcmp(a, "-w")) o->no_warnings = true;
        else if (!strcmp(a, "--format") && (o->cmd == CMD_QUIZ || o->cmd == CMD_GRADE)) {
            NEED_VALUE();
            bool quiz = o->cmd == CMD_QUIZ;
            if (quiz ? !listed(val, quiz_formats, sizeof quiz_formats / sizeof *quiz_formats)
                     : !listed(val, grade_formats, sizeof grade_formats / sizeof *grade_formats))
                return usage(quiz ? "unknown format '%s' for quiz (use text, md, latex, html or json)"
                                  : "unknown format '%s' for grade (use text, json, gradescope, prairielearn or csv)", val);
            o->format_name = val;
        } else if (!strcmp(a, "--format")) {
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
        } else if (!strcmp(a, "--max-nodes") || !strcmp(a, "--max-line-length") ||
                   !strcmp(a, "--max-render-nodes")) {
            NEED_VALUE();
            uint64_t v;
            if (!parse_u64(val, &v) || v < 1 || v > ((uint64_t)1 << 40)) {
                return usage("%s takes a whole number from 1 to 2^40, not '%s'", a, val);
            }
            if (!strcmp(a, "--max-nodes")) o->max_nodes = (int64_t)v;
            else if (!strcmp(a, "--max-line-length")) o->max_line = (int64_t)v;
            else o->max_render_nodes = (int64_t)v;
        } else if (!strcmp(a, "--max-memory")) {
            NEED_VALUE();
            uint64_t v;
            if (!parse_u64(val, &v) || v < 1 || v > ((uint64_t)1 << 40))
                return usage("--max-memory takes a number of MiB from 1 to 2^40, not '%s'", val);
            o->max_total = (int64_t)(v << 20) / 8;
        } else if (!strcmp(a, "--lr") || !strcmp(a, "--eps") || !strcmp(a, "--tol") || !strcmp(a, "--atol")) {
            NEED_VALUE();
            char *end;
            errno = 0;
            double d = strtod(val, &end);
            if (*end || errno || !(d > 0) || d > 1e300) {
                return usage("%s takes a positive number, not '%s'", a, val);
            }
            if (!strcmp(a, "--lr")) { o->lr = d; o->has_lr = true; }
            else if (!strcmp(a, "--eps")) { o->eps = d; o->has_eps = true; }
            else if (!strcmp(a, "--atol")) { o->atol = d; o->has_atol = true; }
            else { o->tol = d; o->has_tol = true; }
        } else if (!strcmp(a, "--set")) {
            NEED_VALUE();
            const char *eq2 = strchr(val, '=');
            uint64_t v;
            size_t nl = eq2 ? (size_t)(eq2 - val) : 0;
            bool name_ok = nl > 0 && (isalpha((unsigned char)val[0]) || val[0] == '_');
            for (size_t k = 0; k < nl; k++) name_ok &= isalnum((unsigned char)val[k]) || val[k] == '_';
            if (!name_ok || !parse_u64(eq2 + 1, &v) || v < 1 || v > ((uint64_t)1 << 40))
                return usage("--set takes NAME=SIZE, a size symbol and a whole number from 1 to 2^40, not '%s'",
                             val);
            for (int k = 0; k < o->nsets; k++)
                if (strlen(o->sets[k].name) == nl && !memcmp(o->sets[k].name, val, nl))
                    return usage("--set %.*s is given twice", (int)nl, val);
            o->sets = gvl_xrealloc(o->sets, sizeof *o->sets * (size_t)(o->nsets + 1));
            char *name = gvl_xmalloc(nl + 1);
            memcpy(name, val, nl);
            name[nl] = '\0';
            o->sets[o->nsets++] = (SizeSetting){name, (int64_t)v, false};
        } else if (!strcmp(a, "--steps")) {
            NEED_VALUE();
            uint64_t v;
            if (!parse_u64(val, &v) || v < 1 || v > 100000000)
                return usage("--steps takes a whole number from 1 to 100000000, not '%s'", val);
            o->steps = (int64_t)v;
            o->has_steps = true;
        } else if (!strcmp(a, "--every")) {
            NEED_VALUE();
            uint64_t v;
            if (!parse_u64(val, &v) || v < 1 || v > 100000000)
                return usage("--every takes a whole number from 1 to 100000000, not '%s'", val);
            o->every = (int64_t)v;
        } else if (!strcmp(a, "--variant")) {
            if (o->cmd != CMD_QUIZ && o->cmd != CMD_GRADE) return usage("--variant is an option of quiz and grade");
            NEED_VALUE();
            if (!parse_u64(val, &o->variant)) return usage("--variant takes a whole number >= 0, not '%s'", val);
            o->has_variant = true;
        } else if (!strcmp(a, "--key")) {
            if (o->cmd != CMD_QUIZ) return usage("--key is an option of quiz (grade takes the key graph as its FILE)");
            NEED_VALUE();
            o->key_out = val;
        } else if (!strcmp(a, "--questions")) {
            if (o->cmd != CMD_QUIZ && o->cmd != CMD_GRADE) return usage("--questions is an option of quiz and grade");
            NEED_VALUE();
            static const char *const kinds[] = {"shape", "jacobian", "gradient", "value", "grad", "step"};
            o->question_kinds = 0;
            for (const char *p = val; *p;) {
                size_t n = strcspn(p, ",");
                size_t k = 0;
                while (k < sizeof kinds / sizeof *kinds && (strlen(kinds[k]) != n || strncmp(p, kinds[k], n))) k++;
                if (k == sizeof kinds / sizeof *kinds)
                    return usage("--questions: '%.*s' is not a kind of question (use shape, jacobian, gradient, "
                                 "value, grad, step)", (int)n, p);
                o->question_kinds |= 1u << k;
                p += n + (p[n] == ',');
            }
            if (!o->question_kinds) return usage("--questions needs at least one kind");
        } else if (!strcmp(a, "--only")) {
            if (o->cmd != CMD_QUIZ && o->cmd != CMD_GRADE) return usage("--only is an option of quiz and grade");
            NEED_VALUE();
            o->only = val;
        } else if (!strcmp(a, "--show-answers")) {
            if (o->cmd != CMD_GRADE) return usage("--show-answers is an option of grade");
            o->show_answers = true;
        } else if (!strcmp(a, "-o") && (o->cmd == CMD_EXPORT || o->cmd == CMD_QUIZ || o->cmd == CMD_GRADE)) {
            NEED_VALUE();
            o->out = val;
        } else if (!strcmp(a, "--torch")) {
            if (o->cmd != CMD_EXPORT) return usage("--torch is an option of export");
            o->torch = true;
        } else if (!strcmp(a, "--wrt")) {
            if (o->cmd != CMD_EXPLAIN) return usage("--wrt is an option of explain");
            NEED_VALUE();
            o->wrt = val;
        } else if (!strcmp(a, "--max-paths")) {
            if (o->cmd != CMD_EXPLAIN) return usage("--max-paths is an option of explain");
            NEED_VALUE();
            uint64_t v;
            if (!parse_u64(val, &v) || v < 1 || v > 1000000)
                return usage("--max-paths takes a whole number from 1 to 1000000, not '%s'", val);
            o->max_paths = (int)v;
        } else if (!strcmp(a, "-o") || !strcmp(a, "-T") || !strcmp(a, "--engine") || !strcmp(a, "--rankdir")) {
            if (o->cmd != CMD_RENDER && !strcmp(a, "-o")) return usage("'-o' is an option of render, export, quiz and grade");
            if (o->cmd != CMD_RENDER) return usage("'%s' is an option of render", a);
            NEED_VALUE();
            if (!strcmp(a, "-o")) o->out = val;
            else if (!strcmp(a, "-T")) o->render_format = val;
            else if (!strcmp(a, "--engine")) o->engine = val;
            else o->rankdir = val;
        } else if (!strcmp(a, "--no-values") || !strcmp(a, "--no-grads") || !strcmp(a, "--no-jacobians") ||
                   !strcmp(a, "--backward")) {
            if (o->cmd != CMD_RENDER) return usage("'%s' is an option of render", a);
            if (!strcmp(a, "--no-values")) o->no_values = true;
            else if (!strcmp(a, "--no-grads")) o->no_grads = true;
            else if (!strcmp(a, "--no-jacobians")) o->no_jacobians = true;
            else o->backward = true;
        } else if (!strcmp(a, "--collapse") || !strncmp(a, "--collapse=", 11)) {
            if (o->cmd != CMD_RENDER) return usage("--collapse is an option of render");
            /* --collapse alone is every call; a name after it (not the
             * .graph file, not an option) is one function or call */
            const char *name = a[10] == '=' ? a + 11 : NULL;
            if (!name && i + 1 < argc && argv[i + 1][0] != '-' && !ends_with(argv[i + 1], ".graph")) name = argv[++i];
            if (!name) {
                o->collapse_all = true;
            } else {
                if (!*name) return usage("--collapse= needs a function's or a call's name");
                o->collapse = gvl_xrealloc(o->collapse, sizeof *o->collapse * (size_t)(o->ncollapse + 1));
                o->collapse[o->ncollapse++] = name;
            }
        } else if (!strcmp(a, "--color")) {
            /* --color alone is always, as ls and gcc take it; a separate
             * word after it only when it is one of the three */
            static const char *const whens[] = {"auto", "always", "never"};
            const char *when = val;
            if (!when && i + 1 < argc)
                for (int k = 0; k < 3; k++)
                    if (!strcmp(argv[i + 1], whens[k])) when = argv[++i];
            if (!when) when = "always";
            int k = 0;
            while (k < 3 && strcmp(when, whens[k])) k++;
            /* checked here; gvl_cli_style applied it already */
            if (k == 3) return usage("--color takes auto, always or never, not '%s'", when);
        } else if (!strcmp(a, "--diagnostics-format")) {
            NEED_VALUE();
            if (strcmp(val, "text") && strcmp(val, "json"))
                return usage("--diagnostics-format takes text or json, not '%s'", val);
        } else if (!strcmp(a, "--of")) {
            NEED_VALUE();
            o->of = val;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage("unknown option '%s'", argv[i]);
        } else if (!o->file) {
            o->file = a;
        } else if (o->cmd == CMD_GRADE) {
            o->answers = gvl_xrealloc(o->answers, sizeof *o->answers * (size_t)(o->nanswers + 1));
            o->answers[o->nanswers++] = (char *)a;
        } else {
            return usage("unexpected argument '%s': give one FILE", a);
        }
#undef NEED_VALUE
    }
    if (o->help || o->version) return 0;
    if (o->cmd == CMD_RENDER) {
        static const char *const engines[] = {"dot", "neato", "fdp", "sfdp", "circo", "twopi"};
        if (!o->out) return usage("render needs -o OUT (a .svg, .png, .pdf, .dot, .json or .html file, or - )");
        if (!o->engine) o->engine = "dot";
        bool ok = false;
        for (size_t k = 0; k < sizeof engines / sizeof engines[0]; k++) ok |= !strcmp(o->engine, engines[k]);
        if (!ok) return usage("unknown layout engine '%s' (use dot, neato, fdp, sfdp, circo or twopi)", o->engine);
        if (o->rankdir && strcmp(o->rankdir, "LR") && strcmp(o->rankdir, "TB"))
            return usage("--rankdir takes LR or TB, not '%s'", o->rankdir);
        if (o->render_format) {
            if (!gvl_render_format_known(o->render_format))
                return usage("unknown format '%s' for -T (use svg, png, pdf, dot, json or html)", o->render_format);
        }
    }
    if (o->cmd == CMD_EXPLAIN && !o->wrt) return usage("explain needs --wrt V: the node to differentiate with respect to");
    if (o->cmd == CMD_EXPLAIN && o->format == FMT_CSV) return usage("explain prints text, md, latex or json, not csv");
    if (o->cmd == CMD_GRADE && o->file && !o->nanswers)
        return usage("grade needs the answers to grade: grade KEY.graph ANSWERS...");
    if ((o->cmd == CMD_QUIZ || o->cmd == CMD_GRADE) && o->format == FMT_JSON && !o->format_name) o->format_name = "json";
    if (o->cmd == CMD_QUIZ && !o->format_name) o->format_name = "text";
    if (o->cmd == CMD_GRADE && !o->format_name) o->format_name = "text";
    if (o->cmd == CMD_EXPORT && !o->torch) return usage("export needs --torch (a PyTorch script is the one kind of export)");
    if (o->cmd == CMD_NONE) return usage("no command given");
    if (o->cmd == CMD_OPS) {
        if (o->file) return usage("ops takes no FILE, but was given '%s'", o->file);
        return 0;
    }
    if (!o->file) return usage("no FILE given (use - for standard input)");
    return 0;
}
