import type { LintRule } from "../types.js";
import { assignmentsOnly } from "./assignments-only.js";
import { checkNotReadOnly } from "./check-not-read-only.js";
import { checkReadOnly } from "./check-read-only.js";
import { dbChangeWithoutCheck } from "./db-change-without-check.js";
import { destructiveShell } from "./destructive-shell.js";
import { destructiveSql } from "./destructive-sql.js";
import { fenceComment } from "./fence-comment.js";
import { literalPassword } from "./literal-password.js";
import { paramValues } from "./param-values.js";
import { pastedSession } from "./pasted-session.js";
import { placeholder } from "./placeholder.js";
import { rawPsqlParam } from "./raw-psql-param.js";
import { rehearsalPath } from "./rehearsal-path.js";
import { sentinels } from "./sentinels.js";
import { shellSyntax } from "./shell-syntax.js";
import { shellVariables } from "./shell-variables.js";
import { shellcheckFindings } from "./shellcheck.js";
import { sqlSyntax } from "./sql-syntax.js";
import { unknownDirective } from "./unknown-directive.js";
import { unlabelledShell } from "./unlabelled-shell.js";
import { variableNotShared } from "./variable-not-shared.js";

/** Lint's own rules, run after the parser's and the cross-reference checks. */
export const LINT_RULES: readonly LintRule[] = [
  unknownDirective,
  fenceComment,
  pastedSession,
  placeholder,
  assignmentsOnly,
  sqlSyntax,
  shellSyntax,
  shellcheckFindings,
  destructiveSql,
  destructiveShell,
  literalPassword,
  sentinels,
  dbChangeWithoutCheck,
  checkReadOnly,
  checkNotReadOnly,
  rawPsqlParam,
  rehearsalPath,
  paramValues,
  shellVariables,
  variableNotShared,
  unlabelledShell,
];
