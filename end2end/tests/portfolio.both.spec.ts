// The portfolio lists the demo projects with their status and a link to each latest report.
import { test, expect, collectProblems } from "./fixtures";

test("the portfolio lists the demo projects", async ({ page }) => {
  const problems = collectProblems(page);
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Portfolio" })).toBeVisible();
  // The ten demo projects (other tests may add their own).
  const demo = ["apollo", "borealis", "cassini", "delta-grid", "everest", "fuji", "gemini", "horizon", "ion", "juno"];
  for (const id of demo) {
    await expect(page.locator(`tr[data-project="${id}"] a[href="/reports/${id}-2026-10"]`)).toBeVisible();
  }
  for (const name of ["Apollo Data Platform", "Cassini Customer Portal", "Everest ERP Rollout", "Juno Supplier Portal"]) {
    await expect(page.getByRole("link", { name })).toBeVisible();
  }
  await expect(page.locator(".rag-red").first()).toBeVisible();
  await expect(page.locator(".rag-green").first()).toBeVisible();
  await page.getByRole("link", { name: "2026-10 report" }).first().click();
  await expect(page.getByRole("heading", { level: 2, name: "Executive summary" })).toBeVisible();
  expect(problems).toEqual([]);
});

test("the viewer's name and role are in the header", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator(".user-name")).toHaveText("e2e-viewer");
  await expect(page.locator(".user .badge.role")).toHaveText("viewer");
});
