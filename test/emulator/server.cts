import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

import { DEFAULT_USERS, TokenStore, type EmulatorUser } from './auth.cjs';
import { control } from './control.cjs';
import { FaultQueue, type FaultSpec } from './faults.cjs';
import { RateLimiter, NEXUDUS_LIMITS, type RateLimits } from './limits.cjs';
import { Query } from './lists.cjs';
import { SERVER_ERROR, UNAUTHORIZED, message, type ApiResponse } from './responses.cjs';
import { dispatch } from './routes.cjs';
import { applySeed, type SeedName } from './seed.cjs';
import { EmulatorDb } from './store.cjs';

export { DEFAULT_USERS, DEMO_PASSWORD, DEMO_TOTP_SECRET, type EmulatorUser } from './auth.cjs';
export { FaultQueue, FAULT_KINDS, type FaultKind, type FaultSpec } from './faults.cjs';
export { NEXUDUS_LIMITS, type RateLimits } from './limits.cjs';
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
	clearRequests(): void;
	close(): Promise<void>;
}

const DEFAULT_TOKEN_TTL_SECONDS = 604_799;
const MAX_BODY_BYTES = 1_000_000;
const THROTTLE_STATUS_TEXT = 'You must wait before accessing this url again.';

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

const BAD_GATEWAY_HTML =
	'<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>';

function sendBadGateway(res: ServerResponse): void {
	if (res.destroyed) return;
	res.writeHead(502, {
		'Content-Type': 'text/html',
		'Content-Length': Buffer.byteLength(BAD_GATEWAY_HTML),
	});
	res.end(BAD_GATEWAY_HTML);
}

function throttled(limits: RateLimits | false): ApiResponse {
	const retryAfter = (limits || NEXUDUS_LIMITS).retryAfterSeconds;
	return {
		status: 409,
		statusMessage: THROTTLE_STATUS_TEXT,
		headers: { 'Retry-After': String(retryAfter) },
	};
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

function isWrite(method: string, path: string): boolean {
	return WRITE_METHODS.has(method) && /^\/api\/(spaces|sys)\//i.test(path);
}

type Outcome = ApiResponse | 'drop' | 'bad-gateway';

/** Faults that answer at once, without running the request. */
function immediateFault(fault: FaultSpec, limits: RateLimits | false): Outcome | undefined {
	switch (fault.kind) {
		case '409':
			return throttled(limits);
		case '500':
			return SERVER_ERROR;
		case '502':
			return 'bad-gateway';
		case 'drop':
			return 'drop';
		case '401':
			return UNAUTHORIZED;
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
		} else if (outcome === 'bad-gateway') {
			record.status = 502;
			sendBadGateway(res);
		} else {
			record.status = outcome.status;
			send(res, outcome);
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

		const write = isWrite(method, url.pathname);
		// Faults come before rate limiting, so a test gets exactly the failure it asked for.
		const fault = faults.take(method, url.pathname);
		const immediate = fault && immediateFault(fault, limiter.current);
		if (immediate) return finish(req, res, record, immediate);
		const afterWrite = fault?.kind === '500-after-write' || fault?.kind === 'drop-after-write';
		if (afterWrite) limiter.count(write, performance.now());
		else if (!limiter.admit(write, performance.now())) {
			return finish(req, res, record, throttled(limiter.current));
		}
		if (fault?.kind === 'slow') await sleep(fault.delayMs ?? 1000);

		let response: ApiResponse;
		try {
			response = dispatch({
				db,
				tokens,
				users,
				method,
				path: url.pathname,
				query: new Query(url.searchParams),
				headers: req.headers,
				contentType,
				body,
			});
		} catch (error) {
			console.error('[nexudus-emulator] handler failed', error);
			response = SERVER_ERROR;
		}
		if (fault?.kind === '500-after-write') response = SERVER_ERROR;
		return finish(req, res, record, fault?.kind === 'drop-after-write' ? 'drop' : response);
	}

	const server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://emulator');
		readBody(req)
			.then((raw) => {
				if (url.pathname.startsWith('/_emulator/')) {
					const body = parseBody(raw, String(req.headers['content-type'] ?? ''));
					return send(
						res,
						control(emulator, req.method ?? 'GET', url.pathname, url.searchParams, body),
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
		clearRequests: () => {
			requests.length = 0;
		},
		close: () =>
			new Promise<void>((resolve, reject) => {
				for (const timer of timers) clearTimeout(timer);
				timers.clear();
				server.close((error) => (error ? reject(error) : resolve()));
				server.closeAllConnections();
			}),
	};
	return emulator;
}
