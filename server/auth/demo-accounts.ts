import { randomBytes } from 'node:crypto';
import type { LinesConfig } from '../config/lines-config.js';
import type { OperatorAccount } from '../accounts/account.js';
import { hashPassword } from './password.js';

/**
 * Accounts for `npm start` without an operators file: one per language family of lines, with
 * random passwords printed once at start and kept only in memory (a restart makes new ones).
 */
export async function demoAccounts(lines: LinesConfig): Promise<{ accounts: OperatorAccount[]; passwords: Map<string, string> }> {
  const of = (family: string, languages: string[]) => {
    const chosen = lines.lines.filter((l) => l.family === family && l.languages.some((x) => languages.includes(x)));
    return { lines: chosen.map((l) => l.id), topics: [...new Set(chosen.flatMap((l) => l.topics))] };
  };
  const specs = [
    { id: 'demo-nl', name: 'An', role: 'operator' as const, languages: ['nl', 'en'], ...of('victim-support', ['nl']) },
    { id: 'demo-fr', name: 'Claire', role: 'operator' as const, languages: ['fr', 'en'], ...of('victim-support', ['fr']) },
    { id: 'demo-de', name: 'Lena', role: 'operator' as const, languages: ['de', 'en'], ...of('victim-support', ['de']) },
    { id: 'demo-prevention', name: 'Sam', role: 'operator' as const, languages: ['fr', 'nl'], ...of('perpetrator-prevention', ['fr', 'nl']) },
    // Sees the supervisor's live view and the export; takes 1712's chats too if set available.
    { id: 'demo-supervisor', name: 'Mira', role: 'supervisor' as const, languages: ['nl', 'en'], ...of('victim-support', ['nl']) },
    // Sees the same, and manages the accounts (add, edit, reset a password, remove).
    { id: 'demo-admin', name: 'Jo', role: 'admin' as const, languages: ['fr', 'en'], ...of('victim-support', ['fr']) },
  ];
  const passwords = new Map<string, string>();
  const accounts = await Promise.all(
    specs.map(async (spec) => {
      const password = randomBytes(12).toString('base64url');
      passwords.set(spec.id, password);
      return { ...spec, capacity: 3, passwordHash: await hashPassword(password) };
    }),
  );
  return { accounts, passwords };
}
