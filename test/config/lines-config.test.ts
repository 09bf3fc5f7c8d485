import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadLinesConfig, parseLinesConfig, type LinesConfig } from '../../server/config/lines-config.js';
import { parseOrigins, readSettings } from '../../server/config/settings.js';

const DEFAULT_LINES = fileURLToPath(new URL('../../config/lines.json', import.meta.url));

async function defaultRaw(): Promise<any> {
  return JSON.parse(await readFile(DEFAULT_LINES, 'utf8'));
}

/** The ConfigError message for the default file changed by `edit`. */
async function errorFor(edit: (raw: any) => void): Promise<string> {
  const raw = await defaultRaw();
  edit(raw);
  try {
    parseLinesConfig(raw);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  return expect.fail('expected a ConfigError');
}

function lineIndex(raw: any, id: string): number {
  const i = raw.lines.findIndex((l: { id: string }) => l.id === id);
  expect(i, `line ${id} in the default config`).to.be.at.least(0);
  return i;
}

function crossFamilyAlternatives(config: LinesConfig): string[] {
  const family = new Map(config.lines.map((l) => [l.id, l.family]));
  return config.lines.flatMap((line) =>
    line.alternatives
      .filter((alt) => alt.kind === 'line' && family.get(alt.line) !== line.family)
      .map((alt) => `${line.id} → ${alt.kind === 'line' ? alt.line : ''}`),
  );
}

describe('lines config', () => {
  describe('the default config/lines.json', () => {
    let config: LinesConfig;
    before(async () => {
      config = await loadLinesConfig(DEFAULT_LINES);
    });

    it('loads', () => {
      expect(config.lines.length).to.be.greaterThan(0);
      expect(config.emergency).to.equal('112');
    });

    it('gives every line a time zone, the file\'s unless the line names its own', () => {
      for (const line of config.lines) expect(line.timezone).to.equal('Europe/Brussels');
    });

    it('never points a line at a line of the other family', () => {
      expect(crossFamilyAlternatives(config)).to.deep.equal([]);
    });

    it('keeps victim-support and perpetrator-prevention lines apart from each other', () => {
      const families = new Set(config.lines.map((l) => l.family));
      expect([...families].sort()).to.deep.equal(['perpetrator-prevention', 'victim-support']);
    });

    it('leaves out the $comment', () => {
      expect(config).to.not.have.property('$comment');
    });
  });

  describe('a bad config stops with a ConfigError that names the bad key', () => {
    it('a bad time in hours', async () => {
      const message = await errorFor((raw) => (raw.lines[0].hours[0].from = '9:00'));
      expect(message).to.include('lines[0].hours[0].from');
    });

    it('a time past 24:00', async () => {
      const message = await errorFor((raw) => (raw.lines[0].hours[0].to = '24:30'));
      expect(message).to.include('lines[0].hours[0].to');
    });

    it('hours that end before they start', async () => {
      const message = await errorFor((raw) => (raw.lines[0].hours[0].from = '23:00'));
      expect(message).to.include('lines[0].hours[0].to');
    });

    it('a weekday outside 1 (Monday) … 7 (Sunday)', async () => {
      expect(await errorFor((raw) => (raw.lines[0].hours[0].days = [0]))).to.include('lines[0].hours[0].days[0]');
      expect(await errorFor((raw) => (raw.lines[0].hours[0].days = [1, 8]))).to.include('lines[0].hours[0].days[1]');
    });

    it('an unknown topic', async () => {
      const message = await errorFor((raw) => raw.lines[2].topics.push('tax-advice'));
      expect(message).to.include('lines[2].topics[1]').and.include('tax-advice');
    });

    it('canned replies in a language the line does not offer, or without a text', async () => {
      const wrong = await errorFor((raw) => (raw.lines[0].cannedReplies = { de: [{ title: 'Hallo', text: 'Guten Tag' }] }));
      expect(wrong).to.include('lines[0].cannedReplies.de').and.include('not a language of this line');
      const empty = await errorFor((raw) => (raw.lines[0].cannedReplies = { nl: [{ title: 'Leeg', text: '' }] }));
      expect(empty).to.include('lines[0].cannedReplies.nl[0].text');
    });

    it('a duplicate line id', async () => {
      const message = await errorFor((raw) => (raw.lines[3].id = raw.lines[1].id));
      expect(message).to.include('lines[3].id').and.include(`"ecoute-violences-conjugales"`);
    });

    it('an unknown alternative line', async () => {
      const message = await errorFor((raw) => raw.lines[0].alternatives.push({ kind: 'line', line: 'no-such-line' }));
      expect(message).to.include('lines[0].alternatives[1].line').and.include('no-such-line');
    });

    it('a victim-support line pointing at a perpetrator-prevention line', async () => {
      let i = -1;
      const message = await errorFor((raw) => {
        i = lineIndex(raw, 'sos-viol');
        raw.lines[i].alternatives = [{ kind: 'line', line: 'stop-it-now' }];
      });
      expect(message).to.include(`lines[${i}].alternatives[0].line`).and.include('stop-it-now');
    });

    it('a perpetrator-prevention line pointing at a victim-support line', async () => {
      let i = -1;
      const message = await errorFor((raw) => {
        i = lineIndex(raw, 'seos');
        raw.lines[i].alternatives.push({ kind: 'line', line: '1712' });
      });
      expect(message).to.include(`lines[${i}].alternatives[1].line`).and.include('1712');
    });

    it('an unknown time zone for the file', async () => {
      const message = await errorFor((raw) => (raw.timezone = 'Europe/Brusels'));
      expect(message).to.match(/: timezone: /).and.include('Europe/Brusels');
    });

    it('an unknown time zone for one line', async () => {
      const message = await errorFor((raw) => (raw.lines[1].timezone = 'Mars/Olympus_Mons'));
      expect(message).to.include('lines[1].timezone').and.include('Mars/Olympus_Mons');
    });

    it('an unknown extra key at the top', async () => {
      const message = await errorFor((raw) => (raw.colour = 'blue'));
      expect(message).to.include('colour');
    });

    it('an unknown extra key in a line', async () => {
      const message = await errorFor((raw) => (raw.lines[4].colour = 'blue'));
      expect(message).to.include('lines[4]').and.include('colour');
    });

    it('an unknown extra key in an alternative', async () => {
      const message = await errorFor((raw) => (raw.lines[0].alternatives[0].url = 'https://example.org'));
      expect(message).to.include('lines[0].alternatives[0]').and.include('url');
    });

    it('a holiday that is not a date', async () => {
      const message = await errorFor((raw) => raw.holidays.push('25/12/2026'));
      expect(message).to.include('holidays[2]');
    });

    it('a missing key', async () => {
      const message = await errorFor((raw) => delete raw.lines[0].family);
      expect(message).to.include('lines[0].family');
    });

    it('a line id that could not travel on the wire', async () => {
      const message = await errorFor((raw) => (raw.lines[0].id = 'één lijn'));
      expect(message).to.include('lines[0].id');
    });

    it('names the file it read', async () => {
      const raw = await defaultRaw();
      raw.lines[0].hours[0].from = 'noon';
      expect(() => parseLinesConfig(raw, 'config/custom.json')).to.throw(ConfigError, /^config\/custom\.json: lines\[0\]\.hours\[0\]\.from: /);
    });
  });

  describe('when alternatives are shown to a waiting visitor', () => {
    it('defaults to 300 seconds for every line when the file does not say', async () => {
      const raw = await defaultRaw();
      delete raw.alternativesAfterSeconds;
      for (const line of parseLinesConfig(raw).lines) expect(line.alternativesAfterSeconds, line.id).to.equal(300);
    });

    it("takes the file's alternativesAfterSeconds for every line without its own", async () => {
      const raw = await defaultRaw();
      raw.alternativesAfterSeconds = 600;
      raw.lines[lineIndex(raw, 'sos-viol')].alternativesAfterSeconds = 120;
      const byId = new Map(parseLinesConfig(raw).lines.map((l) => [l.id, l.alternativesAfterSeconds]));
      expect(byId.get('sos-viol')).to.equal(120);
      expect(byId.get('1712')).to.equal(600);
    });

    it('accepts 0: show them as soon as any wait is estimated', async () => {
      const raw = await defaultRaw();
      raw.lines[0].alternativesAfterSeconds = 0;
      expect(parseLinesConfig(raw).lines[0]!.alternativesAfterSeconds).to.equal(0);
    });

    for (const [value, why] of [[-1, 'negative'], [90.5, 'not whole'], ['300', 'a string'], [86_401, 'longer than a day']] as const) {
      it(`refuses a value that is ${why}, naming the key`, async () => {
        expect(await errorFor((raw) => (raw.lines[2].alternativesAfterSeconds = value))).to.include('lines[2].alternativesAfterSeconds');
        expect(await errorFor((raw) => (raw.alternativesAfterSeconds = value))).to.match(/^lines config: alternativesAfterSeconds: /);
      });
    }
  });

  describe('loadLinesConfig', () => {
    it('stops with a ConfigError naming a file it cannot read', async () => {
      const path = fileURLToPath(new URL('./no-such-lines.json', import.meta.url));
      const error = await loadLinesConfig(path).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as Error).message).to.include(path).and.include('ENOENT');
    });

    it('stops with a ConfigError on a file that is not JSON', async () => {
      // This test file itself is a readable file that is not JSON.
      const path = fileURLToPath(import.meta.url);
      const error = await loadLinesConfig(path).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as Error).message).to.include('not valid JSON');
    });
  });
});

