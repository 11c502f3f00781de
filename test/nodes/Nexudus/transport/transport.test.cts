import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import type { NexudusRequest } from '../../../../nodes/Nexudus/transport';
import { processClientId } from '../../../../nodes/Nexudus/helpers/clientId';
import { bindToken } from '../../../../nodes/Nexudus/transport/tokenBinding';
import { nexudusApiRequest, nexudusListAll } from '../../../../nodes/Nexudus/transport';
import type { PacingSettings } from '../../../../nodes/Nexudus/transport/pacing';
import type { Emulator } from '../../../emulator/server.cjs';
import { DEMO, DEMO_PASSWORD, startEmulator } from '../../../emulator/server.cjs';
import type { CredentialStore } from '../../../support/n8nCore.cjs';
import {
	adminStore,
	credentialStore,
	loadOptionsContext,
	runNexudusNode,
} from '../../../support/n8nCore.cjs';

const ENDPOINT = '/api/spaces/coworkerinventoryassets';
const FAST: PacingSettings = {
	minIntervalMs: 0,
	writesPerMinute: 0,
	windowMs: 1_000,
	maxRetries: 3,
};
/** Only so that an injected 409 carries a short Retry-After; nothing else is limited. */
const LOOSE = (retryAfterSeconds: number) => ({
	minIntervalMs: 0,
	writesPerWindow: 10_000,
	windowMs: 1_000,
	retryAfterSeconds,
});

let emulator: Emulator;
let store: CredentialStore;
let day = 0;

beforeAll(async () => {
	emulator = await startEmulator({ seed: 'demo' });
	store = adminStore(emulator.url);
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.clearRequests();
	emulator.faults.clear();
	emulator.setLimits(false);
});

/** The requests, without the read of the asset that a create makes first (its location check). */
const calls = () =>
	emulator.requests.filter((r) => !r.path.startsWith('/api/spaces/inventoryassets/'));
const log = () => calls().map((r) => `${r.method} ${r.path} ${r.status}`);
const creates = () => emulator.requests.filter((r) => r.method === 'POST' && r.path === ENDPOINT);

/** A create with a date no other test uses, so that records can be counted exactly. */
function createParameters(options: IDataObject = {}, assignedFrom?: string) {
	day++;
	return {
		resource: 'coworkerInventoryAsset',
		operation: 'create',
		coworker: { __rl: true, mode: 'id', value: DEMO.coworkers.danielBrooks },
		location: { __rl: true, mode: 'id', value: DEMO.businesses.newYork },
		inventoryAsset: { __rl: true, mode: 'id', value: DEMO.inventoryAssets.newYorkChair1 },
		assignedFrom:
			assignedFrom ?? `2032-01-01T08:00:00Z`.replace('01T', `${String(day).padStart(2, '0')}T`),
		// Items assign the same asset on purpose: no If Already Assigned check (default Skip).
		ifAssigned: 'createAnyway',
		additionalFields: {},
		options: { minIntervalMs: 0, maxRetries: 2, timeoutSeconds: 1, ...options },
	};
}

function recordsFrom(assignedFrom: string) {
	return emulator.db.coworkerInventoryAssets.filter(
		(r) =>
			r.CoworkerId === DEMO.coworkers.danielBrooks &&
			r.InventoryAssetId === DEMO.inventoryAssets.newYorkChair1 &&
			Date.parse(r.AssignedFrom) === Date.parse(assignedFrom),
	);
}

async function get(request: Partial<NexudusRequest> = {}, ctx = loadOptionsContext(store)) {
	return await nexudusApiRequest.call(ctx, {
		method: 'GET',
		endpoint: '/api/sys/businesses',
		role: 'Business-List',
		pacing: FAST,
		...request,
	});
}

