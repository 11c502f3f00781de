import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

/*
 * What an HTTP answer means, before anything is taken from it: throttling (409 "You must wait",
 * or a 429 from a proxy or CDN in front of Nexudus), a redirect, or a 2xx that is not Nexudus's
 * JSON (a maintenance page, a captive portal, a misrouted proxy), which is never a success.
 */

export interface Answer {
	statusCode: number;
	body: unknown;
	headers: Record<string, unknown>;
}

/** The shape a 2xx must have to be Nexudus's answer to this request. */
export type Expected = 'list' | 'record' | 'records' | 'action' | 'json';

function header(headers: Record<string, unknown>, name: string): string | undefined {
	const raw = headers[name] ?? headers[name.toLowerCase()];
	const value = Array.isArray(raw) ? raw[0] : raw;
	return value === undefined || value === null ? undefined : String(value);
}

/**
 * Throttling: nothing was applied, so the request may be sent again after Retry-After. Nexudus
 * throttles with a 409 whose body is empty or "You must wait..." (any other 409 is a real
 * conflict); a proxy or CDN in front of it with 429.
 */
export function isThrottle(answer: Answer): boolean {
	if (answer.statusCode === 429) return true;
	if (answer.statusCode !== 409) return false;
	const { body } = answer;
	if (body === undefined || body === null || body === '') return true;
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	return /must wait/i.test(text);
}

/** The wait Retry-After asks for, in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(
	headers: Record<string, unknown> | undefined,
	now = Date.now(),
): number | undefined {
	const value = header(headers ?? {}, 'retry-after')?.trim();
	if (value === undefined || value === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
	// An HTTP date (RFC 9110): "Wed, 21 Oct 2026 07:28:00 GMT".
	if (!/[a-z]/i.test(value)) return undefined;
	const at = Date.parse(value);
	return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** The origin a redirect points to, and nothing else of it (its path or query may hold data). */
export function redirectOrigin(headers: Record<string, unknown>, from: string): string {
	try {
		return new URL(String(header(headers, 'location')), from).origin;
	} catch {
		return 'an unreadable address';
	}
}

/** What a request's 2xx must look like: the caller may say; otherwise from its method and endpoint. */
export function expectedOf(
	method: IHttpRequestMethods,
	endpoint: string,
	qs?: IDataObject,
): Expected {
	if (method !== 'GET') return 'action';
	if (/\/\d+$/.test(endpoint)) return 'record';
	if (typeof qs?.id === 'string' && qs.id.startsWith('[')) return 'records';
	return 'json';
}

const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

/**
 * Why a 2xx is not Nexudus's answer to the request, or undefined when it is: HTML, a body that
 * is not JSON, an empty body, or JSON of another shape than the request gets from Nexudus (a
 * list without Records, a record without its Id, a write without WasSuccessful).
 */
export function notNexudus(
	answer: Answer,
	expected: Expected,
	endpoint: string,
): string | undefined {
	const type = header(answer.headers, 'content-type') ?? '';
	const { body } = answer;
	if (/html/i.test(type)) return 'an HTML page';
	if (body === undefined || body === null || body === '') return 'an empty answer';
	if (typeof body === 'string' || Buffer.isBuffer(body)) return 'text that is not JSON';
	switch (expected) {
		case 'list':
			return isObject(body) && Array.isArray(body.Records)
				? undefined
				: 'JSON without the list of Records';
		case 'record': {
			const id = /\/(\d+)$/.exec(endpoint)?.[1];
			return isObject(body) && body.Id !== undefined && String(body.Id) === id
				? undefined
				: `JSON that is not record ${id ?? ''}`.trim();
		}
		case 'records':
			return Array.isArray(body) ? undefined : 'JSON that is not a list of records';
		case 'action':
			return isObject(body) && typeof body.WasSuccessful === 'boolean'
				? undefined
				: 'JSON without WasSuccessful';
		default:
			return isObject(body) || Array.isArray(body) ? undefined : 'JSON that is not an object';
	}
}

const SHOWN = 60;

/** The first characters of a body, on one line, for a message: "<html><head><title>Down for…". */
export function bodyStart(body: unknown): string {
	let text: string;
	if (typeof body === 'string') text = body;
	else if (Buffer.isBuffer(body)) text = body.toString('utf8');
	else if (body === undefined || body === null) text = '';
	else {
		try {
			text = JSON.stringify(body) ?? '';
		} catch {
			text = String(body);
		}
	}
	const line = text.replace(/\s+/g, ' ').trim();
	if (line.length <= SHOWN) return JSON.stringify(line);
	let shown = line.slice(0, SHOWN);
	if (/[\uD800-\uDBFF]$/.test(shown)) shown = shown.slice(0, -1);
	return `${JSON.stringify(shown)}…`;
}

/** The Content-Type of an answer, for a message. */
export function contentTypeOf(answer: Answer): string | undefined {
	return header(answer.headers, 'content-type')?.split(';')[0].trim() || undefined;
}

/* Failures that came back without an answer, or from the credential's login. */

const NETWORK_CODE =
	/\b(ECONNRESET|ECONNREFUSED|ECONNABORTED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EPIPE)\b/;

/**
 * n8n (1.x on the way out of httpRequest) replaces a network error's message by its own text and
 * may drop the code: read the code back from that text (n8n-workflow's COMMON_ERRORS).
 */
const N8N_NETWORK_TEXTS: Array<[RegExp, string]> = [
	[/^The service refused the connection/, 'ECONNREFUSED'],
	[/^The connection to the server was closed unexpectedly/, 'ECONNRESET'],
	[/^The connection cannot be established/, 'ENOTFOUND'],
	[/^The connection timed out/, 'ETIMEDOUT'],
	[/^The connection was aborted/, 'ECONNABORTED'],
	[/^The DNS server returned an error/, 'EAI_AGAIN'],
];

export function networkCodeOf(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		if (typeof current.code === 'string' && NETWORK_CODE.test(current.code)) return current.code;
		const message = typeof current.message === 'string' ? current.message : '';
		const match = NETWORK_CODE.exec(message);
		if (match) return match[1];
		if (/socket hang up/i.test(message)) return 'ECONNRESET';
		const reworded = N8N_NETWORK_TEXTS.find(([text]) => text.test(message));
		if (reworded) return reworded[1];
		if (/timeout of \d+ms exceeded|timed? ?out/i.test(message)) return 'ETIMEDOUT';
		current = current.cause as typeof current;
	}
	return undefined;
}

/** The credential's login failed; n8n may have reworded the message, but keeps the original. */
export function loginFailureMessage(error: unknown): string | undefined {
	const { message, messages } = (error ?? {}) as { message?: unknown; messages?: unknown };
	const candidates = [message, ...(Array.isArray(messages) ? messages : [])];
	return candidates.find(
		(text): text is string =>
			typeof text === 'string' &&
			(text.startsWith('Nexudus login failed') || text.startsWith('Nexudus is throttling logins')),
	);
}

export function httpCodeOf(error: unknown): number | undefined {
	const code = Number((error as { httpCode?: unknown })?.httpCode);
	return Number.isInteger(code) && code >= 100 ? code : undefined;
}

/** n8n's wording of a login the credential threw: "Nexudus is throttling logins..." asks us to wait. */
export const LOGIN_THROTTLED =
	/Nexudus is throttling logins \(4(?:09|29)\): retry after ([\d.]+) s/;

/** Login failures worth trying again in the same run: no answer, throttling, Nexudus down. */
export function isTransientLoginFailure(message: string): boolean {
	return /could not reach|may be down|throttling/i.test(message);
}
