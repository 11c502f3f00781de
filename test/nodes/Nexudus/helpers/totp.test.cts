import { InvalidTotpSecretError, decodeBase32, totp } from '../../../../nodes/Nexudus/helpers/totp';

// RFC 6238 appendix B seeds: the ASCII digits repeated to the hash's block-friendly length.
const SEED_SHA1 = Buffer.from('12345678901234567890', 'ascii');
const SEED_SHA256 = Buffer.from('12345678901234567890123456789012', 'ascii');
const SEED_SHA512 = Buffer.from(
	'1234567890123456789012345678901234567890123456789012345678901234',
	'ascii',
);
// base32 of the SHA1 seed, as an authenticator app would show it
const SEED_SHA1_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

function catchError(fn: () => unknown): unknown {
	try {
		fn();
	} catch (error) {
		return error;
	}
	throw new Error('expected the call to throw');
}

describe('totp: RFC 6238 appendix B', () => {
	// [time in seconds, SHA1, SHA256, SHA512]
	const vectors: Array<[number, string, string, string]> = [
		[59, '94287082', '46119246', '90693936'],
		[1111111109, '07081804', '68084774', '25091201'],
		[1111111111, '14050471', '67062674', '99943326'],
		[1234567890, '89005924', '91819424', '93441116'],
		[2000000000, '69279037', '90698825', '38618901'],
		[20000000000, '65353130', '77737706', '47863826'],
	];

	it.each(vectors)('T=%d', (seconds, sha1, sha256, sha512) => {
		const time = seconds * 1000;
		expect(totp(SEED_SHA1, { time, digits: 8 })).toBe(sha1);
		expect(totp(SEED_SHA1, { time, digits: 8, algorithm: 'sha1' })).toBe(sha1);
		expect(totp(SEED_SHA256, { time, digits: 8, algorithm: 'sha256' })).toBe(sha256);
		expect(totp(SEED_SHA512, { time, digits: 8, algorithm: 'sha512' })).toBe(sha512);
	});

	it.each(vectors)('T=%d with the base32 seed and 6 digits', (seconds, sha1) => {
		// 6 digits are the low 6 digits of the same truncated value
		expect(totp(SEED_SHA1_BASE32, { time: seconds * 1000 })).toBe(sha1.slice(2));
	});
});

describe('totp', () => {
	it('defaults to 6 digits, 30 s steps and sha1', () => {
		expect(totp(SEED_SHA1, { time: 59_000 })).toBe('287082');
		expect(totp(SEED_SHA1, { time: 1111111109_000 })).toBe('081804');
	});

	it('keeps leading zeros', () => {
		const code = totp(SEED_SHA1, { time: 1111111109_000, digits: 8 });
		expect(code).toBe('07081804');
		expect(code).toHaveLength(8);
	});

	it('uses the same code for the whole step and a new one after it', () => {
		// T=59 is counter 1 (30..59 s); 60 s starts counter 2
		expect(totp(SEED_SHA1, { time: 30_000, digits: 8 })).toBe('94287082');
		expect(totp(SEED_SHA1, { time: 59_999, digits: 8 })).toBe('94287082');
		expect(totp(SEED_SHA1, { time: 60_000, digits: 8 })).not.toBe('94287082');
	});

	it('honours a custom step', () => {
		// with 60 s steps, T=1111111109 s is counter 18518518, which 30 s steps reach at T=555555540 s
		expect(totp(SEED_SHA1, { time: 1111111109_000, step: 60, digits: 8 })).toBe(
			totp(SEED_SHA1, { time: 555555540_000, digits: 8 }),
		);
	});

	it('uses Date.now() when no time is given', () => {
		const spy = jest.spyOn(Date, 'now').mockReturnValue(59_000);
		try {
			expect(totp(SEED_SHA1, { digits: 8 })).toBe('94287082');
			expect(totp(SEED_SHA1)).toBe('287082');
		} finally {
			spy.mockRestore();
		}
	});

	it('accepts lowercase, spaced and padded base32 secrets', () => {
		const expected = totp(SEED_SHA1_BASE32, { time: 59_000 });
		expect(totp('gezd gnbv gy3t qojq gezd gnbv gy3t qojq', { time: 59_000 })).toBe(expected);
		expect(totp('GEZDGNBV-GY3TQOJQ-GEZDGNBV-GY3TQOJQ', { time: 59_000 })).toBe(expected);
	});

	it.each([
		[{ digits: 0 }],
		[{ digits: 11 }],
		[{ digits: 6.5 }],
		[{ step: 0 }],
		[{ step: -30 }],
		[{ time: -1 }],
		[{ time: NaN }],
		[{ algorithm: 'md5' as 'sha1' }],
	])('rejects option %p', (options) => {
		expect(() => totp(SEED_SHA1, options)).toThrow(RangeError);
	});

	it('rejects an empty secret', () => {
		expect(() => totp('', { time: 0 })).toThrow(InvalidTotpSecretError);
		expect(() => totp('  = - ', { time: 0 })).toThrow(InvalidTotpSecretError);
		expect(() => totp(Buffer.alloc(0), { time: 0 })).toThrow(InvalidTotpSecretError);
	});
});

