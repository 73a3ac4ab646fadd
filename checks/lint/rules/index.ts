import type { LintRule } from '../types.js';
import { checkNotReadOnly } from './check-not-read-only.js';
import { dbChangeWithoutCheck } from './db-change-without-check.js';
import { destructiveShell } from './destructive-shell.js';
import { destructiveSql } from './destructive-sql.js';
import { literalPassword } from './literal-password.js';
import { rawPsqlParam } from './raw-psql-param.js';
import { sentinels } from './sentinels.js';
import { shellSyntax } from './shell-syntax.js';
import { shellVariables } from './shell-variables.js';
import { shellcheckFindings } from './shellcheck.js';
import { sqlSyntax } from './sql-syntax.js';
import { unknownAttribute } from './unknown-attribute.js';
import { unknownDirective } from './unknown-directive.js';

/** Lint's own rules, run after the parser's and the cross-reference checks. */
export const LINT_RULES: readonly LintRule[] = [
  unknownDirective,
  unknownAttribute,
  sqlSyntax,
  shellSyntax,
  shellcheckFindings,
  destructiveSql,
  destructiveShell,
  literalPassword,
  sentinels,
  dbChangeWithoutCheck,
  checkNotReadOnly,
  rawPsqlParam,
  shellVariables,
];
