import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

import { DEFAULT_USERS, TokenStore, type EmulatorUser } from './auth.cjs';
import { control } from './control.cjs';
import { FaultQueue, type FaultSpec } from './faults.cjs';
import { RateLimiter, NEXUDUS_LIMITS, type RateLimits } from './limits.cjs';
import { Query } from './lists.cjs';
import { SERVER_ERROR, UNAUTHORIZED, forbidden, message, type ApiResponse } from './responses.cjs';
import { dispatch, type RequestContext } from './routes.cjs';
import { applySeed, type SeedName } from './seed.cjs';
import { EmulatorDb } from './store.cjs';
import { resetWebhooks, webhookControl } from './webhooks.cjs';
import {
	DEFAULT_SWITCHES,
	redirectLocation,
	styleDates,
	routeMatches,
	type EmulatorSwitches,
} from './switches.cjs';

export { DEFAULT_USERS, DEMO_PASSWORD, DEMO_TOTP_SECRET, type EmulatorUser } from './auth.cjs';
export { FaultQueue, FAULT_KINDS, type FaultKind, type FaultSpec } from './faults.cjs';
export { NEXUDUS_ALL_LIMITS, NEXUDUS_LIMITS, type RateLimits } from './limits.cjs';
export {
	REDIRECT_TARGET_ID,
	startRedirectTarget,
	type ReceivedRequest,
	type RedirectTarget,
	type RedirectTargetOptions,
} from './redirect.cjs';
export {
	DEFAULT_SWITCHES,
	type EmulatorSwitches,
	type ForeignPageSwitch,
	type RedirectSwitch,
	type RouteMatch,
	type ThrottleSwitch,
} from './switches.cjs';
export { DEMO, MINIMAL, applySeed, type SeedName } from './seed.cjs';
export {
	EmulatorDb,
	type Business,
	type Coworker,
	type CoworkerInventoryAsset,
	type CoworkerInventoryAssetListItem,
	type CoworkerInventoryAssetView,
	type InventoryAsset,
} from './store.cjs';
export { totp, verifyTotp } from './totp.cjs';
export {
	DISABLE_AFTER_FAILURES,
	MAX_RETRIES,
	deliveriesIdle,
	fireEvent,
	signBody,
	webhooksOf,
	type CoworkerContract,
	type DeliveryAttempt,
	type WebHook,
} from './webhooks.cjs';

export interface EmulatorOptions {
	/** 0 (default) picks a free port. */
	port?: number;
	host?: string;
	users?: EmulatorUser[];
	/** Default 'demo'. */
	seed?: SeedName;
	/** Default false (no throttling); NEXUDUS_LIMITS for the documented ones. */
	limits?: RateLimits | false;
	tokenTtlSeconds?: number;
	/** Added to every /api answer. */
	latencyMs?: number;
	/** Called when a recorded request has been answered (or dropped). */
	onRequest?: (request: RecordedRequest) => void;
	/** Overrides DEFAULT_SWITCHES (all off, except oneSessionPerClient). */
	switches?: Partial<EmulatorSwitches>;
}

export interface EmulatorStats {
	/** /api requests received, redirected and throttled ones included. */
	requests: number;
	/** Successful password logins. */
	logins: number;
	failedLogins: number;
	/** Successful refresh_token grants. */
	refreshes: number;
	/** 409 throttles, from the limits or from an injected '409'. */
	throttled: number;
	redirected: number;
	/** '504-late-commit' requests that have run, and those still waiting. */
	lateCommits: number;
	lateCommitsPending: number;
}

export interface RecordedRequest {
	seq: number;
	/** Arrival, ms since epoch. */
	at: number;
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON, form object, or raw string; undefined without a body. */
	body: unknown;
	/** 0 while in flight and for dropped connections. */
	status: number;
	clientId?: string;
	/** For a '504-late-commit': the status the request got when it finally ran. */
	committedStatus?: number;
}

