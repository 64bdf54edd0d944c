/*
 * export_torch.c - a graph as a PyTorch script.
 *
 * The script reads like the file: its leaves are tensors with the file's
 * names and values, and every node is one line of PyTorch, spelled by its
 * op's row of the registry, with a comment giving the node's name and
 * shape and an assert checking that shape.  Interior nodes keep their
 * gradients, the backward pass starts where eval's does, and a file that
 * trains takes the same gradient-descent steps.  Helpers for the
 * language's own ops (hom, vec, conv2d of 2-D inputs, ...) come from
 * export_prelude.py, only those the script uses.
 */
#include "export_torch.h"

#include "format.h"
#include "report_values.h"

#include <math.h>
#include <string.h>

static const char prelude[] =
#include "export_prelude.inc"
    ;

/* ---- Python names ----------------------------------------------------------------- */

/* Names a script cannot give a tensor: Python's keywords and the names it
 * uses itself. */
static const char *const taken_names[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "torch", "F", "json",
    "math", "sys", "forward", "main", "as_json", "show", "NODES", "ROOT", "LOSS", "LR", "STEPS", "PARAMS",
    "transpose", "vec", "hom", "dehom", "as4d", "from4d", "conv2d", "maxpool2d", "avgpool2d", "cross_entropy",
    "print", "range", "len", "float", "int", "list", "tuple", "dict", "str", "t",
};

typedef struct Namer {
    char **py;        /* per node id */
    size_t count;
} Namer;

static bool name_used(const Namer *nm, const char *s)
{
    for (size_t i = 0; i < sizeof taken_names / sizeof taken_names[0]; i++)
        if (!strcmp(taken_names[i], s)) return true;
    for (size_t i = 0; i < nm->count; i++)
        if (nm->py[i] && !strcmp(nm->py[i], s)) return true;
    return false;
}

/* The file's name where Python allows it (c' is c_1), else the name with
 * underscores added until it is free; t<id> for an unnamed node. */
static void name_nodes(Namer *nm, const Graph *g)
{
    nm->count = g->count;
    nm->py = gvl_xcalloc(g->count ? g->count : 1, sizeof *nm->py);
    StrBuf b = {0};
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        gvl_sb_clear(&b);
        if (n->named && gvl_node_scope(n)) {
            /* h2/h, inside the call h2, is h2_h */
            StrBuf plain = {0};
            gvl_fmt_plain_name(&plain, g, n);
            for (const char *c = gvl_sb_str(&plain); *c; c++)
                gvl_sb_putc(&b, (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ? *c : '_');
            gvl_sb_free(&plain);
        } else if (n->named) {
            gvl_sb_addn(&b, gvl_graph_text(g, n->name), n->name.len);
        } else {
            gvl_sb_printf(&b, "t%zu", i);
        }
        if (n->named && n->version) gvl_sb_printf(&b, "_%u", n->version);
        while (name_used(nm, gvl_sb_str(&b))) gvl_sb_putc(&b, '_');
        nm->py[i] = strdup(gvl_sb_str(&b));
        if (!nm->py[i]) gvl_out_of_memory();
    }
    gvl_sb_free(&b);
}

static void namer_free(Namer *nm)
{
    for (size_t i = 0; i < nm->count; i++) free(nm->py[i]);
    free(nm->py);
}

/* ---- Python literals ---------------------------------------------------------------- */

/* TEXT as a Python string literal. */
static void py_string(StrBuf *out, const char *text)
{
    gvl_sb_putc(out, '"');
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\') gvl_sb_printf(out, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f) gvl_sb_printf(out, "\\x%02x", *p);
        else gvl_sb_putc(out, (char)*p);
    }
    gvl_sb_putc(out, '"');
}

/* TEXT inside the script's docstring: a file called x""".graph must not
 * end it (and run the rest of its name as code), nor a backslash start an
 * escape.  The name is already free of controls (terminal.h). */
static void py_docstring_text(StrBuf *out, const char *text)
{
    for (const char *p = text; *p; p++) {
        if (*p == '"' || *p == '\\') gvl_sb_putc(out, '\\');
        gvl_sb_putc(out, *p);
    }
}

