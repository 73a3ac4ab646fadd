export { isSecretName } from './secret-name.js';
export { createRedactor, MASK, type Redactor } from './redactor.js';
export { MIN_SECRET_LENGTH } from './secret-patterns.js';
export { MAX_SEQUENCE_LENGTH } from './escape-filter.js';
export { createRedactingStream, type RedactingStream, type RedactingStreamOptions } from './redacting-stream.js';
