/** Behaviours of the real API (or of what sits in front of it) that tests turn on one by one. */

export interface RedirectSwitch {
	/** Origin the client is sent to, e.g. a startRedirectTarget() url; the path and query are kept. */
	to: string;
	/** Paths to redirect: a string matches that path and the paths under it, a RegExp is tested. */
	paths: Array<string | RegExp>;
	/** Default 307, which keeps the method and body. */
	status?: 301 | 302 | 303 | 307 | 308;
}

/** Requests a switch applies to: paths as for RedirectSwitch, methods (any when left out). */
export interface RouteMatch {
	paths: Array<string | RegExp>;
	methods?: string[];
}

/** What sits in front of Nexudus answering instead of it (or after it). */
export interface ForeignPageSwitch extends RouteMatch {
	/** 'maintenance' (default): a 200 text/html page, the request never reaches the API; 'after-write': the request runs, then the page is what comes back; 'empty': a 200 with no body; 'not-json': a 200 application/json whose body is not JSON. */
	kind?: 'maintenance' | 'after-write' | 'empty' | 'not-json';
}

/** Throttles every matching request, whatever else gets through (a URL stuck behind a limit). */
export interface ThrottleSwitch extends RouteMatch {
	/** 409 (Nexudus) or 429 (a proxy or CDN in front of it); default 409. */
	status?: 409 | 429;
	/** Sent as Retry-After as is: seconds, or an HTTP date; default 1. */
	retryAfter?: number | string;
}

export interface EmulatorSwitches {
	/** Record dates in answers as 2025-01-15T10:30:00 (UTC, no Z); input with Z is still read. */
	datesWithoutZ: boolean;
	/** Record dates in answers and deliveries as .NET's round-trip form: 2026-01-12T09:00:00.0000000 (7 fractional digits, no offset, UTC). */
	datesSevenDigits: boolean;
	/** Record dates in answers and deliveries with +00:00 instead of Z (with datesSevenDigits: 2026-01-12T09:00:00.0000000+00:00). */
	datesPlusZero: boolean;
	/** Every list answers page 1 with HasNextPage true, whatever `page` says. */
	ignorePage: boolean;
	/** List filters (query parameter names, case-insensitive) answered as if absent, as an API that ignores an unknown filter. */
	ignoreFilters: string[];
	/** A password login voids the user's earlier tokens for the same client_id. On by default, as in Nexudus. */
	oneSessionPerClient: boolean;
	/** A missing role is answered 401 (Nexudus documents 401 for "no permission" too), not 403. */
	missingRoleAs401: boolean;
	/** Answers matching /api paths with a redirect to another origin; false when off. */
	redirect: RedirectSwitch | false;
	/**
	 * How webhook deliveries are signed: 'ascii' as Nexudus's published code (ASCIIEncoding of the
	 * secret and the JSON: every UTF-16 code unit above U+007F is '?'), 'utf8' over the bytes sent.
	 */
	webhookSigning: 'ascii' | 'utf8';
	/** A maintenance page, captive portal or proxy page answers matching requests with a 2xx that is not Nexudus's JSON. */
	foreignPages: ForeignPageSwitch | false;
	/** Matching requests are throttled (409 or 429) forever, while the others get through. */
	throttleForever: ThrottleSwitch | false;
	/** Matching writes run, but are answered WasSuccessful: true with Value: null (no Id). */
	valueNull: RouteMatch | false;
}

export const DEFAULT_SWITCHES: EmulatorSwitches = {
	datesWithoutZ: false,
	datesSevenDigits: false,
	datesPlusZero: false,
	ignorePage: false,
	ignoreFilters: [],
	oneSessionPerClient: true,
	missingRoleAs401: false,
	redirect: false,
	webhookSigning: 'ascii',
	foreignPages: false,
	throttleForever: false,
	valueNull: false,
};

