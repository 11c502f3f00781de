import { createHash } from 'crypto';
import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { normalizeBaseUrl } from '../helpers/baseUrl';
import type { NexudusActionResponse } from '../helpers/errors';
import {
	nexudusForeignAnswerError,
	nexudusNetworkError,
	nexudusResponseError,
} from '../helpers/errors';
import type { Answer, Expected } from './answers';
import {
	LOGIN_THROTTLED,
	bodyStart,
	contentTypeOf,
	expectedOf,
	httpCodeOf,
	isThrottle,
	isTransientLoginFailure,
	loginFailureMessage,
	networkCodeOf,
	notNexudus,
	redirectOrigin,
	retryAfterMs,
} from './answers';
import type { PacingSettings } from './pacing';
import {
	NEXUDUS_PACING,
	PacingLimitError,
	RequestDeadlineError,
	describeWait,
	maxRequestMs,
	maxWaitMs,
	pacerFor,
	waitFor,
} from './pacing';
import type { Session } from './session';
import { sessionFor, singleLogin } from './session';
import { boundToken } from './tokenBinding';

export const CREDENTIAL_TYPE = 'nexudusOAuth2Api';

/** Nexudus's largest page: Return All over N records costs ceil(N / 1000) requests. */
export const MAX_PAGE_SIZE = 1000;

export const DEFAULT_TIMEOUT_MS = 60_000;
/** Retries after a 5xx or a dropped connection; throttling has its own budget (maxRetries). */
export const MAX_FAULT_RETRIES = 4;
/** How many newer tokens (other executions' or processes' logins) one request takes after a 401. */
const MAX_ADOPTED_TOKENS = 5;
const BACKOFF_BASE_MS = 500;

/** The action node, its pickers, and the trigger's activation (hooks) and deliveries (webhook). */
export type NexudusContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions;

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
	/** The shape Nexudus answers this request with; by default from the method and endpoint. */
	expect?: Expected;
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
	/** The account's login, shared with every execution in this process. */
	session: Session;
	/** A login Nexudus refused in this run: later requests fail with it instead of logging in again. */
	loginFailure?: NodeApiError;
	/** A token refused (401) right after this run logged in for it: a missing permission, not a lost session. */
	refusedFresh?: string;
}

/**
 * A create (POST) that failed in a way that may have been applied (a 5xx, a lost answer): the
 * transport never sends it again by itself; the operation decides (look it up, then resend).
 */
export class NexudusMaybeAppliedError extends NodeApiError {}

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
		const email =
			typeof credentials.email === 'string' ? credentials.email.trim().toLowerCase() : '';
		const clientId =
			(typeof credentials.clientId === 'string' ? credentials.clientId.trim() : '') ||
			'n8n-nodes-nexudus';
		// A token is only shared between credentials that could each have logged in for it.
		const secret = (value: unknown) => (typeof value === 'string' ? value : '');
		// A token issued for another Base URL, e-mail or client ID (the credential was edited) is
		// never sent: the first request logs in again.
		if (!boundToken(credentials.accessToken, credentials)) credentials.accessToken = '';
		const sessionKey = createHash('sha256')
			.update(
				[
					baseUrl,
					email,
					clientId,
					secret(credentials.password),
					secret(credentials.totpSecret),
				].join('\n'),
			)
			.digest('hex');
		account = {
			baseUrl,
			key: `${baseUrl}|${email}`,
			session: sessionFor(sessionKey),
			credentials: {
				id: stored?.id ?? '',
				name: stored?.name ?? '',
				type: CREDENTIAL_TYPE,
				// As stored: the credential's login adds this process's tag (n8n 1.x saves this object).
				data: credentials,
			},
		};
		accounts.set(ctx, account);
	}
	return account;
}

export function cancelSignal(ctx: NexudusContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
}

interface Failure {
	/** ECONNRESET, ETIMEDOUT...: no HTTP answer came back. */
	networkCode: string;
}

function backoffMs(attempt: number): number {
	const ceiling = BACKOFF_BASE_MS * 2 ** attempt;
	return ceiling / 2 + Math.random() * (ceiling / 2);
}

function tokenOf(account: Account): string {
	const token = account.credentials.data?.accessToken;
	return typeof token === 'string' ? token : '';
}

/** The token n8n's credential store holds now (another process may have saved a newer one). */
async function storedToken(ctx: NexudusContext, account: Account): Promise<string> {
	try {
		const fresh = await ctx.getCredentials(CREDENTIAL_TYPE);
		// Only one issued for the credential as it is now.
		const data = account.credentials.data ?? {};
		return boundToken(fresh.accessToken, data) ? (fresh.accessToken as string) : '';
	} catch {
		return '';
	}
}