/* X as a Python float that reads back exactly. */
static void py_float(StrBuf *out, double x)
{
    if (isnan(x)) {
        gvl_sb_add(out, "math.nan");
        return;
    }
    if (isinf(x)) {
        gvl_sb_add(out, x > 0 ? "math.inf" : "-math.inf");
        return;
    }
    size_t at = out->len;
    gvl_fmt_exact(out, x);
    if (!strpbrk(gvl_sb_str(out) + at, ".e")) gvl_sb_add(out, ".0");
}

/* T's values as nested lists, PyTorch's tolist() layout. */
static void py_values(StrBuf *out, const Tensor *t, int k, int64_t off, int64_t stride)
{
    if (t->ndim == 0) {
        py_float(out, t->data[0]);
        return;
    }
    int64_t inner = stride / (t->dims[k] ? t->dims[k] : 1);
    gvl_sb_putc(out, '[');
    for (int64_t i = 0; i < t->dims[k]; i++) {
        if (i) gvl_sb_add(out, ", ");
        if (k == t->ndim - 1) py_float(out, t->data[off + i]);
        else py_values(out, t, k + 1, off + i * inner, inner);
    }
    gvl_sb_putc(out, ']');
}

/* "(2, 1)", "()", "(3,)": a shape as a Python tuple. */
static void py_shape(StrBuf *out, const Tensor *t)
{
    gvl_sb_putc(out, '(');
    for (int k = 0; k < t->ndim; k++) gvl_sb_printf(out, "%s%lld", k ? ", " : "", (long long)t->dims[k]);
    if (t->ndim == 1) gvl_sb_putc(out, ',');
    gvl_sb_putc(out, ')');
}

/* A parameter's value as Python: (1, 1), 'same', -1, (4, 1), 0.01. */
static void py_param(StrBuf *out, const OpAttrs *at, const ParamSpec *p)
{
    const void *f = gvl_param_field_const(at, p);
    switch (p->type) {
    case PT_DIM: gvl_sb_printf(out, "%lld", (long long)((const GvlOptInt *)f)->v); break;
    case PT_REAL: py_float(out, *(const GvlReal *)f); break;
    case PT_PAIR: {
        const int64_t *v = *(const GvlPair *)f;
        gvl_sb_printf(out, "(%lld, %lld)", (long long)v[0], (long long)v[1]);
        break;
    }
    case PT_PAD: {
        const GvlPad *v = f;
        if (v->same) gvl_sb_add(out, "'same'");
        else gvl_sb_printf(out, "(%lld, %lld)", (long long)v->v[0], (long long)v->v[1]);
        break;
    }
    case PT_SHAPE: {
        const GvlShapeArg *v = f;
        gvl_sb_putc(out, '(');
        for (int i = 0; i < v->n; i++) gvl_sb_printf(out, "%s%lld", i ? ", " : "", (long long)v->d[i]);
        if (v->n == 1) gvl_sb_putc(out, ',');
        gvl_sb_putc(out, ')');
        break;
    }
    case PT_COUNT: break;
    }
}

/* True when the parameter has a value to pass ({,name} leaves unset ones out). */
static bool param_set(const OpAttrs *at, const ParamSpec *p)
{
    return p->type != PT_DIM || ((const GvlOptInt *)gvl_param_field_const(at, p))->set;
}

/* N's line of PyTorch: the registry's spelling with the operands' and
 * parameters' values put in. */
static void py_expr(StrBuf *out, const Namer *nm, const Node *n)
{
    const OpInfo *info = &gvl_op_table[n->op];
    for (const char *p = info->torch; *p; p++) {
        const char *end = p[0] == '{' ? strchr(p, '}') : NULL;
        if (!end) {
            gvl_sb_putc(out, *p);
            continue;
        }
        bool comma = p[1] == ',';
        const char *name = p + 1 + comma;
        size_t len = (size_t)(end - name);
        if (len == 1 && name[0] >= '0' && name[0] <= '9') {
            gvl_sb_add(out, nm->py[n->src[name[0] - '0']->id]);
        } else {
            for (int k = 0; k < info->nparams; k++) {
                const ParamSpec *ps = &info->params[k];
                if (strlen(ps->name) != len || memcmp(ps->name, name, len)) continue;
                if (comma && !param_set(n->attrs, ps)) break;
                if (comma) gvl_sb_printf(out, ", %s=", ps->name);
                py_param(out, n->attrs, ps);
            }
        }
        p = end;
    }
}

