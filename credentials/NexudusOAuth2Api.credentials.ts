import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeProperties,
	Icon,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { normalizeBaseUrl } from '../nodes/Nexudus/helpers/baseUrl';
import { DEFAULT_CLIENT_ID, processClientId } from '../nodes/Nexudus/helpers/clientId';
import { totp } from '../nodes/Nexudus/helpers/totp';
import { bodyStart, retryAfterMs } from '../nodes/Nexudus/transport/answers';
import { bindToken, boundToken, isUnderBaseUrl } from '../nodes/Nexudus/transport/tokenBinding';

/** Login problems the user must fix in the credential; the message never holds a secret. */
export class NexudusLoginError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'NexudusLoginError';
	}
}

/**
 * A throttled login waits here only briefly: n8n gives a credential no cancel signal, so longer
 * waits are left to the node's transport, which honours cancel (it reads "retry after N s").
 */
const MAX_THROTTLED_LOGINS = 2;
const MAX_LOGIN_WAIT_MS = 2_000;
const LOGIN_TIMEOUT_MS = 30_000;

function str(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

function loginForm(credentials: ICredentialDataDecryptedObject): string {
	const form = new URLSearchParams({
		grant_type: 'password',
		username: str(credentials.email),
		password: typeof credentials.password === 'string' ? credentials.password : '',
	});
	const secret = str(credentials.totpSecret);
	if (secret !== '') {
		try {
			form.set('totp', totp(secret));
		} catch {
			// Not even one character of the secret goes into the message: it ends up in logs.
			throw new NexudusLoginError(
				'The Two-Factor Secret is not a valid base32 secret: it may hold only the letters A to Z and the digits 2 to 7 (spaces, dashes and = are ignored). Paste the secret shown when two-factor authentication was set up, or leave the field empty.',
			);
		}
	}
	return form.toString();
}

// Words, not codes: n8n replaces a message that contains a code like ECONNREFUSED with its own.
const CONNECTION_PROBLEMS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	ETIMEDOUT: 'timed out',
	ECONNABORTED: 'timed out',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'host not found',
	CERT_HAS_EXPIRED: 'TLS certificate expired',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
};

function connectionProblem(error: unknown): string {
	const code = String((error as { code?: unknown })?.code ?? '');
	return CONNECTION_PROBLEMS[code] ?? 'no answer';
}

/** Only the origin of a redirect: its path or query may carry data. */
function redirectOrigin(headers: IN8nHttpFullResponse['headers'], from: string): string {
	const raw = headers?.location as unknown;
	try {
		return new URL(String(Array.isArray(raw) ? raw[0] : raw), from).origin;
	} catch {
		return 'an unreadable address';
	}
}

function describeRejection(body: unknown, usesTotp: boolean): string {
	const data = (body ?? {}) as { error?: unknown; error_description?: unknown };
	const said =
		typeof data.error_description === 'string' ? ` Nexudus said: "${data.error_description}"` : '';
	if (data.error === 'invalid_grant') {
		return usesTotp
			? `Nexudus login failed: the email, the password or the two-factor code was rejected. Check the password, the Two-Factor Secret, and that the n8n machine's clock is right (codes change every 30 seconds).${said}`
			: `Nexudus login failed: wrong email or password. If the user has two-factor authentication on, fill in the Two-Factor Secret.${said}`;
	}
	return `Nexudus login failed (${String(data.error ?? 'unexpected answer')}).${said}`;
}

/**
 * Logs in with Nexudus's OAuth2 password grant (form-urlencoded POST /api/token) and returns the
 * access token. A 409 there is Nexudus's throttling: wait and try again.
 */
export async function requestAccessToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const email = str(credentials.email);
	if (email === '' || typeof credentials.password !== 'string' || credentials.password === '') {
		throw new NexudusLoginError('Nexudus login failed: fill in the email and the password.');
	}
	let baseUrl: string;
	try {
		baseUrl = normalizeBaseUrl(credentials.baseUrl);
	} catch (error) {
		throw new NexudusLoginError((error as Error).message);
	}
	const usesTotp = str(credentials.totpSecret) !== '';
	// Each n8n process has a session of its own (see helpers/clientId.ts).
	const clientId = processClientId(str(credentials.clientId) || DEFAULT_CLIENT_ID);

	for (let attempt = 0; ; attempt++) {
		let response: IN8nHttpFullResponse;
		try {
			response = (await helper.helpers.httpRequest({
				method: 'POST',
				url: `${baseUrl}/api/token`,
				headers: {
					'Content-Type': 'application/x-www-form-urlencoded',
					Accept: 'application/json',
					client_id: clientId,
				},
				// Built per attempt: a two-factor code may have rolled over while we waited.
				body: loginForm(credentials),
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				// The password goes to the Base URL only, never where a redirect points.
				disableFollowRedirect: true,
				timeout: LOGIN_TIMEOUT_MS,
			})) as IN8nHttpFullResponse;
		} catch (error) {
			if (error instanceof NexudusLoginError) throw error;
			// The transport error carries the request, password included: keep only what failed.
			throw new NexudusLoginError(
				`Nexudus login failed: could not reach ${baseUrl} (${connectionProblem(error)}). Check the Base URL and the network.`,
			);
		}
		const { statusCode, body } = response;
		// Nexudus throttles with 409, a proxy or CDN in front of it with 429: nothing was done.
		if (statusCode === 409 || statusCode === 429) {
			const wait = retryAfterMs(response.headers as Record<string, unknown>) || 1000;
			if (attempt < MAX_THROTTLED_LOGINS && wait <= MAX_LOGIN_WAIT_MS) {
				await sleep(wait);
				continue;
			}
			throw new NexudusLoginError(
				`Nexudus is throttling logins (${statusCode}): retry after ${wait / 1000} s. Try again then.`,
			);
		}
		if (statusCode >= 300 && statusCode < 400) {
			const origin = redirectOrigin(response.headers, `${baseUrl}/api/token`);
			throw new NexudusLoginError(
				`Nexudus login failed: ${baseUrl}/api/token answered ${statusCode} with a redirect to ${origin}, which the credential does not follow so that the password only goes to the Base URL. If ${origin} is your Nexudus, set it as the Base URL.`,
			);
		}
		if (statusCode >= 200 && statusCode < 300) {
			const token = (body as { access_token?: unknown } | undefined)?.access_token;
			if (typeof token === 'string' && token !== '') return token;
			throw new NexudusLoginError(
				`Nexudus answered the login at ${baseUrl}/api/token without an access token (it answered ${bodyStart(body)}): check the Base URL.`,
			);
		}
		if (statusCode === 400 || statusCode === 401) {
			throw new NexudusLoginError(describeRejection(body, usesTotp));
		}
		throw new NexudusLoginError(
			`Nexudus login failed with HTTP ${statusCode} at ${baseUrl}/api/token. Check the Base URL; if it is right, Nexudus may be down.`,
		);
	}
}