/** Whether a switch's route match takes this request. */
export function routeMatches(match: RouteMatch | false, method: string, path: string): boolean {
	if (!match) return false;
	if (match.methods && !match.methods.some((m) => m.toUpperCase() === method.toUpperCase()))
		return false;
	return match.paths.some((pattern) => pathMatches(pattern, path));
}

function parseRoute(name: string, input: unknown): RouteMatch {
	const fields = (input ?? {}) as Record<string, unknown>;
	const paths = Array.isArray(fields.paths) ? fields.paths : [fields.paths];
	if (paths.some((path) => typeof path !== 'string')) {
		throw new Error(`${name}.paths must be a string or a list of strings`);
	}
	const methods = fields.methods === undefined ? undefined : fields.methods;
	if (
		methods !== undefined &&
		(!Array.isArray(methods) || methods.some((m) => typeof m !== 'string'))
	) {
		throw new Error(`${name}.methods must be a list of HTTP methods`);
	}
	// Over HTTP a path is the source of a regular expression.
	return {
		paths: (paths as string[]).map((path) => new RegExp(path)),
		methods: methods as string[] | undefined,
	};
}

function pathMatches(pattern: string | RegExp, path: string): boolean {
	if (pattern instanceof RegExp) return pattern.test(path);
	return path === pattern || path.startsWith(pattern.endsWith('/') ? pattern : `${pattern}/`);
}

/** The Location to send for this request, or undefined when it is not redirected. */
export function redirectLocation(
	redirect: RedirectSwitch | false,
	path: string,
	search: string,
): string | undefined {
	if (!redirect || !redirect.paths.some((pattern) => pathMatches(pattern, path))) return undefined;
	return `${redirect.to.replace(/\/+$/, '')}${path}${search}`;
}

/** A copy of an answer body with every UTC date string's Z taken off. */
export function stripDateZ(value: unknown): unknown {
	return styleDates(value, { datesWithoutZ: true });
}

export type DateSwitches = Partial<
	Pick<EmulatorSwitches, 'datesWithoutZ' | 'datesSevenDigits' | 'datesPlusZero'>
>;

const DATE_PARTS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?::(\d{2})(?:\.(\d+))?)?Z$/;

function styleDate(text: string, switches: DateSwitches): string {
	const parts = DATE_PARTS.exec(text);
	if (!parts) return text;
	const [, minutes, seconds, fraction] = parts;
	const wall = switches.datesSevenDigits
		? `${minutes}:${seconds ?? '00'}.${(fraction ?? '').padEnd(7, '0').slice(0, 7)}`
		: `${minutes}${seconds ? `:${seconds}` : ''}${fraction ? `.${fraction}` : ''}`;
	if (switches.datesPlusZero) return `${wall}+00:00`;
	return switches.datesWithoutZ || switches.datesSevenDigits ? wall : text;
}

/** A copy of an answer or delivery body with every UTC date written as the date switches say. */
export function styleDates(value: unknown, switches: DateSwitches): unknown {
	if (!switches.datesWithoutZ && !switches.datesSevenDigits && !switches.datesPlusZero)
		return value;
	if (typeof value === 'string') return styleDate(value, switches);
	if (Array.isArray(value)) return value.map((item) => styleDates(item, switches));
	if (typeof value === 'object' && value !== null) {
		return Object.fromEntries(
			Object.entries(value).map(([name, field]) => [name, styleDates(field, switches)]),
		);
	}
	return value;
}

