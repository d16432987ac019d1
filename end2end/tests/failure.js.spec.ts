// A section that fails shows its error and a Retry that works, and the rest of the report
// is unaffected. The failure is real: the test switches the project's network to a cycle
// (accepted only because the test server runs with PMR_ALLOW_UNVALIDATED_IMPORT), so the
// Monte Carlo refuses it; re-importing the sound network makes Retry succeed.
import * as fs from "node:fs";
import * as path from "node:path";
import { test, expect, api, collectProblems } from "./fixtures";

const orbit = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "orbit.json"), "utf8"));

test("a failing section shows the error and recovers with Retry", async ({ page }) => {
  expect((await api("POST", "/api/v1/projects", "editor", orbit)).status).toBeLessThan(300);
  const made = await api("POST", "/api/v1/reports", "editor", { project_id: "orbit", period: "2026-10", template: "executive" });
  expect(made.status).toBe(201);
  const cyclic = structuredClone(orbit);
  cyclic.work_packages[0].predecessors = ["WP-4"];
  expect((await api("POST", "/api/v1/projects", "editor", cyclic)).status).toBe(200);

  const problems = collectProblems(page);
  await page.goto(made.json.url);
  await expect(page.locator(".lazy[data-hydrated=true]")).toHaveCount(3);
  const forecast = page.locator("#section-forecast");
  await forecast.scrollIntoViewIfNeeded();
  await expect(forecast.locator(".failed-title")).toHaveText("Failed to load Monte Carlo forecast");
  await expect(forecast.locator(".failed-error")).toContainText("cycle");
  // The other sections are unaffected.
  await page.locator("#section-charts").scrollIntoViewIfNeeded();
  await expect(page.locator("#section-charts figure.chart").first()).toBeVisible();
  await page.locator("#section-insights").scrollIntoViewIfNeeded();
  await expect(page.locator("#section-insights .lazy")).toHaveAttribute("data-state", "loaded");
  await expect(page.locator(".section-progress")).toHaveText("Loaded 4 of 5 sections");

  expect((await api("POST", "/api/v1/projects", "editor", orbit)).status).toBe(200);
  await forecast.getByRole("button", { name: "Retry" }).click();
  await expect(forecast.locator(".tile").first()).toContainText("P50 finish");
  await expect(page.locator(".section-progress")).toBeEmpty();
  // The failed request logged a console error (a 422 response); nothing else may have.
  expect(problems.filter((p) => !p.includes("422"))).toEqual([]);
});

test("a section the report does not have fails in place with the server's 404", async ({ page }) => {
  // The request really goes to the server, with a section id the report does not have.
  await page.route("**/api/fn/report_section", async (route) => {
    const body = new URLSearchParams(route.request().postData() ?? "");
    if (body.get("section_id") === "insights") body.set("section_id", "no-such-section");
    await route.continue({ postData: body.toString() });
  });
  const statuses: number[] = [];
  page.on("response", (r) => r.url().includes("report_section") && statuses.push(r.status()));
  await page.goto("/reports/cassini-2026-10");
  await expect(page.locator(".lazy[data-hydrated=true]")).toHaveCount(4);
  await page.locator("#section-insights").scrollIntoViewIfNeeded();
  const insights = page.locator("#section-insights");
  await expect(insights.locator(".failed-title")).toHaveText("Failed to load Insights");
  await expect(insights.locator(".failed-error")).toContainText("not found");
  expect(statuses).toContain(404);
  await expect(page.locator("#section-summary .summary")).toBeVisible();
});
