/** What went wrong with a file of the state dir, in the operator's words: `<path>: no space left on device (ENOSPC)`. */
export function fsProblem(error: unknown, file?: string): string {
  const e = error as NodeJS.ErrnoException;
  const where = file ?? e.path;
  const what = e.code
    ? `${REASONS[e.code] ?? e.message.replace(/^[A-Z]+: /, "").replace(/, \w+ '.*'$/, "")} (${e.code})`
    : e.message;
  return where ? `${where}: ${what}` : what;
}

const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large (a file size limit such as ulimit -f)",
  EROFS: "read-only file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOTDIR: "a part of the path is not a directory",
  EISDIR: "is a directory",
  ENOENT: "no such file or directory",
  EIO: "input/output error",
  EMFILE: "too many open files",
};
