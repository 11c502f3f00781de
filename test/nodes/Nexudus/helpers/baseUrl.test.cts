import {
	DEFAULT_BASE_URL,
	InvalidBaseUrlError,
	normalizeBaseUrl,
} from '../../../../nodes/Nexudus/helpers/baseUrl';

function failure(raw: unknown): Error {
	try {
		normalizeBaseUrl(raw);
	} catch (error) {
		return error as Error;
	}
	throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
}

describe('normalizeBaseUrl', () => {
	it('defaults to the Nexudus address when the value is missing, empty or not a string', () => {
		expect(DEFAULT_BASE_URL).toBe('https://spaces.nexudus.com');
		for (const raw of [undefined, null, '', '   ', 42, {}]) {
			expect(normalizeBaseUrl(raw)).toBe('https://spaces.nexudus.com');
		}
	});

	it('removes trailing slashes and surrounding spaces, keeps a path prefix and the port', () => {
		expect(normalizeBaseUrl('https://spaces.nexudus.com/')).toBe('https://spaces.nexudus.com');
		expect(normalizeBaseUrl('  https://spaces.nexudus.com///  ')).toBe('https://spaces.nexudus.com');
		expect(normalizeBaseUrl('https://proxy.example.com:8443/nexudus/')).toBe(
			'https://proxy.example.com:8443/nexudus',
		);
		expect(normalizeBaseUrl('HTTPS://Spaces.Nexudus.COM')).toBe('https://spaces.nexudus.com');
	});

	it('drops a query string or fragment pasted with the address', () => {
		expect(normalizeBaseUrl('https://spaces.nexudus.com/?x=1#top')).toBe('https://spaces.nexudus.com');
	});

	it('allows plain http for loopback hosts only', () => {
		expect(normalizeBaseUrl('http://localhost:3000/')).toBe('http://localhost:3000');
		expect(normalizeBaseUrl('http://LOCALHOST:3000')).toBe('http://localhost:3000');
		expect(normalizeBaseUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
		expect(normalizeBaseUrl('http://127.1.2.3')).toBe('http://127.1.2.3');
		expect(normalizeBaseUrl('http://[::1]:8080/')).toBe('http://[::1]:8080');
	});

	it.each([
		'http://spaces.nexudus.com',
		'http://192.168.1.10:8080',
		'http://localhost.example.com',
		'http://127.0.0.1.nip.io',
		'http://[::2]',
	])('refuses plain http to %s, naming the URL and the fix', (raw) => {
		const error = failure(raw);
		expect(error).toBeInstanceOf(InvalidBaseUrlError);
		expect(error.message).toBe(
			`The Base URL "${raw}" uses plain http. Use https (http is only allowed for localhost).`,
		);
	});

	it('refuses text that is not a URL', () => {
		const error = failure('spaces.nexudus.com');
		expect(error).toBeInstanceOf(InvalidBaseUrlError);
		expect(error.message).toBe(
			'The Base URL "spaces.nexudus.com" is not a valid URL. Use https://spaces.nexudus.com or your Nexudus address.',
		);
		expect(failure('https://').message).toContain('is not a valid URL');
	});

	it('refuses schemes other than http and https', () => {
		for (const raw of ['ftp://spaces.nexudus.com', 'javascript:alert(1)', 'file:///etc/passwd']) {
			const error = failure(raw);
			expect(error).toBeInstanceOf(InvalidBaseUrlError);
			expect(error.message).toBe(`The Base URL "${raw}" must start with https://.`);
		}
	});
});
