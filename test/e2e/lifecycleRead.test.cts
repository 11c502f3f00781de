// Get, Get Many and Delete in real n8n (the built package from its npm tarball), against the
// emulator, plus the examples/report-open-assignments.json workflow as shipped.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import type { Emulator } from '../emulator/server.cjs';
import { DEMO, startEmulator } from '../emulator/server.cjs';
import { nexudusHome, workflowOf } from './fixtures/nexudus.cjs';
import type { ExecutionResult, N8nHome, N8nMajor } from './n8n.cjs';
import {
	executeWorkflows,
	importWorkflows,
	outputItems,
	removeTempDirs,
} from './n8n.cjs';

const REPO = path.resolve(__dirname, '..', '..');
const ENDPOINT = '/api/spaces/coworkerinventoryassets';
// The example's own credential reference, so the example runs exactly as shipped.
const CREDENTIAL = { id: 'nexudusEmulator01', name: 'Nexudus (local emulator)' };
const SLOW = 300_000;
const { businesses, coworkers, inventoryAssets: assets, coworkerInventoryAssets: seeded } = DEMO;

afterAll(() => removeTempDirs());

function nexudusWorkflow(
	id: string,
	items: object[],
	parameters: Record<string, unknown>,
	onError?: string,
) {
	return workflowOf(id, items, parameters, { onError, credential: CREDENTIAL });
}

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

// Never skipped: without the pinned n8n every test fails with the command that installs it.
const majors: N8nMajor[] = [2, 1];

