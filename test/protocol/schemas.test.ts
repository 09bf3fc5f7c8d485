import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import { LIMITS } from '../../protocol/limits.js';
import { idSchema, languageSchema, publicKeySchema, seqSchema } from '../../protocol/ids.js';
import { chatKeyProofSchema } from '../../protocol/identity-schemas.js';
import { operatorToServerSchema, serverToOperatorSchema } from '../../protocol/operator-messages.js';
import { serverToVisitorSchema, visitorToServerSchema } from '../../protocol/visitor-messages.js';

const key = 'A'.repeat(43);
const signature = 'B'.repeat(86);
const certificate = { operator: 'anna', name: 'Anna', key, expires: 1_800_000_000, signature };
const proof = { certificate, expires: 1_800_000_100, signature };

describe('protocol schemas', () => {
  it('are built on zod/mini only, so the widget does not bundle classic zod', async () => {
    const files = (await readdir('protocol')).filter((f) => f.endsWith('.ts'));
    for (const file of files) {
      const text = await readFile(`protocol/${file}`, 'utf8');
      const imports = [...text.matchAll(/from '(zod[^']*)'/g)].map((m) => m[1]);
      expect(imports.every((i) => i === 'zod/mini'), file).to.equal(true);
    }
  });

  it('accept ids of letters, digits, - and _ up to the id limit', () => {
    expect(idSchema.safeParse('stop-it_now-1').success).to.equal(true);
    expect(idSchema.safeParse('a'.repeat(LIMITS.maxIdChars)).success).to.equal(true);
    for (const bad of ['', 'a'.repeat(LIMITS.maxIdChars + 1), 'a b', 'é', 7]) {
      expect(idSchema.safeParse(bad).success, String(bad)).to.equal(false);
    }
  });

  it('accept two- or three-letter lower-case language codes', () => {
    expect(['nl', 'fr', 'ber'].map((l) => languageSchema.safeParse(l).success)).to.deep.equal([true, true, true]);
    expect(['NL', 'n', 'abcd', 'nl-BE'].map((l) => languageSchema.safeParse(l).success)).to.deep.equal([false, false, false, false]);
  });

  it('accept a public key of exactly 43 base64url characters', () => {
    expect(publicKeySchema.safeParse(key).success).to.equal(true);
    expect(publicKeySchema.safeParse(key + 'A').success).to.equal(false);
    expect(publicKeySchema.safeParse('+'.repeat(43)).success).to.equal(false);
  });

  it('accept sequence numbers that are safe positive integers', () => {
    expect(seqSchema.safeParse(1).success).to.equal(true);
    expect(seqSchema.safeParse(Number.MAX_SAFE_INTEGER).success).to.equal(true);
    for (const bad of [0, -1, 1.5, Number.MAX_SAFE_INTEGER + 1, Infinity, '1']) {
      expect(seqSchema.safeParse(bad).success, String(bad)).to.equal(false);
    }
  });

  it('reject a field no message declares', () => {
    expect(visitorToServerSchema.safeParse({ type: 'typing', on: true }).success).to.equal(true);
    expect(visitorToServerSchema.safeParse({ type: 'typing', on: true, extra: 1 }).success).to.equal(false);
    expect(chatKeyProofSchema.safeParse({ ...proof, certificate: { ...certificate, extra: 1 } }).success).to.equal(false);
  });

  it('reject a message of an unknown type', () => {
    expect(visitorToServerSchema.safeParse({ type: 'hello' }).success).to.equal(false);
    expect(operatorToServerSchema.safeParse({ type: 'hello' }).success).to.equal(false);
  });

  it('reject ciphertext longer than the ciphertext limit', () => {
    const msg = (data: string) => visitorToServerSchema.safeParse({ type: 'msg', seq: 1, data }).success;
    expect(msg('A'.repeat(LIMITS.maxCiphertextChars))).to.equal(true);
    expect(msg('A'.repeat(LIMITS.maxCiphertextChars + 1))).to.equal(false);
  });

  it('take an optional proof on accept and connected, and check it when present', () => {
    const accept = { type: 'accept', ticket: 't1', key };
    expect(operatorToServerSchema.safeParse(accept).success).to.equal(true);
    expect(operatorToServerSchema.safeParse({ ...accept, proof }).success).to.equal(true);
    expect(operatorToServerSchema.safeParse({ ...accept, proof: { ...proof, expires: 0 } }).success).to.equal(false);
    const connected = { type: 'connected', key, operator: 'Anna' };
    expect(serverToVisitorSchema.safeParse(connected).success).to.equal(true);
    expect(serverToVisitorSchema.safeParse({ ...connected, proof }).success).to.equal(true);
    expect(serverToVisitorSchema.safeParse({ ...connected, operator: 'A'.repeat(81) }).success).to.equal(false);
  });

  it('take a null estimate but not a negative or fractional one', () => {
    const position = (estimate: unknown) =>
      serverToVisitorSchema.safeParse({ type: 'position', position: 1, estimate, available: estimate !== null }).success;
    expect([null, 0, 90].map(position)).to.deep.equal([true, true, true]);
    expect([-1, 1.5, undefined].map(position)).to.deep.equal([false, false, false]);
  });

  it('require queued and position to say whether anyone is on duty', () => {
    const queued = { type: 'queued', chat: 'c1', token: 'tok', position: 1, estimate: null };
    expect(serverToVisitorSchema.safeParse({ ...queued, available: false }).success).to.equal(true);
    expect(serverToVisitorSchema.safeParse(queued).success).to.equal(false);
    expect(serverToVisitorSchema.safeParse({ type: 'position', position: 2, estimate: 60, available: true }).success).to.equal(true);
    expect(serverToVisitorSchema.safeParse({ type: 'position', position: 2, estimate: 60 }).success).to.equal(false);
    expect(serverToVisitorSchema.safeParse({ type: 'position', position: 2, estimate: 60, available: 'yes' }).success).to.equal(false);
  });

  it("let the operator's ended say quick: true, and nothing else in its place", () => {
    const ended = { type: 'ended', chat: 'c1', by: 'visitor' };
    expect(serverToOperatorSchema.safeParse(ended).success).to.equal(true);
    expect(serverToOperatorSchema.safeParse({ ...ended, quick: true }).success).to.equal(true);
    expect(serverToOperatorSchema.safeParse({ ...ended, quick: false }).success).to.equal(false);
    expect(serverToVisitorSchema.safeParse({ type: 'ended', by: 'visitor', quick: true }).success, "the visitor's ended is unchanged").to.equal(false);
  });

  it('give an assigned message every field of a chat summary', () => {
    const assigned = { type: 'assigned', chat: 'c1', channel: 'chat', line: '1712', language: 'nl', topic: 'violence', key, waited: 4 };
    expect(serverToOperatorSchema.safeParse(assigned).success).to.equal(true);
    const { waited: _waited, ...short } = assigned;
    expect(serverToOperatorSchema.safeParse(short).success).to.equal(false);
    const { channel: _channel, ...unsaid } = assigned;
    expect(serverToOperatorSchema.safeParse(unsaid).success, 'the channel is always said').to.equal(false);
  });

  it('let a call be offered, accepted and assigned without any key, and a chat never be offered without its channel', () => {
    const offer = { type: 'offer', ticket: 't1', channel: 'call', line: '1712', language: 'nl', topic: 'violence', waited: 0, expiresIn: 30 };
    expect(serverToOperatorSchema.safeParse(offer).success).to.equal(true);
    expect(serverToOperatorSchema.safeParse({ ...offer, channel: 'fax' }).success).to.equal(false);
    expect(operatorToServerSchema.safeParse({ type: 'accept', ticket: 't1' }).success).to.equal(true);
    const assigned = { type: 'assigned', chat: 't1', channel: 'call', line: '1712', language: 'nl', topic: 'violence', waited: 4 };
    expect(serverToOperatorSchema.safeParse(assigned).success).to.equal(true);
  });
});
