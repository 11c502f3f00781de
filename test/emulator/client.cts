import { MINIMAL } from './server.cjs';

/** HTTP helpers the emulator tests share; each takes the base URL since every test starts its own emulator. */

export interface Answer {
	status: number;
	headers: Headers;
	text: string;
	/** Parsed JSON; `any` keeps the assertions short. */
	body: any;
}

export interface CallOptions {
	token?: string;
	json?: unknown;
	form?: Record<string, string>;
	headers?: Record<string, string>;
	/** Unset means fetch's default, 'follow'. */
	redirect?: Redirect;
}

/** 'manual' lets a test see a redirect answer instead of where it leads. */
export type Redirect = 'follow' | 'manual';

export const ASSIGNMENTS = '/api/spaces/coworkerinventoryassets';
/** The password every seeded user has. */
export const PASSWORD = 'demo-password';

/** `path` may be a full URL, for calls to a redirect target rather than the emulator. */
export async function call(
	base: string,
	method: string,
	path: string,
	options: CallOptions = {},
): Promise<Answer> {
	const headers: Record<string, string> = { ...options.headers };
	let body: string | undefined;
	if (options.token) headers.Authorization = `Bearer ${options.token}`;
	if (options.json !== undefined) {
		headers['Content-Type'] = 'application/json';
		body = JSON.stringify(options.json);
	}
	if (options.form) {
		headers['Content-Type'] = 'application/x-www-form-urlencoded';
		body = new URLSearchParams(options.form).toString();
	}
	const url = path.startsWith('http') ? path : base + path;
	const response = await fetch(url, {
		method,
		headers,
		body,
		// Left out when unset so fetch keeps its own default.
		...(options.redirect ? { redirect: options.redirect } : {}),
	});
	const text = await response.text();
	let parsed: unknown;
	try {
		parsed = text ? JSON.parse(text) : undefined;
	} catch {
		parsed = undefined;
	}
	return { status: response.status, headers: response.headers, text, body: parsed };
}

/** The raw answer, for tests that expect a login to fail. */
export function loginCall(
	base: string,
	email = 'admin@example.com',
	headers: Record<string, string> = {},
	redirect?: Redirect,
): Promise<Answer> {
	return call(base, 'POST', '/api/token', {
		form: { grant_type: 'password', username: email, password: PASSWORD },
		headers,
		redirect,
	});
}

export async function login(
	base: string,
	email = 'admin@example.com',
	headers: Record<string, string> = {},
	redirect?: Redirect,
) {
	const answer = await loginCall(base, email, headers, redirect);
	expect(answer.status).toBe(200);
	return answer.body as { access_token: string; refresh_token: string; expires_in: number };
}

export async function adminToken(base: string, redirect?: Redirect): Promise<string> {
	return (await login(base, undefined, undefined, redirect)).access_token;
}

/** A body the minimal seed accepts for POST ASSIGNMENTS; overrides make it invalid on purpose. */
export function validAssignment(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		CoworkerId: MINIMAL.coworkers.ana,
		BusinessId: MINIMAL.businesses.main,
		InventoryAssetId: MINIMAL.inventoryAssets.desk,
		AssignedFrom: '2025-01-15T10:30:00Z',
		...overrides,
	};
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
