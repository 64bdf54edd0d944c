// page.test.mjs - the page `graphviz-lab render FILE -o OUT.html` writes,
// driven in a real (headless) Chromium through puppeteer-core.
//
//   node page.test.mjs --out DIR -- PAGE -- PAGE ...
//   PAGE:  --name NAME --html OUT.html --graph FILE.graph --dims DIMS.json
//          [--eval EVAL.json]    (left out for a shapes-only file)
//          [--train TRAIN.json]  (the params after the steps, for optimize)
//          [--big]               (only: loads cleanly, the loss, a screenshot, the load time)
//
// tests/html.sh makes the JSON with `graphviz-lab eval FILE --json`,
// `dims FILE --json` and `train FILE --json`; every expectation below comes
// from those documents, never from the page itself.  Screenshots go to
// DIR/NAME.png and DIR/NAME-step.png.  Environment: CHROMIUM (the browser,
// default /usr/bin/chromium).  Prints one line per failure naming the
// graph, the step or node, what was expected and what the page gave, then
// "html: N checks passed" (and the failures), and exits 1 on any failure.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

// ---- arguments -------------------------------------------------------------
function parseArgs(argv) {
    const groups = [[]];
    for (const a of argv) {
        if (a === '--') groups.push([]);
        else groups[groups.length - 1].push(a);
    }
    const opts = (list) => {
        const o = {};
        for (let i = 0; i < list.length; i++) {
            const a = list[i];
            if (!a.startsWith('--')) throw new Error(`unexpected argument '${a}'`);
            const k = a.slice(2);
            if (k === 'big') o.big = true;
            else {
                if (i + 1 >= list.length) throw new Error(`${a} needs a value`);
                o[k] = list[++i];
            }
        }
        return o;
    };
    const global = opts(groups[0]);
    const pages = groups.slice(1).filter((g) => g.length).map(opts);
    for (const p of pages) {
        for (const k of ['name', 'html', 'graph', 'dims'])
            if (!p[k]) throw new Error(`a page needs --${k} (got ${JSON.stringify(p)})`);
    }
    if (!global.out) throw new Error('--out DIR is required');
    if (!pages.length) throw new Error('no page given (-- --name ... --html ...)');
    return { out: global.out, pages };
}

let args;
try {
    args = parseArgs(process.argv.slice(2));
} catch (e) {
    console.error(`page.test.mjs: ${e.message}`);
    process.exit(2);
}

// ---- bookkeeping -----------------------------------------------------------
let passed = 0;
const failures = [];
function ok(cond, msg) {
    if (cond) passed++;
    else {
        failures.push(msg);
        console.log(`FAIL: ${msg}`);
    }
    return cond;
}
const fmt = (v) => JSON.stringify(v);
const readJson = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));

// the numbers of a value or gradient of eval --json, row-major
function flatten(v) {
    if (Array.isArray(v)) return v.flatMap(flatten);
    return [v];
}
// what a td.num must read for one JSON element: String(x), or the JSON
// string itself for "nan", "inf" and "-inf"
const expectText = (x) => (typeof x === 'number' ? String(x) : x);
function cellsMatch(got, want) {
    // got: texts of the td.num cells; want: flattened JSON elements
    if (got.length !== want.length) return `${got.length} td.num cells, expected ${want.length}`;
    for (let i = 0; i < want.length; i++) {
        const w = want[i], g = got[i];
        if (typeof w === 'number') {
            if (g !== String(w) || parseFloat(g) !== w)
                return `cell ${i}: got ${fmt(g)} (parseFloat ${parseFloat(g)}), expected ${fmt(String(w))} (${w} exactly)`;
        } else if (g !== w) {
            return `cell ${i}: got ${fmt(g)}, expected ${fmt(w)}`;
        }
    }
    return null;
}

// ---- in-page probes (run inside the browser) -------------------------------
function probeState() {
    const q = (s) => document.querySelector(s);
    const text = (s) => { const e = q(s); return e ? e.textContent.replace(/\s+/g, ' ').trim() : null; };
    const cur = [...document.querySelectorAll('g.node.gvl-current')].map((e) => e.getAttribute('data-node'));
    const curEdges = [...document.querySelectorAll('.gvl-current-edge')].map((e) =>
        (e.matches('g.edge') ? '' : `<${e.tagName.toLowerCase()}>`) + `${e.getAttribute('data-from')}->${e.getAttribute('data-to')}`);
    return {
        step: document.body.dataset.step ?? null,
        stage: document.body.dataset.stage ?? null,
        current: cur,
        currentEdges: curEdges.sort(),
        caption: text('#caption'),
    };
}

