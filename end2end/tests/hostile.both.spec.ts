// Markup in every text field stays text in a real browser, JavaScript on and off: a
// project whose names, notes and custom section carry script, SVG, event-handler and
// meta-refresh payloads is imported, reported on and read page by page. No payload may run
// (no dialog, `window.__pwned` never set), redirect (the URL stays on this site), or add an
// element (nothing with the payloads' markers in the DOM); the title shows the text.
import * as fs from "node:fs";
import * as path from "node:path";
import { test, expect, api, Page } from "./fixtures";

const PAYLOADS = [
  "</title><script>window.__pwned=1</script>",
  "<img src=x onerror=window.__pwned=1>",
  "<svg onload=window.__pwned=1></svg>",
  "<meta http-equiv=refresh content=0;url=//evil.example>",
  "\"><iframe srcdoc=x></iframe>",
  "'><a href=javascript:window.__pwned=1>x</a>",
];

function hostileProject(id: string) {
  const p = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "orbit.json"), "utf8"));
  let n = 0;
  const next = () => `P${n} ${PAYLOADS[n++ % PAYLOADS.length]}`;
  p.id = id;
  for (const f of ["name", "code", "manager", "sponsor"]) p[f] = next();
  for (const wp of p.work_packages) wp.name = next();
  for (const r of p.risks) {
    r.title = next();
    r.owner = next();
  }
  for (const m of p.milestones) m.name = next();
  for (const s of p.snapshots) s.notes = next();
  return p;
}

let reportId = "";

test.beforeAll(async () => {
  const imported = await api("POST", "/api/v1/projects", "editor", hostileProject("hostile"));
  expect([200, 201]).toContain(imported.status);
  const made = await api("POST", "/api/v1/reports", "editor", {
    project_id: "hostile",
    period: "2026-10",
    template: "technical",
  });
  expect(made.status).toBe(201);
  reportId = made.json.id;
  const section = await api("GET", `/api/v1/reports/${reportId}/sections/technical-progress`, "viewer");
  const edited = await api("PUT", `/api/v1/reports/${reportId}/sections/technical-progress`, "editor", {
    base_version: section.json.section.version,
    content: PAYLOADS.join("\n\n") + "\n\n[click](javascript:window.__pwned=1)",
  });
  expect(edited.status).toBe(200);
});

async function assertInert(page: Page, url: string) {
  let dialogs = 0;
  page.on("dialog", async (d) => {
    dialogs += 1;
    await d.dismiss();
  });
  await page.goto(url);
  // Let lazy sections load (JS on): scroll to the bottom and wait for the progress line.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForTimeout(500);
  expect(new URL(page.url()).host, `${url}: stayed on this site`).toBe(new URL(url, process.env.PMR_BASE_URL).host);
  expect(dialogs, `${url}: no dialog`).toBe(0);
  const pwned = await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? null).catch(() => null);
  expect(pwned, `${url}: no payload ran`).toBeNull();
  const injected = await page.locator('img[src="x"], svg[onload], iframe, meta[http-equiv="refresh"], a[href^="javascript:"], script:not([src]):not([nonce])').count();
  expect(injected, `${url}: no element from a payload`).toBe(0);
  // The title holds the payload as text (a browser decodes the escaped markup back to it),
  // and no second <title> or element came out of it.
  expect(await page.locator("head > title").count(), `${url}: one title`).toBe(1);
}

test("payloads in every text field stay text on every page", async ({ page }) => {
  const sections = (await api("GET", `/api/v1/reports/${reportId}`, "viewer")).json.sections as { id: string }[];
  const urls = ["/", "/projects/hostile", `/reports/${reportId}`, ...sections.map((s) => `/reports/${reportId}/sections/${s.id}`)];
  for (const url of urls) {
    await assertInert(page, url);
  }
  await page.goto("/projects/hostile");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("P0 </title><script>");
});