export interface Emulator {
	url: string;
	port: number;
	/** Every /api request in arrival order (control requests are not recorded). */
	requests: RecordedRequest[];
	db: EmulatorDb;
	faults: FaultQueue;
	expireAllTokens(): void;
	setLimits(limits: RateLimits | false): void;
	/** The current switches (read only: change them with setSwitches). */
	readonly switches: EmulatorSwitches;
	/** Changes the named switches, leaves the others. */
	setSwitches(switches: Partial<EmulatorSwitches>): void;
	/** The next `times` throttles (limits or injected '409') send this Retry-After; false stops it. */
	forceRetryAfter(value: number | string | false, times?: number): void;
	/** Counts since start or the last clearRequests(). */
	stats(): EmulatorStats;
	/** Resolves once no '504-late-commit' is waiting to run. */
	lateCommitsDone(): Promise<void>;
	/** Drops the '504-late-commit' requests not yet run (a reset between tests). */
	cancelLateCommits(): void;
	/** Empties the recorded requests and the stats. */
	clearRequests(): void;
	close(): Promise<void>;
}

const DEFAULT_TOKEN_TTL_SECONDS = 604_799;
const MAX_BODY_BYTES = 1_000_000;
const THROTTLE_STATUS_TEXT = 'You must wait before accessing this url again.';

/** The query as an API that ignores the named filters reads it (names compare case-insensitively). */
function withoutFilters(params: URLSearchParams, ignored: string[]): Query {
	if (ignored.length === 0) return new Query(params);
	const skip = new Set(ignored.map((name) => name.toLowerCase()));
	return new Query(
		new URLSearchParams([...params].filter(([name]) => !skip.has(name.toLowerCase()))),
	);
}

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) req.destroy(new Error('Body too large'));
			else chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

function parseBody(raw: string, contentType: string): unknown {
	if (raw === '') return undefined;
	if (contentType.includes('application/x-www-form-urlencoded')) {
		return Object.fromEntries(new URLSearchParams(raw));
	}
	try {
		return JSON.parse(raw);
	} catch {
		return raw;
	}
}

function send(res: ServerResponse, response: ApiResponse): void {
	if (res.destroyed || res.writableEnded) return;
	const payload = response.body === undefined ? '' : JSON.stringify(response.body);
	const headers: Record<string, string | number> = {
		...response.headers,
		'Content-Length': Buffer.byteLength(payload),
	};
	if (payload) headers['Content-Type'] = 'application/json; charset=utf-8';
	if (response.statusMessage) res.writeHead(response.status, response.statusMessage, headers);
	else res.writeHead(response.status, headers);
	res.end(payload);
}

const GATEWAY_PAGES = {
	502: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>',
	504: '<html><head><title>504 Gateway Time-out</title></head><body><h1>504 Gateway Time-out</h1></body></html>',
};

/** What a proxy in front of Nexudus sends: an HTML page, not the API's JSON. */
function sendGatewayPage(res: ServerResponse, status: 502 | 504): void {
	if (res.destroyed) return;
	res.writeHead(status, {
		'Content-Type': 'text/html',
		'Content-Length': Buffer.byteLength(GATEWAY_PAGES[status]),
	});
	res.end(GATEWAY_PAGES[status]);
}

function throttled(retryAfter: number | string, status: 409 | 429 = 409): ApiResponse {
	return {
		status,
		statusMessage: status === 409 ? THROTTLE_STATUS_TEXT : 'Too Many Requests',
		headers: { 'Retry-After': String(retryAfter) },
	};
}

/** What answers in front of Nexudus when it is "down for maintenance", or a captive portal. */
export const MAINTENANCE_PAGE =
	'<!DOCTYPE html>\n<html><head><title>Down for maintenance</title></head><body><h1>We&#39;ll be back soon</h1><p>This site is undergoing scheduled maintenance.</p></body></html>';

interface RawAnswer {
	raw: { status: number; contentType?: string; text: string };
}

function sendRaw(res: ServerResponse, { raw }: RawAnswer): void {
	if (res.destroyed || res.writableEnded) return;
	const headers: Record<string, string | number> = {
		'Content-Length': Buffer.byteLength(raw.text),
	};
	if (raw.contentType) headers['Content-Type'] = raw.contentType;
	res.writeHead(raw.status, headers);
	res.end(raw.text);
}

const htmlPage = (): RawAnswer => ({
	raw: { status: 200, contentType: 'text/html; charset=utf-8', text: MAINTENANCE_PAGE },
});

/** Whole milliseconds, at least one, so a computed Retry-After is never 0. */
function secondsUntil(waitMs: number): number {
	return Math.max(1, Math.ceil(waitMs)) / 1000;
}