/** The credential test's Base URL: the node's rules (see test/credentials, which compares them). */
export const TEST_BASE_URL =
	'={{ (String($credentials.baseUrl || "").trim() || "https://spaces.nexudus.com").replace(/[?#].*$/, "").replace(/^([a-z][a-z0-9+.-]*:\\/\\/)[^/@]*@/i, "$1").replace(/\\/+$/, "") }}';

export class NexudusOAuth2Api implements ICredentialType {
	name = 'nexudusOAuth2Api';

	displayName = 'Nexudus OAuth2 API';

	icon: Icon = { light: 'file:../icons/nexudus.svg', dark: 'file:../icons/nexudus.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-nexudus/n8n-nodes-nexudus#credential-set-up';

	properties: INodeProperties[] = [
		{
			displayName:
				"This OAuth2 credential uses Nexudus's password grant: there is no app to register and no Connect button. Enter the email and password of the Nexudus user the workflows act as.",
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@example.com',
			default: '',
			required: true,
			description: 'Email of the Nexudus user the workflow acts as',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Two-Factor Secret',
			name: 'totpSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only when the user has two-factor authentication on: the base32 secret shown when it was set up (the text behind the QR code)',
			hint: 'n8n computes the 6-digit code at each login, so the n8n machine needs a correct clock',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: 'n8n-nodes-nexudus',
			description:
				'Sent at login as the client_id header, plus a tag per n8n process; Nexudus keeps one session per client ID, so n8n workers and other apps of this user keep theirs',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://spaces.nexudus.com',
			description: 'Address of the Nexudus API, with https (plain http only for localhost)',
		},
		{
			displayName: 'Webhook Shared Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for the Nexudus Trigger: the shared secret of Settings > Integrations in Nexudus; with it, deliveries without its signature are refused',
			hint: 'Without it, the trigger cannot tell Nexudus from anyone else who knows its URL',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	// n8n calls this when the token is empty, after a 401 (then resends once) and on credential test.
	// The token is stored bound to the Base URL, e-mail and client ID it was issued for.
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const accessToken = bindToken(await requestAccessToken(this, credentials), credentials);
		return { accessToken } as IDataObject;
	}

	// A function, not a generic template: n8n would evaluate the template as an expression on
	// every request, which costs more than the rest of the node's own work per item.
	// The token only goes to the Base URL it was issued by. One issued for another Base URL,
	// e-mail or client ID (the credential was edited since) is not sent: Nexudus answers 401 and
	// n8n logs in again.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		if (!isUnderBaseUrl(requestOptions.url, requestOptions.baseURL, credentials)) {
			let origin = 'another address';
			try {
				origin = new URL(requestOptions.url, requestOptions.baseURL).origin;
			} catch {
				// keep "another address"
			}
			throw new NexudusLoginError(
				`The Nexudus credential only sends its token to its Base URL, and this request goes to ${origin}: use the Base URL's address, or change the Base URL.`,
			);
		}
		const token = boundToken(credentials.accessToken, credentials);
		const headers = { ...requestOptions.headers };
		for (const name of Object.keys(headers))
			if (name.toLowerCase() === 'authorization') delete headers[name];
		return token === undefined
			? { ...requestOptions, headers }
			: { ...requestOptions, headers: { ...headers, Authorization: `Bearer ${token}` } };
	}

	test: ICredentialTestRequest = {
		request: {
			// normalizeBaseUrl's rules (helpers/baseUrl.ts) as an expression: trimmed, empty is the
			// default, no query or fragment, no trailing slash. The login before it checks the rest.
			baseURL: TEST_BASE_URL,
			url: '/api/sys/businesses',
			qs: { page: 1, size: 1 },
			// The token goes to the Base URL only, never where a redirect points.
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Nexudus logged the user in but refused its token. Try again; if it persists, check the Base URL.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Logged in, but the user may not list locations: give it the Business-List role (or full administrator rights) in Nexudus.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No Nexudus API at this Base URL: check it (the default is https://spaces.nexudus.com).',
				},
			},
		],
	};
}
