export {
  renderRunbookMarkdown,
  type RunbookMarkdownOptions,
} from "./runbook-markdown.js";
export {
  renderMarkdownIndex,
  type MarkdownIndexEntry,
} from "./index-markdown.js";
