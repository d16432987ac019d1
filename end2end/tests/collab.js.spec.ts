// Live collaboration in two browsers on one report (SPEC §5, the browser side): each sees
// the other arrive and leave, a custom section edited in place, comments, replies and
// resolutions — without a reload and without layout shift; a stale save offers the choice
// and keeps the typed text; a dropped socket shows "reconnecting" and resumes from its
// offset, so what happened meanwhile still arrives; a hidden tab opens no socket until shown.
import { test, expect, api, storage, collectProblems } from "./fixtures";
import type { Browser, Page } from "@playwright/test";

const NOTES = "technical-progress";

/** A report of its own for each test (technical: it has a custom section). */
// Each test its own period: the server answers a second request for the same project,
// period and template within two seconds with the report the first one made (one
// generation, shared), which would hand a test the previous test's report and comments.
const PERIODS = ["2026-09", "2026-08", "2026-07", "2026-06", "2026-05", "2026-04", "2026-03", "2026-02", "2026-01"];
let made_so_far = 0;

async function freshReport(): Promise<string> {
  const period = PERIODS[made_so_far++ % PERIODS.length];
  const made = await api("POST", "/api/v1/reports", "editor", { project_id: "gemini", period, template: "technical" });
  expect(made.status).toBe(201);
  return made.json.id;
}

/** Opens the report as `role` in a context of its own and waits for the live socket. */
async function openLive(browser: Browser, role: "editor" | "admin" | "viewer", report: string, init?: () => void) {
  const context = await browser.newContext({ storageState: storage(role), baseURL: process.env.PMR_BASE_URL });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const problems = collectProblems(page);
  await page.goto(`/reports/${report}`);
  await expect(page.locator(".live-bar")).toHaveAttribute("data-state", "connected");
  const name = (await page.locator(".user-name").textContent())!.trim();
  return { context, page, problems, name };
}

const notesBody = (page: Page) => page.locator(`#section-${NOTES} .section-body`);
const comments = (page: Page) => page.locator(`#comments-${NOTES}`);

test("two readers see each other, an edit and comments live", async ({ browser }) => {
  const report = await freshReport();
  const a = await openLive(browser, "editor", report);
  const b = await openLive(browser, "admin", report);

  // Presence, both ways; nobody lists themselves.
  await expect(a.page.locator(".presence .person-name")).toHaveText([b.name]);
  await expect(b.page.locator(".presence .person-name")).toHaveText([a.name]);

  // A edits the notes in place; B's page shows them without a reload (B has not even
  // scrolled there: the lazy section takes the pushed HTML as it is).
  const editor = a.page.locator(`.section-edit[data-section=${NOTES}]`);
  await editor.locator("summary").click();
  await editor.getByLabel("Markdown").fill("## Go-live\n\nCut-over rehearsal **passed**.");
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(editor.locator(".edit-status")).toHaveText(/Saved as version \d+\./);
  await expect(notesBody(b.page).locator("h2")).toHaveText("Go-live");
  await expect(notesBody(b.page).locator("strong")).toHaveText("passed");
  // The saver's own page shows the saved text too (fetched, since it is not echoed).
  await expect(notesBody(a.page).locator("h2")).toHaveText("Go-live");

  // B comments; A sees the count change and the comment, then replies and resolves; B sees both.
  await comments(b.page).locator("summary").click();
  await comments(b.page).getByLabel("Add a comment").fill("Which environment was the rehearsal on?");
  await comments(b.page).getByRole("button", { name: "Add a comment" }).click();
  await expect(comments(b.page).getByLabel("Add a comment")).toHaveValue("");
  await expect(comments(a.page).locator("summary")).toHaveText("Comments (1, 1 open)");
  await expect(comments(a.page).locator(".thread .comment-text")).toHaveText("Which environment was the rehearsal on?");

  await comments(a.page).locator("summary").click();
  const thread = comments(a.page).locator(".thread").first();
  await thread.getByLabel("Reply").fill("Staging, with production data volumes.");
  await thread.getByRole("button", { name: "Reply" }).click();
  await expect(comments(b.page).locator(".replies .comment-text")).toHaveText("Staging, with production data volumes.");
  await thread.getByRole("button", { name: "Resolve" }).click();
  await expect(comments(b.page).locator(".thread").first()).toHaveAttribute("data-resolved", "true");
  await expect(comments(b.page).locator("summary")).toHaveText("Comments (2, all resolved)");

  // B leaves: A's presence list empties.
  await b.context.close();
  await expect(a.page.locator(".presence .person-name")).toHaveCount(0);
  expect(a.problems).toEqual([]);
  await a.context.close();
});

