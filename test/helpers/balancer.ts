import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { accepting, ROOT } from "../../support/service-process";
import { sleep } from "./time";

export const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((candidate) => fs.existsSync(candidate));

/**
 * Debian's nginx running the shipped deploy/nginx.conf, with only what a machine without Docker
 * must change: the upstreams' addresses and the port it listens on.
 */
export class Balancer {
  private constructor(
    private readonly process: ChildProcess,
    private readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(port: number, upstreams: [number, number]): Promise<Balancer> {
    if (!NGINX) throw new Error("nginx is not installed (apt-get install nginx-light)");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "balancer-"));
    const site = fs
      .readFileSync(path.join(ROOT, "deploy", "nginx.conf"), "utf8")
      .replace("session-a:4000", `127.0.0.1:${upstreams[0]}`)
      .replace("session-b:4000", `127.0.0.1:${upstreams[1]}`)
      .replace("listen 80;", `listen 127.0.0.1:${port};`);
    const temp = (name: string) => path.join(dir, name);
    fs.writeFileSync(
      temp("nginx.conf"),
      `${process.getuid?.() === 0 ? "user root;\n" : ""}worker_processes 1;
pid ${temp("nginx.pid")};
error_log ${temp("error.log")} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${temp("body")};
  proxy_temp_path ${temp("proxy")};
  fastcgi_temp_path ${temp("fastcgi")};
  uwsgi_temp_path ${temp("uwsgi")};
  scgi_temp_path ${temp("scgi")};
${site}
}
`,
    );
    const child = spawn(NGINX, ["-p", dir, "-c", temp("nginx.conf"), "-g", "daemon off;"], { stdio: "ignore" });
    for (let i = 0; i < 100 && !(await accepting(port)); i++) await sleep(50);
    return new Balancer(child, dir, port);
  }

  /** What nginx logged at warn and above: its view of failed upstreams. */
  errors(): string {
    return fs.existsSync(path.join(this.dir, "error.log")) ? fs.readFileSync(path.join(this.dir, "error.log"), "utf8") : "";
  }

  async stop(): Promise<void> {
    this.process.kill("SIGQUIT");
    await new Promise((resolve) => (this.process.exitCode !== null ? resolve(undefined) : this.process.once("exit", resolve)));
  }
}
