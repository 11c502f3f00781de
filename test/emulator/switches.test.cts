import {
	NEXUDUS_ALL_LIMITS,
	REDIRECT_TARGET_ID,
	startEmulator,
	startRedirectTarget,
	type Emulator,
	type EmulatorOptions,
	type RateLimits,
	type RedirectTarget,
} from './server.cjs';
import * as client from './client.cjs';
import { ASSIGNMENTS, PASSWORD, sleep, validAssignment, type CallOptions } from './client.cjs';
import { stripDateZ, styleDates } from './switches.cjs';

/** Behaviours that are off by default: each is turned on from code and over the control API. */

const NO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const WITH_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

let emulator: Emulator;
/** The one afterEach must close (undefined when a test started none). */
let running: Emulator | undefined;
let target: RedirectTarget | undefined;

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
	emulator = await startEmulator({ seed: 'minimal', ...options });
	running = emulator;
	return emulator;
}

afterEach(async () => {
	await running?.close();
	running = undefined;
	await target?.close();
	target = undefined;
});

// Bound to the emulator the current test started; redirects are not followed unless asked, so tests see them.
const call = (method: string, path: string, options: CallOptions = {}) =>
	client.call(emulator.url, method, path, { ...options, redirect: options.redirect ?? 'manual' });
const loginCall = (email?: string, headers?: Record<string, string>) =>
	client.loginCall(emulator.url, email, headers, 'manual');
const login = (email?: string, headers?: Record<string, string>) =>
	client.login(emulator.url, email, headers, 'manual');
const adminToken = () => client.adminToken(emulator.url, 'manual');

describe('switches', () => {
	it('are all off by default except one session per client, and are read and set over HTTP', async () => {
		await start();
		expect(emulator.switches).toEqual({
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
		});
		const set = await call('POST', '/_emulator/switches', {
			json: { ignorePage: true, redirect: { to: 'http://127.0.0.1:1', paths: ['^/api/token$'] } },
		});
		expect(set.status).toBe(200);
		expect(set.body).toEqual({
			datesWithoutZ: false,
			datesSevenDigits: false,
			datesPlusZero: false,
			ignorePage: true,
			ignoreFilters: [],
			oneSessionPerClient: true,
			missingRoleAs401: false,
			// A RegExp's source, as JavaScript escapes it.
			redirect: { to: 'http://127.0.0.1:1', paths: ['^\\/api\\/token$'], status: 307 },
			webhookSigning: 'ascii',
			foreignPages: false,
			throttleForever: false,
			valueNull: false,
		});
		expect((await call('GET', '/_emulator/switches')).body).toEqual(set.body);
		for (const bad of [
			{ ignorePage: 'yes' },
			{ datesSevenDigits: 'yes' },
			{ datesPlusZero: 1 },
			{ missingRoleAs401: 'yes' },
			{ ignoreFilters: 'Coworker_Active' },
			{ webhookSigning: 'latin1' },
			{ nope: true },
			{ redirect: { to: 'ftp://x' } },
			[1],
		]) {
			expect((await call('POST', '/_emulator/switches', { json: bad })).status).toBe(400);
		}
		await call('POST', '/_emulator/switches', { json: { ignorePage: false, redirect: false } });
		expect(emulator.switches).toMatchObject({ ignorePage: false, redirect: false });
	});
});

describe('ignored filters', () => {
	it('answers a list as if the named filters were not sent, and filters again when cleared', async () => {
		await start({ seed: 'demo' });
		const token = await adminToken();
		const path = '/api/spaces/coworkers?Coworker_Email=park@&size=1000';
		expect((await call('GET', path, { token })).body.Records).toHaveLength(1);
		await call('POST', '/_emulator/switches', { json: { ignoreFilters: ['coworker_email'] } });
		const ignored = await call('GET', path, { token });
		expect(ignored.body.Records.length).toBeGreaterThan(1);
		expect(ignored.body.Records.length).toBe(emulator.db.coworkers.length);
		await call('POST', '/_emulator/switches', { json: { ignoreFilters: [] } });
		expect((await call('GET', path, { token })).body.Records).toHaveLength(1);
	});
});

