// The visit form on a phone: fill the position from the device when asked; unused spare rows stay
// folded until the one before is used.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }
  ready(function () {
    var button = document.getElementById("visit-locate");
    var lat = document.getElementById("visit-latitude"), lon = document.getElementById("visit-longitude");
    var said = document.getElementById("visit-position");
    if (button && lat && lon && navigator.geolocation) {
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (pos) {
          lat.value = pos.coords.latitude.toFixed(6);
          lon.value = pos.coords.longitude.toFixed(6);
          said.textContent = lat.value + ", " + lon.value;
        }, function (error) { said.textContent = error.message; }, {enableHighAccuracy: true, timeout: 15000});
      });
    }
    var form = document.getElementById("visit-form");
    if (form) { form.classList.add("folding"); }
    document.querySelectorAll(".visit-form fieldset.row").forEach(function (row) {
      row.addEventListener("input", function () {
        var next = row.nextElementSibling;
        if (next && next.classList.contains("spare")) { next.classList.add("shown"); }
      });
    });
    document.querySelectorAll(".visit-form fieldset.row.spare").forEach(function (row) {
      var before = row.previousElementSibling;
      if (before && before.matches("fieldset.row") && !before.classList.contains("spare")) { row.classList.add("shown"); }
    });
  });
})();
