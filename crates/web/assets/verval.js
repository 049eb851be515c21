// Verval visit form on a phone with a bad connection. Progressive enhancement: without
// this file the form posts as plain multipart and everything still works.
// - keeps a draft of the typed fields on the phone while the operator types;
// - fills latitude/longitude from the browser's GPS on request;
// - shrinks photos before sending (a 4 MB camera photo becomes ~200 KB);
// - when there is no connection, keeps the whole submission (photos included) in
//   localStorage and sends it when the connection returns, on this or any page that
//   loads this script.
(function () {
  var QUEUE = 'sipmas-antrian';
  var MAX_SIDE = 1280;

  function csrf() {
    try {
      return JSON.parse(document.body.getAttribute('hx-headers:inherited'))['X-CSRF-Token'];
    } catch (e) { return ''; }
  }
  function queue() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || '[]'); } catch (e) { return []; }
  }
  function saveQueue(q) { localStorage.setItem(QUEUE, JSON.stringify(q)); }
  function say(text) {
    var el = document.getElementById('antrian');
    if (!el) return;
    el.hidden = false;
    el.textContent = text;
  }
  function msg(name) {
    var el = document.getElementById('antrian');
    return (el && el.dataset[name]) || '';
  }
  // Read as a data: URL (the page's CSP allows data: images, not blob: ones).
  function shrink(file) {
    return new Promise(function (resolve) {
      var reader = new FileReader();
      reader.onerror = function () { resolve(null); };
      reader.onload = function () {
        var img = new Image();
        img.onload = function () {
          var s = Math.min(1, MAX_SIDE / Math.max(img.width, img.height));
          var c = document.createElement('canvas');
          c.width = Math.round(img.width * s);
          c.height = Math.round(img.height * s);
          c.getContext('2d').drawImage(img, 0, 0, c.width, c.height);
          resolve(c.toDataURL('image/jpeg', 0.8));
        };
        img.onerror = function () { resolve(null); };
        img.src = reader.result;
      };
      reader.readAsDataURL(file);
    });
  }
  function blob(dataUrl) {
    var parts = dataUrl.split(','), bin = atob(parts[1]), buf = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) buf[i] = bin.charCodeAt(i);
    return new Blob([buf], { type: 'image/jpeg' });
  }
  function send(item) {
    var fd = new FormData();
    item.fields.forEach(function (kv) { fd.append(kv[0], kv[1]); });
    item.photos.forEach(function (p, i) { fd.append('foto', blob(p), 'foto' + (i + 1) + '.jpg'); });
    return fetch(item.url, {
      method: 'POST', body: fd, credentials: 'same-origin',
      headers: { 'Accept': 'application/json', 'X-CSRF-Token': csrf() }
    }).then(function (r) {
      return r.json().catch(function () { return { outcome: 'error', message: String(r.status) }; })
        .then(function (j) { j.status = r.status; return j; });
    });
  }
  function me() {
    var el = document.getElementById('antrian');
    return (el && el.dataset.user) || '';
  }
  function drop(id) { saveQueue(queue().filter(function (x) { return x.id !== id; })); }
  // Sends this user's queued visits, oldest first. An item leaves the queue only when the
  // server has answered about it for good: accepted, or refused as stale, invalid or
  // already sent (its draft stays on the phone; opening the form shows the server's
  // answer). A network failure, an ended session (a sign-in page instead of JSON) or a
  // server error keeps it, photos included, for the next try.
  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine || !me()) return;
    flushing = true;
    var sent = 0, tried = {};
    (function next() {
      var item = queue().filter(function (x) { return x.user === me() && !tried[x.id]; })[0];
      if (!item) { flushing = false; if (sent) say(msg('sent').replace('{n}', sent)); return; }
      tried[item.id] = true;
      send(item).then(function (j) {
        if (j.outcome === 'submitted') {
          sent++;
          drop(item.id);
          localStorage.removeItem(item.key);
        } else if (j.outcome === 'stale' || j.outcome === 'invalid' || j.outcome === 'conflict') {
          drop(item.id);
          say(msg('failed') + ' ' + (j.message || ''));
        }
        next();
      }, function () { flushing = false; });
    })();
  }

  function fields(form) {
    var out = [];
    new FormData(form).forEach(function (v, k) { if (typeof v === 'string') out.push([k, v]); });
    return out;
  }
  function restoreDraft(form) {
    var raw = localStorage.getItem(form.dataset.key);
    if (!raw || document.getElementById('konflik') || document.getElementById('galat-kunjungan')) return;
    var saved;
    try { saved = JSON.parse(raw); } catch (e) { return; }
    var seen = {};
    saved.forEach(function (kv) {
      var k = kv[0], v = kv[1];
      // versi_rumah too: the draft was typed against that version, and the server must
      // compare with it, not with whatever the page holds now.
      if (k === '_csrf') return;
      var els = form.querySelectorAll('[name="' + CSS.escape(k) + '"]');
      els.forEach(function (el) {
        if (el.type === 'radio' || el.type === 'checkbox') {
          if (!seen[k]) { els.forEach(function (e) { e.checked = false; }); seen[k] = true; }
          if (el.value === v) el.checked = true;
        } else if (el.type !== 'file') {
          el.value = v;
        }
      });
    });
  }
  function visitForm(form) {
    restoreDraft(form);
    form.addEventListener('input', function () {
      localStorage.setItem(form.dataset.key, JSON.stringify(fields(form)));
    });
    var gps = document.getElementById('ambil-gps');
    if (gps && navigator.geolocation) {
      gps.hidden = false;
      gps.addEventListener('click', function () {
        var st = document.getElementById('gps-status');
        st.textContent = '…';
        navigator.geolocation.getCurrentPosition(function (p) {
          form.querySelector('[name=latitude]').value = p.coords.latitude.toFixed(6);
          form.querySelector('[name=longitude]').value = p.coords.longitude.toFixed(6);
          st.textContent = '± ' + Math.round(p.coords.accuracy) + ' m';
          localStorage.setItem(form.dataset.key, JSON.stringify(fields(form)));
        }, function (e) { st.textContent = e.message; }, { enableHighAccuracy: true, timeout: 20000 });
      });
    }
    form.addEventListener('submit', function (ev) {
      if (!form.checkValidity()) return;
      ev.preventDefault();
      var files = Array.prototype.slice.call(form.querySelector('[name=foto]').files || []);
      Promise.all(files.map(shrink)).then(function (photos) {
        var item = {
          id: Date.now() + '-' + Math.random().toString(36).slice(2),
          user: me(),
          url: form.action.split('?')[0], key: form.dataset.key,
          fields: fields(form).filter(function (kv) { return kv[0] !== '_csrf'; }),
          photos: photos.filter(Boolean)
        };
        localStorage.setItem(item.key, JSON.stringify(item.fields));
        var keep = function () {
          // A newer send of the same form replaces the one waiting.
          var q = queue().filter(function (x) { return x.key !== item.key; });
          q.push(item);
          try { saveQueue(q); say(msg('queued')); }
          catch (e) { say(msg('full')); }
        };
        if (!navigator.onLine) return keep();
        send(item).then(function (j) {
          if (j.outcome === 'submitted') {
            localStorage.removeItem(item.key);
            location.href = '/tugas?terkirim=1';
          } else if (j.outcome === 'stale' || j.outcome === 'invalid' || j.outcome === 'conflict') {
            // Let the server render its answer (the comparison after a change, the
            // error next to the form): send the form the plain way.
            localStorage.removeItem(item.key);
            HTMLFormElement.prototype.submit.call(form);
          } else {
            // Signed out meanwhile, or a server error: keep it on the phone.
            keep();
          }
        }, keep);
      });
    });
  }

  function start() {
    var form = document.getElementById('kunjungan');
    if (form && form.dataset.key) visitForm(form);
    flush();
  }
  window.addEventListener('online', flush);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
