import type { Role } from '../../protocol/accounts.js';
import type { LanguageCode, LineId, TopicId } from '../../protocol/ids.js';
import type { PublicLine } from '../../protocol/http.js';
import { t } from '../i18n.js';

export const ROLES: readonly Role[] = ['operator', 'supervisor', 'admin'];

/** What an account can be given: every line, and the languages and topics those lines offer. */
export interface Choices {
  lines: Array<{ id: LineId; name: string }>;
  languages: LanguageCode[];
  topics: TopicId[];
}

export function choicesFrom(lines: readonly PublicLine[]): Choices {
  return {
    lines: lines.map((l) => ({ id: l.id, name: l.name })),
    languages: union(lines.map((l) => l.languages)),
    topics: union(lines.map((l) => l.topics)),
  };
}

/**
 * The lines file may have changed since an account was made: what the account holds stays
 * on offer (at the end), so that saving an unrelated change never drops it unseen.
 */
export function withHeld<T extends string>(offered: readonly T[], held: readonly T[]): T[] {
  return union([offered, held]);
}

function union<T>(lists: ReadonlyArray<readonly T[]>): T[] {
  return [...new Set(lists.flat())];
}

export function roleName(role: Role): string {
  return t(`accounts.roles.${role}`);
}
