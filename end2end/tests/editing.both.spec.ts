// Editors work through plain forms, so everything here must work with JavaScript on and
// off: generate a report from the project page, write a custom section, send the report
// for review. Viewers get none of these controls.
import { test, expect } from "./fixtures";

test.describe("as an editor", () => {
  test.use({ role: "editor" });

  test("generate a report, write its notes, send it for review", async ({ page }) => {
    await page.goto("/projects/fuji");
    await page.getByLabel("Period").selectOption("2026-09");
    await page.getByLabel("Template").selectOption("technical");
    await page.getByRole("button", { name: "Generate report" }).click();
    await expect(page).toHaveURL(/\/reports\/fuji-2026-09(-\d+)?$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Fuji Mobile App — September 2026");
    await expect(page.locator(".status-controls")).toContainText("Send for review");

    await page.getByRole("link", { name: "Technical progress" }).last().click();
    await expect(page).toHaveURL(/\/sections\/technical-progress$/);
    await page.getByLabel("Markdown").fill("## Cut-over\n\nRehearsal **passed** on the second attempt.");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.locator(".markdown h2")).toHaveText("Cut-over");
    await expect(page.locator(".markdown strong")).toHaveText("passed");
    await expect(page.locator(".meta")).toContainText("Section version 2");

    await page.getByRole("link", { name: /Fuji Mobile App — September 2026/ }).click();
    await page.getByRole("button", { name: "Send for review" }).click();
    await expect(page.locator(".report-header .badge.status")).toHaveText("review");
    // Approval is for admins: an editor is not offered it.
    await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Back to draft" })).toBeVisible();
  });
});

test("viewers see no editing controls", async ({ page }) => {
  await page.goto("/projects/fuji");
  await expect(page.getByRole("heading", { level: 2, name: "Reports" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Generate report" })).toHaveCount(0);
  await page.goto("/reports/fuji-2026-10");
  await expect(page.locator(".status-controls")).toHaveCount(0);
});
