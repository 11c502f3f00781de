/**
 * Coworker By Email and Location By Name in the operations that take them besides Create (whose
 * own test covers it): Update, End Assignment (all of a coworker, Only at Location) and the
 * assignments' Get Many filters.
 */
import type { Emulator } from '../../../emulator/server.cjs';
import { DEMO, startEmulator } from '../../../emulator/server.cjs';
import type { CredentialStore } from '../../../support/n8nCore.cjs';
import { adminStore, runNexudusNode } from '../../../support/n8nCore.cjs';

const ENDPOINT = '/api/spaces/coworkerinventoryassets';
const { coworkers: c, businesses: b, inventoryAssets: a, coworkerInventoryAssets: seeded } = DEMO;

let emulator: Emulator;
let store: CredentialStore;

beforeEach(async () => {
	emulator = await startEmulator({ seed: 'demo' });
	store = adminStore(emulator.url);
});
afterEach(async () => await emulator.close());

const byEmail = (value: string) => ({ __rl: true, mode: 'email', value });
const byName = (value: string) => ({ __rl: true, mode: 'name', value });

describe('By Email and By Name outside Create', () => {
	it('Update: a new coworker By Email and a new location By Name', async () => {
		const [out] = await runNexudusNode({
			parameters: {
				resource: 'coworkerInventoryAsset',
				operation: 'update',
				coworkerInventoryAsset: { __rl: true, mode: 'id', value: String(seeded.emilyDeskOpen) },
				updateFields: { coworker: byEmail('ava.thompson@example.com'), location: byName('new york - soho') },
				options: {},
			},
			store,
		});
		expect(out[0].json).toMatchObject({ Id: seeded.emilyDeskOpen, CoworkerId: c.avaThompson, BusinessId: b.newYork });
		expect(emulator.db.coworkerInventoryAsset(seeded.emilyDeskOpen)!.CoworkerId).toBe(c.avaThompson);
	});

	it('Update: an unknown email fails the item before the record is read or written', async () => {
		const [out] = await runNexudusNode({
			parameters: {
				resource: 'coworkerInventoryAsset',
				operation: 'update',
				coworkerInventoryAsset: { __rl: true, mode: 'id', value: String(seeded.emilyDeskOpen) },
				updateFields: { coworker: byEmail('ava@example.com') },
				options: {},
			},
			store,
			onError: 'continueRegularOutput',
		});
		expect(out[0].json.error).toBe('Coworker: no coworker has the email "ava@example.com"');
		expect(emulator.requests.filter((r) => r.path.startsWith(ENDPOINT))).toHaveLength(0);
	});

	it('End Assignment: all open assignments of a coworker By Email, Only at Location By Name', async () => {
		const [out] = await runNexudusNode({
			parameters: {
				resource: 'coworkerInventoryAsset',
				operation: 'endAssignment',
				scope: 'allOfCoworker',
				coworker: byEmail('Lucia.Fernandez@example.com'),
				endDate: '2026-01-31 18:00',
				options: { location: byName('Madrid - Gran Vía') },
			},
			store,
		});
		expect(out.map((item) => item.json.Id)).toEqual([seeded.luciaDeskOpen, seeded.luciaMonitorOpen]);
		const list = emulator.requests.find((r) => r.method === 'GET' && r.path === ENDPOINT)!;
		expect(list.query).toMatchObject({
			CoworkerInventoryAsset_Coworker: String(c.luciaFernandez),
			CoworkerInventoryAsset_Business: String(b.madrid),
		});
	});

	it('Get Many of assignments: Coworker By Email and Location By Name filters; a bad Id is reported before any lookup', async () => {
		const [out] = await runNexudusNode({
			parameters: {
				resource: 'coworkerInventoryAsset',
				operation: 'getAll',
				returnAll: true,
				filters: { coworkerId: byEmail('lucia.fernandez@example.com'), locationId: byName('Madrid - Gran Vía') },
				options: {},
			},
			store,
		});
		expect(out.map((item) => item.json.InventoryAssetId)).toEqual([a.madridDedicatedDesk1, a.madridMonitor1]);
		emulator.clearRequests();
		const [bad] = await runNexudusNode({
			parameters: {
				resource: 'coworkerInventoryAsset',
				operation: 'getAll',
				returnAll: true,
				filters: { coworkerId: byEmail('lucia.fernandez@example.com'), inventoryAssetId: { __rl: true, mode: 'id', value: 'x' } },
				options: {},
			},
			store,
			onError: 'continueRegularOutput',
		});
		expect(bad[0].json.error).toBe('Invalid Inventory Asset: "x"');
		expect(emulator.requests.filter((r) => r.path.startsWith('/api/spaces'))).toHaveLength(0);
	});

	it('a location name that matches two locations is an error listing both', async () => {
		emulator.db.addBusiness({ Name: 'Madrid - Gran Vía ' });
		const [out] = await runNexudusNode({
			parameters: {
				resource: 'coworker',
				operation: 'getAll',
				returnAll: true,
				filters: { location: byName('madrid - gran vía') },
				options: {},
			},
			store,
			onError: 'continueRegularOutput',
		});
		expect(out[0].json).toEqual({
			error: 'Location: 2 locations are named "madrid - gran vía": Madrid - Gran Vía (1001), Madrid - Gran Vía  (1003)',
			message: 'Nothing was sent: the node does not guess. Give Location By ID (one of these Ids), or rename one of the locations in Nexudus.',
		});
	});
});
