export * from "./location.js";
export * from "./diagnostic.js";
export * from "./errors.js";
export type * from "./runbook.js";
export type * from "./action.js";
export type * from "./check.js";
export { isCodeAction } from "./action.js";
export { plural, pluralNoun } from "./words.js";
export type * from "./outcome.js";