/* ---- the helpers a script uses ---------------------------------------------------------- */

/* The block of export_prelude.py that defines NAME ("def NAME(" to the
 * next blank line before a def), or NULL. */
static const char *helper(const char *name, size_t *len)
{
    StrBuf head = {0};
    gvl_sb_printf(&head, "\ndef %s(", name);
    const char *at = strstr(prelude, gvl_sb_str(&head));
    gvl_sb_free(&head);
    if (!at) return NULL;
    at++;
    const char *end = strstr(at, "\n\n\ndef ");
    *len = end ? (size_t)(end - at) + 1 : strlen(at);
    return at;
}

/* Every helper that CODE calls, and those they call, in the prelude's order. */
static void add_helpers(StrBuf *out, const char *code)
{
    static const char *const names[] = {"transpose", "vec", "hom", "dehom", "as4d", "from4d", "conv2d",
                                        "maxpool2d", "avgpool2d", "cross_entropy"};
    enum { NH = sizeof names / sizeof names[0] };
    bool used[NH] = {false};
    StrBuf all = {0};
    gvl_sb_add(&all, code);
    for (bool grew = true; grew;) {
        grew = false;
        for (int i = 0; i < NH; i++) {
            if (used[i]) continue;
            StrBuf call = {0};
            gvl_sb_printf(&call, "%s(", names[i]);
            const char *hit = strstr(gvl_sb_str(&all), gvl_sb_str(&call));
            /* a call, not the end of a longer name (avgpool2d, not pool2d) */
            while (hit && hit > gvl_sb_str(&all) && (hit[-1] == '_' || hit[-1] == '.' ||
                   (hit[-1] >= 'a' && hit[-1] <= 'z') || (hit[-1] >= '0' && hit[-1] <= '9')))
                hit = strstr(hit + 1, gvl_sb_str(&call));
            gvl_sb_free(&call);
            size_t len;
            const char *block = hit ? helper(names[i], &len) : NULL;
            if (!block) continue;
            used[i] = grew = true;
            gvl_sb_addn(&all, block, len);
        }
    }
    gvl_sb_free(&all);
    for (int i = 0; i < NH; i++) {
        size_t len;
        const char *block = used[i] ? helper(names[i], &len) : NULL;
        if (block) {
            gvl_sb_addn(out, block, len);
            gvl_sb_add(out, "\n\n");
        }
    }
}

/* ---- the script --------------------------------------------------------------------- */

/* CODE padded to COL, then "# COMMENT". */
static void line_with_comment(StrBuf *out, const char *code, const char *comment, int col)
{
    size_t at = out->len;
    gvl_sb_add(out, code);
    int w = (int)(out->len - at);
    gvl_sb_printf(out, "%*s# %s\n", w < col ? col - w : 2, "", comment);
}

static void index_or_none(StrBuf *out, const Node *n)
{
    if (n) gvl_sb_printf(out, "%u", n->id);
    else gvl_sb_add(out, "None");
}

