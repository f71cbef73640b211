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
if (root) start(root);

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
  }

  function show(number) {
    const total = state.pdf.numPages;
    const page = Math.min(Math.max(Number.parseInt(number, 10) || 1, 1), total);
    state.page = page;
    ui.pageInput.value = String(page);
    ui.button("prev").disabled = page <= 1;
    ui.button("next").disabled = page >= total;
    markThumb(page);
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

  const shown = show(1);

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
