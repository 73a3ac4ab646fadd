export { isSecretName } from "./secret-name.js";
export { createRedactor, MASK, type Redactor } from "./redactor.js";
export { MIN_SECRET_LENGTH } from "./secret-patterns.js";
export { MAX_SEQUENCE_LENGTH, stripEscapes } from "./escape-filter.js";
export {
  createRedactingStream,
  type RedactingStream,
  type RedactingStreamOptions,
} from "./redacting-stream.js";
export {
  createOutputRedactor,
  type OutputRedactor,
  type OutputRedactorOptions,
  type OutputPiece,
  type OutputStreamName,
} from "./output-redactor.js";
export { redactFields } from "./redact-fields.js";
