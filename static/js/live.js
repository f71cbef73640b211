// The live room: the reconnecting notice, the speaker's countdown (with one beep at 30 s on
// the console and the room screen), and small comforts around swaps pushed by the socket.
"use strict";

(() => {
  const connection = () => document.getElementById("live-connection");

  // htmx-ext-ws reconnects by itself (with backoff) after a broken connection; say so while
  // the socket is down.
  const RETRIED_BY_EXTENSION = [1006, 1011, 1012, 1013];
  const sockets = new Set();
  let wrapper = null;
  let retries = 0;

  // Keep the page's sockets at hand, so that going offline can end them at once (a browser
  // may keep a dead socket "open" for minutes).
  if (window.htmx && !window.htmx.createWebSocket) {
    window.htmx.createWebSocket = (url) => {
      const socket = new WebSocket(url, []);
      socket.binaryType = window.htmx.config.wsBinaryType;
      sockets.add(socket);
      socket.addEventListener("close", () => sockets.delete(socket));
      return socket;
    };
  }

  document.addEventListener("htmx:wsClose", (event) => {
    const notice = connection();
    if (notice) notice.hidden = false;
    wrapper = event.detail.socketWrapper;
    const code = event.detail.event.code;
    // The extension retries only broken connections (and 1013, "fell behind"); any other
    // close is retried here, to come back for a fresh snapshot.
    if (!RETRIED_BY_EXTENSION.includes(code) && document.body.contains(event.target)) {
      const delay = Math.min(30000, 1000 * 2 ** Math.min(retries, 5)) * (0.5 + Math.random() / 2);
      retries += 1;
      setTimeout(() => { if (navigator.onLine) wrapper.reconnect(); }, delay);
    }
  });
  document.addEventListener("htmx:wsOpen", (event) => {
    const notice = connection();
    if (notice) notice.hidden = true;
    wrapper = event.detail.socketWrapper;
    retries = 0;
  });
  // The socket's push often arrives before the answer to the action that caused it, and may
  // replace the very form that asked. htmx looks for the answer's out-of-band targets from
  // the asking element's root, which is then detached: swap the answer against the page.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const asking = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (asking && !asking.isConnected && window.htmx) {
      event.detail.shouldSwap = false;
      window.htmx.swap("#live-message", event.detail.serverResponse, { swapStyle: "none" });
    }
  });

  window.addEventListener("offline", () => {
    for (const socket of sockets) socket.close(4000, "offline");
  });
  window.addEventListener("online", () => {
    if (wrapper && sockets.size === 0) wrapper.reconnect();
  });

  // -- the countdown ----------------------------------------------------------------------
  let audio = null;
  const beeped = new Set();

  function beep() {
    try {
      audio = audio || new AudioContext();
      if (audio.state === "suspended") audio.resume().catch(() => {});
      const tone = audio.createOscillator();
      const volume = audio.createGain();
      tone.frequency.value = 880;
      volume.gain.setValueAtTime(0.2, audio.currentTime);
      volume.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
      tone.connect(volume).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.4);
    } catch (error) {
      // No audio on this device: the warning colour still shows.
    }
  }

  // Browsers only let a page play sound after a touch or a key: be ready from the first one.
  document.addEventListener("pointerdown", () => {
    if (!audio && document.querySelector("[data-beep]")) {
      try { audio = new AudioContext(); } catch (error) { audio = null; }
    }
  }, { once: true });

  function secondsLeft(clock) {
    // The server's clock decides: correct for the difference with ours, measured on arrival.
    if (clock.dataset.skew === undefined) {
      clock.dataset.skew = String(Date.parse(clock.dataset.now) - Date.now());
    }
    const started = Date.parse(clock.dataset.startedAt);
    const now = Date.now() + Number(clock.dataset.skew);
    const left = Number(clock.dataset.allotted) - Math.floor((now - started) / 1000);
    return Math.max(0, left);
  }

  function pad(n) {
    return String(n).padStart(2, "0");
  }

  function tick() {
    const sounding = document.querySelector("[data-beep]") !== null;
    for (const clock of document.querySelectorAll("[data-countdown]")) {
      const left = secondsLeft(clock);
      const warn = Number(clock.dataset.warn || 30);
      clock.querySelector(".live-clock").textContent = `${pad(Math.floor(left / 60))}:${pad(left % 60)}`;
      clock.classList.toggle("live-warning", left <= warn);
      clock.classList.toggle("live-time-up", left === 0);
      const note = clock.querySelector(".live-time-up-text");
      if (note) note.textContent = left === 0 ? clock.dataset.timeUp : "";
      const turn = clock.dataset.startedAt;
      if (sounding && left <= warn && left > warn - 2 && !beeped.has(turn)) {
        beeped.add(turn);
        beep();
      } else if (left < warn - 2) {
        beeped.add(turn); // arrived late (or reloaded): no beep after the moment has passed
      }
    }
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:wsAfterMessage", tick);

  // -- the forms --------------------------------------------------------------------------
  // The opinion form empties itself once the opinion is accepted.
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt;
    if (form instanceof HTMLFormElement && form.dataset.resetOnSuccess !== undefined
        && event.detail.successful) {
      form.reset();
    }
  });

  // A topic being typed survives the refresh of "my request" that a push of the queue causes.
  let topic = "";
  document.addEventListener("input", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.id === "live-topic") {
      topic = event.target.value;
    }
  });
  document.addEventListener("htmx:afterSwap", () => {
    const input = document.getElementById("live-topic");
    if (input && !input.value && topic) input.value = topic;
  });
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt instanceof HTMLFormElement && event.detail.elt.classList.contains("live-ask")) {
      topic = "";
    }
  });
})();
