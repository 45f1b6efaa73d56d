// live.js: the one script of cairn serve's pages, an enhancement only.
// Every second it asks /api/version, which changes whenever the store
// may have changed (this server's writes, the CLI's, another tab's), and
// then reloads the page, unless the reader is typing in a form.
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
