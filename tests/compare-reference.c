/*
 * compare-reference REFERENCE.json EVAL.json [TRAIN.json]
 *
 * Checks graphviz-lab's `eval --json` (and `train --json`) output against the
 * PyTorch reference numbers in tests/reference/NAME.json (written by
 * tests/reference/make_reference.py).  Every node of the reference must be in
 * the output (matched by "display_name": c, c', c''), with the same shape,
 * value and gradient; grad null in the reference means null (or absent) in
 * the output.  Numbers agree when |a - b| <= 1e-12 + 1e-9 |b|; NaN equals
 * NaN and an infinity equals the same-signed infinity.  Non-finite numbers
 * are accepted as the strings "NaN", "Infinity", "-Infinity" (also "nan",
 * "inf", "-inf") and null as NaN (what cJSON prints for NaN).
 *
 * Each mismatch is printed as `NAME.graph: node c': value[1][0] = X, expected Y`.
 * Exit 0 when everything agrees, 1 on any mismatch, 2 on unreadable or
 * malformed input.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ABS_TOL 1e-12
#define REL_TOL 1e-9
#define MAX_RANK 16
#define MAX_REPORT 8            /* element mismatches printed per tensor */

static const char *graph = "?";  /* NAME.graph, from the reference */
static int mismatches;

static void malformed(const char *file, const char *what)
{
    fprintf(stderr, "compare-reference: %s: %s\n", file, what);
    exit(2);
}

