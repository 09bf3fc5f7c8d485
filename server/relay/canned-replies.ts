import type { CannedReply } from '../../protocol/operator-messages.js';
import type { OperatorAccount } from '../accounts/account.js';
import type { LinesConfig } from '../config/lines-config.js';

/** The canned replies of the lines and languages an operator serves, in the lines file's order. */
export function cannedRepliesFor(lines: LinesConfig, account: Pick<OperatorAccount, 'lines' | 'languages'>): CannedReply[] {
  return lines.lines
    .filter((line) => account.lines.includes(line.id))
    .flatMap((line) =>
      Object.entries(line.cannedReplies ?? {})
        .filter(([language]) => account.languages.includes(language))
        .flatMap(([language, replies]) => replies.map(({ title, text }) => ({ line: line.id, language, title, text }))),
    );
}
