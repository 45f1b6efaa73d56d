// live.js: the one script of cairn serve's pages, an enhancement only.
// Every second it asks /api/version, which changes whenever the store
// may have changed (this server's writes, the CLI's, another tab's), and
// then reloads the page, unless the reader is typing in a form.  On an
// item's page it adds a start/stop timer that fills in the time form's
// duration (the start is kept in the browser, so it survives reloads).
// On the pages that list items it edits a title in place (an "edit"
// button after each; Enter saves, Escape cancels), changes a status
// without leaving the page, and adds an item from the add form, each
// through the JSON API with the session's CSRF token; a refusal shows the
// API's message next to the field.  Without the script the same forms post
// and answer with a page.
"use strict";
(function () {
	let seen = null;
	let pending = false;
	function typing() {
		const a = document.activeElement;
		if (document.querySelector(".inline-edit")) return true;
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

(function () {
	const field = document.querySelector("input[name=csrf]");
	if (!field) return;
	const csrf = field.value;
	// One API call; resolves to the reply's JSON, or rejects with the
	// API's one-line message.
	function api(method, path, body) {
		return fetch(path, {
			method: method,
			credentials: "same-origin",
			headers: { "Content-Type": "application/json",
				"X-CSRF-Token": csrf },
			body: JSON.stringify(body || {}),
		}).then((r) => r.json().catch(() => ({})).then((d) => {
			if (!r.ok) throw new Error(d.error || ("HTTP " + r.status));
			return d;
		}));
	}
	// The message of a refusal, next to the element it is about.
	function showError(after, msg) {
		let e = after.parentNode.querySelector(":scope > .inline-error");
		if (!e) {
			e = document.createElement("span");
			e.className = "error inline-error";
			e.setAttribute("role", "alert");
			after.after(e);
		}
		e.textContent = msg;
		return e;
	}
	function clearError(scope) {
		const e = scope.querySelector(":scope > .inline-error");
		if (e) e.remove();
	}

	// A title edited in place.
	function editTitle(span, button) {
		const id = span.dataset.item;
		const link = span.closest("a");
		const box = document.createElement("span");
		box.className = "inline-edit";
		const label = document.createElement("label");
		label.className = "inline";
		label.append("Title of #" + id + " ");
		const input = document.createElement("input");
		input.name = "inline-title";
		input.value = span.textContent;
		input.size = Math.max(20, input.value.length + 2);
		label.append(input);
		const save = document.createElement("button");
		save.type = "button";
		save.className = "small";
		save.textContent = "save";
		const cancel = document.createElement("button");
		cancel.type = "button";
		cancel.className = "small";
		cancel.textContent = "cancel";
		box.append(label, " ", save, " ", cancel);
		link.hidden = true;
		button.hidden = true;
		link.after(box);
		input.focus();
		input.select();
		function close() {
			box.remove();
			link.hidden = false;
			button.hidden = false;
			button.focus();
		}
		function commit() {
			api("PATCH", "/api/items/" + id, { title: input.value })
				.then((d) => {
					for (const s of document.querySelectorAll(
						"span.title[data-item='" + id + "']"))
						s.textContent = d.title;
					close();
				})
				.catch((e) => {
					showError(save.parentNode.lastChild, e.message);
					input.focus();
				});
		}
		save.addEventListener("click", commit);
		cancel.addEventListener("click", close);
		input.addEventListener("keydown", (ev) => {
			if (ev.key === "Enter") { ev.preventDefault(); commit(); }
			if (ev.key === "Escape") { ev.preventDefault(); close(); }
		});
	}
	function addEditButton(span) {
		const link = span.closest("a");
		if (!link || link.nextElementSibling &&
			link.nextElementSibling.classList.contains("edit-title")) return;
		const b = document.createElement("button");
		b.type = "button";
		b.className = "small edit-title";
		b.textContent = "edit";
		b.setAttribute("aria-label", "edit the title of #" + span.dataset.item);
		b.addEventListener("click", () => editTitle(span, b));
		link.after(" ", b);
	}
	for (const span of document.querySelectorAll("span.title[data-item]"))
		addEditButton(span);

	// A status button: the same verb through the API, the status shown
	// where it is.
	document.addEventListener("submit", (ev) => {
		const form = ev.target;
		const m = (form.getAttribute("action") || "")
			.match(/^\/items\/(\d+)\/status$/);
		if (!m) return;
		ev.preventDefault();
		const verb = form.querySelector("input[name=verb]").value;
		const button = form.querySelector("button");
		api("POST", "/api/items/" + m[1] + "/" + verb, {})
			.then((d) => {
				clearError(form.parentNode);
				for (const s of document.querySelectorAll(
					"span.status[data-item='" + m[1] + "']")) {
					s.textContent = d.status;
					s.className = "status status-" + d.status;
				}
			})
			.catch((e) => {
				showError(form, e.message);
				button.focus();
			});
	});

	// The add form: the item through the API, then listed where the page
	// lists what it adds (the roadmap's tree, an item's "Below it").
	const add = document.querySelector("form[action='/items']");
	if (!add) return;
	add.addEventListener("submit", (ev) => {
		ev.preventDefault();
		const title = add.querySelector("input[name=title]");
		const parent = add.querySelector("[name=parent]");
		const body = { kind: add.querySelector("[name=kind]").value,
			title: title.value };
		if (parent && parent.value.trim() !== "") {
			const n = Number(parent.value);
			body.parent = Number.isInteger(n) ? n : parent.value;
		}
		api("POST", "/api/items", body)
			.then((d) => {
				clearError(title.parentNode.parentNode);
				const under = parent && parent.type === "hidden";
				const prev = add.previousElementSibling;
				let list = under ? (prev && prev.tagName === "UL" ? prev : null)
					: document.querySelector("main > ul.tree");
				if (!list) {
					list = document.createElement("ul");
					if (!under) list.className = "tree";
					const none = under ? prev :
						[...document.querySelectorAll("main > p.muted")].pop();
					if (none && none.tagName === "P") none.replaceWith(list);
					else add.after(list);
				}
				const li = document.createElement("li");
				const kind = document.createElement("span");
				kind.className = "kind";
				kind.textContent = d.kind;
				const a = document.createElement("a");
				a.href = "/items/" + d.id;
				const span = document.createElement("span");
				span.className = "title";
				span.dataset.item = String(d.id);
				span.textContent = d.title;
				a.append("#" + d.id + " ", span);
				const st = document.createElement("span");
				st.className = "status status-" + d.status;
				st.dataset.item = String(d.id);
				st.textContent = d.status;
				li.append(kind, " ", a, " ", st);
				list.append(li);
				addEditButton(span);
				title.value = "";
				title.focus();
			})
			.catch((e) => {
				showError(title.parentNode, e.message);
				title.focus();
			});
	});
})();
