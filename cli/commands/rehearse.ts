import type { Io } from "../io.js";
import { loadRunbook } from "../load.js";
import { runSession } from "../run-session.js";
import { stateFlags } from "../state.js";
import type { RehearseFlags } from "../definitions.js";

/** SPEC 3: the whole runbook, non-interactively, against throwaway clusters that are torn down after. */
export async function rehearseCommand(
  file: string,
  flags: RehearseFlags,
  io: Io,
): Promise<number> {
  const runbook = await loadRunbook(file, io, {
    validate: true,
    sandbox: true,
    mode: "rehearsal",
  });
  return runSession(
    {
      runbook,
      mode: "rehearsal",
      yes: "all",
      sandbox: true,
      keep: flags.keep === true,
      allowPrompts: false,
      selection: {},
      ...(flags.set ? { set: flags.set } : {}),
      state: stateFlags(flags),
      reporter:
        flags.reporter === "tui" || flags.reporter === undefined
          ? "plain"
          : flags.reporter,
    },
    io,
  );
}
