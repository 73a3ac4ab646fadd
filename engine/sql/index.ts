export {
  scanPsqlVariables,
  substitutePsqlVariables,
  PsqlVariableError,
  type PsqlVarUse,
  type PsqlVarSyntax,
  type SubstituteOptions,
} from "./psql-variables.js";
export { quoteIdentifier, quoteLiteral } from "./quote.js";
export {
  loadSqlParser,
  sqlParserLoaded,
  parseSql,
  sqlLocator,
  splitStatements,
  splitStatementsSync,
  SqlSyntaxError,
  type ParseSqlOptions,
  type ParseSqlResult,
  type SqlParseError,
  type SqlPosition,
  type SqlStatement,
} from "./sql-parser.js";
export { readOnlyViolation, type ReadOnlyViolation } from "./read-only.js";
export { changesSomething, sideEffectOf } from "./side-effects.js";
export {
  prepareReadOnlyStatements,
  runReadOnlyCheck,
  ReadOnlyCheckError,
  type CheckRows,
  type ReadOnlyCheckOptions,
  type ReadOnlyClient,
} from "./read-only-check.js";
export {
  booleanValue,
  defElems,
  functionName,
  isNode,
  relationName,
  roleSpecName,
  statementBody,
  statementType,
  stringList,
  stringValue,
  visitNodes,
  type Node,
} from "./parse-tree.js";
