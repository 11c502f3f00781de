import { createHmac } from 'node:crypto';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const STEP_SECONDS = 30;

/** RFC 4648 base32, tolerant of lower case, spaces and padding as authenticator apps are. */
export function base32Decode(input: string): Buffer {
	const clean = input.toUpperCase().replace(/[\s=]/g, '');
	let bits = 0;
	let value = 0;
	const bytes: number[] = [];
	for (const char of clean) {
		const index = BASE32_ALPHABET.indexOf(char);
		if (index === -1) throw new Error(`Invalid base32 character '${char}'`);
		value = (value << 5) | index;
		bits += 5;
		if (bits >= 8) {
			bytes.push((value >>> (bits - 8)) & 0xff);
			bits -= 8;
		}
	}
	return Buffer.from(bytes);
}

/** RFC 4226 HOTP with 6 digits. */
export function hotp(key: Buffer, counter: number): string {
	const message = Buffer.alloc(8);
	message.writeBigUInt64BE(BigInt(counter));
	const digest = createHmac('sha1', key).update(message).digest();
	const offset = digest[digest.length - 1] & 0x0f;
	const code = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
	return code.toString().padStart(6, '0');
}

/** RFC 6238 TOTP (SHA1, 30 s step): the code an authenticator app shows at `timeMs`. */
export function totp(base32Secret: string, timeMs = Date.now()): string {
	return hotp(base32Decode(base32Secret), Math.floor(timeMs / 1000 / STEP_SECONDS));
}

/** Accepts the current step and one step either side, to allow for clock drift. */
export function verifyTotp(base32Secret: string, code: string, timeMs = Date.now()): boolean {
	if (!/^\d{6}$/.test(code)) return false;
	const key = base32Decode(base32Secret);
	const step = Math.floor(timeMs / 1000 / STEP_SECONDS);
	return [step - 1, step, step + 1].some((counter) => hotp(key, counter) === code);
}
