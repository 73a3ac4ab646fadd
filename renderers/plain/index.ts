/** The plain reporter and prompts (SPEC 4, no terminal UI): no Ink, no React. */
export { PlainReporter, type PlainReporterOptions } from "./plain-reporter.js";
export { promptInteraction, type PromptIo } from "./prompt-interaction.js";