test("a stale save offers keep mine or take theirs, and never loses the typed text", async ({ browser }) => {
  const report = await freshReport();
  const a = await openLive(browser, "editor", report);
  const b = await openLive(browser, "admin", report);
  const mine = a.page.locator(`.section-edit[data-section=${NOTES}]`);
  const theirs = b.page.locator(`.section-edit[data-section=${NOTES}]`);
  await mine.locator("summary").click();
  await mine.getByLabel("Markdown").fill("Mine: the vendor slipped a week.");
  // B saves first.
  await theirs.locator("summary").click();
  await theirs.getByLabel("Markdown").fill("Theirs: on track.");
  await theirs.getByRole("button", { name: "Save" }).click();
  await expect(theirs.locator(".edit-status")).toHaveText(/Saved as version/);
  await expect(notesBody(a.page)).toContainText("Theirs: on track.");

  // A's save is stale: the choice appears and A's text is still in the textarea.
  await mine.getByRole("button", { name: "Save" }).click();
  const conflict = mine.locator(".conflict");
  await expect(conflict).toContainText("Someone else saved version");
  await expect(mine.getByLabel("Markdown")).toHaveValue("Mine: the vendor slipped a week.");
  await conflict.getByRole("button", { name: "Keep mine" }).click();
  await expect(mine.locator(".edit-status")).toHaveText(/Saved as version/);
  await expect(conflict).toHaveCount(0);
  await expect(notesBody(b.page)).toContainText("Mine: the vendor slipped a week.");

  // Take theirs replaces the text with the current version.
  await theirs.getByLabel("Markdown").fill("Theirs again.");
  await mine.getByLabel("Markdown").fill("Mine again.");
  await theirs.getByRole("button", { name: "Save" }).click();
  await expect(theirs.locator(".edit-status")).toHaveText(/Saved as version/);
  await mine.getByRole("button", { name: "Save" }).click();
  await mine.locator(".conflict").getByRole("button", { name: "Take theirs" }).click();
  await expect(mine.getByLabel("Markdown")).toHaveValue("Theirs again.");
  expect(a.problems).toEqual([]);
  await Promise.all([a.context.close(), b.context.close()]);
});

/** Init script: keeps the page's sockets and their URLs; `__refuse` sends (re)connects to a
 * path that refuses them (the server answers 404), `__dropAfterSend` closes the socket right
 * after the next frame goes out (its answer is lost with it). */
function trackSockets() {
  const w = window as any;
  w.__sockets = [];
  w.__urls = [];
  w.__refuse = false;
  w.__dropAfterSend = false;
  const Native = window.WebSocket;
  w.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      const target = w.__refuse ? String(url).replace("/ws/reports/", "/ws/refused/") : url;
      super(target, protocols);
      w.__urls.push(String(url));
      w.__sockets.push(this);
    }
    send(data: any) {
      super.send(data);
      if (w.__dropAfterSend) {
        w.__dropAfterSend = false;
        w.__refuse = true;
        this.close();
      }
    }
  };
}

test("a dropped socket shows reconnecting, then resumes from its offset", async ({ browser }) => {
  const report = await freshReport();
  // Reconnects are refused until the test allows them, so "reconnecting" lasts till then.
  const a = await openLive(browser, "editor", report, trackSockets);
  const bar = a.page.locator(".live-bar");
  await a.page.evaluate(() => {
    (window as any).__refuse = true;
    (window as any).__sockets.at(-1).close();
  });
  await expect(bar).toHaveAttribute("data-state", "reconnecting");
  await expect(bar).toContainText("Reconnecting");

  // Meanwhile someone else edits the notes and comments (through the JSON API).
  const section = await api("GET", `/api/v1/reports/${report}/sections/${NOTES}`, "viewer");
  const edited = await api("PUT", `/api/v1/reports/${report}/sections/${NOTES}`, "editor", {
    base_version: section.json.section.version,
    content: "Written while you were away.",
  });
  expect(edited.status).toBe(200);
  expect((await api("POST", `/api/v1/reports/${report}/comments`, "admin", { section_id: NOTES, content: "Also while away." })).status).toBe(201);

  await a.page.evaluate(() => ((window as any).__refuse = false));
  await expect(bar).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  await expect(notesBody(a.page)).toContainText("Written while you were away.");
  await expect(comments(a.page).locator(".comment-text")).toHaveText("Also while away.");
  const urls: string[] = await a.page.evaluate(() => (window as any).__urls);
  expect(urls[0]).not.toContain("since=");
  expect(urls.at(-1)).toMatch(/\?since=\d+$/);

  // The browser going offline closes the socket and says so; back online, it resumes.
  await a.context.setOffline(true);
  await expect(bar).toHaveAttribute("data-state", "offline");
  await a.context.setOffline(false);
  await expect(bar).toHaveAttribute("data-state", "connected");
  expect(a.problems.filter((p) => !/WebSocket|ws\/refused|404/.test(p))).toEqual([]);
  await a.context.close();
});

