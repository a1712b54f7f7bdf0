/* The checklist screen, enhanced: the note and the camera open when an item fails, "all the
   rest pass" ticks the unanswered items here instead of asking the server, and a counter says
   how many items are answered. Without this script the page works as a plain form. */
(function () {
  "use strict";

  function init(form) {
    var items = Array.prototype.slice.call(form.querySelectorAll("[data-item]"));
    var progress = form.querySelector("[data-progress]");
    // The "not started" chip of a check not yet saved: once an item is answered here (by
    // hand or by "all the rest pass"), it says the check is under way but not saved.
    var state = document.querySelector("[data-state-answering]");
    form.classList.add("js");

    function checked(item) {
      return item.querySelector("input[type=radio]:checked");
    }

    function update(item) {
      var choice = checked(item);
      item.classList.toggle("failed", !!choice && choice.value === "fail");
    }

    function count() {
      if (!progress) {
        return;
      }
      var done = items.filter(checked).length;
      var text = progress.getAttribute("data-progress-text") || "{a} / {t}";
      progress.textContent = text.replace("{a}", done).replace("{t}", items.length);
      if (state && done > 0) {
        state.textContent = state.getAttribute("data-state-answering");
      }
    }

    items.forEach(function (item) {
      update(item);
      item.addEventListener("change", function (event) {
        if (event.target.type !== "radio") {
          return;
        }
        update(item);
        count();
        if (event.target.value === "fail") {
          var note = item.querySelector(".fail-extra input[type=text]");
          if (note) {
            note.focus({ preventScroll: true });
          }
        }
      });
    });

    var allPass = form.querySelector("[data-all-pass]");
    if (allPass) {
      allPass.addEventListener("click", function (event) {
        event.preventDefault();
        items.forEach(function (item) {
          if (!checked(item)) {
            var pass = item.querySelector("input[type=radio][value=pass]");
            if (pass) {
              pass.checked = true;
            }
            update(item);
          }
        });
        count();
      });
    }
    count();
  }

  document.querySelectorAll("[data-checklist]").forEach(init);
})();
