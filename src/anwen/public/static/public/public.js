// The public pages' two small helpers; without script both pages still work.
// - "Another question": fetch a new check question and swap it in (the typed form stays).
// - "Copy the code": put the tracking code on the clipboard.
document.addEventListener("DOMContentLoaded", () => {
  const refresh = document.querySelector("[data-challenge-refresh]");
  if (refresh) {
    refresh.hidden = false;
    refresh.addEventListener("click", async () => {
      refresh.disabled = true;
      try {
        const response = await fetch(refresh.closest("form").dataset.challengeNew || "/public/challenge/new/", {
          headers: { Accept: "application/json" },
          cache: "no-store",
        });
        if (!response.ok) return;
        const fresh = await response.json();
        const form = refresh.closest("form");
        form.querySelector("input[name=challenge]").value = fresh.token;
        const picture = form.querySelector("[data-challenge-picture]");
        picture.src = fresh.url;
        picture.alt = fresh.alt;
        const answer = form.querySelector("input[name=answer]");
        answer.value = "";
        answer.focus();
      } finally {
        refresh.disabled = false;
      }
    });
  }
  const copy = document.querySelector("[data-copy]");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", async () => {
      const text = document.querySelector(copy.dataset.copy).textContent.trim();
      try {
        await navigator.clipboard.writeText(text);
        const done = document.querySelector("[data-copied]");
        if (done) done.hidden = false;
      } catch (error) {
        // No clipboard (an in-app browser): select the code so a long press copies it.
        const range = document.createRange();
        range.selectNodeContents(document.querySelector(copy.dataset.copy));
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      }
    });
  }
});
