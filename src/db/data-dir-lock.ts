import fs from "node:fs";

export class DataDirInUseError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One process at a time per embedded database: PGlite has no locking of its own, and two
 * writers on one folder corrupt it. A lock left by a process that died is taken over.
 */
export function lockDataDir(lockFile: string): () => void {
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number(fs.readFileSync(lockFile, "utf8"));
    if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
      throw new DataDirInUseError(`the embedded database ${lockFile.replace(/\.lock$/, "")} is in use by process ${holder}; stop it, or set DATABASE_URL`);
    }
    fs.rmSync(lockFile, { force: true });
  }
}
