export {
  scanPsqlVariables,
  substitutePsqlVariables,
  PsqlVariableError,
  type PsqlVarUse,
  type PsqlVarSyntax,
  type SubstituteOptions,
} from './psql-variables.js';
export { quoteIdentifier, quoteLiteral } from './quote.js';
export {
  loadSqlParser,
  parseSql,
  splitStatements,
  splitStatementsSync,
  SqlSyntaxError,
  type ParseSqlOptions,
  type ParseSqlResult,
  type SqlParseError,
  type SqlPosition,
  type SqlStatement,
} from './sql-parser.js';