test("no layout shift while live updates arrive", async ({ browser }) => {
  const report = await freshReport();
  const a = await openLive(browser, "viewer", report, () => {
    (window as any).__cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as any[]) if (!e.hadRecentInput) (window as any).__cls += e.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  // The notes in view, loaded, with what follows them on screen too.
  await a.page.locator(`#section-${NOTES}`).scrollIntoViewIfNeeded();
  await expect(a.page.locator(`#section-${NOTES} .lazy`)).toHaveAttribute("data-state", "loaded");
  for (let i = 1; i <= 3; i++) {
    const section = await api("GET", `/api/v1/reports/${report}/sections/${NOTES}`, "viewer");
    const text = `Update ${i}: the integration environment is stable.`;
    const res = await api("PUT", `/api/v1/reports/${report}/sections/${NOTES}`, "editor", {
      base_version: section.json.section.version,
      content: text,
    });
    expect(res.status).toBe(200);
    await expect(notesBody(a.page)).toContainText(text);
    expect((await api("POST", `/api/v1/reports/${report}/comments`, "editor", { section_id: NOTES, content: `Comment ${i}` })).status).toBe(201);
    await expect(comments(a.page).locator("summary")).toHaveText(`Comments (${i}, ${i} open)`);
  }
  const cls = await a.page.evaluate(() => (window as any).__cls as number);
  console.log(`report page with live updates: CLS ${cls.toFixed(4)}`);
  expect(cls).toBeLessThanOrEqual(0.01);
  expect(a.problems).toEqual([]);
  await a.context.close();
});

test("the socket opens only while the page is visible", async ({ browser }) => {
  const report = await freshReport();
  const context = await browser.newContext({ storageState: storage("viewer"), baseURL: process.env.PMR_BASE_URL });
  // A tab opened in the background: hidden until the test shows it.
  await context.addInitScript(() => {
    const w = window as any;
    w.__hidden = true;
    w.__sockets = 0;
    Object.defineProperty(document, "hidden", { get: () => w.__hidden, configurable: true });
    Object.defineProperty(document, "visibilityState", { get: () => (w.__hidden ? "hidden" : "visible"), configurable: true });
    const Native = window.WebSocket;
    w.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        w.__sockets += 1;
      }
    };
  });
  const page = await context.newPage();
  const problems = collectProblems(page);
  await page.goto(`/reports/${report}`);
  const bar = page.locator(".live-bar");
  await expect(bar).toHaveAttribute("data-state", "paused");
  expect(await page.evaluate(() => (window as any).__sockets)).toBe(0);
  await page.evaluate(() => {
    (window as any).__hidden = false;
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await expect(bar).toHaveAttribute("data-state", "connected");
  expect(await page.evaluate(() => (window as any).__sockets)).toBe(1);
  expect(problems).toEqual([]);
  await context.close();
});

test("a save whose answer is lost with the socket keeps the text and settles on resume", async ({ browser }) => {
  const report = await freshReport();
  const a = await openLive(browser, "editor", report, trackSockets);
  const editor = a.page.locator(`.section-edit[data-section=${NOTES}]`);
  const status = editor.locator(".edit-status");
  await editor.locator("summary").click();
  await editor.getByLabel("Markdown").fill("Sent just as the line dropped.");
  await a.page.evaluate(() => ((window as any).__dropAfterSend = true));
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(status).toContainText("the connection dropped before the server answered");
  await expect(editor.getByLabel("Markdown")).toHaveValue("Sent just as the line dropped.");

  await a.page.evaluate(() => ((window as any).__refuse = false));
  await expect(a.page.locator(".live-bar")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  // Stored before the socket closed (the server read the frame before the close): its
  // event on resume settles the save. Not stored: the text is still there and Save sends it
  // again. Either way it is saved exactly once.
  const version = async () => (await api("GET", `/api/v1/reports/${report}/sections/${NOTES}`, "viewer")).json.section.version;
  if ((await version()) === 1) {
    await expect(status).toContainText("save again");
    await editor.getByRole("button", { name: "Save" }).click();
  }
  await expect(status).toHaveText("Saved as version 2.");
  expect(await version()).toBe(2);
  expect(a.problems.filter((p) => !/WebSocket|ws\/refused|404/.test(p))).toEqual([]);
  await a.context.close();
});
