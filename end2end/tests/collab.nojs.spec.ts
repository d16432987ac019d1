// Without JavaScript the live islands are plain HTML: the report page still shows the
// comment threads and the in-place editor, and their forms post and come back.
import { test, expect, api } from "./fixtures";

test.use({ role: "editor" });

test("comments and the section editor work as plain forms", async ({ page }) => {
  const made = await api("POST", "/api/v1/reports", "editor", { project_id: "gemini", period: "2026-09", template: "technical" });
  expect(made.status).toBe(201);
  const report = made.json.id;
  await page.goto(`/reports/${report}`);
  // No live bar without a live connection.
  await expect(page.locator(".live-bar")).toBeHidden();

  const thread = page.locator("#comments-technical-progress");
  await thread.locator("summary").click();
  await thread.getByLabel("Add a comment").fill("Posted without JavaScript.");
  await thread.getByRole("button", { name: "Add a comment" }).click();
  await expect(page).toHaveURL(new RegExp(`/reports/${report}#comments-technical-progress$`));
  await expect(page.locator("#comments-technical-progress summary")).toHaveText("Comments (1, 1 open)");
  await expect(page.locator("#comments-technical-progress .comment-text")).toHaveText("Posted without JavaScript.");

  const editor = page.locator(".section-edit[data-section=technical-progress]");
  await editor.locator("summary").click();
  await editor.getByLabel("Markdown").fill("Saved by a plain form.");
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(new RegExp(`/reports/${report}/sections/technical-progress$`));
  await expect(page.locator(".markdown")).toContainText("Saved by a plain form.");
});
