// The in-page PDF reader (templates/documents/_reader_pdf.html), an ES module on PDF.js 5.
// The file arrives by HTTP range requests, page by page; one page is drawn at a time, fitted
// to the width, with thumbnails drawn only when they scroll into view. URLs and labels come
// from data- attributes (the CSP forbids inline scripts); sizes are set through the CSSOM.
const MIN_ZOOM = 0.5;
const MAX_ZOOM = 4;
const ZOOM_STEP = 1.25;
const THUMB_WIDTH = 96;

const root = document.getElementById("reader");

function innerWidth(element) {
  const style = window.getComputedStyle(element);
  const padding = Number.parseFloat(style.paddingLeft) + Number.parseFloat(style.paddingRight);
  return element.clientWidth - padding;
}
const notes = root ? setUpNotes(root) : null;
if (root) start(root);

// The page in the address ("#page=3"), so that links and a reload open the reader there.
function pageFromHash() {
  const match = /(?:^#|&)page=(\d+)/.exec(window.location.hash);
  return match ? Number(match[1]) : 0;
}

async function start(root) {
  const $ = (id) => document.getElementById(id);
  const ui = {
    stage: $("reader-stage"),
    canvas: $("reader-canvas"),
    pageInput: $("reader-page"),
    count: $("reader-count"),
    zoom: $("reader-zoom"),
    thumbs: $("reader-thumbs"),
    status: $("reader-status"),
    button: (action) => root.querySelector(`[data-action="${action}"]`),
  };
  const state = { pdf: null, page: 1, zoom: 1, task: null, wanted: 0 };

  ui.status.textContent = root.dataset.loading || "";
  let pdfjs;
  try {
    pdfjs = await import(root.dataset.pdfjs);
    pdfjs.GlobalWorkerOptions.workerSrc = root.dataset.worker;
    state.pdf = await pdfjs.getDocument({
      url: root.dataset.file,
      disableAutoFetch: true, // fetch only the ranges the shown pages need
      disableStream: true,
      useWasm: false, // the CSP allows no WebAssembly compilation
    }).promise;
  } catch (error) {
    ui.status.textContent = root.dataset.failed || String(error);
    return;
  }
  ui.status.textContent = "";
  ui.count.textContent = String(state.pdf.numPages);
  ui.pageInput.max = String(state.pdf.numPages);
  ui.pageInput.disabled = false;
  notes.ready(state.pdf);

  // -- one page on the stage -------------------------------------------------------------
  async function draw(number) {
    const wanted = ++state.wanted;
    if (state.task) state.task.cancel();
    const page = await state.pdf.getPage(number);
    if (wanted !== state.wanted) return;
    const natural = page.getViewport({ scale: 1 });
    const fit = Math.max(innerWidth(ui.stage), 100) / natural.width;
    const viewport = page.getViewport({ scale: fit * state.zoom });
    const ratio = window.devicePixelRatio || 1;
    const canvas = ui.canvas;
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    // Fitted, the canvas follows the stage's width at once when the tablet turns (redrawn
    // sharp a moment later); zoomed, it keeps its size and the stage scrolls.
    const fitted = state.zoom === 1;
    canvas.style.width = fitted ? "100%" : `${Math.floor(viewport.width)}px`;
    canvas.style.height = fitted ? "auto" : `${Math.floor(viewport.height)}px`;
    canvas.style.transform = "";
    const transform = ratio === 1 ? null : [ratio, 0, 0, ratio, 0, 0];
    state.task = page.render({ canvas, viewport, transform });
    try {
      await state.task.promise;
    } catch (error) {
      if (error && error.name === "RenderingCancelledException") return;
      ui.status.textContent = root.dataset.failed || String(error);
      return;
    }
    canvas.dataset.renderedPage = String(number);
    canvas.setAttribute("aria-label", `${root.dataset.pageLabel || ""} ${number}`);
    notes.paint();
  }

  function show(number) {
    const total = state.pdf.numPages;
    const page = Math.min(Math.max(Number.parseInt(number, 10) || 1, 1), total);
    state.page = page;
    ui.pageInput.value = String(page);
    ui.button("prev").disabled = page <= 1;
    ui.button("next").disabled = page >= total;
    markThumb(page);
    window.history.replaceState(null, "", `#page=${page}`);
    notes.turned(page);
    return draw(page);
  }

  function markThumb(page) {
    for (const thumb of ui.thumbs.querySelectorAll("button")) {
      if (Number(thumb.dataset.page) === page) thumb.setAttribute("aria-current", "page");
      else thumb.removeAttribute("aria-current");
    }
    // Scroll the strip only (scrollIntoView would move the whole page too).
    const current = ui.thumbs.querySelector('[aria-current="page"]');
    if (!current) return;
    const box = current.getBoundingClientRect();
    const area = ui.thumbs.getBoundingClientRect();
    if (box.top < area.top || box.bottom > area.bottom) ui.thumbs.scrollTop += box.top - area.top;
    if (box.left < area.left || box.right > area.right) ui.thumbs.scrollLeft += box.left - area.left;
  }

  function zoomTo(zoom) {
    state.zoom = Math.min(Math.max(zoom, MIN_ZOOM), MAX_ZOOM);
    ui.zoom.textContent = `${Math.round(state.zoom * 100)}%`;
    return draw(state.page);
  }

  // -- buttons, the page number, the keyboard ----------------------------------------------
  root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (!button || button.disabled) return;
    const act = {
      prev: () => show(state.page - 1),
      next: () => show(state.page + 1),
      "zoom-in": () => zoomTo(state.zoom * ZOOM_STEP),
      "zoom-out": () => zoomTo(state.zoom / ZOOM_STEP),
      fit: () => zoomTo(1),
    }[button.dataset.action];
    if (act) act();
  });
  ui.pageInput.addEventListener("change", () => show(ui.pageInput.value));
  ui.pageInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      show(ui.pageInput.value);
    }
  });
  ui.stage.addEventListener("keydown", (event) => {
    const step = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 }[event.key];
    if (step) {
      event.preventDefault();
      show(state.page + step);
    }
  });

  // -- pinch to zoom: the canvas is scaled by CSS while the fingers move, redrawn after -----
  let pinch = null;
  const spread = (touches) =>
    Math.hypot(touches[0].clientX - touches[1].clientX, touches[0].clientY - touches[1].clientY);
  ui.stage.addEventListener(
    "touchstart",
    (event) => {
      if (event.touches.length === 2) pinch = { start: spread(event.touches), scale: 1 };
    },
    { passive: true },
  );
  ui.stage.addEventListener(
    "touchmove",
    (event) => {
      if (!pinch || event.touches.length !== 2) return;
      event.preventDefault();
      pinch.scale = spread(event.touches) / pinch.start;
      ui.canvas.style.transform = `scale(${pinch.scale})`;
    },
    { passive: false },
  );
  ui.stage.addEventListener("touchend", (event) => {
    if (!pinch || event.touches.length >= 2) return;
    const scale = pinch.scale;
    pinch = null;
    zoomTo(state.zoom * scale);
  });

  window.addEventListener("hashchange", () => {
    if (pageFromHash()) show(pageFromHash());
  });
  const shown = show(pageFromHash() || 1);

  // -- thumbnails, drawn when they come into view --------------------------------------------
  const first = await state.pdf.getPage(1);
  const shape = first.getViewport({ scale: 1 });
  const thumbHeight = Math.round((THUMB_WIDTH * shape.height) / shape.width);
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        drawThumb(entry.target);
      }
    },
    { root: ui.thumbs, rootMargin: "200px" },
  );
  for (let number = 1; number <= state.pdf.numPages; number += 1) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "reader-thumb";
    button.dataset.page = String(number);
    button.setAttribute("aria-label", `${root.dataset.pageLabel || ""} ${number}`);
    const canvas = document.createElement("canvas");
    canvas.style.width = `${THUMB_WIDTH}px`;
    canvas.style.height = `${thumbHeight}px`;
    const label = document.createElement("span");
    label.textContent = String(number);
    button.append(canvas, label);
    button.addEventListener("click", () => show(number));
    item.append(button);
    ui.thumbs.append(item);
    observer.observe(item);
  }
  markThumb(state.page);

  async function drawThumb(item) {
    const button = item.querySelector("button");
    const canvas = item.querySelector("canvas");
    const page = await state.pdf.getPage(Number(button.dataset.page));
    const natural = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: THUMB_WIDTH / natural.width });
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    try {
      await page.render({ canvas, viewport }).promise;
      canvas.dataset.rendered = "true";
    } catch {
      // A thumbnail that fails stays blank; the page itself still opens from it.
    }
  }

  let resized = 0;
  window.addEventListener("resize", () => {
    window.clearTimeout(resized);
    resized = window.setTimeout(() => draw(state.page), 150);
  });

  await shown;
}

