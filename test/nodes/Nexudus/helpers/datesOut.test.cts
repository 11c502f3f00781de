import { forgetDeliveries } from '../../../../nodes/Nexudus/trigger/deliveries';
import type { DateSwitches } from '../../../emulator/switches.cjs';
import { styleDates } from '../../../emulator/switches.cjs';
import { DEMO, startEmulator, type Emulator } from '../../../emulator/server.cjs';
import { adminStore, runNexudusNode, type CredentialStore } from '../../../support/n8nCore.cjs';
import { TriggerHarness } from '../../../support/triggerCore.cjs';

/**
 * Dates out, through n8n-core's real contexts against the emulator: whatever form Nexudus writes
 * its UTC dates in (Z, no offset with 7 digits, +00:00), every output shows the same UTC instant
 * with Z, and a Get -> Update round trip in a workflow time zone that is not UTC changes nothing.
 */

const { businesses, coworkers, inventoryAssets, coworkerInventoryAssets: seeded } = DEMO;
const BERLIN = 'Europe/Berlin';

const STYLES: Array<[string, DateSwitches]> = [
	['7 digits, no offset', { datesSevenDigits: true }],
	['+00:00', { datesPlusZero: true }],
	['7 digits and +00:00', { datesSevenDigits: true, datesPlusZero: true }],
	['no offset', { datesWithoutZ: true }],
];
const OFF: DateSwitches = { datesWithoutZ: false, datesSevenDigits: false, datesPlusZero: false };

let emulator: Emulator;
let store: CredentialStore;

beforeAll(async () => {
	emulator = await startEmulator({ seed: 'demo' });
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.setSwitches(OFF);
	store = adminStore(emulator.url);
	forgetDeliveries();
});

const locator = (value: number) => ({ __rl: true, mode: 'id', value: String(value) });

const READS: Array<[string, Record<string, unknown>]> = [
	[
		'assignment Get',
		{
			resource: 'coworkerInventoryAsset',
			operation: 'get',
			coworkerInventoryAsset: locator(seeded.michaelChairEnded),
		},
	],
	[
		'assignment Get Many',
		{
			resource: 'coworkerInventoryAsset',
			operation: 'getAll',
			returnAll: true,
			filters: { locationId: locator(businesses.madrid) },
		},
	],
	[
		'coworker Get',
		{ resource: 'coworker', operation: 'get', coworker: locator(coworkers.luciaFernandez) },
	],
	[
		'coworker Get Many',
		{ resource: 'coworker', operation: 'getAll', returnAll: true, filters: {} },
	],
	[
		'inventory asset Get',
		{
			resource: 'inventoryAsset',
			operation: 'get',
			inventoryAsset: locator(inventoryAssets.madridChair1),
		},
	],
	[
		'inventory asset Get Many',
		{ resource: 'inventoryAsset', operation: 'getAll', returnAll: true, filters: {} },
	],
];

async function read(parameters: Record<string, unknown>, simplify: boolean) {
	const [out] = await runNexudusNode({
		parameters: { options: {}, ...parameters, simplify },
		store,
		timezone: BERLIN,
	});
	return out.map((item) => item.json);
}

describe('Get and Get Many output UTC dates with Z, whatever form Nexudus wrote them in', () => {
	describe.each(READS)('%s', (_name, parameters) => {
		it.each([true, false])('Simplify %s: the same output as for dates with Z', async (simplify) => {
			const expected = await read(parameters, simplify);
			expect(expected.length).toBeGreaterThan(0);
			// The whole records carry dates (simplified coworkers and assets have none).
			const dates = JSON.stringify(expected).match(/"\d{4}-\d{2}-\d{2}T[\d:.]+Z"/g) ?? [];
			if (!simplify) expect(dates.length).toBeGreaterThanOrEqual(2 * expected.length);
			for (const [style, switches] of STYLES) {
				emulator.setSwitches(switches);
				const out = await read(parameters, simplify);
				// What Nexudus sent really was in that form (the switch is on).
				const sent = emulator.requests.at(-1)!;
				expect([style, sent.status]).toEqual([style, 200]);
				expect([style, out]).toEqual([style, expected]);
				emulator.setSwitches(OFF);
			}
		});
	});
});

