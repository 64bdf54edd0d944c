/*
 * gen_graphs.c - writes valid-but-nasty .graph files for tests/nasty.sh.
 *
 * Usage: gen_graphs SEED COUNT DIR    writes DIR/case-K.graph, K < COUNT
 *        gen_graphs --json FILE       exit 0 when FILE is one JSON value
 *
 * The grammar comes from the op registry (gvl_op_table): every op, in its
 * own form (infix, prefix, postfix, call), with its parameters filled by
 * type, so an op added to ops.def is generated without a change here.
 * What makes the files nasty is what the adversarial campaign of issue 10
 * found to break things: symbolic sizes that inference solves to 0 or 1
 * (n-1 with n = 1), broadcasting, numbers at the ends of the double range
 * (1e308, 5e-324, -0), values that make NaN and infinity (log of a
 * negative, 0/0), deep nesting, one node used many times, reassignment,
 * `optimize` lines, CRLF line endings, control and bidi characters in
 * comments and names, and, for a fifth of the files, a random edit (a byte
 * deleted, inserted or repeated) that usually makes them invalid.  Every
 * file is a function of SEED and K only, so a failure is reproduced by
 * its name.
 */
#include "ops.h"
#include "strbuf.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng;

/* splitmix64: small, and the same on every machine */
static uint64_t next(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static int pick(int n) { return (int)(next() % (uint64_t)n); }
static int chance(int percent) { return pick(100) < percent; }
#define PICK(array) (array[pick((int)(sizeof array / sizeof array[0]))])

/* Numbers a student would write, and numbers at the edges. */
static const char *const numbers[] = {
    "0", "1", "-1", "2", "0.5", "-3", "pi", "pi/2", "1e-3", "3.25", "-0", "-0.0",
    "1e308", "-1e308", "5e-324", "1e-300", "1e300", "2**0.5", "0/0", "1/0", "-1/0",
    "log(0)", "exp(800)", "(2)", "-(1)", "((0.25))",
};

static const char *number(void)
{
    /* mostly ordinary, so that most graphs evaluate */
    return chance(80) ? numbers[pick(10)] : PICK(numbers);
}

/* A size as declared: concrete, or symbolic (n, m; n-1 and n+1 too). */
static const char *const dims[] = {"1", "2", "3", "4", "2", "1", "n", "m", "n-1", "n+1", "k"};

typedef struct Leaf {
    char name[16];
    int rank;
    int dim[3];   /* concrete dims; -1 when symbolic */
} Leaf;

/* Writes a leaf declaration; its values only when every dim is concrete. */
static void leaf(StrBuf *t, Leaf *l, int i)
{
    static const char *const kinds[] = {"param", "param", "input", "const", "label"};
    const char *kind = i == 0 ? "param" : PICK(kinds);
    snprintf(l->name, sizeof l->name, chance(10) ? "_%c%d" : "%c%d", "wxbtzW"[pick(6)], i);
    l->rank = pick(4);
    bool concrete = true;
    int numel = 1;
    gvl_sb_printf(t, "%s %s", kind, l->name);
    if (l->rank > 0 || chance(30)) {
        gvl_sb_printf(t, "[");
        for (int d = 0; d < l->rank; d++) {
            const char *s = chance(70) ? dims[pick(4)] : PICK(dims);
            l->dim[d] = (s[0] >= '0' && s[0] <= '9') ? atoi(s) : -1;
            if (l->dim[d] < 0) concrete = false;
            else numel *= l->dim[d];
            gvl_sb_printf(t, "%s%s", d ? ", " : "", s);
        }
        gvl_sb_printf(t, "]");
    }
    if (concrete && chance(70)) {
        gvl_sb_printf(t, " = [");
        for (int k = 0; k < numel; k++) gvl_sb_printf(t, "%s%s", k ? ", " : "", number());
        gvl_sb_printf(t, "]");
    } else if (l->rank == 0 && chance(60)) {
        gvl_sb_printf(t, " = %s", number());
    }
    if (chance(15)) gvl_sb_printf(t, "   # %s", PICK(((const char *[]){"a comment", "\xe2\x80\xae reversed", "tab\there", "\xc2\x9b[31m", "pi/2"})));
    gvl_sb_printf(t, "\n");
}

/* The value of a parameter of TYPE, as a call would write it. */
static void param_value(StrBuf *t, ParamType type)
{
    static const char *const by_type[][6] = {
        [PT_DIM] = {"0", "1", "-1", "2", "-2", "5"},
        [PT_PAIR] = {"1", "2", "2x2", "1x2", "3x1", "0"},
        [PT_PAD] = {"0", "1", "\"same\"", "\"valid\"", "2x1", "-1"},
        [PT_SHAPE] = {"[-1]", "[4, 1]", "[1, -1]", "[2, 2]", "[n]", "[-1, -1]"},
        [PT_REAL] = {"0.01", "0", "-1", "1e308", "0.5", "2"},
    };
    _Static_assert(sizeof by_type / sizeof by_type[0] == PT_COUNT, "a value for every parameter type");
    gvl_sb_printf(t, "%s", by_type[type][pick(6)]);
}

/* An expression over the NAMES so far, nested at most DEPTH deep. */
static void expr(StrBuf *t, char names[][16], int count, int depth)
{
    if (depth <= 0 || chance(25)) {
        if (chance(85)) gvl_sb_printf(t, "%s", names[pick(count)]);
        else gvl_sb_printf(t, "%s", number());
        return;
    }
    if (chance(5)) {   /* parentheses around anything */
        gvl_sb_printf(t, "(");
        expr(t, names, count, depth - 1);
        gvl_sb_printf(t, ")");
        return;
    }
    const OpInfo *op = &gvl_op_table[pick(OP_COUNT)];
    int args = op->min_args + pick(op->max_args - op->min_args + 1);
    switch (op->form) {
    case FORM_INFIX:
        gvl_sb_printf(t, "(");
        expr(t, names, count, depth - 1);
        gvl_sb_printf(t, " %s ", op->symbol);
        expr(t, names, count, depth - 1);
        gvl_sb_printf(t, ")");
        return;
    case FORM_PREFIX:
        gvl_sb_printf(t, "%s", op->symbol);
        expr(t, names, count, depth - 1);
        return;
    case FORM_POSTFIX:
        gvl_sb_printf(t, "(");
        expr(t, names, count, depth - 1);
        gvl_sb_printf(t, ")%s", op->symbol);
        return;
    default:
        break;
    }
    gvl_sb_printf(t, "%s(", op->alias && chance(30) ? op->alias : op->name);
    int positional = 0;
    for (int a = 0; a < args; a++, positional++) {
        if (a) gvl_sb_printf(t, ", ");
        expr(t, names, count, depth - 1);
    }
    /* parameters: the positional ones in place, keyword ones by name, in
     * random order; a required one is sometimes left out on purpose */
    for (int p = 0; p < op->nparams; p++) {
        const ParamSpec *ps = &op->params[p];
        bool required = gvl_param_is_required(ps);
        if (!(required ? chance(95) : chance(40))) continue;
        gvl_sb_printf(t, ", ");
        if (ps->position < 0 || positional != ps->position || chance(30)) gvl_sb_printf(t, "%s=", ps->name);
        else positional++;
        param_value(t, ps->type);
    }
    gvl_sb_printf(t, ")");
}

/* One graph file, from SEED and K alone. */
static void graph(StrBuf *t, uint64_t seed, int k)
{
    rng = seed * 1000003u + (uint64_t)k;
    next();
    gvl_sb_clear(t);
    gvl_sb_printf(t, "# generated by tests/gen_graphs.c, seed %llu, case %d\n", (unsigned long long)seed, k);
    char names[48][16];
    int count = 0;
    Leaf leaves[6];
    int nleaves = 1 + pick(5);
    for (int i = 0; i < nleaves; i++) {
        leaf(t, &leaves[i], i);
        strcpy(names[count++], leaves[i].name);
    }
    int statements = 1 + pick(10);
    for (int i = 0; i < statements && count < 47; i++) {
        /* reassigning a name is part of the language */
        bool again = chance(10);
        char name[16];
        if (again) strcpy(name, names[pick(count)]);
        else snprintf(name, sizeof name, "v%d", i);
        gvl_sb_printf(t, "%s = ", name);
        expr(t, names, count, 1 + pick(4));
        gvl_sb_printf(t, "\n");
        if (!again) strcpy(names[count++], name);
    }
    /* a loss, mostly, so that gradients and training have something to do */
    if (chance(80)) {
        gvl_sb_printf(t, "L = %s(", PICK(((const char *[]){"sum", "mean", "norm", "max"})));
        expr(t, names, count, 1 + pick(2));
        gvl_sb_printf(t, ")\n");
        if (chance(40)) gvl_sb_printf(t, "optimize L lr=%s steps=%d\n", PICK(((const char *[]){"0.5", "0.1", "1e-3", "2"})), pick(4));
        else if (chance(20)) gvl_sb_printf(t, "loss L\n");
    }
    /* CRLF line endings in some files */
    if (chance(8)) {
        StrBuf crlf = {0};
        for (size_t i = 0; i < t->len; i++) {
            if (t->s[i] == '\n') gvl_sb_putc(&crlf, '\r');
            gvl_sb_putc(&crlf, t->s[i]);
        }
        gvl_sb_free(t);
        *t = crlf;
    }
    /* a random edit in a fifth of them */
    if (chance(20) && t->len > 2) {
        static const char bytes[] = {'(', ')', '[', ']', ',', '=', '@', '\n', '\r', '\t', '#', '"', 'x', '0', '-', '\x9b', '\x00', '\xff'};
        size_t at = (size_t)pick((int)t->len);
        switch (pick(3)) {
        case 0: memmove(t->s + at, t->s + at + 1, t->len - at - 1); gvl_sb_truncate(t, t->len - 1); break;
        case 1: gvl_sb_putc(t, ' '); memmove(t->s + at + 1, t->s + at, t->len - at - 1); t->s[at] = PICK(bytes); break;
        default: gvl_sb_putc(t, ' '); memmove(t->s + at + 1, t->s + at, t->len - at - 1); break;
        }
    }
}

static int json_ok(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 2;
    StrBuf t = {0};
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) gvl_sb_addn(&t, chunk, got);
    fclose(f);
    const char *end = NULL;
    cJSON *j = t.s ? cJSON_ParseWithLengthOpts(t.s, t.len, &end, 0) : NULL;
    bool ok = j && end;
    while (ok && *end && (*end == '\n' || *end == ' ')) end++;
    ok = ok && (size_t)(end - t.s) == t.len;
    cJSON_Delete(j);
    gvl_sb_free(&t);
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--json") == 0) return json_ok(argv[2]);
    if (argc != 4) {
        fprintf(stderr, "usage: gen_graphs SEED COUNT DIR | gen_graphs --json FILE\n");
        return 2;
    }
    uint64_t seed = strtoull(argv[1], NULL, 10);
    int count = atoi(argv[2]);
    StrBuf t = {0};
    for (int k = 0; k < count; k++) {
        graph(&t, seed, k);
        char path[4096];
        snprintf(path, sizeof path, "%s/case-%d.graph", argv[3], k);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(t.s, 1, t.len, f) != t.len || fclose(f) != 0) {
            perror(path);
            return 2;
        }
    }
    gvl_sb_free(&t);
    return 0;
}
