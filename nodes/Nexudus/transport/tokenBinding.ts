import { createHash } from 'crypto';

import { normalizeBaseUrl } from '../helpers/baseUrl';
import { DEFAULT_CLIENT_ID } from '../helpers/clientId';

/*
 * A token is only good for the Base URL, e-mail and client ID it was issued for. n8n keeps the
 * stored token when the user edits the credential, so the token carries what it was issued for:
 * "nxb1.<binding>.<token>". A token of another binding (or none: saved before this existed) is
 * never sent; the next request logs in again.
 */

const PREFIX = 'nxb1';

interface LoginFields {
	baseUrl?: unknown;
	email?: unknown;
	clientId?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** What a token is bound to, or undefined when the Base URL is not valid (no token is). */
export function tokenBinding(credentials: LoginFields): string | undefined {
	let baseUrl: string;
	try {
		baseUrl = normalizeBaseUrl(credentials.baseUrl);
	} catch {
		return undefined;
	}
	const who = [
		baseUrl,
		text(credentials.email).toLowerCase(),
		text(credentials.clientId) || DEFAULT_CLIENT_ID,
	];
	return createHash('sha256').update(JSON.stringify(who)).digest('hex').slice(0, 32);
}

/** The token as stored in the credential: tagged with what it was issued for. */
export function bindToken(token: string, credentials: LoginFields): string {
	const binding = tokenBinding(credentials);
	return binding === undefined ? '' : `${PREFIX}.${binding}.${token}`;
}

/** The raw token when `stored` was issued for these credentials; undefined otherwise. */
export function boundToken(stored: unknown, credentials: LoginFields): string | undefined {
	if (typeof stored !== 'string') return undefined;
	const [prefix, binding] = stored.split('.', 2);
	if (prefix !== PREFIX || binding === undefined || binding !== tokenBinding(credentials))
		return undefined;
	const token = stored.slice(prefix.length + binding.length + 2);
	return token === '' ? undefined : token;
}

/**
 * Whether `url` (with n8n's `baseURL`, when given) is under the credential's Base URL: the
 * only place its token may go.
 */
export function isUnderBaseUrl(
	url: string | undefined,
	baseURL: string | undefined,
	credentials: LoginFields,
): boolean {
	let base: URL;
	let target: URL;
	try {
		base = new URL(normalizeBaseUrl(credentials.baseUrl));
		const joined =
			baseURL !== undefined && url !== undefined && !/^[a-z][a-z\d+.-]*:/i.test(url)
				? `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`
				: (url ?? baseURL ?? '');
		target = new URL(joined);
	} catch {
		return false;
	}
	const basePath = base.pathname.replace(/\/+$/, '');
	return (
		target.origin === base.origin &&
		target.username === '' &&
		target.password === '' &&
		(basePath === '' || target.pathname === basePath || target.pathname.startsWith(`${basePath}/`))
	);
}
