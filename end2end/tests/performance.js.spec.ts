// The performance dashboard: live numbers that move when a report is generated, and the
// monitor switch for admins (viewers see no switch).
import { test, expect, api } from "./fixtures";

const count = async (page: import("@playwright/test").Page, op: string) =>
  Number(((await page.locator(`tr[data-operation="${op}"] td.count`).textContent()) ?? "0").replace(/,/g, ""));

test.describe("as an admin", () => {
  test.use({ role: "admin" });

  test("numbers update live after a report is generated; the monitor switches off and on", async ({ page }) => {
    await page.goto("/performance");
    await expect(page.locator(".live-region[data-hydrated=true]")).toHaveCount(1);
    const before = await count(page, "report_generation");
    expect(before).toBeGreaterThan(0);
    const made = await api("POST", "/api/v1/reports", "editor", { project_id: "juno", period: "2026-09", template: "executive" });
    expect(made.status).toBe(201);
    // No reload: the live region refreshes itself.
    await expect.poll(() => count(page, "report_generation"), { timeout: 15_000 }).toBeGreaterThan(before);
    await expect(page.locator("tr[data-operation=monte_carlo_analysis]")).toBeVisible();
    await expect(page.locator(".health")).toContainText("store");

    await page.getByRole("button", { name: "Switch monitoring off" }).click();
    await expect(page.locator(".monitor-state")).toContainText("Monitoring is off");
    const frozen = await count(page, "report_generation");
    await api("POST", "/api/v1/reports", "editor", { project_id: "juno", period: "2026-08", template: "executive" });
    await page.reload();
    expect(await count(page, "report_generation")).toBe(frozen);
    await page.getByRole("button", { name: "Switch monitoring on" }).click();
    await expect(page.locator(".monitor-state")).toContainText("Monitoring is on");
  });
});

test("viewers see the dashboard without the admin switches", async ({ page }) => {
  await page.goto("/performance");
  await expect(page.getByRole("heading", { level: 2, name: "Operations" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Switch monitoring/ })).toHaveCount(0);
});
