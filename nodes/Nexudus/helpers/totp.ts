import { createHmac } from 'node:crypto';

/*
 * RFC 6238 time-based one-time passwords, so the credential can answer Nexudus's two-factor
 * prompt from the seed the user copied when enabling it. Errors never include the secret, since
 * they end up in execution logs; at most they name one offending character.
 */

export class InvalidTotpSecretError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'InvalidTotpSecretError';
	}
}

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpOptions {
	/** Milliseconds since the Unix epoch; defaults to now. */
	time?: number;
	/** Time step in seconds; defaults to 30. */
	step?: number;
	/** Length of the code; defaults to 6. */
	digits?: number;
	/** HMAC hash; defaults to sha1, which is what authenticator apps use. */
	algorithm?: TotpAlgorithm;
}

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ALGORITHMS: readonly string[] = ['sha1', 'sha256', 'sha512'];
// The dynamic truncation yields 31 bits, so more than 10 digits would only add leading zeros.
const MAX_DIGITS = 10;
const UINT32_RANGE = 0x1_0000_0000;

export function decodeBase32(secret: string): Buffer {
	if (typeof secret !== 'string') {
		throw new InvalidTotpSecretError('The TOTP secret must be a base32 text.');
	}
	// Seeds are often shown in groups ('JBSW Y3DP') or with padding; neither carries data.
	const cleaned = secret.replace(/[\s=-]/g, '').toUpperCase();
	if (cleaned === '') {
		throw new InvalidTotpSecretError('The TOTP secret is empty.');
	}

	const bytes: number[] = [];
	let buffer = 0;
	let bits = 0;
	for (const char of cleaned) {
		const index = BASE32_ALPHABET.indexOf(char);
		if (index === -1) {
			throw new InvalidTotpSecretError(
				`The TOTP secret contains the character ${JSON.stringify(char)}, which is not base32: ` +
					'use only the letters A to Z and the digits 2 to 7.',
			);
		}
		buffer = ((buffer << 5) | index) & 0xffff;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			bytes.push((buffer >> bits) & 0xff);
		}
	}
	if (bytes.length === 0) {
		throw new InvalidTotpSecretError('The TOTP secret is too short to contain a key.');
	}
	// Leftover bits (fewer than 8) are padding by construction and are dropped, as RFC 4648 does.
	return Buffer.from(bytes);
}

function counterBytes(counter: number): Buffer {
	const message = Buffer.alloc(8);
	// Split by arithmetic because bitwise operators truncate to 32 bits.
	message.writeUInt32BE(Math.floor(counter / UINT32_RANGE), 0);
	message.writeUInt32BE(counter % UINT32_RANGE, 4);
	return message;
}

export function totp(secret: string | Buffer, options: TotpOptions = {}): string {
	const { time = Date.now(), step = 30, digits = 6, algorithm = 'sha1' } = options;
	if (!Number.isFinite(time) || time < 0) {
		throw new RangeError('The TOTP time must be a non-negative number of milliseconds.');
	}
	if (!Number.isFinite(step) || step <= 0) {
		throw new RangeError('The TOTP step must be a positive number of seconds.');
	}
	if (!Number.isInteger(digits) || digits < 1 || digits > MAX_DIGITS) {
		throw new RangeError(`The TOTP length must be a whole number from 1 to ${MAX_DIGITS}.`);
	}
	if (!ALGORITHMS.includes(algorithm)) {
		throw new RangeError('The TOTP algorithm must be sha1, sha256 or sha512.');
	}

	const key = typeof secret === 'string' ? decodeBase32(secret) : secret;
	if (!Buffer.isBuffer(key) || key.length === 0) {
		throw new InvalidTotpSecretError('The TOTP secret is empty.');
	}

	const counter = Math.floor(time / 1000 / step);
	const hmac = createHmac(algorithm, key).update(counterBytes(counter)).digest();
	// RFC 4226 section 5.3 dynamic truncation.
	const offset = hmac[hmac.length - 1] & 0x0f;
	const binary = hmac.readUInt32BE(offset) & 0x7fffffff;
	return (binary % 10 ** digits).toString().padStart(digits, '0');
}
