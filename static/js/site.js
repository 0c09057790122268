// Newsroom: small enhancements. Every form here works without JavaScript; this script only
// sends them in the background so the page does not reload.
(function () {
  "use strict";

  function post(form, extra) {
    var data = new FormData(form);
    if (extra) {
      data.append(extra.name, extra.value);
    }
    // getAttribute: an input named "action" inside the form would shadow form.action.
    return fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (body) {
          return { status: response.status, body: body };
        });
    });
  }

  // A polite live region announces what happened to screen-reader users.
  var announcer = document.createElement("p");
  announcer.className = "visually-hidden";
  announcer.setAttribute("role", "status");
  announcer.setAttribute("aria-live", "polite");

  function announce(message) {
    if (!announcer.isConnected) {
      document.body.appendChild(announcer);
    }
    announcer.textContent = "";
    window.setTimeout(function () {
      announcer.textContent = message;
    }, 50);
  }

  function fallBack(form, submitter) {
    // Anything unexpected: send the form the ordinary way.
    form.dataset.enhanced = "off";
    if (submitter) {
      form.requestSubmit(submitter);
    } else {
      form.submit();
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.enhanced === "off") {
      return;
    }
    if (form.matches("[data-favorite-toggle]")) {
      event.preventDefault();
      toggleFavorite(form);
    } else if (form.matches("[data-favorite-remove]")) {
      event.preventDefault();
      removeFavorite(form);
    } else if (form.matches("[data-hide-recommendation]")) {
      event.preventDefault();
      hideRecommendation(form);
    } else if (form.matches("[data-vote]")) {
      event.preventDefault();
      vote(form, event.submitter);
    } else if (form.matches("[data-vote-comment]")) {
      event.preventDefault();
      comment(form);
    }
  });

  function toggleFavorite(form) {
    var button = form.querySelector("button");
    var action = form.querySelector("input[name=action]");
    if (button.getAttribute("aria-busy") === "true") {
      return;
    }
    button.setAttribute("aria-busy", "true");
    post(form)
      .then(function (result) {
        if (result.status === 401 && result.body.sign_in) {
          window.location.assign(result.body.sign_in);
          return;
        }
        if (result.status !== 200) {
          fallBack(form);
          return;
        }
        button.toggleAttribute("data-saved", result.body.saved);
        // The label says what pressing does next; a card's hidden title after it stays.
        button.firstChild.nodeValue = result.body.saved ? button.dataset.labelRemove : button.dataset.labelSave;
        action.value = result.body.saved ? "remove" : "save";
        announce(result.body.message);
      })
      .catch(function () {
        fallBack(form);
      })
      .finally(function () {
        button.removeAttribute("aria-busy");
      });
  }

  function removeFavorite(form) {
    var item = form.closest("[data-favorite]");
    post(form)
      .then(function (result) {
        if (result.status !== 200) {
          fallBack(form);
          return;
        }
        var list = item.parentElement;
        var next = item.nextElementSibling || item.previousElementSibling;
        item.remove();
        announce(result.body.message);
        if (!list.children.length) {
          list.hidden = true;
          var empty = document.querySelector("[data-favorites-empty]");
          if (empty) {
            empty.hidden = false;
            empty.setAttribute("tabindex", "-1");
            empty.focus();
          }
        } else if (next) {
          // Keep keyboard focus near where it was.
          next.querySelector("button").focus();
        }
      })
      .catch(function () {
        fallBack(form);
      });
  }

  function hideRecommendation(form) {
    var item = form.closest("[data-recommendation]");
    post(form)
      .then(function (result) {
        if (result.status !== 200) {
          fallBack(form);
          return;
        }
        var next = item.nextElementSibling || item.previousElementSibling;
        item.remove();
        announce(result.body.message);
        if (next) {
          next.querySelector("a").focus();
        }
      })
      .catch(function () {
        fallBack(form);
      });
  }

  function vote(form, submitter) {
    if (!submitter || submitter.name !== "helpful") {
      fallBack(form, submitter);
      return;
    }
    var box = form.closest("[data-helpful]");
    post(form, { name: "helpful", value: submitter.value })
      .then(function (result) {
        if (result.body.counted === false) {
          // Not counted (too many new answers from this connection): say so, change nothing.
          box.querySelector("[data-vote-status]").textContent = result.body.message;
          return;
        }
        if (result.status !== 200) {
          fallBack(form, submitter);
          return;
        }
        form.querySelectorAll("button[name=helpful]").forEach(function (button) {
          button.setAttribute("aria-pressed", button === submitter ? "true" : "false");
        });
        box.querySelector("[data-vote-status]").textContent = result.body.message;
        var commentForm = box.querySelector("[data-vote-comment]");
        commentForm.hidden = result.body.helpful;
        if (!result.body.helpful) {
          commentForm.querySelector("textarea").focus();
        }
      })
      .catch(function () {
        fallBack(form, submitter);
      });
  }

  function comment(form) {
    var box = form.closest("[data-helpful]");
    post(form)
      .then(function (result) {
        box.querySelector("[data-vote-status]").textContent = result.body.message || "";
        if (result.status === 200) {
          form.hidden = true;
        } else if (!result.body.message) {
          fallBack(form);
        }
      })
      .catch(function () {
        fallBack(form);
      });
  }

  // Glossary links: show the definition (kept in the link's title for pages without JavaScript) in
  // a tooltip on hover and keyboard focus, announced as the link's description; Escape closes it.
  var openTip = null;

  function enhanceGlossaryLink(link, index) {
    var definition = link.getAttribute("title");
    if (!definition) {
      return;
    }
    var wrap = document.createElement("span");
    wrap.className = "glossary-wrap";
    var tip = document.createElement("span");
    tip.className = "glossary-tip";
    tip.id = "glossary-tip-" + index;
    tip.setAttribute("role", "tooltip");
    tip.textContent = definition;
    tip.hidden = true;
    link.parentNode.insertBefore(wrap, link);
    wrap.appendChild(link);
    wrap.appendChild(tip);
    link.removeAttribute("title");
    link.setAttribute("aria-describedby", tip.id);

    function show() {
      // One definition at a time: the one under the pointer replaces the one of the focused link.
      if (openTip && openTip !== tip) {
        openTip.hidden = true;
      }
      openTip = tip;
      tip.hidden = false;
      tip.style.left = "";
      tip.classList.remove("glossary-tip--above");
      // Keep the tooltip inside the window: shifted left on narrow screens, above the word near the bottom.
      var box = tip.getBoundingClientRect();
      var overflow = box.right - document.documentElement.clientWidth + 8;
      if (overflow > 0) {
        tip.style.left = -overflow + "px";
      }
      if (box.bottom > document.documentElement.clientHeight && box.height < wrap.getBoundingClientRect().top) {
        tip.classList.add("glossary-tip--above");
      }
    }
    function hide() {
      tip.hidden = true;
      if (openTip === tip) {
        openTip = null;
      }
    }
    link.addEventListener("focus", show);
    link.addEventListener("blur", hide);
    // The pointer may move onto the tooltip itself without it closing.
    wrap.addEventListener("mouseenter", show);
    wrap.addEventListener("mouseleave", function () {
      if (document.activeElement !== link) {
        hide();
      }
    });
    link.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !tip.hidden) {
        event.preventDefault();
        hide();
      }
    });
  }

  document.querySelectorAll(".article__body a.glossary-term[title], .research-facts a.glossary-term[title]").forEach(enhanceGlossaryLink);
})();
