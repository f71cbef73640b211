// The agenda builder and the positions page. Loaded with <script defer>; the CSP forbids
// inline scripts. Without JavaScript every action still works through its plain form.
"use strict";

(() => {
  const BUILDER = "agenda-builder";
  let focusKey = "";

  // -- the live region: "Order saved", in the page's language (given by the server) ----------
  function announce(which) {
    const region = document.getElementById("agenda-live");
    if (!region) return;
    region.textContent = "";
    const text = which ? region.dataset[which] || "" : "";
    // A short pause, so that the same message said twice is announced twice.
    window.setTimeout(() => {
      region.textContent = text;
    }, 50);
  }

  // -- saving a dragged order -----------------------------------------------------------------
  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  // Sortable animates with inline styles (set through the CSSOM, which the CSP allows). htmx
  // copies an old element's style attribute onto its new twin while settling, which the CSP
  // refuses; so the styles go before any swap of the agenda.
  function dropInlineStyles(root) {
    if (!root) return;
    root.removeAttribute("style");
    for (const element of root.querySelectorAll("[style]")) element.removeAttribute("style");
  }

  function replaceBuilder(html) {
    const builder = document.getElementById(BUILDER);
    if (!builder) return;
    dropInlineStyles(builder);
    htmx.swap(builder, html, { swapStyle: "outerHTML" });
  }

  async function request(method, url, body) {
    return fetch(url, {
      method,
      body,
      credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRF-Token": csrfToken() },
    });
  }

  // After a failure the agenda is read again, so the screen never shows an unsaved order.
  async function reload() {
    const builder = document.getElementById(BUILDER);
    if (!builder) return;
    try {
      const response = await request("GET", builder.dataset.refreshUrl);
      if (response.ok) replaceBuilder(await response.text());
    } catch {
      window.location.reload();
    }
  }

  async function saveOrder(list) {
    const builder = document.getElementById(BUILDER);
    const body = new URLSearchParams();
    body.append("parent_id", list.dataset.parentId || "");
    for (const item of list.querySelectorAll(":scope > li[data-id]")) {
      body.append("item_ids", item.dataset.id);
    }
    builder.setAttribute("aria-busy", "true");
    try {
      const response = await request("POST", builder.dataset.orderUrl, body);
      // 409: the agenda changed meanwhile; the answer is the current agenda with the message.
      if (response.ok || response.status === 409) {
        replaceBuilder(await response.text());
        announce(response.ok ? "saved" : "");
        return;
      }
      await reload();
    } catch {
      await reload();
    }
    announce("failed");
  }

  // -- drag and drop: one Sortable per sibling list, a visible handle, touch first ------------
  function makeSortable(list) {
    if (list.dataset.sortableReady || typeof Sortable === "undefined") return;
    list.dataset.sortableReady = "true";
    const level = list.dataset.sortable; // "main" or "sub"
    Sortable.create(list, {
      group: `agenda-${list.dataset.parentId || "main"}`, // never across lists
      draggable: "li[data-id]",
      handle: `.handle-${level}`,
      forceFallback: true, // the same pointer emulation for touch and mouse
      fallbackOnBody: true,
      fallbackTolerance: 3,
      delay: 150, // on touch, a short hold picks the item up; a swipe scrolls the page
      delayOnTouchOnly: true,
      touchStartThreshold: 5,
      animation: 150,
      ghostClass: "is-ghost",
      chosenClass: "is-chosen",
      dragClass: "is-dragged",
      onEnd(event) {
        if (event.oldIndex !== event.newIndex) saveOrder(list);
      },
    });
  }

  htmx.onLoad((element) => {
    const lists = element.matches?.("[data-sortable]") ? [element] : [];
    lists.push(...element.querySelectorAll("[data-sortable]"));
    lists.forEach(makeSortable);
  });

  // -- keyboard: after Move up / Move down (or a saved position) the focus stays put ----------
  document.addEventListener(
    "submit",
    (event) => {
      const button = event.submitter || document.activeElement;
      focusKey = button?.dataset?.focusKey || "";
    },
    true,
  );

  function refocus() {
    if (!focusKey) return;
    const [direction, id] = focusKey.split(/-(.*)/s);
    const other = { up: "down", down: "up" }[direction];
    const candidates = [focusKey, other ? `${other}-${id}` : ""].filter(Boolean);
    focusKey = "";
    for (const key of candidates) {
      const target = document.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
      if (target && !target.disabled) {
        target.focus();
        return;
      }
    }
  }

  document.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.target?.id === BUILDER) dropInlineStyles(event.detail.target);
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    const builderSwap = event.target?.id === BUILDER;
    refocus();
    if (builderSwap && event.detail.xhr) {
      announce(event.detail.xhr.status === 200 ? "saved" : "");
    }
  });
})();
