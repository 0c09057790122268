/* The article admin form's safety nets: a question before leaving it with unsaved changes, who else
   has the article open, and a private autosave of unsaved work that can be restored after the tab was
   closed. The form is read as a whole (FormData), so any field counts, including a textarea that a
   rich-text editor keeps in sync. Without JavaScript the form works as usual. */
"use strict";
(function () {
  const form = document.getElementById("article_form");
  const tools = document.getElementById("article-editing");
  if (!form || !tools) {
    return;
  }
  const settings = tools.dataset;
  const statusLine = document.getElementById("editing-status");
  const presence = document.getElementById("editing-presence");
  const restoreOffer = document.getElementById("editing-restore");
  const draftData = document.getElementById("editing-autosave");
  const csrfToken = form.elements.csrfmiddlewaretoken ? form.elements.csrfmiddlewaretoken.value : "";
  // Not the user's work: the CSRF token and the edit check's own fields.
  const NOT_WORK = new Set(["csrfmiddlewaretoken", "version", "opened_at"]);
  const MANAGEMENT = /-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/;

  function isWork(name) {
    // Inline rows' templates (__prefix__) are never submitted as rows.
    return name && !NOT_WORK.has(name) && !name.includes("__prefix__");
  }

  function work() {
    const pairs = [];
    for (const [name, value] of new FormData(form)) {
      if (isWork(name) && typeof value === "string") {
        pairs.push([name, value.replace(/\r\n?/g, "\n")]);
      }
    }
    return pairs;
  }

  function fingerprint(pairs) {
    return JSON.stringify(pairs.map((pair) => JSON.stringify(pair)).sort());
  }

  function chosenLabels() {
    // An autocomplete list holds only its chosen option: keep its text so a restore can show it.
    const labels = [];
    for (const select of form.querySelectorAll("select[name]")) {
      if (isWork(select.name)) {
        for (const option of select.selectedOptions) {
          if (option.value) {
            labels.push([select.name, option.value, option.text]);
          }
        }
      }
    }
    return labels;
  }

  function openedAt() {
    return ["version", "opened_at"].filter((name) => form.elements[name]).map((name) => [name, form.elements[name].value]);
  }

  function seconds(value, fallback) {
    const number = parseFloat(value);
    return (number > 0 ? number : fallback) * 1000;
  }

  function say(text) {
    statusLine.textContent = text;
  }

  function post(url, body, headers) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: Object.assign({"X-CSRFToken": csrfToken}, headers || {}),
    });
  }

  // --- Unsaved changes ------------------------------------------------------------------------

  let loaded = null; // the form's fingerprint once the page was ready
  let submitting = false;
  // A form shown again after a refused save holds work that is not saved yet.
  const unsavedFromTheStart = settings.unsaved === "true";

  function isDirty() {
    return unsavedFromTheStart || (loaded !== null && fingerprint(work()) !== loaded);
  }

  window.addEventListener("beforeunload", (event) => {
    if (!submitting && isDirty()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  form.addEventListener("submit", (event) => {
    submitting = true;
    // Another script may still cancel the submission; leaving should then ask again.
    setTimeout(() => {
      if (event.defaultPrevented) {
        submitting = false;
      }
    }, 0);
  });

  // --- Presence -------------------------------------------------------------------------------

  const openedVersion = form.elements.version ? Number(form.elements.version.value) : 0;

  function showPresence(reply) {
    const notices = reply.others.map((other) => {
      const notice = document.createElement("p");
      notice.className = "editing-notice";
      notice.textContent = other.text;
      return notice;
    });
    if (openedVersion && reply.version > openedVersion) {
      const stale = document.createElement("p");
      stale.className = "editing-notice";
      stale.textContent = "Someone saved this article after you opened it. If you save, you will be shown " +
        "what they changed, and what you typed stays in the form.";
      notices.push(stale);
    }
    presence.replaceChildren(...notices);
  }

  function heartbeat() {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken);
    post(settings.presenceUrl, body)
      .then((response) => (response.ok ? response.json() : null))
      .then((reply) => reply && showPresence(reply))
      .catch(() => {}); // offline for a moment: the next heartbeat tries again
  }

  function leave() {
    // Saving the form comes straight back to it, or leaves it to expire: no goodbye then.
    if (!submitting && navigator.sendBeacon) {
      const body = new FormData();
      body.append("csrfmiddlewaretoken", csrfToken);
      body.append("left", "1");
      navigator.sendBeacon(settings.presenceUrl, body);
    }
  }

  // --- Autosave -------------------------------------------------------------------------------

  let lastAutosaved = null; // fingerprint of the work last sent
  let autosavePaused = false; // while the user has not answered the restore question

  function autosave() {
    if (submitting || autosavePaused) {
      return;
    }
    const pairs = work();
    const current = fingerprint(pairs);
    if (current === lastAutosaved || (lastAutosaved === null && current === loaded && !unsavedFromTheStart)) {
      return;
    }
    const previous = lastAutosaved;
    lastAutosaved = current; // set now, so a slow reply does not send the same work twice
    const payload = {fields: pairs, labels: chosenLabels(), opened: openedAt()};
    post(settings.autosaveUrl, JSON.stringify(payload), {
      "Content-Type": "application/json",
    })
      .then((response) => (response.ok ? response.json() : Promise.reject(response)))
      .then((reply) => say(reply.text))
      .catch(() => {
        lastAutosaved = previous;
        say("Your changes could not be autosaved just now; trying again shortly.");
      });
  }

  function noteEdit() {
    if (settings.autosaveUrl && !autosavePaused && !statusLine.textContent) {
      say("Unsaved changes. They are autosaved now and then, for you only, until you save the article.");
    }
  }

  function addInlineRows(values) {
    // Rows the autosave had beyond those on the page come from the inline's own "Add another" link.
    for (const [name, [total]] of values) {
      if (!name.endsWith("-TOTAL_FORMS")) {
        continue;
      }
      const prefix = name.slice(0, -"-TOTAL_FORMS".length);
      const counter = form.elements.namedItem(name);
      const add = document.querySelector("#" + CSS.escape(prefix) + "-group .add-row a");
      while (counter && add && Number(counter.value) < Number(total)) {
        const before = counter.value;
        add.click();
        if (counter.value === before) {
          break;
        }
      }
    }
  }

  function restore(draft) {
    const values = new Map();
    for (const [name, value] of draft.fields) {
      values.set(name, (values.get(name) || []).concat([value]));
    }
    const labels = new Map((draft.labels || []).map(([name, value, text]) => [name + "\n" + value, text]));
    addInlineRows(values);
    // The work began from the version it was autosaved at: a save is checked against that one, so
    // anything saved by others since is named instead of silently replaced.
    for (const [name, value] of draft.opened || []) {
      if (form.elements[name]) {
        form.elements[name].value = value;
      }
    }
    const unused = new Map([...values].map(([name, list]) => [name, list.slice()]));
    for (const field of Array.from(form.elements)) {
      const name = field.name;
      const kind = field.type;
      if (!isWork(name) || MANAGEMENT.test(name) || field.disabled || !("value" in field) ||
          ["file", "submit", "button", "reset", "image"].includes(kind) || field.tagName === "OUTPUT") {
        continue;
      }
      const wanted = values.get(name) || [];
      let changed = false;
      if (kind === "checkbox" || kind === "radio") {
        // A box missing from the autosave was not ticked.
        changed = field.checked !== wanted.includes(field.value);
        field.checked = wanted.includes(field.value);
      } else if (field.tagName === "SELECT") {
        if (!values.has(name) && !field.multiple) {
          continue; // not in the form when it was autosaved
        }
        for (const value of wanted) {
          if (!Array.from(field.options).some((option) => option.value === value)) {
            field.add(new Option(labels.get(name + "\n" + value) || value, value));
          }
        }
        for (const option of field.options) {
          if (option.selected !== wanted.includes(option.value)) {
            option.selected = wanted.includes(option.value);
            changed = true;
          }
        }
      } else {
        const queue = unused.get(name);
        if (!queue || !queue.length) {
          continue;
        }
        const value = queue.shift();
        changed = field.value !== value;
        field.value = value;
      }
      if (changed) {
        // One field at a time, in the form's order, so a field filled from another (the slug from
        // the title) ends with its own autosaved value; editors and lists refresh on these events.
        field.dispatchEvent(new Event("input", {bubbles: true}));
        field.dispatchEvent(new Event("change", {bubbles: true}));
      }
    }
  }

  function offerDraft(draft) {
    restoreOffer.hidden = false;
    autosavePaused = true;
    say("Autosave waits until you restore or discard your earlier unsaved changes.");
    restoreOffer.addEventListener("click", (event) => {
      const action = event.target.closest("[data-editing-action]");
      if (!action) {
        return;
      }
      restoreOffer.hidden = true;
      autosavePaused = false;
      if (action.dataset.editingAction === "restore") {
        restore(draft);
        lastAutosaved = fingerprint(work());
        say("Your unsaved changes from " + restoreOffer.dataset.savedAt + " are back in the form. " +
          "They are not saved until you save the article.");
        const first = form.querySelector("input:not([type=hidden]), textarea, select");
        if (first) {
          first.focus();
        }
      } else {
        post(settings.discardUrl, null)
          .catch(() => {})
          .finally(() => say("Your earlier unsaved changes were discarded."));
      }
    });
  }

  // --- Start, once Django's own scripts have set the form up ------------------------------------

  function start() {
    loaded = fingerprint(work());
    form.addEventListener("input", noteEdit);
    form.addEventListener("change", noteEdit);
    if (settings.presenceUrl) {
      heartbeat();
      setInterval(heartbeat, seconds(settings.heartbeatSeconds, 25));
      window.addEventListener("pagehide", leave);
      window.addEventListener("pageshow", (event) => event.persisted && heartbeat());
    }
    if (settings.autosaveUrl) {
      setInterval(autosave, seconds(settings.autosaveSeconds, 30));
    }
    if (draftData && restoreOffer) {
      const draft = JSON.parse(draftData.textContent);
      if (fingerprint(draft.fields.filter(([name]) => isWork(name))) !== loaded) {
        offerDraft(draft);
      }
    }
  }

  if (document.readyState === "loading") {
    // After jQuery's ready handlers (inline rows, autocomplete lists), which run just after this event.
    document.addEventListener("DOMContentLoaded", () => setTimeout(start, 0));
  } else {
    setTimeout(start, 0);
  }
})();
