import type { Emulator } from '../../../../emulator/server.cjs';
import { DEMO, startEmulator } from '../../../../emulator/server.cjs';
import type { CredentialStore } from '../../../../support/n8nCore.cjs';
import { adminStore, credentialStore, runNexudusNode } from '../../../../support/n8nCore.cjs';

const ENDPOINT = '/api/spaces/coworkerinventoryassets';

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

function deleteParameters(id: unknown) {
	return {
		resource: 'coworkerInventoryAsset',
		operation: 'delete',
		coworkerInventoryAsset: { __rl: true, mode: 'id', value: id },
		options: {},
	};
}

function addAssignment() {
	return emulator.db.addCoworkerInventoryAsset({
		CoworkerId: DEMO.coworkers.pabloNavarro,
		BusinessId: DEMO.businesses.madrid,
		InventoryAssetId: DEMO.inventoryAssets.madridHotDesk1,
		AssignedFrom: '2025-04-01T09:00:00Z',
		Notes: 'to delete',
	});
}

const deletes = () => emulator.requests.filter((r) => r.method === 'DELETE');

describe('Delete Coworker Inventory Asset through n8n-core', () => {
	it('deletes the record and outputs {deleted: true, Id}', async () => {
		const record = addAssignment();
		const [out] = await runNexudusNode({ parameters: deleteParameters(record.Id), store });
		expect(out).toEqual([{ json: { deleted: true, Id: record.Id }, pairedItem: { item: 0 } }]);
		expect(deletes().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			`DELETE ${ENDPOINT}/${record.Id} 200`,
		]);
		expect(emulator.db.coworkerInventoryAsset(record.Id)).toBeUndefined();

		// It is gone for Get too.
		await expect(
			runNexudusNode({
				parameters: { ...deleteParameters(record.Id), operation: 'get' },
				store,
			}),
		).rejects.toMatchObject({
			message: `Nexudus has no coworker inventory asset ${record.Id} (404)`,
		});
	});

	it('takes the Id from the list mode, as a digit string', async () => {
		const record = addAssignment();
		const [out] = await runNexudusNode({
			parameters: {
				...deleteParameters(undefined),
				coworkerInventoryAsset: { __rl: true, mode: 'list', value: String(record.Id) },
			},
			store,
		});
		expect(out[0].json).toEqual({ deleted: true, Id: record.Id });
		expect(emulator.db.coworkerInventoryAsset(record.Id)).toBeUndefined();
	});

	it('names the Id on a 404', async () => {
		await expect(
			runNexudusNode({ parameters: deleteParameters(99999), store }),
		).rejects.toMatchObject({
			message: 'Nexudus has no coworker inventory asset 99999 (404)',
			description: expect.stringContaining('Check the Id'),
		});
	});

	it('deletes each item once and turns bad Ids and 404s into error items in continue mode', async () => {
		const first = addAssignment();
		const second = addAssignment();
		const [out] = await runNexudusNode({
			parameters: deleteParameters('={{ $json.id }}'),
			items: [{ id: first.Id }, { id: 'x1' }, { id: 99999 }, { id: second.Id }, { id: first.Id }],
			onError: 'continueErrorOutput',
			store,
		});
		expect(out.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(out[0].json).toEqual({ deleted: true, Id: first.Id });
		expect(out[1].json).toEqual({
			error: 'Invalid Coworker Inventory Asset: "x1"',
			message: expect.stringContaining('positive whole number'),
		});
		expect(out[2].json.error).toBe('Nexudus has no coworker inventory asset 99999 (404)');
		expect(out[3].json).toEqual({ deleted: true, Id: second.Id });
		expect(out[4].json.error).toBe(`Nexudus has no coworker inventory asset ${first.Id} (404)`);
		expect(deletes().map((r) => r.path)).toEqual([
			`${ENDPOINT}/${first.Id}`,
			`${ENDPOINT}/99999`,
			`${ENDPOINT}/${second.Id}`,
			`${ENDPOINT}/${first.Id}`,
		]);
	});

	it('a delete whose answer was lost is not reported as a 404 when retried', async () => {
		const record = addAssignment();
		emulator.faults.add({ method: 'DELETE', path: ENDPOINT, kind: 'drop-after-write', times: 1 });
		const [out] = await runNexudusNode({ parameters: deleteParameters(record.Id), store });
		expect(out[0].json).toEqual({ deleted: true, Id: record.Id });
		expect(emulator.db.coworkerInventoryAsset(record.Id)).toBeUndefined();
	});

	it('names the Delete role on a 403 and leaves the record', async () => {
		store = credentialStore({
			email: 'limited@example.com',
			password: 'demo-password',
			baseUrl: emulator.url,
		});
		await expect(
			runNexudusNode({
				parameters: deleteParameters(DEMO.coworkerInventoryAssets.luciaDeskOpen),
				store,
			}),
		).rejects.toMatchObject({
			message: 'The Nexudus user lacks the CoworkerInventoryAsset-Delete role (403)',
		});
		expect(
			emulator.db.coworkerInventoryAsset(DEMO.coworkerInventoryAssets.luciaDeskOpen),
		).toBeDefined();
	});
});
