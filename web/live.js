// live.js: the one script of cairn serve's pages, an enhancement only.
// Every second it asks /api/version, which changes whenever the store
// may have changed (this server's writes, the CLI's, another tab's), and
// then reloads the page, unless the reader is typing in a form.  On an
// item's page it adds a start/stop timer that fills in the time form's
// duration (the start is kept in the browser, so it survives reloads).
"use strict";
(function () {
	let seen = null;
	let pending = false;
	function typing() {
		const a = document.activeElement;
		return a && (a.tagName === "INPUT" || a.tagName === "TEXTAREA" ||
			a.tagName === "SELECT") && a.value !== "";
	}
	function poll() {
		fetch("/api/version", { credentials: "same-origin" })
			.then((r) => r.ok ? r.json() : null)
			.then((d) => {
				if (!d) return;
				if (seen !== null && d.version !== seen) pending = true;
				seen = d.version;
				if (pending && !typing()) location.reload();
			})
			.catch(() => {});
	}
	poll();
	setInterval(poll, 1000);
})();
(function () {
	for (const el of document.querySelectorAll(".timer[data-item]")) {
		const key = "cairn-timer-" + el.dataset.item;
		const form = document.querySelector(
			"form[action='/items/" + el.dataset.item + "/time']");
		if (!form) continue;
		const button = document.createElement("button");
		button.type = "button";
		const shown = document.createElement("span");
		shown.className = "muted";
		el.append(button, " ", shown);
		el.hidden = false;
		function render() {
			const t0 = Number(localStorage.getItem(key) || 0);
			button.textContent = t0 ? "Stop timer" : "Start timer";
			shown.textContent = t0 ? "running since " +
				new Date(t0).toLocaleTimeString() : "";
		}
		button.addEventListener("click", () => {
			const t0 = Number(localStorage.getItem(key) || 0);
			if (!t0) {
				localStorage.setItem(key, String(Date.now()));
			} else {
				localStorage.removeItem(key);
				const min = Math.max(1, Math.round((Date.now() - t0) / 60000));
				form.querySelector("input[name=duration]").value =
					(min >= 60 ? Math.floor(min / 60) + "h" : "") +
					(min % 60 ? (min % 60) + "m" : "");
				form.querySelector("button[type=submit]").focus();
			}
			render();
		});
		render();
	}
})();
