/*
 * autodiff.c - the reverse pass.
 *
 * Seeds dROOT/dROOT = 1 and walks the nodes backwards; each op's backward
 * kernel adds its vector-Jacobian product into its operands' gradients.
 * Only the nodes ROOT depends on get a gradient, so a loss over part of
 * the graph costs only that part.
 */
#include "autodiff.h"

#include <string.h>

#include "kernels.h"

#include <math.h>
#include <stdlib.h>

static bool all_finite(const Tensor *t)
{
    for (int64_t i = 0; i < t->numel; i++)
        if (!isfinite(t->data[i])) return false;
    return true;
}

bool gvl_values_backward(Values *v, const Node *root)
{
    const Graph *g = v->g;
    /* the nodes ROOT depends on that take a gradient (not number literals) */
    bool *need = gvl_graph_gradient_nodes(g, root);
    for (size_t i = 0; i < g->count; i++) {
        if (v->grad[i] && i <= root->id && need[i]) {
            /* a step of train: the same tensors again, zeroed, instead of
             * fresh pages for each (a tenth of a 1024x1024 matmul's step) */
            memset(v->grad[i]->data, 0, sizeof(double) * (size_t)v->grad[i]->numel);
            continue;
        }
        gvl_tensor_free(&v->pool, v->grad[i]);
        v->grad[i] = NULL;
    }
    v->root = root;
    for (size_t i = 0; i <= root->id; i++) {
        if (!need[i] || v->grad[i]) continue;
        v->grad[i] = gvl_tensor_like(&v->pool, v->val[i]);
        if (!v->grad[i]) {
            gvl_diag_error(g->diag, g->nodes[i]->loc, "cannot compute the gradient of '%s': %s",
                           gvl_name_text(&v->text, g, g->nodes[i]), v->pool.reason);
            free(need);
            return false;
        }
    }
    free(need);
    v->grad[root->id]->data[0] = 1.0;
    for (size_t i = root->id + 1; i-- > 0;) {
        const Node *n = g->nodes[i];
        if (!v->grad[i] || n->kind != NK_OP) continue;
        const Tensor *in[2] = {NULL, NULL};
        Tensor *gin[2] = {NULL, NULL};
        for (int k = 0; k < n->nsrc; k++) {
            in[k] = v->val[n->src[k]->id];
            gin[k] = v->grad[n->src[k]->id];
        }
        gvl_op_backward[n->op](n, in, v->val[i], v->grad[i], gin);
        /* name where a NaN or infinity first enters the gradients */
        if (!v->warned_backward && all_finite(v->grad[i])) {
            for (int k = 0; k < n->nsrc; k++) {
                if (!gin[k] || all_finite(gin[k])) continue;
                gvl_diag_warning(g->diag, n->loc, "%s: the gradient flowing back to '%s' contains NaN or infinity, "
                                 "first produced here (at '%s')", gvl_node_op_name(n),
                                 gvl_name_text(&v->text, g, n->src[k]), gvl_name_text(&v->text, g, n));
                v->warned_backward = true;
                break;
            }
        }
    }
    return true;
}
