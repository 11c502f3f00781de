import type { Emulator } from '../../../../emulator/server.cjs';
import { DEMO, startEmulator } from '../../../../emulator/server.cjs';
import type { CredentialStore } from '../../../../support/n8nCore.cjs';
import { adminStore, credentialStore, runNexudusNode } from '../../../../support/n8nCore.cjs';

const ENDPOINT = '/api/spaces/coworkerinventoryassets';
const { businesses, coworkers, inventoryAssets: assets } = DEMO;

let emulator: Emulator;
let store: CredentialStore;

beforeAll(async () => {
	emulator = await startEmulator({ seed: 'demo' });
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.clearRequests();
	emulator.faults.clear();
	store = adminStore(emulator.url);
});

function byId(value: number | string) {
	return { __rl: true, mode: 'id', value };
}

function seedAssignment(coworker: number, overrides: Record<string, unknown> = {}) {
	return emulator.db.addCoworkerInventoryAsset({
		CoworkerId: coworker,
		BusinessId: businesses.madrid,
		InventoryAssetId: assets.madridChair1,
		AssignedFrom: '2025-01-10T09:00:00Z',
		AssignedTo: null,
		Notes: 'Keep me',
		...overrides,
	});
}

function endOne(id: number | string, endDate = '', extra: Record<string, unknown> = {}) {
	return {
		resource: 'coworkerInventoryAsset',
		operation: 'endAssignment',
		scope: 'one',
		coworkerInventoryAsset: byId(id),
		endDate,
		options: {},
		...extra,
	};
}

function endAll(coworker: number | string, endDate = '', options: Record<string, unknown> = {}) {
	return {
		resource: 'coworkerInventoryAsset',
		operation: 'endAssignment',
		scope: 'allOfCoworker',
		coworker: byId(coworker),
		endDate,
		options,
	};
}

const puts = () => emulator.requests.filter((r) => r.method === 'PUT' && r.path === ENDPOINT);
const putIds = () => puts().map((r) => (r.body as { Id: number }).Id);

