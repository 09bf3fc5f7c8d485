import { expect } from 'chai';
import { ManualClock } from '../../../server/clock.js';
import { createLogger } from '../../../server/logging.js';
import { RETRY_DELAYS_MS, TwilioCleanup, twilioRest } from '../../../server/voice/twilio-cleanup.js';
import { settle, until } from '../../support/settle.js';

const account = { accountSid: `AC${'a'.repeat(32)}`, apiKeySid: `SK${'b'.repeat(32)}`, apiKeySecret: 'key-secret', twimlAppSid: `AP${'c'.repeat(32)}` };

interface Sent {
  method: string;
  uri: string;
  username?: string;
  password?: string;
}

/** The twilio library's HTTP seam: records what it would send, answers as Twilio does to a DELETE. */
function recordingHttp(status = 204) {
  const sent: Sent[] = [];
  const client = {
    async request(opts: Sent) {
      sent.push({ method: opts.method, uri: opts.uri, username: opts.username, password: opts.password });
      return { statusCode: status, body: status === 204 ? '' : JSON.stringify({ code: 20404, message: 'not found', status }), headers: {} };
    },
  };
  return { sent, client };
}

describe("Twilio's REST API, through the twilio library", () => {
  it('deletes a queue and a call log with the API key, at their account paths', async () => {
    const { sent, client } = recordingHttp();
    const rest = twilioRest(account, client as never);
    await rest.removeQueue(`QU${'1'.repeat(32)}`);
    await rest.removeCall(`CA${'2'.repeat(32)}`);
    expect(sent.map((s) => [s.method.toUpperCase(), s.uri])).to.deep.equal([
      ['DELETE', `https://api.twilio.com/2010-04-01/Accounts/${account.accountSid}/Queues/QU${'1'.repeat(32)}.json`],
      ['DELETE', `https://api.twilio.com/2010-04-01/Accounts/${account.accountSid}/Calls/CA${'2'.repeat(32)}.json`],
    ]);
    expect(sent.every((s) => s.username === account.apiKeySid && s.password === account.apiKeySecret)).to.equal(true);
  });

  it("rejects with the status Twilio answered, which the clean-up reads (404: already gone)", async () => {
    const { client } = recordingHttp(404);
    const error = await twilioRest(account, client as never).removeQueue(`QU${'1'.repeat(32)}`).catch((e: unknown) => e);
    expect(error).to.have.property('status', 404);
  });
});

describe('The clean-up at Twilio after calls', () => {
  const logger = createLogger({ level: 'silent' });
  const queue = `QU${'3'.repeat(32)}`;

  it('stops at a 404 (already gone), and tries a failure again after each delay, then gives up', async () => {
    const clock = new ManualClock();
    let attempts = 0;
    let answer = 404;
    const rest = {
      removeQueue: async () => {
        attempts++;
        throw Object.assign(new Error('no'), { status: answer });
      },
      removeCall: async () => undefined,
    };
    const cleanup = new TwilioCleanup(rest, clock, logger);
    cleanup.queue(queue);
    await until(async () => attempts === 1, 'the first attempt');
    clock.advance(RETRY_DELAYS_MS.reduce((a, b) => a + b));
    await settle();
    expect(attempts).to.equal(1);

    answer = 503;
    cleanup.queue(queue);
    await until(async () => attempts === 2, 'the first attempt of the second deletion');
    for (const [i, delay] of RETRY_DELAYS_MS.entries()) {
      clock.advance(delay);
      await until(async () => attempts === 3 + i, `retry ${i + 1}`);
    }
    clock.advance(RETRY_DELAYS_MS.at(-1)! * 10);
    await settle();
    expect(attempts).to.equal(2 + RETRY_DELAYS_MS.length);
  });

  it('ignores what is not a queue or call SID', async () => {
    let attempts = 0;
    const count = async () => void attempts++;
    const cleanup = new TwilioCleanup({ removeQueue: count, removeCall: count }, new ManualClock(), logger);
    for (const sid of [undefined, '', 'QU123', '../Calls/CA', `CA${'x'.repeat(32)}`]) {
      cleanup.queue(sid);
      cleanup.call(sid);
    }
    await settle();
    expect(attempts).to.equal(0);
  });
});
