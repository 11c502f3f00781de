import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { normalizeBaseUrl } from '../helpers/baseUrl';
import type { NexudusActionResponse } from '../helpers/errors';
import { nexudusNetworkError, nexudusResponseError } from '../helpers/errors';
import type { PacingSettings } from './pacing';
import { NEXUDUS_PACING, pacerFor, waitFor } from './pacing';

export const CREDENTIAL_TYPE = 'nexudusOAuth2Api';

/** Nexudus's largest page: Return All over N records costs ceil(N / 1000) requests. */
export const MAX_PAGE_SIZE = 1000;

const DEFAULT_TIMEOUT_MS = 60_000;
/** Retries after a 5xx or a dropped connection; throttling has its own budget (maxRetries). */
const MAX_FAULT_RETRIES = 4;
const BACKOFF_BASE_MS = 500;

type NexudusContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface NexudusRequest {
	method: IHttpRequestMethods;
	endpoint: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** The Nexudus role the call needs, named in a 403 message. */
	role: string;
	/** What the call is about, named in a 404 message: "coworker inventory asset 42". */
	subject?: string;
	itemIndex?: number;
	pacing?: PacingSettings;
	timeoutMs?: number;
	/**
	 * For a create: after a 5xx or a lost connection the record may or may not exist. This looks
	 * it up; when it returns a record, that is the result and nothing is sent again.
	 */
	findCreated?: () => Promise<IDataObject | undefined>;
}

interface Account {
	baseUrl: string;
	key: string;
	/**
	 * The credential, read once per node run and handed to every request: n8n would otherwise
	 * load it from its database and decrypt it again for each one. n8n writes a new token into
	 * this same object when it logs in again, so every later request uses it.
	 */
	credentials: ICredentialsDecrypted;
	/** The re-login under way after a 401, which other requests that got a 401 wait for. */
	relogin?: Promise<unknown>;
}

const accounts = new WeakMap<object, Account>();

async function accountOf(ctx: NexudusContext, itemIndex?: number): Promise<Account> {
	let account = accounts.get(ctx);
	if (!account) {
		const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
		const stored = ctx.getNode().credentials?.[CREDENTIAL_TYPE];
		let baseUrl: string;
		try {
			baseUrl = normalizeBaseUrl(credentials.baseUrl);
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), (error as Error).message, {
				description: 'Fix the Base URL in the Nexudus credential.',
				itemIndex,
			});
		}
		const email = typeof credentials.email === 'string' ? credentials.email.toLowerCase() : '';
		account = {
			baseUrl,
			key: `${baseUrl}|${email}`,
			credentials: {
				id: stored?.id ?? '',
				name: stored?.name ?? '',
				type: CREDENTIAL_TYPE,
				data: credentials,
			},
		};
		accounts.set(ctx, account);
	}
	return account;
}

function cancelSignal(ctx: NexudusContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
}

interface Answer {
	statusCode: number;
	body: unknown;
	headers: Record<string, unknown>;
}

interface Failure {
	/** ECONNRESET, ETIMEDOUT...: no HTTP answer came back. */
	networkCode: string;
}

const NETWORK_CODE = /\b(ECONNRESET|ECONNREFUSED|ECONNABORTED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EPIPE)\b/;

function networkCodeOf(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		if (typeof current.code === 'string' && NETWORK_CODE.test(current.code)) return current.code;
		const message = typeof current.message === 'string' ? current.message : '';
		const match = NETWORK_CODE.exec(message);
		if (match) return match[1];
		if (/socket hang up/i.test(message)) return 'ECONNRESET';
		if (/timeout of \d+ms exceeded|timed? ?out/i.test(message)) return 'ETIMEDOUT';
		current = current.cause as typeof current;
	}
	return undefined;
}

/** The credential's login failed; n8n may have reworded the message, but keeps the original. */
function loginFailureMessage(error: unknown): string | undefined {
	const { message, messages } = (error ?? {}) as { message?: unknown; messages?: unknown };
	const candidates = [message, ...(Array.isArray(messages) ? messages : [])];
	return candidates.find(
		(text): text is string => typeof text === 'string' && text.startsWith('Nexudus login failed'),
	);
}