describe('Get -> Update round trip in Europe/Berlin', () => {
	function addAssignment() {
		return emulator.db.addCoworkerInventoryAsset({
			CoworkerId: coworkers.carmenRuiz,
			BusinessId: businesses.madrid,
			InventoryAssetId: inventoryAssets.madridMonitor1,
			AssignedFrom: '2026-01-12T09:00:00Z',
			AssignedTo: '2026-07-12T18:30:00Z',
			Notes: 'round trip',
		}).Id;
	}

	it.each(STYLES)(
		'Nexudus writing dates with %s: the dates a Get output, given to Update, change nothing',
		async (_style, switches) => {
			const id = addAssignment();
			emulator.setSwitches(switches);
			const [got] = await runNexudusNode({
				parameters: {
					resource: 'coworkerInventoryAsset',
					operation: 'get',
					coworkerInventoryAsset: locator(id),
					options: {},
				},
				store,
				timezone: BERLIN,
			});
			const [updated] = await runNexudusNode({
				parameters: {
					resource: 'coworkerInventoryAsset',
					operation: 'update',
					coworkerInventoryAsset: locator(id),
					updateFields: {
						assignedFrom: '={{ $json.AssignedFrom }}',
						assignedTo: '={{ $json.AssignedTo }}',
					},
					options: {},
				},
				items: [got[0].json],
				store,
				timezone: BERLIN,
			});
			expect(emulator.db.coworkerInventoryAsset(id)).toMatchObject({
				AssignedFrom: '2026-01-12T09:00:00Z',
				AssignedTo: '2026-07-12T18:30:00Z',
			});
			// Get's output carried them with Z, and Update's output (the record as saved) too.
			expect(got[0].json).toMatchObject({
				AssignedFrom: '2026-01-12T09:00:00Z',
				AssignedTo: '2026-07-12T18:30:00Z',
			});
			expect(updated[0].json).toMatchObject({
				AssignedFrom: '2026-01-12T09:00:00Z',
				AssignedTo: '2026-07-12T18:30:00Z',
			});
		},
	);

	it("Update given Nexudus's own form without an offset (copied from an HTTP Request) reads it as UTC", async () => {
		const id = addAssignment();
		await runNexudusNode({
			parameters: {
				resource: 'coworkerInventoryAsset',
				operation: 'update',
				coworkerInventoryAsset: locator(id),
				updateFields: { assignedFrom: '={{ $json.from }}', assignedTo: '={{ $json.to }}' },
				options: {},
			},
			items: [{ from: '2026-01-12T09:00:00.0000000', to: '2026-07-12T18:30:00.1234567' }],
			store,
			timezone: BERLIN,
		});
		expect(emulator.db.coworkerInventoryAsset(id)).toMatchObject({
			AssignedFrom: '2026-01-12T09:00:00Z',
			AssignedTo: '2026-07-12T18:30:00Z',
		});
	});

	it('Update of the notes only outputs the stored dates with Z, the PUT sends them back as Nexudus wrote them', async () => {
		const id = addAssignment();
		emulator.setSwitches({ datesSevenDigits: true });
		const [out] = await runNexudusNode({
			parameters: {
				resource: 'coworkerInventoryAsset',
				operation: 'update',
				coworkerInventoryAsset: locator(id),
				updateFields: { notes: 'only the notes' },
				options: {},
			},
			store,
			timezone: BERLIN,
		});
		expect(out[0].json).toMatchObject({
			AssignedFrom: '2026-01-12T09:00:00Z',
			AssignedTo: '2026-07-12T18:30:00Z',
			Notes: 'only the notes',
		});
		const put = emulator.requests.filter((r) => r.method === 'PUT').at(-1)!;
		expect(put.body).toMatchObject({ AssignedFrom: '2026-01-12T09:00:00.0000000' });
		expect(emulator.db.coworkerInventoryAsset(id)).toMatchObject({
			AssignedFrom: '2026-01-12T09:00:00Z',
		});
	});
});

describe("the trigger's records", () => {
	const member = {
		Id: 2101,
		FullName: 'Nora Vidal',
		Email: 'nora@example.com',
		CoworkerType: 'Individual',
		InvoicingBusinessId: businesses.madrid,
		Active: true,
		CreatedOn: '2026-01-12T09:00:00.123Z',
		UpdatedOn: '2026-01-12T09:30:00Z',
		RegistrationDateLocal: '2026-01-12T10:00:00',
		Notes: '2026-01-12T09:00:00',
	};

	it.each(STYLES)(
		'dates written with %s come out with Z; *Local and other fields as sent',
		async (_style, switches) => {
			for (const simplify of [true, false]) {
				const trigger = new TriggerHarness(store, {
					events: ['CoworkerCreate'],
					locations: [businesses.madrid],
					simplify,
				} as never);
				const body = JSON.stringify(styleDates([member], switches));
				const { result } = await trigger.deliver({ body, query: { event: 'CoworkerCreate' } });
				const json = result.workflowData?.[0][0].json;
				expect(json).toMatchObject({
					CreatedOn: '2026-01-12T09:00:00.123Z',
					UpdatedOn: '2026-01-12T09:30:00Z',
				});
				if (!simplify) {
					const sent = (JSON.parse(body) as Array<Record<string, unknown>>)[0];
					expect(json).toMatchObject({
						RegistrationDateLocal: sent.RegistrationDateLocal,
						Notes: sent.Notes,
					});
				}
				forgetDeliveries();
			}
		},
	);
});
