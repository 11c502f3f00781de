// Update, End Assignment and the create guard in real n8n, from the built package, against the emulator.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import type { Emulator } from '../emulator/server.cjs';
import { DEMO, startEmulator } from '../emulator/server.cjs';
import { nexudusHome, workflowOf } from './fixtures/nexudus.cjs';
import { chainWorkflow } from './fixtures/workflows.cjs';
import type { ExecutionResult, N8nHome, N8nMajor } from './n8n.cjs';
import { executeWorkflows, importWorkflows, outputItems, removeTempDirs } from './n8n.cjs';

const REPO = path.resolve(__dirname, '..', '..');
const ENDPOINT = '/api/spaces/coworkerinventoryassets';
const CREDENTIAL = { id: 'nexudusE2e00002', name: 'Nexudus (e2e emulator, writes)' };
const SLOW = 300_000;
const { businesses, coworkers, inventoryAssets: assets, coworkerInventoryAssets: seeded } = DEMO;

afterAll(() => removeTempDirs());

function nexudusWorkflow(
	id: string,
	items: object[],
	parameters: Record<string, unknown>,
	extra: { onError?: string; timezone?: string } = {},
) {
	return workflowOf(id, items, parameters, { ...extra, credential: CREDENTIAL });
}

const byIdExpression = (field: string) => ({
	__rl: true,
	mode: 'id',
	value: `={{ $json.${field} }}`,
});

/** Get one assignment, then Update it with the dates Get output, in the workflow's time zone. */
function roundTripWorkflow(id: string, assignmentId: number, timezone: string) {
	const nexudus = (name: string, parameters: Record<string, unknown>) => ({
		name,
		type: 'n8n-nodes-nexudus.nexudus',
		typeVersion: 1,
		credentials: { nexudusOAuth2Api: CREDENTIAL },
		parameters: { resource: 'coworkerInventoryAsset', options: {}, ...parameters },
	});
	const workflow = chainWorkflow(id, `E2E ${id}`, [
		{
			name: 'Items',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			parameters: { jsCode: `return [{ json: { id: ${assignmentId} } }];` },
		},
		nexudus('Get', { operation: 'get', coworkerInventoryAsset: byIdExpression('id') }),
		nexudus('Update', {
			operation: 'update',
			coworkerInventoryAsset: byIdExpression('Id'),
			updateFields: {
				assignedFrom: '={{ $json.AssignedFrom }}',
				assignedTo: '={{ $json.AssignedTo }}',
			},
		}),
	]) as { settings: Record<string, unknown> };
	workflow.settings.timezone = timezone;
	return workflow;
}

// Never skipped: without the pinned n8n every test fails with the command that installs it.
const majors: N8nMajor[] = [2, 1];

