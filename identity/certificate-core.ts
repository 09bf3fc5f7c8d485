import type { SigningPrimitives } from './signing-primitives.js';

/**
 * Operator identity, so that a compromised relay cannot pose as an operator.
 *
 * The organisation keeps an Ed25519 signing key offline; with it an admin certifies each
 * operator's long-term Ed25519 identity key (`npm run operators -- certify`). The console
 * signs every chat's ephemeral key with that identity key, bound to the chat id and an
 * expiry; the widget, which carries the organisation's public key from its build, checks
 * the certificate and the signature before it sends a word. The relay only passes these
 * along: it can drop them but not forge them.
 *
 * One design on any SigningPrimitives: certificates.ts binds it to libsodium (admin command,
 * server, console), noble-certificates.ts to noble (the widget). Both read and write the same
 * bytes. It holds no chat plaintext, so it lives apart from e2e/.
 */
export interface OperatorCertificate {
  operator: string;
  /** The name visitors see; certified, so a relay cannot change who they think they talk to. */
  name: string;
  /** The operator's Ed25519 identity public key, unpadded URL-safe base64. */
  key: string;
  /** Milliseconds since the epoch. */
  expires: number;
  /** The organisation's signature over the fields above. */
  signature: string;
}

export interface ChatKeyProof {
  certificate: OperatorCertificate;
  /** Until when this chat key may be trusted, milliseconds since the epoch. */
  expires: number;
  /** The operator identity's signature over chat id, chat key and expiry. */
  signature: string;
}

/** The secret an operator loads into their console (a file `certify` writes). */
export interface OperatorIdentityFile {
  type: 'quietline-operator-identity';
  operator: string;
  secretKey: string;
  certificate: OperatorCertificate;
}

export type Verdict = { ok: true; name: string } | { ok: false; reason: 'no-proof' | 'certificate' | 'expired' | 'signature' };

/** How long a console's per-chat signature is valid: long enough for the longest chat. */
export const CHAT_KEY_PROOF_MS = 24 * 60 * 60 * 1000;

/**
 * Expiry is checked on the visitor's own clock, which may be wrong; a phone a few hours off
 * must not see a genuine operator as an impostor. Signatures are never relaxed, only time.
 */
export const CLOCK_SKEW_MS = 12 * 60 * 60 * 1000;

/** The certificate functions, bound to one set of primitives. */
export interface Identity {
  /** Resolves once the primitives are ready; call before anything else. */
  readyIdentity(): Promise<void>;
  /** A new Ed25519 key pair (organisation or operator identity), as base64 strings. */
  newSigningKeyPair(): { publicKey: string; secretKey: string };
  certify(orgSecretKey: string, fields: Omit<OperatorCertificate, 'signature'>): OperatorCertificate;
  /** The console's part: vouch for this chat's ephemeral key with the operator's identity. */
  proveChatKey(identity: OperatorIdentityFile, chat: string, chatKey: string, now: number): ChatKeyProof;
  checkCertificate(orgPublicKey: string, certificate: OperatorCertificate, now: number): Verdict;
  /** The widget's part: is this chat key really from a certified operator, for this chat? */
  checkChatKey(orgPublicKey: string, proof: ChatKeyProof | undefined, chat: string, chatKey: string, now: number): Verdict;
}

const encoder = new TextEncoder();

function certificateBytes(c: Omit<OperatorCertificate, 'signature'>): Uint8Array {
  return encoder.encode(`quietline-operator-certificate/1\n${c.operator}\n${c.name}\n${c.key}\n${c.expires}`);
}

function chatKeyBytes(chat: string, chatKey: string, expires: number): Uint8Array {
  return encoder.encode(`quietline-chat-key/1\n${chat}\n${chatKey}\n${expires}`);
}

export function identityWith(p: SigningPrimitives): Identity {
  function verifies(signature: string, message: Uint8Array, publicKey: string): boolean {
    try {
      return p.verify(p.fromBase64(signature), message, p.fromBase64(publicKey));
    } catch {
      return false;
    }
  }

  function checkCertificate(orgPublicKey: string, certificate: OperatorCertificate, now: number): Verdict {
    const { signature, ...fields } = certificate;
    if (!verifies(signature, certificateBytes(fields), orgPublicKey)) return { ok: false, reason: 'certificate' };
    if (certificate.expires + CLOCK_SKEW_MS <= now) return { ok: false, reason: 'expired' };
    return { ok: true, name: certificate.name };
  }

  return {
    readyIdentity: () => p.ready(),

    newSigningKeyPair() {
      const pair = p.signKeyPair();
      return { publicKey: p.toBase64(pair.publicKey), secretKey: p.toBase64(pair.secretKey) };
    },

    certify(orgSecretKey, fields) {
      const signature = p.sign(certificateBytes(fields), p.fromBase64(orgSecretKey));
      return { ...fields, signature: p.toBase64(signature) };
    },

    proveChatKey(identity, chat, chatKey, now) {
      const expires = now + CHAT_KEY_PROOF_MS;
      const signature = p.sign(chatKeyBytes(chat, chatKey, expires), p.fromBase64(identity.secretKey));
      return { certificate: identity.certificate, expires, signature: p.toBase64(signature) };
    },

    checkCertificate,

    checkChatKey(orgPublicKey, proof, chat, chatKey, now) {
      if (!proof) return { ok: false, reason: 'no-proof' };
      const certificate = checkCertificate(orgPublicKey, proof.certificate, now);
      if (!certificate.ok) return certificate;
      if (proof.expires + CLOCK_SKEW_MS <= now) return { ok: false, reason: 'expired' };
      if (!verifies(proof.signature, chatKeyBytes(chat, chatKey, proof.expires), proof.certificate.key)) {
        return { ok: false, reason: 'signature' };
      }
      return certificate;
    },
  };
}