describe.each(majors)('Get, Get Many and Delete in real n8n %d.x', (major) => {
	let emulator: Emulator;
	let home: N8nHome;
	let results: Record<string, ExecutionResult>;
	let toDelete: number;
	const ids = {
		get: `lifeGet${major}0000001`,
		getAll: `lifeGetAll${major}00001`,
		delete: `lifeDelete${major}00001`,
		report: 'nexudusOpenReport01',
	};

	beforeAll(async () => {
		emulator = await startEmulator({ seed: 'demo' });
		// An ended assignment at Madrid: deleting it leaves the open-assignments report unchanged.
		toDelete = emulator.db.addCoworkerInventoryAsset({
			CoworkerId: coworkers.carmenRuiz,
			BusinessId: businesses.madrid,
			InventoryAssetId: assets.madridHotDesk1,
			AssignedFrom: '2024-05-01T09:00:00Z',
			AssignedTo: '2024-06-30T18:00:00Z',
			Notes: 'e2e delete',
		}).Id;
		home = await nexudusHome(major, emulator.url, CREDENTIAL);
		const report = JSON.parse(
			readFileSync(path.join(REPO, 'examples', 'report-open-assignments.json'), 'utf8'),
		);
		await importWorkflows(home, [
			nexudusWorkflow(
				ids.get,
				[{ id: seeded.luciaDeskOpen }, { id: 99999 }, { id: seeded.michaelChairEnded }],
				{ operation: 'get', coworkerInventoryAsset: byId('={{ $json.id }}') },
				'continueErrorOutput',
			),
			// In the workflow time zone: 2025-01-01 00:00 in Madrid is 2024-12-31 23:00 UTC.
			{
				...nexudusWorkflow(ids.getAll, [{ location: businesses.newYork }], {
					operation: 'getAll',
					returnAll: false,
					limit: 50,
					filters: { locationId: '={{ $json.location }}', assignedFromAfter: '2025-01-01' },
				}),
				settings: { executionOrder: 'v1', timezone: 'Europe/Madrid' },
			},
			nexudusWorkflow(ids.delete, [{ id: toDelete }], {
				operation: 'delete',
				coworkerInventoryAsset: byId('={{ $json.id }}'),
			}),
			report,
		]);
		const start = Date.now();
		results = await executeWorkflows(home, [ids.get, ids.getAll, ids.delete, ids.report], {
			detailFailures: true,
		});
		process.stdout.write(
			`n8n ${major}.x: read/delete e2e workflows ran in ${Math.round((Date.now() - start) / 1000)} s\n`,
		);
	}, SLOW * 2);

	afterAll(async () => await emulator?.close());

	it('Get: the simplified record with IsOpen, and a missing Id on the error output', () => {
		const result = results[ids.get];
		expect(result.error).toBeUndefined();
		expect(result.ok).toBe(true);
		const ok = outputItems(result, 'Nexudus', 0);
		expect(ok.map((i) => i.json)).toEqual([
			{
				Id: seeded.luciaDeskOpen,
				CoworkerId: coworkers.luciaFernandez,
				CoworkerFullName: 'Lucía Fernández',
				BusinessId: businesses.madrid,
				InventoryAssetId: assets.madridDedicatedDesk1,
				InventoryAssetName: 'Dedicated desk 01',
				InventoryAssetSku: 'MAD-DDK-01',
				AssignedFrom: '2025-01-07T09:00:00Z',
				AssignedTo: null,
				Notes: 'Window side',
				IsOpen: true,
			},
			expect.objectContaining({ Id: seeded.michaelChairEnded, Notes: 'Returned', IsOpen: false }),
		]);
		expect(ok.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		const failed = outputItems(result, 'Nexudus', 1);
		expect(failed).toHaveLength(1);
		expect(failed[0].json.error).toBe('Nexudus has no coworker inventory asset 99999 (404)');
		expect(failed[0].json.id).toBe(99999);
		expect(failed[0].pairedItem).toEqual({ item: 1 });
	});

	it('Get Many: location and date filters are sent to Nexudus, records come by Id', () => {
		const result = results[ids.getAll];
		expect(result.error).toBeUndefined();
		const out = outputItems(result, 'Nexudus', 0);
		expect(out.map((i) => i.json.Id)).toEqual([seeded.emilyDeskOpen, seeded.oliviaLockerOpen]);
		expect(out.every((i) => i.json.BusinessId === businesses.newYork)).toBe(true);
		expect(out[0].json).not.toHaveProperty('CoworkerBillingName');
		const list = emulator.requests.find(
			(r) => r.method === 'GET' && r.path === ENDPOINT && r.query.CoworkerInventoryAsset_Business,
		);
		expect(list?.query).toMatchObject({
			CoworkerInventoryAsset_Business: String(businesses.newYork),
			from_CoworkerInventoryAsset_AssignedFrom: '2024-12-31T23:00',
			orderBy: 'Id',
			dir: 'Ascending',
			size: '50',
		});
	});

	it('Delete: outputs {deleted: true, Id} and the record is gone', () => {
		const result = results[ids.delete];
		expect(result.error).toBeUndefined();
		expect(outputItems(result, 'Nexudus', 0).map((i) => i.json)).toEqual([
			{ deleted: true, Id: toDelete },
		]);
		expect(emulator.db.coworkerInventoryAsset(toDelete)).toBeUndefined();
		expect(
			emulator.requests.filter((r) => r.method === 'DELETE').map((r) => `${r.path} ${r.status}`),
		).toEqual([`${ENDPOINT}/${toDelete} 200`]);
	});

	it('report-open-assignments example: one summary per coworker with open assets at Madrid', () => {
		const result = results[ids.report];
		expect(result.error).toBeUndefined();
		const open = outputItems(result, 'Open assignments', 0);
		expect(open.map((i) => i.json.Id)).toEqual([seeded.luciaDeskOpen, seeded.luciaMonitorOpen]);
		const summary = outputItems(result, 'Summarise per coworker', 0).map((i) => i.json);
		expect(summary).toEqual([
			{
				CoworkerId: coworkers.luciaFernandez,
				CoworkerFullName: 'Lucía Fernández',
				openAssignments: 2,
				assets: [
					expect.objectContaining({
						assignmentId: seeded.luciaDeskOpen,
						name: 'Dedicated desk 01',
					}),
					expect.objectContaining({ assignmentId: seeded.luciaMonitorOpen, sku: 'MAD-MON-01' }),
				],
			},
		]);
	});
});
