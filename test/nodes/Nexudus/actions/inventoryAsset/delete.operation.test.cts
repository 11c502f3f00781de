import type { Emulator } from '../../../../emulator/server.cjs';
import { DEMO, startEmulator } from '../../../../emulator/server.cjs';
import type { CredentialStore } from '../../../../support/n8nCore.cjs';
import { adminStore, runNexudusNode } from '../../../../support/n8nCore.cjs';

const { inventoryAssets: a } = DEMO;

let emulator: Emulator;
let store: CredentialStore;

beforeEach(async () => {
	emulator = await startEmulator({ seed: 'demo' });
	store = adminStore(emulator.url);
});
afterEach(async () => await emulator.close());

const deleteParameters = (id: unknown) => ({
	resource: 'inventoryAsset',
	operation: 'delete',
	inventoryAsset: { __rl: true, mode: 'id', value: id },
	options: {},
});

describe('Inventory Asset: Delete', () => {
	it('deletes the asset and outputs {deleted: true, Id}; an unknown one is a 404 item error', async () => {
		const [out] = await runNexudusNode({ parameters: deleteParameters(String(a.newYorkMonitor3)), store });
		expect(out[0].json).toEqual({ deleted: true, Id: a.newYorkMonitor3 });
		expect(emulator.db.inventoryAsset(a.newYorkMonitor3)).toBeUndefined();
		const [again] = await runNexudusNode({
			parameters: deleteParameters(String(a.newYorkMonitor3)),
			store,
			onError: 'continueRegularOutput',
		});
		expect(again[0].json.error).toMatch(/inventory asset 3035/i);
	});
});
