// duban: the little the pages need beyond htmx. No strings here: pages carry their words in data-*.
(function () {
  "use strict";

  // A button that copies a suggestion into a field: data-fill="#field" data-value="…".
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fill]");
    if (!button) return;
    var field = document.querySelector(button.dataset.fill);
    if (!field) return;
    field.value = button.dataset.value;
    field.dispatchEvent(new Event("change", { bubbles: true }));
    field.focus();
  });

  // "Use my location": the phone's point into the hidden latitude and longitude fields.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-locate]");
    if (!button) return;
    var status = document.getElementById(button.dataset.status);
    if (!navigator.geolocation) { status.textContent = button.dataset.unavailable; return; }
    status.textContent = button.dataset.waiting;
    navigator.geolocation.getCurrentPosition(function (position) {
      document.getElementById(button.dataset.latitude).value = position.coords.latitude.toFixed(6);
      document.getElementById(button.dataset.longitude).value = position.coords.longitude.toFixed(6);
      status.textContent = button.dataset.done + " (" + position.coords.latitude.toFixed(4) + ", " +
        position.coords.longitude.toFixed(4) + ")";
    }, function () { status.textContent = button.dataset.refused; }, { timeout: 10000 });
  });

  // Keyboard: Ctrl+Enter (⌘+Enter) in a form presses its button marked data-ctrl-enter.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    var form = event.target.form;
    var button = form && form.querySelector("[data-ctrl-enter]");
    if (button) { event.preventDefault(); button.click(); }
  });
})();
