// Small behaviours with no inline script (the Content Security Policy forbids it).
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("[data-nav-toggle]");
  if (toggle) {
    const open = document.body.classList.toggle("nav-open");
    toggle.setAttribute("aria-expanded", String(open));
  }
});
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});
// A select marked data-autosubmit sends its form on change (the button stays for no-JS users).
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.submit();
});
// A form marked data-confirm asks before it is sent (withdrawing a record, removing an item).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
// The top bar's search dropdown closes on Escape and on a click elsewhere.
function closeFocusResults() {
  const results = document.getElementById("focus-results");
  if (results) results.replaceChildren();
}
document.addEventListener("click", (event) => {
  if (!event.target.closest(".focus-box")) closeFocusResults();
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && event.target.closest(".focus-box")) closeFocusResults();
});
document.documentElement.classList.add("js");
