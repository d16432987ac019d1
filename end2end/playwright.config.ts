// Playwright drives Debian's Chromium (never a downloaded browser) against the real PMR
// server, which global-setup.ts starts on a free port with its own database and Redis.
// Two projects: JavaScript on and off.
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: "./tests",
  globalSetup: "./global-setup.ts",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    viewport: { width: 1280, height: 720 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "js", use: { javaScriptEnabled: true }, testMatch: /\.(js|both)\.spec\.ts$/ },
    { name: "nojs", use: { javaScriptEnabled: false }, testMatch: /\.(nojs|both)\.spec\.ts$/ },
  ],
});
