import { render, type Instance } from "ink";
import type { Runbook } from "../../engine/model/index.js";
import type { ResolvedParam } from "../../engine/params/index.js";
import type {
  Interaction,
  Interrupter,
  Reporter,
} from "../../engine/run/index.js";
import { PlainReporter, promptInteraction } from "../plain/index.js";
import { colorEnabled, createStyle } from "../style.js";
import { App } from "./app.js";
import { createKeyHandler } from "./key-handler.js";
import { TuiReporter } from "./tui-reporter.js";
import { tuiInteraction } from "./tui-interaction.js";
import { TuiStore } from "./tui-store.js";

/** The UI's interaction always knows how to step aside for an `interactive` block. */
export type TuiInteraction = Interaction &
  Required<Pick<Interaction, "beforeInteractive" | "afterInteractive">>;

export interface TuiSession {
  readonly reporter: Reporter;
  /** Asks on screen. Under `--yes=all` use `automatic()` with this one's `beforeInteractive`/`afterInteractive`. */
  readonly interaction: TuiInteraction;
  /** Unmounts the UI (if the run did not end it) and gives the terminal back. */
  close(): Promise<void>;
}

export interface StartTuiOptions {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Ctrl-C: the first stops the running step, the second quits. */
  readonly interrupter: Interrupter;
  readonly runbook: Runbook;
  /** Params already resolved: the code on screen shows their values (secrets masked). */
  readonly params?: ReadonlyMap<string, ResolvedParam>;
  /** Where runbook was started: paths on screen are relative to it. */
  readonly cwd?: string;
  /**
   * `runbook follow`: the run is driven elsewhere. The key bar offers only
   * what works here (look at steps, help, stop following); Ctrl-C and `q`
   * stop following at once. @default false
   */
  readonly readOnly?: boolean;
}

/**
 * Starts the full-screen UI for `runbook run` (SPEC 4): a reporter that draws
 * the run and an interaction that asks on screen. The UI reads keys in raw
 * mode and handles Ctrl-C itself. When the terminal cannot host it (stdin or
 * stdout not a TTY, TERM=dumb) the plain line reporter and prompts stand in.
 */
export function startTui(options: StartTuiOptions): TuiSession {
  const { stdin, stdout, env } = options;
  const color = colorEnabled(stdout, env);
  if (!stdin.isTTY || !stdout.isTTY || env["TERM"] === "dumb") {
    const style = createStyle(color);
    // Line prompts leave the terminal in its normal mode: an interactive block needs nothing from them.
    const interaction = {
      ...promptInteraction({ stdin, stdout }, style),
      beforeInteractive: async () => {},
      afterInteractive: async () => {},
    };
    return {
      reporter: new PlainReporter(stdout, style, { runbook: options.runbook }),
      interaction,
      close: async () => {},
    };
  }

  const store = new TuiStore({
    runbook: options.runbook,
    ...(options.params ? { params: options.params } : {}),
    readOnly: options.readOnly === true,
  });
  const onKey = createKeyHandler({ store, interrupter: options.interrupter });
  let instance: Instance | undefined;
  const mount = (): void => {
    instance = render(
      <App
        store={store}
        onKey={onKey}
        color={color}
        {...(options.cwd !== undefined ? { cwd: options.cwd } : {})}
      />,
      {
        stdin,
        stdout,
        exitOnCtrlC: false,
        patchConsole: false,
        maxFps: 20,
      },
    );
  };
  const unmount = async (
    how: { readonly clear?: boolean } = {},
  ): Promise<void> => {
    const current = instance;
    if (!current) return;
    instance = undefined;
    // Let React commit the last snapshot, so the frame left on screen is the latest one.
    await new Promise((resolve) => setImmediate(resolve));
    if (how.clear) current.clear();
    current.unmount();
    await current.waitUntilExit().catch(() => undefined);
  };
  let ending: Promise<void> | undefined;
  store.onEnd = () => {
    ending = unmount().finally(() => store.close());
  };

  const interaction = tuiInteraction(store, {
    stepAside: async () => {
      store.flush();
      await unmount();
      // Ink leaves stdin readable but unread: stop reading, or the first keys meant for the block would be ours.
      stdin.pause();
    },
    comeBack: async () => {
      mount();
    },
  });
  mount();
  return {
    reporter: new TuiReporter(store),
    interaction,
    close: async () => {
      // Without a summary to leave (the run never started, or failed to), the screen is cleared for the error that follows.
      if (ending) await ending;
      else await unmount({ clear: true });
      stdin.pause();
      store.close();
    },
  };
}
