import type { Io } from "../io.js";
import { loadRunbook, rereader } from "../load.js";
import { runSession } from "../run-session.js";
import { stateFlags } from "../state.js";
import { selectionOf } from "../flags.js";
import type { RunFlags } from "../definitions.js";

export async function runCommand(
  file: string,
  flags: RunFlags,
  io: Io,
): Promise<number> {
  const loadOptions = {
    validate: true,
    sandbox: flags.sandbox === true,
    mode: flags.sandbox ? "rehearsal" : "live",
  } as const;
  const runbook = await loadRunbook(file, io, loadOptions);
  return runSession(
    {
      runbook,
      mode: flags.sandbox ? "rehearsal" : "live",
      yes: flags.yesAll ? "all" : flags.yes ? "steps" : "none",
      sandbox: flags.sandbox === true,
      keep: false,
      allowPrompts: true,
      selection: selectionOf(flags),
      ...(flags.set ? { set: flags.set } : {}),
      state: stateFlags(flags),
      ...(flags.reporter ? { reporter: flags.reporter } : {}),
      reload: rereader(file, io, loadOptions),
    },
    io,
  );
}
