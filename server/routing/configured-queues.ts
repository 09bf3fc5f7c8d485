import type { Channel } from '../../protocol/ids.js';
import type { LinesConfig } from '../config/lines-config.js';

/** A queue by its four ids: what the metrics label, and what an operator is told the size of. */
export interface QueueLabels {
  line: string;
  language: string;
  topic: string;
  channel: Channel;
}

/** A line's queues: each language × topic, for chats, and for calls when the line takes calls (and voice is on). */
export function configuredQueues(lines: LinesConfig, voice: boolean): QueueLabels[] {
  return lines.lines.flatMap((line) =>
    (voice && line.voice ? (['chat', 'call'] as const) : (['chat'] as const)).flatMap((channel) =>
      line.languages.flatMap((language) => line.topics.map((topic) => ({ line: line.id, language, topic, channel }))),
    ),
  );
}
