// Without JavaScript: high sections are in the first HTML, and every lazy section links to
// its own server-rendered page, so nothing is out of reach.
import { test, expect } from "./fixtures";

test("high sections are in the first HTML and lazy ones link to their pages", async ({ page }) => {
  await page.goto("/reports/apollo-2026-10");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Apollo Data Platform");
  await expect(page.locator("#section-summary .summary .headline")).toBeVisible();
  await expect(page.locator("#section-metrics table.evm")).toContainText("Cost performance index (CPI)");
  for (const [id, title] of [["insights", "Insights"], ["forecast", "Monte Carlo forecast"], ["charts", "Charts"]]) {
    const link = page.locator(`#section-${id} a.placeholder-link`);
    await expect(link).toHaveAttribute("href", `/reports/apollo-2026-10/sections/${id}`);
    await expect(page.locator(`#section-${id} .placeholder-text`)).toHaveText(`Loading ${title}…`);
  }
  await page.locator("#section-forecast a.placeholder-link").click();
  await expect(page).toHaveURL(/\/sections\/forecast$/);
  await expect(page.locator(".tiles .tile").first()).toContainText("P50 finish");
  await expect(page.locator("svg[role=img]").first()).toBeVisible();
});

test("an unknown report is a 404 page", async ({ page }) => {
  for (const path of ["/reports/nope", "/reports/%3Cscript%3E", "/reports/apollo-2026-10/sections/nope"]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Not found" })).toBeVisible();
  }
});
