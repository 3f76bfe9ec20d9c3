// "Meinen Standort verwenden": fills the hidden lat/lon fields of the search form from
// the browser's geolocation and submits the form. Without JavaScript (or without
// geolocation) the button stays hidden and the postcode field is enough.
(function () {
  "use strict";
  var box = document.querySelector("[data-geolocate]");
  if (!box || !("geolocation" in navigator)) {
    return;
  }
  var form = box.closest("form");
  var button = box.querySelector("button");
  var status = box.querySelector("[role=status]");
  var lat = form.querySelector("input[name=lat]");
  var lon = form.querySelector("input[name=lon]");
  var place = form.querySelector("input[name=nahe]");
  box.hidden = false;

  if (place) {
    // A typed place replaces an earlier location from the browser.
    place.addEventListener("input", function () {
      lat.value = "";
      lon.value = "";
    });
  }

  button.addEventListener("click", function () {
    status.textContent = box.dataset.msgLocating;
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = position.coords.latitude.toFixed(6);
      lon.value = position.coords.longitude.toFixed(6);
      if (place) {
        place.value = "";
      }
      status.textContent = box.dataset.msgFound;
      button.disabled = false;
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    }, function (error) {
      status.textContent = error.code === 1 ? box.dataset.msgDenied : box.dataset.msgFailed;
      button.disabled = false;
    }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 });
  });
})();
