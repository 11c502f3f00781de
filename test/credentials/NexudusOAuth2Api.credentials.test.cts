import { LoadOptionsContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	INode,
	INodeType,
	INodeTypes,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import {
	NexudusLoginError,
	NexudusOAuth2Api,
	requestAccessToken,
} from '../../credentials/NexudusOAuth2Api.credentials';
import { normalizeBaseUrl } from '../../nodes/Nexudus/helpers/baseUrl';
import { processClientId } from '../../nodes/Nexudus/helpers/clientId';
import { bindToken, boundToken } from '../../nodes/Nexudus/transport/tokenBinding';
import { Nexudus } from '../../nodes/Nexudus/Nexudus.node';
import type { Emulator } from '../emulator/server.cjs';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, startEmulator, totp } from '../emulator/server.cjs';

/** n8n-core's real `httpRequest` helper (the one n8n hands to preAuthentication). */
function realHelpers(): IHttpRequestHelper {
	const nodeType = new Nexudus() as unknown as INodeType;
	const node: INode = {
		id: 'n',
		name: 'Nexudus',
		type: 'n8n-nodes-nexudus.nexudus',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const workflow = new Workflow({
		id: 'wf',
		name: 'credential test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => nodeType,
			getByNameAndVersion: () => nodeType,
			getKnownTypes: () => ({}),
		} as unknown as INodeTypes,
	});
	const context = new LoadOptionsContext(
		workflow,
		node,
		{} as IWorkflowExecuteAdditionalData,
		'parameters.x',
	);
	return { helpers: { httpRequest: context.helpers.httpRequest } } as IHttpRequestHelper;
}

let emulator: Emulator;
const type = new NexudusOAuth2Api();
const helpers = realHelpers();

beforeAll(async () => {
	emulator = await startEmulator({ seed: 'minimal' });
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.clearRequests();
	emulator.faults.clear();
	emulator.setLimits(false);
});

function credentials(
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		email: 'admin@example.com',
		password: DEMO_PASSWORD,
		totpSecret: '',
		clientId: 'n8n-nodes-nexudus',
		baseUrl: emulator.url,
		accessToken: '',
		...overrides,
	};
}

async function login(overrides: ICredentialDataDecryptedObject = {}) {
	return await type.preAuthentication.call(helpers, credentials(overrides));
}

