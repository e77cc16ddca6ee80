/* Draws the dashboard's charts with ECharts from the JSON the page embeds (json_script, id
   "dashboard-data"): no data is ever written into a script. Each chart's numbers are also in the
   table beside it, open until the chart is drawn, so the page works without scripts. */
(function () {
  "use strict";

  var labelWidth = 140;

  function horizontalBars(labels, series, unit) {
    // The biggest first, at the top.
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: series.length > 1 ? { top: 0 } : undefined,
      grid: { left: 8, right: 48, top: series.length > 1 ? 32 : 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: unit === "%" ? 100 : null, minInterval: unit ? 0 : 1,
               axisLabel: { formatter: unit ? "{value}" + unit : "{value}" } },
      yAxis: { type: "category", inverse: true, data: labels, axisLabel: { width: labelWidth, overflow: "truncate" } },
      series: series.map(function (s) {
        return { name: s.name, type: "bar", data: s.data, barMaxWidth: 22, label: { show: true, position: "right",
          formatter: function (p) { return p.value == null ? "—" : p.value + (unit || ""); } } };
      })
    };
  }

  var builders = {
    trend: function (d) {
      return {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: d.days.map(function (day) { return day.slice(5); }) },
        yAxis: { type: "value", minInterval: 1 },
        series: d.series.map(function (s) { return { name: s.name, type: "line", data: s.data, smooth: false }; })
      };
    },
    categories: function (d) { return horizontalBars(d.labels, [{ name: "", data: d.values }]); },
    units: function (d) {
      var labels = d.labels.map(function (name, i) { return name + " (n=" + d.samples[i] + ")"; });
      return horizontalBars(labels, d.series, "%");
    },
    overdue: function (d) { return horizontalBars(d.labels, [{ name: "", data: d.values }]); },
    hotspots: function (d) { return horizontalBars(d.labels, [{ name: "", data: d.values }]); }
  };

  function hasData(key, d) {
    return key === "trend" ? d.days.length > 0 : d.labels.length > 0;
  }

  function height(key, d) {
    // A bar chart grows with its bars (two per unit on the units' chart).
    if (key === "trend") return null;
    var bars = d.labels.length * (key === "units" ? 2 : 1);
    return Math.max(140, 60 + bars * 22) + "px";
  }

  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof window.echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var locale = (document.documentElement.lang || "").indexOf("zh") === 0 ? "ZH" : "EN";
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var key = element.getAttribute("data-chart");
      if (!data[key] || !builders[key] || !hasData(key, data[key])) return;
      element.hidden = false;
      labelWidth = element.clientWidth < 500 ? 90 : 140;
      if (height(key, data[key])) element.style.height = height(key, data[key]);
      var chart = window.echarts.init(element, null, { locale: locale, renderer: "canvas" });
      chart.setOption(builders[key](data[key]));
      charts.push(chart);
      var numbers = element.parentNode.querySelector("details.chart-numbers");
      if (numbers) numbers.open = false;
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
