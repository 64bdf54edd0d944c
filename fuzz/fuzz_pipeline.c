/*
 * fuzz_pipeline.c - libFuzzer harness driving the whole pipeline from
 * arbitrary bytes: parse, shape-check, every report, and, when the shapes
 * allow it, evaluation, gradients, two training steps and the diagram as
 * DOT.  Build and run it with fuzz/run.sh (or `make fuzz`).
 *
 * Limits are kept small (4096 elements per tensor) so that each input runs
 * in milliseconds; the limits themselves are part of what is tested.
 */
#include "autodiff.h"
#include "explain.h"
#include "export_torch.h"
#include "frontend.h"
#include "graph.h"
#include "render.h"
#include "report.h"
#include "report_values.h"
#include "train.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

static FILE *sink;

static void reports(const Graph *g)
{
    Options o;
    memset(&o, 0, sizeof o);
    static const Format formats[] = {FMT_TEXT, FMT_MD, FMT_CSV, FMT_LATEX, FMT_JSON};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        o.format = formats[i];
        gvl_report_check(g, &o, sink);
        gvl_report_dims(g, &o, g->loss, sink);
    }
}

static void numbers(const Graph *g)
{
    EvalOptions eo = {true, 1, 4096, 1 << 16, false, 0};
    Values v;
    if (gvl_values_init(&v, g, &eo)) {
        gvl_values_forward(&v);
        if (g->loss) gvl_values_backward(&v, g->loss);
        cJSON_Delete(gvl_eval_json(g, &v));
        Options o;
        memset(&o, 0, sizeof o);
            gvl_report_eval(&v, &o, sink);
        RenderOptions ro = {"dot", "dot", "LR", true, true, true, true, false, 4, 0};
        RenderNotes notes;
        Agraph_t *ag = gvl_render_build(g, &v, NULL, &ro, &notes);
        agwrite(ag, sink);
        agclose(ag);
        if (g->loss) {
            /* explain the first node the loss depends on, in every format, and export */
            bool *dep = gvl_graph_ancestors(g, g->loss);
            for (size_t i = 0; i < g->loss->id; i++) {
                if (!dep[i]) continue;
                Explanation e;
                StrBuf err = {0};
                if (gvl_explain_build(&e, g, &v, g->loss, g->nodes[i], 4, &err)) {
                    static const Format fs[] = {FMT_TEXT, FMT_MD, FMT_LATEX, FMT_JSON};
                    for (size_t f = 0; f < 4; f++) {
                        o.format = fs[f];
                        gvl_explain_report(&e, &o, sink);
                    }
                }
                gvl_explain_free(&e);
                gvl_sb_free(&err);
                break;
            }
            free(dep);
            StrBuf script = {0};
            ExportOptions xo = {g->loss, true, 0.1, 2};
            gvl_export_torch(&script, g, &v, &xo);
            fwrite(script.s, 1, script.len, sink);
            gvl_sb_free(&script);
        }
        if (g->loss && v.pool.live < 2048) gvl_train_run(&v, g->loss, 0.1, 2, NULL, NULL);
    }
    gvl_values_free(&v);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (!sink) sink = fopen("/dev/null", "w");
    Source src;
    gvl_source_from_string(&src, "fuzz.graph", (const char *)data, size);
    DiagSink d;
    gvl_diag_init(&d, &src);
    Graph g;
    gvl_graph_open(&g, &src, &d);
    bool ok = gvl_frontend_build(&g);
    if (ok) {
        reports(&g);
        numbers(&g);
        RenderOptions ro = {"dot", "dot", "TB", false, false, true, false, true, 4, 0};
        RenderNotes notes;
        Agraph_t *ag = gvl_render_build(&g, NULL, NULL, &ro, &notes);
        agwrite(ag, sink);
        agclose(ag);
    }
    gvl_diag_sort(&d);
    gvl_diag_flush(&d, sink);
    cJSON_Delete(gvl_diag_to_json(&d));
    gvl_graph_free(&g);
    gvl_diag_free(&d);
    gvl_source_free(&src);
    return 0;
}