function httpCodeOf(error: unknown): number | undefined {
	const code = Number((error as { httpCode?: unknown })?.httpCode);
	return Number.isInteger(code) && code >= 100 ? code : undefined;
}

/** Nexudus throttling is a 409 with an empty body or "You must wait..."; any other 409 is real. */
function isThrottle(answer: Answer): boolean {
	if (answer.statusCode !== 409) return false;
	const { body } = answer;
	if (body === undefined || body === null || body === '') return true;
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	return /must wait/i.test(text);
}

function retryAfterMs(headers: Record<string, unknown>): number {
	const raw = headers['retry-after'];
	const seconds = Number(Array.isArray(raw) ? raw[0] : raw);
	return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000;
}

function backoffMs(attempt: number): number {
	const ceiling = BACKOFF_BASE_MS * 2 ** attempt;
	return ceiling / 2 + Math.random() * (ceiling / 2);
}

async function send(
	ctx: NexudusContext,
	account: Account,
	options: IHttpRequestOptions,
	throwOnHttpError: boolean,
): Promise<Answer | Failure> {
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL_TYPE,
			{ ...options, ignoreHttpStatusErrors: !throwOnHttpError },
			{ credentialsDecrypted: account.credentials },
		)) as IN8nHttpFullResponse;
		return {
			statusCode: response.statusCode,
			body: response.body,
			headers: (response.headers ?? {}) as Record<string, unknown>,
		};
	} catch (error) {
		const loginFailure = loginFailureMessage(error);
		if (loginFailure) {
			throw new NodeApiError(ctx.getNode(), { message: loginFailure }, {
				message: loginFailure,
				description: 'Fix the Nexudus credential, then run the workflow again.',
			});
		}
		const httpCode = httpCodeOf(error);
		if (httpCode !== undefined) {
			const data = (error as { context?: { data?: unknown } }).context?.data;
			return { statusCode: httpCode, body: data, headers: {} };
		}
		const networkCode = networkCodeOf(error);
		if (networkCode) return { networkCode };
		throw new NodeApiError(ctx.getNode(), { message: 'Request to Nexudus failed' }, {
			message: `Request to Nexudus failed: ${(error as Error)?.message ?? 'unknown error'}`,
		});
	}
}

/**
 * After a 401: n8n's own path (throwing mode) logs in again and resends once. Requests in flight
 * with the same old token wait for that one login and resend with the new token: each login
 * voids the previous token, so a login per request would void each other's.
 */
async function afterUnauthorized(
	account: Account,
	sentWith: unknown,
	attempt: (throwOnHttpError: boolean) => Promise<Answer | Failure>,
): Promise<Answer | Failure> {
	if (account.relogin) {
		// When that login failed, this request goes n8n's path itself and reports why.
		const renewed = await account.relogin.then(
			() => true,
			() => false,
		);
		return await attempt(!renewed);
	}
	if (account.credentials.data?.accessToken !== sentWith) return await attempt(false);
	const relogin = attempt(true);
	account.relogin = relogin;
	try {
		return await relogin;
	} finally {
		if (account.relogin === relogin) account.relogin = undefined;
	}
}

/**
 * The one way the node talks to Nexudus: paces requests under the account's limits, logs in
 * again once on a 401, waits out 409 throttling, retries what is safe to retry, and maps every
 * failure to a message a workflow builder can act on.
 */
