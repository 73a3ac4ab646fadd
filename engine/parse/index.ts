export {
  parseRunbook,
  parseRunbookFile,
  type ParseOptions,
  type ParseResult,
} from "./parse-runbook.js";
export { validateRunbook, type ValidateOptions } from "./validate.js";
export { validateCheckSql } from "./validate-checks.js";
export {
  parseDuration,
  readDuration,
  MAX_DURATION_MS,
  type DurationResult,
} from "./durations.js";
export {
  parseCodeAttributes,
  isRunmeAttribute,
  type AttributeResult,
  type InfoComment,
} from "./attributes.js";
export { suggest } from "./suggest.js";
export { cutSections, normalizeSource, type Chunk } from "./source.js";
export { parseChunk, restoreTextDirectives } from "./markdown.js";
export { buildGraph, type Graph, type GraphNode } from "./graph.js";
export {
  DIRECTIVE_ATTRIBUTES,
  CODE_ATTRIBUTES,
  RUNBOOK_DIRECTIVES,
  ADMONITIONS,
} from "./directives.js";
export {
  AttributeReader,
  readExecOptions,
  type AttributeReaderOptions,
} from "./options.js";
export {
  expandPaths,
  displayPath,
  type ExpandedPaths,
} from "./markdown-files.js";
