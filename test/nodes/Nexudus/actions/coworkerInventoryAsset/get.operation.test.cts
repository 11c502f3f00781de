import type { Emulator } from '../../../../emulator/server.cjs';
import { DEMO, startEmulator } from '../../../../emulator/server.cjs';
import type { CredentialStore } from '../../../../support/n8nCore.cjs';
import { adminStore, credentialStore, runNexudusNode } from '../../../../support/n8nCore.cjs';

const ENDPOINT = '/api/spaces/coworkerinventoryassets';
const { coworkerInventoryAssets: seeded } = DEMO;

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

function getParameters(id: unknown, overrides: Record<string, unknown> = {}) {
	return {
		resource: 'coworkerInventoryAsset',
		operation: 'get',
		coworkerInventoryAsset: { __rl: true, mode: 'id', value: id },
		options: {},
		...overrides,
	};
}

const reads = () =>
	emulator.requests.filter((r) => r.method === 'GET' && r.path.startsWith(ENDPOINT));

describe('Get Coworker Inventory Asset through n8n-core', () => {
	it('outputs the simplified record by default, with IsOpen', async () => {
		const [out] = await runNexudusNode({ parameters: getParameters(seeded.luciaDeskOpen), store });
		expect(out).toEqual([
			{
				json: {
					Id: 5001,
					CoworkerId: DEMO.coworkers.luciaFernandez,
					CoworkerFullName: 'Lucía Fernández',
					BusinessId: DEMO.businesses.madrid,
					InventoryAssetId: DEMO.inventoryAssets.madridDedicatedDesk1,
					InventoryAssetName: 'Dedicated desk 01',
					InventoryAssetSku: 'MAD-DDK-01',
					AssignedFrom: '2025-01-07T09:00:00Z',
					AssignedTo: null,
					Notes: 'Window side',
					IsOpen: true,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(reads().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			`GET ${ENDPOINT}/5001 200`,
		]);
	});

	it('outputs the whole record with Simplify off', async () => {
		const [out] = await runNexudusNode({
			parameters: getParameters(String(seeded.michaelChairEnded), { simplify: false }),
			store,
		});
		const stored = emulator.db.coworkerInventoryAsset(seeded.michaelChairEnded)!;
		expect(out[0].json).toEqual(emulator.db.viewCoworkerInventoryAsset(stored));
		expect(out[0].json).toHaveProperty('UniqueId');
		expect(out[0].json).toHaveProperty('CoworkerBillingName');
		expect(out[0].json).not.toHaveProperty('IsOpen');
	});

	it('IsOpen is false once AssignedTo has passed, true while it is in the future', async () => {
		const future = emulator.db.addCoworkerInventoryAsset({
			CoworkerId: DEMO.coworkers.martaGil,
			BusinessId: DEMO.businesses.madrid,
			InventoryAssetId: DEMO.inventoryAssets.madridLocker1,
			AssignedFrom: '2025-01-01T09:00:00Z',
			AssignedTo: '2099-12-31T18:00:00Z',
		});
		const [out] = await runNexudusNode({
			parameters: getParameters('={{ $json.id }}'),
			items: [{ id: seeded.javierLockerEnded }, { id: future.Id }],
			store,
		});
		expect(out.map((i) => [i.json.Id, i.json.AssignedTo, i.json.IsOpen, i.pairedItem])).toEqual([
			[5003, '2025-03-31T18:00:00Z', false, { item: 0 }],
			[future.Id, '2099-12-31T18:00:00Z', true, { item: 1 }],
		]);
	});

	it('takes the Id from the list mode of the locator', async () => {
		const [out] = await runNexudusNode({
			parameters: getParameters(undefined, {
				coworkerInventoryAsset: {
					__rl: true,
					mode: 'list',
					value: String(seeded.oliviaLockerOpen),
				},
			}),
			store,
		});
		expect(out[0].json).toMatchObject({ Id: 5006, Notes: 'Key #29', IsOpen: true });
	});

	it('names the missing record on a 404', async () => {
		await expect(runNexudusNode({ parameters: getParameters(99999), store })).rejects.toMatchObject(
			{
				message: 'Nexudus has no coworker inventory asset 99999 (404)',
				context: { itemIndex: 0 },
			},
		);
	});

	it('turns bad Ids and 404s into error items in continue mode, sending nothing for bad Ids', async () => {
		const [out] = await runNexudusNode({
			parameters: getParameters('={{ $json.id }}'),
			items: [{ id: 'abc' }, { id: seeded.luciaMonitorOpen }, { id: 0 }, { id: 99999 }, { id: -3 }],
			onError: 'continueRegularOutput',
			store,
		});
		expect(out.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(out[0].json).toEqual({
			error: 'Invalid Coworker Inventory Asset: "abc"',
			message: expect.stringContaining('positive whole number'),
		});
		expect(out[1].json).toMatchObject({ Id: 5002, IsOpen: true });
		expect(out[2].json.error).toBe('Invalid Coworker Inventory Asset: 0');
		expect(out[3].json.error).toBe('Nexudus has no coworker inventory asset 99999 (404)');
		expect(out[3].json.message).toContain('Check the Id');
		expect(out[4].json.error).toBe('Invalid Coworker Inventory Asset: -3');
		expect(reads().map((r) => r.path)).toEqual([`${ENDPOINT}/5002`, `${ENDPOINT}/99999`]);
	});

	it('names the Read role on a 403', async () => {
		store = credentialStore({
			email: 'limited@example.com',
			password: 'demo-password',
			baseUrl: emulator.url,
		});
		await expect(
			runNexudusNode({ parameters: getParameters(seeded.luciaDeskOpen), store }),
		).rejects.toMatchObject({
			message: 'The Nexudus user lacks the CoworkerInventoryAsset-Read role (403)',
		});
	});

	it('retries a read after a 500 (a read is safe to send again)', async () => {
		emulator.faults.add({ method: 'GET', path: `${ENDPOINT}/5001`, kind: '500', times: 1 });
		const [out] = await runNexudusNode({
			parameters: getParameters(seeded.luciaDeskOpen, { options: { minIntervalMs: 0 } }),
			store,
		});
		expect(out[0].json.Id).toBe(5001);
		expect(reads().map((r) => r.status)).toEqual([500, 200]);
	});
});
