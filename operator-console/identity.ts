import sodium from 'libsodium-wrappers';
import { z } from 'zod';
import {
  proveChatKey,
  readyIdentity,
  type ChatKeyProof,
  type OperatorIdentityFile,
} from '../identity/certificates.js';
import { certificateSchema } from '../protocol/identity-schemas.js';
import { idSchema } from '../protocol/ids.js';

/**
 * The operator's certified identity (identity/certificates.ts), loaded from the file
 * `npm run operators -- certify` wrote. It lives in this object only: never in storage,
 * gone on sign-out or reload. The console has no organisation key, so it cannot check the
 * certificate's signature — the server and every widget do — only that the file is well
 * formed, this operator's, unexpired, and that its secret key matches the certified key.
 */
const identityFileSchema = z.strictObject({
  type: z.literal('quietline-operator-identity'),
  operator: idSchema,
  secretKey: z.string().length(86).regex(/^[A-Za-z0-9_-]+$/), // 64 bytes, unpadded base64url
  certificate: certificateSchema,
});

export type IdentityProblem = 'unreadable' | 'operator' | 'expired' | 'mismatch';
export type LoadResult = { ok: true; name: string; expires: number } | { ok: false; problem: IdentityProblem; expires?: number };
/** What to send with an accept: `proof` is absent when the deployment does not ask for one. */
export type ProofResult = { ok: true; proof?: ChatKeyProof } | { ok: false; problem: 'missing' | 'expired' };

let ready: Promise<void> | null = null;
/** libsodium's WebAssembly, once per page. */
const whenReady = () => (ready ??= readyIdentity());

export class OperatorIdentity {
  private identity: OperatorIdentityFile | null = null;
  private requiredFlag = false;

  /** The server's `welcome.identity`: whether every accept needs a proof. */
  setRequired(required: boolean): void {
    this.requiredFlag = required;
  }

  get required(): boolean {
    return this.requiredFlag;
  }

  /** Accepting needs a key this console has not got (or whose certificate has run out). */
  get missing(): boolean {
    return this.requiredFlag && !this.usable(Date.now());
  }

  /** The loaded identity's certified name and expiry, for the top bar. */
  get loaded(): { name: string; expires: number } | null {
    return this.identity ? { name: this.identity.certificate.name, expires: this.identity.certificate.expires } : null;
  }

  /** Reads an identity file's text; keeps it only if it is valid for `operatorId`. */
  async load(text: string, operatorId: string, now: number): Promise<LoadResult> {
    await whenReady();
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return { ok: false, problem: 'unreadable' };
    }
    const parsed = identityFileSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, problem: 'unreadable' };
    const file = parsed.data;
    if (file.operator !== operatorId || file.certificate.operator !== operatorId) return { ok: false, problem: 'operator' };
    if (file.certificate.expires <= now) return { ok: false, problem: 'expired', expires: file.certificate.expires };
    if (!keyMatches(file.secretKey, file.certificate.key)) return { ok: false, problem: 'mismatch' };
    this.identity = file;
    return { ok: true, name: file.certificate.name, expires: file.certificate.expires };
  }

  /** Vouch for a chat's ephemeral key (`chat` is the offer's ticket id). */
  async prove(chat: string, chatKey: string): Promise<ProofResult> {
    if (!this.requiredFlag) return { ok: true };
    if (!this.identity) return { ok: false, problem: 'missing' };
    await whenReady();
    const now = Date.now();
    if (!this.usable(now)) {
      this.forget();
      return { ok: false, problem: 'expired' };
    }
    return { ok: true, proof: proveChatKey(this.identity!, chat, chatKey, now) };
  }

  /** Drop the key: signed out, or the server refused it. */
  forget(): void {
    this.identity = null;
  }

  private usable(now: number): boolean {
    return this.identity !== null && this.identity.certificate.expires > now;
  }
}

/** libsodium's Ed25519 secret key is seed ‖ public key: the second half must be the certified key. */
function keyMatches(secretKey: string, certifiedKey: string): boolean {
  try {
    const secret = sodium.from_base64(secretKey);
    return secret.length === 64 && sodium.to_base64(secret.subarray(32)) === certifiedKey;
  } catch {
    return false;
  }
}