describe('End Assignment through n8n-core: one assignment', () => {
	it('sets Assigned To (workflow time zone, sent in UTC) and PUTs the whole record', async () => {
		const record = seedAssignment(coworkers.pabloNavarro);
		const [out] = await runNexudusNode({
			parameters: endOne(record.Id, '2025-09-30 18:00'),
			timezone: 'Europe/Madrid',
			store,
		});
		expect(out).toHaveLength(1);
		expect(out[0].pairedItem).toEqual({ item: 0 });
		const writable = {
			Id: record.Id,
			CoworkerId: coworkers.pabloNavarro,
			BusinessId: businesses.madrid,
			InventoryAssetId: assets.madridChair1,
			AssignedFrom: '2025-01-10T09:00:00Z',
			AssignedTo: '2025-09-30T16:00:00Z',
			Notes: 'Keep me',
		};
		expect(out[0].json).toEqual({
			...writable,
			CoworkerFullName: 'Pablo Navarro',
			InventoryAssetName: 'Ergonomic chair Herman Miller Aeron 01',
			InventoryAssetSku: 'MAD-CHR-01',
		});
		expect(puts().map((r) => r.body)).toEqual([writable]);
		expect(emulator.db.coworkerInventoryAsset(record.Id)).toMatchObject({
			AssignedTo: '2025-09-30T16:00:00Z',
			Notes: 'Keep me',
		});
	});

	it('an empty End Date means now', async () => {
		const record = seedAssignment(coworkers.pabloNavarro);
		const [out] = await runNexudusNode({ parameters: endOne(record.Id), store });
		const end = Date.parse(String(out[0].json.AssignedTo));
		expect(out[0].json.AssignedTo).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
		expect(Math.abs(end - Date.now())).toBeLessThan(5000);
		expect(emulator.db.coworkerInventoryAsset(record.Id)!.AssignedTo).toBe(out[0].json.AssignedTo);
	});

	it('leaves an assignment that already ended unchanged and says so (skipped)', async () => {
		const record = seedAssignment(coworkers.pabloNavarro, { AssignedTo: '2025-03-31T18:00:00Z' });
		const [out] = await runNexudusNode({ parameters: endOne(record.Id, '2025-09-30'), store });
		expect(out[0].json).toMatchObject({
			Id: record.Id,
			AssignedTo: '2025-03-31T18:00:00Z',
			skipped: true,
			reason: expect.stringContaining('already ended at 2025-03-31T18:00:00Z'),
		});
		expect(puts()).toHaveLength(0);
	});

	it('ends earlier an assignment whose end is after the End Date', async () => {
		const record = seedAssignment(coworkers.pabloNavarro, { AssignedTo: '2026-12-31T18:00:00Z' });
		const [out] = await runNexudusNode({ parameters: endOne(record.Id, '2025-09-30T18:00:00Z'), store });
		expect(out[0].json.AssignedTo).toBe('2025-09-30T18:00:00Z');
		expect(out[0].json.skipped).toBeUndefined();
	});

	it('an assignment starting after the End Date is a per-item error, nothing sent', async () => {
		const record = seedAssignment(coworkers.pabloNavarro, { AssignedFrom: '2025-10-01T09:00:00Z' });
		const [out] = await runNexudusNode({
			parameters: endOne(record.Id, '2025-09-30T18:00:00Z'),
			onError: 'continueErrorOutput',
			store,
		});
		expect(out[0].json.error).toBe('Invalid End Date: "2025-09-30T18:00:00Z"');
		expect(out[0].json.message).toContain(`Assignment ${record.Id} starts at 2025-10-01T09:00:00Z, after the End Date`);
		expect(puts()).toHaveLength(0);
		expect(emulator.db.coworkerInventoryAsset(record.Id)!.AssignedTo).toBeNull();
	});

	it('bad input and a missing assignment are per-item errors', async () => {
		const [out] = await runNexudusNode({
			parameters: endOne('={{ $json.id }}', '={{ $json.end }}'),
			items: [
				{ id: 5001, end: 'tomorrow' },
				{ id: 'x', end: '2025-09-30T18:00:00Z' },
				{ id: 5999999, end: '2025-09-30T18:00:00Z' },
			],
			onError: 'continueRegularOutput',
			store,
		});
		expect(out.map((i) => i.json.error)).toEqual([
			'Invalid End Date: "tomorrow"',
			'Invalid Coworker Inventory Asset: "x"',
			'Nexudus has no coworker inventory asset 5999999 (404)',
		]);
		expect(puts()).toHaveLength(0);
	});
});