function formField(body: unknown, name: string): string | undefined {
	const value =
		typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
	return typeof value === 'string' ? value : undefined;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

function isWrite(method: string, path: string): boolean {
	return WRITE_METHODS.has(method) && /^\/api\/(spaces|sys)\//i.test(path);
}

type Outcome = ApiResponse | RawAnswer | 'drop' | 'bad-gateway' | 'gateway-timeout';

/** Faults that answer at once, without running the request ('409' is handled by the server). */
function immediateFault(fault: FaultSpec): Outcome | undefined {
	switch (fault.kind) {
		case '500':
			return SERVER_ERROR;
		case '502':
			return 'bad-gateway';
		case 'drop':
			return 'drop';
		case '401':
			return UNAUTHORIZED;
		case '403':
			return forbidden('CoworkerInventoryAsset-Edit');
		case '429':
			return throttled(fault.retryAfterSeconds ?? 1, 429);
		case 'html-200':
			return htmlPage();
		case '200-no-id-nothing-kept':
			return {
				status: 200,
				body: { Status: 200, Message: 'The record was created.', Value: null, WasSuccessful: true },
			};
		default:
			return undefined;
	}
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const db = new EmulatorDb();
	applySeed(db, options.seed ?? 'demo');
	const users = options.users ?? DEFAULT_USERS;
	const tokens = new TokenStore(options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS);
	const limiter = new RateLimiter(options.limits ?? false);
	const faults = new FaultQueue();
	const requests: RecordedRequest[] = [];
	const latencyMs = options.latencyMs ?? 0;
	const timers = new Set<NodeJS.Timeout>();
	// Late commits are kept apart: a reset cancels them, but must not strand a slow request.
	const lateCommits = new Set<NodeJS.Timeout>();
	let lateCommitsSettled: Array<() => void> = [];
	let switches: EmulatorSwitches = { ...DEFAULT_SWITCHES, ...options.switches };
	let forcedRetryAfter: { value: number | string; remaining: number } | undefined;
	const newStats = (): EmulatorStats => ({
		requests: 0,
		logins: 0,
		failedLogins: 0,
		refreshes: 0,
		throttled: 0,
		redirected: 0,
		lateCommits: 0,
		lateCommitsPending: 0,
	});
	let stats = newStats();
	let seq = 0;

	// Timers are tracked so close() does not leave a slow request holding the process open.
	const sleep = (ms: number) =>
		ms <= 0
			? Promise.resolve()
			: new Promise<void>((resolve) => {
					const timer = setTimeout(() => {
						timers.delete(timer);
						resolve();
					}, ms);
					timers.add(timer);
				});

	function settleLateCommits(): void {
		if (lateCommits.size > 0) return;
		for (const resolve of lateCommitsSettled) resolve();
		lateCommitsSettled = [];
	}

	/** A 409 throttle; Retry-After is the forced one, the fault's, computed or the fixed one. */
	function throttle(waitMs: number | undefined, faultValue?: number | string): ApiResponse {
		stats.throttled += 1;
		let value = faultValue;
		if (value === undefined && forcedRetryAfter) {
			value = forcedRetryAfter.value;
			forcedRetryAfter.remaining -= 1;
			if (forcedRetryAfter.remaining <= 0) forcedRetryAfter = undefined;
		}
		const limits = limiter.current || NEXUDUS_LIMITS;
		if (value === undefined) {
			value =
				limits.computeRetryAfter && waitMs !== undefined
					? secondsUntil(waitMs)
					: limits.retryAfterSeconds;
		}
		return throttled(value);
	}

	/** Whose counts a request goes to: Nexudus limits each user on their own. */
	function accountOf(path: string, body: unknown, authorization: string | undefined): string {
		if (/^\/api\/token$/i.test(path)) {
			const refreshToken = formField(body, 'refresh_token');
			if (formField(body, 'grant_type') === 'refresh_token' && refreshToken) {
				return tokens.refreshOwner(refreshToken) ?? '';
			}
			const username = (formField(body, 'username') ?? '').trim().toLowerCase();
			// The user's own spelling, so that the login and its Bearer requests share counts.
			return users.find((user) => user.email.toLowerCase() === username)?.email ?? username;
		}
		const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
		return (bearer && tokens.authenticate(bearer)) || '';
	}

	function countLogin(context: RequestContext, response: ApiResponse): void {
		if (!/^\/api\/token$/i.test(context.path) || context.method !== 'POST') return;
		const grant = formField(context.body, 'grant_type');
		if (grant === 'password') {
			if (response.status === 200) stats.logins += 1;
			else stats.failedLogins += 1;
		} else if (grant === 'refresh_token' && response.status === 200) stats.refreshes += 1;
	}

	function run(context: RequestContext): ApiResponse {
		let response: ApiResponse;
		try {
			response = dispatch(context);
		} catch (error) {
			console.error('[nexudus-emulator] handler failed', error);
			response = SERVER_ERROR;
		}
		countLogin(context, response);
		return response;
	}

	async function finish(
		req: IncomingMessage,
		res: ServerResponse,
		record: RecordedRequest,
		outcome: Outcome,
	): Promise<void> {
		await sleep(latencyMs);
		if (outcome === 'drop') {
			record.status = 0;
			req.socket.destroy();
		} else if (outcome === 'bad-gateway' || outcome === 'gateway-timeout') {
			record.status = outcome === 'bad-gateway' ? 502 : 504;
			sendGatewayPage(res, record.status as 502 | 504);
		} else if ('raw' in outcome) {
			record.status = outcome.raw.status;
			sendRaw(res, outcome);
		} else {
			record.status = outcome.status;
			// Only what goes out changes: the store keeps its dates with Z.
			const body = outcome.body === undefined ? undefined : styleDates(outcome.body, switches);
			send(res, { ...outcome, body });
		}
		options.onRequest?.(record);
	}

	async function handleApi(
		req: IncomingMessage,
		res: ServerResponse,
		url: URL,
		raw: string,
	): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
		const body = parseBody(raw, contentType);
		const clientId = req.headers['client_id'];
		const record: RecordedRequest = {
			seq: ++seq,
			at: Date.now(),
			method,
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: { ...req.headers },
			body,
			status: 0,
			clientId: Array.isArray(clientId) ? clientId[0] : clientId,
		};
		requests.push(record);
		stats.requests += 1;

		// A redirect is answered in front of the API: no fault, limit or handler sees the request.
		const location = redirectLocation(switches.redirect, url.pathname, url.search);
		if (location && switches.redirect) {
			stats.redirected += 1;
			const status = switches.redirect.status ?? 307;
			return finish(req, res, record, { status, headers: { Location: location } });
		}

		const write = isWrite(method, url.pathname);
		const authorization = req.headers.authorization;
		const account = accountOf(url.pathname, body, authorization);
		const context: RequestContext = {
			db,
			tokens,
			users,
			method,
			path: url.pathname,
			query: withoutFilters(url.searchParams, switches.ignoreFilters),
			headers: req.headers,
			contentType,
			body,
			oneSessionPerClient: switches.oneSessionPerClient,
			ignorePage: switches.ignorePage,
			missingRoleAs401: switches.missingRoleAs401,
		};
		// In front of the API, as a redirect: a URL throttled forever, a maintenance page.
		if (routeMatches(switches.throttleForever, method, url.pathname) && switches.throttleForever) {
			stats.throttled += 1;
			const { status, retryAfter } = switches.throttleForever;
			return finish(req, res, record, throttled(retryAfter ?? 1, status ?? 409));
		}
		const foreign =
			routeMatches(switches.foreignPages, method, url.pathname) && switches.foreignPages;
		if (foreign && (foreign.kind ?? 'maintenance') === 'maintenance')
			return finish(req, res, record, htmlPage());
		// Faults come before rate limiting, so a test gets exactly the failure it asked for.
		const fault = faults.take(method, url.pathname);
		if (fault?.kind === '409') {
			return finish(req, res, record, throttle(undefined, fault.retryAfterSeconds));
		}
		if (fault?.kind === '429') stats.throttled += 1;
		const immediate = fault && immediateFault(fault);
		if (immediate) return finish(req, res, record, immediate);
		if (fault?.kind === '504-late-commit') {
			// The gateway gave up, but the request reached Nexudus and still counts there.
			limiter.count(write, performance.now(), account);
			// Authenticated now: a later login must not undo a request already under way.
			const lateContext = { ...context, authenticatedAs: account || undefined };
			const timer = setTimeout(() => {
				lateCommits.delete(timer);
				stats.lateCommits += 1;
				record.committedStatus = run(lateContext).status;
				settleLateCommits();
			}, fault.delayMs ?? 3000);
			lateCommits.add(timer);
			return finish(req, res, record, 'gateway-timeout');
		}
		const afterWrite =
			fault?.kind === '500-after-write' ||
			fault?.kind === 'drop-after-write' ||
			fault?.kind === 'html-200-after-write' ||
			fault?.kind === '200-no-id-after-write';
		if (afterWrite) limiter.count(write, performance.now(), account);
		else {
			const admission = limiter.check(write, performance.now(), account);
			if (!admission.admitted) return finish(req, res, record, throttle(admission.waitMs));
		}
		if (fault?.kind === 'slow') await sleep(fault.delayMs ?? 1000);

		let response = run(context);
		if (fault?.kind === '500-after-write') response = SERVER_ERROR;
		if (fault?.kind === '200-no-id-after-write' && typeof response.body === 'object') {
			response = { ...response, body: { ...(response.body as object), Value: null } };
		}
		if (fault?.kind === 'drop-after-write') return finish(req, res, record, 'drop');
		if (fault?.kind === 'html-200-after-write') return finish(req, res, record, htmlPage());
		if (foreign) {
			const text = foreign.kind === 'empty' ? '' : MAINTENANCE_PAGE;
			const contentType =
				foreign.kind === 'empty'
					? undefined
					: foreign.kind === 'not-json'
						? 'application/json'
						: 'text/html';
			return finish(req, res, record, { raw: { status: 200, contentType, text } });
		}
		if (routeMatches(switches.valueNull, method, url.pathname) && response.status === 200) {
			const body = response.body as Record<string, unknown> | undefined;
			if (body?.WasSuccessful === true) response = { ...response, body: { ...body, Value: null } };
		}
		return finish(req, res, record, response);
	}

	const server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://emulator');
		readBody(req)
			.then((raw) => {
				if (url.pathname.startsWith('/_emulator/')) {
					const body = parseBody(raw, String(req.headers['content-type'] ?? ''));
					const method = req.method ?? 'GET';
					return webhookControl(db, method, url.pathname, url.searchParams, body, switches).then(
						(answer) =>
							send(res, answer ?? control(emulator, method, url.pathname, url.searchParams, body)),
					);
				}
				if (url.pathname.startsWith('/api/')) return handleApi(req, res, url, raw);
				return send(
					res,
					message(
						404,
						`No HTTP resource was found that matches the request URI '${url.pathname}'.`,
					),
				);
			})
			.catch((error) => {
				console.error('[nexudus-emulator] request failed', error);
				send(res, SERVER_ERROR);
			});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	const host = options.host ?? '127.0.0.1';

	const emulator: Emulator = {
		url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
		port,
		requests,
		db,
		faults,
		expireAllTokens: () => tokens.expireAll(),
		setLimits: (limits) => limiter.set(limits),
		get switches() {
			return switches;
		},
		setSwitches: (changes) => {
			switches = { ...switches, ...changes };
		},
		forceRetryAfter: (value, times = 1) => {
			if (value === false) {
				forcedRetryAfter = undefined;
				return;
			}
			if (!Number.isInteger(times) || times < 1)
				throw new Error('times must be a positive integer');
			forcedRetryAfter = { value, remaining: times };
		},
		stats: () => ({ ...stats, lateCommitsPending: lateCommits.size }),
		lateCommitsDone: () =>
			lateCommits.size === 0
				? Promise.resolve()
				: new Promise<void>((resolve) => lateCommitsSettled.push(resolve)),
		cancelLateCommits: () => {
			for (const timer of lateCommits) clearTimeout(timer);
			lateCommits.clear();
			settleLateCommits();
		},
		clearRequests: () => {
			requests.length = 0;
			stats = newStats();
		},
		close: () =>
			new Promise<void>((resolve, reject) => {
				for (const timer of [...timers, ...lateCommits]) clearTimeout(timer);
				resetWebhooks(db);
				timers.clear();
				lateCommits.clear();
				settleLateCommits();
				server.close((error) => (error ? reject(error) : resolve()));
				server.closeAllConnections();
			}),
	};
	return emulator;
}
