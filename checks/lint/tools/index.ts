export {
  bashSyntax,
  parseBashErrors,
  type BashSyntaxOptions,
  type ShellText,
  type ToolResults,
} from "./bash-syntax.js";
export {
  shellcheck,
  SHELLCHECK_EXCLUDED,
  type ShellcheckInput,
  type ShellcheckOptions,
} from "./shellcheck.js";
