import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
export const SERVICE_ENTRY = path.join(ROOT, "dist", "src", "index.js");
export const CREATE_USER_ENTRY = path.join(ROOT, "dist", "scripts", "create-user.js");

export function requireBuild(): void {
  if (!fs.existsSync(SERVICE_ENTRY)) throw new Error("dist/ is missing: run `npm run build` (npm test does it first)");
}

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
}

function collect(child: ChildProcess): { output: () => string } {
  let text = "";
  child.stdout?.on("data", (chunk) => (text += chunk));
  child.stderr?.on("data", (chunk) => (text += chunk));
  return { output: () => text };
}

function exitOf(child: ChildProcess): Promise<number | string> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
}

/** `node dist/src/index.js` as `npm start` runs it, on a free port; resolves once it prints its endpoint. */
export async function startServiceProcess(env: Record<string, string | undefined>): Promise<ServiceProcess> {
  requireBuild();
  const child = spawn(process.execPath, [SERVICE_ENTRY], {
    env: { PATH: process.env.PATH, PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const { output } = collect(child);
  const exited = exitOf(child);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${output()}`)), 30_000);
    const check = () => {
      // The last of the start-up lines: by then all of them are out.
      const match = /GraphQL endpoint: (http:\/\/\S+)\/graphql[\s\S]*Database: /.exec(output());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", check);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code}:\n${output()}`));
    });
  });
  return { child, url, output, exited };
}

/** Runs a command to completion: exit code and everything it printed. */
export async function runProcess(args: string[], env: Record<string, string | undefined>, stdin?: string): Promise<{ code: number | string; output: string }> {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  const { output } = collect(child);
  child.stdin?.end(stdin ?? "");
  const code = await exitOf(child);
  return { code, output: output() };
}