function isUsable(session: Session, token: string): boolean {
	return token !== '' && !session.refused?.has(token);
}

/** Uses the newest token another execution of this process got (ours may have been voided by it). */
function adoptSessionToken(account: Account): void {
	const { token } = account.session;
	if (token && token !== tokenOf(account) && account.credentials.data) {
		account.credentials.data.accessToken = token;
	}
}

async function send(
	ctx: NexudusContext,
	account: Account,
	options: IHttpRequestOptions,
): Promise<Answer | Failure> {
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL_TYPE,
			// Every status comes back as an answer: the 401 re-login is the session's, not n8n's.
			{ ...options, ignoreHttpStatusErrors: true },
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
			const throttled = LOGIN_THROTTLED.exec(loginFailure);
			if (throttled) {
				return { statusCode: 409, body: '', headers: { 'retry-after': throttled[1] } };
			}
			const failure = new NodeApiError(
				ctx.getNode(),
				{ message: loginFailure },
				{
					message: loginFailure,
					description: 'Fix the Nexudus credential, then run the workflow again.',
				},
			);
			// Each try of a refused login risks locking the Nexudus user out: once per run.
			if (!isTransientLoginFailure(loginFailure)) account.loginFailure = failure;
			throw failure;
		}
		const httpCode = httpCodeOf(error);
		if (httpCode !== undefined) {
			const { data, headers } = ((error as { context?: { data?: unknown; headers?: unknown } })
				.context ?? {}) as { data?: unknown; headers?: Record<string, unknown> };
			return { statusCode: httpCode, body: data, headers: headers ?? {} };
		}
		const networkCode = networkCodeOf(error);
		if (networkCode) return { networkCode };
		throw new NodeApiError(
			ctx.getNode(),
			{ message: 'Request to Nexudus failed' },
			{
				message: `Request to Nexudus failed: ${(error as Error)?.message ?? 'unknown error'}`,
			},
		);
	}
}

/**
 * Sends with the account's newest token. Without one, n8n logs in first: only one request of
 * this process does that at a time, the others wait and use its token.
 */
async function sendInSession(
	ctx: NexudusContext,
	account: Account,
	options: IHttpRequestOptions,
	sent: { token: string },
): Promise<Answer | Failure> {
	if (account.loginFailure) throw account.loginFailure;
	adoptSessionToken(account);
	if (tokenOf(account) === '') {
		const login = await singleLogin(account.session, async () => {
			// Another process may have logged in since this run read the credential: take its token.
			const stored = await storedToken(ctx, account);
			if (isUsable(account.session, stored) && account.credentials.data) {
				account.credentials.data.accessToken = stored;
			}
			const answer = await send(ctx, account, options);
			if (tokenOf(account) !== '') account.session.token = tokenOf(account);
			return answer;
		});
		if (login.ran) {
			sent.token = tokenOf(account);
			return login.result as Answer | Failure;
		}
		if (account.loginFailure) throw account.loginFailure;
		adoptSessionToken(account);
	}
	sent.token = tokenOf(account);
	const answer = await send(ctx, account, options);
	// n8n logged in during the send (its token was empty or refused): that is the newest.
	if (tokenOf(account) !== '' && tokenOf(account) !== sent.token)
		account.session.token = tokenOf(account);
	return answer;
}

/**
 * After a 401, log in again only if nobody has a newer token: another execution of this
 * process, or another n8n process (n8n saves each new token in its credential store).
 */
async function renewAfterUnauthorized(
	ctx: NexudusContext,
	account: Account,
	refused: string,
): Promise<'newer token' | 'log in'> {
	const { session } = account;
	(session.refused ??= new Set()).add(refused);
	if (session.login)
		await session.login.then(
			() => undefined,
			() => undefined,
		);
	if (session.token && session.token !== refused) return 'newer token';
	const stored = await storedToken(ctx, account);
	if (session.token && session.token !== refused) return 'newer token';
	if (isUsable(session, stored)) {
		session.token = stored;
		return 'newer token';
	}
	// An empty token makes the next send log in (n8n calls the credential's preAuthentication).
	if (session.token === refused) session.token = undefined;
	if (tokenOf(account) === refused && account.credentials.data)
		account.credentials.data.accessToken = '';
	return 'log in';
}

