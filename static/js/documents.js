// Uploads on the documents page: each chosen file is its own request, with its own progress bar.
// The body is the raw file; the name travels percent-encoded in X-File-Name, the rest in the query.
"use strict";

(() => {
  const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

  function message(form, key) {
    return form.dataset["message" + key] || form.dataset.messageOther || "";
  }

  function addRow(list, file) {
    const row = document.createElement("li");
    row.className = "upload-result";
    const name = document.createElement("span");
    name.className = "upload-name";
    name.textContent = file.name;
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", file.name);
    const status = document.createElement("span");
    status.className = "upload-message";
    status.setAttribute("role", "status");
    row.append(name, bar, status);
    list.prepend(row);
    return { row, bar, status };
  }

  function finish(parts, ok, text) {
    parts.row.classList.add(ok ? "upload-ok" : "upload-failed");
    parts.status.setAttribute("role", ok ? "status" : "alert");
    parts.status.textContent = text;
    if (ok) parts.bar.value = 100;
  }

  // The server's own message (a list row), else ours for that status.
  function answerOf(form, xhr) {
    const page = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    const found = page.querySelector(".upload-message");
    if (found && found.textContent.trim()) return found.textContent.trim();
    const byStatus = { 403: "403", 404: "404", 409: "409", 413: "TooLarge" }[xhr.status];
    return message(form, byStatus || "Other");
  }

  function send(form, file, query, list) {
    const parts = addRow(list, file);
    if (file.size > Number(form.dataset.maxBytes || Infinity)) {
      finish(parts, false, message(form, "TooLarge"));
      return Promise.resolve(false);
    }
    parts.status.textContent = message(form, "Sending");
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.dataset.uploadUrl + (query ? "?" + query : ""));
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
      xhr.setRequestHeader("X-CSRF-Token", csrfToken());
      xhr.setRequestHeader("Accept", "text/html");
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) parts.bar.value = Math.round((event.loaded / event.total) * 100);
      };
      xhr.onload = () => {
        const ok = xhr.status === 201;
        finish(parts, ok, answerOf(form, xhr));
        resolve(ok);
      };
      xhr.onerror = () => {
        finish(parts, false, message(form, "Network"));
        resolve(false);
      };
      xhr.send(file);
    });
  }

  function queryOf(form, files) {
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (value instanceof File || name === "csrf_token") continue;
      if (name === "title" && files.length > 1) continue; // each file keeps its own name
      if (value) query.append(name, value);
    }
    return query.toString();
  }

  function refreshList() {
    const target = document.getElementById("document-list");
    if (target && window.htmx) {
      window.htmx.ajax("GET", target.dataset.refreshUrl, { target: target, swap: "outerHTML" });
    }
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.uploadUrl) return;
    event.preventDefault();
    const input = form.querySelector('input[type="file"]');
    const list = document.querySelector(form.dataset.results);
    const files = Array.from(input?.files || []);
    if (!list) return;
    if (!files.length) {
      finish(addRow(list, { name: "" }), false, message(form, "None"));
      return;
    }
    const query = queryOf(form, files);
    Promise.all(files.map((file) => send(form, file, query, list))).then((results) => {
      if (results.some(Boolean)) refreshList();
    });
    input.value = "";
  });
})();
