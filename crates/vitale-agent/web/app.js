// The reception-desk page of the vitale agent: read the appli carte Vitale
// (scanner line, camera, NFC), choose the beneficiary, check the rights of
// the day, bill the visit and show the care sheet and the receipt.
//
// Plain JavaScript, no build step, no dependency. It talks to the agent's
// JSON API (docs/agent.md) with the pairing token of
// <meta name="vitale-token">, or with window.VITALE_AGENT = {base, token}
// when the page is embedded elsewhere (docs/agent-page.md). Every value
// from the agent is written with textContent, never as HTML.
"use strict";

(function () {
  const I18N = window.VITALE_I18N;
  const $ = (id) => document.getElementById(id);

  const config = window.VITALE_AGENT || {};
  const base = (config.base || "").replace(/\/$/, "");
  const meta = document.querySelector('meta[name="vitale-token"]');
  const token = config.token || (meta ? meta.content : "");

  const state = {
    lang: "fr",
    cardId: null,
    card: null,
    rank: null,
    // The last status and error, kept as keys so that a language switch
    // shows them again in the new language.
    status: null,
    error: null,
    camera: null,
    nfc: null,
    sheet: null,
    rights: null,
    agent: null
  };

  // --- Language --------------------------------------------------------

  function t(key, params) {
    const table = I18N[state.lang] || I18N.fr;
    let text = table[key];
    if (text === undefined) text = I18N.fr[key] !== undefined ? I18N.fr[key] : key;
    return fill(text, params);
  }

  function fill(text, params) {
    return String(text).replace(/\{(\w+)\}/g, (m, name) =>
      params && params[name] !== undefined && params[name] !== null ? String(params[name]) : m);
  }

  function errorText(kind, message) {
    const errors = (I18N[state.lang] || I18N.fr).errors;
    if (errors[kind]) return errors[kind];
    return t("error_generic", { kind: kind, message: message || "" });
  }

  function setLanguage(lang) {
    state.lang = I18N[lang] ? lang : "fr";
    document.documentElement.lang = state.lang;
    try { localStorage.setItem("vitale-lang", state.lang); } catch (e) { /* private mode */ }
    $("lang-fr").setAttribute("aria-pressed", String(state.lang === "fr"));
    $("lang-en").setAttribute("aria-pressed", String(state.lang === "en"));
    document.title = t("title");
    for (const el of document.querySelectorAll("[data-i18n]")) {
      el.textContent = t(el.getAttribute("data-i18n"));
    }
    renderAgent();
    renderStatus();
    renderError();
    if (state.card) renderCard();
    if (state.rights) renderRights();
    if (state.sheet) renderSheet();
  }

  function initialLanguage() {
    let saved = null;
    try { saved = localStorage.getItem("vitale-lang"); } catch (e) { /* private mode */ }
    if (saved && I18N[saved]) return saved;
    const nav = (navigator.language || "fr").toLowerCase();
    return nav.startsWith("fr") ? "fr" : (nav.startsWith("en") ? "en" : "fr");
  }

  // --- Status and errors -------------------------------------------------

  function setStatus(key, params) {
    state.status = key ? { key: key, params: params } : null;
    renderStatus();
  }

  function renderStatus() {
    $("status").textContent = state.status ? t(state.status.key, state.status.params) : "";
  }

  function showError(kind, message) {
    state.error = { kind: kind, message: message };
    setStatus(null);
    renderError();
  }

  function clearError() {
    state.error = null;
    renderError();
  }

  function renderError() {
    const box = $("error");
    if (!state.error) {
      box.hidden = true;
      box.textContent = "";
      box.removeAttribute("data-kind");
      return;
    }
    box.hidden = false;
    box.setAttribute("data-kind", state.error.kind);
    box.textContent = errorText(state.error.kind, state.error.message);
  }

  // --- The agent's API ---------------------------------------------------

  class AgentError extends Error {
    constructor(kind, message, status) {
      super(message);
      this.kind = kind;
      this.status = status;
    }
  }

  async function api(method, path, body, contentType) {
    const headers = { "Authorization": "Bearer " + token };
    let payload;
    if (body instanceof Uint8Array || body instanceof Blob) {
      headers["Content-Type"] = contentType || "application/octet-stream";
      payload = body;
    } else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(base + path, { method: method, headers: headers, body: payload, cache: "no-store" });
    } catch (e) {
      throw new AgentError("network", String(e), 0);
    }
    let json = null;
    try { json = await response.json(); } catch (e) { json = null; }
    if (!response.ok) {
      const err = json && json.error ? json.error : {};
      throw new AgentError(err.kind || "agent_http_" + response.status, err.message || response.statusText,
        response.status);
    }
    return json;
  }

  function failed(e) {
    if (e instanceof AgentError) showError(e.kind, e.message);
    else showError("page_error", String(e));
  }

  // --- Formatting --------------------------------------------------------

  // Integer cents as euros, without floating point: 3000 → "30,00 €".
  function euros(cents) {
    if (typeof cents !== "number" || !Number.isInteger(cents)) return t("none");
    const sign = cents < 0 ? "-" : "";
    const abs = Math.abs(cents);
    const units = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, state.lang === "fr" ? "\u202f" : ",");
    const rest = String(abs % 100).padStart(2, "0");
    return state.lang === "fr" ? sign + units + "," + rest + "\u00a0€" : sign + "€" + units + "." + rest;
  }

  // Basis points as a percentage: 7000 → "70 %".
  function rate(bp) {
    if (typeof bp !== "number") return t("none");
    const whole = Math.floor(bp / 100);
    const frac = bp % 100;
    const text = frac === 0 ? String(whole) : whole + (state.lang === "fr" ? "," : ".") + String(frac).padStart(2, "0");
    return state.lang === "fr" ? text + "\u00a0%" : text + "%";
  }

  // "2026-11-30" → "30/11/2026" (fr) or "30 Nov 2026"-free ISO (en).
  function day(iso) {
    if (typeof iso !== "string" || !/^\d{4}-\d{2}-\d{2}/.test(iso)) return t("none");
    return state.lang === "fr" ? iso.slice(8, 10) + "/" + iso.slice(5, 7) + "/" + iso.slice(0, 4) : iso.slice(0, 10);
  }

  // Birth dates are YYYYMMDD text and may be lunar (day or month 00).
  function birth(text) {
    if (typeof text !== "string" || text.length !== 8) return t("none");
    const shown = state.lang === "fr"
      ? text.slice(6, 8) + "/" + text.slice(4, 6) + "/" + text.slice(0, 4)
      : text.slice(0, 4) + "-" + text.slice(4, 6) + "-" + text.slice(6, 8);
    const month = Number(text.slice(4, 6));
    const dayOf = Number(text.slice(6, 8));
    const lunar = month < 1 || month > 12 || dayOf < 1 || dayOf > 31;
    return lunar ? shown + " (" + t("lunar") + ")" : shown;
  }

  function period(p) {
    if (!p) return t("none");
    return p.until ? t("from_until", { from: day(p.from), until: day(p.until) }) : t("from_open", { from: day(p.from) });
  }

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (attrs) for (const k of Object.keys(attrs)) node.setAttribute(k, attrs[k]);
    return node;
  }

  function facts(dl, rows) {
    dl.replaceChildren();
    for (const [term, value] of rows) {
      dl.append(el("dt", term), el("dd", value));
    }
  }

  function today() {
    const d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  // --- The card ----------------------------------------------------------

  function cardRead(result) {
    if (!result || !result.card || !result.card_id) return false;
    stopCamera();
    clearError();
    state.cardId = result.card_id;
    state.card = result.card;
    state.rights = null;
    state.sheet = null;
    const first = (result.card.beneficiaries || [])[0];
    state.rank = first ? first.rank : null;
    const advice = result.repair && result.repair.intact === false ? result.repair.advice : null;
    setStatus(advice ? "repair_note" : "read_ok", { advice: advice });
    renderCard();
    $("rights-result").hidden = true;
    $("sheet").hidden = true;
    $("card").hidden = false;
    $("rights").hidden = false;
    $("visit").hidden = false;
    $("care-date").value = $("care-date").value || today();
    $("card").focus();
    return true;
  }

  function beneficiaryName(b) {
    const name = (b.usual_name || b.birth_name) + " " + b.first_names;
    return b.usual_name && b.usual_name !== b.birth_name ? name + " (" + t("born_as", { name: b.birth_name }) + ")" : name;
  }

  function renderCard() {
    const card = state.card;
    const insured = card.insured || {};
    const org = insured.organisation || {};
    const prov = card.provenance || {};
    const provText = prov.profile === "token"
      ? t("provenance_token", { channel: prov.channel })
      : t("provenance_open", { channel: prov.channel });
    facts($("insured"), [
      [t("insured_nir"), insured.nir],
      [t("organisation"), [org.regime, org.fund, org.centre].join(" ")],
      [t("management_code"), insured.management_code],
      [t("provenance"), provText]
    ]);
    const delegation = $("delegation");
    delegation.hidden = !card.delegation;
    delegation.textContent = card.delegation ? t("delegation", { name: card.delegation.delegate_name }) : "";
    const body = $("beneficiaries").tBodies[0];
    body.replaceChildren();
    for (const b of card.beneficiaries || []) {
      const row = el("tr", null, { "data-rank": String(b.rank) });
      const radio = el("input", null, {
        type: "radio", name: "beneficiary", value: String(b.rank), id: "beneficiary-" + b.rank,
        "aria-label": t("choose_rank", { rank: b.rank })
      });
      radio.checked = b.rank === state.rank;
      radio.addEventListener("change", () => chooseBeneficiary(b.rank));
      const cell = el("td");
      cell.append(radio);
      const name = el("th", null, { scope: "row" });
      name.append(el("label", beneficiaryName(b), { for: "beneficiary-" + b.rank }));
      let born = birth(b.birth_date);
      if (b.birth_rank > 1) born += ", " + t("twin_rank", { rank: b.birth_rank });
      const amc = b.complementary
        ? (b.complementary.third_party_payment ? t("amc_tp", { amc: b.complementary.amc_number }) : b.complementary.amc_number)
        : t("none");
      // The code qualité as the insurer assigned it: the SDK does not
      // interpret it (vitale_model::QualityCode).
      const quality = String(b.quality).padStart(2, "0");
      row.append(cell, el("td", String(b.rank)), name, el("td", born), el("td", quality), el("td", amc));
      row.classList.toggle("chosen", b.rank === state.rank);
      body.append(row);
    }
  }

  function chooseBeneficiary(rank) {
    if (state.rank === rank) return;
    state.rank = rank;
    state.rights = null;
    state.sheet = null;
    $("rights-result").hidden = true;
    $("sheet").hidden = true;
    for (const row of $("beneficiaries").tBodies[0].rows) {
      row.classList.toggle("chosen", row.getAttribute("data-rank") === String(rank));
    }
  }

  // --- Reading: scanner line ---------------------------------------------

  async function readLine(line) {
    clearError();
    setStatus("reading");
    try {
      cardRead(await api("POST", "/v1/read/line", { line: line }));
    } catch (e) {
      failed(e);
    }
  }

  // --- Reading: a photo ---------------------------------------------------

  async function readPhoto(file) {
    clearError();
    if (file.type !== "image/png" && file.type !== "image/jpeg") {
      showError("photo_type", t("photo_type"));
      return;
    }
    setStatus("reading");
    try {
      cardRead(await api("POST", "/v1/read/image", file, file.type));
    } catch (e) {
      failed(e);
    }
  }

  // --- Reading: camera ---------------------------------------------------

  // Largest side sent to the agent: bigger frames are scaled down.
  const MAX_FRAME_SIDE = 1280;
  // Pause between two frames (one request in flight at most).
  const FRAME_PAUSE_MS = 100;

  async function startCamera() {
    if (state.camera) return;
    clearError();
    if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      showError("camera_insecure", t("camera_insecure"));
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment", width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: false
      });
    } catch (e) {
      showError("camera_denied", t("camera_denied"));
      return;
    }
    const video = $("camera-video");
    video.srcObject = stream;
    state.camera = { stream: stream, running: true };
    $("camera-box").hidden = false;
    $("camera-start").hidden = true;
    $("camera-stop").hidden = false;
    $("camera-stop").focus();
    setStatus("camera_on");
    try { await video.play(); } catch (e) { /* autoplay of a muted video is allowed */ }
    cameraLoop(state.camera);
  }

  function stopCamera(statusKey) {
    const camera = state.camera;
    if (!camera) return;
    camera.running = false;
    for (const track of camera.stream.getTracks()) track.stop();
    $("camera-video").srcObject = null;
    state.camera = null;
    $("camera-box").hidden = true;
    $("camera-stop").hidden = true;
    $("camera-start").hidden = false;
    if (statusKey) setStatus(statusKey);
  }

  function grabFrame(video, canvas) {
    const vw = video.videoWidth;
    const vh = video.videoHeight;
    if (!vw || !vh) return null;
    const scale = Math.min(1, MAX_FRAME_SIDE / Math.max(vw, vh));
    const w = Math.max(1, Math.round(vw * scale));
    const h = Math.max(1, Math.round(vh * scale));
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(video, 0, 0, w, h);
    const rgba = ctx.getImageData(0, 0, w, h).data;
    const grey = new Uint8Array(w * h);
    // ITU-R BT.601 luma in integers: (77 R + 150 G + 29 B) / 256.
    for (let i = 0, j = 0; i < grey.length; i++, j += 4) {
      grey[i] = (77 * rgba[j] + 150 * rgba[j + 1] + 29 * rgba[j + 2]) >> 8;
    }
    return { width: w, height: h, grey: grey };
  }

  async function cameraLoop(camera) {
    const video = $("camera-video");
    const canvas = $("camera-canvas");
    while (camera.running) {
      const frame = video.readyState >= 2 ? grabFrame(video, canvas) : null;
      if (frame) {
        try {
          const result = await api("POST", "/v1/read/frame?width=" + frame.width + "&height=" + frame.height,
            frame.grey, "application/octet-stream");
          if (!camera.running) return;
          if (result && result.card) {
            cardRead(result);
            return;
          }
        } catch (e) {
          if (!camera.running) return;
          // A busy or rate-limited agent: try again; anything else stops.
          if (!(e instanceof AgentError) || (e.kind !== "agent_rate_limited" && e.kind !== "agent_busy")) {
            stopCamera();
            failed(e);
            return;
          }
        }
      }
      await new Promise((resolve) => setTimeout(resolve, FRAME_PAUSE_MS));
    }
  }

  // --- Reading: NFC through the agent ------------------------------------

  const NFC_PROGRESS = ["waiting", "phone_detected", "app_locked", "reading"];

  async function startNfc() {
    if (state.nfc) return;
    clearError();
    let job;
    try {
      job = (await api("POST", "/v1/nfc/read", { reader: null, timeout_ms: 60000 })).job;
    } catch (e) {
      failed(e);
      return;
    }
    const url = base + "/v1/nfc/events?job=" + encodeURIComponent(job) + "&token=" + encodeURIComponent(token);
    const events = new EventSource(url);
    state.nfc = { job: job, events: events };
    $("nfc-start").hidden = true;
    $("nfc-cancel").hidden = false;
    $("nfc-cancel").focus();
    const progress = $("nfc-progress");
    progress.hidden = false;
    progress.textContent = t("nfc_waiting");
    for (const name of NFC_PROGRESS) {
      events.addEventListener(name, () => { progress.textContent = t("nfc_" + name); });
    }
    events.addEventListener("done", (ev) => {
      endNfc();
      try { cardRead(JSON.parse(ev.data)); } catch (e) { showError("agent_bad_answer", String(e)); }
    });
    events.addEventListener("failed", (ev) => {
      endNfc();
      let err = {};
      try { err = JSON.parse(ev.data); } catch (e) { err = { kind: "agent_bad_answer" }; }
      showError(err.kind || "nfc_error", err.message);
    });
    events.onerror = () => {
      // The stream ends after `done` or `failed`; an error before is the
      // agent going away.
      if (state.nfc && state.nfc.events === events) {
        endNfc();
        showError("network", "");
      }
    };
  }

  function endNfc() {
    if (!state.nfc) return;
    state.nfc.events.close();
    state.nfc = null;
    $("nfc-progress").hidden = true;
    $("nfc-cancel").hidden = true;
    $("nfc-start").hidden = false;
  }

  async function cancelNfc() {
    if (!state.nfc) return;
    const job = state.nfc.job;
    endNfc();
    setStatus("nfc_cancelled");
    try { await api("POST", "/v1/nfc/cancel", { job: job }); } catch (e) { failed(e); }
    $("nfc-start").focus();
  }

  // --- Simulator -----------------------------------------------------------

  async function simulate() {
    clearError();
    try {
      const line = (await api("GET", "/v1/sim/line")).line;
      $("scanner-line").value = line;
      await readLine(line);
    } catch (e) {
      failed(e);
    }
  }

  // --- Rights --------------------------------------------------------------

  async function checkRights() {
    if (!state.cardId || state.rank === null) return;
    clearError();
    setStatus("reading");
    try {
      const answer = await api("POST", "/v1/rights", { card_id: state.cardId, rank: state.rank, date: $("care-date").value });
      state.rights = answer;
      setStatus(null);
      renderRights();
      $("rights-result").hidden = false;
      $("rights-amo").focus();
    } catch (e) {
      failed(e);
    }
  }

  function renderRights() {
    const answer = state.rights;
    const r = answer.rights || {};
    const amo = $("rights-amo");
    amo.textContent = answer.amo === "open" ? t("rights_open") : t("rights_closed");
    amo.className = "badge " + (answer.amo === "open" ? "ok" : "bad");
    amo.setAttribute("data-amo", answer.amo);
    amo.setAttribute("tabindex", "-1");
    const rows = [[t("rights_amo_periods"), (r.amo_periods || []).map(period).join(" ; ") || t("none")]];
    if ((r.coverage_periods || []).length) {
      rows.push([t("rights_coverage"), r.coverage_periods.map((c) =>
        c.reason.toUpperCase() + " " + rate(c.amo_rate_bp) + ", " + period(c)).join(" ; ")]);
    }
    if ((r.solidarity_periods || []).length) {
      rows.push([t("rights_solidarity"), r.solidarity_periods.map((s) =>
        s.cover.toUpperCase() + ", " + period(s)).join(" ; ")]);
    }
    rows.push([t("rights_treating_doctor"), r.treating_doctor ? period(r.treating_doctor) : t("no")]);
    rows.push([t("rights_complementary"), (r.complementary || []).map((c) =>
      (c.third_party_payment ? t("amc_tp", { amc: c.amc_number }) : c.amc_number) + ", " + period(c.validity)).join(" ; ") || t("none")]);
    facts($("rights-facts"), rows);
  }

  // --- Billing ---------------------------------------------------------------

  async function bill() {
    if (!state.cardId || state.rank === null) return;
    clearError();
    const acts = $("acts").value.trim().split(/[\s,;]+/).filter((a) => a.length > 0);
    const visit = {
      rank: state.rank,
      date: $("care-date").value || today(),
      acts: acts,
      pathway: $("pathway").value || null,
      third_party: $("third-party").checked
    };
    setStatus("billing");
    try {
      const billed = await api("POST", "/v1/bill", { card_id: state.cardId, visit: visit });
      state.sheet = billed;
      if (billed.rights && !state.rights) state.rights = { rights: billed.rights, amo: "open" };
      setStatus("billed", { number: billed.sheet ? billed.sheet.number : "" });
      renderSheet();
      $("sheet").hidden = false;
      $("sheet").focus();
    } catch (e) {
      failed(e);
    }
  }

  function renderSheet() {
    const billed = state.sheet;
    const sheet = billed.sheet || {};
    $("sheet-number").textContent = t("sheet_number", { number: sheet.number, date: day(sheet.date) });
    const body = $("sheet-lines").tBodies[0];
    body.replaceChildren();
    for (const line of sheet.lines || []) {
      const row = el("tr");
      row.append(el("th", line.act, { scope: "row" }), el("td", euros(line.fee), { class: "num" }),
        el("td", euros(line.base), { class: "num" }), el("td", rate(line.amo_rate), { class: "num" }),
        el("td", euros(line.amo), { class: "num" }), el("td", euros(line.amc), { class: "num" }),
        el("td", euros(line.patient), { class: "num" }));
      body.append(row);
    }
    const totals = sheet.totals || {};
    for (const cell of document.querySelectorAll("#sheet-total [data-total]")) {
      cell.textContent = euros(totals[cell.getAttribute("data-total")]);
    }
    facts($("sheet-facts"), [
      [t("participation"), euros(totals.participation)],
      [t("franchise"), euros(totals.franchise)],
      [t("amo_net"), euros(totals.amo_net)],
      [t("paid_at_desk"), euros(totals.paid_at_desk)]
    ]);
    $("receipt").textContent = billed.receipt ? billed.receipt.text : "";
  }

  function nextPatient() {
    state.cardId = null;
    state.card = null;
    state.rank = null;
    state.rights = null;
    state.sheet = null;
    for (const id of ["card", "rights", "visit", "sheet"]) $(id).hidden = true;
    clearError();
    setStatus(null);
    $("scanner-line").value = "";
    $("scanner-line").focus();
  }

  // --- Start -----------------------------------------------------------------

  function renderAgent() {
    if (!state.agent) return;
    const line = $("agent-status");
    line.removeAttribute("data-i18n");
    line.textContent = t("agent_ready", { version: state.agent.version }) +
      (state.agent.simulator ? " — " + t("agent_simulator") : "");
  }

  async function connect() {
    try {
      const status = await api("GET", "/v1/status");
      state.agent = status;
      renderAgent();
      $("nfc-start").disabled = status.nfc === false;
      $("sim-present").hidden = !status.simulator;
      document.body.setAttribute("data-agent", "ready");
    } catch (e) {
      $("agent-status").setAttribute("data-i18n", "agent_unreachable");
      $("agent-status").textContent = t("agent_unreachable");
      document.body.setAttribute("data-agent", "unreachable");
      failed(e);
    }
  }

  function start() {
    $("lang-fr").addEventListener("click", () => setLanguage("fr"));
    $("lang-en").addEventListener("click", () => setLanguage("en"));
    $("scanner-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      // Cleared at once: the next scan types into an empty field.
      const line = $("scanner-line").value;
      $("scanner-line").value = "";
      if (line.trim()) readLine(line);
    });
    $("photo").addEventListener("change", () => {
      const input = $("photo");
      const file = input.files && input.files[0];
      if (file) readPhoto(file).finally(() => { input.value = ""; });
    });
    $("camera-start").addEventListener("click", startCamera);
    $("camera-stop").addEventListener("click", () => { stopCamera("camera_off"); $("camera-start").focus(); });
    $("nfc-start").addEventListener("click", startNfc);
    $("nfc-cancel").addEventListener("click", cancelNfc);
    $("sim-present").addEventListener("click", simulate);
    $("rights-form").addEventListener("submit", (ev) => { ev.preventDefault(); checkRights(); });
    $("visit-form").addEventListener("submit", (ev) => { ev.preventDefault(); bill(); });
    $("new-patient").addEventListener("click", nextPatient);
    document.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") {
        if (state.camera) { stopCamera("camera_off"); $("camera-start").focus(); }
        if (state.nfc) cancelNfc();
      }
    });
    $("care-date").value = today();
    setLanguage(initialLanguage());
    $("scanner-line").focus();
    document.body.setAttribute("data-ready", "true");
    connect();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
