import type { RequestHandler } from 'express';
import twilio from 'twilio';
import type { Logger } from '../logging.js';
import { sendError } from '../http/errors.js';
import { publicUrl } from './voice-urls.js';

/**
 * Every /voice/* request must be Twilio's: its X-Twilio-Signature is checked with the auth
 * token against the URL Twilio called — the public base (PUBLIC_BASE_URL), not the address
 * a proxy passed on — and the form parameters. Anything else gets 403 ERR_BAD_SIGNATURE
 * before any handler runs, so a forged request changes nothing.
 */
export function requireTwilioSignature(authToken: string, publicBaseUrl: string, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const signature = req.header('x-twilio-signature');
    const params = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, string>;
    if (signature && twilio.validateRequest(authToken, signature, publicUrl(publicBaseUrl, req.originalUrl), params)) return next();
    logger.warn({ event: 'voice.refused', code: 'ERR_BAD_SIGNATURE' }, 'voice request not signed by Twilio');
    sendError(res, 'ERR_BAD_SIGNATURE');
  };
}
