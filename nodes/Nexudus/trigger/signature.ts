import { createHmac, timingSafeEqual } from 'crypto';

/** The header Nexudus signs deliveries in when the account has a webhook shared secret. */
export const SIGNATURE_HEADER = 'x-nexudus-hook-signature';

/** Which bytes a valid signature was made over: the body as received, or Nexudus's ASCII form. */
export type SignedForm = 'raw' | 'ascii';

function hmacHex(key: Buffer, message: Buffer): string {
	return createHmac('sha256', key).update(message).digest('hex').toUpperCase();
}

/**
 * Text as .NET's ASCIIEncoding writes it (Nexudus signs with it): every UTF-16 code unit above
 * U+007F becomes '?', so "í" is one '?' and an emoji (a surrogate pair) two.
 */
export function asciiForm(text: string): Buffer {
	const bytes = Buffer.alloc(text.length);
	for (let index = 0; index < text.length; index++) {
		const unit = text.charCodeAt(index);
		bytes[index] = unit > 0x7f ? 0x3f : unit;
	}
	return bytes;
}

/** The bytes the signature covers in each form: what the repeat memory keys on. */
export function signedBytes(rawBody: Buffer, form: SignedForm): Buffer {
	return form === 'raw' ? rawBody : asciiForm(rawBody.toString('utf8'));
}

/** HMAC-SHA256 of the body's exact bytes with the secret's UTF-8 bytes, uppercase hex. */
export function nexudusSignature(secret: string, rawBody: Buffer): string {
	return hmacHex(Buffer.from(secret, 'utf8'), rawBody);
}

/**
 * Nexudus's published signature: ASCIIEncoding of the secret and of the JSON text, then
 * HMAC-SHA256, each byte as "X2". The body on the wire is UTF-8, so the text is read as UTF-8.
 */
export function nexudusAsciiSignature(secret: string, rawBody: Buffer): string {
	return hmacHex(asciiForm(secret), signedBytes(rawBody, 'ascii'));
}

function sameHex(expected: string, received: Buffer): boolean {
	const wanted = Buffer.from(expected, 'utf8');
	return wanted.length === received.length && timingSafeEqual(wanted, received);
}

/**
 * The form the header signs (raw bytes first), or undefined when it signs neither. Both are
 * compared in constant time, and both always, so the answer time does not tell which one failed.
 */
export function verifiedForm(
	secret: string,
	rawBody: Buffer,
	header: unknown,
): SignedForm | undefined {
	const given = Array.isArray(header) ? header[0] : header;
	if (typeof given !== 'string' || given.trim() === '') return undefined;
	const received = Buffer.from(given.trim().toUpperCase(), 'utf8');
	const raw = sameHex(nexudusSignature(secret, rawBody), received);
	const ascii = sameHex(nexudusAsciiSignature(secret, rawBody), received);
	return raw ? 'raw' : ascii ? 'ascii' : undefined;
}

/** Whether the header is the body's signature, over its raw bytes or Nexudus's ASCII form. */
export function isValidSignature(secret: string, rawBody: Buffer, header: unknown): boolean {
	return verifiedForm(secret, rawBody, header) !== undefined;
}