describe('throttling (409)', () => {
	it('waits the Retry-After time, then resends; the record is created once', async () => {
		emulator.setLimits(LOOSE(0.3));
		emulator.faults.add({ method: 'POST', path: ENDPOINT, kind: '409' });
		const parameters = createParameters();
		const [out] = await runNexudusNode({ parameters, store });
		expect(creates().map((r) => r.status)).toEqual([409, 200]);
		const [throttled, resent] = creates();
		expect(resent.at - throttled.at).toBeGreaterThanOrEqual(295);
		const records = recordsFrom(parameters.assignedFrom);
		expect(records).toHaveLength(1);
		expect(out[0].json.Id).toBe(records[0].Id);
	});

	it('stops after maxRetries throttled answers in a row and one limit window, having created nothing', async () => {
		emulator.setLimits(LOOSE(0.02));
		emulator.faults.add({ method: 'POST', path: ENDPOINT, kind: '409', times: 30 });
		// A 150 ms window: past 2 throttles in a row it still retries until that window has passed.
		const parameters = createParameters({ maxRetries: 2, writeWindowSeconds: 0.15 });
		await expect(runNexudusNode({ parameters, store })).rejects.toMatchObject({
			message: 'Nexudus kept throttling the requests (409)',
			httpCode: '409',
		});
		const statuses = creates().map((r) => r.status);
		expect(statuses.every((status) => status === 409)).toBe(true);
		expect(statuses.length).toBeGreaterThan(3);
		expect(statuses.length).toBeLessThan(30);
		expect(recordsFrom(parameters.assignedFrom)).toHaveLength(0);
	});

	it('maxRetries 0: the first throttled answer is the error', async () => {
		emulator.setLimits(LOOSE(0.02));
		emulator.faults.add({ method: 'POST', path: ENDPOINT, kind: '409', times: 3 });
		const parameters = createParameters({ maxRetries: 0 });
		await expect(runNexudusNode({ parameters, store })).rejects.toMatchObject({ httpCode: '409' });
		expect(creates().map((r) => r.status)).toEqual([409]);
	});
});