describe('readSettings', () => {
  it('has a default for every setting', () => {
    expect(readSettings({})).to.deep.equal({
      PORT: 8080,
      HOST: '127.0.0.1',
      ALLOWED_ORIGINS: '',
      QUIETLINE_LINES: 'config/lines.json',
      QUIETLINE_OPERATORS: 'config/operators.json',
      QUIETLINE_ORG_PUBLIC_KEY: 'config/org-public-key.txt',
      OFFER_TIMEOUT_SECONDS: 30,
      OFFERS_MISSED_BEFORE_AWAY: 3,
      RECONNECT_GRACE_SECONDS: 120,
      REDIS_KEY_PREFIX: 'ql',
      DRAIN_SECONDS: 20,
      CHAT_MAX_HOURS: 12,
      SESSION_IDLE_MINUTES: 30,
      SESSION_MAX_HOURS: 12,
      QUIETLINE_IGNORE_HOURS: false,
      COOKIE_SECURE: true,
      TRUST_PROXY_HOPS: 0,
      OPEN_CHATS_PER_ADDRESS: 40,
      NEW_CHATS_PER_ADDRESS_PER_TEN_MINUTES: 100,
      UPGRADES_PER_ADDRESS_PER_MINUTE: 300,
      MESSAGES_PER_SOCKET_PER_TEN_SECONDS: 30,
      CALL_CAPACITY_RULE: 'blocks-new',
      VOICE_ANNOUNCE_EVERY_SECONDS: 30,
      VOICE_OVERFLOW_AFTER_SECONDS: 600,
      VOICE_TOKEN_TTL_SECONDS: 3600,
      METRICS_HOST: '127.0.0.1',
      STATS_RETENTION_DAYS: 400,
      SHORT_ABANDON_SECONDS: 5,
      LOG_LEVEL: 'info',
    });
  });

  it('reads numbers and flags from their environment strings', () => {
    const settings = readSettings({ PORT: '3000', COOKIE_SECURE: '0', QUIETLINE_IGNORE_HOURS: 'true', TRUST_PROXY_HOPS: '1' });
    expect(settings).to.deep.include({ PORT: 3000, COOKIE_SECURE: false, QUIETLINE_IGNORE_HOURS: true, TRUST_PROXY_HOPS: 1 });
  });

  it('ignores environment variables it does not know', () => {
    expect(readSettings({ HOME: '/root', PATH: '/bin' })).to.not.have.property('HOME');
  });

  for (const port of ['abc', '70000', '-1', '80.5']) {
    it(`stops with a ConfigError naming PORT for PORT=${port}`, () => {
      expect(() => readSettings({ PORT: port })).to.throw(ConfigError, /^environment: PORT: /);
    });
  }

  // Once a bug: z.coerce.number() reads '' as 0, so `PORT=` silently listens on a random port.
  it('stops on an empty PORT instead of listening on a random port', () => {
    expect(() => readSettings({ PORT: '' })).to.throw(ConfigError, /PORT/);
  });

  it('names the bad setting for a flag that is not 0, 1, true or false', () => {
    expect(() => readSettings({ COOKIE_SECURE: 'yes' })).to.throw(ConfigError, /^environment: COOKIE_SECURE: /);
  });

  it('refuses a zero timeout', () => {
    expect(() => readSettings({ OFFER_TIMEOUT_SECONDS: '0' })).to.throw(ConfigError, /OFFER_TIMEOUT_SECONDS/);
  });

  it('refuses an unknown log level', () => {
    expect(() => readSettings({ LOG_LEVEL: 'verbose' })).to.throw(ConfigError, /LOG_LEVEL/);
  });
});

