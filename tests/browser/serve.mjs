// serve.mjs: the web UI in a real browser.  Debian's chromium, driven by
// puppeteer-core, walks the pages a researcher uses, through the forms
// only, and each step is checked both in the page and in the store,
// through the CLI.  Run by tests/cli/t1102-browser.sh:
//
//   node serve.mjs URL CAIRN SHOTS_DIR
//
// with $CAIRN_DB naming the store the server serves.  Prints "ok: STEP"
// for each step; exits 1 at the first failure, saying which.
import { execFileSync } from "node:child_process";
import puppeteer from "puppeteer-core";

const [url, cairn, shots] = process.argv.slice(2);
const base = url.replace(/\/\?token=.*/, "");
let failed = 0;

function cli(...args) {
	return execFileSync(cairn, args, { encoding: "utf8" });
}
function cliJson(...args) {
	return JSON.parse(cli("--json", ...args));
}
function check(what, cond, detail = "") {
	if (cond) {
		console.log("ok: " + what);
	} else {
		console.log("FAIL: " + what + (detail ? ": " + detail : ""));
		failed++;
	}
}
async function shot(page, name) {
	await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}
async function submit(page, formSelector) {
	await Promise.all([
		page.waitForNavigation(),
		page.$eval(formSelector, (f) => f.requestSubmit()),
	]);
}
function byTitle(title) {
	return cliJson("list", "--all").find((i) => i.title === title);
}

