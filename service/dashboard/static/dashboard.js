// Progressive enhancement only: every page works without this file.
// While an article is being checked (a few seconds), say so and stop a second submission.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var label = form.getAttribute("data-busy-label");
  if (!label) return;
  var button = form.querySelector("button[type=submit]");
  if (!button) return;
  form.setAttribute("aria-busy", "true");
  button.textContent = label;
  window.setTimeout(function () { button.disabled = true; }, 0);
});

// After a failed submission, take keyboard and screen-reader users to the error first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary[data-focus]");
  if (!summary) return;
  summary.setAttribute("tabindex", "-1");
  summary.focus();
});
