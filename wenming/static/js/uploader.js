/* 台账上传: pick or photograph files, see them listed with previews, send them with a
 * progress bar. Without this script the plain <input type="file"> fields still work.
 *
 * Chosen files live in `chosen` (per upload area), not in the inputs: when the server
 * refuses the form (400) the returned form replaces the old one and the list is shown
 * again, so the user removes the bad file and resubmits without choosing the rest again.
 */
(function () {
  "use strict";

  var HEADER = "X-Wenming-Uploader";

  function mb(n) {
    if (n >= 1024 * 1024) return (n / 1024 / 1024).toFixed(1) + " MB";
    if (n >= 1024) return Math.max(1, Math.round(n / 1024)) + " KB";
    return n + " B";
  }

  function ext(name) {
    var dot = name.lastIndexOf(".");
    return dot > 0 ? name.slice(dot + 1).toUpperCase().slice(0, 4) : "文件";
  }

  function badge(file) {
    var span = document.createElement("span");
    span.className = "wm-thumb wm-ft wm-ft-document";
    span.textContent = ext(file.name);
    return span;
  }

  function setup(area) {
    var chosen = area._wmChosen || [];
    area._wmChosen = chosen;
    var form = area.querySelector("form[data-uploader]");
    if (!form) return;
    var box = form.querySelector(".wm-uploader");
    var maxBytes = parseInt(box.getAttribute("data-max-bytes"), 10) || 0;
    var maxFiles = parseInt(box.getAttribute("data-max-files"), 10) || 0;
    var list = box.querySelector("[data-list]");
    var drop = box.querySelector("[data-drop]");
    var progress = box.querySelector("[data-progress]");
    var bar = progress.querySelector(".progress-bar");
    var progressText = progress.querySelector("[data-progress-text]");
    var submit = form.querySelector("[data-submit]");
    var serverErrors = Array.prototype.map.call(
      box.querySelectorAll("[data-file-error]"),
      function (el) { return el.textContent; }
    );
    box.classList.add("wm-js");

    function problemsOf(file) {
      var out = [];
      if (maxBytes && file.size > maxBytes) {
        out.push("超过单个文件" + mb(maxBytes) + "的上限，请压缩后再上传");
      }
      if (file.size === 0) out.push("是空文件");
      return out;
    }

    function render() {
      list.innerHTML = "";
      chosen.forEach(function (file, index) {
        var li = document.createElement("li");
        var problems = problemsOf(file);
        var refused = serverErrors.some(function (msg) {
          return msg.indexOf("‘" + file.name + "’") >= 0 || msg.indexOf("“" + file.name + "”") >= 0;
        });
        if (problems.length || refused) li.className = "is-bad";
        var thumb;
        if (/^image\//.test(file.type) && window.URL && URL.createObjectURL) {
          thumb = document.createElement("img");
          thumb.className = "wm-thumb";
          thumb.alt = "";
          thumb.src = URL.createObjectURL(file);
          thumb.onload = function () { URL.revokeObjectURL(thumb.src); };
          thumb.onerror = function () {
            // Not a picture the browser can show (HEIC, or not really a photo).
            URL.revokeObjectURL(thumb.src);
            thumb.replaceWith(badge(file));
          };
        } else {
          thumb = badge(file);
        }
        var name = document.createElement("span");
        name.className = "wm-name";
        name.textContent = file.name;
        if (problems.length || refused) {
          var why = document.createElement("div");
          why.className = "small text-danger";
          why.textContent = problems.length ? problems.join("；") : "未通过检查，请移除或换一个文件";
          name.appendChild(why);
        }
        var size = document.createElement("span");
        size.className = "wm-size";
        size.textContent = mb(file.size);
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn btn-sm btn-outline-secondary";
        remove.setAttribute("aria-label", "移除 " + file.name);
        remove.textContent = "×";
        remove.addEventListener("click", function () {
          chosen.splice(index, 1);
          render();
        });
        li.appendChild(thumb);
        li.appendChild(name);
        li.appendChild(size);
        li.appendChild(remove);
        list.appendChild(li);
      });
      var note = box.querySelector("[data-count-note]");
      if (!note) {
        note = document.createElement("div");
        note.setAttribute("data-count-note", "");
        note.className = "small mt-1";
        list.after(note);
      }
      var total = chosen.reduce(function (sum, f) { return sum + f.size; }, 0);
      note.className = "small mt-1" + (maxFiles && chosen.length > maxFiles ? " text-danger" : " text-secondary");
      note.textContent = chosen.length
        ? "已选" + chosen.length + "个文件，共" + mb(total) +
          (maxFiles && chosen.length > maxFiles ? "。一次最多" + maxFiles + "个，请分批上传。" : "")
        : "";
    }

    function add(files) {
      Array.prototype.forEach.call(files, function (file) {
        var same = chosen.some(function (f) {
          return f.name === file.name && f.size === file.size && f.lastModified === file.lastModified;
        });
        if (!same) chosen.push(file);
      });
      serverErrors = [];
      render();
    }

    box.querySelectorAll("[data-input]").forEach(function (input) {
      input.addEventListener("change", function () {
        add(input.files);
        input.value = "";
      });
    });
    box.querySelectorAll("[data-pick]").forEach(function (button) {
      button.addEventListener("click", function () {
        box.querySelector('[data-input="' + button.getAttribute("data-pick") + '"]').click();
      });
    });
    ["dragenter", "dragover"].forEach(function (type) {
      drop.addEventListener(type, function (event) {
        event.preventDefault();
        drop.classList.add("is-over");
      });
    });
    ["dragleave", "drop"].forEach(function (type) {
      drop.addEventListener(type, function (event) {
        event.preventDefault();
        drop.classList.remove("is-over");
      });
    });
    drop.addEventListener("drop", function (event) {
      if (event.dataTransfer && event.dataTransfer.files) add(event.dataTransfer.files);
    });

    function fail(message) {
      progress.classList.add("d-none");
      if (submit) submit.disabled = false;
      var alert = form.querySelector("[data-client-error]");
      if (!alert) {
        alert = document.createElement("div");
        alert.setAttribute("data-client-error", "");
        alert.className = "alert alert-danger py-2 small";
        alert.setAttribute("role", "alert");
        box.after(alert);
      }
      alert.textContent = message;
      alert.scrollIntoView({ block: "center" });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!chosen.length) return fail("请先选择或拍摄要上传的文件。");
      if (chosen.some(function (f) { return problemsOf(f).length; })) {
        return fail("有文件超过大小上限或是空文件，请点 × 移除后再上传。");
      }
      if (maxFiles && chosen.length > maxFiles) {
        return fail("一次最多上传" + maxFiles + "个文件，请移除一些后分批上传。");
      }
      var data = new FormData(form);
      data.delete("files");
      chosen.forEach(function (file) { data.append("files", file, file.name); });
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader(HEADER, "1");
      xhr.upload.onprogress = function (e) {
        if (!e.lengthComputable) return;
        var pct = Math.round((e.loaded / e.total) * 100);
        bar.style.width = pct + "%";
        progress.querySelector(".progress").setAttribute("aria-valuenow", pct);
        progressText.textContent = pct >= 100
          ? "已上传，正在检查文件……"
          : "正在上传 " + pct + "%（" + mb(e.loaded) + " / " + mb(e.total) + "）";
      };
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300 && xhr.responseURL && xhr.responseURL !== form.action) {
          window.location.assign(xhr.responseURL);
          return;
        }
        if (xhr.status === 400) {
          area.innerHTML = xhr.responseText;
          setup(area);
          var first = area.querySelector(".invalid-feedback, .alert-danger, .alert-warning");
          if (first) first.scrollIntoView({ block: "center" });
          return;
        }
        if (xhr.status === 413) return fail(xhr.responseText || "上传的内容太大，请分批上传。");
        if (xhr.status === 403) return fail("您没有权限上传到这里，或页面已过期。请刷新页面后重试。");
        fail("上传没有成功（服务器返回" + xhr.status + "）。文件仍保留在列表中，请稍后再点“上传”。");
      };
      xhr.onerror = function () {
        fail("网络中断，上传没有完成。文件仍保留在列表中，网络恢复后请再点“上传”。");
      };
      progress.classList.remove("d-none");
      bar.style.width = "0%";
      progressText.textContent = "正在上传……";
      if (submit) submit.disabled = true;
      var old = form.querySelector("[data-client-error]");
      if (old) old.remove();
      xhr.send(data);
    });

    render();
  }

  document.querySelectorAll("[data-upload-area]").forEach(setup);
})();
