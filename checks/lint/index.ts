export {
  lintFiles,
  lintWithFixes,
  type LintOptions,
  type LintResult,
} from "./lint-runbooks.js";
export { LintCache, type LintCacheOptions } from "./cache.js";
export { applyFixes, type AppliedFixes } from "./apply-fixes.js";
export { RULE_CATALOG, ruleInfo, type RuleInfo } from "./rule-catalog.js";
export { SHELLCHECK_EXCLUDED } from "./tools/index.js";
export type {
  LintContext,
  LintFix,
  LintRule,
  Snippet,
  ToolFinding,
} from "./types.js";