async function loginError(overrides: ICredentialDataDecryptedObject = {}): Promise<Error> {
	try {
		await login(overrides);
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the login to fail');
}

const tokenRequests = () => emulator.requests.filter((r) => r.path === '/api/token');

describe('NexudusOAuth2Api login (preAuthentication over n8n-core httpRequest)', () => {
	it('logs in with a form-urlencoded password grant and the client_id header', async () => {
		const output = await login({ clientId: '  my-integration  ', email: ' Admin@Example.com ' });
		expect(Object.keys(output)).toEqual(['accessToken']);
		// Stored bound to what it was issued for: "nxb1.<binding>.<token>".
		expect(output.accessToken).toMatch(/^nxb1\.[0-9a-f]{32}\.[A-Za-z0-9_-]{20,}$/);
		const [request] = tokenRequests();
		expect(tokenRequests()).toHaveLength(1);
		expect(request.method).toBe('POST');
		expect(request.status).toBe(200);
		expect(request.headers['content-type']).toContain('application/x-www-form-urlencoded');
		expect(request.body).toEqual({
			grant_type: 'password',
			username: 'Admin@Example.com',
			password: DEMO_PASSWORD,
		});
		expect(request.clientId).toBe(processClientId('my-integration'));
	});

	it('uses the default client_id when the field is empty', async () => {
		await login({ clientId: '' });
		expect(tokenRequests()[0].clientId).toBe(processClientId('n8n-nodes-nexudus'));
	});

	it('the token it returns is accepted by the API', async () => {
		const { accessToken } = await login();
		const response = await fetch(`${emulator.url}/api/sys/businesses?page=1&size=1`, {
			headers: { Authorization: `Bearer ${String(boundToken(accessToken, credentials()))}` },
		});
		expect(response.status).toBe(200);
	});

	it('computes the two-factor code from the secret for a 2FA user', async () => {
		const before = totp(DEMO_TOTP_SECRET);
		const output = await login({
			email: '2fa@example.com',
			totpSecret: ` ${DEMO_TOTP_SECRET.toLowerCase()} `,
		});
		const after = totp(DEMO_TOTP_SECRET);
		expect(output.accessToken).toEqual(expect.any(String));
		const body = tokenRequests()[0].body as Record<string, string>;
		expect(body.totp).toMatch(/^\d{6}$/);
		expect([before, after]).toContain(body.totp);
	});

	it('a 2FA user without a secret is told to fill in the Two-Factor Secret', async () => {
		const error = await loginError({ email: '2fa@example.com' });
		expect(error).toBeInstanceOf(NexudusLoginError);
		expect(error.message).toContain('Nexudus login failed: wrong email or password');
		expect(error.message).toContain('fill in the Two-Factor Secret');
		expect((tokenRequests()[0].body as Record<string, string>).totp).toBeUndefined();
	});

	it('a wrong secret gives a message that mentions the clock', async () => {
		const error = await loginError({
			email: '2fa@example.com',
			totpSecret: 'KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF',
		});
		expect(error).toBeInstanceOf(NexudusLoginError);
		expect(error.message).toContain('the two-factor code was rejected');
		expect(error.message).toContain("n8n machine's clock");
		expect(error.message).toContain(
			'Nexudus said: "The two-factor authentication code is missing or invalid."',
		);
	});

	it('an invalid base32 secret is refused before sending, without echoing the secret', async () => {
		const secret = 'MY-SECRET-0189!';
		const error = await loginError({ email: '2fa@example.com', totpSecret: secret });
		expect(error).toBeInstanceOf(NexudusLoginError);
		expect(error.message).toMatch(/^The Two-Factor Secret is not a valid base32 secret: /);
		expect(error.message).toContain(
			'Paste the secret shown when two-factor authentication was set up',
		);
		expect(error.message).not.toContain(secret);
		expect(error.message).not.toContain('SECRET-0189');
		expect(tokenRequests()).toHaveLength(0);
	});

	it.each(['JBSWY3DP€', 'JBSW#Y3DP', 'JBSWY3DP1', 'JBSWY3DPü'])(
		'an invalid base32 secret quotes no character of it (%s)',
		async (secret) => {
			const error = await loginError({ email: '2fa@example.com', totpSecret: secret });
			const bad = [...secret].find((char) => !/[A-Z2-7]/.test(char))!;
			expect(error.message).not.toContain(bad);
			expect(error.message).not.toContain(JSON.stringify(bad));
			expect(JSON.stringify({ ...error, message: error.message })).not.toContain(bad);
		},
	);

	it('a wrong password: "wrong email or password", and the password is never in the message', async () => {
		const password = 'Wr0ng-P4ssword-xyz';
		const error = await loginError({ password });
		expect(error).toBeInstanceOf(NexudusLoginError);
		expect(error.message).toBe(
			'Nexudus login failed: wrong email or password. If the user has two-factor authentication on, fill in the Two-Factor Secret. Nexudus said: "The user name or password is incorrect."',
		);
		expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain(
			password,
		);
	});

	it.each([[{ email: '' }], [{ email: '   ' }], [{ password: '' }], [{ password: undefined }]])(
		'refuses an empty email or password without calling Nexudus (%j)',
		async (overrides) => {
			const error = await loginError(overrides as ICredentialDataDecryptedObject);
			expect(error).toBeInstanceOf(NexudusLoginError);
			expect(error.message).toBe('Nexudus login failed: fill in the email and the password.');
			expect(tokenRequests()).toHaveLength(0);
		},
	);

	it('waits out a 409 on /api/token for the Retry-After time, then logs in', async () => {
		emulator.setLimits({
			minIntervalMs: 0,
			writesPerWindow: 1000,
			windowMs: 1000,
			retryAfterSeconds: 0.15,
		});
		emulator.faults.add({ method: 'POST', path: '/api/token', kind: '409', times: 2 });
		const output = await login();
		expect(output.accessToken).toEqual(expect.any(String));
		const requests = tokenRequests();
		expect(requests.map((r) => r.status)).toEqual([409, 409, 200]);
		expect(requests[1].at - requests[0].at).toBeGreaterThanOrEqual(145);
		expect(requests[2].at - requests[1].at).toBeGreaterThanOrEqual(145);
	});

	it('after 2 short throttled retries, hands the wait to the node (which honours cancel), saying how long', async () => {
		emulator.setLimits({
			minIntervalMs: 0,
			writesPerWindow: 1000,
			windowMs: 1000,
			retryAfterSeconds: 0.02,
		});
		emulator.faults.add({ method: 'POST', path: '/api/token', kind: '409', times: 10 });
		const error = await loginError();
		expect(error.message).toBe(
			'Nexudus is throttling logins (409): retry after 0.02 s. Try again then.',
		);
		expect(tokenRequests()).toHaveLength(3);
	});

	it('a long Retry-After at login is not slept through here (no cancel signal in a credential)', async () => {
		emulator.setLimits({
			minIntervalMs: 0,
			writesPerWindow: 1000,
			windowMs: 1000,
			retryAfterSeconds: 100_000_000,
		});
		emulator.faults.add({ method: 'POST', path: '/api/token', kind: '409', times: 1 });
		const start = Date.now();
		const error = await loginError();
		expect(error.message).toBe(
			'Nexudus is throttling logins (409): retry after 100000000 s. Try again then.',
		);
		expect(tokenRequests()).toHaveLength(1);
		expect(Date.now() - start).toBeLessThan(1_000);
	});

	it('a 5xx at login names the status and the URL', async () => {
		emulator.faults.add({ method: 'POST', path: '/api/token', kind: '502' });
		const error = await loginError();
		expect(error.message).toBe(
			`Nexudus login failed with HTTP 502 at ${emulator.url}/api/token. Check the Base URL; if it is right, Nexudus may be down.`,
		);
	});

	it('a 200 without access_token points at the Base URL', async () => {
		const fake: IHttpRequestHelper = {
			helpers: {
				httpRequest: async () => ({ statusCode: 200, body: '<html>portal</html>', headers: {} }),
			},
		} as unknown as IHttpRequestHelper;
		await expect(
			requestAccessToken(fake, credentials({ baseUrl: 'https://example.com/' })),
		).rejects.toThrow(
			'Nexudus answered the login at https://example.com/api/token without an access token (it answered "<html>portal</html>"): check the Base URL.',
		);
	});

	it('refuses a plain-http Base URL that is not loopback, without sending the password', async () => {
		let sent = 0;
		const spy: IHttpRequestHelper = {
			helpers: {
				httpRequest: async (...args: unknown[]) => {
					sent++;
					return await helpers.helpers.httpRequest(...(args as [never]));
				},
			},
		} as unknown as IHttpRequestHelper;
		const error = await requestAccessToken(
			spy,
			credentials({ baseUrl: 'http://spaces.nexudus.com' }),
		).catch((caught: Error) => caught);
		expect(error).toBeInstanceOf(NexudusLoginError);
		expect((error as Error).message).toBe(
			'The Base URL "http://spaces.nexudus.com" uses plain http. Use https (http is only allowed for localhost).',
		);
		expect(sent).toBe(0);
	});

	it('an unreachable host: names the Base URL and the problem in words, never the password', async () => {
		const error = await loginError({ baseUrl: 'http://127.0.0.1:9/', password: 'Secret-Pass-123' });
		expect(error).toBeInstanceOf(NexudusLoginError);
		expect(error.message).toBe(
			'Nexudus login failed: could not reach http://127.0.0.1:9 (connection refused). Check the Base URL and the network.',
		);
		expect(error.message).not.toMatch(/ECONNREFUSED/);
		expect(JSON.stringify(error)).not.toContain('Secret-Pass-123');
	});

	it('a host that does not resolve is reported as host not found', async () => {
		const error = await loginError({ baseUrl: 'https://nexudus.invalid' });
		expect(error.message).toBe(
			'Nexudus login failed: could not reach https://nexudus.invalid (host not found). Check the Base URL and the network.',
		);
	});
});

describe('NexudusOAuth2Api definition', () => {
	it('marks every secret field as a password', () => {
		const byName = Object.fromEntries(type.properties.map((p) => [p.name, p]));
		for (const name of ['password', 'totpSecret', 'accessToken']) {
			expect(byName[name].typeOptions?.password).toBe(true);
		}
		expect(byName.accessToken.type).toBe('hidden');
		expect(byName.accessToken.typeOptions?.expirable).toBe(true);
		expect(byName.email.typeOptions?.password).toBeUndefined();
		expect(byName.baseUrl.default).toBe('https://spaces.nexudus.com');
		expect(byName.clientId.default).toBe('n8n-nodes-nexudus');
	});

	const fields = {
		baseUrl: 'https://spaces.nexudus.com',
		email: 'admin@example.com',
		clientId: 'n8n-nodes-nexudus',
	};

	it('sends the token as a Bearer header, keeping the other headers and not changing its input', async () => {
		const options = {
			url: 'https://spaces.nexudus.com/api/sys/businesses',
			headers: { Accept: 'application/json' },
		};
		const authenticated = await type.authenticate(
			{ ...fields, accessToken: bindToken('token-123', fields) },
			options,
		);
		expect(authenticated).toEqual({
			url: options.url,
			headers: { Accept: 'application/json', Authorization: 'Bearer token-123' },
		});
		expect(options.headers).toEqual({ Accept: 'application/json' });
	});

	it.each([
		['issued before tokens were bound', () => 'token-123'],
		[
			'issued for another e-mail',
			() => bindToken('token-123', { ...fields, email: 'limited@example.com' }),
		],
		[
			'issued for another Base URL',
			() => bindToken('token-123', { ...fields, baseUrl: 'https://other.example.com' }),
		],
		[
			'issued for another client ID',
			() => bindToken('token-123', { ...fields, clientId: 'other' }),
		],
	])('never sends a token %s (n8n then gets a 401 and logs in again)', async (_label, token) => {
		const options = {
			url: 'https://spaces.nexudus.com/api/sys/businesses',
			headers: { Authorization: 'Bearer stale' },
		};
		const authenticated = await type.authenticate({ ...fields, accessToken: token() }, options);
		expect(authenticated.headers).toEqual({});
	});

	it('e-mail case and spaces, a trailing slash or an empty Client ID do not change the binding', async () => {
		const token = bindToken('token-123', fields);
		const same = {
			baseUrl: ' https://spaces.nexudus.com/ ',
			email: ' Admin@Example.com ',
			clientId: '',
		};
		const authenticated = await type.authenticate(
			{ ...same, accessToken: token },
			{ url: 'https://spaces.nexudus.com/api/x' },
		);
		expect(authenticated.headers).toEqual({ Authorization: 'Bearer token-123' });
	});

	it.each([
		['another host', { url: 'https://evil.example.com/api/sys/businesses' }],
		['another scheme', { url: 'http://spaces.nexudus.com/api/sys/businesses' }],
		[
			'a baseURL of another host',
			{ baseURL: 'https://evil.example.com', url: '/api/sys/businesses' },
		],
		['user info in the URL', { url: 'https://x@spaces.nexudus.com/api' }],
	])('refuses to send the token to %s', async (_label, options) => {
		await expect(
			type.authenticate({ ...fields, accessToken: bindToken('token-123', fields) }, options),
		).rejects.toThrow('The Nexudus credential only sends its token to its Base URL');
	});

	it('tests the credential by listing one location', () => {
		expect(type.test.request).toMatchObject({
			url: '/api/sys/businesses',
			qs: { page: 1, size: 1 },
			disableFollowRedirect: true,
		});
		expect(type.test.request.method ?? 'GET').toBe('GET');
	});

	it.each([
		'https://spaces.nexudus.com',
		'https://spaces.nexudus.com/',
		'https://spaces.nexudus.com///',
		'https://spaces.nexudus.com ',
		'  https://spaces.nexudus.com/  ',
		'',
		'   ',
		'https://spaces.nexudus.com?tenant=1',
		'https://spaces.nexudus.com/?tenant=1',
		'https://spaces.nexudus.com/#top',
		'https://proxy.example.com/nexudus/',
		'https://proxy.example.com/nexudus?x=1#y',
		'http://127.0.0.1:5678/',
	])(
		"the test request goes where the node's requests go, by the node's Base URL rules (%j)",
		(raw) => {
			// Evaluated by n8n's own expression engine, as n8n's credential test does.
			const workflow = new Workflow({
				id: 'wf',
				name: 'credential test',
				nodes: [],
				connections: {},
				active: false,
				nodeTypes: {
					getByName: () => undefined,
					getByNameAndVersion: () => undefined,
					getKnownTypes: () => ({}),
				} as unknown as INodeTypes,
			});
			const node = {
				id: 'n',
				name: 'n',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			} as INode;
			const baseURL = workflow.expression.getSimpleParameterValue(
				node,
				type.test.request.baseURL as string,
				'internal',
				{
					$credentials: { baseUrl: raw },
				} as never,
			);
			expect(baseURL).toBe(normalizeBaseUrl(raw));
		},
	);

	it('has a rule with an actionable message for 401, 403 and 404', () => {
		const rules = (type.test.rules ?? []) as Array<{
			type: string;
			properties: { value: number; message: string };
		}>;
		expect(rules.map((r) => [r.type, r.properties.value])).toEqual([
			['responseCode', 401],
			['responseCode', 403],
			['responseCode', 404],
		]);
		const message = (code: number) =>
			rules.find((r) => r.properties.value === code)!.properties.message;
		expect(message(401)).toContain('refused its token');
		expect(message(403)).toContain('Business-List');
		expect(message(404)).toContain('https://spaces.nexudus.com');
	});

	it('the test request needs only the role the limited user has (Business-List)', async () => {
		const { accessToken } = await type.preAuthentication.call(
			helpers,
			credentials({ email: 'limited@example.com' }),
		);
		const response = await fetch(`${emulator.url}/api/sys/businesses?page=1&size=1`, {
			headers: {
				Authorization: `Bearer ${String(boundToken(accessToken, credentials({ email: 'limited@example.com' })))}`,
			},
		});
		expect(response.status).toBe(200);
		const body = (await response.json()) as { Records: unknown[] };
		expect(body.Records).toHaveLength(1);
	});
});
