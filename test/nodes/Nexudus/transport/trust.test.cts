// What the transport trusts (issue 20, points 4 to 7): a token only for the Base URL, e-mail and
// client ID it was issued for; only Nexudus's JSON as an answer; 429 and date Retry-After as
// throttling; an end to every wait. Each test runs the node on n8n-core's real request path
// against the emulator.
import type { IDataObject } from 'n8n-workflow';

import { nexudusApiRequest } from '../../../../nodes/Nexudus/transport';
import { notNexudus } from '../../../../nodes/Nexudus/transport/answers';
import type { Emulator } from '../../../emulator/server.cjs';
import { DEMO, MAINTENANCE_PAGE, startEmulator } from '../../../emulator/server.cjs';
import type { CredentialStore } from '../../../support/n8nCore.cjs';
import { adminStore, loadOptionsContext, runNexudusNode } from '../../../support/n8nCore.cjs';

const ASSIGNMENTS = '/api/spaces/coworkerinventoryassets';
const byId = (value: number) => ({ __rl: true, mode: 'id', value });
const FAST = { minIntervalMs: 0, maxRetries: 2, timeoutSeconds: 2 };

let emulator: Emulator;
let store: CredentialStore;

beforeAll(async () => {
	emulator = await startEmulator({ seed: 'demo' });
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.clearRequests();
	emulator.faults.clear();
	emulator.setLimits(false);
	emulator.setSwitches({ foreignPages: false, throttleForever: false, valueNull: false });
	store = adminStore(emulator.url);
});

const log = () => emulator.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
const openAssignment = () => emulator.db.coworkerInventoryAssets.find((r) => !r.AssignedTo)!;

async function runItem(parameters: IDataObject) {
	const [out] = await runNexudusNode({ parameters, store, onError: 'continueRegularOutput' });
	return out[0].json;
}

describe('point 4: a token is bound to the Base URL, e-mail and client ID it was issued for', () => {
	const getAsset = {
		resource: 'inventoryAsset',
		operation: 'get',
		inventoryAsset: byId(DEMO.inventoryAssets.madridLocker1),
		options: FAST,
	};

	it("after the credential's e-mail changes, the old user's token is never sent: the new user logs in first", async () => {
		await runItem(getAsset);
		const adminToken = emulator.requests.find((r) => r.path.startsWith('/api/spaces'))!.headers
			.authorization;
		expect(adminToken).toMatch(/^Bearer /);
		emulator.clearRequests();
		store.data = { ...store.data, email: 'limited@example.com' };
		await runItem(getAsset);
		const [first] = emulator.requests;
		expect(`${first.method} ${first.path}`).toBe('POST /api/token');
		expect((first.body as IDataObject).username).toBe('limited@example.com');
		expect(emulator.requests.filter((r) => r.headers.authorization === adminToken)).toEqual([]);
	});

	it('after the Base URL changes, the first request to the new host carries no token of the old one', async () => {
		const other = await startEmulator({ seed: 'demo' });
		try {
			await runItem(getAsset);
			const oldToken = emulator.requests.find((r) => r.path.startsWith('/api/spaces'))!.headers
				.authorization;
			store.data = { ...store.data, baseUrl: other.url };
			const json = await runItem(getAsset);
			expect(json.Id).toBe(DEMO.inventoryAssets.madridLocker1);
			expect(other.requests.map((r) => `${r.method} ${r.path} ${r.status}`)[0]).toBe(
				'POST /api/token 200',
			);
			expect(other.requests.filter((r) => r.headers.authorization === oldToken)).toEqual([]);
		} finally {
			await other.close();
		}
	});

	it('after the Client ID changes, the token is not reused: a new login', async () => {
		await runItem(getAsset);
		emulator.clearRequests();
		store.data = { ...store.data, clientId: 'another-integration' };
		await runItem(getAsset);
		expect(log()[0]).toBe('POST /api/token 200');
		expect(emulator.requests[0].clientId).toMatch(/^another-integration-/);
	});
});