describe.each(majors)('Update, End Assignment and the create guard in real n8n %d.x', (major) => {
	let emulator: Emulator;
	let home: N8nHome;
	let results: Record<string, ExecutionResult>;
	const ids = {
		offboarding: 'nexudusOffboarding01',
		update: `e2eUpdate${major}00001`,
		endOne: `e2eEndOne${major}0001`,
		endAll: `e2eEndAll${major}0001`,
		guard: `e2eGuard${major}00001`,
	};
	const roundTripId = `e2eRoundTrip${major}001`;
	let roundTrip: ExecutionResult;
	let toRoundTrip: number;
	// Assignments made for these tests (the demo seed's are used as they are).
	let toUpdate: number;
	let toReopen: number;
	let pabloOpen: number;
	let pabloEnded: number;

	beforeAll(async () => {
		emulator = await startEmulator({ seed: 'demo' });
		const add = (overrides: Record<string, unknown>) =>
			emulator.db.addCoworkerInventoryAsset({
				CoworkerId: coworkers.carmenRuiz,
				BusinessId: businesses.madrid,
				InventoryAssetId: assets.madridChair1,
				AssignedFrom: '2025-01-10T09:00:00Z',
				AssignedTo: '2025-06-30T18:00:00Z',
				Notes: 'Keep me',
				...overrides,
			}).Id;
		toUpdate = add({});
		toReopen = add({ InventoryAssetId: assets.madridLocker1, Notes: 'Locker key #14' });
		pabloOpen = add({ CoworkerId: coworkers.pabloNavarro, AssignedTo: null, Notes: null });
		pabloEnded = add({
			CoworkerId: coworkers.pabloNavarro,
			InventoryAssetId: assets.madridHotDesk1,
		});
		toRoundTrip = add({
			InventoryAssetId: assets.madridMonitor1,
			AssignedFrom: '2026-01-12T09:00:00Z',
			AssignedTo: '2026-07-12T18:30:00Z',
			Notes: 'Round trip',
		});

		home = await nexudusHome(major, emulator.url, CREDENTIAL);
		const offboarding = JSON.parse(
			readFileSync(path.join(REPO, 'examples', 'offboarding-collect-assets.json'), 'utf8'),
		);
		offboarding.nodes.find((n: { name: string }) => n.name === 'End assignments').credentials = {
			nexudusOAuth2Api: CREDENTIAL,
		};
		await importWorkflows(home, [
			offboarding,
			nexudusWorkflow(
				ids.update,
				[
					{ id: toUpdate, to: '2025-07-31 18:00', clear: false },
					{ id: toReopen, to: '', clear: true },
					{ id: toUpdate, to: '2024-12-31', clear: false },
				],
				{
					operation: 'update',
					coworkerInventoryAsset: byIdExpression('id'),
					updateFields: {
						assignedTo: '={{ $json.to }}',
						clearAssignedTo: '={{ $json.clear }}',
					},
				},
				{ onError: 'continueErrorOutput', timezone: 'Europe/Madrid' },
			),
			nexudusWorkflow(
				ids.endOne,
				[{ id: seeded.oliviaLockerOpen, end: '2025-12-31 18:00' }],
				{
					operation: 'endAssignment',
					scope: 'one',
					coworkerInventoryAsset: byIdExpression('id'),
					endDate: '={{ $json.end }}',
				},
				{ timezone: 'America/New_York' },
			),
			nexudusWorkflow(
				ids.endAll,
				[{ coworker: coworkers.pabloNavarro }, { coworker: coworkers.andresRomero }],
				{
					operation: 'endAssignment',
					scope: 'allOfCoworker',
					coworker: byIdExpression('coworker'),
					endDate: '',
					options: { location: { __rl: true, mode: 'id', value: String(businesses.madrid) } },
				},
				{ onError: 'continueErrorOutput' },
			),
			nexudusWorkflow(
				ids.guard,
				[
					// Emily's New York desk is still assigned to her (seed 5004): skipped.
					{
						coworker: coworkers.jamesWhitaker,
						asset: assets.newYorkDedicatedDesk1,
						note: 'guard-taken',
					},
					// Michael gave this chair back on 2025-01-31 (seed 5005): created.
					{ coworker: coworkers.jamesWhitaker, asset: assets.newYorkChair1, note: 'guard-free' },
				],
				{
					operation: 'create',
					coworker: byIdExpression('coworker'),
					location: { __rl: true, mode: 'id', value: String(businesses.newYork) },
					inventoryAsset: byIdExpression('asset'),
					assignedFrom: '2025-06-02 09:00',
					additionalFields: { notes: '={{ $json.note }}' },
					options: { ifAssigned: 'skip' },
				},
			),
			roundTripWorkflow(roundTripId, toRoundTrip, 'Europe/Berlin'),
		]);
		const start = Date.now();
		results = await executeWorkflows(home, Object.values(ids));
		// Nexudus writing its dates as .NET does: 7 fractional digits, no offset (UTC).
		emulator.setSwitches({ datesSevenDigits: true });
		try {
			roundTrip = (await executeWorkflows(home, [roundTripId]))[roundTripId];
		} finally {
			emulator.setSwitches({ datesSevenDigits: false });
		}
		process.stdout.write(
			`n8n ${major}.x: write workflows ran in ${Math.round((Date.now() - start) / 1000)} s\n`,
		);
	}, SLOW * 2);

	afterAll(async () => await emulator?.close());

	const puts = () => emulator.requests.filter((r) => r.method === 'PUT' && r.path === ENDPOINT);

	it('Update: merges the change into the whole record, reopens with Clear Assigned To, refuses an end before the start', () => {
		const result = results[ids.update];
		expect(result.ok).toBe(true);
		const ok = outputItems(result, 'Nexudus', 0);
		const failed = outputItems(result, 'Nexudus', 1);
		expect(ok.map((i) => [i.json.Id, i.json.AssignedTo, i.json.Notes])).toEqual([
			[toUpdate, '2025-07-31T16:00:00Z', 'Keep me'],
			[toReopen, null, 'Locker key #14'],
		]);
		expect(failed.map((i) => i.pairedItem)).toEqual([{ item: 2 }]);
		expect(failed[0].json.error).toBe('Invalid Assigned To: "2024-12-30T23:00:00Z"');
		expect(failed[0].json.message).toContain('would be before Assigned From');
		expect(emulator.db.coworkerInventoryAsset(toUpdate)).toMatchObject({
			AssignedFrom: '2025-01-10T09:00:00Z',
			AssignedTo: '2025-07-31T16:00:00Z',
			Notes: 'Keep me',
		});
		expect(emulator.db.coworkerInventoryAsset(toReopen)).toMatchObject({
			AssignedTo: null,
			Notes: 'Locker key #14',
		});
		// Every PUT carries the whole writable record.
		for (const put of puts()) {
			expect(Object.keys(put.body as object).sort()).toEqual(
				[
					'AssignedFrom',
					'AssignedTo',
					'BusinessId',
					'CoworkerId',
					'Id',
					'InventoryAssetId',
					'Notes',
				].sort(),
			);
		}
	});

	it('Get -> Update in Europe/Berlin, Nexudus writing 2026-01-12T09:00:00.0000000: Get outputs UTC with Z, the round trip changes nothing', () => {
		expect(roundTrip.ok).toBe(true);
		// What Nexudus answered really had 7 digits and no offset.
		const read = emulator.requests.find(
			(r) => r.method === 'GET' && r.path === `${ENDPOINT}/${toRoundTrip}`,
		);
		expect(read?.status).toBe(200);
		expect(emulator.db.coworkerInventoryAsset(toRoundTrip)).toMatchObject({
			AssignedFrom: '2026-01-12T09:00:00Z',
			AssignedTo: '2026-07-12T18:30:00Z',
			Notes: 'Round trip',
		});
		const dates = (node: string) =>
			outputItems(roundTrip, node, 0).map((i) => [i.json.AssignedFrom, i.json.AssignedTo]);
		expect(dates('Get')).toEqual([['2026-01-12T09:00:00Z', '2026-07-12T18:30:00Z']]);
		expect(dates('Update')).toEqual([['2026-01-12T09:00:00Z', '2026-07-12T18:30:00Z']]);
		const put = puts().filter((r) => (r.body as { Id?: number }).Id === toRoundTrip);
		expect(
			put.map((r) => [
				(r.body as Record<string, unknown>).AssignedFrom,
				(r.body as Record<string, unknown>).AssignedTo,
			]),
		).toEqual([['2026-01-12T09:00:00Z', '2026-07-12T18:30:00Z']]);
	});

	it('End Assignment, one: sets Assigned To in the workflow time zone', () => {
		const result = results[ids.endOne];
		expect(result.ok).toBe(true);
		const out = outputItems(result, 'Nexudus', 0);
		expect(out).toHaveLength(1);
		expect(out[0].json).toMatchObject({
			Id: seeded.oliviaLockerOpen,
			AssignedTo: '2025-12-31T23:00:00Z',
			Notes: 'Key #29',
			InventoryAssetSku: 'NYC-LCK-01',
		});
		expect(emulator.db.coworkerInventoryAsset(seeded.oliviaLockerOpen)!.AssignedTo).toBe(
			'2025-12-31T23:00:00Z',
		);
	});

	it("End Assignment, all open of a coworker (offboarding example): ends both of Lucía's assets and lists them", () => {
		const result = results[ids.offboarding];
		expect(result.ok).toBe(true);
		const ended = outputItems(result, 'End assignments', 0);
		expect(ended.map((i) => i.json.Id)).toEqual([seeded.luciaDeskOpen, seeded.luciaMonitorOpen]);
		// 18:00 in Madrid in winter is 17:00 UTC.
		expect(ended.every((i) => i.json.AssignedTo === '2026-01-30T17:00:00Z')).toBe(true);
		const [summary] = outputItems(result, 'Assets to collect', 0);
		expect(summary.json).toMatchObject({
			coworker: 'Lucía Fernández',
			toCollect: 2,
			collect: [
				{
					assignmentId: seeded.luciaDeskOpen,
					asset: 'Dedicated desk 01',
					sku: 'MAD-DDK-01',
					notes: 'Window side',
				},
				{
					assignmentId: seeded.luciaMonitorOpen,
					asset: 'Monitor Dell U2723QE 27" 01',
					sku: 'MAD-MON-01',
				},
			],
			notEnded: [],
		});
		expect(result.runData['Collect failures']).toBeUndefined();
		expect(emulator.db.coworkerInventoryAsset(seeded.luciaDeskOpen)!.Notes).toBe('Window side');
	});

	it('End Assignment, all open of a coworker with a location, ending now; nothing for a coworker with none open', () => {
		const result = results[ids.endAll];
		expect(result.ok).toBe(true);
		const out = outputItems(result, 'Nexudus', 0);
		expect(out.map((i) => [i.json.Id, i.pairedItem])).toEqual([[pabloOpen, { item: 0 }]]);
		expect(Math.abs(Date.parse(out[0].json.AssignedTo) - Date.now())).toBeLessThan(120_000);
		expect(outputItems(result, 'Nexudus', 1)).toEqual([]);
		expect(emulator.db.coworkerInventoryAsset(pabloEnded)!.AssignedTo).toBe('2025-06-30T18:00:00Z');
	});

	it('Create with "If the Asset Is Already Assigned: Skip": outputs the open assignment instead of a duplicate', () => {
		const result = results[ids.guard];
		expect(result.ok).toBe(true);
		const out = outputItems(result, 'Nexudus', 0);
		expect(out).toHaveLength(2);
		expect(out[0].json).toMatchObject({
			Id: seeded.emilyDeskOpen,
			CoworkerId: coworkers.emilyCarter,
			skipped: true,
			reason: expect.stringContaining(`by assignment ${seeded.emilyDeskOpen}`),
		});
		expect(out[1].json).toMatchObject({
			Id: expect.any(Number),
			Notes: 'guard-free',
			CoworkerId: coworkers.jamesWhitaker,
		});
		const created = emulator.db.coworkerInventoryAssets.filter((r) =>
			String(r.Notes ?? '').startsWith('guard-'),
		);
		expect(created.map((r) => r.Notes)).toEqual(['guard-free']);
	});
});