// -- the reader's private notes and highlights -------------------------------------------
// The panel (#reader-notes) comes from the server and is replaced by every change; this part
// keeps it on the page being read, draws the highlights of this version over the page, and
// turns a drag on the page (mouse, finger or pen) into a new highlight.
function setUpNotes(root) {
  const $ = (id) => document.getElementById(id);
  const canvas = $("reader-canvas");
  const layer = $("reader-marks");
  const toggle = root.querySelector('[data-action="highlight"]');
  const version = root.dataset.version;
  const self = { page: pageFromHash() || 1, pdf: null, refocus: false };
  let drawing = null;

  const panel = () => $("reader-notes");
  const drawingOn = () => toggle.getAttribute("aria-pressed") === "true";
  const onThisPage = (item) =>
    item.dataset.version === version && Number(item.dataset.page) === self.page;

  function box(element, [x, y, w, h]) {
    element.style.left = `${x * 100}%`;
    element.style.top = `${y * 100}%`;
    element.style.width = `${w * 100}%`;
    element.style.height = `${h * 100}%`;
    return element;
  }

  function mark(rect, colour) {
    const element = document.createElement("div");
    element.className = `reader-mark mark-${colour}`;
    return box(element, rect);
  }

  // The layer lies exactly over the canvas, whatever its zoom and scroll.
  function paint() {
    layer.style.left = `${canvas.offsetLeft}px`;
    layer.style.top = `${canvas.offsetTop}px`;
    layer.style.width = `${canvas.offsetWidth}px`;
    layer.style.height = `${canvas.offsetHeight}px`;
    layer.replaceChildren();
    if (canvas.dataset.renderedPage !== String(self.page) || !panel()) return;
    for (const item of panel().querySelectorAll("[data-rects]")) {
      if (!onThisPage(item)) continue;
      for (const rect of JSON.parse(item.dataset.rects)) {
        layer.append(mark(rect, item.dataset.colour));
      }
    }
  }

  // The forms follow the page being read; its notes come first, the rest as the server sent.
  function arrange() {
    const here = panel();
    if (!here) return;
    for (const input of here.querySelectorAll("[data-current-page]")) {
      input.value = String(self.page);
    }
    for (const label of here.querySelectorAll("[data-page-label]")) {
      label.textContent = String(self.page);
    }
    const list = here.querySelector("[data-note-list]");
    if (list) {
      const items = [...list.children];
      items.forEach((item, index) => {
        item.dataset.order ??= String(index);
        item.classList.toggle("on-this-page", onThisPage(item));
      });
      const rank = (item) => (onThisPage(item) ? 0 : 1);
      items.sort((a, b) => rank(a) - rank(b) || a.dataset.order - b.dataset.order);
      list.append(...items);
    }
    paint();
  }

  document.addEventListener("htmx:beforeRequest", (event) => {
    self.refocus = event.target instanceof HTMLFormElement && !!event.target.closest("#reader-notes");
  });
  document.addEventListener("htmx:load", (event) => {
    if (event.target.id !== "reader-notes") return;
    arrange();
    const error = event.target.querySelector("#note-error");
    if (error) $("note-text").focus();
    else if (self.refocus) $("notes-title").focus();
    self.refocus = false;
  });

  // A link to a page of the version being read turns the page instead of reloading.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("#reader-notes a[data-page-link]");
    if (!link || !link.dataset.pageLink) return;
    event.preventDefault();
    window.location.hash = `page=${link.dataset.pageLink}`;
    root.scrollIntoView({ block: "start" });
  });

  // -- drawing a highlight ---------------------------------------------------------------
  function setDrawing(on) {
    toggle.setAttribute("aria-pressed", String(on));
    layer.classList.toggle("drawing", on);
    $("reader-hint").hidden = !on;
  }
  toggle.addEventListener("click", () => setDrawing(!drawingOn()));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && drawingOn()) setDrawing(false);
  });

  const clamp = (value) => Math.min(Math.max(value, 0), 1);
  function point(event) {
    const area = layer.getBoundingClientRect();
    return {
      x: clamp((event.clientX - area.left) / area.width),
      y: clamp((event.clientY - area.top) / area.height),
    };
  }
  // Rounded down, so that x + w never passes the page's edge.
  const floor = (value) => Math.floor(value * 10000) / 10000;
  function span(a, b) {
    const x = Math.min(a.x, b.x);
    const y = Math.min(a.y, b.y);
    return [floor(x), floor(y), floor(Math.abs(a.x - b.x)), floor(Math.abs(a.y - b.y))];
  }

  layer.addEventListener("pointerdown", (event) => {
    if (!drawingOn() || !event.isPrimary) return;
    event.preventDefault();
    layer.setPointerCapture(event.pointerId);
    const start = point(event);
    drawing = { start, element: mark([start.x, start.y, 0, 0], $("reader-colour").value) };
    drawing.element.classList.add("reader-mark-draft");
    layer.append(drawing.element);
  });
  layer.addEventListener("pointermove", (event) => {
    if (drawing) box(drawing.element, span(drawing.start, point(event)));
  });
  layer.addEventListener("pointerup", (event) => {
    if (!drawing) return;
    const rect = span(drawing.start, point(event));
    drawing = null;
    if (rect[2] < 0.01 || rect[3] < 0.005) paint(); // a tap, not a drag
    else save(rect);
  });
  layer.addEventListener("pointercancel", () => {
    drawing = null;
    paint();
  });

  async function save(rect) {
    const page = self.page;
    let quote = "";
    try {
      quote = await textUnder(page, rect);
    } catch {
      // The text is a convenience: the highlight is saved without it.
    }
    const values = {
      version,
      page: String(page),
      rects: JSON.stringify([rect]),
      colour: $("reader-colour").value,
      quote,
    };
    window.htmx
      .ajax("POST", root.dataset.highlights, { target: "#reader-notes", swap: "outerHTML", values })
      .catch(() => {
        $("reader-status").textContent = root.dataset.savingFailed || "";
      });
  }

  // The page's text lines that the rectangle touches, as PDF.js reads them.
  async function textUnder(number, [x, y, w, h]) {
    const page = await self.pdf.getPage(number);
    const view = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const words = [];
    for (const item of content.items) {
      if (!item.str || !item.transform) continue;
      const [left, baseline] = view.convertToViewportPoint(item.transform[4], item.transform[5]);
      const size = Math.hypot(item.transform[2], item.transform[3]);
      const top = (baseline - size) / view.height;
      const right = (left + item.width) / view.width;
      const inside = left / view.width < x + w && right > x && top < y + h && baseline / view.height > y;
      if (inside) words.push(item.str);
    }
    return words.join(" ").replace(/\s+/g, " ").trim().slice(0, 1000);
  }

  return {
    paint,
    turned(page) {
      self.page = page;
      arrange();
    },
    ready(pdf) {
      self.pdf = pdf;
      toggle.disabled = false;
    },
  };
}
