// nncalc's page: send the source to /api/analyze as the user types (debounced) and show the answer.
"use strict";

const DEBOUNCE_MS = 350;
const PASTED = "<pasted>";
const $ = (id) => document.getElementById(id);
const state = {
  examples: [], filename: PASTED, result: null, selected: -1, sequence: 0, timer: null, controller: null,
  openRows: null,   // names of the table's open modules; null: as deep as the answer's open_depth
  expand: null,     // names of the diagram's open blocks; null: the server's default drawing
  replacingAll: false,
};

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

// ----- editor: line numbers and the error line ------------------------------------------------------------
function lineCount() { return $("code").value.split("\n").length; }

function renderGutter(errorLine) {
  const gutter = $("gutter");
  const lines = lineCount();
  if (gutter.childElementCount !== lines) {
    gutter.replaceChildren(...Array.from({ length: lines }, (_, i) => el("div", { class: "ln", "data-line": i + 1 }, String(i + 1))));
  }
  for (const node of gutter.querySelectorAll(".ln.error")) node.classList.remove("error");
  const band = $("error-band");
  if (errorLine && errorLine <= lines) {
    gutter.children[errorLine - 1].classList.add("error");
    band.hidden = false;
    band.dataset.line = errorLine;
  } else {
    band.hidden = true;
    delete band.dataset.line;
  }
  syncScroll();
}

function syncScroll() {
  const code = $("code");
  $("gutter").scrollTop = code.scrollTop;
  const band = $("error-band");
  if (!band.hidden) {
    const lineHeight = parseFloat(getComputedStyle(code).lineHeight) || 20;
    band.style.top = `${8 + (band.dataset.line - 1) * lineHeight - code.scrollTop}px`;
  }
}

