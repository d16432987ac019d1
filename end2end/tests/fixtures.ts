// Shared test setup: the server's address (from global setup), a signed-in session per
// role, API helpers that call the real server, and a console-error collector.
import { test as base, expect, Page, ConsoleMessage } from "@playwright/test";
import * as path from "node:path";

export type Role = "admin" | "editor" | "viewer";

export const storage = (role: Role) => path.join(__dirname, "..", ".auth", `${role}.json`);

/** The built asset's URL path: `/pkg/pmr.<hash>.<kind>` (names carry content hashes). */
export function asset(kind: "js" | "wasm" | "css"): string {
  const hashes = require("node:fs").readFileSync(path.join(__dirname, "..", "..", "target/site/pkg/hash.txt"), "utf8") as string;
  const line = hashes.split("\n").find((l) => l.startsWith(`${kind}:`));
  if (!line) throw new Error(`no ${kind} hash in target/site/pkg/hash.txt`);
  return `/pkg/pmr.${line.split(":")[1].trim()}.${kind}`;
}

export function token(role: Role): string {
  const t = process.env[`PMR_${role.toUpperCase()}_TOKEN`];
  if (!t) throw new Error(`no ${role} token from global setup`);
  return t;
}

/** Calls the JSON API as `role`. */
export async function api(method: string, p: string, role: Role, body?: unknown) {
  const res = await fetch(`${process.env.PMR_BASE_URL}${p}`, {
    method,
    headers: { authorization: `Bearer ${token(role)}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** Console errors and warnings a page printed (hydration problems show up here). */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m: ConsoleMessage) => {
    if (m.type() === "error" || (m.type() === "warning" && /hydrat|island/i.test(m.text()))) {
      problems.push(`${m.type()}: ${m.text()}`);
    }
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

export const test = base.extend<{ role: Role }>({
  role: ["viewer", { option: true }],
  baseURL: async ({}, use) => use(process.env.PMR_BASE_URL),
  storageState: async ({ role }, use) => use(storage(role)),
});

export { expect };