void gvl_export_torch(StrBuf *out, const Graph *g, const Values *v, const ExportOptions *eo)
{
    Namer nm;
    name_nodes(&nm, g);
    StrBuf code = {0}, line = {0}, comment = {0}, file = {0};
    py_string(&file, g->src->name);
    /* the leaves */
    gvl_sb_add(&code, "# The leaves, with the file's values (each declared one takes a gradient, as in eval;\n# a number written in an expression does not).\n");
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        if (n->kind == NK_OP) continue;
        gvl_sb_clear(&line);
        gvl_sb_printf(&line, "%s = torch.tensor(", nm.py[i]);
        py_values(&line, v->val[i], 0, 0, v->val[i]->numel);
        /* a number literal takes no gradient, as a Python number would not */
        gvl_sb_add(&line, n->literal ? ")" : ", requires_grad=True)");
        gvl_sb_clear(&comment);
        gvl_sb_printf(&comment, "%s ", gvl_node_kind_names[n->kind]);
        gvl_fmt_display_name(&comment, g, n);
        gvl_sb_add(&comment, ": ");
        gvl_fmt_shape(&comment, g, &n->shape, true);
        line_with_comment(&code, gvl_sb_str(&line), gvl_sb_str(&comment), 48);
    }
    gvl_sb_add(&code, "PARAMS = [");
    bool first = true;
    for (size_t i = 0; i < g->count; i++)
        if (g->nodes[i]->kind == NK_PARAM) {
            gvl_sb_printf(&code, "%s%s", first ? "" : ", ", nm.py[i]);
            first = false;
        }
    gvl_sb_add(&code, "]\n\n\n");
    /* the ops */
    gvl_sb_add(&code, "def forward():\n    \"\"\"Every node, in the order of graphviz-lab eval; the interior ones keep their "
                      "gradients.\"\"\"\n");
    bool *takes = gvl_graph_differentiable(g);
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        if (n->kind != NK_OP) continue;
        gvl_sb_clear(&line);
        gvl_sb_printf(&line, "    %s = ", nm.py[i]);
        py_expr(&line, &nm, n);
        gvl_sb_clear(&comment);
        gvl_fmt_display_name(&comment, g, n);
        gvl_sb_add(&comment, ": ");
        gvl_fmt_shape(&comment, g, &n->shape, true);
        line_with_comment(&code, gvl_sb_str(&line), gvl_sb_str(&comment), 52);
        gvl_sb_printf(&code, "    assert %s.shape == ", nm.py[i]);
        py_shape(&code, v->val[i]);
        gvl_sb_add(&code, "\n");
        /* an op on number literals alone takes no gradient (2 * pi) */
        if (takes[i]) gvl_sb_printf(&code, "    %s.retain_grad()\n", nm.py[i]);
    }
    free(takes);
    gvl_sb_add(&code, "    return [");
    for (size_t i = 0; i < g->count; i++) gvl_sb_printf(&code, "%s%s", i ? ", " : "", nm.py[i]);
    gvl_sb_add(&code, "]\n\n\n");
    /* the header, then the helpers the code calls */
    gvl_sb_add(out, "#!/usr/bin/env python3\n\"\"\"");
    py_docstring_text(out, g->src->name);
    gvl_sb_add(out, " recomputed with PyTorch in float64, written by graphviz-lab export --torch.\n\n");
    gvl_sb_add(out, "    python3 SCRIPT          every node's value and gradient, in the order of graphviz-lab eval\n"
                    "    python3 SCRIPT --json   the same as JSON, with the keys of graphviz-lab eval --json");
    if (eo->train) gvl_sb_add(out, "\n                            and the lr and steps of graphviz-lab train --json");
    gvl_sb_add(out, "\n\"\"\"\nimport json\nimport math\nimport sys\n\nimport torch\nimport torch.nn.functional as F\n\n"
                    "torch.set_default_dtype(torch.float64)\n\n\n");
    add_helpers(out, gvl_sb_str(&code));
    gvl_sb_add(out, gvl_sb_str(&code));
    /* what graphviz-lab prints for each node, and the run */
    gvl_sb_add(out, "# Each node as graphviz-lab names it: name, display name, kind, op, shape.\nNODES = [\n");
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        StrBuf a = {0}, b = {0};
        gvl_fmt_plain_name(&a, g, n);
        gvl_fmt_display_name(&b, g, n);
        gvl_sb_add(out, "    (");
        py_string(out, gvl_sb_str(&a));
        gvl_sb_add(out, ", ");
        py_string(out, gvl_sb_str(&b));
        gvl_sb_printf(out, ", \"%s\", ", gvl_node_kind_names[n->kind]);
        if (n->op >= 0) gvl_sb_printf(out, "\"%s\", [", gvl_node_op_name(n));
        else gvl_sb_add(out, "None, [");
        for (int k = 0; k < v->val[i]->ndim; k++) gvl_sb_printf(out, "%s%lld", k ? ", " : "", (long long)v->val[i]->dims[k]);
        gvl_sb_add(out, "]),\n");
        gvl_sb_free(&a);
        gvl_sb_free(&b);
    }
    gvl_sb_add(out, "]\nROOT = ");
    index_or_none(out, eo->root);
    gvl_sb_add(out, "        # the node the gradients are of\nLOSS = ");
    index_or_none(out, g->loss);
    gvl_sb_add(out, "        # the loss (what optimize minimises)\n");
    if (eo->train) {
        gvl_sb_add(out, "LR, STEPS = ");
        py_float(out, eo->lr);
        gvl_sb_printf(out, ", %lld\n", (long long)eo->steps);
    } else {
        gvl_sb_add(out, "LR, STEPS = None, 0   # the file does not train\n");
    }
    gvl_sb_add(out,
               "\n\n"
               "def as_json(t):\n"
               "    \"\"\"A tensor as graphviz-lab prints it: tolist(), NaN and infinities as strings.\"\"\"\n"
               "    if t is None:\n"
               "        return None\n"
               "\n"
               "    def number(x):\n"
               "        if math.isnan(x):\n"
               "            return \"nan\"\n"
               "        if math.isinf(x):\n"
               "            return \"inf\" if x > 0 else \"-inf\"\n"
               "        return x\n"
               "\n"
               "    def walk(v):\n"
               "        return [walk(e) for e in v] if isinstance(v, list) else number(v)\n"
               "\n"
               "    return walk(t.detach().tolist())\n"
               "\n"
               "\n"
               "def main():\n"
               "    nodes = forward()\n"
               "    if ROOT is not None and nodes[ROOT].requires_grad:\n"
               "        nodes[ROOT].backward()\n"
               "    out = {\"nodes\": [{\"name\": name, \"display_name\": shown, \"kind\": kind, \"op\": op, \"shape\": shape,\n"
               "                       \"value\": as_json(t), \"grad\": as_json(t.grad)}\n"
               "                      for (name, shown, kind, op, shape), t in zip(NODES, nodes)],\n"
               "           \"loss\": NODES[LOSS][0] if LOSS is not None else None,\n"
               "           \"loss_value\": as_json(nodes[LOSS].reshape(())) if LOSS is not None else None}\n"
               "    if STEPS:\n"
               "        out[\"lr\"], out[\"steps\"] = LR, []\n"
               "        for step in range(1, STEPS + 1):\n"
               "            for p in PARAMS:\n"
               "                p.grad = None\n"
               "            loss = forward()[LOSS]\n"
               "            if loss.requires_grad:\n"
               "                loss.backward()\n"
               "            with torch.no_grad():\n"
               "                for p in PARAMS:\n"
               "                    if p.grad is not None:\n"
               "                        p -= LR * p.grad\n"
               "            out[\"steps\"].append({\"step\": step, \"loss\": as_json(loss.reshape(())),\n"
               "                                 \"params\": {NODES[i][0]: as_json(t) for i, t in enumerate(nodes)\n"
               "                                            if NODES[i][2] == \"param\"}})\n"
               "    if \"--json\" in sys.argv[1:]:\n"
               "        print(json.dumps(out))\n"
               "        return\n");
    gvl_sb_add(out, "    print(\"Values of \" + ");
    gvl_sb_add(out, gvl_sb_str(&file));
    gvl_sb_add(out, " + \", from PyTorch\")\n"
               "    for node in out[\"nodes\"]:\n"
               "        print()\n"
               "        print(\"%s  (%s%s, %s)\" % (node[\"display_name\"], node[\"kind\"], \" \" + node[\"op\"] if node[\"op\"] else \"\",\n"
               "                                  node[\"shape\"]))\n"
               "        print(\"  value \", node[\"value\"])\n"
               "        if node[\"grad\"] is not None:\n"
               "            print(\"  grad  \", node[\"grad\"])\n"
               "    for step in out.get(\"steps\", []):\n"
               "        print()\n"
               "        print(\"step %d: loss %s before the step; after it:\" % (step[\"step\"], step[\"loss\"]))\n"
               "        for name, value in step[\"params\"].items():\n"
               "            print(\"  %s = %s\" % (name, value))\n"
               "\n"
               "\n"
               "if __name__ == \"__main__\":\n"
               "    main()\n");
    gvl_sb_free(&code);
    gvl_sb_free(&line);
    gvl_sb_free(&comment);
    gvl_sb_free(&file);
    namer_free(&nm);
}
