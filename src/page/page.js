/*
 * page.js - the logic of `graphviz-lab render FILE -o OUT.html`.
 *
 * The page holds the diagram as inline SVG (drawn by libgvc with IDs on
 * boxes, edges and value cells: render_dot.c) and four JSON blocks: the
 * output of eval --json (values, gradients), dims --json (shapes, edge
 * Jacobian sizes), explain --json for every node (the chain rule) and a
 * small page block (the loss, the backward order, the params after the
 * optimize steps).  This script wires them together:
 *
 *   - pan and zoom (svg-pan-zoom, inlined before this script);
 *   - a panel showing a node's kind, op, shape, value, gradient, edges and
 *     chain rule, on hover, click, or Enter on a focused box;
 *   - steps: 0 is before the forward pass, 1..F compute the values in
 *     topological (id) order, F+1..F+B the gradients from the loss back;
 *     "all" is the overview, everything shown;
 *   - the URL fragment (#node=NAME&step=N&after=1) holds the state, so a
 *     link opens the same view.
 *
 * It reads nothing from a network and writes nothing but the fragment.
 */
(function () {
  'use strict';

  function json(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  var evalData = json('gvl-eval');
  var dims = json('gvl-dims');
  var chain = json('gvl-explain') || {};
  var info = json('gvl-page');
  var nodes = evalData.nodes;            /* by id */
  var F = nodes.length;
  var backOrder = info.backward;         /* the loss first, then decreasing ids */
  var T = F + backOrder.length;
  var backIndex = {};                    /* id -> its place in backOrder */
  backOrder.forEach(function (id, k) { backIndex[id] = k; });
  var D = '\u2202';
  var rootName = info.root === null ? null : nodes[info.root].display_name;

  var state = { step: 'all', selected: null, after: false, hover: null };

  /* ---- text ------------------------------------------------------------ */

  function shapeText(shape) {
    if (shape.length === 0) return 'scalar';
    if (shape.length === 1) return '[' + shape[0] + ']';
    return shape.join('\u00d7');
  }

  /* A number as eval --json has it: exact (JavaScript's shortest form). */
  function num(x) { return String(x); }

  /* A short number for captions. */
  function short(x) {
    if (typeof x !== 'number') return String(x);
    if (x === 0 || Math.abs(x) >= 1e-4 && Math.abs(x) < 1e6) return String(Number(x.toPrecision(5)));
    return x.toExponential(3);
  }

  function flat(v) {
    if (!Array.isArray(v)) return [v];
    var out = [];
    (function walk(a) { a.forEach(function (e) { if (Array.isArray(e)) walk(e); else out.push(e); }); })(v);
    return out;
  }

  /* A value in one line for the caption: the numbers when few, else its size. */
  function inlineValue(v, shape) {
    var f = flat(v);
    if (f.length === 1) return short(f[0]);
    if (f.length <= 6) return '[' + f.map(short).join(', ') + ']';
    return 'a ' + shapeText(shape) + ' tensor';
  }

  function partial(of, wrt) { return D + of + '/' + D + wrt; }

  /* A name inside a partial, in parentheses when it is an expression, as
   * the tables write it: ∂(w^T @ x)/∂vec(w^T). */
  function operand(name) { return /\s/.test(name) ? '(' + name + ')' : name; }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /* ---- matrices ---------------------------------------------------------- */

  var MAX_CELLS = 2500;   /* the panel's limit; eval --json has every number */

  function matrixTable(rows) {
    var t = el('table', 'matrix');
    rows.forEach(function (r) {
      var tr = document.createElement('tr');
      r.forEach(function (x) { tr.appendChild(el('td', 'num', num(x))); });
      t.appendChild(tr);
    });
    return t;
  }

  /* A tensor as aligned matrices: 0-D and 1-D as one row, 2-D as rows and
   * columns, more dimensions as 2-D slices headed by their index. */
  function tensorView(v, shape) {
    var box = el('div', 'tensor');
    if (v === null || v === undefined) return box;
    if (flat(v).length > MAX_CELLS) {
      box.appendChild(el('p', 'note', 'A ' + shapeText(shape) + ' tensor of ' + flat(v).length +
        ' numbers: eval --json has every one.'));
      return box;
    }
    if (!Array.isArray(v)) { box.appendChild(matrixTable([[v]])); return box; }
    if (shape.length === 1) { box.appendChild(matrixTable([v])); return box; }
    if (shape.length === 2) { box.appendChild(matrixTable(v)); return box; }
    (function slices(a, index) {
      if (index.length === shape.length - 2) {
        box.appendChild(el('div', 'slice', '[' + index.concat([':', ':']).join(', ') + ']'));
        box.appendChild(matrixTable(a));
        return;
      }
      a.forEach(function (sub, i) { slices(sub, index.concat([i])); });
    })(v, []);
    return box;
  }

  /* ---- what a step shows ------------------------------------------------- */

  function stepNumber() { return state.step === 'all' ? T : state.step; }

  function valueKnown(id) { return state.step === 'all' || id < Math.min(state.step, F); }

  function gradKnown(id) {
    if (state.step === 'all') return backIndex[id] !== undefined;
    var k = backIndex[id];
    return k !== undefined && k < state.step - F;
  }

  function currentNode() {
    if (state.step === 'all' || state.step === 0) return null;
    return state.step <= F ? state.step - 1 : backOrder[state.step - F - 1];
  }

  function stage() {
    if (state.step === 'all') return 'all';
    if (state.step === 0) return 'start';
    return state.step <= F ? 'forward' : 'backward';
  }

  /* The edges of the graph (dims --json): operands in, uses out. */
  var edgesIn = {}, edgesOut = {};
  dims.edges.forEach(function (e) {
    (edgesIn[e.to_id] = edgesIn[e.to_id] || []).push(e);
    (edgesOut[e.from_id] = edgesOut[e.from_id] || []).push(e);
  });

  function caption() {
    var cap = document.getElementById('caption');
    cap.textContent = '';
    var s = stage(), stageEl = el('span', 'stage'), rest = '';
    var n = currentNode(), node = n === null ? null : nodes[n];
    if (s === 'all') {
      stageEl.textContent = 'Overview: ';
      rest = info.has_values
        ? 'every value and every gradient, as after loss.backward(). Press \u2192 or "forward" to watch the forward pass from the start.'
        : 'every shape and Jacobian size (this file gives no values, so there are no numbers). Press \u2192 or "forward" to step through the passes.';
    } else if (s === 'start') {
      stageEl.textContent = 'Before the forward pass: ';
      rest = 'only the shapes are known. Press \u2192 or "forward" to compute the first value.';
    } else if (s === 'forward') {
      stageEl.textContent = 'Forward pass, step ' + state.step + ' of ' + F + ': ';
      var ins = (edgesIn[n] || []).map(function (e) { return nodes[e.from_id].display_name; });
      if (node.kind === 'op') {
        rest = node.display_name + ' = ' + node.op + '(' + uniq(ins).join(', ') + ')';
      } else {
        rest = node.display_name + ' is ' + (node.kind === 'input' ? 'an input' : 'a ' + node.kind) + ', given';
      }
      rest += info.has_values ? ' = ' + inlineValue(node.value, node.shape) + ' (' + shapeText(node.shape) + ')'
                              : ': ' + shapeText(node.shape);
      if (state.step === F) rest += '. The forward pass is done; "backward" computes the gradients.';
    } else {
      var k = state.step - F;
      stageEl.textContent = 'Backward pass, step ' + k + ' of ' + backOrder.length + ': ';
      if (n === info.root) {
        rest = partial(rootName, rootName) + ' = 1, the seed of backpropagation (' + rootName + ' is the node differentiated)';
      } else {
        var uses = (edgesOut[n] || []).filter(function (e) { return backIndex[e.to_id] !== undefined; });
        var terms = uniq(uses.map(function (e) {
          return (e.to_id === info.root ? '' : partial(rootName, e.of) + ' \u00b7 ') + partial(operand(e.of), operand(e.wrt));
        }));
        rest = partial(rootName, node.display_name);
        if (uses.length === 1 && uses[0].to_id === info.root) rest += ', the Jacobian of ' + rootName + ' itself';
        else rest += ' = ' + terms.join(' + ');
        rest += info.has_values && node.grad !== null ? ' = ' + inlineValue(node.grad, node.shape)
                                                       : ' (1\u00d7' + numelText(node) + ')';
      }
      if (k === backOrder.length) rest += '. The backward pass is done: every gradient is known.';
    }
    cap.appendChild(stageEl);
    cap.appendChild(document.createTextNode(rest));
    if (state.after) cap.appendChild(el('span', 'note', ' Params are shown after ' + stepsText() + '.'));
  }

  function uniq(a) { return a.filter(function (x, i) { return a.indexOf(x) === i; }); }

  function numelText(node) {
    var d = dims.nodes[node.id];
    return String(d.numel);
  }

  function stepsText() {
    return info.steps + ' step' + (info.steps === 1 ? '' : 's') + ' of gradient descent (lr ' + info.lr + ')';
  }

  /* ---- the panel --------------------------------------------------------- */

  function section(panel, title, cls) {
    panel.appendChild(el('h3', null, title));
    var d = el('div', cls);
    panel.appendChild(d);
    return d;
  }

  function factorBox(f) {
    var b = el('span', 'factor');
    b.appendChild(el('div', 'name', partial(f.of, f.wrt)));
    b.appendChild(el('div', 'size', f.jacobian.join('\u00d7') + ' \u00b7 ' + f.structure));
    if (f.value !== null && f.value !== undefined) b.appendChild(tensorView(f.value, [f.value.length, f.value[0].length]));
    else if (f.matrix) b.appendChild(el('div', 'size', f.matrix));
    return b;
  }

  function chainView(id, box) {
    var x = chain[String(id)];
    if (!x) {
      box.appendChild(el('p', 'note', info.explain_omitted
        ? 'Not carried for a graph this large: graphviz-lab explain FILE --wrt NAME prints it.'
        : 'No chain rule: ' + (id === info.root ? 'this is the node differentiated.' : rootName === null
          ? 'the file names no loss.' : rootName + ' does not depend on it through a gradient.')));
      return;
    }
    x.paths.forEach(function (p, i) {
      if (x.paths.length > 1) box.appendChild(el('div', 'slice', 'path ' + (i + 1) + ': ' + p.nodes.join(' \u2192 ')));
      var row = el('div', 'chain-path');
      p.factors.forEach(function (f, k) {
        if (k) row.appendChild(el('span', 'op-sign', '\u00b7'));
        row.appendChild(factorBox(f));
      });
      if (p.value) {
        row.appendChild(el('span', 'op-sign', '='));
        row.appendChild(tensorView(p.value, p.product));
      }
      box.appendChild(row);
    });
    if (x.paths_omitted) box.appendChild(el('p', 'note', '... and ' + x.paths_omitted + ' more paths (explain --max-paths N lists them).'));
    var total = el('div', 'chain-path');
    total.appendChild(el('span', 'name', partial(x.of, x.wrt) + ' (' + x.total.dims.join('\u00d7') + ')' +
      (x.paths.length + (x.paths_omitted || 0) > 1 ? ', the sum of the paths' : '')));
    if (x.total.value) {
      total.appendChild(el('span', 'op-sign', '='));
      total.appendChild(tensorView(x.total.value, x.total.dims));
    }
    box.appendChild(total);
  }

  function showPanel(id) {
    var panel = document.getElementById('panel');
    panel.textContent = '';
    if (id === null) {
      panel.appendChild(el('p', 'hint', 'Click a box, or Tab to it and press Enter, to see its value, its gradient, ' +
        'the Jacobian sizes of its edges and its chain rule.'));
      return;
    }
    var n = nodes[id];
    var h = el('h2', null, n.display_name);
    h.id = 'panel-name';
    panel.appendChild(h);
    var dl = document.createElement('dl');
    [['kind', n.kind + (id === info.root ? ' (the node differentiated)' : '')], ['op', n.op === null ? '\u2014' : n.op],
     ['shape', shapeText(n.shape)]].forEach(function (kv) {
      dl.appendChild(el('dt', null, kv[0]));
      var dd = el('dd', null, kv[1]);
      dd.id = 'panel-' + kv[0];
      dl.appendChild(dd);
    });
    panel.appendChild(dl);

    var val = section(panel, info.after[id] !== undefined ? 'value (before the step)' : 'value', 'value');
    val.id = 'panel-value';
    if (!info.has_values) val.appendChild(el('p', 'note', 'This file gives shapes only: no numbers.'));
    else if (!valueKnown(id)) val.appendChild(el('p', 'note', 'Not computed yet: forward step ' + (id + 1) + '.'));
    else val.appendChild(tensorView(n.value, n.shape));

    if (info.after[id] !== undefined) {
      var aft = section(panel, 'after ' + stepsText(), 'value');
      aft.id = 'panel-after';
      if (state.after) aft.appendChild(tensorView(info.after[id], n.shape));
      else aft.appendChild(el('p', 'note', 'Tick "' + document.getElementById('after-text').textContent + '" to see it.'));
    }

    if (backIndex[id] !== undefined) {
      var gr = section(panel, partial(rootName, n.display_name) + ' (1\u00d7' + numelText(n) + ', shaped like ' +
        n.display_name + ')', 'grad');
      gr.id = 'panel-grad';
      if (!info.has_values) gr.appendChild(el('p', 'note', 'No numbers without values.'));
      else if (!gradKnown(id)) gr.appendChild(el('p', 'note', 'Not computed yet: backward step ' + (backIndex[id] + 1) + '.'));
      else gr.appendChild(tensorView(n.grad, n.shape));
    }

    var edges = (edgesIn[id] || []).concat(edgesOut[id] || []);
    panel.appendChild(el('h3', null, 'edges: Jacobian sizes'));
    var ul = document.createElement('ul');
    ul.id = 'panel-edges';
    edges.forEach(function (e) {
      ul.appendChild(el('li', null, partial(operand(e.of), operand(e.wrt)) + ': ' + e.jacobian.join('\u00d7') +
        (e.to_id === id ? '  (from ' + nodes[e.from_id].display_name + ')' : '  (into ' + nodes[e.to_id].display_name + ')')));
    });
    if (!edges.length) ul.appendChild(el('li', 'note', 'none'));
    panel.appendChild(ul);

    var ch = section(panel, 'chain rule' + (rootName !== null ? ' for ' + partial(rootName, n.display_name) : ''), 'chain');
    ch.id = 'panel-chain';
    chainView(id, ch);
  }

  /* ---- the diagram ------------------------------------------------------- */

  var svg = document.querySelector('#diagram svg');
  var boxes = {};          /* id -> [g.node], a shared leaf has several */
  var cells = [];          /* {el, row: val|after|grad, id} */
  var edgeEls = [];        /* {el, from, to} */

  function prepareSvg() {
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    /* the value cells come wrapped in links (Graphviz writes a cell's ID
     * only for a link): keep the group, drop the link */
    Array.prototype.forEach.call(svg.querySelectorAll('g[id^="a_gvl-"] > a'), function (a) {
      while (a.firstChild) a.parentNode.insertBefore(a.firstChild, a);
      a.parentNode.removeChild(a);
    });
    Array.prototype.forEach.call(svg.querySelectorAll('g[id^="a_gvl-"]'), function (g) {
      var m = /^a_gvl-(val|after|grad)-(\d+)/.exec(g.id);
      if (m) cells.push({ el: g, row: m[1], id: Number(m[2]) });
      g.removeAttribute('id');   /* a shared leaf's copies repeat it */
    });
    Array.prototype.forEach.call(svg.querySelectorAll('g.node'), function (g) {
      var m = /^gvl-node-(\d+)/.exec(g.id);
      var title = g.querySelector('title');
      if (!m) { if (title) title.textContent = 'legend'; return; }
      var id = Number(m[1]), n = nodes[id];
      g.setAttribute('data-node', String(id));
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.setAttribute('aria-label', n.display_name + ', ' + (n.op || n.kind) + ', ' + shapeText(n.shape));
      if (title) title.textContent = n.display_name + ' (' + (n.op || n.kind) + ', ' + shapeText(n.shape) + ')';
      (boxes[id] = boxes[id] || []).push(g);
      g.addEventListener('click', function () { select(id); });
      g.addEventListener('mouseenter', function () { state.hover = id; showPanel(id); });
      g.addEventListener('mouseleave', function () { state.hover = null; showPanel(state.selected); });
      g.addEventListener('keydown', function (ev) {
        if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); select(id); }
      });
    });
    Array.prototype.forEach.call(svg.querySelectorAll('g.edge'), function (g) {
      var m = /^gvl-(edge|back)-(\d+)-(\d+)/.exec(g.id);
      if (!m) return;
      g.setAttribute('data-from', m[2]);
      g.setAttribute('data-to', m[3]);
      if (m[1] === 'back') g.setAttribute('data-back', '');
      edgeEls.push({ el: g, from: Number(m[2]), to: Number(m[3]), back: m[1] === 'back' });
    });
  }

  function eachBox(fn) {
    Object.keys(boxes).forEach(function (id) { boxes[id].forEach(function (g) { fn(g, Number(id)); }); });
  }

  function paint() {
    var cur = currentNode(), s = stage();
    document.body.setAttribute('data-step', String(state.step));
    document.body.setAttribute('data-stage', s);
    eachBox(function (g, id) {
      g.classList.toggle('gvl-current', id === cur);
      g.classList.toggle('gvl-selected', id === state.selected);
      g.classList.toggle('gvl-pending', !valueKnown(id));
    });
    cells.forEach(function (c) {
      var show;
      if (c.row === 'grad') show = gradKnown(c.id);
      else if (c.row === 'after') show = state.after;
      else show = valueKnown(c.id) && !(state.after && info.after[c.id] !== undefined);
      c.el.classList.toggle('gvl-hidden', !show);
    });
    edgeEls.forEach(function (e) {
      var on = cur !== null && !e.back && (s === 'forward' ? e.to === cur : e.from === cur);
      e.el.classList.toggle('gvl-current-edge', on);
    });
    var fwd = document.getElementById('btn-forward'), bwd = document.getElementById('btn-backward');
    fwd.disabled = state.step !== 'all' && state.step >= F;
    bwd.disabled = state.step === 'all' || state.step >= T || backOrder.length === 0;
    document.getElementById('btn-prev').disabled = state.step === 0;
    document.getElementById('btn-reset').disabled = state.step === 0;
    document.getElementById('btn-all').disabled = state.step === 'all';
    caption();
    showPanel(state.hover !== null ? state.hover : state.selected);
    ensureVisible(cur !== null ? cur : state.selected);
  }

  /* ---- state and the URL fragment ------------------------------------------ */

  function writeHash() {
    var parts = [];
    if (state.selected !== null) parts.push('node=' + encodeURIComponent(nodes[state.selected].display_name));
    if (state.step !== 'all') parts.push('step=' + state.step);
    if (state.after) parts.push('after=1');
    var h = parts.length ? '#' + parts.join('&') : ' ';
    if (location.hash === h) return;
    try { history.replaceState(null, '', h === ' ' ? location.pathname + location.search : h); }
    catch (e) { /* some browsers refuse it on file://: the state still holds */ }
  }

  function set(changes) {
    Object.keys(changes).forEach(function (k) { state[k] = changes[k]; });
    paint();
    writeHash();
  }

  function select(id) { set({ selected: id }); }

  function go(step) {
    if (step !== 'all') step = Math.max(0, Math.min(T, step));
    set({ step: step });
  }

  function next() { go(state.step === 'all' ? 1 : state.step + 1); }
  function prev() { go(state.step === 'all' ? T - 1 : state.step - 1); }

  function findNode(name) {
    for (var i = 0; i < F; i++) if (nodes[i].display_name === name) return i;
    for (i = 0; i < F; i++) if (nodes[i].name === name) return i;
    return null;
  }

  function readHash() {
    var h = location.hash.replace(/^#/, ''), changes = { selected: null, step: 'all', after: false };
    h.split('&').forEach(function (kv) {
      if (!kv) return;
      var i = kv.indexOf('='), k = i < 0 ? kv : kv.slice(0, i), v = i < 0 ? '' : kv.slice(i + 1);
      try { v = decodeURIComponent(v); } catch (e) { return; }
      if (k === 'node') changes.selected = findNode(v);
      else if (k === 'step' && /^\d+$/.test(v)) changes.step = Math.min(T, Number(v));
      else if (k === 'step' && v === 'all') changes.step = 'all';
      else if (k === 'after') changes.after = v !== '0' && Object.keys(info.after).length > 0;
    });
    Object.keys(changes).forEach(function (k) { state[k] = changes[k]; });
    document.getElementById('after-toggle').checked = state.after;
    paint();
  }

  /* ---- controls --------------------------------------------------------- */

  function wire() {
    document.getElementById('btn-forward').addEventListener('click', function () {
      go(state.step === 'all' ? 1 : Math.min(state.step + 1, F));
    });
    document.getElementById('btn-backward').addEventListener('click', function () {
      /* gradients need every value: inside the forward pass, it ends it first */
      go(state.step === 'all' ? T : Math.max(state.step, F) + 1);
    });
    document.getElementById('btn-prev').addEventListener('click', prev);
    document.getElementById('btn-reset').addEventListener('click', function () { go(0); });
    document.getElementById('btn-all').addEventListener('click', function () { go('all'); });
    var toggle = document.getElementById('after-toggle');
    if (Object.keys(info.after).length) {
      document.getElementById('after-control').hidden = false;
      document.getElementById('after-text').textContent = 'params after ' + stepsText();
      toggle.addEventListener('change', function () { set({ after: toggle.checked }); });
    }
    document.addEventListener('keydown', function (ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
      var t = ev.target;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA')) return;
      var act = { ArrowRight: next, ArrowDown: next, ArrowLeft: prev, ArrowUp: prev,
                  Home: function () { go(0); }, End: function () { go('all'); } }[ev.key];
      if (act) { ev.preventDefault(); act(); }
    });
    window.addEventListener('hashchange', readHash);
  }

  /* ---- pan and zoom ------------------------------------------------------ */

  /* The whole graph fits the frame when its text stays readable; a deep
   * graph is shown at this zoom (1 = the SVG's own size) instead, and the
   * view follows the current or selected box. */
  var READABLE = 0.8;
  var panZoom = null;

  /* Pans so that box ID is in view.  svg-pan-zoom applies a pan or zoom at
   * the next animation frame, so positions come from its state (pan and
   * zoom, set at once) and from the box's place inside the zoomed group
   * (which neither changes), never from where the box is on the screen. */
  function ensureVisible(id) {
    if (!panZoom || id === null || !boxes[id]) return;
    var g = boxes[id][0], b = g.getBBox();
    var vp = svg.querySelector('.svg-pan-zoom_viewport');
    var m = vp.getCTM().inverse().multiply(g.getCTM());
    var p = svg.createSVGPoint();
    p.x = b.x + b.width / 2;
    p.y = b.y + b.height / 2;
    p = p.matrixTransform(m);
    var sizes = panZoom.getSizes(), z = sizes.realZoom, pan = panZoom.getPan();
    var x = pan.x + z * p.x, y = pan.y + z * p.y;
    /* a box whose centre is in view is left where it is: the whole graph
     * stays in view when it fits */
    if (x >= 0 && x <= sizes.width && y >= 0 && y <= sizes.height) return;
    panZoom.pan({ x: sizes.width / 2 - z * p.x, y: sizes.height / 2 - z * p.y });
  }

  function startPanZoom() {
    if (typeof svgPanZoom !== 'function') return;
    panZoom = svgPanZoom(svg, { zoomEnabled: true, controlIconsEnabled: true, dblClickZoomEnabled: false,
                                fit: true, center: true, minZoom: 0.05, maxZoom: 80 });
    var real = panZoom.getSizes().realZoom;
    if (real < READABLE) {
      panZoom.zoom(panZoom.getZoom() * READABLE / real);
      ensureVisible(0);
    }
  }

  prepareSvg();
  wire();
  startPanZoom();
  readHash();
})();
