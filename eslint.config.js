// Lint for the project's own TypeScript: typescript-eslint's recommended rules
// plus the import boundaries of ARCHITECTURE.md, enforced per folder.
import tseslint from 'typescript-eslint';

const noImport = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'runbooks/**', 'examples/**', 'bench/out/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['engine/model/**'],
    rules: noImport(['**/parse/**', '**/run/**', '**/actions/**', '**/journal/**', '**/sandbox/**', '**/checks/**', '**/renderers/**', '**/cli/**'], 'engine/model imports nothing of ours'),
  },
  {
    files: ['engine/parse/**', 'engine/plan.ts', 'engine/sql/**', 'engine/params/**'],
    rules: noImport(['execa', 'pg', '**/run/**', '**/actions/**', '**/sandbox/**', '**/journal/**', '**/renderers/**', '**/cli/**', 'ink', 'react'], 'parse/plan are pure: no processes, databases, UI or CLI'),
  },
  {
    files: ['checks/**'],
    rules: noImport(['**/engine/run/**', '**/engine/actions/**', '**/engine/sandbox/**', '**/renderers/**', '**/cli/**', 'ink', 'react'], 'checks/ judges; it never executes a runbook'),
  },
  {
    files: ['engine/**'],
    rules: noImport(['**/renderers/**', '**/cli/**', 'ink', 'react'], 'the engine knows nothing of reporters or the CLI'),
  },
  {
    files: ['renderers/**'],
    rules: noImport(['execa', 'pg', 'node:child_process', '**/cli/**'], 'renderers never spawn a process or talk to a database'),
  },
);