describe('decodeBase32', () => {
	it('decodes JBSWY3DPEHPK3PXP to "Hello!" followed by DE AD BE EF', () => {
		expect(decodeBase32('JBSWY3DPEHPK3PXP')).toEqual(
			Buffer.concat([Buffer.from('Hello!', 'ascii'), Buffer.from([0xde, 0xad, 0xbe, 0xef])]),
		);
		expect(decodeBase32('JBSWY3DPEHPK3PXP').toString('hex')).toBe('48656c6c6f21deadbeef');
	});

	it('decodes the RFC 6238 seed', () => {
		expect(decodeBase32(SEED_SHA1_BASE32)).toEqual(SEED_SHA1);
	});

	it.each([
		['MY======', 'f'],
		['MZXQ====', 'fo'],
		['MZXW6===', 'foo'],
		['MZXW6YQ=', 'foob'],
		['MZXW6YTB', 'fooba'],
		['MZXW6YTBOI======', 'foobar'],
		['MY', 'f'],
		['MZXW6YTBOI', 'foobar'],
	])('RFC 4648 vector %s', (encoded, decoded) => {
		expect(decodeBase32(encoded).toString('ascii')).toBe(decoded);
	});

	it('is case-insensitive and ignores spaces, dashes and padding', () => {
		const expected = decodeBase32('JBSWY3DPEHPK3PXP');
		expect(decodeBase32('jbswy3dpehpk3pxp')).toEqual(expected);
		expect(decodeBase32('JbSw Y3dP eHpK 3pXp')).toEqual(expected);
		expect(decodeBase32('JBSW-Y3DP-EHPK-3PXP')).toEqual(expected);
		expect(decodeBase32(' JBSWY3DPEHPK3PXP====\n')).toEqual(expected);
		expect(decodeBase32('JBSWY3DP\tEHPK3PXP')).toEqual(expected);
	});

	it.each([
		['JBSWY3DPEHPK3PX1', '1'],
		['JBSWY3DPEHPK3PX0', '0'],
		['JBSWY3DPEHPK3PX8', '8'],
		['JBSWY3DP.EHPK3PXP', '.'],
		['JBSWY3DP_EHPK3PXP', '_'],
		['JBSWY3DPÉHPK3PXP', 'É'],
	])('rejects %s naming %s but not the secret', (secret, char) => {
		const error = catchError(() => decodeBase32(secret));
		expect(error).toBeInstanceOf(InvalidTotpSecretError);
		const message = (error as Error).message;
		expect(message).toBe(
			`The TOTP secret contains the character ${JSON.stringify(char)}, which is not base32: ` +
				'use only the letters A to Z and the digits 2 to 7.',
		);
		expect(message).not.toContain('JBSW');
		expect(message).not.toContain('jbsw');
		expect((error as Error).name).toBe('InvalidTotpSecretError');
	});

	it('does not leak the secret through totp either', () => {
		const error = catchError(() => totp('SECRETSEED1', { time: 0 })) as Error;
		expect(error).toBeInstanceOf(InvalidTotpSecretError);
		expect(error.message).not.toContain('SECRETSEED');
		expect(error.message).toContain('"1"');
	});

	it.each([[''], ['   '], ['===='], ['- -']])('rejects empty secret %p', (secret) => {
		expect(() => decodeBase32(secret)).toThrow(
			new InvalidTotpSecretError('The TOTP secret is empty.'),
		);
	});

	it('rejects a secret too short to hold one byte', () => {
		expect(() => decodeBase32('A')).toThrow(
			new InvalidTotpSecretError('The TOTP secret is too short to contain a key.'),
		);
	});

	it('rejects a non-string secret', () => {
		expect(() => decodeBase32(123 as unknown as string)).toThrow(InvalidTotpSecretError);
	});
});
