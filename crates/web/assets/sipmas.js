// Progressive enhancement only: every page works without this file.
// A Leaflet map with the household's pin, drawn where the page offers coordinates.
// No tile server is assumed reachable, so the map shows the pin on a plain background.
(function () {
  function map() {
    var el = document.getElementById('peta');
    if (!el || !window.L) return;
    var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
    if (isNaN(lat) || isNaN(lon)) return;
    L.Icon.Default.imagePath = '/aset/images/';
    var m = L.map(el, { attributionControl: false }).setView([lat, lon], 15);
    L.marker([lat, lon]).addTo(m);
    el.dataset.ready = '1';
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', map);
  else map();
})();