/** Reads a partial switch set from a control request. */
export function parseSwitches(input: unknown): Partial<EmulatorSwitches> {
	if (typeof input !== 'object' || input === null || Array.isArray(input)) {
		throw new Error('switches must be an object');
	}
	const fields = input as Record<string, unknown>;
	const result: Partial<EmulatorSwitches> = {};
	for (const name of [
		'datesWithoutZ',
		'datesSevenDigits',
		'datesPlusZero',
		'ignorePage',
		'oneSessionPerClient',
		'missingRoleAs401',
	] as const) {
		if (fields[name] === undefined) continue;
		if (typeof fields[name] !== 'boolean') throw new Error(`${name} must be true or false`);
		result[name] = fields[name];
	}
	if (fields.ignoreFilters !== undefined) {
		const names = fields.ignoreFilters;
		if (!Array.isArray(names) || names.some((name) => typeof name !== 'string')) {
			throw new Error('ignoreFilters must be a list of query parameter names');
		}
		result.ignoreFilters = names as string[];
	}
	if (fields.redirect !== undefined) {
		const redirect = fields.redirect as Record<string, unknown> | false | null;
		if (redirect === false || redirect === null) result.redirect = false;
		else {
			if (typeof redirect.to !== 'string' || !/^https?:\/\//.test(redirect.to)) {
				throw new Error('redirect.to must be an http(s) origin');
			}
			const paths = Array.isArray(redirect.paths) ? redirect.paths : [redirect.paths];
			if (paths.some((path) => typeof path !== 'string')) {
				throw new Error('redirect.paths must be a string or a list of strings');
			}
			const status = redirect.status ?? 307;
			if (![301, 302, 303, 307, 308].includes(status as number)) {
				throw new Error('redirect.status must be 301, 302, 303, 307 or 308');
			}
			result.redirect = {
				to: redirect.to,
				// As for faults, a path over HTTP is the source of a regular expression.
				paths: (paths as string[]).map((path) => new RegExp(path)),
				status: status as RedirectSwitch['status'],
			};
		}
	}
	if (fields.webhookSigning !== undefined) {
		if (fields.webhookSigning !== 'ascii' && fields.webhookSigning !== 'utf8') {
			throw new Error("webhookSigning must be 'ascii' or 'utf8'");
		}
		result.webhookSigning = fields.webhookSigning;
	}
	if (fields.foreignPages !== undefined) {
		const value = fields.foreignPages as Record<string, unknown> | false | null;
		if (!value) result.foreignPages = false;
		else {
			const kind = value.kind ?? 'maintenance';
			if (!['maintenance', 'after-write', 'empty', 'not-json'].includes(kind as string)) {
				throw new Error('foreignPages.kind must be maintenance, after-write, empty or not-json');
			}
			result.foreignPages = {
				...parseRoute('foreignPages', value),
				kind: kind as ForeignPageSwitch['kind'],
			};
		}
	}
	if (fields.throttleForever !== undefined) {
		const value = fields.throttleForever as Record<string, unknown> | false | null;
		if (!value) result.throttleForever = false;
		else {
			const status = value.status ?? 409;
			if (status !== 409 && status !== 429)
				throw new Error('throttleForever.status must be 409 or 429');
			const retryAfter = value.retryAfter ?? 1;
			if (typeof retryAfter !== 'number' && typeof retryAfter !== 'string') {
				throw new Error('throttleForever.retryAfter must be a number or a string');
			}
			result.throttleForever = { ...parseRoute('throttleForever', value), status, retryAfter };
		}
	}
	if (fields.valueNull !== undefined) {
		result.valueNull = fields.valueNull ? parseRoute('valueNull', fields.valueNull) : false;
	}
	const unknown = Object.keys(fields).filter((name) => !(name in DEFAULT_SWITCHES));
	if (unknown.length > 0) throw new Error(`Unknown switch ${unknown.join(', ')}`);
	return result;
}

/** Switches as JSON (a RegExp path as its source). */
export function describeSwitches(switches: EmulatorSwitches): unknown {
	const route = <T extends RouteMatch>(match: T | false) =>
		match && {
			...match,
			paths: match.paths.map((path) => (path instanceof RegExp ? path.source : path)),
		};
	return {
		...switches,
		foreignPages: route(switches.foreignPages),
		throttleForever: route(switches.throttleForever),
		valueNull: route(switches.valueNull),
		redirect: switches.redirect && {
			...switches.redirect,
			paths: switches.redirect.paths.map((path) => (path instanceof RegExp ? path.source : path)),
		},
	};
}