describe('1. dates without Z', () => {
	it('writes record dates without Z in GET one, lists and POST answers, and still reads Z input', async () => {
		await start({ switches: { datesWithoutZ: true } });
		const token = await adminToken();
		const created = await call('POST', ASSIGNMENTS, {
			token,
			json: validAssignment({ AssignedTo: '2025-02-01T08:00:00Z' }),
		});
		expect(created.status).toBe(200);
		expect(created.body.UpdatedOn).toMatch(NO_Z);
		const id = created.body.Value.Id;

		const one = await call('GET', `${ASSIGNMENTS}/${id}`, { token });
		expect(one.body).toMatchObject({
			AssignedFrom: '2025-01-15T10:30:00',
			AssignedTo: '2025-02-01T08:00:00',
		});
		expect(one.body.CreatedOn).toMatch(NO_Z);
		expect(one.body.UpdatedOn).toMatch(NO_Z);

		// Input without Z is UTC too, and date filters still work.
		await call('POST', ASSIGNMENTS, {
			token,
			json: validAssignment({ AssignedFrom: '2025-03-01T00:00:00' }),
		});
		const list = await call(
			'GET',
			`${ASSIGNMENTS}?from_CoworkerInventoryAsset_AssignedFrom=2025-02-01T00:00`,
			{ token },
		);
		expect(list.body.Records.map((r: { AssignedFrom: string }) => r.AssignedFrom)).toEqual([
			'2025-03-01T00:00:00',
		]);
		const coworkers = await call('GET', '/api/spaces/coworkers', { token });
		expect(coworkers.body.Records[0].CreatedOn).toMatch(NO_Z);
		const batch = await call('GET', `${ASSIGNMENTS}?id=[${id}]`, { token });
		expect(batch.body[0].AssignedFrom).toBe('2025-01-15T10:30:00');

		// The store keeps Z; only the answers change.
		expect(emulator.db.coworkerInventoryAsset(id)?.AssignedFrom).toBe('2025-01-15T10:30:00Z');
		await call('POST', '/_emulator/switches', { json: { datesWithoutZ: false } });
		expect((await call('GET', `${ASSIGNMENTS}/${id}`, { token })).body.CreatedOn).toMatch(WITH_Z);
		emulator.setSwitches({ datesWithoutZ: true });
		expect((await call('GET', `${ASSIGNMENTS}/${id}`, { token })).body.CreatedOn).toMatch(NO_Z);
	});
});

describe('1b. dates with 7 digits and +00:00', () => {
	it('writes record dates as .NET does in GET one, lists, POST answers and deliveries; the store keeps Z', async () => {
		await start({ switches: { datesSevenDigits: true } });
		const token = await adminToken();
		const created = await call('POST', ASSIGNMENTS, {
			token,
			json: validAssignment({ AssignedTo: '2025-02-01T08:00:00Z' }),
		});
		expect(created.body.UpdatedOn).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}$/);
		const id = created.body.Value.Id;
		const one = await call('GET', `${ASSIGNMENTS}/${id}`, { token });
		expect(one.body).toMatchObject({
			AssignedFrom: '2025-01-15T10:30:00.0000000',
			AssignedTo: '2025-02-01T08:00:00.0000000',
		});
		const list = await call('GET', `${ASSIGNMENTS}?id=[${id}]`, { token });
		expect(list.body[0].AssignedFrom).toBe('2025-01-15T10:30:00.0000000');
		const assets = await call('GET', '/api/spaces/inventoryassets', { token });
		expect(assets.body.Records[0].CreatedOn).toMatch(/\.\d{7}$/);

		await call('POST', '/_emulator/switches', { json: { datesPlusZero: true } });
		expect((await call('GET', `${ASSIGNMENTS}/${id}`, { token })).body.AssignedFrom).toBe(
			'2025-01-15T10:30:00.0000000+00:00',
		);
		emulator.setSwitches({ datesSevenDigits: false });
		expect((await call('GET', `${ASSIGNMENTS}/${id}`, { token })).body.AssignedFrom).toBe(
			'2025-01-15T10:30:00+00:00',
		);
		const coworkers = await call('GET', '/api/spaces/coworkers', { token });
		expect(coworkers.body.Records[0].CreatedOn).toMatch(/\+00:00$/);
		expect(emulator.db.coworkerInventoryAsset(id)?.AssignedFrom).toBe('2025-01-15T10:30:00Z');
		emulator.setSwitches({ datesPlusZero: false });
		expect((await call('GET', `${ASSIGNMENTS}/${id}`, { token })).body.AssignedFrom).toBe(
			'2025-01-15T10:30:00Z',
		);
	});

	it('styleDates leaves text that is not a UTC date, and keeps milliseconds in 7 digits', () => {
		const body = {
			CreatedOn: '2026-01-12T09:00:00.123Z',
			UpdatedOn: '2026-01-12T09:00Z',
			Notes: 'Seen 2026-01-12T09:00:00Z',
			Nested: [{ StartDate: '2026-01-12T09:00:00Z' }],
		};
		expect(styleDates(body, { datesSevenDigits: true })).toEqual({
			CreatedOn: '2026-01-12T09:00:00.1230000',
			UpdatedOn: '2026-01-12T09:00:00.0000000',
			Notes: 'Seen 2026-01-12T09:00:00Z',
			Nested: [{ StartDate: '2026-01-12T09:00:00.0000000' }],
		});
		expect(styleDates(body, {})).toBe(body);
		expect(styleDates(body, { datesWithoutZ: true })).toEqual(stripDateZ(body));
	});
});

