import type { Emulator } from '../../../../emulator/server.cjs';
import { DEFAULT_USERS, DEMO, DEMO_PASSWORD, startEmulator } from '../../../../emulator/server.cjs';
import type { CredentialStore } from '../../../../support/n8nCore.cjs';
import { adminStore, credentialStore, runNexudusNode } from '../../../../support/n8nCore.cjs';

const ENDPOINT = '/api/spaces/coworkerinventoryassets';
const { businesses, coworkers, inventoryAssets: assets } = DEMO;

let emulator: Emulator;
let store: CredentialStore;

beforeAll(async () => {
	emulator = await startEmulator({
		seed: 'demo',
		users: [
			...DEFAULT_USERS,
			{
				email: 'reader@example.com',
				password: DEMO_PASSWORD,
				roles: ['CoworkerInventoryAsset-List', 'CoworkerInventoryAsset-Read'],
			},
		],
	});
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

/** A fresh assignment of its own, so tests do not depend on each other. */
function seedAssignment(overrides: Record<string, unknown> = {}) {
	return emulator.db.addCoworkerInventoryAsset({
		CoworkerId: coworkers.pabloNavarro,
		BusinessId: businesses.madrid,
		InventoryAssetId: assets.madridChair1,
		AssignedFrom: '2025-01-10T09:00:00Z',
		AssignedTo: '2025-06-30T18:00:00Z',
		Notes: 'Keep me',
		...overrides,
	});
}

function updateParameters(id: number | string, updateFields: Record<string, unknown>, extra = {}) {
	return {
		resource: 'coworkerInventoryAsset',
		operation: 'update',
		coworkerInventoryAsset: byId(id),
		updateFields,
		options: {},
		...extra,
	};
}

const puts = () => emulator.requests.filter((r) => r.method === 'PUT' && r.path === ENDPOINT);

describe('Update Coworker Inventory Asset through n8n-core', () => {
	it('reads the whole record, changes only what was given and PUTs it back whole', async () => {
		const record = seedAssignment();
		const [out] = await runNexudusNode({
			parameters: updateParameters(record.Id, { assignedTo: '2025-07-31 18:00' }),
			timezone: 'Europe/Madrid',
			store,
		});
		const expected = {
			Id: record.Id,
			CoworkerId: coworkers.pabloNavarro,
			BusinessId: businesses.madrid,
			InventoryAssetId: assets.madridChair1,
			AssignedFrom: '2025-01-10T09:00:00Z',
			AssignedTo: '2025-07-31T16:00:00Z',
			Notes: 'Keep me',
		};
		expect(out).toHaveLength(1);
		expect(out[0].json).toEqual(expected);
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			'POST /api/token',
			`GET ${ENDPOINT}/${record.Id}`,
			`PUT ${ENDPOINT}`,
		]);
		expect(puts()[0].body).toEqual(expected);
		const stored = emulator.db.coworkerInventoryAsset(record.Id)!;
		expect(stored.Notes).toBe('Keep me');
		expect(stored.AssignedFrom).toBe('2025-01-10T09:00:00Z');
		expect(stored.AssignedTo).toBe('2025-07-31T16:00:00Z');
	});

	it('changes coworker, location, asset and notes together; empty notes clear them', async () => {
		const record = seedAssignment();
		const [out] = await runNexudusNode({
			parameters: updateParameters(record.Id, {
				coworker: byId(coworkers.emilyCarter),
				location: { __rl: true, mode: 'list', value: String(businesses.newYork) },
				inventoryAsset: byId(assets.newYorkChair1),
				notes: '',
			}),
			store,
		});
		expect(out[0].json).toMatchObject({
			CoworkerId: coworkers.emilyCarter,
			BusinessId: businesses.newYork,
			InventoryAssetId: assets.newYorkChair1,
			Notes: null,
			AssignedTo: '2025-06-30T18:00:00Z',
		});
		const stored = emulator.db.coworkerInventoryAsset(record.Id)!;
		expect(stored).toMatchObject({
			CoworkerId: coworkers.emilyCarter,
			BusinessId: businesses.newYork,
			Notes: null,
		});
	});

	it('Clear Assigned To reopens the assignment (with Assigned To left out or mapped to empty)', async () => {
		const record = seedAssignment();
		const [out] = await runNexudusNode({
			parameters: updateParameters(record.Id, { clearAssignedTo: true }),
			store,
		});
		const other = seedAssignment();
		const [mapped] = await runNexudusNode({
			parameters: updateParameters(other.Id, { clearAssignedTo: '={{ $json.clear }}', assignedTo: '={{ $json.to }}' }),
			items: [{ clear: true, to: null }],
			store,
		});
		expect(mapped[0].json.AssignedTo).toBeNull();
		expect(emulator.db.coworkerInventoryAsset(other.Id)!.AssignedTo).toBeNull();
		expect(out[0].json.AssignedTo).toBeNull();
		expect((puts()[0].body as Record<string, unknown>).AssignedTo).toBeNull();
		expect(emulator.db.coworkerInventoryAsset(record.Id)!.AssignedTo).toBeNull();
		expect(emulator.db.coworkerInventoryAsset(record.Id)!.Notes).toBe('Keep me');
	});

	it('refuses dates that would end before the start, given or merged with the stored ones, and sends no PUT', async () => {
		const record = seedAssignment();
		const [out] = await runNexudusNode({
			parameters: updateParameters(record.Id, {
				assignedFrom: '={{ $json.from }}',
				assignedTo: '={{ $json.to }}',
			}),
			items: [{ from: '2025-03-01', to: '2025-02-01' }],
			onError: 'continueRegularOutput',
			store,
		});
		expect(out[0].json.error).toContain('Invalid Assigned To');
		expect(out[0].json.message).toContain('before Assigned From');

		// Only the start moves, past the stored end (2025-06-30): caught after the GET.
		const [merged] = await runNexudusNode({
			parameters: updateParameters(record.Id, { assignedFrom: '2025-08-01' }),
			onError: 'continueRegularOutput',
			store,
		});
		expect(merged[0].json.error).toBe('Invalid Assigned From: "2025-08-01T00:00:00Z"');
		expect(merged[0].json.message).toContain(
			'would be before Assigned From (new: 2025-08-01T00:00:00Z)',
		);
		expect(merged[0].json.message).toContain('current: 2025-06-30T18:00:00Z');
		expect(puts()).toHaveLength(0);
		expect(emulator.db.coworkerInventoryAsset(record.Id)!.AssignedFrom).toBe(
			'2025-01-10T09:00:00Z',
		);
	});

	it.each([
		[{}, 'Invalid Update Fields: {}', 'add at least one field under Update Fields'],
		[{ clearAssignedTo: false }, 'Invalid Update Fields: {"clearAssignedTo":false}', 'Nothing to update'],
		[{ clearAssignedTo: true, assignedTo: '2025-09-01' }, 'Invalid Clear Assigned To: true', 'contradict'],
		[{ assignedTo: '' }, 'Invalid Assigned To: ""', 'turn on Clear Assigned To'],
		[{ assignedFrom: 'soon' }, 'Invalid Assigned From: "soon"', 'Use ISO 8601'],
		[{ coworker: byId('abc') }, 'Invalid Coworker: "abc"', 'positive whole number'],
	])('update fields %j: a per-item error naming the fix, nothing sent', async (fields, error, fix) => {
		const record = seedAssignment();
		const [out] = await runNexudusNode({
			parameters: updateParameters(record.Id, fields),
			onError: 'continueRegularOutput',
			store,
		});
		expect(out[0].json.error).toBe(error);
		expect(out[0].json.message).toContain(fix);
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(emulator.requests.filter((r) => r.path.startsWith(ENDPOINT))).toHaveLength(0);
	});

	it('refuses a bad assignment Id before sending anything', async () => {
		const [out] = await runNexudusNode({
			parameters: updateParameters('abc', { notes: 'x' }),
			onError: 'continueRegularOutput',
			store,
		});
		expect(out[0].json.error).toBe('Invalid Coworker Inventory Asset: "abc"');
		expect(emulator.requests).toHaveLength(0);
	});

	it('reports a missing assignment (404) without sending a PUT', async () => {
		const [out] = await runNexudusNode({
			parameters: updateParameters(5999999, { notes: 'x' }),
			onError: 'continueRegularOutput',
			store,
		});
		expect(out[0].json.error).toBe('Nexudus has no coworker inventory asset 5999999 (404)');
		expect(puts()).toHaveLength(0);
	});

	it('refuses an asset of another location before sending the PUT, naming both sites', async () => {
		const record = seedAssignment();
		const [out] = await runNexudusNode({
			parameters: updateParameters(record.Id, { inventoryAsset: byId(assets.newYorkChair1) }),
			onError: 'continueRegularOutput',
			store,
		});
		expect(out[0].json.error).toBe(
			`Inventory Asset ${assets.newYorkChair1} (Ergonomic chair Herman Miller Aeron 01) is at New York - SoHo, not at Madrid - Gran Vía`,
		);
		expect(puts()).toHaveLength(0);
		expect(emulator.db.coworkerInventoryAsset(record.Id)!.InventoryAssetId).toBe(
			assets.madridChair1,
		);
	});

	it('names the Edit role on a 403', async () => {
		const record = seedAssignment();
		store = credentialStore({
			email: 'reader@example.com',
			password: DEMO_PASSWORD,
			baseUrl: emulator.url,
		});
		await expect(
			runNexudusNode({ parameters: updateParameters(record.Id, { notes: 'x' }), store }),
		).rejects.toMatchObject({
			message: 'The Nexudus user lacks the CoworkerInventoryAsset-Edit role (403)',
		});
	});
});