export async function nexudusApiRequest(this: NexudusContext, request: NexudusRequest): Promise<unknown> {
	const account = await accountOf(this, request.itemIndex);
	const pacer = pacerFor(account.key);
	const pacing = request.pacing ?? NEXUDUS_PACING;
	const signal = cancelSignal(this);
	const timeoutMs = request.timeoutMs ?? request.pacing?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const isWrite = request.method !== 'GET';
	const errorContext = {
		itemIndex: request.itemIndex,
		role: request.role,
		subject: request.subject,
		baseUrl: account.baseUrl,
	};
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${account.baseUrl}${request.endpoint}`,
		qs: request.qs,
		body: request.body,
		headers: { Accept: 'application/json' },
		json: true,
		returnFullResponse: true,
		timeout: timeoutMs,
	};

	let throttled = 0;
	let faults = 0;
	let reloggedIn = false;
	let maybeApplied = false;
	// The token the last request went out with, read when it is sent (after any pacing wait).
	let sentWith: unknown;
	const attempt = async (throwOnHttpError: boolean) =>
		await pacer.run(
			isWrite,
			pacing,
			async () => {
				sentWith = account.credentials.data?.accessToken;
				return await send(this, account, options, throwOnHttpError);
			},
			signal,
		);
	for (;;) {
		let result = await attempt(false);
		if ('statusCode' in result && result.statusCode === 401 && !reloggedIn) {
			reloggedIn = true;
			result = await afterUnauthorized(account, sentWith, attempt);
		}

		if ('networkCode' in result || result.statusCode >= 500) {
			if (request.method === 'POST') {
				// The create may have happened: look before sending it again. After a time-out
				// Nexudus may still be working on it, so give it as long again first.
				if ('networkCode' in result && /ETIMEDOUT|ECONNABORTED/.test(result.networkCode)) {
					await waitFor(timeoutMs, signal);
				}
				const found = request.findCreated ? await request.findCreated() : undefined;
				if (found) return { WasSuccessful: true, Value: found, recoveredAfterFault: true };
				if (!request.findCreated) {
					throw 'networkCode' in result
						? nexudusNetworkError(this.getNode(), result.networkCode, { ...errorContext, timeoutMs })
						: nexudusResponseError(this.getNode(), result.statusCode, result.body, errorContext);
				}
			}
			if (faults < Math.min(MAX_FAULT_RETRIES, pacing.maxRetries)) {
				maybeApplied = true;
				await waitFor(backoffMs(faults++), signal);
				continue;
			}
			throw 'networkCode' in result
				? nexudusNetworkError(this.getNode(), result.networkCode, { ...errorContext, timeoutMs })
				: nexudusResponseError(this.getNode(), result.statusCode, result.body, errorContext);
		}

		if (isThrottle(result) && throttled < pacing.maxRetries) {
			throttled++;
			const wait = retryAfterMs(result.headers);
			pacer.holdUntil(Date.now() + wait);
			continue;
		}

		// A DELETE whose first answer was lost already happened.
		if (result.statusCode === 404 && request.method === 'DELETE' && maybeApplied) {
			return { WasSuccessful: true, Message: 'The record was deleted successfully.', Value: null };
		}

		const body = result.body as NexudusActionResponse | undefined;
		if (result.statusCode >= 200 && result.statusCode < 300 && body?.WasSuccessful !== false) {
			return result.body;
		}
		throw nexudusResponseError(this.getNode(), result.statusCode, result.body, errorContext);
	}
}

/** Nexudus's list envelope. */
export interface NexudusPage {
	Records?: IDataObject[];
	HasNextPage?: boolean;
	TotalItems?: number;
	TotalPages?: number;
	CurrentPage?: number;
}

/** One page of a list endpoint. */
export async function nexudusListPage(
	this: NexudusContext,
	request: Omit<NexudusRequest, 'method'>,
	page: number,
	size: number,
): Promise<NexudusPage> {
	const answer = (await nexudusApiRequest.call(this, {
		...request,
		method: 'GET',
		qs: { ...request.qs, page, size },
	})) as NexudusPage | undefined;
	return answer ?? {};
}

/** Every record of a list endpoint (or the first `limit`), at 1000 a page. */
export async function nexudusListAll(
	this: NexudusContext,
	request: Omit<NexudusRequest, 'method'>,
	limit?: number,
): Promise<IDataObject[]> {
	const records: IDataObject[] = [];
	const size = limit !== undefined ? Math.min(Math.max(limit, 1), MAX_PAGE_SIZE) : MAX_PAGE_SIZE;
	for (let page = 1; ; page++) {
		const answer = await nexudusListPage.call(this, request, page, size);
		const batch = answer.Records ?? [];
		records.push(...batch);
		if (limit !== undefined && records.length >= limit) return records.slice(0, limit);
		if (!answer.HasNextPage || batch.length === 0) return records;
	}
}
