// Escadrille portal: the little the pages need beyond htmx. No build step; loaded with defer.
(function () {
  "use strict";
  const csrfHeader = document.querySelector('meta[name="csrf-header"]')?.content;
  const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content;

  // htmx requests carry the CSRF token, like the forms do.
  document.body.addEventListener("htmx:configRequest", (event) => {
    if (csrfHeader && csrfToken) event.detail.headers[csrfHeader] = csrfToken;
  });

  // Times are written in the server's zone; show them in the reader's.
  function localTimes(root) {
    root.querySelectorAll("time[datetime]").forEach((element) => {
      const when = new Date(element.getAttribute("datetime"));
      if (!isNaN(when)) {
        element.title = element.getAttribute("datetime");
        element.textContent = when.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
      }
    });
  }
  localTimes(document);
  document.body.addEventListener("htmx:afterSettle", (event) => localTimes(event.target));

  // A log that follows: stay at the bottom while new text arrives, unless the reader scrolled up.
  document.body.addEventListener("htmx:oobBeforeSwap", (event) => {
    const log = document.getElementById("log-text");
    if (log) log.dataset.atBottom = String(log.scrollHeight - log.scrollTop - log.clientHeight < 24);
  });
  document.body.addEventListener("htmx:oobAfterSwap", () => {
    const log = document.getElementById("log-text");
    if (log && log.dataset.atBottom !== "false") log.scrollTop = log.scrollHeight;
  });

  // Uploads, with a progress bar per file. With S3 storage a file goes straight to the bucket, in the
  // parts and to the URLs the server signs, one part in memory at a time and hashed on the way (the
  // server records the SHA-256 at the end); otherwise it is PUT as it is and the server streams it to disk.
  const picker = document.getElementById("upload-files");
  if (picker) {
    const dir = picker.dataset.dir || "";
    const list = document.getElementById("upload-list");
    const zone = document.getElementById("dropzone");
    const encode = (path) => path.split("/").filter((s) => s.length).map(encodeURIComponent).join("/");

    function upload(file) {
      return new Promise((resolve) => {
        const item = document.createElement("li");
        const label = document.createElement("div");
        const bar = document.createElement("progress");
        const status = document.createElement("div");
        label.textContent = file.name;
        bar.max = 100; bar.value = 0;
        bar.setAttribute("aria-label", "Upload of " + file.name);
        status.className = "small muted";
        status.setAttribute("role", "status");
        item.append(label, bar, status);
        list.append(item);
        let steps = 0;
        const progress = (loaded, total) => {
          bar.value = total ? Math.round((loaded / total) * 100) : 100;
          status.textContent = bar.value + "% of " + sizeText(total);
          item.dataset.progressSteps = String(++steps);
        };
        const path = (dir ? dir + "/" : "") + file.name;
        const failed = (message) => {
          status.textContent = message;
          status.className = "field-error";
          resolve();
        };
        portalPost("/files/uploads", { path: path, size: file.size }).then(async (ticket) => {
          if (!ticket.direct) return throughServer();
          try {
            await direct(file, ticket, progress);
            bar.value = 100;
            status.textContent = "Uploaded (" + sizeText(file.size) + ").";
            item.dataset.done = "true";
            resolve();
          } catch (error) {
            failed("Not uploaded: " + error.message + " Choose the file again to resume.");
          }
        }, (error) => failed("Not uploaded: " + error.message));

        function throughServer() {
          const xhr = new XMLHttpRequest();
          xhr.open("PUT", "/files/upload/" + encode((dir ? dir + "/" : "") + file.name));
          xhr.setRequestHeader("Content-Type", "application/octet-stream");
          xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
          if (csrfHeader && csrfToken) xhr.setRequestHeader(csrfHeader, csrfToken);
          xhr.upload.addEventListener("progress", (e) => {
            if (e.lengthComputable) progress(e.loaded, e.total);
          });
          xhr.addEventListener("load", () => {
            if (xhr.status === 201) {
              bar.value = 100;
              status.textContent = "Uploaded (" + sizeText(file.size) + ").";
              item.dataset.done = "true";
            } else if (xhr.status === 401 || xhr.status === 403) {
              status.textContent = "Your session has ended or this page is stale: reload the page (sign in again if asked), then upload this file again.";
              status.className = "field-error";
            } else {
              status.textContent = "Not uploaded: " + (xhr.responseText || ("error " + xhr.status));
              status.className = "field-error";
            }
            resolve();
          });
          xhr.addEventListener("error", () => {
            status.textContent = "Not uploaded: the connection to the server was lost.";
            status.className = "field-error";
            resolve();
          });
          xhr.send(file);
        }
      });
    }

    // One part read, hashed and PUT at a time; parts the bucket already holds (a resumed upload) are only hashed.
    async function direct(file, ticket, progress) {
      const hash = new window.EscadrilleSha256();
      const held = new Set(ticket.uploadedParts || []);
      let done = 0;
      for (let number = 1; number <= ticket.partCount; number++) {
        const start = (number - 1) * ticket.partSize;
        const part = file.slice(start, Math.min(file.size, start + ticket.partSize));
        hash.update(new Uint8Array(await part.arrayBuffer()));
        if (!held.has(number)) {
          const url = await portalPost("/files/uploads/" + ticket.id + "/parts/" + number,
            ticket.partCount === 1 ? { sha256: hash.hex() } : {});
          await putPart(url, part, (loaded) => progress(done + loaded, file.size));
        }
        done += part.size;
        progress(done, file.size);
      }
      await portalPost("/files/uploads/" + ticket.id + "/complete", { sha256: hash.hex() });
    }

    function putPart(url, part, loaded) {
      return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open("PUT", url.url);
        Object.entries(url.headers || {}).forEach(([name, value]) => xhr.setRequestHeader(name, value));
        xhr.upload.addEventListener("progress", (e) => loaded(e.loaded));
        xhr.addEventListener("load", () => xhr.status < 300 ? resolve()
          : reject(new Error("the storage refused part " + url.number + " (HTTP " + xhr.status + ").")));
        xhr.addEventListener("error", () => reject(new Error("the storage could not be reached (part " + url.number
          + "; does the bucket allow this site's origin, CORS?).")));
        xhr.send(part);
      });
    }

    async function portalPost(address, body) {
      const headers = { "Content-Type": "application/json", "X-Requested-With": "XMLHttpRequest" };
      if (csrfHeader && csrfToken) headers[csrfHeader] = csrfToken;
      const response = await fetch(address, { method: "POST", headers: headers, body: JSON.stringify(body) });
      if (response.status === 401 || response.status === 403) {
        throw new Error("your session has ended or this page is stale: reload the page (sign in again if asked).");
      }
      if (!response.ok) throw new Error(await response.text() || "error " + response.status);
      return response.json();
    }

    async function uploadAll(files) {
      for (const file of files) await upload(file); // one at a time: each gets the full bandwidth
      if (window.htmx) htmx.ajax("GET", "/files/listing?dir=" + encodeURIComponent(dir), { target: "#listing", swap: "outerHTML" });
    }

    picker.addEventListener("change", () => {
      if (picker.files.length) uploadAll(Array.from(picker.files)).then(() => { picker.value = ""; });
    });
    if (zone) {
      zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
      zone.addEventListener("dragleave", () => zone.classList.remove("over"));
      zone.addEventListener("drop", (e) => {
        e.preventDefault();
        zone.classList.remove("over");
        if (e.dataTransfer.files.length) uploadAll(Array.from(e.dataTransfer.files));
      });
    }
  }

  function sizeText(bytes) {
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let value = bytes, unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
    return (unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)) + " " + units[unit];
  }
})();

