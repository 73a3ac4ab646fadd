import type { Io } from '../io.js';
import { notBuilt } from './not-built.js';

export async function renderCommand(_target: string[], _flags: Record<string, unknown>, _io: Io): Promise<number> {
  notBuilt('render', 'see the issue tracker');
}