describe('2. 504-late-commit', () => {
	it('answers 504 with a gateway page at once and creates the record delayMs later', async () => {
		await start();
		const token = await adminToken();
		emulator.faults.add({
			kind: '504-late-commit',
			method: 'POST',
			path: ASSIGNMENTS,
			delayMs: 300,
		});
		const started = Date.now();
		const answer = await call('POST', ASSIGNMENTS, { token, json: validAssignment() });
		expect(Date.now() - started).toBeLessThan(250);
		expect(answer.status).toBe(504);
		expect(answer.headers.get('content-type')).toBe('text/html');
		expect(answer.text).toContain('504 Gateway Time-out');
		expect(emulator.db.coworkerInventoryAssets).toHaveLength(0);
		expect((await call('GET', ASSIGNMENTS, { token })).body.TotalItems).toBe(0);
		expect(emulator.stats()).toMatchObject({ lateCommits: 0, lateCommitsPending: 1 });

		// A new login in between (it voids `token`) does not undo a request that already reached Nexudus.
		const fresh = (await login()).access_token;
		await emulator.lateCommitsDone();
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		expect(emulator.db.coworkerInventoryAssets).toHaveLength(1);
		const [record] = emulator.requests.filter(
			(request) => request.method === 'POST' && request.path === ASSIGNMENTS,
		);
		expect(record).toMatchObject({ status: 504, committedStatus: 200 });
		expect(emulator.stats()).toMatchObject({ lateCommits: 1, lateCommitsPending: 0 });
		expect((await call('POST', ASSIGNMENTS, { token, json: validAssignment() })).status).toBe(401);
		expect(
			(await call('POST', ASSIGNMENTS, { token: fresh, json: validAssignment() })).status,
		).toBe(200);
	});

	it('waits 3 s by default, matches method, path and times over HTTP, and a reset cancels it', async () => {
		await start();
		const token = await adminToken();
		const added = await call('POST', '/_emulator/faults', {
			json: { kind: '504-late-commit', method: 'POST', path: 'coworkerinventoryassets$', times: 2 },
		});
		expect(added.status).toBe(200);
		expect((await call('GET', '/_emulator/faults')).body).toEqual([
			{ kind: '504-late-commit', method: 'POST', path: 'coworkerinventoryassets$', remaining: 2 },
		]);
		expect((await call('GET', ASSIGNMENTS, { token })).status).toBe(200);
		expect((await call('POST', ASSIGNMENTS, { token, json: validAssignment() })).status).toBe(504);
		expect((await call('POST', ASSIGNMENTS, { token, json: validAssignment() })).status).toBe(504);
		expect((await call('POST', ASSIGNMENTS, { token, json: validAssignment() })).status).toBe(200);
		await sleep(500);
		expect(emulator.db.coworkerInventoryAssets).toHaveLength(1);
		expect((await call('GET', '/_emulator/stats')).body.lateCommitsPending).toBe(2);
		await call('POST', '/_emulator/reset');
		await emulator.lateCommitsDone();
		expect(emulator.stats().lateCommitsPending).toBe(0);
		expect(emulator.db.coworkerInventoryAssets).toHaveLength(1);
	});
});

