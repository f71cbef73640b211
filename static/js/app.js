// e-Cabinet client glue. No inline scripts anywhere: the CSP forbids them.
"use strict";

// Every htmx request carries the CSRF token from the page's meta tag.
document.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) event.detail.headers["X-CSRF-Token"] = meta.content;
});

// A select with data-autosubmit submits its form when changed (organisation switcher).
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.dataset.autosubmit !== undefined) {
    target.form?.requestSubmit();
  }
});

// Buttons with data-confirm ask before submitting.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  const message = button?.dataset.confirm || event.target.dataset?.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

// The account menu in the top bar closes when you tap elsewhere or press Escape.
document.addEventListener("click", (event) => {
  for (const menu of document.querySelectorAll("details.account-menu[open]")) {
    if (!menu.contains(event.target)) menu.open = false;
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  for (const menu of document.querySelectorAll("details.account-menu[open]")) {
    menu.open = false;
    menu.querySelector("summary")?.focus();
  }
});
