/**
 * The console's one script, served as /console/assets/console-<hash>.js with a long cache. Every
 * page works without it; it only adds:
 * - a live SMS counter under each reminder text (segments and encoding, as the text will be
 *   spelled and billed on SMS), from the spelling table the page carries;
 * - live counts on a reminder's page, polled from the console's JSON API until it is done (and
 *   for a few minutes more while delivery reports are still coming in);
 * - "are you sure?" before a form marked data-confirm.
 * Kept in a TypeScript module (as text) so the build carries it into dist/ with the server.
 */
export const CLIENT_JS = String.raw`(function () {
  'use strict';
  var GSM = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
  var EXT = '^{}\\[~]|€\f';
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  var tables = data('sms-spelling') || {};
  var labels = data('console-labels') || {};
  var patterns = {};
  function spell(text, lang) {
    var table = tables[lang] || {};
    if (!(lang in patterns)) {
      var keys = Object.keys(table).sort(function (a, b) { return b.length - a.length; });
      patterns[lang] = keys.length ? new RegExp(keys.map(function (k) { return k.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&'); }).join('|'), 'gu') : null;
    }
    text = text.normalize('NFC');
    return patterns[lang] ? text.replace(patterns[lang], function (m) { return table[m]; }) : text;
  }
  function measure(text) {
    var units = 0, odd = [];
    for (var ch of text) {
      if (GSM.indexOf(ch) >= 0) units += 1;
      else if (EXT.indexOf(ch) >= 0) units += 2;
      else if (odd.indexOf(ch) < 0) odd.push(ch);
    }
    if (odd.length) {
      var u = text.length;
      return { segments: u <= 70 ? 1 : Math.ceil(u / 67), encoding: 'UCS-2', odd: odd };
    }
    return { segments: units <= 160 ? 1 : Math.ceil(units / 153), encoding: 'GSM-7', odd: odd };
  }
  document.querySelectorAll('textarea[data-sms]').forEach(function (area) {
    var out = document.getElementById(area.getAttribute('aria-describedby').split(' ')[0]);
    var lang = area.getAttribute('data-sms');
    function update() {
      var sms = spell(area.value.trim(), lang);
      var chars = Array.from(sms).length;
      if (!chars) { out.textContent = area.getAttribute('data-empty') || 'vacío'; out.classList.remove('over'); return; }
      var m = measure(sms);
      out.textContent = (m.segments === 1 ? '1 SMS' : m.segments + ' SMS') + ' · ' + m.encoding +
        (m.odd.length ? ' (por ' + m.odd.join(' ') + ')' : '') + ' · ' + chars + ' caracteres';
      out.classList.toggle('over', m.segments > Number(area.getAttribute('data-budget') || 1));
    }
    area.addEventListener('input', update);
    update();
  });
  document.querySelectorAll('[data-poll]').forEach(function (box) {
    var url = box.getAttribute('data-poll');
    var late = 0;
    function set(sel, text) { box.querySelectorAll(sel).forEach(function (n) { n.textContent = text; }); }
    function tick() {
      if (document.hidden) return setTimeout(tick, 5000);
      fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (b) {
          if (!b) return setTimeout(tick, 10000);
          Object.keys(b.counts).forEach(function (k) { set('[data-count="' + k + '"]', String(b.counts[k])); });
          set('[data-state]', (labels.states || {})[b.state] || b.state);
          var list = box.querySelector('[data-reasons]');
          if (list) {
            var names = labels.reasons || {}, items = [];
            Object.keys(b.skippedReasons).forEach(function (k) { items.push([names[k] || k, b.skippedReasons[k]]); });
            Object.keys(b.failedReasons || {}).forEach(function (k) { items.push([names[k] || k, b.failedReasons[k]]); });
            if (!items.length) items.push([labels.none || '—']);
            list.replaceChildren.apply(list, items.map(function (it) {
              var li = document.createElement('li');
              li.textContent = it.length > 1 ? it[0] + ': ' + it[1] : it[0];
              return li;
            }));
          }
          if (b.state === 'done' || b.state === 'cancelled') {
            box.querySelectorAll('[data-cancel]').forEach(function (f) { f.hidden = true; });
            // Delivery reports keep coming after the last send: look again for a few minutes.
            var c = b.counts;
            if (c.delivered + c.failed < c.sent && ++late < 36) setTimeout(tick, 5000);
            return;
          }
          setTimeout(tick, b.state === 'sending' ? 2000 : 15000);
        })
        .catch(function () { setTimeout(tick, 10000); });
    }
    setTimeout(tick, 1000);
  });
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      if (!window.confirm(form.getAttribute('data-confirm'))) e.preventDefault();
    });
  });
})();
`;
