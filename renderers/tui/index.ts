/**
 * The terminal UI of `runbook run` (SPEC 4), built with Ink and React. Load
 * it with a dynamic import: other commands must not pay for React.
 */
export {
  startTui,
  type StartTuiOptions,
  type TuiSession,
  type TuiInteraction,
} from "./start-tui.js";
export {
  TuiStore,
  type TuiSnapshot,
  type TuiStoreOptions,
  type Prompt,
} from "./tui-store.js";
export { TuiReporter } from "./tui-reporter.js";
export {
  tuiInteraction,
  type TuiInteractionOptions,
} from "./tui-interaction.js";
export { createKeyHandler, type KeyHandlerOptions } from "./key-handler.js";
export { App, type AppProps, type TerminalSize } from "./app.js";
export {
  OutputBuffer,
  type OutputLine,
  type OutputBufferOptions,
} from "./output-buffer.js";
export { highlight } from "./highlight.js";
