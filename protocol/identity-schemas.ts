import * as z from 'zod/mini';
import { idSchema } from './ids.js';

/**
 * The wire shape of operator identity proofs (see identity/certificates.ts for what they
 * mean). The server checks only that they are well formed and certified; the widget checks
 * everything again itself.
 */
const signatureSchema = z.string().check(z.length(86), z.regex(/^[A-Za-z0-9_-]+$/)); // 64 bytes
const signingKeySchema = z.string().check(z.length(43), z.regex(/^[A-Za-z0-9_-]+$/)); // 32 bytes

export const certificateSchema = z.strictObject({
  operator: idSchema,
  name: z.string().check(z.minLength(1), z.maxLength(80)),
  key: signingKeySchema,
  expires: z.int().check(z.positive()),
  signature: signatureSchema,
});

export const chatKeyProofSchema = z.strictObject({
  certificate: certificateSchema,
  expires: z.int().check(z.positive()),
  signature: signatureSchema,
});
