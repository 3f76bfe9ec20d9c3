// Progressive enhancement of the SVG map: when map tiles are configured, Leaflet draws
// the same GeoJSON (district boundaries and the listed offers) over the tiles. The
// server-rendered SVG map stays in the page until Leaflet has drawn, and the list of
// offers beside the map stays in any case.
(function () {
  "use strict";
  var el = document.querySelector("[data-leaflet-map]");
  if (!el || !window.L || !window.fetch) {
    return;
  }
  var svgMap = el.dataset.replaces ? document.querySelector(el.dataset.replaces) : null;
  var getJSON = function (url) {
    return fetch(url, { headers: { Accept: "application/geo+json" } }).then(function (r) {
      if (!r.ok) {
        throw new Error(r.status);
      }
      return r.json();
    });
  };

  Promise.all([getJSON(el.dataset.districts), getJSON(el.dataset.offers)]).then(function (data) {
    el.hidden = false;
    var map = L.map(el, { scrollWheelZoom: false });
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 19 }).addTo(map);
    var current = el.dataset.current;
    var districts = L.geoJSON(data[0], {
      style: function (feature) {
        var chosen = current && feature.id === current;
        return { color: "#0b0c0c", weight: chosen ? 4 : 2, fillOpacity: chosen ? 0.1 : 0.03 };
      }
    }).addTo(map);
    L.geoJSON(data[1], {
      filter: function (feature) { return feature.geometry !== null; },
      pointToLayer: function (feature, latlng) {
        // the kind's colour and an approximate point's dashed outline come from site.css
        var approximate = feature.properties.precision === "approximate";
        return L.circleMarker(latlng, {
          radius: 8, weight: approximate ? 3 : 2, fillOpacity: 1,
          className: "leaflet-offer map-kind-" + feature.properties.category +
            (approximate ? " map-approx" : "")
        });
      },
      onEachFeature: function (feature, layer) {
        var link = document.createElement("a");
        link.href = "/angebote/" + feature.id;
        link.textContent = feature.properties.name;
        layer.bindPopup(link);
      }
    }).addTo(map);
    var focus = current ? districts.getLayers().filter(function (layer) {
      return layer.feature.id === current;
    }) : [];
    var bounds = focus.length ? focus[0].getBounds() : districts.getBounds();
    map.fitBounds(bounds);
    if (svgMap) {
      // the SVG map gives way; its caption and legend stay
      var svg = svgMap.querySelector("svg");
      (svg || svgMap).setAttribute("hidden", "");
    }
  }).catch(function () {
    el.hidden = true; // the SVG map stays
  });
})();
