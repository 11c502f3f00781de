import type { Emulator } from '../../../../emulator/server.cjs';
import { DEMO, startEmulator } from '../../../../emulator/server.cjs';
import type { CredentialStore } from '../../../../support/n8nCore.cjs';
import { adminStore, runNexudusNode } from '../../../../support/n8nCore.cjs';

const ASSETS = '/api/spaces/inventoryassets';
const { businesses: b } = DEMO;

let emulator: Emulator;
let store: CredentialStore;

beforeEach(async () => {
	emulator = await startEmulator({ seed: 'demo' });
	store = adminStore(emulator.url);
});
afterEach(async () => await emulator.close());

const createParameters = (overrides: Record<string, unknown> = {}) => ({
	resource: 'inventoryAsset',
	operation: 'create',
	location: { __rl: true, mode: 'name', value: 'Madrid - Gran Vía' },
	name: 'Monitor Dell U2723QE 27" 07',
	additionalFields: { sku: 'MAD-MON-07', value: 560, description: 'Second floor' },
	options: {},
	...overrides,
});

describe('Inventory Asset: Create', () => {
	it('adds the asset to the location (By Name), assigned to the location itself, and outputs its Id', async () => {
		const [out] = await runNexudusNode({ parameters: createParameters(), store });
		const posts = emulator.requests.filter((r) => r.method === 'POST' && r.path === ASSETS);
		expect(posts.map((r) => r.body)).toEqual([
			{ BusinessId: b.madrid, Name: 'Monitor Dell U2723QE 27" 07', AssignToType: 1, Sku: 'MAD-MON-07', Description: 'Second floor', Value: 560 },
		]);
		const id = out[0].json.Id as number;
		expect(out[0].json).toEqual({ Id: id, BusinessId: b.madrid, Name: 'Monitor Dell U2723QE 27" 07', Sku: 'MAD-MON-07', Description: 'Second floor', Value: 560 });
		expect(emulator.db.inventoryAsset(id)).toMatchObject({ BusinessId: b.madrid, Sku: 'MAD-MON-07', Value: 560 });
	});

	it('an empty name, a value that is not a number or an unknown location fail the item; nothing is sent', async () => {
		const [out] = await runNexudusNode({
			parameters: createParameters({
				name: '={{ $json.name }}',
				location: { __rl: true, mode: 'name', value: '={{ $json.location }}' },
				additionalFields: { value: '={{ $json.value }}' },
			}),
			items: [
				{ name: ' ', location: 'Madrid - Gran Vía', value: 1 },
				{ name: 'Desk', location: 'Madrid - Gran Vía', value: 'cheap' },
				{ name: 'Desk', location: 'Paris', value: 1 },
			],
			store,
			onError: 'continueRegularOutput',
		});
		expect(out.map((item) => item.json.error)).toEqual([
			'Invalid Name: " "',
			'Invalid Value: "cheap"',
			'Location: no location is named "Paris"',
		]);
		expect(emulator.requests.filter((r) => r.method === 'POST' && r.path === ASSETS)).toHaveLength(0);
	});
});