function probePanel() {
    const q = (s) => document.querySelector(s);
    const text = (s) => { const e = q(s); return e ? e.textContent.replace(/\s+/g, ' ').trim() : null; };
    const visible = (e) => !!e && e.checkVisibility({ visibilityProperty: true, opacityProperty: false });
    const matrix = (s) => {
        const e = q(s);
        if (!e) return { present: false };
        const tables = [...e.querySelectorAll('table.matrix')];
        return {
            present: true,
            visible: visible(e),
            tables: tables.length,
            tablesVisible: tables.some(visible),
            cells: tables.flatMap((t) => [...t.querySelectorAll('td.num')].map((td) => td.textContent.trim())),
            text: e.textContent.replace(/\s+/g, ' ').trim().slice(0, 200),
        };
    };
    return {
        panelVisible: visible(q('#panel')),
        name: text('#panel-name'),
        kind: text('#panel-kind'),
        op: text('#panel-op'),
        shape: text('#panel-shape'),
        value: matrix('#panel-value'),
        grad: matrix('#panel-grad'),
        after: matrix('#panel-after'),
        edges: q('#panel-edges') ? [...q('#panel-edges').querySelectorAll('li')].map((li) => li.textContent.replace(/\s+/g, ' ').trim()) : null,
        chain: text('#panel-chain'),
    };
}

function probeDom() {
    const svg = document.querySelector('#diagram svg');
    const nodes = [...document.querySelectorAll('g.node')];
    return {
        svg: !!svg,
        svgBox: svg ? (() => { const r = svg.getBoundingClientRect(); return [r.width, r.height]; })() : null,
        nodesOutsideSvg: nodes.filter((n) => !svg || !svg.contains(n)).length,
        dataNodes: nodes.filter((n) => n.hasAttribute('data-node')).map((n) => ({
            id: n.getAttribute('data-node'),
            tabindex: n.getAttribute('tabindex'),
            role: n.getAttribute('role'),
        })),
        plainNodes: nodes.filter((n) => !n.hasAttribute('data-node')).length,
        edges: [...document.querySelectorAll('g.edge')].map((e) => ({ from: e.getAttribute('data-from'), to: e.getAttribute('data-to') })),
        afterToggle: (() => {
            const t = document.querySelector('#after-toggle');
            return t ? { type: t.type, visible: t.checkVisibility({ visibilityProperty: true }) } : null;
        })(),
        buttons: Object.fromEntries(['btn-forward', 'btn-backward', 'btn-prev', 'btn-reset', 'btn-all']
            .map((b) => [b, !!document.getElementById(b)])),
    };
}

// ---- the browser -----------------------------------------------------------
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files',
        // Chromium's own traffic (not the page's) to hosts this machine cannot reach
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--no-first-run', '--disable-quic'],
});

