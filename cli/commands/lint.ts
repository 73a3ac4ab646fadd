import type { Io } from '../io.js';
import { notBuilt } from './not-built.js';

export async function lintCommand(_target: string[], _flags: Record<string, unknown>, _io: Io): Promise<number> {
  notBuilt('lint', 'see the issue tracker');
}