static cJSON *load(const char *file)
{
    FILE *f = fopen(file, "rb");
    if (!f) {
        perror(file);
        exit(2);
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    if (!buf || ferror(f)) {
        fclose(f);
        malformed(file, "cannot read");
    }
    fclose(f);
    buf[len] = '\0';
    cJSON *j = cJSON_Parse(buf);
    if (!j) {
        const char *at = cJSON_GetErrorPtr();
        fprintf(stderr, "compare-reference: %s: not valid JSON near offset %ld\n", file,
                at ? (long)(at - buf) : -1L);
        free(buf);
        exit(2);
    }
    free(buf);
    return j;
}

/* A scalar element: a number, a non-finite spelled as a string, or null (NaN).
 * Returns 0 and sets *out, or -1 when it is no number at all. */
static int scalar(const cJSON *v, double *out)
{
    if (cJSON_IsNumber(v)) {
        *out = v->valuedouble;
        return 0;
    }
    if (cJSON_IsNull(v)) {
        *out = NAN;
        return 0;
    }
    if (cJSON_IsString(v)) {
        const char *s = v->valuestring;
        if (!strcasecmp(s, "NaN")) {
            *out = NAN;
            return 0;
        }
        if (!strcasecmp(s, "Infinity") || !strcasecmp(s, "inf") || !strcasecmp(s, "+inf")) {
            *out = INFINITY;
            return 0;
        }
        if (!strcasecmp(s, "-Infinity") || !strcasecmp(s, "-inf")) {
            *out = -INFINITY;
            return 0;
        }
    }
    return -1;
}

static int same_number(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    if (isinf(a) || isinf(b))
        return a == b;
    return fabs(a - b) <= ABS_TOL + REL_TOL * fabs(b);
}

/* The shape of a nested array; -1 if it is ragged or holds a non-number. */
static int shape_of(const cJSON *v, int *dims, int depth)
{
    if (!cJSON_IsArray(v)) {
        double d;
        return scalar(v, &d) == 0 ? 0 : -1;
    }
    if (depth >= MAX_RANK)
        return -1;
    int n = cJSON_GetArraySize(v), rank = -1;
    int sub[MAX_RANK];
    dims[0] = n;
    if (n == 0)
        return 1;
    for (const cJSON *c = v->child; c; c = c->next) {
        int r = shape_of(c, sub, depth + 1);
        if (r < 0)
            return -1;
        if (rank < 0) {
            rank = r;
            memcpy(dims + 1, sub, sizeof(int) * (size_t)r);
        } else if (r != rank || memcmp(dims + 1, sub, sizeof(int) * (size_t)r) != 0)
            return -1;
    }
    return rank + 1;
}

static void flatten(const cJSON *v, const cJSON **out, size_t *n)
{
    if (cJSON_IsArray(v)) {
        for (const cJSON *c = v->child; c; c = c->next)
            flatten(c, out, n);
    } else {
        out[(*n)++] = v;
    }
}

static size_t count(const cJSON *v)
{
    if (!cJSON_IsArray(v))
        return 1;
    size_t n = 0;
    for (const cJSON *c = v->child; c; c = c->next)
        n += count(c);
    return n;
}

static void shape_str(char *buf, size_t cap, const int *dims, int rank)
{
    size_t k = (size_t)snprintf(buf, cap, "[");
    for (int i = 0; i < rank && k < cap; i++)
        k += (size_t)snprintf(buf + k, cap - k, "%s%d", i ? "," : "", dims[i]);
    if (k < cap)
        snprintf(buf + k, cap - k, "]");
}

static void num_str(char *buf, size_t cap, const cJSON *v)
{
    double d;
    if (cJSON_IsNull(v))
        snprintf(buf, cap, "null");
    else if (scalar(v, &d) == 0) {
        for (int prec = 1; prec <= 17; prec++) {   /* the shortest text that reads back */
            snprintf(buf, cap, "%.*g", prec, d);
            if (strtod(buf, NULL) == d || isnan(d))
                break;
        }
    }
    else
        snprintf(buf, cap, "(not a number)");
}

/* Compares one tensor; `what` is e.g. "node c': value" or "train step 2: param w". */
static void compare_tensor(const char *what, const cJSON *ref, const cJSON *got, const char *reffile)
{
    int rd[MAX_RANK], gd[MAX_RANK];
    int rr = shape_of(ref, rd, 0);
    if (rr < 0)
        malformed(reffile, "a reference tensor is ragged or not numeric");
    if (!got) {
        printf("%s: %s: missing, expected a tensor\n", graph, what);
        mismatches++;
        return;
    }
    int gr = shape_of(got, gd, 0);
    char a[128], b[128];
    if (gr < 0) {
        printf("%s: %s: not a regular numeric array\n", graph, what);
        mismatches++;
        return;
    }
    if (gr != rr || memcmp(rd, gd, sizeof(int) * (size_t)rr) != 0) {
        shape_str(a, sizeof a, gd, gr);
        shape_str(b, sizeof b, rd, rr);
        printf("%s: %s: shape %s, expected %s\n", graph, what, a, b);
        mismatches++;
        return;
    }
    size_t n = count(ref), nr = 0, ng = 0, bad = 0;
    const cJSON **re = malloc((n + 1) * sizeof *re), **ge = malloc((n + 1) * sizeof *ge);
    if (!re || !ge) {
        fprintf(stderr, "compare-reference: out of memory\n");
        exit(2);
    }
    flatten(ref, re, &nr);
    flatten(got, ge, &ng);
    for (size_t i = 0; i < n; i++) {
        double x, y;
        scalar(re[i], &y);
        if (scalar(ge[i], &x) == 0 && same_number(x, y))
            continue;
        if (bad++ < MAX_REPORT) {
            char idx[256] = "";
            size_t k = 0, rem = i;
            size_t pos[MAX_RANK];
            for (int d = rr - 1; d >= 0; d--) {
                pos[d] = rem % (size_t)rd[d];
                rem /= (size_t)rd[d];
            }
            for (int d = 0; d < rr && k < sizeof idx; d++)
                k += (size_t)snprintf(idx + k, sizeof idx - k, "[%zu]", pos[d]);
            num_str(a, sizeof a, ge[i]);
            num_str(b, sizeof b, re[i]);
            printf("%s: %s%s = %s, expected %s\n", graph, what, idx, a, b);
        }
    }
    if (bad > MAX_REPORT)
        printf("%s: %s: ... %zu mismatching elements in all\n", graph, what, bad);
    mismatches += bad > 0;
    free(re);
    free(ge);
}

static const cJSON *member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static void compare_eval(const cJSON *ref, const cJSON *out, const char *reffile, const char *outfile)
{
    const cJSON *rnodes = member(ref, "nodes"), *onodes = member(out, "nodes");
    if (!cJSON_IsObject(rnodes))
        malformed(reffile, "no \"nodes\" object");
    if (!cJSON_IsArray(onodes))
        malformed(outfile, "no \"nodes\" array");
    for (const cJSON *rn = rnodes->child; rn; rn = rn->next) {
        const char *name = rn->string;
        const cJSON *found = NULL;
        for (const cJSON *on = onodes->child; on && !found; on = on->next) {
            const cJSON *dn = member(on, "display_name");
            if (!dn)
                dn = member(on, "name");
            if (cJSON_IsString(dn) && strcmp(dn->valuestring, name) == 0)
                found = on;
        }
        if (!found) {
            printf("%s: node %s: missing from the output\n", graph, name);
            mismatches++;
            continue;
        }
        char what[300];
        const cJSON *rv = member(rn, "value"), *rg = member(rn, "grad");
        if (!rv || !rg)
            malformed(reffile, "a node without \"value\" or \"grad\"");
        /* The declared shape must agree with the reference tensor's. */
        const cJSON *sh = member(found, "shape");
        int rd[MAX_RANK];
        int rr = shape_of(rv, rd, 0);
        if (rr < 0)
            malformed(reffile, "a reference tensor is ragged or not numeric");
        if (cJSON_IsArray(sh)) {
            int ok = cJSON_GetArraySize(sh) == rr, i = 0;
            for (const cJSON *d = sh->child; ok && d; d = d->next, i++)
                ok = cJSON_IsNumber(d) && d->valuedouble == rd[i];
            if (!ok) {
                char *s = cJSON_PrintUnformatted(sh);
                char b[128];
                shape_str(b, sizeof b, rd, rr);
                printf("%s: node %s: shape %s, expected %s\n", graph, name, s ? s : "?", b);
                free(s);
                mismatches++;
            }
        }
        snprintf(what, sizeof what, "node %s: value", name);
        compare_tensor(what, rv, member(found, "value"), reffile);
        const cJSON *og = member(found, "grad");
        snprintf(what, sizeof what, "node %s: grad", name);
        if (cJSON_IsNull(rg)) {
            if (og && !cJSON_IsNull(og)) {
                printf("%s: node %s: grad is not null, expected null (the loss does not depend on it)\n",
                       graph, name);
                mismatches++;
            }
        } else if (!og || cJSON_IsNull(og)) {
            printf("%s: node %s: grad is null, expected a gradient\n", graph, name);
            mismatches++;
        } else {
            compare_tensor(what, rg, og, reffile);
        }
    }

    /* The loss: its name (the JSON name is the base name, c for c'') and value. */
    const cJSON *rl = member(ref, "loss"), *ol = member(out, "loss");
    if (cJSON_IsString(rl)) {
        size_t base = strcspn(rl->valuestring, "'");
        int ok = cJSON_IsString(ol) &&
                 (strcmp(ol->valuestring, rl->valuestring) == 0 ||
                  (strlen(ol->valuestring) == base && strncmp(ol->valuestring, rl->valuestring, base) == 0));
        if (!ok) {
            printf("%s: loss = %s, expected %.*s%s%s%s\n", graph,
                   cJSON_IsString(ol) ? ol->valuestring : "null", (int)base, rl->valuestring,
                   rl->valuestring[base] ? " (" : "", rl->valuestring[base] ? rl->valuestring : "",
                   rl->valuestring[base] ? ")" : "");
            mismatches++;
        }
        const cJSON *rlv = member(ref, "loss_value"), *olv = member(out, "loss_value");
        double x, y;
        if (!rlv || scalar(rlv, &y) != 0)
            malformed(reffile, "no \"loss_value\"");
        if (!olv || scalar(olv, &x) != 0 || !same_number(x, y)) {
            char a[64] = "missing", b[64];
            if (olv)
                num_str(a, sizeof a, olv);
            num_str(b, sizeof b, rlv);
            printf("%s: loss_value = %s, expected %s\n", graph, a, b);
            mismatches++;
        }
    } else if (ol && !cJSON_IsNull(ol)) {
        printf("%s: loss = %s, expected null (no loss)\n", graph,
               cJSON_IsString(ol) ? ol->valuestring : "(not a string)");
        mismatches++;
    }
}

static void compare_train(const cJSON *rt, const cJSON *ot, const char *reffile, const char *outfile)
{
    const cJSON *rsteps = member(rt, "steps"), *osteps = member(ot, "steps");
    if (!cJSON_IsArray(rsteps))
        malformed(reffile, "\"train\" without a \"steps\" array");
    if (!cJSON_IsArray(osteps))
        malformed(outfile, "no \"steps\" array");
    double x, y;
    const cJSON *rlr = member(rt, "lr"), *olr = member(ot, "lr");
    if (!rlr || scalar(rlr, &y) != 0)
        malformed(reffile, "\"train\" without \"lr\"");
    if (!olr || scalar(olr, &x) != 0 || !same_number(x, y)) {
        char a[64] = "missing", b[64];
        if (olr)
            num_str(a, sizeof a, olr);
        num_str(b, sizeof b, rlr);
        printf("%s: train: lr = %s, expected %s\n", graph, a, b);
        mismatches++;
    }
    int nr = cJSON_GetArraySize(rsteps), no = cJSON_GetArraySize(osteps);
    if (nr != no) {
        printf("%s: train: %d steps, expected %d\n", graph, no, nr);
        mismatches++;
    }
    const cJSON *rs = rsteps->child, *os = osteps->child;
    for (int k = 1; rs && os; rs = rs->next, os = os->next, k++) {
        const cJSON *st = member(os, "step");
        if (!cJSON_IsNumber(st) || st->valuedouble != k) {
            printf("%s: train step %d: \"step\" is not %d\n", graph, k, k);
            mismatches++;
        }
        const cJSON *rl = member(rs, "loss"), *ol = member(os, "loss");
        if (!rl || scalar(rl, &y) != 0)
            malformed(reffile, "a train step without \"loss\"");
        if (!ol || scalar(ol, &x) != 0 || !same_number(x, y)) {
            char a[64] = "missing", b[64];
            if (ol)
                num_str(a, sizeof a, ol);
            num_str(b, sizeof b, rl);
            printf("%s: train step %d: loss = %s, expected %s\n", graph, k, a, b);
            mismatches++;
        }
        const cJSON *rp = member(rs, "params"), *op = member(os, "params");
        if (!cJSON_IsObject(rp))
            malformed(reffile, "a train step without \"params\"");
        for (const cJSON *p = rp->child; p; p = p->next) {
            char what[300];
            snprintf(what, sizeof what, "train step %d: param %s", k, p->string);
            compare_tensor(what, p, cJSON_IsObject(op) ? member(op, p->string) : NULL, reffile);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: compare-reference REFERENCE.json EVAL.json [TRAIN.json]\n");
        return 2;
    }
    cJSON *ref = load(argv[1]), *out = load(argv[2]), *train = argc > 3 ? load(argv[3]) : NULL;
    if (!cJSON_IsObject(ref))
        malformed(argv[1], "not a JSON object");
    if (!cJSON_IsObject(out))
        malformed(argv[2], "not a JSON object");
    if (train && !cJSON_IsObject(train))
        malformed(argv[3], "not a JSON object");
    const cJSON *g = member(ref, "graph");
    if (cJSON_IsString(g))
        graph = g->valuestring;

    compare_eval(ref, out, argv[1], argv[2]);
    const cJSON *rt = member(ref, "train");
    if (train) {
        if (!cJSON_IsObject(rt))
            malformed(argv[1], "no \"train\" to compare TRAIN.json with");
        compare_train(rt, train, argv[1], argv[3]);
    }
    cJSON_Delete(ref);
    cJSON_Delete(out);
    cJSON_Delete(train);
    return mismatches ? 1 : 0;
}
