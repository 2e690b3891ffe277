import fs from "node:fs";
import path from "node:path";

/**
 * Makes a folder and everything in it readable by this user only (folders 0700, files 0600),
 * whatever the umask it was created with: the embedded database's files (write-ahead log
 * included) hold emails and password hashes.
 */
export function makePrivate(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const visit = (entry: string) => {
    const stat = fs.lstatSync(entry);
    if (stat.isSymbolicLink()) return;
    const wanted = stat.isDirectory() ? 0o700 : 0o600;
    if ((stat.mode & 0o777) !== wanted) fs.chmodSync(entry, wanted);
    if (stat.isDirectory()) for (const name of fs.readdirSync(entry)) visit(path.join(entry, name));
  };
  visit(dir);
}
