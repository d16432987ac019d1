// Starts what the browser tests run against: a redis-server and the PMR server (debug
// build, demo data, a temporary SQLite file), each on a free port. Reads the first-start
// admin token from the server's output, mints editor and viewer tokens, opens a browser
// session per role (storage-state files), and returns the teardown.
import { spawn, ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 30_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.on("error", () => resolve(false));
    s.on("connect", () => s.write("PING\r\n"));
    s.on("data", (d) => {
      resolve(d.toString().startsWith("+PONG"));
      s.destroy();
    });
  });
}

async function sessionCookie(base: string, token: string): Promise<string> {
  const res = await fetch(`${base}/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams({ token, next: "/" }),
    redirect: "manual",
  });
  const cookie = res.headers.get("set-cookie") ?? "";
  const value = cookie.split(";")[0].split("=")[1];
  if (!value) throw new Error(`sign-in failed: ${res.status}`);
  return value;
}

export default async function globalSetup() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "pmr-e2e-"));
  const redisPort = await freePort();
  const redis: ChildProcess = spawn(
    "redis-server",
    ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", work],
    { stdio: "ignore" },
  );
  await waitFor(() => redisAnswers(redisPort), "redis-server");

  const binary = process.env.PMR_BINARY ?? path.join(root, "target/debug/pmr");
  const server: ChildProcess = spawn(binary, ["serve"], {
    env: {
      ...process.env,
      PMR_LISTEN: "127.0.0.1:0",
      DATABASE_URL: `sqlite://${work}/pmr.db`,
      REDIS_URL: `redis://127.0.0.1:${redisPort}/0`,
      PMR_SITE_ROOT: path.join(root, "target/site"),
      PMR_DEMO: "true",
      // Test-only: lets a test import a cyclic network so the forecast fails for real.
      PMR_ALLOW_UNVALIDATED_IMPORT: "true",
      PMR_GENERATE_PER_MINUTE: "1000",
      RUST_LOG: "warn",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  server.stdout!.on("data", (d) => (output += d.toString()));
  await waitFor(async () => /PMR listening on (http:\/\/\S+)/.test(output), "the PMR server", 120_000);
  const base = output.match(/PMR listening on (http:\/\/\S+)/)![1];
  const admin = output.match(/PMR_ADMIN_TOKEN=(\S+)/)![1];
  await waitFor(async () => (await fetch(`${base}/readyz`)).ok, "/readyz");

  const tokens: Record<string, string> = { admin };
  for (const role of ["editor", "viewer"]) {
    const res = await fetch(`${base}/api/v1/tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: JSON.stringify({ name: `e2e-${role}`, role }),
    });
    tokens[role] = (await res.json()).token;
  }
  const host = new URL(base).hostname;
  const auth = path.join(__dirname, ".auth");
  fs.mkdirSync(auth, { recursive: true });
  for (const role of ["admin", "editor", "viewer"]) {
    const value = await sessionCookie(base, tokens[role]);
    const state = {
      cookies: [{ name: "pmr_session", value, domain: host, path: "/", expires: -1, httpOnly: true, secure: false, sameSite: "Strict" }],
      origins: [],
    };
    fs.writeFileSync(path.join(auth, `${role}.json`), JSON.stringify(state));
  }
  process.env.PMR_BASE_URL = base;
  process.env.PMR_ADMIN_TOKEN = tokens.admin;
  process.env.PMR_EDITOR_TOKEN = tokens.editor;
  process.env.PMR_VIEWER_TOKEN = tokens.viewer;

  return async () => {
    server.kill("SIGTERM");
    redis.kill("SIGTERM");
    fs.rmSync(work, { recursive: true, force: true });
  };
}