/**
 * The one way the node talks to Nexudus: paces requests under the account's limits, keeps the
 * account's login, waits out 409 throttling, retries what is safe to retry, and maps every
 * failure to a message a workflow builder can act on. It never follows a redirect: the token
 * and the password only ever go to the credential's Base URL.
 */
export async function nexudusApiRequest(
	this: NexudusContext,
	request: NexudusRequest,
): Promise<unknown> {
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
		disableFollowRedirect: true,
	};
	const fail = (message: string, description: string, httpCode?: number) =>
		new NodeApiError(
			this.getNode(),
			{ message },
			{
				message,
				description,
				httpCode: httpCode === undefined ? undefined : String(httpCode),
				itemIndex: request.itemIndex,
			},
		);

	const sent = { token: '' };
	const expected = request.expect ?? expectedOf(request.method, request.endpoint, request.qs);
	// Every wait ends: for its turn, Retry-After, throttling and retries, a request gets this long.
	const capMs = maxRequestMs(pacing);
	const deadline = Date.now() + capMs;
	let throttles = 0;
	const overDeadline = (why: string) =>
		fail(
			`Nexudus did not take this request within the Max Time per Request (${describeWait(capMs)}): ${why}`,
			`${throttles > 0 ? `It was throttled ${throttles} times (409 or 429), and a throttled request is not applied. ` : ''}Raise Max Time per Request in Options, or run the item again later.`,
		);
	const attempt = async () =>
		await pacer
			.run(
				isWrite,
				pacing,
				async () => await sendInSession(this, account, options, sent),
				signal,
				deadline,
			)
			.catch((error: unknown) => {
				if (error instanceof RequestDeadlineError)
					throw overDeadline(`the wait for ${error.message} would end after it`);
				if (!(error instanceof PacingLimitError)) throw error;
				throw fail(
					`${error.message}: nothing was sent`,
					`Nexudus allows per account ${pacing.writesPerMinute} writes a minute and ${pacing.writesPerDay ?? 0} a day, ${pacing.requestsPerMinute ?? 0} requests a minute and ${pacing.requestsPerHour ?? 0} an hour. The node waits at most ${describeWait(maxWaitMs(pacing))} for a turn; run the rest later.`,
				);
			});
	const pause = async (ms: number, why: string) => {
		if (Date.now() + ms > deadline) throw overDeadline(why);
		await waitFor(ms, signal);
	};

	let throttledInARow = 0;
	let firstThrottleAt: number | undefined;
	let progressSeen = pacer.lastProgressAt;
	let faults = 0;
	let adopted = 0;
	let loggedIn = false;
	let maybeApplied = false;
	for (;;) {
		const result = await attempt();

		// Another process may log in between our login and our resend: taking its newer token
		// is always fine (a few times); logging in ourselves, once per request.
		// A 401 to a token this run just logged in for is a missing permission (Nexudus documents
		// 401 for both): for the rest of the run it fails the request, or every item would log in.
		if ('statusCode' in result && result.statusCode === 401 && loggedIn)
			account.refusedFresh = sent.token;
		if (
			'statusCode' in result &&
			result.statusCode === 401 &&
			!loggedIn &&
			sent.token !== account.refusedFresh &&
			adopted < MAX_ADOPTED_TOKENS
		) {
			const renewal = await renewAfterUnauthorized(this, account, sent.token);
			if (renewal === 'newer token') {
				adopted++;
				continue;
			}
			if (!loggedIn) {
				loggedIn = true;
				continue;
			}
		}

		// A 2xx that is not Nexudus's JSON is no success: for a write, as unsure as a 5xx.
		const foreign =
			'statusCode' in result && result.statusCode >= 200 && result.statusCode < 300
				? notNexudus(result, expected, request.endpoint)
				: undefined;
		if ('networkCode' in result || result.statusCode >= 500 || foreign !== undefined) {
			const reported =
				'networkCode' in result
					? nexudusNetworkError(this.getNode(), result.networkCode, { ...errorContext, timeoutMs })
					: foreign !== undefined
						? nexudusForeignAnswerError(
								this.getNode(),
								{
									statusCode: result.statusCode,
									what: foreign,
									contentType: contentTypeOf(result),
									start: bodyStart(result.body),
								},
								{ ...errorContext, isWrite, tries: faults + 1 },
							)
						: nexudusResponseError(this.getNode(), result.statusCode, result.body, errorContext);
			if (request.method === 'POST') {
				throw new NexudusMaybeAppliedError(
					this.getNode(),
					{ message: reported.message },
					{
						message: reported.message,
						description: reported.description ?? undefined,
						httpCode: reported.httpCode ?? undefined,
						itemIndex: request.itemIndex,
					},
				);
			}
			if (faults < Math.min(MAX_FAULT_RETRIES, pacing.maxRetries)) {
				maybeApplied = true;
				await pause(backoffMs(faults++), reported.message);
				continue;
			}
			throw reported;
		}

		if (result.statusCode >= 300 && result.statusCode < 400) {
			const origin = redirectOrigin(result.headers, options.url);
			throw fail(
				`Nexudus answered ${result.statusCode} with a redirect to ${origin}; the node does not follow it`,
				`So that the password and the token only go to the credential's Base URL (${account.baseUrl}), redirects are never followed. If ${origin} is where your Nexudus is, set it as the Base URL. Nothing was sent there.`,
				result.statusCode,
			);
		}

		if (isThrottle(result)) {
			pacer.throttled();
			throttles++;
			// Another request on this account got through since: the account is not stuck.
			if (pacer.lastProgressAt > progressSeen) {
				progressSeen = pacer.lastProgressAt;
				throttledInARow = 0;
			}
			const wait = retryAfterMs(result.headers) ?? 1000;
			if (wait > maxWaitMs(pacing)) {
				throw fail(
					`Nexudus asked to wait ${describeWait(wait)} (Retry-After) before the next request`,
					`The node waits at most ${describeWait(maxWaitMs(pacing))} for Nexudus's throttling, so this item was not sent again. Run it again later.`,
					result.statusCode,
				);
			}
			// Another process's progress is invisible here: within one limit window (a minute) the
			// per-minute limits must free up unless others use them, so give up only after that too.
			firstThrottleAt ??= Date.now();
			const patient = pacing.maxRetries > 0 && Date.now() - firstThrottleAt < pacing.windowMs;
			if (throttledInARow < pacing.maxRetries || patient) {
				throttledInARow++;
				if (Date.now() + wait > deadline)
					throw overDeadline(`throttled (${result.statusCode}) ${throttles} times`);
				// A little jitter, so that two processes told the same time do not collide again.
				pacer.holdUntil(Date.now() + wait * (1 + Math.random() * 0.1));
				continue;
			}
			throw nexudusResponseError(this.getNode(), result.statusCode, result.body, errorContext);
		}
		pacer.progressed(Date.now());

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
	return (await nexudusApiRequest.call(this, {
		...request,
		method: 'GET',
		qs: { ...request.qs, page, size },
		expect: 'list',
	})) as NexudusPage;
}