describe('End Assignment through n8n-core: all open assignments of a coworker', () => {
	it('ends only the open ones, leaving ended ones and other coworkers untouched', async () => {
		const me = coworkers.martaGil;
		const open = seedAssignment(me, { Notes: 'Desk by the window' });
		const openUntilLater = seedAssignment(me, {
			InventoryAssetId: assets.madridMonitor1,
			AssignedTo: '2026-06-30T18:00:00Z',
			Notes: null,
		});
		const ended = seedAssignment(me, {
			InventoryAssetId: assets.madridLocker1,
			AssignedTo: '2025-05-31T18:00:00Z',
		});
		const someoneElse = seedAssignment(coworkers.diegoSerrano);
		const [out] = await runNexudusNode({ parameters: endAll(me, '2025-09-30T18:00:00Z'), store });

		expect(out.map((i) => i.json.Id)).toEqual([open.Id, openUntilLater.Id]);
		expect(out.every((i) => i.json.AssignedTo === '2025-09-30T18:00:00Z')).toBe(true);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		expect(out[0].json).toMatchObject({ Notes: 'Desk by the window', InventoryAssetSku: 'MAD-CHR-01' });
		expect(out[1].json).toMatchObject({ Notes: null, InventoryAssetSku: 'MAD-MON-01' });
		expect(putIds()).toEqual([open.Id, openUntilLater.Id]);
		// Each PUT is built from a fresh GET of the whole record, never from a list record.
		expect(emulator.requests.filter((r) => r.method === 'GET' && r.path.startsWith(`${ENDPOINT}/`)).map((r) => r.path)).toEqual([
			`${ENDPOINT}/${open.Id}`,
			`${ENDPOINT}/${openUntilLater.Id}`,
		]);
		expect(emulator.db.coworkerInventoryAsset(open.Id)!.Notes).toBe('Desk by the window');
		expect(emulator.db.coworkerInventoryAsset(ended.Id)!.AssignedTo).toBe('2025-05-31T18:00:00Z');
		expect(emulator.db.coworkerInventoryAsset(someoneElse.Id)!.AssignedTo).toBeNull();
		const list = emulator.requests.find((r) => r.method === 'GET' && r.path === ENDPOINT)!;
		expect(list.query.CoworkerInventoryAsset_Coworker).toBe(String(me));

		// Running it again changes nothing: nothing is open any more.
		emulator.clearRequests();
		const [again] = await runNexudusNode({ parameters: endAll(me, '2025-09-30T18:00:00Z'), store });
		expect(again).toEqual([]);
		expect(puts()).toHaveLength(0);
	});

	it('filters by location when Only at Location is set', async () => {
		const me = coworkers.elenaCastro;
		const madrid = seedAssignment(me);
		const newYork = seedAssignment(me, {
			BusinessId: businesses.newYork,
			InventoryAssetId: assets.newYorkMonitor1,
		});
		const [out] = await runNexudusNode({
			parameters: endAll(me, '2025-09-30T18:00:00Z', { location: byId(businesses.newYork) }),
			store,
		});
		expect(out.map((i) => i.json.Id)).toEqual([newYork.Id]);
		expect(emulator.db.coworkerInventoryAsset(madrid.Id)!.AssignedTo).toBeNull();
		const list = emulator.requests.find((r) => r.method === 'GET' && r.path === ENDPOINT)!;
		expect(list.query.CoworkerInventoryAsset_Business).toBe(String(businesses.newYork));
	});

	it('defaults the End Date to now', async () => {
		const me = coworkers.sergioOrtega;
		const open = seedAssignment(me);
		const [out] = await runNexudusNode({ parameters: endAll(me), store });
		expect(out.map((i) => i.json.Id)).toEqual([open.Id]);
		expect(Math.abs(Date.parse(String(out[0].json.AssignedTo)) - Date.now())).toBeLessThan(5000);
	});

	it('reports an assignment starting after the End Date as skipped, and ends the others', async () => {
		const me = coworkers.lauraDelgado;
		const current = seedAssignment(me);
		const future = seedAssignment(me, {
			InventoryAssetId: assets.madridLocker1,
			AssignedFrom: '2025-11-01T09:00:00Z',
		});
		const [out] = await runNexudusNode({ parameters: endAll(me, '2025-09-30T18:00:00Z'), store });
		expect(out.map((i) => [i.json.Id, i.json.skipped ?? false])).toEqual([
			[current.Id, false],
			[future.Id, true],
		]);
		expect(out[1].json.reason).toContain('starts at 2025-11-01T09:00:00Z, after the End Date 2025-09-30T18:00:00Z');
		expect(out[1].json.AssignedTo).toBeNull();
		expect(putIds()).toEqual([current.Id]);
		expect(emulator.db.coworkerInventoryAsset(future.Id)!.AssignedTo).toBeNull();
	});

	it('gives no items for a coworker with no open assignment, and items for the others', async () => {
		const [out] = await runNexudusNode({
			parameters: endAll('={{ $json.coworker }}', '2025-09-30T18:00:00Z'),
			items: [{ coworker: coworkers.andresRomero }, { coworker: 'nobody' }],
			onError: 'continueRegularOutput',
			store,
		});
		expect(out).toEqual([
			expect.objectContaining({ json: expect.objectContaining({ error: 'Invalid Coworker: "nobody"' }), pairedItem: { item: 1 } }),
		]);
	});

	it('a failure on one assignment: the others are ended; with continue it is an error item, otherwise the run stops naming it', async () => {
		const me = coworkers.jamesWhitaker;
		const good = seedAssignment(me, { BusinessId: businesses.newYork, InventoryAssetId: assets.newYorkChair1 });
		// Stored inconsistently (an asset of another location): Nexudus refuses the PUT.
		const bad = seedAssignment(me, { BusinessId: businesses.newYork, InventoryAssetId: assets.madridLocker1 });
		const [out] = await runNexudusNode({
			parameters: endAll(me, '2025-09-30T18:00:00Z'),
			onError: 'continueErrorOutput',
			store,
		});
		expect(out).toHaveLength(2);
		expect(out[0].json.Id).toBe(good.Id);
		expect(Object.keys(out[1].json).sort()).toEqual(['error', 'message']);
		expect(out[1].json.error).toContain(`Could not end assignment ${bad.Id}:`);
		expect(out[1].json.error).toContain('does not belong to this location');
		expect(out[1].pairedItem).toEqual({ item: 0 });

		await expect(
			runNexudusNode({ parameters: endAll(me, '2025-09-30T18:00:00Z'), store }),
		).rejects.toMatchObject({
			message: `Could not end 1 of 1 open assignments of coworker ${me}`,
			description: expect.stringContaining(`Assignment ${bad.Id}:`),
		});
	});

	it('a missing role for every assignment: each is tried, then one error that names the role', async () => {
		const me = coworkers.noahSullivan;
		seedAssignment(me, { BusinessId: businesses.newYork, InventoryAssetId: assets.newYorkLocker1 });
		seedAssignment(me, { BusinessId: businesses.newYork, InventoryAssetId: assets.newYorkMonitor1 });
		store = credentialStore({ email: 'limited@example.com', password: 'demo-password', baseUrl: emulator.url });
		await expect(runNexudusNode({ parameters: endAll(me), store })).rejects.toMatchObject({
			message: 'The Nexudus user lacks the CoworkerInventoryAsset-Read role (403)',
		});
		// A 403 may hold for one location only, so each one was tried.
		expect(emulator.requests.filter((r) => r.status === 403)).toHaveLength(2);
	});
});

