import { createHmac, timingSafeEqual } from 'crypto';

/** The header Nexudus signs deliveries in when the account has a webhook shared secret. */
export const SIGNATURE_HEADER = 'x-nexudus-hook-signature';

/** Nexudus's signature: HMAC-SHA256 of the body's exact bytes with the secret, uppercase hex. */
export function nexudusSignature(secret: string, rawBody: Buffer): string {
	return createHmac('sha256', secret).update(rawBody).digest('hex').toUpperCase();
}

/** Whether the header is the body's signature; compared in constant time. */
export function isValidSignature(secret: string, rawBody: Buffer, header: unknown): boolean {
	const given = Array.isArray(header) ? header[0] : header;
	if (typeof given !== 'string' || given.trim() === '') return false;
	const expected = Buffer.from(nexudusSignature(secret, rawBody), 'utf8');
	const received = Buffer.from(given.trim().toUpperCase(), 'utf8');
	return received.length === expected.length && timingSafeEqual(received, expected);
}
