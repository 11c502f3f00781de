import type { Emulator } from '../../../../emulator/server.cjs';
import { DEMO, startEmulator } from '../../../../emulator/server.cjs';
import type { CredentialStore } from '../../../../support/n8nCore.cjs';
import { adminStore, runNexudusNode } from '../../../../support/n8nCore.cjs';

const ASSETS = '/api/spaces/inventoryassets';
const { businesses: b, inventoryAssets: a } = DEMO;

let emulator: Emulator;
let store: CredentialStore;

beforeEach(async () => {
	emulator = await startEmulator({ seed: 'demo' });
	store = adminStore(emulator.url);
});
afterEach(async () => await emulator.close());

const updateParameters = (updateFields: Record<string, unknown>) => ({
	resource: 'inventoryAsset',
	operation: 'update',
	inventoryAsset: { __rl: true, mode: 'id', value: String(a.madridMonitor3) },
	updateFields,
	options: {},
});

describe('Inventory Asset: Update', () => {
	it('reads the whole record, merges the change and PUTs every writable field back', async () => {
		const asset = emulator.db.inventoryAsset(a.madridMonitor3)!;
		asset.Description = 'Second floor';
		const [out] = await runNexudusNode({ parameters: updateParameters({ name: 'Monitor 03 (repaired)' }), store });
		const put = emulator.requests.find((r) => r.method === 'PUT' && r.path === ASSETS)!;
		const whole = {
			Id: a.madridMonitor3,
			BusinessId: b.madrid,
			Name: 'Monitor 03 (repaired)',
			Sku: 'MAD-MON-03',
			Description: 'Second floor',
			Value: 560,
			AssignToType: 1,
			ResourceId: null,
			FloorPlanDeskId: null,
		};
		expect(put.body).toEqual(whole);
		expect(out[0].json).toEqual(whole);
		// Nothing the PUT left out was cleared.
		expect(emulator.db.inventoryAsset(a.madridMonitor3)).toMatchObject({ Name: 'Monitor 03 (repaired)', Sku: 'MAD-MON-03', Description: 'Second floor', Value: 560, AssignToType: 1 });
	});

	it('moves the asset to a location By Name; an empty SKU clears it', async () => {
		await runNexudusNode({
			parameters: updateParameters({ location: { __rl: true, mode: 'name', value: 'New York - SoHo' }, sku: '' }),
			store,
		});
		expect(emulator.db.inventoryAsset(a.madridMonitor3)).toMatchObject({ BusinessId: b.newYork, Sku: null, Name: 'Monitor Dell U2723QE 27" 03' });
	});

	it('no field, or an empty name, fails the item before the record is read', async () => {
		const [out] = await runNexudusNode({
			parameters: updateParameters({ name: '={{ $json.name }}' }),
			items: [{ name: '' }],
			store,
			onError: 'continueRegularOutput',
		});
		expect(out[0].json.error).toBe('Invalid Name: ""');
		const [none] = await runNexudusNode({ parameters: updateParameters({}), store, onError: 'continueRegularOutput' });
		expect(none[0].json.message).toMatch(/^Nothing to update/);
		expect(emulator.requests.filter((r) => r.path.startsWith(ASSETS))).toHaveLength(0);
	});
});
