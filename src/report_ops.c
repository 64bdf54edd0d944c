/*
 * report_ops.c - the op reference, one row per row of ops.def.
 *
 * Nothing here knows any op: every cell comes from the registry, so the
 * reference (and docs/ops.md, which is this command's Markdown output)
 * cannot drift from what the program accepts.
 */
#include "report_ops.h"

#include "arena.h"
#include "ops.h"
#include "report_table.h"
#include "strbuf.h"
#include "json_writer.h"

#include <cjson/cJSON.h>
#include <string.h>

/* "stride=1, padding=0" with "kernel_size (required)" for required ones. */
static const char *params_cell(Arena *a, const OpInfo *info)
{
    StrBuf b = {0};
    for (int i = 0; i < info->nparams; i++) {
        const ParamSpec *p = &info->params[i];
        if (i) gvl_sb_add(&b, ", ");
        if (gvl_param_is_required(p)) gvl_sb_printf(&b, "%s (required)", p->name);
        else if (!p->def) gvl_sb_printf(&b, "%s (optional)", p->name);
        else if (p->def[0] == '=') gvl_sb_printf(&b, "%s=%s", p->name, p->def + 1);
        else gvl_sb_printf(&b, "%s=%s", p->name, p->def);
    }
    if (!info->nparams) gvl_sb_add(&b, "-");
    const char *s = gvl_sb_arena(&b, a);
    gvl_sb_free(&b);
    return s;
}

/* "a + b" or "conv2d(x, w, ...), conv(...)": the usage, then the alias. */
static const char *written_cell(Arena *a, const OpInfo *info)
{
    if (info->alias) return gvl_arena_printf(a, "%s; also %s(...)", info->usage, info->alias);
    if (info->overload_op >= 0)
        return gvl_arena_printf(a, "%s; with %d arguments, %s", info->usage, info->overload_npos,
                                gvl_op_table[info->overload_op].usage);
    return info->usage;
}

/* "diag: diag(cos({0}))", one per operand. */
static const char *jac_cell(Arena *a, const OpInfo *info)
{
    StrBuf b = {0};
    for (int k = 0; k < info->max_args; k++) {
        if (k) gvl_sb_add(&b, "; ");
        gvl_sb_add(&b, gvl_jac_names[info->jac[k]]);
        if (info->jac_note[k]) gvl_sb_printf(&b, ": %s", info->jac_note[k]);
    }
    const char *s = gvl_sb_arena(&b, a);
    gvl_sb_free(&b);
    return s;
}

static int ops_json(FILE *out)
{
    cJSON *j = cJSON_CreateObject();
    cJSON *ops = cJSON_AddArrayToObject(j, "ops");
    for (int i = 0; i < OP_COUNT; i++) {
        const OpInfo *info = &gvl_op_table[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", info->name);
        if (info->symbol) cJSON_AddStringToObject(o, "symbol", info->symbol);
        else cJSON_AddNullToObject(o, "symbol");
        if (info->alias) cJSON_AddStringToObject(o, "alias", info->alias);
        else cJSON_AddNullToObject(o, "alias");
        cJSON_AddNumberToObject(o, "min_args", info->min_args);
        cJSON_AddNumberToObject(o, "max_args", info->max_args);
        cJSON *params = cJSON_AddArrayToObject(o, "params");
        for (int k = 0; k < info->nparams; k++) {
            const ParamSpec *p = &info->params[k];
            cJSON *pj = cJSON_CreateObject();
            cJSON_AddStringToObject(pj, "name", p->name);
            cJSON_AddStringToObject(pj, "type", gvl_param_type_desc[p->type]);
            cJSON_AddBoolToObject(pj, "required", gvl_param_is_required(p));
            if (p->def && !gvl_param_is_required(p)) cJSON_AddStringToObject(pj, "default", p->def);
            else cJSON_AddNullToObject(pj, "default");
            cJSON_AddItemToArray(params, pj);
        }
        cJSON *jac = cJSON_AddArrayToObject(o, "jacobian");
        for (int k = 0; k < info->max_args; k++) {
            cJSON *f = cJSON_CreateObject();
            cJSON_AddStringToObject(f, "structure", gvl_jac_names[info->jac[k]]);
            if (info->jac_note[k]) cJSON_AddStringToObject(f, "matrix", info->jac_note[k]);
            else cJSON_AddNullToObject(f, "matrix");
            cJSON_AddItemToArray(jac, f);
        }
        cJSON_AddStringToObject(o, "usage", info->usage);
        cJSON_AddStringToObject(o, "torch", info->torch);
        cJSON_AddStringToObject(o, "doc", info->doc);
        cJSON_AddItemToArray(ops, o);
    }
    gvl_jw_print_tree(out, j, true);
    return 0;
}

int gvl_report_ops(const Options *o, FILE *out)
{
    if (o->format == FMT_JSON) return ops_json(out);
    if (o->format == FMT_MD)
        fputs("# Every op\n\n"
              "What `graphviz-lab ops --format md` prints: one row per op of the registry (`src/ops.def`),\n"
              "so this page is always the program's own list.  `docs/language.md` explains the ops by\n"
              "topic, with their shape rules and examples.  PyTorch spellings use `{0}`, `{1}` for the\n"
              "operands and `{name}` for a parameter; `hom`, `dehom`, `vec`, `transpose`, `conv2d`, the\n"
              "pools and `cross_entropy` are small helper functions in an exported script.  The Jacobian\n"
              "column gives the structure of d vec(out) / d vec(operand) for each operand, and the matrix\n"
              "in words (with `{0}`, `{1}` for the operands), as `graphviz-lab explain` shows it.\n\n", out);
    Arena a;
    gvl_arena_init(&a);
    static const char *const head[] = {"op", "written", "parameters", "PyTorch", "Jacobian", "meaning"};
    Table t;
    gvl_table_init(&t, o->format == FMT_MD ? NULL : "Every op", 6, head);
    for (int i = 0; i < OP_COUNT; i++) {
        const OpInfo *info = &gvl_op_table[i];
        const char *row[] = {info->name, written_cell(&a, info), params_cell(&a, info), info->torch,
                             jac_cell(&a, info), info->doc};
        gvl_table_add(&t, row);
        gvl_arena_reset(&a);
    }
    gvl_table_print(&t, o->format, out);
    gvl_table_free(&t);
    gvl_arena_free(&a);
    return 0;
}