describe('Update: notes of other types, empty expressions, dates given as numbers', () => {
	it('stores numbers as Notes text and refuses an object instead of sending [object Object]', async () => {
		const record = seedAssignment();
		const [out] = await runNexudusNode({
			parameters: updateParameters(record.Id, { notes: '={{ $json.notes }}' }),
			items: [{ notes: 12345 }, { notes: { text: 'hi' } }],
			onError: 'continueRegularOutput',
			store,
		});
		expect(out[0].json).toMatchObject({ Notes: '12345' });
		expect(out[1].json.error).toBe('Invalid Notes: {"text":"hi"}');
		expect(out[1].json.message).toContain('Notes must be text, but the value is an object. Map a text field');
		expect(puts()).toHaveLength(1);
		expect(emulator.db.coworkerInventoryAsset(record.Id)!.Notes).toBe('12345');
	});

	it('a Notes expression that evaluates to empty fails instead of clearing the notes', async () => {
		const record = seedAssignment();
		const [out] = await runNexudusNode({
			parameters: updateParameters(record.Id, { notes: '={{ $json.notes }}' }),
			items: [{}],
			onError: 'continueRegularOutput',
			store,
		});
		expect(out[0].json).toEqual({
			error: 'Invalid Notes: the expression {{ $json.notes }} evaluated to empty (undefined)',
			message:
				'An empty Notes means clearing the notes stored on the assignment, which a mapping that found nothing should not decide. Fix the expression or the input data so that it gives a text, or set Notes to a fixed empty value (not an expression) to clear them, or remove Notes from Update Fields to keep them. Nothing was sent for this item.',
		});
		expect(puts()).toHaveLength(0);
		expect(emulator.db.coworkerInventoryAsset(record.Id)!.Notes).toBe('Keep me');
	});

	it('a Clear Assigned To expression that evaluates to empty fails the item', async () => {
		const record = seedAssignment();
		const [out] = await runNexudusNode({
			parameters: updateParameters(record.Id, { clearAssignedTo: '={{ $json.clear }}', notes: 'x' }),
			items: [{}],
			onError: 'continueRegularOutput',
			store,
		});
		expect(out[0].json.error).toBe(
			'Invalid Clear Assigned To: the expression {{ $json.clear }} evaluated to empty (undefined)',
		);
		expect(puts()).toHaveLength(0);
	});

	it('refuses a spreadsheet serial date for Assigned To', async () => {
		const record = seedAssignment();
		const [out] = await runNexudusNode({
			parameters: updateParameters(record.Id, { assignedTo: '={{ $json.to }}' }),
			items: [{ to: 45672 }],
			onError: 'continueRegularOutput',
			store,
		});
		expect(out[0].json.error).toBe('Invalid Assigned To: 45672');
		expect(out[0].json.message).toContain('It looks like a spreadsheet serial date (days since 1899-12-30; 45672 is 2025-01-15)');
		expect(puts()).toHaveLength(0);
	});
});