describe("point 5: a 2xx that is not Nexudus's JSON is never a success", () => {
	it('Get Many on an HTML 200: retried, then an error naming the start of the page (not 0 items)', async () => {
		emulator.setSwitches({
			foreignPages: { paths: [/^\/api\/spaces\/coworkerinventoryassets$/], methods: ['GET'] },
		});
		const json = await runItem({
			resource: 'coworkerInventoryAsset',
			operation: 'getAll',
			returnAll: true,
			options: FAST,
		});
		expect(String(json.error)).toContain(
			'is not Nexudus\'s: an HTML page (HTTP 200, text/html) starting "<!DOCTYPE html>',
		);
		expect(log().filter((line) => line.startsWith('GET'))).toEqual(
			Array(3).fill(`GET ${ASSIGNMENTS} 200`),
		);
	});

	it('a list answer without Records is an error, not an empty list', async () => {
		emulator.setSwitches({
			foreignPages: {
				paths: [/^\/api\/spaces\/coworkerinventoryassets$/],
				methods: ['GET'],
				kind: 'empty',
			},
		});
		const json = await runItem({
			resource: 'coworkerInventoryAsset',
			operation: 'getAll',
			returnAll: true,
			options: FAST,
		});
		expect(String(json.error)).toContain("is not Nexudus's: an empty answer (HTTP 200)");
	});

	it('Delete on an HTML 200: never deleted: true while the record is still there', async () => {
		const record = openAssignment();
		emulator.setSwitches({
			foreignPages: {
				paths: [/^\/api\/spaces\/coworkerinventoryassets\/\d+$/],
				methods: ['DELETE'],
			},
		});
		const json = await runItem({
			resource: 'coworkerInventoryAsset',
			operation: 'delete',
			coworkerInventoryAsset: byId(record.Id),
			options: FAST,
		});
		expect(json.deleted).toBeUndefined();
		expect(String(json.error)).toContain("is not Nexudus's");
		expect(emulator.db.coworkerInventoryAssets.some((r) => r.Id === record.Id)).toBe(true);
	});

	it('Delete answered once by an HTML 200 after it ran: sent again, and deleted: true only because it is gone', async () => {
		const record = openAssignment();
		emulator.faults.add({
			method: 'DELETE',
			path: `${ASSIGNMENTS}/${record.Id}`,
			kind: 'html-200-after-write',
		});
		const json = await runItem({
			resource: 'coworkerInventoryAsset',
			operation: 'delete',
			coworkerInventoryAsset: byId(record.Id),
			options: FAST,
		});
		expect(json).toEqual({ deleted: true, Id: record.Id });
		expect(emulator.db.coworkerInventoryAssets.some((r) => r.Id === record.Id)).toBe(false);
	});

	it('a create answered by an HTML 200 after it was applied is looked up as after a 5xx: one record, its Id output', async () => {
		emulator.faults.add({ method: 'POST', path: ASSIGNMENTS, kind: 'html-200-after-write' });
		const json = await runItem({
			resource: 'coworkerInventoryAsset',
			operation: 'create',
			coworker: byId(DEMO.coworkers.sergioOrtega),
			location: byId(DEMO.businesses.madrid),
			inventoryAsset: byId(DEMO.inventoryAssets.madridLocker1),
			assignedFrom: '2034-02-03T09:00:00Z',
			ifAssigned: 'createAnyway',
			additionalFields: { notes: 'html after write' },
			options: { ...FAST, timeoutSeconds: 1 },
		});
		const stored = emulator.db.coworkerInventoryAssets.filter(
			(r) => r.Notes === 'html after write',
		);
		expect(stored).toHaveLength(1);
		expect(json.Id).toBe(stored[0].Id);
		expect(log().filter((line) => line.startsWith(`POST ${ASSIGNMENTS}`))).toEqual([
			`POST ${ASSIGNMENTS} 200`,
		]);
	});

	it('If Already Assigned = Skip with an HTML 200 on the overlap check: the item fails, nothing is created', async () => {
		const held = openAssignment();
		const before = emulator.db.coworkerInventoryAssets.length;
		emulator.setSwitches({
			foreignPages: { paths: [/^\/api\/spaces\/coworkerinventoryassets$/], methods: ['GET'] },
		});
		const json = await runItem({
			resource: 'coworkerInventoryAsset',
			operation: 'create',
			coworker: byId(DEMO.coworkers.andresRomero),
			location: byId(held.BusinessId),
			inventoryAsset: byId(held.InventoryAssetId),
			assignedFrom: '2035-01-01T09:00:00Z',
			ifAssigned: 'skip',
			additionalFields: {},
			options: FAST,
		});
		expect(String(json.error)).toContain("is not Nexudus's");
		expect(emulator.requests.filter((r) => r.method === 'POST' && r.path === ASSIGNMENTS)).toEqual(
			[],
		);
		expect(emulator.db.coworkerInventoryAssets).toHaveLength(before);
	});

	it('Inventory Asset Update with an HTML 200 on its read: nothing sent, SKU and Value kept', async () => {
		const asset = emulator.db.inventoryAssets.find(
			(a) => a.Id === DEMO.inventoryAssets.madridMonitor1,
		)!;
		const { Sku, Value } = asset;
		emulator.setSwitches({
			foreignPages: { paths: [/^\/api\/spaces\/inventoryassets\/\d+$/], methods: ['GET'] },
		});
		const json = await runItem({
			resource: 'inventoryAsset',
			operation: 'update',
			inventoryAsset: byId(asset.Id),
			updateFields: { description: 'checked' },
			options: FAST,
		});
		expect(String(json.error)).toContain("is not Nexudus's");
		expect(emulator.requests.filter((r) => r.method === 'PUT')).toEqual([]);
		expect([asset.Sku, asset.Value]).toEqual([Sku, Value]);
	});

	it('End Assignment with an empty 200 on its read: nothing sent', async () => {
		const record = openAssignment();
		emulator.setSwitches({
			foreignPages: {
				paths: [/^\/api\/spaces\/coworkerinventoryassets\/\d+$/],
				methods: ['GET'],
				kind: 'empty',
			},
		});
		const json = await runItem({
			resource: 'coworkerInventoryAsset',
			operation: 'endAssignment',
			scope: 'one',
			coworkerInventoryAsset: byId(record.Id),
			endDate: '2036-01-01T00:00:00Z',
			options: FAST,
		});
		expect(String(json.error)).toContain("is not Nexudus's: an empty answer");
		expect(emulator.requests.filter((r) => r.method === 'PUT')).toEqual([]);
		expect(record.AssignedTo).toBeFalsy();
	});

	it('a record read must answer the record asked for (its Id)', async () => {
		const record = openAssignment();
		const other = emulator.db.coworkerInventoryAssets.find((r) => r.Id !== record.Id)!;
		const ctx = loadOptionsContext(store);
		await expect(
			nexudusApiRequest.call(ctx, {
				method: 'GET',
				endpoint: `${ASSIGNMENTS}/${record.Id}`,
				role: 'CoworkerInventoryAsset-Read',
				pacing: { minIntervalMs: 0, writesPerMinute: 0, windowMs: 1000, maxRetries: 0 },
			}),
		).resolves.toMatchObject({ Id: record.Id });
		// The emulator answers the asked record; a record of another Id is not the one asked for.
		expect(
			notNexudus(
				{ statusCode: 200, headers: {}, body: { Id: other.Id } },
				'record',
				`${ASSIGNMENTS}/${record.Id}`,
			),
		).toBe(`JSON that is not record ${record.Id}`);
		expect(MAINTENANCE_PAGE).toContain('<!DOCTYPE html>');
	});
});

