export const DEFAULT_BASE_URL = 'https://spaces.nexudus.com';

const LOOPBACK_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export class InvalidBaseUrlError extends Error {}

/**
 * The Base URL without trailing slashes. Plain http would send the password and tokens in clear
 * text, so it is only accepted for loopback hosts (the local emulator, tests).
 */
export function normalizeBaseUrl(raw: unknown): string {
	const text = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : DEFAULT_BASE_URL;
	if (!URL.canParse(text)) {
		throw new InvalidBaseUrlError(
			`The Base URL "${text}" is not a valid URL. Use ${DEFAULT_BASE_URL} or your Nexudus address.`,
		);
	}
	const url = new URL(text);
	if (url.protocol === 'http:' && !LOOPBACK_HOSTS.test(url.hostname)) {
		throw new InvalidBaseUrlError(
			`The Base URL "${text}" uses plain http. Use https (http is only allowed for localhost).`,
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new InvalidBaseUrlError(`The Base URL "${text}" must start with https://.`);
	}
	return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
