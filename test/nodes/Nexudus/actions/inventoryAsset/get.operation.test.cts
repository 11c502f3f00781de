import type { Emulator } from '../../../../emulator/server.cjs';
import { DEMO, startEmulator } from '../../../../emulator/server.cjs';
import type { CredentialStore } from '../../../../support/n8nCore.cjs';
import { adminStore, runNexudusNode } from '../../../../support/n8nCore.cjs';

const { inventoryAssets: a, businesses: b } = DEMO;

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

const getParameters = (id: unknown, overrides: Record<string, unknown> = {}) => ({
	resource: 'inventoryAsset',
	operation: 'get',
	inventoryAsset: { __rl: true, mode: 'id', value: id },
	options: {},
	...overrides,
});

describe('Inventory Asset: Get', () => {
	it('outputs the simplified asset, or the whole record with Simplify off', async () => {
		const [out] = await runNexudusNode({ parameters: getParameters(String(a.madridMonitor3)), store });
		expect(out).toEqual([
			{
				json: {
					Id: 3031,
					Name: 'Monitor Dell U2723QE 27" 03',
					Sku: 'MAD-MON-03',
					BusinessId: b.madrid,
					Value: 560,
					Description: null,
				},
				pairedItem: { item: 0 },
			},
		]);
		const [whole] = await runNexudusNode({ parameters: getParameters(a.madridMonitor3, { simplify: false }), store });
		expect(whole[0].json).toEqual(emulator.db.inventoryAsset(a.madridMonitor3));
		expect(emulator.requests.filter((r) => r.path.startsWith('/api/spaces')).map((r) => r.path)).toEqual([
			'/api/spaces/inventoryassets/3031',
			'/api/spaces/inventoryassets/3031',
		]);
	});

	it('a bad Id fails the item before sending; an unknown one is a 404 item error', async () => {
		const [out] = await runNexudusNode({
			parameters: getParameters('={{ $json.id }}'),
			items: [{ id: 'monitor' }, { id: 99999 }],
			store,
			onError: 'continueRegularOutput',
		});
		expect(out[0].json.error).toBe('Invalid Inventory Asset: "monitor"');
		expect(out[1].json.error).toMatch(/inventory asset 99999/i);
		expect(emulator.requests.filter((r) => r.path.startsWith('/api/spaces')).map((r) => r.path)).toEqual([
			'/api/spaces/inventoryassets/99999',
		]);
	});
});