describe('point 6: 429 from a proxy or CDN is throttling, with Retry-After in seconds or as a date', () => {
	const getAsset = {
		resource: 'inventoryAsset',
		operation: 'get',
		inventoryAsset: byId(DEMO.inventoryAssets.madridLocker1),
		options: FAST,
	};

	it('a 429 with Retry-After 0.4 s: waited, sent again, read', async () => {
		emulator.faults.add({
			method: 'GET',
			path: '/api/spaces/inventoryassets',
			kind: '429',
			retryAfterSeconds: 0.4,
		});
		const json = await runItem(getAsset);
		expect(json.Id).toBe(DEMO.inventoryAssets.madridLocker1);
		const reads = emulator.requests.filter((r) => r.path.startsWith('/api/spaces/inventoryassets'));
		expect(reads.map((r) => r.status)).toEqual([429, 200]);
		expect(reads[1].at - reads[0].at).toBeGreaterThanOrEqual(395);
	});

	it.each([429, 409])(
		'a %i with an HTTP-date Retry-After 3 s ahead waits until then (not 1 s)',
		async (status) => {
			const at = new Date(Date.now() + 3_000);
			emulator.faults.add({
				method: 'GET',
				path: '/api/spaces/inventoryassets',
				kind: String(status) as '429' | '409',
				retryAfterSeconds: at.toUTCString(),
			});
			const json = await runItem(getAsset);
			expect(json.Id).toBe(DEMO.inventoryAssets.madridLocker1);
			const reads = emulator.requests.filter((r) =>
				r.path.startsWith('/api/spaces/inventoryassets'),
			);
			expect(reads.map((r) => r.status)).toEqual([status, 200]);
			// An HTTP date has whole seconds: at least 2 s after the throttled answer.
			expect(reads[1].at - reads[0].at).toBeGreaterThanOrEqual(1_900);
		},
		15_000,
	);

	it('a 429 on the login (/api/token) is waited out the same way', async () => {
		emulator.faults.add({
			method: 'POST',
			path: '/api/token',
			kind: '429',
			retryAfterSeconds: 0.3,
		});
		const json = await runItem(getAsset);
		expect(json.Id).toBe(DEMO.inventoryAssets.madridLocker1);
		const logins = emulator.requests.filter((r) => r.path === '/api/token');
		expect(logins.map((r) => r.status)).toEqual([429, 200]);
		expect(logins[1].at - logins[0].at).toBeGreaterThanOrEqual(295);
	});

	it('a 429 with an HTTP date on the login is waited out too', async () => {
		emulator.faults.add({
			method: 'POST',
			path: '/api/token',
			kind: '429',
			retryAfterSeconds: new Date(Date.now() + 2_000).toUTCString(),
		});
		const json = await runItem(getAsset);
		expect(json.Id).toBe(DEMO.inventoryAssets.madridLocker1);
		const logins = emulator.requests.filter((r) => r.path === '/api/token');
		expect(logins.map((r) => r.status).at(-1)).toBe(200);
		expect(logins.at(-1)!.at - logins[0].at).toBeGreaterThanOrEqual(900);
	}, 15_000);
});

