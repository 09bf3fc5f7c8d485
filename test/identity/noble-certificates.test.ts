import { expect } from 'chai';
import { identityWith, type ChatKeyProof } from '../../identity/certificate-core.js';
import {
  certify,
  checkChatKey as sodiumCheckChatKey,
  newSigningKeyPair,
  proveChatKey,
  readyIdentity as readySodium,
  type OperatorIdentityFile,
} from '../../identity/certificates.js';
import {
  CLOCK_SKEW_MS,
  checkCertificate as nobleCheckCertificate,
  checkChatKey as nobleCheckChatKey,
  readyIdentity as readyNoble,
} from '../../identity/noble-certificates.js';
import { nobleSigning } from '../../identity/noble-signing.js';

/**
 * The widget checks with noble what the admin command and the console made with libsodium:
 * every verdict must be the one libsodium (the server's check) gives.
 */
const NOW = Date.UTC(2026, 10, 23, 10);
const DAY = 86_400_000;
const CHAT = 'chat-1';
const CHAT_KEY = 'Q'.repeat(43);

describe('Operator identity certificates checked with noble', () => {
  let org: { publicKey: string; secretKey: string };
  let identity: OperatorIdentityFile;
  let proof: ChatKeyProof;

  before(async () => {
    await readySodium();
    await readyNoble();
  });

  beforeEach(() => {
    // As scripts/operators.ts and the console make them: with libsodium.
    org = newSigningKeyPair();
    const pair = newSigningKeyPair();
    const certificate = certify(org.secretKey, { operator: 'anna', name: 'Anna', key: pair.publicKey, expires: NOW + 365 * DAY });
    identity = { type: 'quietline-operator-identity', operator: 'anna', secretKey: pair.secretKey, certificate };
    proof = proveChatKey(identity, CHAT, CHAT_KEY, NOW);
  });

  it('accepts a certificate and chat-key proof made with libsodium, and names the operator', () => {
    expect(nobleCheckChatKey(org.publicKey, proof, CHAT, CHAT_KEY, NOW)).to.deep.equal({ ok: true, name: 'Anna' });
    expect(nobleCheckCertificate(org.publicKey, identity.certificate, NOW)).to.deep.equal({ ok: true, name: 'Anna' });
  });

  it('refuses every tampered or misapplied proof, for the same reason libsodium does', () => {
    const flip = (signature: string) => {
      const bytes = Buffer.from(signature, 'base64url');
      bytes[5]! ^= 1;
      return bytes.toString('base64url');
    };
    const impostor = newSigningKeyPair();
    const cases: Array<[string, ChatKeyProof | undefined, string, string, string, number]> = [
      ['no proof', undefined, org.publicKey, CHAT, CHAT_KEY, NOW],
      ['another name', { ...proof, certificate: { ...proof.certificate, name: 'Mallory' } }, org.publicKey, CHAT, CHAT_KEY, NOW],
      ['another operator', { ...proof, certificate: { ...proof.certificate, operator: 'mallory' } }, org.publicKey, CHAT, CHAT_KEY, NOW],
      ['a longer certificate', { ...proof, certificate: { ...proof.certificate, expires: NOW + 999 * DAY } }, org.publicKey, CHAT, CHAT_KEY, NOW],
      ['another certified key', { ...proof, certificate: { ...proof.certificate, key: impostor.publicKey } }, org.publicKey, CHAT, CHAT_KEY, NOW],
      ['a changed certificate signature', { ...proof, certificate: { ...proof.certificate, signature: flip(proof.certificate.signature) } }, org.publicKey, CHAT, CHAT_KEY, NOW],
      ['a changed proof signature', { ...proof, signature: flip(proof.signature) }, org.publicKey, CHAT, CHAT_KEY, NOW],
      ['a longer proof', { ...proof, expires: proof.expires + DAY }, org.publicKey, CHAT, CHAT_KEY, NOW],
      ['another organisation', proof, impostor.publicKey, CHAT, CHAT_KEY, NOW],
      ['another chat', proof, org.publicKey, 'chat-2', CHAT_KEY, NOW],
      ['another chat key', proof, org.publicKey, CHAT, 'R'.repeat(43), NOW],
      ['an expired proof', proof, org.publicKey, CHAT, CHAT_KEY, proof.expires + CLOCK_SKEW_MS],
      ['garbage', { ...proof, signature: '!!!', certificate: { ...proof.certificate, key: 'not base64 ☃' } }, org.publicKey, CHAT, CHAT_KEY, NOW],
      ['a short organisation key', proof, 'short', CHAT, CHAT_KEY, NOW],
      ['a padded signature', { ...proof, signature: `${proof.signature}==` }, org.publicKey, CHAT, CHAT_KEY, NOW],
    ];
    for (const [label, candidate, orgKey, chat, chatKey, now] of cases) {
      const bySodium = sodiumCheckChatKey(orgKey, candidate, chat, chatKey, now);
      expect(bySodium.ok, label).to.equal(false);
      expect(nobleCheckChatKey(orgKey, candidate, chat, chatKey, now), label).to.deep.equal(bySodium);
    }
  });

  it('makes, on noble, the very certificate and proof libsodium makes from the same keys', () => {
    const noble = identityWith(nobleSigning);
    const fields = { operator: 'anna', name: 'Anna', key: identity.certificate.key, expires: identity.certificate.expires };
    expect(noble.certify(org.secretKey, fields)).to.deep.equal(identity.certificate);
    expect(noble.proveChatKey(identity, CHAT, CHAT_KEY, NOW)).to.deep.equal(proof);
  });
});