// An execution's page tells, with a browser notification, when the execution ends: permission is asked
// from its button (browsers ignore or block a request made on load), and once given, the page notifies
// by itself on later visits.
(function () {
  "use strict";
  const button = document.getElementById("notify-end");
  if (!button || !("Notification" in window)) return;
  const state = document.getElementById("notify-end-state");
  let watching = false;
  let told = false;
  function watch() {
    watching = true;
    button.disabled = true;
    state.textContent = "This browser will tell you when it ends, while this page is open.";
  }
  document.getElementById("notify-end-box").hidden = false;
  if (Notification.permission === "granted") watch();
  button.addEventListener("click", () => {
    Promise.resolve(Notification.requestPermission()).then((permission) => {
      if (permission === "granted") watch();
      else state.textContent = "This browser does not allow notifications from this site: its settings can.";
    });
  });
  document.body.addEventListener("htmx:afterSettle", () => {
    const status = document.getElementById("status");
    if (!watching || told || !status || status.dataset.terminal !== "true") return;
    told = true;
    new Notification(button.dataset.name + ": " + status.textContent.trim(), {
      body: "Its outputs and logs are on its page.", tag: location.pathname
    });
  });
})();

// Publishing: a descriptor's file is read here into the box, where its author sees what is sent.
(function () {
  "use strict";
  const picker = document.getElementById("descriptor-file");
  const box = document.getElementById("descriptor");
  if (!picker || !box) return;
  picker.addEventListener("change", () => {
    const file = picker.files[0];
    if (file) file.text().then((text) => { box.value = text; });
  });
})();
