/**
 * The terminal UI's Ink-free entry: the log pager, which the plain prompt
 * (`renderers/plain`) pages a step's output with too. Importing it loads no
 * React or Ink (index.ts does); another folder imports the pager from here.
 */
export { LogPager, type LogLine, type LogPagerOptions } from "./log-pager.js";