describe('parseOrigins', () => {
  it('reads a comma-separated list of origins, trimming spaces and empty entries', () => {
    expect(parseOrigins(' https://www.1712.be, https://sosviol.be:8443 ,,')).to.deep.equal([
      'https://www.1712.be',
      'https://sosviol.be:8443',
    ]);
  });

  it('reduces a URL to its origin', () => {
    expect(parseOrigins('https://www.1712.be/chat?x=1')).to.deep.equal(['https://www.1712.be']);
  });

  it('allows nothing extra when the list is empty', () => {
    expect(parseOrigins('')).to.deep.equal([]);
  });

  for (const junk of ['example.org', 'not an origin', 'https://', '//example.org']) {
    it(`stops with a ConfigError naming ALLOWED_ORIGINS for "${junk}"`, () => {
      expect(() => parseOrigins(junk)).to.throw(ConfigError, /ALLOWED_ORIGINS/);
    });
  }

  // Once a bug: new URL('localhost:8080').origin is the string "null", so a typo in
  // ALLOWED_ORIGINS lets visitor sockets with `Origin: null` (sandboxed frames, file: pages) in.
  for (const junk of ['localhost:8080', 'javascript:alert(1)', 'file:///tmp/x.html', 'mailto:ops@1712.be']) {
    it(`stops on "${junk}", whose origin is opaque`, () => {
      expect(() => parseOrigins(junk)).to.throw(ConfigError, /ALLOWED_ORIGINS/);
    });
  }
});
