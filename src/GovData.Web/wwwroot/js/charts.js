// Renders ECharts charts declared in the markup, from data embedded in the page (no extra request):
//   <div class="chart" data-chart="pie|bar|hbar" data-source="<id of a JSON script>" data-key="<property>" hidden></div>
//   pie: [{ name, value, itemStyle? }]        bar/hbar: { categories: [...], series: [{ name, data: [...], color?, type? }] }
//   (a series with type 'line' is drawn as a line, e.g. a daily trend)
// The containers stay hidden without JavaScript; the tables next to them carry the same numbers.
// ECharts (about 1 MB) is either loaded by the page before this script, or — when this script's tag carries
// data-echarts="<address of echarts.min.js>" — only once a chart comes near the viewport (the portal's dataset pages:
// the chart is below the fold on phones, and most visitors never scroll to it).
(function () {
  'use strict';
  var script = document.currentScript;
  var font = window.getComputedStyle(document.body).fontFamily;
  var ink = '#1f2329', muted = '#5c6470', line = '#dfe3e8';
  var cache = {};

  function source(id) {
    if (!(id in cache)) {
      var el = document.getElementById(id);
      cache[id] = el ? JSON.parse(el.textContent) : null;
    }
    return cache[id];
  }

  function pie(data) {
    return {
      tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
      legend: { bottom: 0, textStyle: { color: muted } },
      series: [{
        type: 'pie', radius: ['38%', '66%'], center: ['50%', '45%'], data: data,
        label: { formatter: '{b}\n{c}', color: ink }, labelLine: { length: 8, length2: 8 }
      }]
    };
  }

  function bars(data, horizontal) {
    var many = data.series.length > 1;
    var category = { type: 'category', data: data.categories, axisLabel: { color: ink, interval: 0 }, axisLine: { lineStyle: { color: line } } };
    var value = { type: 'value', minInterval: 1, axisLabel: { color: muted }, splitLine: { lineStyle: { color: line } } };
    if (horizontal) { category.inverse = true; } else { category.axisLabel.rotate = data.categories.length > 8 ? 30 : 0; }
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: many ? { top: 0, textStyle: { color: muted } } : undefined,
      grid: { left: 8, right: 36, top: many ? 32 : 16, bottom: 8, containLabel: true },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: data.series.map(function (s) {
        return {
          type: s.type === 'line' ? 'line' : 'bar', name: s.name, data: s.data, itemStyle: s.color ? { color: s.color } : undefined, barMaxWidth: 28,
          label: { show: s.type !== 'line', position: horizontal ? 'right' : 'top', color: muted, fontSize: 11 }
        };
      })
    };
  }

  function chartData(el) {
    var all = source(el.getAttribute('data-source'));
    return all && all[el.getAttribute('data-key')];
  }

  function draw() {
  var charts = [];
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var data = chartData(el);
    if (!data) return;
    var kind = el.getAttribute('data-chart');
    el.hidden = false;
    if (kind === 'hbar') {
      // One band per category, wider when several series share it.
      var band = data.series.length > 1 ? 14 * data.series.length + 10 : 24;
      el.style.height = Math.max(240, data.categories.length * band + 60) + 'px';
    }
    var chart = window.echarts.init(el, null, { renderer: 'svg' });
    var option = kind === 'pie' ? pie(data) : bars(data, kind === 'hbar');
    option.textStyle = { fontFamily: font };
    option.animation = false;
    chart.setOption(option);
    charts.push(chart);
  });
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (typeof window.echarts !== 'undefined') { draw(); return; }
  var lazy = script && script.getAttribute('data-echarts');
  var targets = lazy ? [].filter.call(document.querySelectorAll('[data-chart]'), chartData) : [];
  if (!targets.length) return;
  var requested = false;
  function load() {
    if (requested) return;
    requested = true;
    var tag = document.createElement('script');
    tag.src = lazy;
    tag.onload = draw;
    document.head.appendChild(tag);
  }
  if (!('IntersectionObserver' in window)) { load(); return; }
  var observer = new IntersectionObserver(function (entries) {
    if (entries.some(function (e) { return e.isIntersecting; })) { observer.disconnect(); load(); }
  }, { rootMargin: '300px 0px' });
  // Shown (empty, at its final height) so that it can be observed and nothing moves when the chart arrives.
  targets.forEach(function (el) { el.hidden = false; observer.observe(el); });
})();
