import { expect } from 'chai';
import { Writable } from 'node:stream';
import { allowListed, createLogger, errorFields, LOG_FIELDS, type Logger } from '../server/logging.js';

/** A logger writing into memory; each line parsed. pino writes synchronously to a plain stream. */
function capture(level?: string): { log: Logger; lines: () => Record<string, unknown>[]; raw: () => string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const log = createLogger({ destination, ...(level ? { level } : {}) });
  const raw = () => chunks.join('');
  const lines = () =>
    raw()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log, lines, raw };
}

describe('logging (privacy invariant 3: logs carry ids and codes, never people)', () => {
  describe('createLogger', () => {
    it('writes allow-listed fields, the level, the time and the fixed message', () => {
      const { log, lines } = capture();
      log.info({ event: 'ticket.created', ticket: 't1', line: '1712', topic: 'violence' }, 'ticket created');
      const [line] = lines();
      expect(line).to.deep.include({ level: 30, event: 'ticket.created', ticket: 't1', line: '1712', msg: 'ticket created' });
      expect(line, 'a contact\'s topic is never logged').to.not.have.property('topic');
      expect(line!.time).to.be.a('number');
    });

    it('drops fields outside LOG_FIELDS: address, user agent, body, message text', () => {
      const { log, lines, raw } = capture();
      log.info(
        {
          event: 'visitor.failed',
          ip: '203.0.113.7',
          userAgent: 'Mozilla/5.0 (secret agent)',
          body: 'ik word thuis geslagen',
          text: 'mijn naam is Eva',
          phone: '+32 470 12 34 56',
          ticket: 't1',
        },
        'visitor message failed',
      );
      expect(Object.keys(lines()[0]!).sort()).to.deep.equal(['event', 'level', 'msg', 'ticket', 'time']);
      for (const secret of ['203.0.113.7', 'secret agent', 'geslagen', 'Eva', '470']) expect(raw()).to.not.include(secret);
    });

    it('drops objects and arrays even under an allow-listed name', () => {
      const { log, lines, raw } = capture();
      log.info({ event: 'x', ticket: { id: 't1', visitorKey: 'k' }, reason: ['a', 'b'], count: 2 }, 'fixed');
      expect(lines()[0]).to.not.have.any.keys('ticket', 'reason');
      expect(lines()[0]).to.include({ count: 2 });
      expect(raw()).to.not.include('visitorKey');
    });

    it('keeps null, numbers and booleans under allow-listed names', () => {
      const { log, lines } = capture();
      log.info({ event: 'x', reason: null, count: 0, durationMs: 12.5, status: true }, 'fixed');
      expect(lines()[0]).to.deep.include({ reason: null, count: 0, durationMs: 12.5, status: true });
    });

    it('drops an error passed as a field, with its message and stack', () => {
      const { log, lines, raw } = capture();
      log.error({ event: 'http.failed', err: new Error('bad input: Eva, 0470 12 34 56') }, 'request failed');
      expect(lines()[0]).to.not.have.property('err');
      expect(raw()).to.not.include('Eva').and.not.include('at ');
    });

    it('writes no pid, hostname or other machine details', () => {
      const { log, lines } = capture();
      log.info({ event: 'listening', port: 8080 }, 'listening');
      expect(lines()[0]).to.not.have.any.keys('pid', 'hostname');
    });

    it('cannot be made to overwrite level, time or message through the fields', () => {
      const { log, lines } = capture();
      log.info({ event: 'x', level: 'secret-level', time: 'secret-time', msg: 'secret-msg' } as Record<string, unknown>, 'fixed');
      expect(lines()[0]).to.deep.include({ level: 30, msg: 'fixed' });
      expect(lines()[0]!.time).to.be.a('number');
    });

    it('honours the level it is given', () => {
      const { log, lines } = capture('warn');
      log.info({ event: 'quiet' }, 'not written');
      log.warn({ event: 'loud' }, 'written');
      expect(lines().map((l) => l.event)).to.deep.equal(['loud']);
    });

    it('logs at info by default', () => {
      const { log, lines } = capture();
      log.debug({ event: 'debug' }, 'not written');
      expect(lines()).to.deep.equal([]);
    });
  });

  describe('messages are fixed strings (the logMethod hook)', () => {
    it('never interpolates values into a message given alone', () => {
      const { log, lines, raw } = capture();
      (log.info as (...args: unknown[]) => void)('visitor said %s', 'ik ben bang');
      expect(lines()[0]).to.include({ msg: 'visitor said %s' });
      expect(raw()).to.not.include('bang');
    });

    it('never interpolates values into a message given after fields', () => {
      const { log, lines, raw } = capture();
      (log.info as (...args: unknown[]) => void)({ event: 'x' }, 'from %s, %d bytes', '203.0.113.7', 42);
      expect(lines()[0]).to.include({ event: 'x', msg: 'from %s, %d bytes' });
      expect(raw()).to.not.include('203.0.113.7');
    });

    it('writes an empty message when the second argument is not a string', () => {
      const { log, lines, raw } = capture();
      (log.info as (...args: unknown[]) => void)({ event: 'x' }, { body: 'hidden' });
      (log.info as (...args: unknown[]) => void)({ event: 'y' }, 1712);
      expect(lines().map((l) => l.msg)).to.deep.equal(['', '']);
      expect(raw()).to.not.include('hidden').and.not.include('1712');
    });

    it('writes an empty message when the only argument is not a string or object', () => {
      const { log, lines } = capture();
      (log.info as (...args: unknown[]) => void)(1712);
      (log.info as (...args: unknown[]) => void)(undefined);
      expect(lines().map((l) => l.msg)).to.deep.equal(['', '']);
    });

    it('does not turn an error passed alone into its message', () => {
      const { log, lines, raw } = capture();
      (log.error as (...args: unknown[]) => void)(new Error('could not parse "mijn naam is Eva"'));
      expect(lines()[0]).to.include({ msg: '' });
      expect(raw()).to.not.include('Eva');
    });

    it('does not take a message from a msg field', () => {
      const { log, lines } = capture();
      log.info({ msg: 'mijn naam is Eva' });
      expect(lines()[0]).to.include({ msg: '' });
    });
  });

  // Once a bug: pino's child() bindings go through formatters.bindings, not
  // formatters.log, so logger.child({ ip }) writes the address on every line. No code calls
  // child() today; the allow-list should cover it before anyone does.
  it('drops fields outside LOG_FIELDS from child logger bindings too', () => {
    const { log, raw } = capture();
    log.child({ ip: '203.0.113.7' }).info({ event: 'x' }, 'fixed');
    expect(raw()).to.not.include('203.0.113.7');
  });

  describe('allowListed', () => {
    it('keeps exactly the LOG_FIELDS with scalar values', () => {
      const all = Object.fromEntries([...LOG_FIELDS].map((k) => [k, 'v']));
      expect(allowListed({ ...all, ip: 'x', headers: 'y' })).to.deep.equal(all);
    });

    it('names no field that could hold a person, an address or content', () => {
      for (const risky of ['ip', 'address', 'userAgent', 'headers', 'body', 'text', 'message', 'data', 'name', 'phone', 'email', 'err', 'error', 'stack', 'url', 'cookie', 'token', 'key']) {
        expect(LOG_FIELDS.has(risky), risky).to.equal(false);
      }
    });
  });

  describe('errorFields', () => {
    it('describes an error by name and code only, never by message', () => {
      const error = Object.assign(new TypeError('bad input: Eva'), { code: 'ERR_BAD' });
      expect(errorFields(error)).to.deep.equal({ errName: 'TypeError', errCode: 'ERR_BAD' });
    });

    it('leaves out a code that is not a string', () => {
      expect(errorFields(Object.assign(new Error('x'), { code: 42 }))).to.deep.equal({ errName: 'Error' });
    });

    it('describes anything thrown, even a string or nothing', () => {
      expect(errorFields('Eva')).to.deep.equal({ errName: 'Error' });
      expect(errorFields(undefined)).to.deep.equal({ errName: 'Error' });
      expect(errorFields(null)).to.deep.equal({ errName: 'Error' });
    });
  });
});
