// Signing in with a token, seeing who you are, signing out — with and without JavaScript.
import { test, expect, token } from "./fixtures";

test.use({ storageState: { cookies: [], origins: [] } });

test("sign in, see your name and role, sign out", async ({ page }) => {
  await page.goto("/reports/apollo-2026-10");
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.getByLabel("Token").fill("pmr_1_not-a-real-token");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("That token is not valid.");
  await page.getByLabel("Token").fill(token("editor"));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/reports\/apollo-2026-10$/);
  await expect(page.locator(".user-name")).toHaveText("e2e-editor");
  await expect(page.locator(".user .badge.role")).toHaveText("editor");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in\?next=/);
});
