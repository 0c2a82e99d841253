/* Rectify page behaviour: no inline scripts (the Content-Security-Policy forbids them). */
(function () {
  "use strict";

  function onReady(root) {
    // Confirm irreversible steps: <form data-confirm="…">.
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      if (form.dataset.bound) return;
      form.dataset.bound = "1";
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });

    // Long work shows it is under way: <form data-busy="正在导入…"> disables its button and says so.
    root.querySelectorAll("form[data-busy]").forEach(function (form) {
      if (form.dataset.boundBusy) return;
      form.dataset.boundBusy = "1";
      form.addEventListener("submit", function (event) {
        if (event.defaultPrevented) return;
        var button = form.querySelector("button[type=submit]");
        if (button) { button.disabled = true; button.textContent = form.dataset.busy; }
      });
    });

    // File inputs speak the page's language, not the browser's ("Choose Files / No file chosen"): the native
    // input stays, transparent over a visible 选择文件 button, so a click, the keyboard, a drop and a screen
    // reader still reach it (its own label names it); the chosen files are listed under it, and announced.
    root.querySelectorAll("input[type=file]").forEach(function (input) {
      var words = document.body.dataset;
      if (input.dataset.boundPicker || !words.fileChoose) return;
      input.dataset.boundPicker = "1";
      var picker = document.createElement("span");
      picker.className = "file-picker";
      input.parentNode.insertBefore(picker, input);
      picker.appendChild(input);
      var face = document.createElement("span");
      face.className = "btn file-choose";
      face.setAttribute("aria-hidden", "true");
      face.textContent = words.fileChoose;
      picker.appendChild(face);
      var chosen = document.createElement("div");
      chosen.className = "file-names";
      chosen.id = (input.id || input.name) + "-chosen";
      chosen.setAttribute("aria-live", "polite");
      picker.parentNode.insertBefore(chosen, picker.nextSibling);
      var described = input.getAttribute("aria-describedby");
      input.setAttribute("aria-describedby", described ? described + " " + chosen.id : chosen.id);
      function show() {
        chosen.innerHTML = "";
        if (!input.files || !input.files.length) {
          chosen.textContent = words.fileNone;
          return;
        }
        var list = chosen.appendChild(document.createElement("ul"));
        Array.prototype.forEach.call(input.files, function (file) {
          var item = list.appendChild(document.createElement("li"));
          item.textContent = file.name + "（" + Math.max(1, Math.round(file.size / 1024)) + " KB）";
        });
      }
      input.addEventListener("change", show);
      show();
    });

    // Drag-and-drop evidence upload onto a file input: <div class="dropzone"><input type=file multiple></div>.
    // Dropped files are added to those already chosen.
    root.querySelectorAll(".dropzone").forEach(function (zone) {
      if (zone.dataset.bound) return;
      zone.dataset.bound = "1";
      var input = zone.querySelector("input[type=file]");
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("over"); });
      });
      ["dragleave", "drop"].forEach(function (name) {
        zone.addEventListener(name, function () { zone.classList.remove("over"); });
      });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        var merged = new DataTransfer();
        if (input.multiple) Array.prototype.forEach.call(input.files, function (f) { merged.items.add(f); });
        Array.prototype.forEach.call(event.dataTransfer.files, function (f) {
          if (input.multiple || !merged.items.length) merged.items.add(f);
        });
        input.files = merged.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });

    // "Select all" for bulk assignment.
    root.querySelectorAll("input[data-select-all]").forEach(function (box) {
      if (box.dataset.bound) return;
      box.dataset.bound = "1";
      box.addEventListener("change", function () {
        document.querySelectorAll("input[name=" + box.dataset.selectAll + "]").forEach(function (item) {
          item.checked = box.checked;
        });
      });
    });

    // Charts: <div class="chart" data-chart="id-of-json-script" data-kind="pie|bar|stack|line">.
    if (window.echarts) {
      root.querySelectorAll("[data-chart]").forEach(function (el) {
        if (el.dataset.bound) return;
        el.dataset.bound = "1";
        var data = JSON.parse(document.getElementById(el.dataset.chart).textContent);
        var chart = window.echarts.init(el, null, { renderer: "svg" });
        chart.setOption(chartOption(el.dataset.kind, data));
        window.addEventListener("resize", function () { chart.resize(); });
        if (data.links) {
          chart.on("click", function (params) {
            var url = data.links[params.dataIndex];
            if (url) window.location.href = url;
          });
        }
      });
    }
  }

  var COLORS = { green: "#2e7d32", yellow: "#d69e2e", red: "#c62828", blue: "#1d5fa7", grey: "#94a3b8", purple: "#7c3aed",
    violet: "#c084fc", orange: "#ea580c", maroon: "#7f1d1d", teal: "#0f9488", pink: "#db2777" };

  function chartOption(kind, data) {
    var base = { textStyle: { fontFamily: "inherit" }, tooltip: { trigger: kind === "pie" ? "item" : "axis" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true } };
    if (kind === "pie") {
      base.legend = { bottom: 0, type: "plain", itemGap: 8 };
      base.series = [{ type: "pie", radius: ["36%", "60%"], center: ["50%", "42%"], label: { formatter: "{b}\n{c}" },
        data: data.items.map(function (item) { return { name: item.name, value: item.value, itemStyle: { color: COLORS[item.color] || undefined } }; }) }];
      return base;
    }
    if (kind === "line") {
      base.legend = { top: 0 };
      base.xAxis = { type: "category", data: data.labels, boundaryGap: false };
      base.yAxis = { type: "value", max: data.max || null, axisLabel: { formatter: data.unit ? "{value}" + data.unit : "{value}" } };
      base.series = data.series.map(function (s) { return { type: "line", name: s.name, data: s.values, smooth: true, itemStyle: { color: COLORS[s.color] } }; });
      return base;
    }
    base.legend = { top: 0 };
    base.xAxis = { type: "value" };
    base.yAxis = { type: "category", data: data.labels, inverse: true, axisLabel: { width: 130, overflow: "truncate" } };
    base.series = data.series.map(function (s) {
      return { type: "bar", name: s.name, stack: kind === "stack" ? "total" : undefined, data: s.values, itemStyle: { color: COLORS[s.color] }, barMaxWidth: 22 };
    });
    return base;
  }

  // A refused or failed htmx request never "does nothing": its message is shown at the top of the page.
  function showError(text) {
    var main = document.getElementById("main") || document.body;
    var box = document.getElementById("request-error");
    if (!box) {
      box = document.createElement("ul");
      box.id = "request-error";
      box.className = "messages";
      box.setAttribute("role", "alert");
      main.insertBefore(box, main.firstChild);
    }
    box.innerHTML = "";
    var item = document.createElement("li");
    item.className = "error";
    item.textContent = text;
    box.appendChild(item);
    box.scrollIntoView({ block: "nearest" });
  }

  function messageOf(xhr) {
    var body = xhr.responseText || "";
    if (body && body.trim().charAt(0) !== "<") return body.trim().slice(0, 300);
    try {
      var found = new DOMParser().parseFromString(body, "text/html").querySelector("[data-error-message]");
      if (found && found.textContent.trim()) return found.textContent.trim();
    } catch (ignored) { /* not HTML: fall back to the general message */ }
    return xhr.status >= 500 ? document.body.dataset.errorServer : document.body.dataset.errorRequest;
  }

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    showError(messageOf(xhr) + "（" + xhr.status + "）");
  });
  document.addEventListener("htmx:sendError", function () { showError(document.body.dataset.errorNetwork); });
  // A request answered with the login page (the session expired or was ended elsewhere): the login form is
  // never swapped into a table row or a form. A link goes to the login page; a form stays as typed, with why.
  // A refused save that answers with the form to fill again (409 with HX-Reswap, e.g. a colleague saved the
  // row meanwhile) replaces the element like a success would, instead of being reported as a failure.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if ((xhr.status === 409 || xhr.status === 422) && xhr.getResponseHeader("HX-Reswap")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    var login = document.body.dataset.loginUrl;
    if (!login || !xhr.responseURL || window.location.pathname === login) return;
    var asked = event.detail.pathInfo && event.detail.pathInfo.requestPath;
    if (asked && new URL(asked, window.location.href).pathname === login) return;  // the login form itself
    if (new URL(xhr.responseURL).pathname !== login) return;
    event.detail.shouldSwap = false;
    var config = event.detail.requestConfig || {};
    if (event.detail.boosted && config.verb === "get") {
      window.location.href = xhr.responseURL;
      return;
    }
    showError(document.body.dataset.errorLogin);
  });
  document.addEventListener("click", function (event) {
    var back = event.target.closest && event.target.closest("[data-back]");
    if (back && window.history.length > 1) { event.preventDefault(); window.history.back(); }
  });

  // A choice that applies at once (data-autosubmit): the form is sent as if its button were pressed.
  document.addEventListener("change", function (event) {
    var field = event.target.closest && event.target.closest("[data-autosubmit]");
    if (field && field.form) { field.form.requestSubmit(); }
  });

  document.addEventListener("DOMContentLoaded", function () { onReady(document); });
  document.addEventListener("htmx:load", function (event) { onReady(event.target); });
})();
