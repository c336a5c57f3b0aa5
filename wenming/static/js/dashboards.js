/* Dashboards (领导驾驶舱): draw each card's chart from its JSON, switch 图表/表格.
 *
 * Every card holds a chart placeholder ([data-chart] naming a json_script id) and the same
 * numbers as a table ([data-table]). Without script (or ECharts) the tables stay; with it the
 * chart shows and the 图表/表格 buttons switch. Clicking a bar or cell opens the list behind it.
 */
(function () {
  "use strict";
  if (typeof window.echarts === "undefined") return;
  var RED = "#b3261e", GREEN = "#198754", BLUE = "#0b5ed7", ORANGE = "#fd7e14", GREY = "#adb5bd";
  var charts = [];

  function num(v) { return v === null || v === undefined ? null : Number(v); }
  function narrow() { return window.innerWidth < 576; }
  function grid(extra) {
    var g = { left: 8, right: 16, top: 40, bottom: 8, containLabel: true };
    for (var k in extra) g[k] = extra[k];
    return g;
  }
  function legend() { return { top: 0, type: "scroll" }; }

  var builders = {
    phase: function (d) {
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: legend(),
        grid: grid({ top: 64 }),
        xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0 } },
        yAxis: [
          { type: "value", name: "任务数", minInterval: 1 },
          { type: "value", name: "进度%", max: 100, splitLine: { show: false } }
        ],
        series: [
          { name: "任务数", type: "bar", data: d.total, itemStyle: { color: GREY } },
          { name: "已完成", type: "bar", data: d.done, itemStyle: { color: GREEN } },
          { name: "逾期", type: "bar", data: d.overdue, itemStyle: { color: RED } },
          {
            name: "平均进度(%)", type: "line", yAxisIndex: 1, data: d.mean.map(num),
            itemStyle: { color: BLUE }, label: { show: true, formatter: "{c}%" }
          }
        ]
      };
    },
    lost: function (d) {
      return {
        tooltip: {
          trigger: "axis", axisPointer: { type: "shadow" },
          formatter: function (p) {
            var i = p[0].dataIndex;
            return d.categories[i] + "<br>分值 " + d.possible[i] + " 分，失分 <b>" + d.lost[i] + "</b> 分";
          }
        },
        grid: grid({ top: 8, right: 40 }),
        xAxis: { type: "value", name: "失分" },
        yAxis: { type: "category", data: d.categories, axisLabel: { width: narrow() ? 90 : 160, overflow: "truncate" } },
        series: [{ name: "失分", type: "bar", data: d.lost.map(num), itemStyle: { color: RED }, label: { show: true, position: "right" } }]
      };
    },
    ranking: function (d) {
      return {
        tooltip: {
          trigger: "axis", axisPointer: { type: "shadow" },
          formatter: function (p) {
            var i = p[0].dataIndex;
            return d.categories[i] + "<br>考核得分 <b>" + d.total[i] + "</b>（得分率 " + d.index[i] + "%）<br>任务按时完成率 " + d.completion[i] +
              "%<br>逾期任务 " + d.overdue[i] + " 项<br>未销号问题 " + d.open[i] + " 个";
          }
        },
        grid: grid({ top: 8, right: 40 }),
        xAxis: { type: "value", max: 100, name: "得分率%" },
        yAxis: { type: "category", data: d.categories, axisLabel: { width: narrow() ? 80 : 140, overflow: "truncate" } },
        series: [{
          name: "考核得分率", type: "bar", data: d.index.map(num), label: { show: true, position: "right" },
          itemStyle: { color: function (p) { return p.value >= 80 ? GREEN : p.value >= 60 ? ORANGE : RED; } }
        }]
      };
    },
    heatmap: function (d) {
      return {
        tooltip: {
          formatter: function (p) {
            return d.y[p.value[1]] + "<br>" + d.x[p.value[0]] + "：<b>" + p.value[2] + "</b> 份台账";
          }
        },
        grid: grid({ top: 8, bottom: 48 }),
        xAxis: { type: "category", data: d.x, splitArea: { show: true }, axisLabel: { interval: 0, rotate: d.x.length > 4 ? (narrow() ? 60 : 30) : 0 } },
        yAxis: { type: "category", data: d.y, inverse: true, splitArea: { show: true }, axisLabel: { width: narrow() ? 90 : 170, overflow: "truncate" } },
        visualMap: {
          min: 0, max: Math.max(d.max, 1), calculable: true, orient: "horizontal", left: "center", bottom: 0,
          itemHeight: 120, text: ["多", "少"], inRange: { color: ["#fdecea", "#fff4d6", "#bfe3c6", "#2e8b57"] }
        },
        series: [{ name: "台账份数", type: "heatmap", data: d.cells, label: { show: !narrow() || d.x.length <= 6 } }]
      };
    },
    trend: function (d) {
      return {
        tooltip: { trigger: "axis" },
        legend: legend(),
        grid: grid({ top: 64 }),
        xAxis: { type: "category", data: d.categories },
        yAxis: [
          { type: "value", name: "数量", minInterval: 1 },
          { type: "value", name: "累计%", max: 100, splitLine: { show: false } }
        ],
        series: [
          { name: "完成任务", type: "bar", data: d.done, itemStyle: { color: GREEN } },
          { name: "新增问题", type: "bar", data: d.opened, itemStyle: { color: ORANGE } },
          { name: "销号问题", type: "bar", data: d.closed, itemStyle: { color: BLUE } },
          { name: "累计完成率(%)", type: "line", yAxisIndex: 1, data: d.cumulative.map(num), itemStyle: { color: RED }, smooth: true }
        ]
      };
    },
    office: function (d) {
      return {
        tooltip: {
          trigger: "axis", axisPointer: { type: "shadow" },
          formatter: function (p) {
            var i = p[0].dataIndex;
            var s = d.categories[i] + "<br>有佐证得分 " + (d.total[i] === null ? "暂无测评" : "<b>" + d.total[i] + "</b>");
            if (d.threshold[i] !== null) s += "（分数线 " + d.threshold[i] + "）";
            return s + "<br>任务完成率 " + d.done[i] + "%<br>逾期任务 " + d.overdue[i] + " 项，逾期问题 " + d.problems[i] + " 个";
          }
        },
        legend: {
          top: 0, type: "scroll",
          data: [{ name: "有佐证得分", itemStyle: { color: GREEN } }, "达标分数线", "任务完成率(%)"]
        },
        grid: grid({ top: 64, bottom: d.categories.length > 12 ? 40 : 8 }),
        dataZoom: d.categories.length > 20 ? [{ type: "slider", start: 0, end: Math.min(100, 2000 / d.categories.length), bottom: 0 }] : [],
        xAxis: { type: "category", data: d.categories, axisLabel: { rotate: 30, interval: d.categories.length > 20 ? "auto" : 0 } },
        yAxis: [{ type: "value", name: "分" }, { type: "value", name: "完成率%", max: 100, splitLine: { show: false } }],
        series: [
          {
            name: "有佐证得分", type: "bar", barMaxWidth: 48, data: d.total.map(num),
            itemStyle: { color: function (p) { var t = num(d.threshold[p.dataIndex]); return t !== null && p.value < t ? RED : GREEN; } }
          },
          { name: "达标分数线", type: "scatter", data: d.threshold.map(num), symbol: "rect", symbolSize: [36, 3], itemStyle: { color: "#212529" }, z: 5 },
          { name: "任务完成率(%)", type: "line", yAxisIndex: 1, data: d.done.map(num), itemStyle: { color: BLUE } }
        ]
      };
    }
  };

  function show(card, which) {
    var chartEl = card.querySelector("[data-chart]");
    var table = card.querySelector("[data-table]");
    if (!chartEl || !table) return;
    chartEl.hidden = which !== "chart";
    table.hidden = which !== "table";
    card.querySelectorAll(".wm-toggle button").forEach(function (b) {
      var on = b.getAttribute("data-show") === which;
      b.classList.toggle("active", on);
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
    if (which === "chart") {
      var inst = window.echarts.getInstanceByDom(chartEl);
      if (inst) inst.resize();
    }
  }

  document.querySelectorAll("[data-card]").forEach(function (card) {
    var chartEl = card.querySelector("[data-chart]");
    if (!chartEl) return;
    var source = document.getElementById(chartEl.getAttribute("data-chart"));
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var build = builders[data.type];
    if (!build) return;
    var toggle = card.querySelector(".wm-toggle");
    if (toggle) toggle.classList.remove("d-none");
    chartEl.hidden = false;
    var table = card.querySelector("[data-table]");
    if (table) table.hidden = true;
    var chart = window.echarts.init(chartEl, null, { renderer: "canvas" });
    chart.setOption(build(data));
    chart.on("click", function (p) {
      var urls = data.urls || [];
      var url = urls[p.dataIndex];
      if (url) window.location.href = url;
    });
    charts.push(chart);
    card.querySelectorAll(".wm-toggle button").forEach(function (b) {
      b.addEventListener("click", function () { show(card, b.getAttribute("data-show")); });
    });
  });

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      charts.forEach(function (c) { c.resize(); });
    }, 150);
  });
})();
