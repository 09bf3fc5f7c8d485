import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ConfigError, parseLinesConfig } from '../../server/config/lines-config.js';
import { readSettings } from '../../server/config/settings.js';
import { DEMO_VOICE_AUTH_TOKEN } from '../../server/voice/demo-token.js';
import { readVoiceConfig } from '../../server/voice/voice-config.js';

const full = {
  TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'auth-token',
  TWILIO_API_KEY_SID: `SK${'b'.repeat(32)}`,
  TWILIO_API_KEY_SECRET: 'secret',
  TWILIO_TWIML_APP_SID: `AP${'c'.repeat(32)}`,
  PUBLIC_BASE_URL: 'https://chat.example.org/',
};
const read = (env: Record<string, string>, demo = false) => readVoiceConfig(readSettings(env), demo, 'http://localhost:8080');

describe('Voice configuration', () => {
  it('is off without any Twilio setting outside the demo, so everything else runs', () => {
    expect(read({})).to.equal(null);
  });

  it('is simulated in the demo, signed with the demo token, on the local address', () => {
    expect(read({}, true)).to.include({ mode: 'simulated', authToken: DEMO_VOICE_AUTH_TOKEN, publicBaseUrl: 'http://localhost:8080', account: null });
  });

  it('is on with all five Twilio settings and the public base URL, which loses its trailing slash', () => {
    const voice = read(full)!;
    expect(voice).to.include({ mode: 'twilio', authToken: 'auth-token', publicBaseUrl: 'https://chat.example.org', tokenTtlSeconds: 3600 });
    expect(voice.account).to.deep.equal({ accountSid: full.TWILIO_ACCOUNT_SID, apiKeySid: full.TWILIO_API_KEY_SID, apiKeySecret: 'secret', twimlAppSid: full.TWILIO_TWIML_APP_SID });
  });

  for (const missing of Object.keys(full)) {
    it(`stops start-up naming ${missing} when the rest of voice is configured`, () => {
      const env: Record<string, string> = { ...full };
      delete env[missing];
      expect(() => read(env)).to.throw(ConfigError, new RegExp(`^environment: ${missing}: required for phone calls`));
    });
  }

  it('refuses a plain-http public URL outside the demo, and a token that would live over an hour', () => {
    expect(() => read({ ...full, PUBLIC_BASE_URL: 'http://chat.example.org' })).to.throw(ConfigError, /PUBLIC_BASE_URL: must be https/);
    expect(() => read({ ...full, VOICE_TOKEN_TTL_SECONDS: '7200' })).to.throw(ConfigError, /VOICE_TOKEN_TTL_SECONDS/);
    expect(() => read({ ...full, CALL_CAPACITY_RULE: 'two-calls' })).to.throw(ConfigError, /CALL_CAPACITY_RULE/);
  });
});

describe("Lines' phone numbers", () => {
  const file = () => JSON.parse(readFileSync(new URL('../../config/lines.json', import.meta.url), 'utf8')) as {
    lines: { id: string; voice?: { numbers: string[]; overflow?: { name: string; number: string } } }[];
  };

  it('maps each of the default lines to a number of its own', () => {
    const config = parseLinesConfig(file());
    const numbers = config.lines.map((l) => l.voice?.numbers[0]);
    expect(new Set(numbers).size).to.equal(config.lines.length);
  });

  it('refuses a number that reaches two lines, naming where', () => {
    const raw = file();
    raw.lines[1]!.voice = { numbers: [raw.lines[0]!.voice!.numbers[0]!] };
    expect(() => parseLinesConfig(raw)).to.throw(ConfigError, /lines\[1\]\.voice\.numbers\[0\]: \+\d+ already reaches line "1712"/);
  });

  it('refuses a number that is not in E.164 form, and an overflow without a number', () => {
    const raw = file();
    raw.lines[0]!.voice = { numbers: ['02 555 01 71'] };
    expect(() => parseLinesConfig(raw)).to.throw(ConfigError, /lines\[0\]\.voice\.numbers\[0\]: a phone number in E\.164 form/);
    const other = file();
    other.lines[0]!.voice!.overflow = { name: 'x' } as { name: string; number: string };
    expect(() => parseLinesConfig(other)).to.throw(ConfigError, /lines\[0\]\.voice\.overflow\.number/);
  });
});
