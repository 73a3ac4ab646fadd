export { renderRunbookPage, type RunbookPageOptions } from "./runbook-page.js";
export {
  renderIndexPage,
  type IndexEntry,
  type IndexPageOptions,
} from "./index-page.js";
export {
  htmlDocument,
  maskHast,
  CONTENT_SECURITY_POLICY,
  type DocumentOptions,
} from "./document.js";
export {
  buildDocsModel,
  isCode,
  itemAnchor,
  sentinelAnchor,
  stepTraits,
  type DocsModel,
  type SentinelTrace,
  type SentinelUse,
  type StepTraits,
} from "./docs-model.js";
export { createMasker, maskText, MASK, type Masker } from "./masking.js";
export {
  checkClauses,
  checkPolling,
  actionBadges,
  actionKindLabel,
  type Clause,
  type Badge,
} from "./assertions.js";
export {
  parseSectionMarkdown,
  sourceOf,
  type SectionParseOptions,
} from "./markdown-tree.js";
export {
  layoutStepGraph,
  type GraphLayout,
  type NodeBox,
  type EdgePath,
} from "./graph-layout.js";
export { graphSvg } from "./graph-svg.js";
export { maskTree } from "./mask-tree.js";
export { renderReportPage, type ReportPageOptions } from "./report-page.js";
export {
  foldJournal,
  splitLog,
  type RunReport,
  type StepReport,
  type AttemptReport,
  type SessionReport,
} from "./report-model.js";
export type { StepLog } from "./report-steps.js";
export { isLabel, type DirectiveContext } from "./directive-html.js";
export { pageNames } from "./page-names.js";
