// Static assets as a browser gets them (issue 16): on a cold load (a fresh context has an
// empty cache) every hashed asset arrives precompressed — a Content-Encoding and a
// Content-Length, never a chunked body being compressed on the fly — and marked immutable;
// a reload asks the network for none of them. The resource timings of the cold load are
// written to test-results/asset-timings.json for BENCHMARKS.md (timings are not asserted).
import * as fs from "node:fs";
import { test, expect, asset } from "./fixtures";

const REPORT = "/reports/apollo-2026-10";

type Timing = { name: string; transferSize: number; wait_ms: number; duration_ms: number };

async function hashedTimings(page: import("@playwright/test").Page): Promise<Timing[]> {
  return page.evaluate(() =>
    (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
      .filter((e) => new URL(e.name).pathname.startsWith("/pkg/pmr."))
      .map((e) => ({
        name: new URL(e.name).pathname,
        transferSize: e.transferSize,
        wait_ms: e.responseStart - e.requestStart,
        duration_ms: e.responseEnd - e.startTime,
      })),
  );
}

test("a cold load gets precompressed immutable assets and a reload asks for none", async ({ page }, info) => {
  const hashed = [asset("css"), asset("js"), asset("wasm")];
  const headers = new Map<string, Record<string, string>>();
  page.on("response", (r) => {
    const p = new URL(r.url()).pathname;
    if (hashed.includes(p)) headers.set(p, r.headers());
  });
  await page.goto(REPORT);
  await expect(page.locator(".lazy[data-hydrated=true]")).toHaveCount(3);
  await page.waitForLoadState("networkidle");

  for (const p of hashed) {
    const h = headers.get(p);
    expect(h, `${p} was fetched`).toBeDefined();
    expect(["br", "gzip"], `${p} content-encoding`).toContain(h!["content-encoding"]);
    expect(Number(h!["content-length"]), `${p} content-length`).toBeGreaterThan(0);
    expect(h!["transfer-encoding"], `${p} is not streamed`).toBeUndefined();
    expect(h!["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(h!["set-cookie"], `${p} carries no session`).toBeUndefined();
  }
  const cold = await hashedTimings(page);
  expect(cold.map((t) => t.name).sort()).toEqual([...hashed].sort());

  // The page itself is private and never stored.
  const html = await page.request.get(REPORT);
  expect(html.headers()["cache-control"]).toBe("no-store");

  const refetched: string[] = [];
  page.on("request", (r) => {
    const p = new URL(r.url()).pathname;
    if (p.startsWith("/pkg/")) refetched.push(p);
  });
  await page.reload();
  await expect(page.locator(".lazy[data-hydrated=true]")).toHaveCount(3);
  await page.waitForLoadState("networkidle");
  const warm = await hashedTimings(page);
  // Whatever the browser lists after the reload came from its cache: nothing transferred.
  for (const t of warm) expect(t.transferSize, `${t.name} transferred on reload`).toBe(0);
  const fromNetwork = refetched.filter((p) => !warm.some((t) => t.name === p && t.transferSize === 0));
  expect(fromNetwork, "hashed assets fetched again on reload").toEqual([]);

  fs.mkdirSync(info.outputDir, { recursive: true });
  fs.writeFileSync(`${info.outputDir}/../asset-timings.json`, JSON.stringify({ cold, reload: warm }, null, 2));
  for (const t of cold) console.log(`cold ${t.name}: waited ${t.wait_ms.toFixed(1)} ms, took ${t.duration_ms.toFixed(1)} ms`);
});
