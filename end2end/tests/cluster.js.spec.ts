// Live collaboration across instances (SPEC §7): scripts/cluster.sh starts a private
// PostgreSQL and Redis, two PMR instances (the debug build the other tests run) and nginx
// in front. Two browsers are pinned to different instances with the `pmr_pin` cookie; each
// must see the other's presence and edits, which only Redis and the shared store can carry.
import { test, expect } from "@playwright/test";
import { spawn, ChildProcess } from "node:child_process";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");

let cluster: ChildProcess | undefined;
let base = "";
let instances: string[] = [];
let admin = "";

/** Starts scripts/cluster.sh in a process group of its own; resolves on PMR_CLUSTER_READY. */
function startCluster(): Promise<void> {
  return new Promise((resolve, reject) => {
    cluster = spawn("bash", [path.join(root, "scripts/cluster.sh")], {
      cwd: root,
      detached: true,
      env: {
        ...process.env,
        PMR_BINARY: process.env.PMR_BINARY ?? path.join(root, "target/debug/pmr"),
        PMR_CLUSTER_PORT: "0",
        RUST_LOG: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    cluster.stderr!.on("data", (d) => (err += d.toString()));
    cluster.stdout!.on("data", (d) => {
      out += d.toString();
      if (!out.includes("PMR_CLUSTER_READY")) return;
      base = out.match(/PMR_CLUSTER_URL=(\S+)/)![1];
      instances = [...out.matchAll(/PMR_INSTANCE_\d+=(\S+)/g)].map((m) => m[1]);
      admin = out.match(/PMR_ADMIN_TOKEN=(\S+)/)![1];
      resolve();
    });
    cluster.on("exit", (code) => reject(new Error(`cluster.sh exited (${code}) before it was ready:\n${err.slice(-3000)}`)));
  });
}

/** Stops the whole cluster: its script cleans up on TERM; anything left gets KILL. */
async function stopCluster() {
  if (!cluster?.pid) return;
  const group = -cluster.pid;
  const exited = new Promise((r) => cluster!.once("exit", r));
  try {
    process.kill(group, "SIGTERM");
  } catch {
    return; // already gone
  }
  await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
  try {
    process.kill(group, "SIGKILL");
  } catch {
    // every process of the group has exited
  }
}

async function call(method: string, p: string, token: string, body?: unknown) {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

/** A session cookie for `token`, signed in through the cluster's front door. */
async function signIn(token: string): Promise<string> {
  const res = await fetch(`${base}/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams({ token, next: "/" }),
    redirect: "manual",
  });
  const value = (res.headers.get("set-cookie") ?? "").split(";")[0].split("=")[1];
  if (!value) throw new Error(`sign-in failed: ${res.status}`);
  return value;
}

test.beforeAll(async () => {
  test.setTimeout(600_000);
  await startCluster();
});

test.afterAll(async () => {
  await stopCluster();
});

test("two browsers on two instances see each other's presence and edits", async ({ browser }) => {
  expect(instances.length).toBe(2);
  const editor = await call("POST", "/api/v1/tokens", admin, { name: "cluster-editor", role: "editor" });
  expect([200, 201]).toContain(editor.status);
  const made = await call("POST", "/api/v1/reports", editor.json.token, { project_id: "gemini", period: "2026-09", template: "technical" });
  expect(made.status).toBe(201);
  const report = made.json.id;

  const host = new URL(base).hostname;
  const open = async (token: string, pin: number) => {
    const context = await browser.newContext({ baseURL: base });
    await context.addCookies([
      { name: "pmr_session", value: await signIn(token), domain: host, path: "/", httpOnly: true, sameSite: "Strict" },
      { name: "pmr_pin", value: String(pin), domain: host, path: "/" },
    ]);
    const page = await context.newPage();
    const res = await page.goto(`/reports/${report}`);
    // nginx names the instance that answered: the one this browser is pinned to.
    expect(res!.headers()["x-pmr-upstream"]).toBe(new URL(instances[pin - 1]).host);
    await expect(page.locator(".live-bar")).toHaveAttribute("data-state", "connected");
    const name = (await page.locator(".user-name").textContent())!.trim();
    return { context, page, name };
  };
  const one = await open(editor.json.token, 1);
  const two = await open(admin, 2);

  await expect(one.page.locator(".presence .person-name")).toHaveText([two.name]);
  await expect(two.page.locator(".presence .person-name")).toHaveText([one.name]);

  const edit = async (page: typeof one.page, text: string) => {
    const form = page.locator(".section-edit[data-section=technical-progress]");
    await form.locator("summary").click();
    await form.getByLabel("Markdown").fill(text);
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.locator(".edit-status")).toHaveText(/Saved as version/);
  };
  const notes = (page: typeof one.page) => page.locator("#section-technical-progress .section-body");
  await edit(one.page, "Saved on instance one.");
  await expect(notes(two.page)).toContainText("Saved on instance one.");
  await edit(two.page, "Saved on instance two.");
  await expect(notes(one.page)).toContainText("Saved on instance two.");

  await two.context.close();
  await expect(one.page.locator(".presence .person-name")).toHaveCount(0);
  await one.context.close();
});