describe('End Assignment: End Date from an empty expression or a number', () => {
	it('an End Date expression that evaluates to empty fails instead of ending now', async () => {
		const record = seedAssignment(coworkers.pabloNavarro);
		const [out] = await runNexudusNode({
			parameters: endOne(record.Id, '={{ $json.end }}'),
			items: [{ end: '' }, { end: 2025 }],
			onError: 'continueRegularOutput',
			store,
		});
		expect(out[0].json).toEqual({
			error: 'Invalid End Date: the expression {{ $json.end }} evaluated to empty ("")',
			message:
				'An empty End Date means now, which a mapping that found nothing should not decide. Fix the expression or the input data so that it gives a date, or clear the End Date field (a fixed empty value, not an expression) to end the assignments now. Nothing was sent for this item.',
		});
		expect(out[1].json.error).toBe('Invalid End Date: 2025');
		expect(out[1].json.message).toContain('It looks like a year; give a whole date such as 2025-01-15.');
		expect(puts()).toHaveLength(0);
		expect(emulator.db.coworkerInventoryAsset(record.Id)!.AssignedTo).toBeNull();
	});

	it('a blank End Date (not an expression) still means now', async () => {
		const record = seedAssignment(coworkers.pabloNavarro);
		const [out] = await runNexudusNode({ parameters: endOne(record.Id, ''), store });
		expect(Math.abs(Date.parse(String(out[0].json.AssignedTo)) - Date.now())).toBeLessThan(60_000);
		expect(puts()).toHaveLength(1);
	});
});
