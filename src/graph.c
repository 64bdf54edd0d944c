/*
 * graph.c - the IR's lifetime, node creation and lookup by name.
 */
#include "graph.h"

#include "format.h"

#include <string.h>

const char *const gvl_node_kind_names[] = {
    [NK_INPUT] = "input", [NK_PARAM] = "param", [NK_CONST] = "const", [NK_LABEL] = "label", [NK_OP] = "op",
};
_Static_assert(sizeof gvl_node_kind_names / sizeof gvl_node_kind_names[0] == NK_COUNT, "a name per kind");

void gvl_graph_open(Graph *g, const Source *src, DiagSink *diag)
{
    memset(g, 0, sizeof *g);
    g->src = src;
    g->diag = diag;
    gvl_arena_init(&g->arena);
    gvl_dimtab_init(&g->dims, src->text);
    gvl_names_init(&g->names, src->text);
    gvl_names_init(&g->symbols, src->text);
    gvl_names_init(&g->aliases, src->text);
    g->lr = 0.1;
    g->steps = 1;
    g->max_nodes = GRAPH_MAX_NODES;
    g->max_line = GRAPH_MAX_LINE;
}

void gvl_graph_free(Graph *g)
{
    gvl_arena_free(&g->arena);
    free(g->nodes);
    free(g->calls);
    gvl_names_free(&g->names);
    gvl_names_free(&g->symbols);
    gvl_names_free(&g->aliases);
    gvl_dimtab_free(&g->dims);
    memset(g, 0, sizeof *g);
}

Node *gvl_graph_add(Graph *g, NodeKind kind, int op, Span name, Span loc)
{
    Node *n = gvl_arena_alloc(&g->arena, sizeof *n);
    n->id = (uint32_t)g->count;
    n->kind = kind;
    n->op = op;
    n->name = name;
    n->loc = loc;
    n->call = g->inlining;
    if ((int64_t)g->count == g->max_nodes && !g->too_many_nodes) {
        /* the statement being lowered finishes; no further one is read */
        gvl_diag_error(g->diag, loc, "the graph has more than %lld nodes; raise the limit with --max-nodes N",
                       (long long)g->max_nodes);
        g->too_many_nodes = true;
    }
    VEC_PUSH(g->nodes, g->count, g->cap, n);
    return n;
}

const Node *gvl_graph_lookup(const Graph *g, const char *name, size_t len)
{
    const NameSlot *e = gvl_names_find(&g->names, name, len);
    return e ? e->node : NULL;
}

Node *gvl_graph_lookup_mut(Graph *g, const char *name, size_t len)
{
    const NameSlot *e = gvl_names_find(&g->names, name, len);
    return e ? e->node : NULL;
}

/* ROOT and what it depends on, along every edge or (GRADIENT) only along
 * those a gradient flows back through: one sweep in reverse order, since
 * operands always come before their users. */
static bool *ancestors(const Graph *g, const Node *root, bool gradient)
{
    bool *mark = gvl_xcalloc(g->count ? g->count : 1, sizeof *mark);
    mark[root->id] = true;
    for (size_t i = root->id + 1; i-- > 0;)
        if (mark[i])
            for (int k = 0; k < g->nodes[i]->nsrc; k++)
                if (!gradient || gvl_node_edge_differentiable(g->nodes[i], k)) mark[g->nodes[i]->src[k]->id] = true;
    return mark;
}

bool *gvl_graph_ancestors(const Graph *g, const Node *root)
{
    return ancestors(g, root, false);
}

bool gvl_node_edge_differentiable(const Node *n, int k)
{
    return gvl_op_table[n->op].jac[k] != JAC_NO_GRADIENT;
}

bool *gvl_graph_differentiable(const Graph *g)
{
    /* one sweep forward: operands always come before their users */
    bool *mark = gvl_xcalloc(g->count ? g->count : 1, sizeof *mark);
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        mark[i] = n->kind != NK_OP && !(n->kind == NK_CONST && n->literal);
        for (int k = 0; k < n->nsrc; k++)
            mark[i] = mark[i] || (mark[n->src[k]->id] && gvl_node_edge_differentiable(n, k));
    }
    return mark;
}

bool *gvl_graph_gradient_nodes(const Graph *g, const Node *root)
{
    bool *mark = ancestors(g, root, true), *takes = gvl_graph_differentiable(g);
    for (size_t i = 0; i < root->id; i++) mark[i] = mark[i] && takes[i];
    free(takes);
    return mark;
}

int *gvl_graph_use_counts(const Graph *g)
{
    int *uses = gvl_xcalloc(g->count ? g->count : 1, sizeof *uses);
    for (size_t i = 0; i < g->count; i++)
        for (int k = 0; k < g->nodes[i]->nsrc; k++)
            if (gvl_node_first_use(g->nodes[i], k)) uses[g->nodes[i]->src[k]->id]++;
    return uses;
}

bool gvl_node_first_use(const Node *n, int k)
{
    for (int j = 0; j < k; j++)
        if (n->src[j] == n->src[k]) return false;
    return true;
}

/* h2/h, h2/h': a node named inside a call, as the tables write it (the
 * name table holds only the file's own names). */
static const Node *find_in_calls(const Graph *g, const char *name)
{
    if (!strchr(name, '/')) return NULL;
    StrBuf b = {0};
    const Node *found = NULL;
    for (size_t i = 0; i < g->count && !found; i++) {
        const Node *n = g->nodes[i];
        if (!n->named || !gvl_node_scope(n)) continue;
        gvl_sb_clear(&b);
        gvl_fmt_display_name(&b, g, n);
        if (!strcmp(gvl_sb_str(&b), name)) found = n;
    }
    gvl_sb_free(&b);
    return found;
}

const Node *gvl_graph_find(const Graph *g, const char *name)
{
    const Node *in_call = find_in_calls(g, name);
    if (in_call) return in_call;
    size_t len = strlen(name);
    uint32_t version = 0;
    while (len > 0 && name[len - 1] == '\'') {
        len--;
        version++;
    }
    const Node *n = gvl_graph_lookup(g, name, len);
    if (!n && version == 0) {
        const NameSlot *a = gvl_names_find(&g->aliases, name, len);
        return a ? a->node : NULL;
    }
    /* the tables' names: c is the first version, c' the second */
    while (n && n->version > version) {
        const Node *older = NULL;
        for (size_t i = n->id; i-- > 0 && !older;) {
            const Node *m = g->nodes[i];
            if (m->named && m->version == version && m->name.len == len && !memcmp(gvl_graph_text(g, m->name), name, len))
                older = m;
        }
        n = older;
    }
    return n && n->version == version ? n : NULL;
}
