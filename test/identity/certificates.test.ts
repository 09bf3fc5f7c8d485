import { expect } from 'chai';
import {
  CHAT_KEY_PROOF_MS,
  CLOCK_SKEW_MS,
  certify,
  checkCertificate,
  checkChatKey,
  newSigningKeyPair,
  proveChatKey,
  readyIdentity,
  type OperatorIdentityFile,
} from '../../identity/certificates.js';

const NOW = Date.UTC(2026, 10, 23, 10);
const DAY = 86_400_000;
const CHAT_KEY = 'Q'.repeat(43);

describe('Operator identity certificates', () => {
  let org: { publicKey: string; secretKey: string };
  let identity: OperatorIdentityFile;

  before(readyIdentity);
  beforeEach(() => {
    org = newSigningKeyPair();
    const pair = newSigningKeyPair();
    identity = {
      type: 'quietline-operator-identity',
      operator: 'anna',
      secretKey: pair.secretKey,
      certificate: certify(org.secretKey, { operator: 'anna', name: 'Anna', key: pair.publicKey, expires: NOW + 365 * DAY }),
    };
  });

  it('accepts a chat key vouched for by a certified operator, and names them', () => {
    const proof = proveChatKey(identity, 'chat-1', CHAT_KEY, NOW);
    expect(checkChatKey(org.publicKey, proof, 'chat-1', CHAT_KEY, NOW)).to.deep.equal({ ok: true, name: 'Anna' });
    expect(proof.expires).to.equal(NOW + CHAT_KEY_PROOF_MS);
  });

  it('refuses a missing proof', () => {
    expect(checkChatKey(org.publicKey, undefined, 'chat-1', CHAT_KEY, NOW)).to.deep.equal({ ok: false, reason: 'no-proof' });
  });

  it('refuses a certificate made with another organisation key (an impostor relay)', () => {
    const impostor = newSigningKeyPair();
    const forged = { ...identity, certificate: certify(impostor.secretKey, { ...identity.certificate }) };
    const proof = proveChatKey(forged, 'chat-1', CHAT_KEY, NOW);
    expect(checkChatKey(org.publicKey, proof, 'chat-1', CHAT_KEY, NOW)).to.deep.include({ ok: false, reason: 'certificate' });
  });

  it('refuses a certificate whose name or operator was changed', () => {
    const proof = proveChatKey(identity, 'chat-1', CHAT_KEY, NOW);
    for (const change of [{ name: 'Mallory' }, { operator: 'mallory' }, { expires: NOW + 999 * DAY }]) {
      const tampered = { ...proof, certificate: { ...proof.certificate, ...change } };
      expect(checkChatKey(org.publicKey, tampered, 'chat-1', CHAT_KEY, NOW)).to.deep.include({ ok: false, reason: 'certificate' });
    }
  });

  it('binds the proof to its chat and its key', () => {
    const proof = proveChatKey(identity, 'chat-1', CHAT_KEY, NOW);
    expect(checkChatKey(org.publicKey, proof, 'chat-2', CHAT_KEY, NOW)).to.deep.include({ ok: false, reason: 'signature' });
    expect(checkChatKey(org.publicKey, proof, 'chat-1', 'R'.repeat(43), NOW)).to.deep.include({ ok: false, reason: 'signature' });
  });

  it('refuses expired certificates and expired proofs, allowing for a visitor clock some hours off', () => {
    const proof = proveChatKey(identity, 'chat-1', CHAT_KEY, NOW);
    expect(checkChatKey(org.publicKey, proof, 'chat-1', CHAT_KEY, NOW + CHAT_KEY_PROOF_MS + CLOCK_SKEW_MS - 1).ok).to.equal(true);
    expect(checkChatKey(org.publicKey, proof, 'chat-1', CHAT_KEY, NOW + CHAT_KEY_PROOF_MS + CLOCK_SKEW_MS)).to.deep.include({ ok: false, reason: 'expired' });
    expect(checkCertificate(org.publicKey, identity.certificate, NOW + 366 * DAY)).to.deep.include({ ok: false, reason: 'expired' });
  });

  it('survives garbage in every field without throwing', () => {
    const proof = proveChatKey(identity, 'chat-1', CHAT_KEY, NOW);
    const garbage = { ...proof, signature: '!!!', certificate: { ...proof.certificate, key: 'not base64 ☃' } };
    expect(checkChatKey(org.publicKey, garbage, 'chat-1', CHAT_KEY, NOW).ok).to.equal(false);
    expect(checkChatKey('short', proof, 'chat-1', CHAT_KEY, NOW).ok).to.equal(false);
  });
});
