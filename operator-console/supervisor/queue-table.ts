import type { QueueFigures } from '../../protocol/supervisor-messages.js';
import { labelFor, languageName, t } from '../i18n.js';
import { count, percent, wait } from './format.js';
import { LiveTable } from './live-table.js';

/** One queue is one line × language × topic × channel. */
export function queueKey(q: Pick<QueueFigures, 'line' | 'language' | 'topic' | 'channel'>): string {
  return `${q.line}|${q.language}|${q.topic}|${q.channel}`;
}

/** "1712 · Dutch · Violence · Chat": a queue named in words, for announcements. */
export function queueName(q: Pick<QueueFigures, 'line' | 'language' | 'topic' | 'channel'>, lineName: (id: string) => string): string {
  return [lineName(q.line), languageName(q.language), labelFor('topics', q.topic), t(`channel.${q.channel}`)].join(' · ');
}

/**
 * Every queue now and today. A queue over its target says so in words in its own row
 * ("⚠ Over target"), and its row is drawn apart (a thick edge, bold type), not by colour alone.
 */
export function queueTable(lineName: (id: string) => string): LiveTable<QueueFigures> {
  const s = (key: string) => () => t(`supervisor.queues.${key}`);
  return new LiveTable<QueueFigures>({
    caption: s('caption'),
    className: 'queue-table',
    stack: true,
    key: queueKey,
    rowClass: (q) => (q.overTarget ? 'over-target' : ''),
    groups: [
      { label: s('groupQueue'), span: 5, prefix: false },
      { label: s('groupNow'), span: 2 },
      { label: s('groupToday'), span: 4 },
      { label: s('groupOffers'), span: 2 },
      { label: s('groupLastHour'), span: 3 },
    ],
    columns: [
      { header: s('line'), text: (q) => lineName(q.line), rowHeader: true },
      { header: s('language'), text: (q) => languageName(q.language) },
      { header: s('topic'), text: (q) => labelFor('topics', q.topic) },
      { header: s('channel'), text: (q) => t(`channel.${q.channel}`) },
      { header: s('state'), text: (q) => t(q.overTarget ? 'supervisor.queues.overTarget' : 'supervisor.queues.onTarget'), className: 'state' },
      { header: s('waiting'), text: (q) => count(q.waiting), className: 'num' },
      { header: s('longestWait'), text: (q) => wait(q.longestWaitSeconds), className: 'num' },
      { header: s('answered'), text: (q) => count(q.today.answered), className: 'num' },
      { header: s('abandoned'), text: (q) => count(q.today.abandoned), className: 'num' },
      { header: s('shortAbandoned'), text: (q) => count(q.today.shortAbandoned), className: 'num' },
      { header: s('serviceLevel'), text: (q) => percent(q.today.serviceLevel), className: 'num' },
      { header: s('declined'), text: (q) => count(q.today.declined), className: 'num' },
      { header: s('expired'), text: (q) => count(q.today.expired), className: 'num' },
      { header: s('medianWait'), text: (q) => wait(q.lastHour.medianWaitSeconds), className: 'num' },
      { header: s('p90Wait'), text: (q) => wait(q.lastHour.p90WaitSeconds), className: 'num' },
      { header: s('serviceLevel'), text: (q) => percent(q.lastHour.serviceLevel), className: 'num' },
    ],
  });
}