function guessFramework(code) {
  if (/\b(import\s+torch|from\s+torch|nn\.Module|nn\.\w+\()/.test(code)) return "PyTorch";
  if (/\b(keras|tensorflow|Sequential\(|Conv2D\(|Dense\()/.test(code)) return "Keras";
  return "—";
}

function setFilename(name) {
  state.filename = name;
  $("filename").textContent = name === PASTED ? "pasted code" : name;
}

// ----- talking to the API -----------------------------------------------------------------------------------
function schedule() {
  clearTimeout(state.timer);
  $("framework").textContent = `framework: ${guessFramework($("code").value)}`;
  renderGutter(null);
  state.timer = setTimeout(analyze, DEBOUNCE_MS);
}

async function analyze() {
  clearTimeout(state.timer);
  const code = $("code").value;
  const sequence = ++state.sequence;
  if (state.controller) state.controller.abort();
  if (!code.trim()) { showEmpty(); return; }
  state.controller = new AbortController();
  const batch = $("batch").value.trim();
  const body = { code, filename: state.filename, input_shape: $("input-shape").value.trim() || null,
                 batch: batch ? Number(batch) : null, model: $("model").value.trim() || null, expand: state.expand };
  $("status").textContent = "analysing…";
  let answer;
  try {
    const response = await fetch("/api/analyze", { method: "POST", headers: { "Content-Type": "application/json" },
                                                    body: JSON.stringify(body), signal: state.controller.signal });
    answer = await response.json();
  } catch (err) {
    if (err.name === "AbortError") return;
    answer = { ok: false, kind: "Network", text: "the nncalc server does not answer; is `nncalc serve` running?" };
  }
  if (sequence !== state.sequence) return;
  $("status").textContent = "";
  if (answer.ok) showResult(answer); else showError(answer);
}

function showEmpty() {
  state.result = null;
  document.querySelector(".results").classList.remove("stale");
  $("stale").hidden = true;
  $("status").textContent = "";
  $("error").hidden = true;
  $("summary").textContent = "";
  $("layers").tBodies[0].replaceChildren();
  $("totals").replaceChildren();
  $("notes").replaceChildren();
  $("formula-title").textContent = "";
  $("layer-formula").replaceChildren();
  $("total-formula").replaceChildren();
  $("diagram").replaceChildren();
  setExports(false);
}

function showError(answer) {
  const box = $("error");
  box.hidden = false;
  box.textContent = answer.text + (answer.hint ? `\nhint: ${answer.hint}` : "");
  box.dataset.line = answer.line || "";
  // the last good result stays for comparison, greyed out and labelled as out of date
  const stale = state.result !== null;
  document.querySelector(".results").classList.toggle("stale", stale);
  $("stale").hidden = !stale;
  setExports(false);
  renderGutter(answer.line);
}

function showResult(result) {
  state.result = result;
  $("error").hidden = true;
  $("stale").hidden = true;
  document.querySelector(".results").classList.remove("stale");
  renderGutter(null);
  const fw = result.framework === "pytorch" ? "PyTorch" : "Keras";
  $("framework").textContent = `framework: ${fw}`;
  const summary = $("summary");
  summary.replaceChildren(el("strong", { id: "total-params" }, result.totals[0].value.split(" ")[0]),
                          document.createTextNode(` parameters · ${result.model} (${fw})`));
  renderTable(result);
  $("totals").replaceChildren(...result.totals.flatMap((t) => [el("dt", {}, t.label), el("dd", {}, t.value)]));
  $("notes").replaceChildren(...result.notes.map((n) => el("li", {}, n)));
  showTotal(result);
  renderDiagram(result);
  const keep = result.rows.find((r) => r.index === state.selected);
  select(keep || result.rows.find((r) => r.latex.length && r.is_leaf) || result.rows[0], false);
  setExports(true);
}

// ----- the table: a module tree with subtotals, folded to a few levels --------------------------------------
function rowKey(row) { return row.name || `#${row.index}`; }

function openRows(result) {
  if (state.openRows === null) {
    return new Set(result.rows.filter((r) => !r.is_leaf && r.depth < result.open_depth).map((r) => r.index));
  }
  return new Set(result.rows.filter((r) => state.openRows.has(rowKey(r))).map((r) => r.index));
}

function toggleRow(row) {
  const open = openRows(state.result);
  if (open.has(row.index)) open.delete(row.index); else open.add(row.index);
  state.openRows = new Set([...open].map((i) => rowKey(state.result.rows[i])));
  renderTable(state.result);
}

const measure = document.createElement("canvas").getContext("2d");

function fitColumns(result) {
  // each numeric column as wide as its longest value (of every row, shown or not), so that no number is cut
  // and opening a module moves nothing; the layer's name takes the rest of the width
  const table = $("layers");
  const columns = { shape: ["output_shape", 190], params: ["params", 400], macs: ["macs", 400], memory: ["memory", 400] };
  for (const [column, [key, most]] of Object.entries(columns)) {
    const th = table.querySelector(`th.${column}`);
    const td = table.querySelector(`tbody td.${column === "shape" ? "shape" : "num"}`);
    if (!td || getComputedStyle(th).display === "none" && column === "shape") continue;
    const cell = getComputedStyle(td);
    measure.font = cell.font;
    const longest = Math.max(...result.rows.map((row) => measure.measureText(row[key]).width));
    measure.font = getComputedStyle(th).font;
    const title = measure.measureText(th.textContent).width;
    const padding = parseFloat(cell.paddingLeft) + parseFloat(cell.paddingRight);
    table.style.setProperty(`--w-${column}`, `${Math.ceil(Math.min(Math.max(longest, title), most) + padding + 2)}px`);
  }
}

function renderTable(result) {
  const open = openRows(result);
  const inside = new Map(result.rows.map((row) => [row.index, []]).concat([[-1, []]]));
  for (const row of result.rows) inside.get(row.parent).push(row);
  const shown = [];  // in tree order: a module's rows under it, even one it holds but never calls
  const walk = (parent) => {
    for (const row of inside.get(parent)) {
      shown.push(row);
      if (open.has(row.index)) walk(row.index);
    }
  };
  walk(-1);
  const hasChildren = new Set(result.rows.filter((r) => r.parent >= 0).map((r) => r.parent));
  const rows = shown.map((row) => {
    const tr = el("tr", { "data-index": row.index, class: row.is_leaf ? "layer" : "container" });
    tr.classList.toggle("selected", row.index === state.selected);
    const name = el("td", { class: "name", title: row.label + (row.line ? `, line ${row.line}` : "") });
    const cell = el("div", { class: "cell" });
    cell.style.setProperty("--indent", String(Math.max(row.depth - 1, 0)));
    name.append(cell);
    if (hasChildren.has(row.index)) {
      const isOpen = open.has(row.index);
      const twist = el("button", { type: "button", class: "twist", "aria-expanded": String(isOpen),
                                   "aria-label": `${isOpen ? "close" : "open"} ${row.label}` }, isOpen ? "▾" : "▸");
      twist.addEventListener("click", (event) => { event.stopPropagation(); toggleRow(row); });
      cell.append(twist);
    } else {
      cell.append(el("span", { class: "twist-space" }));
    }
    cell.append(el("span", { class: "label" }, row.short));
    tr.append(name, el("td", { class: "shape" }, row.output_shape), el("td", { class: "num" }, row.params),
              el("td", { class: "num" }, row.macs), el("td", { class: "num" }, row.memory));
    tr.addEventListener("click", () => select(row, false));
    return tr;
  });
  $("layers").tBodies[0].replaceChildren(...rows);
  fitColumns(result);
}

function reveal(row) {
  // open the modules around a row chosen in the diagram, so that it shows in the table
  const open = openRows(state.result);
  let changed = false;
  for (let p = row.parent; p >= 0; p = state.result.rows[p].parent) {
    if (!open.has(p)) { open.add(p); changed = true; }
  }
  if (changed) {
    state.openRows = new Set([...open].map((i) => rowKey(state.result.rows[i])));
    renderTable(state.result);
  }
}

function select(row, fromDiagram) {
  if (!row || !state.result) return;
  state.selected = row.index;
  if (fromDiagram) reveal(row);
  for (const tr of $("layers").tBodies[0].rows) tr.classList.toggle("selected", Number(tr.dataset.index) === row.index);
  for (const box of $("diagram").querySelectorAll("g.box[data-row]")) {
    box.classList.toggle("selected", Number(box.dataset.row) === row.index);
  }
  if (fromDiagram) {
    const tr = $("layers").querySelector(`tbody tr[data-index="${row.index}"]`);
    const wrap = document.querySelector(".table-wrap");
    if (tr) wrap.scrollTop = tr.offsetTop - wrap.clientHeight / 2;
  }
  $("formula-title").textContent = `— ${row.label}${row.line ? `, line ${row.line}` : ""}`;
  typeset($("layer-formula"), row.latex.length ? row.latex : ["\\text{no weights: Params} = 0"]);
}

function typeset(target, blocks) {
  target.replaceChildren();
  for (const tex of blocks) {
    const div = el("div", { class: "tex" });
    if (window.katex) {
      window.katex.render(tex, div, { displayMode: true, throwOnError: false, output: "htmlAndMathml" });
    } else {
      div.textContent = tex;
    }
    target.append(div);
    fitMath(div);
  }
}

function showTotal(result) {
  const narrow = $("total-formula").clientWidth < 480;  // a phone: the sum wrapped into shorter lines
  typeset($("total-formula"), [narrow ? result.total_latex_narrow : result.total_latex]);
}

function fitMath(div) {
  // a formula wider than its box (a phone) is set smaller, down to 55 %; past that it scrolls sideways
  div.style.fontSize = "";
  if (div.scrollWidth > div.clientWidth && div.clientWidth > 0) {
    div.style.fontSize = `${Math.max(0.55, (0.98 * div.clientWidth) / div.scrollWidth)}em`;
  }
}

// ----- the diagram: drawn by the server, blocks opened and closed on request ---------------------------------
function renderDiagram(result) {
  const holder = $("diagram");
  const scroll = [holder.scrollTop, holder.scrollLeft];
  holder.innerHTML = result.svg;  // generated by nncalc, every text escaped server-side
  [holder.scrollTop, holder.scrollLeft] = scroll;
  for (const box of holder.querySelectorAll("g.box[data-row]")) {
    box.addEventListener("click", () => select(result.rows[Number(box.dataset.row)], true));
    if (box.dataset.key) box.addEventListener("dblclick", () => toggleBlock(box.dataset.key));
  }
  for (const toggle of holder.querySelectorAll("g.toggle")) {
    toggle.addEventListener("click", (event) => { event.stopPropagation(); toggleBlock(toggle.dataset.key); });
  }
}

function toggleBlock(key) {
  const open = new Set(state.result ? state.result.diagram_open : []);
  if (open.has(key)) open.delete(key); else open.add(key);
  state.expand = [...open];
  analyze();
}

// ----- exports ----------------------------------------------------------------------------------------------
function setExports(enabled) {
  for (const button of document.querySelectorAll("[data-export]")) button.disabled = !enabled;
}

function baseName() {
  return (state.filename.replace(/[<>]/g, "").replace(/\.py$/, "") || "model");
}

function download(text, type, extension) {
  const blob = text instanceof Blob ? text : new Blob([text], { type });
  const link = el("a", { href: URL.createObjectURL(blob), download: `${baseName()}.${extension}` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

function exportAs(kind) {
  const result = state.result;
  if (!result) return;
  if (kind === "markdown") download(result.exports.markdown, "text/markdown", "md");
  else if (kind === "latex") download(result.exports.latex, "application/x-tex", "tex");
  else if (kind === "json") download(result.exports.json, "application/json", "json");
  else if (kind === "svg") download(result.svg, "image/svg+xml", "svg");
  else if (kind === "png") exportPng(result.svg);
}

function exportPng(svg) {
  const image = new Image();
  image.onload = () => {
    const scale = 2;
    const canvas = el("canvas", { width: image.width * scale, height: image.height * scale });
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    canvas.toBlob((blob) => download(blob, "image/png", "png"), "image/png");
  };
  image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
}

// ----- wiring -------------------------------------------------------------------------------------------------
function loadSource(code, filename) {
  showEmpty();  // nothing of the previous file stays on screen
  $("code").value = code;
  setFilename(filename);
  state.selected = -1;
  state.openRows = null;
  state.expand = null;
  $("code").scrollTop = 0;
  schedule();
}

async function start() {
  const code = $("code");
  // text that replaces everything (select all and paste or type, or an empty editor) is no longer the file
  code.addEventListener("beforeinput", () => {
    state.replacingAll = code.value.length === 0 || (code.selectionStart === 0 && code.selectionEnd === code.value.length);
  });
  code.addEventListener("input", () => {
    if (state.replacingAll || !code.value) {
      setFilename(PASTED);
      state.openRows = null;
      state.expand = null;
    }
    state.replacingAll = false;
    schedule();
  });
  code.addEventListener("scroll", syncScroll);
  code.addEventListener("keydown", (event) => {
    if (event.key === "Tab") {  // a tab key indents instead of leaving the editor
      event.preventDefault();
      code.setRangeText("    ", code.selectionStart, code.selectionEnd, "end");
      schedule();
    }
  });
  $("input-shape").addEventListener("input", schedule);
  $("batch").addEventListener("input", schedule);
  $("model").addEventListener("input", schedule);
  $("open-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    event.target.value = "";
    if (!file) return;
    if (!file.name.endsWith(".ipynb")) { loadSource(await file.text(), file.name); return; }
    // a notebook: the server gives its code cells as one script (# %% [cell N] before each), shown and analysed
    let answer;
    try {
      const response = await fetch("/api/notebook", { method: "POST", headers: { "Content-Type": "application/json" },
                                                       body: JSON.stringify({ code: await file.text(), filename: file.name }) });
      answer = await response.json();
    } catch (err) {
      answer = { ok: false, kind: "Network", text: "the nncalc server does not answer; is `nncalc serve` running?" };
    }
    if (answer.code === undefined) {  // not a notebook: say so, and nothing of the previous file stays
      clearTimeout(state.timer);
      showEmpty();
      $("code").value = "";
      setFilename(file.name);
      showError(answer);
      return;
    }
    loadSource(answer.code, answer.filename);
    $("filename").textContent = `${answer.filename} (the code cells of ${file.name})`;
  });
  for (const button of document.querySelectorAll("[data-export]")) {
    button.addEventListener("click", () => exportAs(button.dataset.export));
  }
  setFilename(PASTED);
  renderGutter(null);
  let resizing = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => {
      if (state.result) showTotal(state.result);
      document.querySelectorAll(".math .tex").forEach(fitMath);
    }, 150);
  });
  try {
    state.examples = await (await fetch("/api/examples")).json();
  } catch (err) {
    state.examples = [];
  }
  for (const button of document.querySelectorAll("[data-example]")) {
    button.addEventListener("click", () => {
      const example = state.examples[Number(button.dataset.example)];
      if (example) loadSource(example.code, example.filename);
    });
  }
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", start);
