import type { Emulator } from '../../../../emulator/server.cjs';
import { DEMO, startEmulator } from '../../../../emulator/server.cjs';
import type { CredentialStore } from '../../../../support/n8nCore.cjs';
import { adminStore, runNexudusNode } from '../../../../support/n8nCore.cjs';

const { inventoryAssets: a, businesses: b, coworkers: c } = DEMO;

let emulator: Emulator;
let store: CredentialStore;

beforeAll(async () => {
	emulator = await startEmulator({ seed: 'demo' });
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.clearRequests();
	store = adminStore(emulator.url);
});

const getAllParameters = (
	filters: Record<string, unknown>,
	overrides: Record<string, unknown> = {},
) => ({
	resource: 'inventoryAsset',
	operation: 'getAll',
	returnAll: true,
	filters,
	options: {},
	...overrides,
});

const ids = (out: Array<{ json: Record<string, unknown> }>) => out.map((item) => item.json.Id);
const madrid = { __rl: true, mode: 'name', value: 'Madrid - Gran Vía' };

describe('Inventory Asset: Get Many', () => {
	it('filters by location (By Name), name and SKU on the server', async () => {
		const [byName] = await runNexudusNode({
			parameters: getAllParameters({ location: madrid, name: 'monitor' }),
			store,
		});
		expect(ids(byName)).toEqual([3012, 3013, 3031, 3032, 3033, 3034]);
		const [bySku] = await runNexudusNode({
			parameters: getAllParameters({ sku: 'nyc-lck' }),
			store,
		});
		expect(ids(bySku)).toEqual([a.newYorkLocker1, 3030]);
		const queries = emulator.requests
			.filter((r) => r.path === '/api/spaces/inventoryassets')
			.map((r) => r.query);
		expect(queries[0]).toMatchObject({
			InventoryAsset_Business: String(b.madrid),
			InventoryAsset_Name: 'monitor',
		});
		expect(queries[1]).toMatchObject({ InventoryAsset_Sku: 'nyc-lck' });
	});

	it('keeps only matching SKUs, within the Limit, when Nexudus ignores InventoryAsset_Sku', async () => {
		emulator.setSwitches({ ignoreFilters: ['InventoryAsset_Sku'] });
		try {
			const [bySku] = await runNexudusNode({
				parameters: getAllParameters({ sku: 'NYC-LCK' }, { returnAll: false, limit: 1 }),
				store,
			});
			expect(ids(bySku)).toEqual([a.newYorkLocker1]);
			const [all] = await runNexudusNode({
				parameters: getAllParameters({ sku: 'nyc-lck' }),
				store,
			});
			expect(ids(all)).toEqual([a.newYorkLocker1, 3030]);
			// The switch is on: the server answered every asset, the node kept the two.
			expect(emulator.db.inventoryAssets.length).toBeGreaterThan(2);
		} finally {
			emulator.setSwitches({ ignoreFilters: [] });
		}
	});

	it('Only Free Assets leaves out the assets an assignment holds at Free At or later, with one list of the assignments', async () => {
		const [now] = await runNexudusNode({
			parameters: getAllParameters({ location: madrid, name: 'monitor', onlyFree: true }),
			store,
		});
		// 3012 is Lucía's (open since 2025).
		expect(ids(now)).toEqual([3013, 3031, 3032, 3033, 3034]);
		// An assignment that ended before Free At does not hold the asset; one that starts later does.
		const later = emulator.db.addCoworkerInventoryAsset({
			CoworkerId: c.janeDoe,
			BusinessId: b.madrid,
			InventoryAssetId: 3013,
			AssignedFrom: '2099-01-01T09:00:00Z',
			AssignedTo: null,
		});
		try {
			emulator.clearRequests();
			const [free] = await runNexudusNode({
				parameters: getAllParameters(
					{ location: madrid, name: 'monitor', onlyFree: true, freeAt: '2024-12-01' },
					{ returnAll: false, limit: 2 },
				),
				store,
			});
			expect(ids(free)).toEqual([3031, 3032]);
			expect(
				emulator.requests.filter((r) => r.path.startsWith('/api/')).map((r) => r.path),
			).toEqual([
				'/api/sys/businesses',
				'/api/spaces/coworkerinventoryassets',
				'/api/spaces/inventoryassets',
			]);
		} finally {
			emulator.db.coworkerInventoryAssets.splice(
				emulator.db.coworkerInventoryAssets.findIndex((r) => r.Id === later.Id),
				1,
			);
		}
		// Locker 01 of Madrid was Javier's until 2025-03-31: free after, held before.
		const [lockers] = await runNexudusNode({
			parameters: getAllParameters({
				location: madrid,
				sku: 'MAD-LCK',
				onlyFree: true,
				freeAt: '2025-03-01',
			}),
			store,
		});
		expect(ids(lockers)).toEqual([3015]);
		const [afterEnd] = await runNexudusNode({
			parameters: getAllParameters({
				location: madrid,
				sku: 'MAD-LCK',
				onlyFree: true,
				freeAt: '2025-04-01',
			}),
			store,
		});
		expect(ids(afterEnd)).toEqual([a.madridLocker1, 3015]);
	});

	it('a Free At that is not a date, or without Only Free Assets, fails the item before anything is sent', async () => {
		const [out] = await runNexudusNode({
			parameters: getAllParameters({ onlyFree: true, freeAt: 'someday' }),
			store,
			onError: 'continueRegularOutput',
		});
		expect(out[0].json.error).toBe('Invalid Free At: "someday"');
		// Free At without Only Free Assets would be ignored silently: an error says so.
		const [alone] = await runNexudusNode({
			parameters: getAllParameters({ freeAt: '2025-01-01' }),
			store,
			onError: 'continueRegularOutput',
		});
		expect(alone[0].json.message).toBe(
			'Free At only applies with Only Free Assets: add Only Free Assets (on), or remove Free At from Filters.',
		);
		expect(emulator.requests.filter((r) => r.path.startsWith('/api/spaces'))).toHaveLength(0);
	});
});