const stripHash = (u) => u.replace(/#.*$/, '');

// A fresh tab on URL (the page's file URL, optionally with a fragment): every
// request but the page's own file and data: URLs fails the test, and so does
// any console error or uncaught exception, each named with CTX.
async function openPage(spec, fileUrl, fragment, ctx) {
    const page = await browser.newPage();
    page.setDefaultTimeout(15000);
    await page.setViewport({ width: 1280, height: 800 });
    await page.setRequestInterception(true);
    page.on('request', (req) => {
        const u = req.url();
        if (u.startsWith('data:') || stripHash(u) === stripHash(fileUrl)) {
            req.continue();
        } else {
            ok(false, `${spec.name} ${ctx}: the page requested ${u} (${req.resourceType()}); only its own file and data: URLs are allowed`);
            req.abort();
        }
    });
    page.on('console', (m) => {
        if (m.type() === 'error') {
            const loc = m.location();
            ok(false, `${spec.name} ${ctx}: console error: ${m.text()}${loc && loc.url ? ` (at ${path.basename(loc.url)}:${loc.lineNumber})` : ''}`);
        }
    });
    page.on('pageerror', (e) => ok(false, `${spec.name} ${ctx}: uncaught exception in the page: ${e.message}`));
    const t0 = performance.now();
    await page.goto(fileUrl + (fragment ? '#' + fragment : ''), { waitUntil: 'load' });
    const loadMs = performance.now() - t0;
    // the page's scripts are inline: by 'load' they have run; one frame more
    // for anything they schedule
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    return { page, loadMs };
}

// ---- one page ----------------------------------------------------------------
async function testPage(spec) {
    const G = spec.name;
    const htmlPath = path.resolve(spec.html);
    const fileUrl = pathToFileURL(htmlPath).href;
    const source = fs.readFileSync(spec.graph, 'utf8');
    const dims = readJson(spec.dims);
    const evalDoc = spec.eval ? readJson(spec.eval) : null;
    const train = spec.train ? readJson(spec.train) : null;
    const shapesOnly = !evalDoc;
    const nodes = (evalDoc || dims).nodes;
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const dimsById = new Map(dims.nodes.map((n) => [n.id, n]));
    const F = nodes.length;
    const lossName = (evalDoc && evalDoc.loss) || dims.loss;
    const lossNode = nodes.find((n) => n.name === lossName) || nodes.find((n) => n.display_name === lossName);
    if (!ok(!!lossNode, `${G}: eval/dims --json name the loss ${fmt(lossName)} but no node has that name`)) return;
    // the backward pass: the loss, then every other node with a gradient, by decreasing id
    const hasGrad = shapesOnly
        ? new Set(dims.gradients.map((g) => g.wrt_id))
        : new Set(nodes.filter((n) => n.grad !== null && n.grad !== undefined).map((n) => n.id));
    const backward = [lossNode.id, ...[...hasGrad].filter((id) => id !== lossNode.id).sort((a, b) => b - a)];
    const B = backward.length;
    const last = F + B;
    const stepNode = (n) => (n <= F ? n - 1 : backward[n - F - 1]);
    const hasOptimize = /^[ \t]*optimize\b/m.test(source);
    const edgesInto = (id) => dims.edges.filter((e) => e.to_id === id);
    const edgesOutOf = (id) => dims.edges.filter((e) => e.from_id === id);
    console.log(`${G}: ${F} nodes, ${dims.edges.length} edges, backward ${fmt(backward)}, ${last} steps` +
        `${shapesOnly ? ', shapes only' : ''}${hasOptimize ? ', optimize' : ''}`);

    // 1. the file itself: nothing it could fetch
    const html = fs.readFileSync(htmlPath, 'utf8');
    for (const scheme of ['http:', 'https:']) {
        const i = html.toLowerCase().indexOf(scheme);
        ok(i < 0, `${G}: the file contains "${scheme}" (${html.toLowerCase().split(scheme).length - 1} times; first at character ${i}: ` +
            `${fmt(html.slice(Math.max(0, i - 60), i + 60))})`);
    }

    const { page, loadMs } = await openPage(spec, fileUrl, '', 'on load');
    const fileKb = (fs.statSync(htmlPath).size / 1024).toFixed(1);

    // the diagram's DOM
    const dom = await page.evaluate(probeDom);
    ok(dom.svg, `${G}: no #diagram svg`);
    ok(dom.nodesOutsideSvg === 0, `${G}: ${dom.nodesOutsideSvg} g.node elements outside #diagram svg`);
    const drawn = new Set(dom.dataNodes.map((d) => d.id));
    const missing = nodes.filter((n) => !drawn.has(String(n.id))).map((n) => `${n.id} ${fmt(n.display_name)}`);
    ok(!missing.length, `${G}: no g.node[data-node] for node(s) ${missing.join(', ')}`);
    const bogus = [...drawn].filter((id) => !byId.has(Number(id)) || String(Number(id)) !== id);
    ok(!bogus.length, `${G}: g.node data-node values that are no node id: ${fmt(bogus)}`);
    const badAttr = dom.dataNodes.filter((d) => d.tabindex !== '0' || d.role !== 'button');
    ok(!badAttr.length, `${G}: g.node[data-node] without tabindex="0" role="button": ` +
        badAttr.slice(0, 5).map((d) => `data-node=${d.id} tabindex=${fmt(d.tabindex)} role=${fmt(d.role)}`).join('; '));
    const domEdges = new Set(dom.edges.filter((e) => e.from !== null || e.to !== null).map((e) => `${e.from}->${e.to}`));
    const wantEdges = new Set(dims.edges.map((e) => `${e.from_id}->${e.to_id}`));
    const missingEdges = [...wantEdges].filter((e) => !domEdges.has(e));
    ok(!missingEdges.length, `${G}: dims --json edges with no g.edge[data-from][data-to]: ${missingEdges.join(', ')}`);
    const extraEdges = [...domEdges].filter((e) => !wantEdges.has(e));
    ok(!extraEdges.length, `${G}: g.edge data-from->data-to pairs that are no edge of dims --json: ${extraEdges.join(', ')}`);
    for (const [b, there] of Object.entries(dom.buttons)) ok(there, `${G}: no #${b}`);

    const st0 = await page.evaluate(probeState);
    ok(st0.step === 'all' && st0.stage === 'all', `${G} on load: body data-step/data-stage ${fmt(st0.step)}/${fmt(st0.stage)}, expected "all"/"all"`);
    ok(st0.current.length === 0, `${G} on load (overview): g.node.gvl-current on data-node ${fmt(st0.current)}, expected none`);

    // selecting a node: a real mouse click on the first g.node[data-node=ID]
    const nodeHandle = (id) => page.$(`g.node[data-node="${id}"]`);
    async function select(id, ctx) {
        const h = await nodeHandle(id);
        if (!ok(!!h, `${G} ${ctx}: no g.node[data-node="${id}"] to click`)) return null;
        // a real mouse click at the box's centre when it is on screen, as a
        // person would; else (panned or zoomed out of the diagram) a
        // dispatched click event, and a note saying so
        const where = await h.evaluate((g) => {
            const r = g.getBoundingClientRect();
            const x = r.x + r.width / 2, y = r.y + r.height / 2;
            const hit = document.elementFromPoint(x, y);
            return { box: [r.x, r.y, r.width, r.height].map(Math.round), hit: !!hit && g.contains(hit),
                over: hit ? hit.tagName.toLowerCase() + (hit.id ? '#' + hit.id : '') : null };
        });
        let clicked = false;
        if (where.hit) {
            try { await h.click(); clicked = true; } catch (e) { console.log(`NOTE: ${G} ${ctx}: mouse click on node ${id} failed (${e.message}), box ${fmt(where.box)}`); }
        } else {
            console.log(`NOTE: ${G} ${ctx}: node ${id} ${fmt(byId.get(id).display_name)} is not under the mouse at its centre ` +
                `(box ${fmt(where.box)}, topmost there: ${where.over}); clicking it with a dispatched event`);
        }
        if (!clicked) await h.evaluate((g) => g.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, view: window })));
        // the mouse off the diagram: a box under a resting pointer (the page
        // pans to the selection) shows in the panel while hovered
        await page.mouse.move(1, 1);
        await page.waitForFunction((want) => {
            const e = document.querySelector('#panel-name');
            return e && e.textContent.trim() === want;
        }, { timeout: 2000 }, byId.get(id).display_name).catch(() => {});
        return page.evaluate(probePanel);
    }

    async function checkPanel(id, p, ctx) {
        const n = byId.get(id);
        const what = `${G} ${ctx} node ${id} ${fmt(n.display_name)}`;
        if (!ok(p.name === n.display_name, `${what}: #panel-name is ${fmt(p.name)}, expected ${fmt(n.display_name)}`)) return;
        ok(p.panelVisible, `${what}: #panel is not visible`);
        ok(p.kind !== null && p.kind.includes(n.kind), `${what}: #panel-kind is ${fmt(p.kind)}, expected it to contain ${fmt(n.kind)}`);
        if (n.op) ok(p.op !== null && p.op.includes(n.op), `${what}: #panel-op is ${fmt(p.op)}, expected it to contain ${fmt(n.op)}`);
        else ok(p.op !== null, `${what}: no #panel-op (the node is a leaf: op null)`);
        // the shape: its sizes in order (a scalar: any text)
        const sizes = p.shape === null ? null : (p.shape.match(/\d+/g) || []).map(Number);
        if (n.shape.length)
            ok(sizes !== null && fmt(sizes) === fmt(n.shape), `${what}: #panel-shape is ${fmt(p.shape)}, expected the sizes ${fmt(n.shape)}`);
        else
            ok(p.shape !== null && p.shape.length > 0, `${what}: #panel-shape is ${fmt(p.shape)}, expected text for a scalar`);
        // value and gradient, every number exactly
        if (shapesOnly) {
            ok(p.value.present && p.value.tables === 0, `${what}: shapes-only file, #panel-value should have no table.matrix; ` +
                (p.value.present ? `it has ${p.value.tables}` : 'there is no #panel-value'));
            ok(!p.grad.present || p.grad.tables === 0, `${what}: shapes-only file, #panel-grad should have no table.matrix; it has ${p.grad.tables}`);
        } else {
            for (const [key, label] of [['value', '#panel-value'], ['grad', '#panel-grad']]) {
                const want = n[key];
                const m = p[key];
                if (want === null || want === undefined) {
                    ok(!m.present || m.tables === 0, `${what}: ${key} is null in eval --json but ${label} shows ${m.tables} table.matrix (${fmt(m.cells)})`);
                    continue;
                }
                if (!ok(m.present && m.tables > 0, `${what}: ${label} ${m.present ? `has no table.matrix (text ${fmt(m.text)})` : 'is missing'}, expected ${fmt(want)}`)) continue;
                ok(m.visible && m.tablesVisible, `${what}: ${label}'s table.matrix is not visible`);
                const bad = cellsMatch(m.cells, flatten(want));
                ok(!bad, `${what}: ${label}: ${bad}; expected ${fmt(flatten(want).map(expectText))}, got ${fmt(m.cells)}`);
            }
        }
        // the edges touching the node, each by its dims --json label and Jacobian size
        const touching = dims.edges.filter((e) => e.from_id === id || e.to_id === id);
        if (ok(p.edges !== null, `${what}: no #panel-edges`)) {
            for (const e of touching) {
                // the page names the edge as dims --json's label does, with ∂ for d:
                // the label is d OF / d WRT, an expression in parentheses
                const operand = (name) => (/\s/.test(name) ? `(${name})` : name);
                ok(e.label === `d${operand(e.of)}/d${operand(e.wrt)}`, `${what}: dims --json's label ${fmt(e.label)} is not d${operand(e.of)}/d${operand(e.wrt)}`);
                const curly = `∂${operand(e.of)}/∂${operand(e.wrt)}`;
                const li = p.edges.find((t) => t.includes(curly + ':'));
                if (!ok(!!li, `${what}: #panel-edges has no li for ${fmt(curly)} (dims --json: ${fmt(e.label)}, edge ${e.from_id}->${e.to_id}); its li: ${fmt(p.edges)}`)) continue;
                const [r, c] = e.jacobian;
                ok(new RegExp(`(^|\\D)${r}\\s*[×x]\\s*${c}(\\D|$)`).test(li), `${what}: the li of ${fmt(e.label)} lacks its Jacobian size ${r}×${c}: ${fmt(li)}`);
            }
            ok(p.edges.length >= touching.length, `${what}: #panel-edges has ${p.edges.length} li, the node has ${touching.length} edges`);
        }
        // the chain rule, for a node with a gradient (not the loss itself)
        if (!shapesOnly && n.grad !== null && id !== lossNode.id) {
            const dn = dimsById.get(id);
            const names = [n.display_name, dn && dn.vec_name].filter(Boolean).map((s) => `∂${lossNode.display_name}/∂${s}`);
            ok(p.chain !== null && names.some((s) => p.chain.includes(s)),
                `${what}: #panel-chain is ${fmt(p.chain && p.chain.slice(0, 200))}, expected it to contain ${names.map(fmt).join(' or ')}`);
        }
    }

    if (spec.big) {
        const timing = await page.evaluate(() => {
            const nav = performance.getEntriesByType('navigation')[0];
            return { dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd };
        });
        const t0 = performance.now();
        const p = await select(lossNode.id, 'the loss');
        const clickMs = performance.now() - t0;
        if (p) await checkPanel(lossNode.id, p, 'clicked');
        await page.screenshot({ path: path.join(args.out, `${G}.png`), fullPage: true });
        // one step with the keyboard (every box and cell repainted)
        await page.evaluate(() => document.activeElement && document.activeElement.blur && document.activeElement.blur());
        await page.keyboard.press('Home');
        const t1 = performance.now();
        await page.keyboard.press('ArrowRight');
        await page.waitForFunction(() => document.body.dataset.step === '1', { timeout: 2000 }).catch(() => {});
        const stepMs = performance.now() - t1;
        const s1 = await page.evaluate(probeState);
        ok(s1.step === '1' && s1.current.length > 0 && s1.current.every((c) => c === '0'),
            `${G}: Home, ArrowRight: data-step ${fmt(s1.step)}, gvl-current on ${fmt(s1.current)}, expected step "1" at node 0`);
        console.log(`${G}: one ArrowRight step ${stepMs.toFixed(0)} ms`);
        console.log(`${G}: ${fileKb} KiB; load ${loadMs.toFixed(0)} ms (goto to 'load' event, DOMContentLoaded at ${timing.dcl.toFixed(0)} ms,` +
            ` load event done at ${timing.load.toFixed(0)} ms after navigation start); click on the loss to its panel ${clickMs.toFixed(0)} ms;` +
            ` ${dom.dataNodes.length} g.node[data-node] for ${F} nodes; diagram ${dom.svgBox.map(Math.round).join('x')} px`);
        console.log(`screenshot: ${path.join(args.out, `${G}.png`)}`);
        await page.close();
        return;
    }

    // 2. every node's panel
    for (const n of nodes) {
        const p = await select(n.id, 'clicked');
        if (p) await checkPanel(n.id, p, 'clicked');
    }

    // 3. the steps with the keyboard
    async function key(k) {
        const before = await page.evaluate(() => document.body.dataset.step);
        await page.keyboard.press(k);
        await page.waitForFunction((b) => document.body.dataset.step !== b, { timeout: 300 }, before).catch(() => {});
    }
    async function checkStep(n, ctx) {
        const s = await page.evaluate(probeState);
        const where = `${G} ${ctx} step ${n}`;
        if (n === 'all') {
            ok(s.step === 'all' && s.stage === 'all', `${where}: data-step/data-stage ${fmt(s.step)}/${fmt(s.stage)}, expected "all"/"all"`);
            ok(s.current.length === 0, `${where}: overview, yet g.node.gvl-current on ${fmt(s.current)}`);
            return s;
        }
        if (!ok(s.step === String(n), `${where}: body data-step is ${fmt(s.step)}, expected ${fmt(String(n))}`)) return s;
        if (n === 0) {
            ok(s.stage === 'start', `${where}: data-stage ${fmt(s.stage)}, expected "start"`);
            ok(s.caption !== null && s.caption.includes('Before the forward pass'), `${where}: #caption ${fmt(s.caption)} lacks "Before the forward pass"`);
            ok(s.current.length === 0, `${where}: nothing is computed yet, yet g.node.gvl-current on ${fmt(s.current)}`);
            ok(s.currentEdges.length === 0, `${where}: gvl-current-edge on ${fmt(s.currentEdges)}, expected none`);
            return s;
        }
        const fwd = n <= F;
        const id = stepNode(n);
        const dn = byId.get(id).display_name;
        const stage = fwd ? 'forward' : 'backward';
        ok(s.stage === stage, `${where}: data-stage ${fmt(s.stage)}, expected ${fmt(stage)}`);
        const copies = dom.dataNodes.filter((d) => d.id === String(id)).length;
        ok(s.current.length === copies && s.current.every((c) => c === String(id)),
            `${where}: g.node.gvl-current on data-node ${fmt(s.current)}, expected node ${id} ${fmt(dn)} (all ${copies} of its g.node)`);
        const words = fwd ? 'Forward pass' : 'Backward pass';
        ok(s.caption !== null && s.caption.includes(words) && s.caption.includes(dn),
            `${where}: #caption ${fmt(s.caption)}, expected it to contain ${fmt(words)} and ${fmt(dn)}`);
        // the current edges: into the node going forward, out of it going backward (every drawn copy)
        const want = dom.edges.filter((e) => (fwd ? e.to === String(id) : e.from === String(id))).map((e) => `${e.from}->${e.to}`).sort();
        const wantDims = (fwd ? edgesInto(id) : edgesOutOf(id)).map((e) => `${e.from_id}->${e.to_id}`);
        ok(fmt(s.currentEdges) === fmt(want) && wantDims.every((e) => s.currentEdges.includes(e)),
            `${where} (${stage} at ${fmt(dn)}): elements with gvl-current-edge ${fmt(s.currentEdges)}, expected the g.edge ${fwd ? 'into' : 'out of'} node ${id}: ${fmt(want)}`);
        return s;
    }
    await page.evaluate(() => document.activeElement && document.activeElement.blur && document.activeElement.blur());
    await key('Home');
    await checkStep(0, 'Home');
    for (let n = 1; n <= last; n++) {
        await key('ArrowRight');
        const s = await checkStep(n, 'ArrowRight');
        if (s.step !== String(n)) { ok(false, `${G}: stopped stepping with ArrowRight at step ${n} (data-step ${fmt(s.step)})`); break; }
    }
    await key('ArrowLeft');
    await checkStep(last - 1, 'ArrowLeft from the last');
    await key('End');
    await checkStep('all', 'End');
    await key('ArrowRight');
    await checkStep(1, 'ArrowRight from the overview');
    await key('End');

    // the buttons
    async function button(b) {
        const before = await page.evaluate(() => document.body.dataset.step);
        const h = await page.$(`#${b}`);
        if (!h) return;
        await h.click();
        await page.waitForFunction((x) => document.body.dataset.step !== x, { timeout: 300 }, before).catch(() => {});
    }
    const disabled = (b) => page.$eval(`#${b}`, (e) => e.disabled).catch(() => null);
    if (Object.values(dom.buttons).every(Boolean)) {
        await button('btn-reset');
        await checkStep(0, '#btn-reset');
        for (let n = 1; n <= F; n++) {
            ok(await disabled('btn-forward') === false, `${G} step ${n - 1}: #btn-forward is disabled before the forward pass is done`);
            await button('btn-forward');
            const s = await checkStep(n, '#btn-forward');
            if (s.step !== String(n)) break;
        }
        ok(await disabled('btn-forward') === true, `${G} step ${F} (the forward pass done): #btn-forward is not disabled`);
        await button('btn-backward');
        await checkStep(F + 1, '#btn-backward after the forward pass');
        for (let n = F + 2; n <= last; n++) {
            await button('btn-backward');
            await checkStep(n, '#btn-backward');
        }
        await button('btn-prev');
        await checkStep(last - 1, '#btn-prev');
        await button('btn-reset');
        await button('btn-forward');
        if (F >= 2) await button('btn-forward');
        await button('btn-backward');
        await checkStep(F + 1, `#btn-backward from step ${Math.min(F, 2)}`);
        await button('btn-all');
        await checkStep('all', '#btn-all');
    }

    // 4. the URL fragment, each in a fresh tab
    const firstParam = nodes.find((n) => n.kind === 'param') || nodes[0];
    const special = nodes.find((n) => /[^A-Za-z0-9_]/.test(n.display_name));
    const frag = async (fragment, wantNode, wantStep) => {
        const { page: p2 } = await openPage(spec, fileUrl, fragment, `#${fragment}`);
        if (wantNode !== null) {
            const dn = byId.get(wantNode).display_name;
            await p2.waitForFunction((w) => { const e = document.querySelector('#panel-name'); return e && e.textContent.trim() === w; },
                { timeout: 2000 }, dn).catch(() => {});
            const pn = await p2.$eval('#panel-name', (e) => e.textContent.trim()).catch(() => null);
            ok(pn === dn, `${G} loaded with #${fragment}: #panel-name is ${fmt(pn)}, expected ${fmt(dn)}`);
        }
        if (wantStep !== null) {
            const s = await p2.evaluate(probeState);
            const id = stepNode(wantStep);
            ok(s.step === String(wantStep), `${G} loaded with #${fragment}: data-step ${fmt(s.step)}, expected ${fmt(String(wantStep))}`);
            ok(s.current.length > 0 && s.current.every((c) => c === String(id)),
                `${G} loaded with #${fragment}: g.node.gvl-current on ${fmt(s.current)}, expected node ${id} ${fmt(byId.get(id).display_name)}`);
        } else {
            const s = await p2.evaluate(probeState);
            ok(s.step === 'all', `${G} loaded with #${fragment}: data-step ${fmt(s.step)}, expected "all" (no step in the fragment)`);
        }
        await p2.close();
    };
    const stepN = Math.min(3, last);
    await frag(`node=${encodeURIComponent(firstParam.display_name)}`, firstParam.id, null);
    await frag(`step=${stepN}`, null, stepN);
    await frag(`node=${encodeURIComponent(firstParam.display_name)}&step=${stepN}`, firstParam.id, stepN);
    if (special) await frag(`node=${encodeURIComponent(special.display_name)}`, special.id, null);
    await frag(`step=${F + 1}`, null, F + 1);

    // 5. the keyboard alone: Tab to a box, Enter selects it; Tab on to the next one
    {
        const { page: p3 } = await openPage(spec, fileUrl, '', 'Tab');
        const focused = () => p3.evaluate(() => {
            const a = document.activeElement;
            return a && a.matches('g.node[data-node]') ? a.getAttribute('data-node') : null;
        });
        let id = null, presses = 0;
        while (id === null && presses < 20) { await p3.keyboard.press('Tab'); presses++; id = await focused(); }
        if (ok(id !== null, `${G}: 20 presses of Tab never focused a g.node[data-node]`)) {
            await p3.keyboard.press('Enter');
            const dn = byId.get(Number(id)).display_name;
            await p3.waitForFunction((w) => { const e = document.querySelector('#panel-name'); return e && e.textContent.trim() === w; }, { timeout: 2000 }, dn).catch(() => {});
            const p = await p3.evaluate(probePanel);
            ok(p.name === dn, `${G}: Tab (${presses}x) focused g.node data-node=${id}, Enter: #panel-name is ${fmt(p.name)}, expected ${fmt(dn)}`);
            if (p.name === dn) await checkPanel(Number(id), p, `Tab+Enter`);
            await p3.keyboard.press('Tab');
            const id2 = await focused();
            if (ok(id2 !== null, `${G}: Tab from the focused node ${id} left the boxes (activeElement is no g.node[data-node])`)) {
                await p3.keyboard.press('Enter');
                const dn2 = byId.get(Number(id2)).display_name;
                await p3.waitForFunction((w) => { const e = document.querySelector('#panel-name'); return e && e.textContent.trim() === w; }, { timeout: 2000 }, dn2).catch(() => {});
                const name2 = await p3.$eval('#panel-name', (e) => e.textContent.trim()).catch(() => null);
                ok(name2 === dn2, `${G}: Tab to the next box data-node=${id2}, Enter: #panel-name is ${fmt(name2)}, expected ${fmt(dn2)}`);
            }
        }
        await p3.close();
    }

    // the params after the steps
    if (hasOptimize) {
        ok(dom.afterToggle && dom.afterToggle.type === 'checkbox' && dom.afterToggle.visible,
            `${G}: the file optimizes, expected a visible checkbox #after-toggle, got ${fmt(dom.afterToggle)}`);
        const stepsDone = train && train.steps && train.steps.length ? train.steps[train.steps.length - 1] : null;
        const params = nodes.filter((n) => n.kind === 'param');
        if (dom.afterToggle && ok(!!stepsDone, `${G}: train --json has no steps to compare #panel-after with`)) {
            await page.click('#btn-all');
            for (const n of params) {
                const want = stepsDone.params[n.name] ?? stepsDone.params[n.display_name];
                if (!ok(want !== undefined, `${G}: train --json has no param ${fmt(n.name)}`)) continue;
                let p = await select(n.id, 'after');
                const checked = await page.$eval('#after-toggle', (e) => e.checked);
                if (checked) await page.click('#after-toggle');
                p = await page.evaluate(probePanel);
                ok(!p.after.present || !p.after.tablesVisible, `${G} param ${fmt(n.display_name)}, #after-toggle unchecked: #panel-after shows a table (${fmt(p.after.cells)})`);
                await page.click('#after-toggle');
                await page.waitForFunction(() => document.querySelector('#panel-after table.matrix'), { timeout: 1000 }).catch(() => {});
                p = await page.evaluate(probePanel);
                if (ok(p.after.present && p.after.tables > 0 && p.after.tablesVisible,
                    `${G} param ${fmt(n.display_name)}, #after-toggle checked: #panel-after ${p.after.present ? `has no visible table.matrix (text ${fmt(p.after.text)})` : 'is missing'}`)) {
                    const bad = cellsMatch(p.after.cells, flatten(want));
                    ok(!bad, `${G} param ${fmt(n.display_name)} after ${train.steps.length} step(s), lr ${train.lr}: #panel-after: ${bad}; expected ${fmt(flatten(want).map(expectText))} (train --json), got ${fmt(p.after.cells)}`);
                    if (train.steps.length === 1 && !shapesOnly) {
                        // for one step the after value is value - lr*grad: a note if train --json disagrees
                        const v = flatten(n.value), g = flatten(n.grad), w = flatten(want);
                        const off = v.some((x, i) => Math.abs(x - train.lr * g[i] - w[i]) > 1e-12 * (1 + Math.abs(w[i])));
                        if (off) console.log(`NOTE: ${G} ${n.display_name}: train --json's value after 1 step is not value - lr*grad`);
                    }
                }
                await page.click('#after-toggle');
                p = await page.evaluate(probePanel);
                ok(!p.after.present || !p.after.tablesVisible, `${G} param ${fmt(n.display_name)}, #after-toggle unchecked again: #panel-after still shows a table`);
            }
        }
    } else {
        ok(!dom.afterToggle || !dom.afterToggle.visible, `${G}: the file has no optimize, yet #after-toggle is visible`);
    }

    // 6. screenshots at 1280x800: the loss selected, and step F+2
    await page.click('#btn-all').catch(() => {});
    await select(lossNode.id, 'screenshot');
    const shot = path.join(args.out, `${G}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    await page.evaluate(() => document.activeElement && document.activeElement.blur && document.activeElement.blur());
    await key('Home');
    for (let n = 1; n <= Math.min(F + 2, last); n++) await key('ArrowRight');
    await checkStep(Math.min(F + 2, last), 'before the screenshot');
    const shot2 = path.join(args.out, `${G}-step.png`);
    await page.screenshot({ path: shot2, fullPage: true });
    console.log(`${G}: ${fileKb} KiB, loaded in ${loadMs.toFixed(0)} ms`);
    console.log(`screenshot: ${shot}`);
    console.log(`screenshot: ${shot2}`);
    await page.close();
}

fs.mkdirSync(args.out, { recursive: true });
try {
    for (const spec of args.pages) {
        const before = failures.length;
        try {
            await testPage(spec);
        } catch (e) {
            ok(false, `${spec.name}: the test stopped: ${e.message.split('\n')[0]}`);
        }
        console.log(`${spec.name}: ${failures.length === before ? 'ok' : `${failures.length - before} failure(s)`}`);
    }
} finally {
    await browser.close();
}
console.log(`html: ${passed} checks passed${failures.length ? `, ${failures.length} failed` : ''}`);
process.exit(failures.length ? 1 : 0);