describe('3. redirects to another origin', () => {
	it('answers 307 with the other origin, keeping path and query, before faults and limits', async () => {
		target = await startRedirectTarget();
		await start({ switches: { redirect: { to: target.url, paths: ['/api/token'] } } });
		emulator.faults.add({ kind: '500' });
		const answer = await call('POST', '/api/token?x=1', {
			form: { grant_type: 'password', username: 'admin@example.com', password: PASSWORD },
		});
		expect(answer.status).toBe(307);
		expect(answer.headers.get('location')).toBe(`${target.url}/api/token?x=1`);
		expect(answer.text).toBe('');
		expect(emulator.faults.pending()).toHaveLength(1);
		expect(emulator.requests.map((request) => request.status)).toEqual([307]);
		expect(emulator.stats()).toMatchObject({ redirected: 1, logins: 0 });
		expect(target.received).toHaveLength(0);
	});

	it('the target records what a client that follows sends it, and answers like Nexudus', async () => {
		target = await startRedirectTarget();
		await start();
		const token = await adminToken();
		emulator.setSwitches({
			redirect: { to: target.url, paths: [/^\/api\/spaces\//], status: 307 },
		});
		// fetch follows a 307 with the same method and body: this is what must never happen with a token.
		const created = await call('POST', ASSIGNMENTS, {
			token,
			json: validAssignment(),
			redirect: 'follow',
		});
		expect(created.status).toBe(200);
		expect(created.body).toMatchObject({ WasSuccessful: true, Value: { Id: REDIRECT_TARGET_ID } });
		expect(emulator.db.coworkerInventoryAssets).toHaveLength(0);
		const [post] = target.received;
		expect(post).toMatchObject({ method: 'POST', path: ASSIGNMENTS, url: ASSIGNMENTS });
		expect(JSON.parse(post.body)).toEqual(validAssignment());
		expect(post.headers['content-type']).toBe('application/json');
		expect(post.headers.host).toBe(new URL(target.url).host);

		const received = await fetch(`${target.url}/_received`).then((response) => response.json());
		expect(received).toEqual(JSON.parse(JSON.stringify(target.received)));
		expect((await call('GET', `${target.url}/api/spaces/coworkers`)).body).toMatchObject({
			Records: [],
			HasNextPage: false,
		});
		expect((await call('GET', `${target.url}/api/spaces/coworkers/7`)).body).toEqual({ Id: 7 });
		const tokenAnswer = await call('POST', `${target.url}/api/token`, {
			form: { grant_type: 'password', username: 'a@b.c', password: 'secret' },
		});
		expect(tokenAnswer.body).toMatchObject({
			access_token: expect.any(String),
			token_type: 'bearer',
		});
		expect(target.received.at(-1)?.body).toBe(
			'grant_type=password&username=a%40b.c&password=secret',
		);
		expect(target.received).toHaveLength(4);
		await fetch(`${target.url}/_received`, { method: 'DELETE' });
		expect(target.received).toHaveLength(0);

		// The token endpoint is not redirected here; /api/token still logs in.
		expect((await loginCall()).status).toBe(200);
	});

	it('is switched on and off over the control API, with paths as regular expressions', async () => {
		target = await startRedirectTarget({ urlHost: 'localhost' });
		expect(target.url).toMatch(/^http:\/\/localhost:\d+$/);
		await start();
		const token = await adminToken();
		const on = await call('POST', '/_emulator/switches', {
			json: { redirect: { to: target.url, paths: ['^/api/spaces/', '^/api/token$'], status: 308 } },
		});
		expect(on.status).toBe(200);
		const list = await call('GET', `${ASSIGNMENTS}?page=2`, { token });
		expect(list.status).toBe(308);
		expect(list.headers.get('location')).toBe(`${target.url}${ASSIGNMENTS}?page=2`);
		expect((await call('GET', '/api/sys/businesses', { token })).status).toBe(200);
		expect((await loginCall()).status).toBe(308);
		await call('POST', '/_emulator/switches', { json: { redirect: false } });
		expect((await call('GET', ASSIGNMENTS, { token })).status).toBe(200);
	});
});

describe('4. every documented limit', () => {
	const base: RateLimits = {
		minIntervalMs: 0,
		writesPerWindow: 1000,
		windowMs: 60_000,
		retryAfterSeconds: 1,
	};

	it('NEXUDUS_ALL_LIMITS holds the documented figures', () => {
		expect(NEXUDUS_ALL_LIMITS).toEqual({
			minIntervalMs: 100,
			writesPerWindow: 60,
			windowMs: 60_000,
			retryAfterSeconds: 1,
			requestsPerMinute: 120,
			requestsPerHour: 5_000,
			requestsPerDay: 200_000,
			writesPerDay: 5_000,
		});
	});

	it('120 requests a minute (time-scaled), Retry-After computed from when the window frees up', async () => {
		// timeScale 0.05: a minute lasts 3 s.
		await start({
			limits: { ...base, requestsPerMinute: 120, timeScale: 0.05, computeRetryAfter: true },
		});
		const token = await adminToken();
		const started = Date.now();
		const statuses: number[] = [];
		for (let n = 0; n < 120; n++) statuses.push((await call('GET', ASSIGNMENTS, { token })).status);
		expect(statuses.filter((status) => status === 200)).toHaveLength(119);
		expect(statuses.at(-1)).toBe(409);
		const throttled = await call('GET', ASSIGNMENTS, { token });
		expect(throttled.status).toBe(409);
		expect(throttled.text).toBe('');
		const retryAfter = Number(throttled.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThan(0);
		expect(retryAfter).toBeLessThanOrEqual(3);
		expect(retryAfter).toBeGreaterThanOrEqual(3 - (Date.now() - started) / 1000 - 0.5);
		expect(String(retryAfter)).toMatch(/^\d+(\.\d{1,3})?$/);
		await sleep(retryAfter * 1000 + 20);
		expect((await call('GET', ASSIGNMENTS, { token })).status).toBe(200);
		expect(emulator.stats().throttled).toBe(2);
	});

	it('requests per hour and per day, and writes per day, each in its own sliding window', async () => {
		// timeScale 0.0002: an hour lasts 720 ms, a day 17.28 s.
		await start({
			limits: {
				...base,
				requestsPerHour: 4,
				requestsPerDay: 6,
				writesPerDay: 1,
				timeScale: 0.0002,
			},
		});
		const token = await adminToken();
		const create = () => call('POST', ASSIGNMENTS, { token, json: validAssignment() });
		expect((await create()).status).toBe(200);
		expect((await create()).status).toBe(409); // 1 write a day
		expect((await call('GET', ASSIGNMENTS, { token })).status).toBe(200);
		expect((await call('GET', ASSIGNMENTS, { token })).status).toBe(200);
		expect((await call('GET', ASSIGNMENTS, { token })).status).toBe(409); // 4 an hour
		await sleep(760);
		expect((await call('GET', ASSIGNMENTS, { token })).status).toBe(200);
		expect((await call('GET', ASSIGNMENTS, { token })).status).toBe(200);
		expect((await call('GET', ASSIGNMENTS, { token })).status).toBe(409); // 6 a day
		expect(emulator.db.coworkerInventoryAssets).toHaveLength(1);
	});

	it('the minimum interval gives a computed, fractional Retry-After', async () => {
		await start({ limits: { ...base, minIntervalMs: 400, computeRetryAfter: true } });
		const token = await adminToken();
		const throttled = await call('GET', ASSIGNMENTS, { token });
		expect(throttled.status).toBe(409);
		const retryAfter = Number(throttled.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThan(0.2);
		expect(retryAfter).toBeLessThanOrEqual(0.4);
	});

	it('counts per account by default, and for everybody with scope global', async () => {
		await start({ limits: { ...base, minIntervalMs: 10_000 } });
		const admin = await adminToken();
		const limited = (await login('limited@example.com')).access_token;
		expect((await call('GET', ASSIGNMENTS, { token: admin })).status).toBe(409);
		expect((await call('GET', ASSIGNMENTS, { token: limited })).status).toBe(409);
		// A refresh counts for the token's owner.
		await emulator.close();
		running = undefined;
		await start({ limits: { ...base, requestsPerMinute: 1 } });
		const pair = await login();
		const refresh = await call('POST', '/api/token', {
			form: { grant_type: 'refresh_token', refresh_token: pair.refresh_token },
		});
		expect(refresh.status).toBe(409);
		expect((await loginCall('limited@example.com')).status).toBe(200);

		emulator.setLimits({ ...base, minIntervalMs: 10_000, scope: 'global' });
		expect((await loginCall()).status).toBe(200);
		expect((await loginCall('limited@example.com')).status).toBe(409);
	});

	it('takes the new fields over the control API and refuses wrong types', async () => {
		await start();
		const limits = {
			...base,
			requestsPerMinute: 2,
			timeScale: 0.01,
			computeRetryAfter: true,
			scope: 'account',
		};
		expect((await call('POST', '/_emulator/limits', { json: limits })).status).toBe(200);
		const token = await adminToken();
		expect((await call('GET', ASSIGNMENTS, { token })).status).toBe(200);
		const throttled = await call('GET', ASSIGNMENTS, { token });
		expect(throttled.status).toBe(409);
		expect(Number(throttled.headers.get('retry-after'))).toBeLessThanOrEqual(0.6);
		for (const bad of [{ requestsPerHour: '5' }, { computeRetryAfter: 1 }, { scope: 'user' }]) {
			expect((await call('POST', '/_emulator/limits', { json: { ...base, ...bad } })).status).toBe(
				400,
			);
		}
	});

	it('forces a huge Retry-After: on a 409 fault, and on the next N throttles', async () => {
		await start();
		const token = await adminToken();
		emulator.faults.add({ kind: '409', retryAfterSeconds: 100_000_000 });
		const huge = await call('GET', ASSIGNMENTS, { token });
		expect(huge.status).toBe(409);
		expect(huge.headers.get('retry-after')).toBe('100000000');

		await call('POST', '/_emulator/faults', {
			json: { kind: '409', retryAfterSeconds: 'soon', times: 1 },
		});
		expect((await call('GET', ASSIGNMENTS, { token })).headers.get('retry-after')).toBe('soon');

		emulator.setLimits({ ...base, minIntervalMs: 10_000, retryAfterSeconds: 2 });
		emulator.forceRetryAfter(100_000_000, 2);
		const retryAfters: Array<string | null> = [];
		for (let n = 0; n < 3; n++) retryAfters.push((await loginCall()).headers.get('retry-after'));
		expect(retryAfters).toEqual([null, '100000000', '100000000']);
		expect((await loginCall()).headers.get('retry-after')).toBe('2');

		const date = 'Wed, 21 Oct 2015 07:28:00 GMT';
		expect((await call('POST', '/_emulator/retry-after', { json: { seconds: date } })).status).toBe(
			200,
		);
		expect((await loginCall()).headers.get('retry-after')).toBe(date);
		await call('POST', '/_emulator/retry-after', { json: { seconds: 5, times: 3 } });
		await call('POST', '/_emulator/retry-after', { json: { seconds: false } });
		expect((await loginCall()).headers.get('retry-after')).toBe('2');
		expect((await call('POST', '/_emulator/retry-after', { json: {} })).status).toBe(400);
		expect(emulator.stats().throttled).toBe(7);
	});
});

describe('5. one session per client ID, and login counts', () => {
	it('a login voids the earlier token of the same client ID only while the switch is on', async () => {
		await start({ switches: { oneSessionPerClient: false } });
		const a1 = await login('admin@example.com', { client_id: 'a' });
		const a2 = await login('admin@example.com', { client_id: 'a' });
		expect((await call('GET', ASSIGNMENTS, { token: a1.access_token })).status).toBe(200);
		expect((await call('GET', ASSIGNMENTS, { token: a2.access_token })).status).toBe(200);

		await call('POST', '/_emulator/switches', { json: { oneSessionPerClient: true } });
		const a3 = await login('admin@example.com', { client_id: 'a' });
		const b1 = await login('admin@example.com', { client_id: 'b' });
		for (const pair of [a1, a2]) {
			expect((await call('GET', ASSIGNMENTS, { token: pair.access_token })).status).toBe(401);
		}
		expect((await call('GET', ASSIGNMENTS, { token: a3.access_token })).status).toBe(200);
		expect((await call('GET', ASSIGNMENTS, { token: b1.access_token })).status).toBe(200);
		// Without a client_id the email is the client: a second plain login voids the first.
		const plain1 = await login();
		await login();
		expect((await call('GET', ASSIGNMENTS, { token: plain1.access_token })).status).toBe(401);
	});

	it('counts logins, failed logins, refreshes, requests and throttles in GET /_emulator/stats', async () => {
		await start();
		const pair = await login('admin@example.com', { client_id: 'n8n' });
		await login('limited@example.com');
		expect(
			(
				await call('POST', '/api/token', {
					form: { grant_type: 'password', username: 'x', password: 'y' },
				})
			).status,
		).toBe(400);
		const refreshed = await call('POST', '/api/token', {
			form: { grant_type: 'refresh_token', refresh_token: pair.refresh_token },
			headers: { client_id: 'n8n' },
		});
		expect(refreshed.status).toBe(200);
		emulator.faults.add({ kind: '409' });
		await call('GET', ASSIGNMENTS, { token: refreshed.body.access_token });
		const stats = await call('GET', '/_emulator/stats');
		expect(stats.body).toEqual({
			requests: 5,
			logins: 2,
			failedLogins: 1,
			refreshes: 1,
			throttled: 1,
			redirected: 0,
			lateCommits: 0,
			lateCommitsPending: 0,
		});
		await call('POST', '/_emulator/reset');
		expect(emulator.stats()).toMatchObject({ requests: 0, logins: 0, throttled: 0 });
	});
});

describe('6. a list that ignores page', () => {
	it('answers page 1 with HasNextPage true whatever page says, on every list endpoint', async () => {
		await start({ seed: 'demo', switches: { ignorePage: true } });
		const token = await adminToken();
		const first = await call('GET', '/api/spaces/coworkers?page=1&size=5', { token });
		const third = await call('GET', '/api/spaces/coworkers?page=3&size=5', { token });
		expect(third.body.Records).toEqual(first.body.Records);
		expect(third.body).toMatchObject({
			CurrentPage: 1,
			HasNextPage: true,
			HasPreviousPage: false,
			FirstItem: 1,
		});
		// Even past the end, or when everything fits on one page.
		const all = await call('GET', '/api/spaces/coworkers?page=99&size=1000', { token });
		expect(all.body).toMatchObject({ CurrentPage: 1, TotalPages: 1, HasNextPage: true });
		expect(all.body.Records).toHaveLength(21);
		for (const path of [ASSIGNMENTS, '/api/spaces/inventoryassets', '/api/sys/businesses']) {
			const answer = await call('GET', `${path}?page=2&size=1`, { token });
			expect(answer.body).toMatchObject({ CurrentPage: 1, HasNextPage: true });
		}

		await call('POST', '/_emulator/switches', { json: { ignorePage: false } });
		const paged = await call('GET', '/api/spaces/coworkers?page=3&size=5', { token });
		expect(paged.body).toMatchObject({ CurrentPage: 3, HasNextPage: true, FirstItem: 11 });
		const last = await call('GET', '/api/spaces/coworkers?page=5&size=5', { token });
		expect(last.body.HasNextPage).toBe(false);
	});
});

describe('what sits in front of Nexudus (issue 20)', () => {
	it('foreignPages: a maintenance page answers 200 text/html per route and method, the API never sees it', async () => {
		await start({ seed: 'demo' });
		const token = await adminToken();
		const set = await call('POST', '/_emulator/switches', {
			json: {
				foreignPages: {
					paths: ['^/api/spaces/coworkerinventoryassets/\\d+$'],
					methods: ['DELETE'],
				},
			},
		});
		expect(set.body.foreignPages).toEqual({
			paths: ['^\\/api\\/spaces\\/coworkerinventoryassets\\/\\d+$'],
			methods: ['DELETE'],
			kind: 'maintenance',
		});
		const id = emulator.db.coworkerInventoryAssets[0].Id;
		const page = await call('DELETE', `${ASSIGNMENTS}/${id}`, { token });
		expect(page.status).toBe(200);
		expect(page.headers.get('content-type')).toContain('text/html');
		expect(page.text).toMatch(/^<!DOCTYPE html>/);
		expect(emulator.db.coworkerInventoryAssets.some((r) => r.Id === id)).toBe(true);
		// Other methods on the route are not taken.
		expect((await call('GET', `${ASSIGNMENTS}/${id}`, { token })).body.Id).toBe(id);
	});

	it('foreignPages after-write, empty and not-json: the request runs, the answer is not JSON', async () => {
		await start();
		const token = await adminToken();
		for (const kind of ['after-write', 'empty', 'not-json'] as const) {
			emulator.setSwitches({
				foreignPages: {
					paths: [/^\/api\/spaces\/coworkerinventoryassets$/],
					methods: ['POST'],
					kind,
				},
			});
			const before = emulator.db.coworkerInventoryAssets.length;
			const answer = await call('POST', ASSIGNMENTS, {
				token,
				json: validAssignment({ Notes: kind }),
			});
			expect(answer.status).toBe(200);
			expect(answer.body).toBeUndefined();
			expect(emulator.db.coworkerInventoryAssets).toHaveLength(before + 1);
		}
	});

	it('throttleForever: one URL answers 409 or 429 with its Retry-After (seconds or a date), the others get through', async () => {
		await start();
		const token = await adminToken();
		const date = new Date(Date.now() + 5_000).toUTCString();
		emulator.setSwitches({
			throttleForever: { paths: [/^\/api\/sys\/businesses$/], status: 429, retryAfter: date },
		});
		for (let i = 0; i < 3; i++) {
			const stuck = await call('GET', '/api/sys/businesses', { token });
			expect(stuck.status).toBe(429);
			expect(stuck.headers.get('retry-after')).toBe(date);
		}
		expect((await call('GET', '/api/spaces/coworkers', { token })).status).toBe(200);
		expect(emulator.stats().throttled).toBe(3);
		const set = await call('POST', '/_emulator/switches', {
			json: { throttleForever: { paths: '^/api/token$' } },
		});
		expect(set.body.throttleForever).toMatchObject({ status: 409, retryAfter: 1 });
		expect((await loginCall()).status).toBe(409);
		expect(
			(
				await call('POST', '/_emulator/switches', {
					json: { throttleForever: { paths: 'x', status: 500 } },
				})
			).status,
		).toBe(400);
	});

	it('valueNull: a write runs and is answered WasSuccessful: true with Value: null', async () => {
		await start();
		const token = await adminToken();
		await call('POST', '/_emulator/switches', {
			json: { valueNull: { paths: '^/api/spaces/coworkerinventoryassets$', methods: ['POST'] } },
		});
		const before = emulator.db.coworkerInventoryAssets.length;
		const answer = await call('POST', ASSIGNMENTS, { token, json: validAssignment() });
		expect(answer.body).toMatchObject({ WasSuccessful: true, Value: null });
		expect(emulator.db.coworkerInventoryAssets).toHaveLength(before + 1);
	});

	it('faults 429 (seconds or an HTTP date), html-200 and html-200-after-write', async () => {
		await start();
		const token = await adminToken();
		const date = new Date(Date.now() + 3_000).toUTCString();
		await call('POST', '/_emulator/faults', {
			json: [
				{ method: 'POST', path: '^/api/token$', kind: '429', retryAfterSeconds: date },
				{ method: 'GET', path: '^/api/sys/businesses$', kind: '429', retryAfterSeconds: 2 },
				{ method: 'GET', path: '^/api/sys/businesses$', kind: 'html-200' },
				{
					method: 'POST',
					path: '^/api/spaces/coworkerinventoryassets$',
					kind: 'html-200-after-write',
				},
			],
		});
		const throttledLogin = await loginCall();
		expect([throttledLogin.status, throttledLogin.headers.get('retry-after')]).toEqual([429, date]);
		const throttled = await call('GET', '/api/sys/businesses', { token });
		expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '2']);
		const page = await call('GET', '/api/sys/businesses', { token });
		expect([page.status, page.headers.get('content-type')]).toEqual([
			200,
			'text/html; charset=utf-8',
		]);
		const before = emulator.db.coworkerInventoryAssets.length;
		const written = await call('POST', ASSIGNMENTS, { token, json: validAssignment() });
		expect(written.text).toMatch(/^<!DOCTYPE html>/);
		expect(emulator.db.coworkerInventoryAssets).toHaveLength(before + 1);
		expect((await call('GET', '/api/sys/businesses', { token })).status).toBe(200);
	});
});
