/* Charts of the indicator dashboard. Data come from <script type="application/json"> blocks
   written by the page (json_script); no inline script (CSP script-src 'self'). */
(function () {
  "use strict";
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  var colours = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#20c997"];
  ready(function () {
    if (typeof Chart === "undefined") { return; }
    var trend = data("trend-data");
    var el = document.getElementById("trend-chart");
    if (trend && el) {
      new Chart(el, {
        type: "line",
        data: {
          labels: trend.labels,
          datasets: trend.series.map(function (s, i) {
            return { label: s.label, data: s.values, borderColor: colours[i % colours.length],
                     backgroundColor: colours[i % colours.length], spanGaps: true, tension: 0.2 };
          })
        },
        options: { scales: { y: { min: 0, max: 100, title: { display: true, text: "%" } } },
                   plugins: { legend: { position: "bottom" } } }
      });
    }
    var ranking = data("ranking-data");
    el = document.getElementById("ranking-chart");
    if (ranking && el) {
      new Chart(el, {
        type: "bar",
        data: { labels: ranking.labels,
                datasets: [{ label: ranking.label, data: ranking.values, backgroundColor: "#0d6efd" }] },
        options: { indexAxis: "y", scales: { x: { min: 0, max: 100 } },
                   plugins: { legend: { display: false } }, maintainAspectRatio: false }
      });
    }
    var gauges = data("gauge-data") || [];
    gauges.forEach(function (g) {
      var c = document.getElementById(g.id);
      if (!c) { return; }
      var v = g.value === null ? 0 : g.value;
      new Chart(c, {
        type: "doughnut",
        data: { labels: [g.label, ""],
                datasets: [{ data: [v, Math.max(0, 100 - v)],
                             backgroundColor: [g.colour, "#e9ecef"], borderWidth: 0 }] },
        options: { rotation: -90, circumference: 180, cutout: "70%",
                   plugins: { legend: { display: false }, tooltip: { enabled: false } } }
      });
    });
  });
})();
