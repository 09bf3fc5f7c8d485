import { z } from 'zod';
import { idSchema } from './ids.js';

/**
 * The wire shape of operator identity proofs (see identity/certificates.ts for what they
 * mean). The server checks only that they are well formed and certified; the widget checks
 * everything again itself.
 */
const signatureSchema = z.string().length(86).regex(/^[A-Za-z0-9_-]+$/); // 64 bytes
const signingKeySchema = z.string().length(43).regex(/^[A-Za-z0-9_-]+$/); // 32 bytes

export const certificateSchema = z.strictObject({
  operator: idSchema,
  name: z.string().min(1).max(80),
  key: signingKeySchema,
  expires: z.number().int().positive(),
  signature: signatureSchema,
});

export const chatKeyProofSchema = z.strictObject({
  certificate: certificateSchema,
  expires: z.number().int().positive(),
  signature: signatureSchema,
});
