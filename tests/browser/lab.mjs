// lab.mjs: the lab's pages on the hub in a real browser (Debian's
// chromium, driven by puppeteer-core).  Run by
// tests/cli/t1214-lab-browser.sh:
//
//   node lab.mjs HUB_URL CAIRN SHOTS_DIR
//
// with $CAIRN_DB naming ana's store.  Ana has predicted (--who @sam, p
// 0.7) how her mentor sam will answer; sam logs in, sees the question
// without its probability, answers it with a reason; ana syncs and has
// it resolved with that reason; the lab's calibration shows sam's row.
// Prints "ok: STEP" for each step; exits 1 if any failed.
import { execFileSync } from "node:child_process";
import puppeteer from "puppeteer-core";

const [base, cairn, shots] = process.argv.slice(2);
let failed = 0;

function cli(...args) {
	return execFileSync(cairn, args, { encoding: "utf8" });
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
async function text(page) {
	return page.$eval("main", (m) => m.innerText);
}
// Every form control has a label: a <label for>, a wrapping <label>, or
// aria-label.
async function labelled(page) {
	return page.$$eval("input:not([type=hidden]), textarea, select, button",
		(els) => els.filter((e) => !(e.labels && e.labels.length) &&
			!e.getAttribute("aria-label") &&
			!(e.tagName === "BUTTON" && e.textContent.trim()))
			.map((e) => e.outerHTML));
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
		if (/^(https?|wss?|ftp):/.test(r.url()) && !r.url().startsWith(base))
			blocked.push(r.url());
	});
	const scriptErrors = [];
	page.on("pageerror", (e) => scriptErrors.push(String(e)));

	// Not logged in: the login page.
	await page.goto(base + "/labs/phd");
	check("a lab page sends to the login", page.url() === base + "/login");
	check("the login form is labelled", (await labelled(page)).length === 0,
		(await labelled(page)).join(" "));
	await shot(page, "lab-login");

	// A wrong password, then the right one, from the keyboard.
	await page.type("#user", "sam");
	await page.type("#password", "not the password");
	await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
	check("a wrong password is refused",
		(await text(page)).includes("Wrong user name or password"));
	await page.type("#user", "sam");
	await page.type("#password", "pass-of-sam");
	await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
	check("sam logs in to his labs", (await page.title()).startsWith("My labs"));
	const cookies = await page.cookies();
	const sess = cookies.find((c) => c.name === "cairn_hub");
	check("the session cookie is HttpOnly and SameSite=Strict",
		sess && sess.httpOnly && sess.sameSite === "Strict");

	// The lab's members, ana's roadmap and her goal's page.
	await page.goto(base + "/labs/phd");
	check("the members page shows ana's next step",
		(await text(page)).includes("Pruning bound"));
	await shot(page, "lab-members");
	await page.click("a[href='/labs/phd/members/ana']");
	await page.waitForSelector("ul.tree");
	check("ana's lab roadmap", (await text(page)).includes("Thesis"));
	check("without her private milestone",
		!(await text(page)).includes("Secret plan"));
	await shot(page, "lab-roadmap");
	await Promise.all([page.waitForNavigation(),
		page.click("ul.tree > li > a")]);
	check("the goal's page has a forecast",
		(await text(page)).includes("Chance"));
	const img = await page.$eval("img.graph", (i) => i.naturalWidth);
	check("and its graph", img > 0, `width ${img}`);
	await shot(page, "lab-goal");

	// The queue: the statement, never the probability.
	await page.goto(base + "/queue");
	const q = await text(page);
	check("sam sees ana's question",
		q.includes("Sam will say the pruning bound is worth a workshop paper"));
	check("without its probability", !/0\.7|70 ?%/.test(q), q);
	check("the queue's forms are labelled", (await labelled(page)).length === 0,
		(await labelled(page)).join(" "));
	await shot(page, "lab-queue");
	await page.click("input[name=outcome][value=no]");
	await page.type("textarea[name=why]",
		"A workshop is too small for it: aim for the conference");
	await Promise.all([page.waitForNavigation(),
		page.click("section.question button[type=submit]")]);
	check("the answer is taken", (await text(page)).includes("None waiting"));

	// A comment on ana's milestone, from its page.
	await page.goto(base + "/queue");
	await Promise.all([page.waitForNavigation(),
		page.click("a[href^='/labs/phd/members/ana/items/']")]);
	await page.type("#comment", "Write the bound down before the experiments");
	await Promise.all([page.waitForNavigation(),
		page.click("form[action$='/comments'] button")]);
	check("the comment form brings sam back to the notes",
		page.url().endsWith("#notes"));

	// Ana's sync resolves it, with sam's reason.
	cli("sync");
	const preds = cli("predictions");
	check("ana's prediction is resolved with sam's reason",
		preds.includes("A workshop is too small for it: aim for the conference"),
		preds);
	const cal = cli("calibration");
	check("her calibration counts it as sam's", /@sam \(mentor\)\s+1/.test(cal),
		cal);
	const shown = cli("show", "2");
	check("sam's comment is a note from him on ana's milestone",
		shown.includes("sam: Write the bound down before the experiments"),
		shown);
	cli("sync");
	await page.reload();
	check("and on the page, marked with its author",
		(await text(page)).includes(
			"sam: Write the bound down before the experiments"));
	await shot(page, "lab-comment");

	// The lab's calibration, per mentor.
	await page.goto(base + "/labs/phd/calibration");
	const row = await page.$$eval("table tr", (rs) =>
		rs.map((r) => r.innerText.replace(/\s+/g, " ").trim()));
	check("the lab's calibration has sam's row",
		row.some((r) => r.startsWith("@sam 1 0")), row.join(" | "));
	await shot(page, "lab-calibration");
	await page.goto(base + "/labs/phd/check");
	check("the lab's check names the isolated goal",
		(await text(page)).includes("builds on nothing"));
	await shot(page, "lab-check");

	// Log out: the session is over.
	await Promise.all([page.waitForNavigation(),
		page.click("form[action='/logout'] button")]);
	await page.goto(base + "/queue");
	check("after logging out, the login again", page.url() === base + "/login");
	check("no request left the hub", blocked.length === 0, blocked.join(" "));
	check("no script errors", scriptErrors.length === 0,
		scriptErrors.join(" | "));
} finally {
	await browser.close();
}
process.exit(failed ? 1 : 0);