const browser = await puppeteer.launch({
	executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
	headless: true,
	args: ["--no-sandbox", "--disable-gpu", "--no-first-run"],
});
try {
	const page = await browser.newPage();
	await page.setViewport({ width: 1000, height: 800 });
	const blocked = [];
	page.on("request", (r) => {
		// data: URLs are the browser's own (a date field's icon).
		if (/^(https?|wss?|ftp):/.test(r.url()) && !r.url().startsWith(base))
			blocked.push(r.url());
	});
	const scriptErrors = [];
	page.on("pageerror", (e) => scriptErrors.push(String(e)));

	// The tokened URL: the dashboard, and a cookie for what follows.
	await page.goto(url);
	check("the tokened URL opens the dashboard",
		(await page.title()).startsWith("Dashboard"));
	await shot(page, "dashboard");

	// Add a goal from the keyboard only: Tab to the title, type, Enter.
	await page.goto(base + "/roadmap");
	await page.focus("form[action='/items'] select[name=kind]");
	await page.keyboard.press("Tab");
	await page.keyboard.type("Browser goal");
	await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
	const goal = byTitle("Browser goal");
	check("a goal added from the keyboard is in the store",
		goal && goal.kind === "goal");
	check("and on the roadmap page",
		(await page.content()).includes("Browser goal"));

	// Two milestones through the goal's page.
	for (const t of ["First step", "Second step"]) {
		await page.goto(`${base}/items/${goal.id}`);
		await page.type("form[action='/items'] input[name=title]", t);
		await submit(page, "form[action='/items']");
	}
	const m1 = byTitle("First step"), m2 = byTitle("Second step");
	check("two milestones under the goal",
		m1 && m2 && m1.parent === goal.id && m2.parent === goal.id);

	// An edge, then the cycle it would close, refused and named.
	await page.goto(`${base}/items/${m2.id}`);
	await page.type(`form[action='/items/${m2.id}/builds-on'] input[name=id]`,
		String(m1.id));
	await submit(page, `form[action='/items/${m2.id}/builds-on']`);
	check("the edge is in the store",
		cliJson("show", String(m2.id)).builds_on.includes(m1.id));
	await page.goto(`${base}/items/${m1.id}`);
	await page.type(`form[action='/items/${m1.id}/builds-on'] input[name=id]`,
		String(m2.id));
	await submit(page, `form[action='/items/${m1.id}/builds-on']`);
	const alert = await page.$eval("[role=alert]", (e) => e.textContent);
	check("the cycle is refused and named", /cycle/.test(alert), alert);
	check("and not added",
		cliJson("show", String(m1.id)).builds_on.length === 0);
	await shot(page, "cycle-refused");

	// Mark the first milestone done with its button.
	await page.goto(`${base}/items/${m1.id}`);
	await Promise.all([
		page.waitForNavigation(),
		page.click(`button[aria-label='done #${m1.id}']`),
	]);
	check("done through the page",
		cliJson("show", String(m1.id)).status === "done");

	// A forecast with its options as a form, and its histogram.
	cli("set", String(m2.id), "estimate=3/5/9");
	await page.goto(`${base}/items/${goal.id}`);
	await page.type("input[name=trials]", "2000");
	await page.type("input[name=seed]", "4");
	await Promise.all([
		page.waitForNavigation(),
		page.click("form[method=get] button"),
	]);
	const bars = await page.$$eval("svg.hist rect", (r) => r.length);
	check("the forecast shows a histogram", bars > 0, `${bars} bars`);
	const p50 = await page.$eval(".forecast", (e) => e.textContent);
	const fc = cliJson("forecast", String(goal.id), "--trials", "2000",
		"--seed", "4");
	check("with the CLI's P50", p50.includes(fc.p50), `${p50} vs ${fc.p50}`);
	await shot(page, "goal");

	// Undo, then redo, from the dashboard.
	await page.goto(base + "/");
	await Promise.all([page.waitForNavigation(),
		page.click("form[action='/undo'] button")]);
	check("undo through the page takes back the CLI's estimate",
		cliJson("show", String(m2.id)).estimate === null);
	await Promise.all([page.waitForNavigation(),
		page.click("form[action='/redo'] button")]);
	const est = cliJson("show", String(m2.id)).estimate;
	check("redo through the page puts it back", est && est.likely === 5,
		JSON.stringify(est));

	// The timer fills the duration in (a start 90 minutes ago), then the
	// form logs it.
	await page.goto(`${base}/items/${m2.id}`);
	await page.evaluate((k) => localStorage.setItem(k,
		String(Date.now() - 90 * 60000)), `cairn-timer-${m2.id}`);
	await page.reload();
	const label = await page.$eval(".timer button", (b) => b.textContent);
	check("a running timer survives a reload", label === "Stop timer", label);
	await page.click(".timer button");
	const dur = await page.$eval(
		`form[action='/items/${m2.id}/time'] input[name=duration]`,
		(i) => i.value);
	check("stopping the timer fills in the duration", dur === "1h30m", dur);
	await submit(page, `form[action='/items/${m2.id}/time']`);
	const logged = cliJson("lookback").time || [];
	check("time logged through the page",
		JSON.stringify(cliJson("lookback")).includes("90"),
		JSON.stringify(logged).slice(0, 200));

	// Resolve a prediction from the dashboard.
	const now = process.env.CAIRN_NOW ? Date.parse(process.env.CAIRN_NOW)
		: Date.now();
	cli("predict", "--item", String(m2.id), "--by",
		new Date(now + 2 * 86400e3).toISOString().slice(0, 10), "--p", "0.6",
		"The mentor likes it");
	const pid = cliJson("predictions").find(
		(p) => p.statement === "The mentor likes it").id;
	await page.goto(base + "/");
	await Promise.all([page.waitForNavigation(),
		page.click(`button[aria-label='P${pid} happened: yes']`)]);
	const pr = cliJson("predictions").find((p) => p.id === pid);
	check("a prediction resolved through the page", pr.outcome === 1 ||
		pr.outcome === true || pr.outcome === "yes", JSON.stringify(pr));

	// A change made by the CLI shows up in an open page by itself.
	await page.goto(base + "/roadmap");
	cli("add", "goal", "Added from the CLI");
	let seen = false;
	try {
		await page.waitForFunction(
			() => document.body.textContent.includes("Added from the CLI"),
			{ timeout: 5000 });
		seen = true;
	} catch (e) { /* not seen */ }
	check("an open page follows a CLI change", seen);
	await shot(page, "roadmap");

	// Inline editing (live.js, through the JSON API): a title edited in
	// place from the keyboard, Enter saving it, with no page load.
	await page.goto(`${base}/items/${m1.id}`);
	await page.evaluate(() => { window.stayed = 1; });
	await page.focus(`button[aria-label='edit the title of #${m1.id}']`);
	await page.keyboard.press("Enter");
	const editLabel = await page.$eval(".inline-edit input",
		(i) => i.closest("label") ? i.closest("label").textContent : "");
	check("the inline title field has a label",
		editLabel.includes(`Title of #${m1.id}`), editLabel);
	await page.keyboard.down("Control");
	await page.keyboard.press("KeyA");
	await page.keyboard.up("Control");
	await page.keyboard.type("First step, renamed inline");
	await page.keyboard.press("Enter");
	let renamed = false;
	try {
		await page.waitForFunction((id) => window.stayed === 1 &&
			!document.querySelector(".inline-edit") &&
			document.querySelector(`span.title[data-item='${id}']`)
				.textContent === "First step, renamed inline",
			{ timeout: 5000 }, m1.id);
		renamed = true;
	} catch (e) { /* not renamed in place */ }
	check("an inline title edit shows in the page without a reload", renamed);
	check("and is in the store",
		cliJson("show", String(m1.id)).title === "First step, renamed inline");

	// Escape cancels an edit, leaving the title as it was.
	await page.goto(base + "/roadmap");
	await page.click(`button[aria-label='edit the title of #${m2.id}']`);
	await page.keyboard.type(" (not kept)");
	await page.keyboard.press("Escape");
	const cancelled = await page.evaluate((id) =>
		!document.querySelector(".inline-edit") &&
		document.querySelector(`span.title[data-item='${id}']`).textContent,
		m2.id);
	check("Escape cancels an inline edit", cancelled === "Second step",
		String(cancelled));

	// A refused inline edit (an empty title): the API's message next to the
	// field, the field still open, and the store unchanged.
	const historyBefore = cli("history");
	await page.click(`button[aria-label='edit the title of #${m2.id}']`);
	await page.$eval(".inline-edit input", (i) => { i.value = ""; });
	await page.focus(".inline-edit input");
	await page.keyboard.press("Enter");
	let refusal = "";
	try {
		await page.waitForSelector(".inline-edit .inline-error",
			{ timeout: 5000 });
		refusal = await page.$eval(".inline-edit .inline-error",
			(e) => e.getAttribute("role") + ": " + e.textContent);
	} catch (e) { /* no message */ }
	check("a refused inline edit shows the API's message by the field",
		refusal === "alert: title must not be empty", refusal);
	await shot(page, "inline-refused");
	check("and leaves the store unchanged",
		cliJson("show", String(m2.id)).title === "Second step" &&
		cli("history") === historyBefore);
	await page.keyboard.press("Escape");

	// A status changed in place by its button.
	await Promise.all([
		page.waitForFunction((id) => document.querySelector(
			`span.status[data-item='${id}']`).textContent === "active",
			{ timeout: 5000 }, m2.id),
		page.click(`button[aria-label='start #${m2.id}']`),
	]);
	check("a status changed in place is in the store",
		cliJson("show", String(m2.id)).status === "active");

	// An item added inline on the goal's page: listed below it at once,
	// with no page load, and in the store under the goal.
	await page.goto(`${base}/items/${goal.id}`);
	await page.evaluate(() => { window.stayed = 1; });
	await page.type("form[action='/items'] input[name=title]", "Inline step");
	await page.keyboard.press("Enter");
	let added = false;
	try {
		await page.waitForFunction(() => window.stayed === 1 &&
			[...document.querySelectorAll("span.title")].some(
				(s) => s.textContent === "Inline step") &&
			document.querySelector("form[action='/items'] input[name=title]")
				.value === "", { timeout: 5000 });
		added = true;
	} catch (e) { /* not added in place */ }
	check("an item added inline shows in the page without a reload", added);
	const inl = byTitle("Inline step");
	check("and is in the store under the goal",
		inl && inl.parent === goal.id && inl.kind === "milestone",
		JSON.stringify(inl));
	await shot(page, "inline-added");

	// Accessibility basics on every page visited: each visible form
	// control has a label, and text contrast is at least 4.5:1.
	for (const path of ["/", "/roadmap", `/items/${goal.id}`,
		`/items/${m2.id}`, "/predictions", "/lookback", "/transfer"]) {
		await page.goto(base + path);
		const unlabeled = await page.$$eval(
			"input:not([type=hidden]), select, textarea", (els) =>
			els.filter((e) => !e.closest("label") &&
				!e.getAttribute("aria-label")).map((e) => e.name));
		check(`every control on ${path} has a label`,
			unlabeled.length === 0, unlabeled.join(","));
		const worst = await page.evaluate(() => {
			function rgb(s) { return s.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number); }
			function lum(c) {
				const [r, g, b] = c.map((v) => {
					v /= 255;
					return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
				});
				return 0.2126 * r + 0.7152 * g + 0.0722 * b;
			}
			function bg(e) {
				for (; e; e = e.parentElement) {
					const c = getComputedStyle(e).backgroundColor;
					if (!/rgba\(0, 0, 0, 0\)|transparent/.test(c)) return rgb(c);
				}
				return [255, 255, 255];
			}
			let min = 21;
			for (const e of document.querySelectorAll("body *")) {
				if (!e.childNodes.length || ![...e.childNodes].some(
					(n) => n.nodeType === 3 && n.textContent.trim())) continue;
				const a = lum(rgb(getComputedStyle(e).color)), b = lum(bg(e));
				const r = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
				if (r < min) min = r;
			}
			return min;
		});
		check(`text contrast on ${path} is at least 4.5:1`, worst >= 4.5,
			worst.toFixed(2));
	}
	await page.goto(base + "/predictions");
	await shot(page, "predictions");
	check("no request left the server", blocked.length === 0,
		blocked.join(" "));
	check("no script errors", scriptErrors.length === 0,
		scriptErrors.join(" | "));
} finally {
	await browser.close();
}
process.exit(failed ? 1 : 0);