describe('a 409 that is a real conflict, from a server that answers one', () => {
	let server: Server;
	let url: string;
	const script: Array<{ status: number; body?: unknown; headers?: Record<string, string> }> = [];
	const hits: string[] = [];

	beforeAll(async () => {
		server = createServer((req, res) => {
			req.resume();
			req.on('end', () => {
				if (req.url === '/api/token') {
					res.writeHead(200, { 'Content-Type': 'application/json' });
					res.end(JSON.stringify({ access_token: 'conflict-token', token_type: 'bearer' }));
					return;
				}
				hits.push(`${req.method} ${req.url}`);
				const next = script.shift() ?? { status: 200, body: { Records: [] } };
				const payload = next.body === undefined ? '' : JSON.stringify(next.body);
				res.writeHead(next.status, {
					...(payload ? { 'Content-Type': 'application/json' } : {}),
					...next.headers,
				});
				res.end(payload);
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => await new Promise((resolve) => server.close(resolve)));
	beforeEach(() => {
		script.length = 0;
		hits.length = 0;
	});

	const conflictStore = () =>
		credentialStore({ email: 'admin@example.com', password: 'x', baseUrl: url });

	it('is not retried, and its message is shown', async () => {
		script.push({
			status: 409,
			body: { Message: 'This asset is already assigned for these dates', WasSuccessful: false },
			headers: { 'Retry-After': '0' },
		});
		await expect(
			nexudusApiRequest.call(loadOptionsContext(conflictStore()), {
				method: 'POST',
				endpoint: ENDPOINT,
				body: { CoworkerId: 1 },
				role: 'CoworkerInventoryAsset-Create',
				pacing: { ...FAST, maxRetries: 5 },
			}),
		).rejects.toMatchObject({
			message: 'Nexudus reported a conflict: This asset is already assigned for these dates',
			httpCode: '409',
		});
		expect(hits).toEqual([`POST ${ENDPOINT}`]);
	});

	it('a 409 whose body says "You must wait" is throttling, and is retried', async () => {
		script.push(
			{
				status: 409,
				body: { Message: 'You must wait before accessing this url again.' },
				headers: { 'Retry-After': '0.05' },
			},
			{ status: 200, body: { Records: [{ Id: 1 }] } },
		);
		const answer = await nexudusApiRequest.call(loadOptionsContext(conflictStore()), {
			method: 'GET',
			endpoint: '/api/sys/businesses',
			role: 'Business-List',
			pacing: FAST,
		});
		expect(answer).toEqual({ Records: [{ Id: 1 }] });
		expect(hits).toHaveLength(2);
	});

	it('a 200 with WasSuccessful false is an error, not a result', async () => {
		script.push({
			status: 200,
			body: { WasSuccessful: false, Message: 'Asset belongs to another location', Errors: null },
		});
		await expect(
			nexudusApiRequest.call(loadOptionsContext(conflictStore()), {
				method: 'POST',
				endpoint: ENDPOINT,
				body: {},
				role: 'CoworkerInventoryAsset-Create',
				pacing: FAST,
			}),
		).rejects.toMatchObject({ message: 'Asset belongs to another location', httpCode: '200' });
		expect(hits).toHaveLength(1);
	});
});

describe('reads: retried after a 5xx or a dropped connection', () => {
	it.each(['500', '502', 'drop'] as const)(
		'GET after %s is sent again and succeeds',
		async (kind) => {
			emulator.faults.add({ method: 'GET', path: '/api/sys/businesses', kind });
			const answer = (await get()) as { Records: Array<{ Id: number }> };
			expect(answer.Records.map((r) => r.Id)).toEqual(
				emulator.db.businesses.slice(0, 25).map((b) => b.Id),
			);
			expect(log().filter((line) => line.startsWith('GET'))).toEqual([
				`GET /api/sys/businesses ${kind === 'drop' ? 0 : kind}`,
				'GET /api/sys/businesses 200',
			]);
		},
	);

	it('gives up after maxRetries with the 5xx message', async () => {
		emulator.faults.add({ method: 'GET', path: '/api/sys/businesses', kind: '500', times: 5 });
		await expect(get({ pacing: { ...FAST, maxRetries: 1 } })).rejects.toMatchObject({
			message: 'Nexudus had an internal error (HTTP 500)',
			httpCode: '500',
		});
		expect(emulator.requests.filter((r) => r.path === '/api/sys/businesses')).toHaveLength(2);
	});

	it('gives up after maxRetries on dropped connections, in words', async () => {
		emulator.faults.add({ method: 'GET', path: '/api/sys/businesses', kind: 'drop', times: 5 });
		const error = (await get({ pacing: { ...FAST, maxRetries: 1 } }).catch(
			(caught: Error) => caught,
		)) as Error & {
			description?: string;
		};
		expect(error.message).toBe('The connection to Nexudus was lost before it answered');
		expect(error.message).not.toMatch(/ECONNRESET/);
		expect(error.description).toMatch(/^ECONNRESET\. /);
		expect(emulator.requests.filter((r) => r.path === '/api/sys/businesses')).toHaveLength(2);
	});

	it('maxRetries 0: no retry at all', async () => {
		emulator.faults.add({ method: 'GET', path: '/api/sys/businesses', kind: '502' });
		await expect(get({ pacing: { ...FAST, maxRetries: 0 } })).rejects.toMatchObject({
			message: 'Nexudus had an internal error (HTTP 502)',
		});
		expect(emulator.requests.filter((r) => r.path === '/api/sys/businesses')).toHaveLength(1);
	});

	it('logs in again once after a 401, then succeeds', async () => {
		await get();
		const logins = store.logins;
		emulator.expireAllTokens();
		emulator.clearRequests();
		await get();
		expect(store.logins).toBe(logins + 1);
		// No resend with the refused token: the next send logs in first.
		expect(log()).toEqual([
			'GET /api/sys/businesses 401',
			'POST /api/token 200',
			'GET /api/sys/businesses 200',
		]);
	});

	it('requests in flight that all get a 401 share one login, then all succeed', async () => {
		const ctx = loadOptionsContext(store);
		await get({}, ctx);
		const logins = store.logins;
		emulator.expireAllTokens();
		emulator.clearRequests();
		const answers = await Promise.all(Array.from({ length: 6 }, async () => await get({}, ctx)));
		expect(answers).toHaveLength(6);
		expect(store.logins).toBe(logins + 1);
		const statuses = log().filter((line) => line.startsWith('GET'));
		// 6 with the old token, then 6 with the one new token.
		expect(statuses.filter((line) => line.endsWith('401'))).toHaveLength(6);
		expect(statuses.filter((line) => line.endsWith('200'))).toHaveLength(6);
		expect(log().filter((line) => line.startsWith('POST /api/token'))).toEqual([
			'POST /api/token 200',
		]);
	});

	it('when that one login fails, every waiting request reports the login failure', async () => {
		const valid = adminStore(emulator.url, { clientId: 'password-changed' });
		await get({}, loadOptionsContext(valid));
		// A token that worked, and a password that was changed since.
		const ctx = loadOptionsContext(credentialStore({ ...valid.data, password: 'wrong' }));
		emulator.expireAllTokens();
		const failures = await Promise.allSettled(
			Array.from({ length: 3 }, async () => await get({}, ctx)),
		);
		for (const failure of failures) {
			expect(failure).toMatchObject({
				status: 'rejected',
				reason: { message: expect.stringMatching(/^Nexudus login failed/) },
			});
		}
		await get(); // the shared credential logs in again here, not in the next test
	});

	it('nexudusListAll pages at 1000 and stops at the last page', async () => {
		const all = await nexudusListAll.call(loadOptionsContext(store), {
			endpoint: '/api/spaces/coworkers',
			role: 'Coworker-List',
			pacing: FAST,
		});
		expect(all).toHaveLength(emulator.db.coworkers.length);
		const lists = emulator.requests.filter((r) => r.path === '/api/spaces/coworkers');
		expect(lists.map((r) => [r.query.page, r.query.size])).toEqual([['1', '1000']]);
		emulator.clearRequests();
		const two = await nexudusListAll.call(
			loadOptionsContext(store),
			{ endpoint: '/api/spaces/coworkers', role: 'Coworker-List', pacing: FAST },
			2,
		);
		expect(two).toHaveLength(2);
		expect(emulator.requests.map((r) => r.query.size)).toEqual(['2']);
	});
});

describe('creates: a lost answer is looked up before anything is sent again', () => {
	it('POST after a 500 that was not applied: looked up, then sent again, created exactly once', async () => {
		emulator.faults.add({ method: 'POST', path: ENDPOINT, kind: '500' });
		const parameters = createParameters();
		const [out] = await runNexudusNode({ parameters, store });
		// Looked for during the whole recovery window (the 1 s Timeout), six times, then sent again.
		const lookups = Array.from({ length: 6 }, () => `GET ${ENDPOINT} 200`);
		expect(log()).toEqual([`POST ${ENDPOINT} 500`, ...lookups, `POST ${ENDPOINT} 200`]);
		const lookup = calls()[1];
		expect(lookup.query).toMatchObject({
			CoworkerInventoryAsset_Coworker: String(DEMO.coworkers.danielBrooks),
			CoworkerInventoryAsset_InventoryAsset: String(DEMO.inventoryAssets.newYorkChair1),
			CoworkerInventoryAsset_Business: String(DEMO.businesses.newYork),
		});
		const records = recordsFrom(parameters.assignedFrom);
		expect(records).toHaveLength(1);
		expect(out[0].json.Id).toBe(records[0].Id);
	});

	it.each(['500-after-write', 'drop-after-write'] as const)(
		'POST after %s: found by the lookup and NOT sent again',
		async (kind) => {
			emulator.faults.add({ method: 'POST', path: ENDPOINT, kind });
			const parameters = createParameters();
			const [out] = await runNexudusNode({ parameters, store });
			// The list lookup, then the candidates read whole (list records have no Notes).
			expect(log()).toEqual([
				`POST ${ENDPOINT} ${kind === '500-after-write' ? 500 : 0}`,
				`GET ${ENDPOINT} 200`,
				`GET ${ENDPOINT} 200`,
			]);
			expect(calls()[2].query.id).toBe(`[${String(out[0].json.Id)}]`);
			const records = recordsFrom(parameters.assignedFrom);
			expect(records).toHaveLength(1);
			expect(out[0].json).toMatchObject({
				Id: records[0].Id,
				CoworkerId: DEMO.coworkers.danielBrooks,
				AssignedFrom: parameters.assignedFrom,
			});
		},
	);

	it('the raw response says the record was recovered after a fault', async () => {
		emulator.faults.add({ method: 'POST', path: ENDPOINT, kind: '500-after-write' });
		const parameters = createParameters({ rawResponse: true });
		const [out] = await runNexudusNode({ parameters, store });
		const [record] = recordsFrom(parameters.assignedFrom);
		expect(out[0].json).toMatchObject({
			WasSuccessful: true,
			recoveredAfterFault: true,
			Value: { Id: record.Id },
		});
	});

	it('retries exhausted: a clear error, and nothing created', async () => {
		emulator.faults.add({ method: 'POST', path: ENDPOINT, kind: '500', times: 10 });
		const parameters = createParameters({ maxRetries: 1 });
		await expect(runNexudusNode({ parameters, store })).rejects.toMatchObject({
			message: 'Nexudus had an internal error (HTTP 500)',
			httpCode: '500',
			context: { itemIndex: 0 },
		});
		const lookups = Array.from({ length: 6 }, () => `GET ${ENDPOINT} 200`);
		expect(log()).toEqual([`POST ${ENDPOINT} 500`, ...lookups, `POST ${ENDPOINT} 500`, ...lookups]);
		expect(recordsFrom(parameters.assignedFrom)).toHaveLength(0);
	});

	it('a POST without a lookup is never sent again after a 5xx or a lost answer', async () => {
		for (const kind of ['500', 'drop'] as const) {
			emulator.clearRequests();
			emulator.faults.add({ method: 'POST', path: ENDPOINT, kind });
			await expect(
				nexudusApiRequest.call(loadOptionsContext(store), {
					method: 'POST',
					endpoint: ENDPOINT,
					body: { CoworkerId: DEMO.coworkers.danielBrooks },
					role: 'CoworkerInventoryAsset-Create',
					pacing: FAST,
				}),
			).rejects.toMatchObject({
				message:
					kind === '500'
						? 'Nexudus had an internal error (HTTP 500)'
						: 'The connection to Nexudus was lost before it answered',
			});
			expect(creates()).toHaveLength(1);
		}
	});

	// The lookup's to_ bound is the start of a minute, so it must reach the next minute.
	it('POST after 500-after-write with seconds in Assigned From: still found, not duplicated', async () => {
		emulator.faults.add({ method: 'POST', path: ENDPOINT, kind: '500-after-write' });
		const parameters = createParameters({}, '2032-02-01T10:30:45Z');
		const [out] = await runNexudusNode({ parameters, store });
		const records = recordsFrom(parameters.assignedFrom);
		expect(creates()).toHaveLength(1);
		expect(records).toHaveLength(1);
		expect(out[0].json.Id).toBe(records[0].Id);
	});

	// Known limit (create.operation.ts, findCreated): a twin identical in every field, Notes
	// included, created in the two minutes before is taken for this item's record after a 500
	// that was NOT applied: the node outputs the older Id and does not create the second. Telling
	// them apart would need a lookup before every create (twice the requests).
	it.failing(
		'two identical items, the second hit by a 500 that was not applied: both are created',
		async () => {
			const parameters = createParameters();
			const [first] = await runNexudusNode({ parameters, store });
			expect(recordsFrom(parameters.assignedFrom)).toHaveLength(1);
			// The same assignment again (a second item, or the workflow run again): its POST fails
			// with a 500 before Nexudus applies it.
			emulator.faults.add({ method: 'POST', path: ENDPOINT, kind: '500' });
			const [second] = await runNexudusNode({ parameters, store });
			const records = recordsFrom(parameters.assignedFrom);
			expect(records).toHaveLength(2);
			expect(second[0].json.Id).not.toBe(first[0].json.Id);
		},
	);
});

describe('deletes', () => {
	it('a DELETE whose answer was lost is retried; the 404 then means it was deleted', async () => {
		const record = emulator.db.addCoworkerInventoryAsset({
			CoworkerId: DEMO.coworkers.gracePark,
			BusinessId: DEMO.businesses.newYork,
			InventoryAssetId: DEMO.inventoryAssets.newYorkLocker1,
			AssignedFrom: '2032-03-01T09:00:00Z',
		});
		emulator.faults.add({
			method: 'DELETE',
			path: `${ENDPOINT}/${record.Id}`,
			kind: 'drop-after-write',
		});
		const answer = await nexudusApiRequest.call(loadOptionsContext(store), {
			method: 'DELETE',
			endpoint: `${ENDPOINT}/${record.Id}`,
			role: 'CoworkerInventoryAsset-Delete',
			subject: `coworker inventory asset ${record.Id}`,
			pacing: FAST,
		});
		expect(answer).toEqual({
			WasSuccessful: true,
			Message: 'The record was deleted successfully.',
			Value: null,
		});
		expect(log()).toEqual([
			`DELETE ${ENDPOINT}/${record.Id} 0`,
			`DELETE ${ENDPOINT}/${record.Id} 404`,
		]);
		expect(emulator.db.coworkerInventoryAsset(record.Id)).toBeUndefined();
	});

	it('a DELETE of a missing record on the first try is a 404 naming it', async () => {
		await expect(
			nexudusApiRequest.call(loadOptionsContext(store), {
				method: 'DELETE',
				endpoint: `${ENDPOINT}/999999`,
				role: 'CoworkerInventoryAsset-Delete',
				subject: 'coworker inventory asset 999999',
				pacing: FAST,
			}),
		).rejects.toMatchObject({
			message: 'Nexudus has no coworker inventory asset 999999 (404)',
			httpCode: '404',
		});
	});
});

describe('cancellation', () => {
	it('a cancelled execution stops waiting out a long Retry-After at once', async () => {
		// Another account, so that its 5 s hold does not slow the other tests.
		const limited = credentialStore({
			email: 'limited@example.com',
			password: 'demo-password',
			baseUrl: emulator.url,
		});
		emulator.setLimits(LOOSE(5));
		emulator.faults.add({ method: 'POST', path: ENDPOINT, kind: '409', times: 3 });
		const controller = new AbortController();
		const start = Date.now();
		setTimeout(() => controller.abort(), 200);
		await expect(
			runNexudusNode({
				parameters: createParameters({ maxRetries: 5 }),
				store: limited,
				abortSignal: controller.signal,
			}),
		).rejects.toThrow('The execution was cancelled while waiting for Nexudus');
		expect(Date.now() - start).toBeLessThan(1_000);
		expect(creates()).toHaveLength(1);
	});
});

describe('a missing role answered 401 (Nexudus documents 401 for "no permission" too)', () => {
	afterEach(() => emulator.setSwitches({ missingRoleAs401: false }));

	it('logs in again once per run, not once per item, and names the role', async () => {
		emulator.setSwitches({ missingRoleAs401: true });
		const limited = credentialStore({
			email: 'limited@example.com',
			password: DEMO_PASSWORD,
			baseUrl: emulator.url,
		});
		const parameters = {
			resource: 'coworkerInventoryAsset',
			operation: 'get',
			coworkerInventoryAsset: { __rl: true, mode: 'id', value: '5001' },
			simplify: true,
			options: { minIntervalMs: 0, writesPerMinute: 0 },
		};
		const items = Array.from({ length: 5 }, (_, i) => ({ i }));
		const [out] = await runNexudusNode({
			parameters,
			items,
			store: limited,
			onError: 'continueRegularOutput',
		});
		expect(out).toHaveLength(5);
		for (const item of out) {
			expect(item.json.error).toContain('CoworkerInventoryAsset-Read');
		}
		// The first login, and one more after the first 401: then the run knows it is the role.
		expect(limited.logins).toBe(2);
		expect(emulator.requests.filter((r) => r.path === '/api/token')).toHaveLength(2);
	}, 30_000);
});

describe('one Nexudus session per n8n process (queue-mode workers on one account)', () => {
	/** A login by another n8n process on the same credential: its own client ID. */
	async function otherProcessLogin(): Promise<string> {
		const res = await fetch(`${emulator.url}/api/token`, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/x-www-form-urlencoded',
				client_id: 'n8n-nodes-nexudus-0ther0ne',
			},
			body: new URLSearchParams({
				grant_type: 'password',
				username: 'admin@example.com',
				password: DEMO_PASSWORD,
			}),
		});
		return ((await res.json()) as { access_token: string }).access_token;
	}

	it("logs in with the credential's Client ID tagged with this process, and never stores the tag", async () => {
		const own = adminStore(emulator.url, { clientId: 'my-integration' });
		await get({}, loadOptionsContext(own));
		const logins = emulator.requests.filter((r) => r.path === '/api/token');
		expect(logins.map((r) => r.clientId)).toEqual([processClientId('my-integration')]);
		expect(logins[0].clientId).toMatch(/^my-integration-[0-9a-f]{8}$/);
		expect(own.data.clientId).toBe('my-integration');
		expect(own.logins).toBe(1);
	});

	it('keeps the stored Client ID as typed where n8n saves the whole credential after a login (n8n 1.x)', async () => {
		const own = adminStore(emulator.url, { clientId: 'my-integration' });
		own.savesWholeCredential = true;
		await get({}, loadOptionsContext(own));
		await get({}, loadOptionsContext(own));
		expect(own.data.clientId).toBe('my-integration');
		expect(own.data.accessToken).not.toBe('');
		const logins = emulator.requests.filter((r) => r.path === '/api/token');
		expect(logins.map((r) => r.clientId)).toEqual([processClientId('my-integration')]);
	});

	it("another process's login does not void this process's token (one session per client ID)", async () => {
		expect(emulator.switches.oneSessionPerClient).toBe(true);
		const ours = adminStore(emulator.url);
		const ctx = loadOptionsContext(ours);
		await get({}, ctx);
		await otherProcessLogin();
		emulator.clearRequests();
		await get({}, ctx);
		expect(log()).toEqual(['GET /api/sys/businesses 200']);
		expect(ours.logins).toBe(1);
	});

	it('takes the token another process saved after this run read the credential, instead of logging in', async () => {
		const saved = await otherProcessLogin();
		const ours = adminStore(emulator.url);
		const before = ours.data;
		// The run reads the credential first with no token; n8n has the other process's token by the next read.
		let reads = 0;
		Object.defineProperty(ours, 'data', {
			// Saved as n8n saves it: bound to the credential (as preAuthentication returns it).
			get: () => (reads++ === 0 ? before : { ...before, accessToken: bindToken(saved, before) }),
			set: () => {
				throw new Error('this run must not log in');
			},
		});
		emulator.clearRequests();
		await get({}, loadOptionsContext(ours));
		expect(log()).toEqual(['GET /api/sys/businesses 200']);
		expect(emulator.requests[0].headers.authorization).toBe(`Bearer ${saved}`);
		expect(ours.logins).toBe(0);
		expect(reads).toBeGreaterThanOrEqual(2);
	});

	it('never takes back from the store a token Nexudus refused: logs in once instead', async () => {
		const ours = adminStore(emulator.url);
		const ctx = loadOptionsContext(ours);
		await get({}, ctx);
		// The token expires; the store still holds it.
		emulator.expireAllTokens();
		emulator.clearRequests();
		await get({}, ctx);
		expect(log()).toEqual([
			'GET /api/sys/businesses 401',
			'POST /api/token 200',
			'GET /api/sys/businesses 200',
		]);
		expect(ours.logins).toBe(2);
	});
});