/**
 * Every record of a list endpoint that `keep` accepts (or the first `limit`), at 1000 a page
 * unless fewer are asked for. Stops with an error
 * when Nexudus answers another page than the one asked for (a server that ignores `page` would
 * otherwise be read forever).
 */
export async function nexudusListAll(
	this: NexudusContext,
	request: Omit<NexudusRequest, 'method'>,
	limit?: number,
	keep?: (record: IDataObject) => boolean,
): Promise<IDataObject[]> {
	const records: IDataObject[] = [];
	// With a filter, any page may hold the matches: always the largest pages.
	const size =
		limit !== undefined && keep === undefined
			? Math.min(Math.max(limit, 1), MAX_PAGE_SIZE)
			: MAX_PAGE_SIZE;
	let previousIds = '';
	for (let page = 1; ; page++) {
		const answer = await nexudusListPage.call(this, request, page, size);
		const batch = answer.Records ?? [];
		const ids = batch.map((record) => String(record.Id)).join(',');
		const answeredPage = answer.CurrentPage === undefined ? page : Number(answer.CurrentPage);
		if (answeredPage !== page || (page > 1 && ids !== '' && ids === previousIds)) {
			const message = `Nexudus answered page ${page > 1 && answeredPage === page ? page - 1 : answeredPage} again when asked for page ${page} of ${request.endpoint}`;
			throw new NodeApiError(
				this.getNode(),
				{ message },
				{
					message,
					description: `The list cannot be read past page ${page - 1} (${records.length} records read; nothing was changed). Narrow it with filters, or set a Limit of at most ${MAX_PAGE_SIZE}.`,
					itemIndex: request.itemIndex,
				},
			);
		}
		previousIds = ids;
		records.push(...(keep ? batch.filter(keep) : batch));
		if (limit !== undefined && records.length >= limit) return records.slice(0, limit);
		if (!answer.HasNextPage || batch.length === 0) return records;
		if (answer.TotalPages !== undefined && page >= Number(answer.TotalPages)) return records;
	}
}
