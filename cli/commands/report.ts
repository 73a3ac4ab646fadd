import type { Io } from '../io.js';
import { notBuilt } from './not-built.js';

export async function reportCommand(_target: string, _flags: Record<string, unknown>, _io: Io): Promise<number> {
  notBuilt('report', 'see the issue tracker');
}