describe('point 7: every wait ends', () => {
	it('a URL throttled forever while others get through fails at Max Time per Request, with a clear error', async () => {
		const stuck = DEMO.inventoryAssets.madridLocker1;
		emulator.setSwitches({
			throttleForever: {
				paths: [new RegExp(`^/api/spaces/inventoryassets/${stuck}$`)],
				retryAfter: 0.05,
			},
		});
		let running = true;
		const others = (async () => {
			const ctx = loadOptionsContext(store);
			while (running) {
				await nexudusApiRequest.call(ctx, {
					method: 'GET',
					endpoint: '/api/sys/businesses',
					role: 'Business-List',
					pacing: { minIntervalMs: 0, writesPerMinute: 0, windowMs: 1000, maxRetries: 0 },
				});
				await new Promise((resolve) => setTimeout(resolve, 30));
			}
		})();
		const start = Date.now();
		try {
			const json = await runItem({
				resource: 'inventoryAsset',
				operation: 'get',
				inventoryAsset: byId(stuck),
				options: { minIntervalMs: 0, maxRetries: 2, maxRequestSeconds: 2 },
			});
			// Met either while waiting for the Retry-After or when told to wait once more.
			expect(String(json.error)).toMatch(
				/^Nexudus did not take this request within the Max Time per Request \(2 s\): (throttled \(409\) \d+ times|the wait for Retry-After would end after it)$/,
			);
			expect(String(json.message ?? '')).toMatch(/^It was throttled \d+ times \(409 or 429\)/);
			expect(Date.now() - start).toBeLessThan(4_000);
		} finally {
			running = false;
			await others;
		}
	}, 12_000);

	it('numeric options given as text are read, and anything else fails the item naming the option', async () => {
		emulator.faults.add({
			method: 'GET',
			path: '/api/spaces/inventoryassets',
			kind: '429',
			retryAfterSeconds: 0.05,
			times: 5,
		});
		// Max Retries "0" from an expression is 0: the first 429 is the error (the default, 10, would wait).
		const zero = await runItem({
			resource: 'inventoryAsset',
			operation: 'get',
			inventoryAsset: byId(DEMO.inventoryAssets.madridLocker1),
			options: { minIntervalMs: '0', maxRetries: '0' },
		});
		expect(String(zero.error)).toBe('Nexudus kept throttling the requests (429)');
		emulator.faults.clear();
		emulator.clearRequests();
		const bad = await runItem({
			resource: 'inventoryAsset',
			operation: 'get',
			inventoryAsset: byId(DEMO.inventoryAssets.madridLocker1),
			options: { maxRetries: 'ten' },
		});
		expect(bad.error).toBe('Invalid Max Retries: "ten"');
		const create = await runItem({
			resource: 'coworkerInventoryAsset',
			operation: 'create',
			options: { writeWindowSeconds: 'a minute' },
		});
		expect(create.error).toBe('Invalid Write Window (Seconds): "a minute"');
		expect(emulator.requests).toEqual([]);
	});
});
