import type { Emulator } from '../../../../emulator/server.cjs';
import { DEFAULT_USERS, DEMO, DEMO_PASSWORD, startEmulator } from '../../../../emulator/server.cjs';
import type { CredentialStore } from '../../../../support/n8nCore.cjs';
import { adminStore, credentialStore, runNexudusNode } from '../../../../support/n8nCore.cjs';

const ENDPOINT = '/api/spaces/coworkerinventoryassets';
const { businesses, coworkers, inventoryAssets: assets } = DEMO;

function getAllParameters(overrides: Record<string, unknown> = {}) {
	return {
		resource: 'coworkerInventoryAsset',
		operation: 'getAll',
		returnAll: false,
		limit: 50,
		filters: {},
		options: {},
		...overrides,
	};
}

const lists = (emulator: Emulator) =>
	emulator.requests.filter((r) => r.method === 'GET' && r.path === ENDPOINT);

describe('Get Many Coworker Inventory Assets through n8n-core (demo seed)', () => {
	let emulator: Emulator;
	let store: CredentialStore;

	beforeAll(async () => {
		emulator = await startEmulator({
			seed: 'demo',
			users: [
				...DEFAULT_USERS,
				{
					email: 'readonly@example.com',
					password: DEMO_PASSWORD,
					roles: ['CoworkerInventoryAsset-Read'],
				},
			],
		});
	});
	afterAll(async () => await emulator.close());
	beforeEach(() => {
		emulator.clearRequests();
		store = adminStore(emulator.url);
	});

	const ids = (out: Array<{ json: Record<string, unknown> }>) => out.map((i) => i.json.Id);

	it('lists by Id ascending, simplified, one item each paired with the input item, in one request of size=limit', async () => {
		const [out] = await runNexudusNode({ parameters: getAllParameters(), store });
		expect(ids(out)).toEqual([5001, 5002, 5003, 5004, 5005, 5006]);
		expect(out.every((i) => JSON.stringify(i.pairedItem) === '{"item":0}')).toBe(true);
		expect(out[2].json).toEqual({
			Id: 5003,
			CoworkerId: coworkers.javierMoreno,
			CoworkerFullName: 'Javier Moreno',
			BusinessId: businesses.madrid,
			InventoryAssetId: assets.madridLocker1,
			InventoryAssetName: 'Locker 01',
			InventoryAssetSku: 'MAD-LCK-01',
			AssignedFrom: '2024-10-01T08:00:00Z',
			AssignedTo: '2025-03-31T18:00:00Z',
			IsOpen: false,
		});
		expect(lists(emulator).map((r) => r.query)).toEqual([
			{ orderBy: 'Id', dir: 'Ascending', page: '1', size: '50' },
		]);
	});

	it('outputs the whole list records with Simplify off', async () => {
		const [out] = await runNexudusNode({
			parameters: getAllParameters({ simplify: false, limit: 2 }),
			store,
		});
		expect(ids(out)).toEqual([5001, 5002]);
		expect(out[0].json).toHaveProperty('CoworkerBillingName');
		expect(out[0].json).toHaveProperty('CreatedOn');
		expect(out[0].json).not.toHaveProperty('IsOpen');
		expect(lists(emulator)[0].query.size).toBe('2');
	});

	it.each([
		['coworkerId', coworkers.luciaFernandez, 'CoworkerInventoryAsset_Coworker', [5001, 5002]],
		[
			'locationId',
			String(businesses.newYork),
			'CoworkerInventoryAsset_Business',
			[5004, 5005, 5006],
		],
		['inventoryAssetId', assets.madridLocker1, 'CoworkerInventoryAsset_InventoryAsset', [5003]],
	])('filters by %s on the server', async (field, value, param, expected) => {
		const [out] = await runNexudusNode({
			parameters: getAllParameters({ filters: { [field]: value } }),
			store,
		});
		expect(ids(out)).toEqual(expected);
		expect(lists(emulator)[0].query[param]).toBe(String(value));
	});

	it('combines filters', async () => {
		const [out] = await runNexudusNode({
			parameters: getAllParameters({
				filters: {
					locationId: businesses.newYork,
					onlyOpen: true,
					coworkerId: coworkers.emilyCarter,
				},
			}),
			store,
		});
		expect(ids(out)).toEqual([5004]);
	});

	it('Only Open Assignments keeps AssignedTo empty or in the future', async () => {
		const future = emulator.db.addCoworkerInventoryAsset({
			CoworkerId: coworkers.martaGil,
			BusinessId: businesses.madrid,
			InventoryAssetId: assets.madridHotDesk1,
			AssignedFrom: '2025-01-01T09:00:00Z',
			AssignedTo: '2099-01-01T09:00:00Z',
		});
		try {
			const [out] = await runNexudusNode({
				parameters: getAllParameters({ filters: { onlyOpen: true } }),
				store,
			});
			expect(ids(out)).toEqual([5001, 5002, 5004, 5006, future.Id]);
			expect(out.every((i) => i.json.IsOpen === true)).toBe(true);
			// A client-side filter reads full pages.
			expect(lists(emulator)[0].query.size).toBe('1000');
		} finally {
			emulator.db.removeCoworkerInventoryAsset(future.Id);
		}
	});

	it('sends Assigned From After/Before as from_/to_ in UTC minutes, read in the workflow time zone', async () => {
		const [out] = await runNexudusNode({
			parameters: getAllParameters({
				filters: {
					assignedFromAfter: '2025-01-07 10:00',
					assignedFromBefore: '2025-02-03T15:00:00',
				},
			}),
			timezone: 'Europe/Madrid',
			store,
		});
		const { query } = lists(emulator)[0];
		expect(query.from_CoworkerInventoryAsset_AssignedFrom).toBe('2025-01-07T09:00');
		expect(query.to_CoworkerInventoryAsset_AssignedFrom).toBe('2025-02-03T14:00');
		expect(ids(out)).toEqual([5001, 5002, 5004]);
	});

	it('takes one date bound alone, and a date with an offset keeps its instant', async () => {
		const [out] = await runNexudusNode({
			parameters: getAllParameters({
				filters: { assignedFromBefore: '2024-12-01T00:00:00+01:00' },
			}),
			timezone: 'America/New_York',
			store,
		});
		const { query } = lists(emulator)[0];
		expect(query.to_CoworkerInventoryAsset_AssignedFrom).toBe('2024-11-30T23:00');
		expect(query).not.toHaveProperty('from_CoworkerInventoryAsset_AssignedFrom');
		expect(ids(out)).toEqual([5003, 5005]);
	});

	it('turns bad filters into per-item errors, sending nothing for them', async () => {
		const items = [
			{ filters: { coworkerId: 'abc' } },
			{ filters: { assignedFromAfter: '2025-03-01', assignedFromBefore: '2025-02-01' } },
			{ filters: { locationId: businesses.madrid } },
			{ filters: { assignedFromAfter: 'next week' } },
			{ filters: { inventoryAssetId: 0 } },
			{ filters: { locationId: '' } },
		];
		const [out] = await runNexudusNode({
			parameters: getAllParameters({
				limit: 1,
				filters: {
					coworkerId: '={{ $json.filters.coworkerId }}',
					locationId: '={{ $json.filters.locationId }}',
					inventoryAssetId: '={{ $json.filters.inventoryAssetId }}',
					// A date filter expression that gives nothing is an error: default to wide bounds.
					assignedFromAfter: '={{ $json.filters.assignedFromAfter ?? "1990-01-01" }}',
					assignedFromBefore: '={{ $json.filters.assignedFromBefore ?? "2090-12-31" }}',
				},
			}),
			// Every Id filter is set, so each item differs from a valid query only in what it names.
			items: items.map(({ filters }) => ({
				filters: { coworkerId: 2001, locationId: 1001, inventoryAssetId: 3006, ...filters },
			})),
			onError: 'continueRegularOutput',
			store,
		});
		expect(out.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4, 5].map((item) => ({ item })));
		expect(out[0].json).toEqual({
			error: 'Invalid Coworker: "abc"',
			message: expect.stringContaining('positive whole number'),
		});
		expect(out[1].json.error).toBe('Invalid Assigned From Before: "2025-02-01"');
		expect(out[1].json.message).toContain('earlier than Assigned From After');
		expect(out[2].json).toMatchObject({ Id: 5001 });
		expect(out[3].json.error).toBe('Invalid Assigned From After: "next week"');
		expect(out[4].json.error).toBe('Invalid Inventory Asset: 0');
		// Mapped to empty: an error, not a wider list (a filter left blank is no filter).
		expect(out[5].json.error).toMatch(/^Invalid Location: the expression .* evaluated to empty/);
		expect(lists(emulator)).toHaveLength(1);
	});

	it('a date filter or Only Open expression that evaluates to empty is an error, not a wider list', async () => {
		const [out] = await runNexudusNode({
			parameters: getAllParameters({
				filters: {
					assignedFromAfter: '={{ $json.after }}',
					assignedFromBefore: '={{ $json.before }}',
					onlyOpen: '={{ $json.open }}',
				},
			}),
			items: [
				{ before: '2025-12-31', open: true },
				{ after: '2025-01-01', before: null, open: true },
				{ after: '2025-01-01', before: '2025-12-31' },
				{ after: 45672, before: '2025-12-31', open: false },
			],
			onError: 'continueRegularOutput',
			store,
		});
		expect(out.map((i) => i.json.error)).toEqual([
			'Invalid Assigned From After: the expression {{ $json.after }} evaluated to empty (undefined)',
			'Invalid Assigned From Before: the expression {{ $json.before }} evaluated to empty (null)',
			'Invalid Only Open Assignments: the expression {{ $json.open }} evaluated to empty (undefined)',
			'Invalid Assigned From After: 45672',
		]);
		expect(out[0].json.message).toBe(
			'An empty Assigned From After means no filter, which a mapping that found nothing should not decide. Fix the expression or the input data so that it gives a date, or remove Assigned From After from Filters to list without it. Nothing was sent for this item.',
		);
		expect(lists(emulator)).toHaveLength(0);
	});

	it('blank date filters (not expressions) still mean no filter', async () => {
		const [out] = await runNexudusNode({
			parameters: getAllParameters({ limit: 2, filters: { assignedFromAfter: '', assignedFromBefore: '' } }),
			store,
		});
		expect(out).toHaveLength(2);
		expect(lists(emulator)[0].query).not.toHaveProperty('from_CoworkerInventoryAsset_AssignedFrom');
	});

	it('an Id filter whose expression resolves to nothing is an error, not a wider list', async () => {
		const [out] = await runNexudusNode({
			parameters: getAllParameters({ filters: { coworkerId: '={{ $json.missing }}' } }),
			onError: 'continueRegularOutput',
			store,
		});
		expect(out).toHaveLength(1);
		expect(out[0].json.error).toMatch(/^Invalid Coworker: the expression/);
		expect(lists(emulator)).toHaveLength(0);
	});

	it('stops on a bad filter when not continuing, naming the item', async () => {
		await expect(
			runNexudusNode({
				parameters: getAllParameters({
					filters: { assignedFromAfter: '2025-03-01', assignedFromBefore: '2025-02-28T23:59:00' },
				}),
				store,
			}),
		).rejects.toMatchObject({
			message: 'Invalid Assigned From Before: "2025-02-28T23:59:00"',
			context: { itemIndex: 0 },
		});
		expect(lists(emulator)).toHaveLength(0);
	});

	it('runs once per input item, each output paired with its item', async () => {
		const [out] = await runNexudusNode({
			parameters: getAllParameters({ filters: { coworkerId: '={{ $json.coworker }}' } }),
			items: [{ coworker: coworkers.luciaFernandez }, { coworker: coworkers.oliviaBennett }],
			store,
		});
		expect(out.map((i) => [i.json.Id, i.pairedItem])).toEqual([
			[5001, { item: 0 }],
			[5002, { item: 0 }],
			[5006, { item: 1 }],
		]);
	});

	it('names the List role on a 403', async () => {
		await expect(
			runNexudusNode({
				parameters: getAllParameters(),
				store: credentialStore({
					email: 'readonly@example.com',
					password: DEMO_PASSWORD,
					baseUrl: emulator.url,
				}),
			}),
		).rejects.toMatchObject({
			message: 'The Nexudus user lacks the CoworkerInventoryAsset-List role (403)',
		});
	});
});

describe('Get Many Coworker Inventory Assets: paging over 2,345 records', () => {
	const TOTAL = 2345;
	let emulator: Emulator;
	let store: CredentialStore;
	let expectedIds: number[];
	let openIds: number[];

	beforeAll(async () => {
		emulator = await startEmulator({ seed: 'minimal' });
		for (let n = 0; n < TOTAL; n++) {
			// Every third assignment is still open.
			emulator.db.addCoworkerInventoryAsset({
				CoworkerId: 2001 + (n % 3),
				BusinessId: 1001,
				InventoryAssetId: 3001 + (n % 4),
				AssignedFrom: '2025-01-01T09:00:00Z',
				AssignedTo: n % 3 === 0 ? null : '2025-02-01T09:00:00Z',
			});
		}
		expectedIds = emulator.db.coworkerInventoryAssets.map((r) => r.Id).sort((a, b) => a - b);
		openIds = emulator.db.coworkerInventoryAssets
			.filter((r) => r.AssignedTo === null)
			.map((r) => r.Id)
			.sort((a, b) => a - b);
	});
	afterAll(async () => await emulator.close());
	beforeEach(() => {
		emulator.clearRequests();
		store = adminStore(emulator.url);
	});

	const pages = () => lists(emulator).map((r) => `${r.query.page}x${r.query.size}`);

	it('Return All costs ceil(N/1000) requests of 1000 and outputs every record once, by Id', async () => {
		const [out] = await runNexudusNode({
			parameters: getAllParameters({ returnAll: true }),
			store,
		});
		expect(out).toHaveLength(TOTAL);
		expect(out.map((i) => i.json.Id)).toEqual(expectedIds);
		expect(pages()).toEqual(['1x1000', '2x1000', '3x1000']);
		expect(
			lists(emulator).every((r) => r.query.orderBy === 'Id' && r.query.dir === 'Ascending'),
		).toBe(true);
	});

	it('a Limit below 1000 asks for exactly that many', async () => {
		const [out] = await runNexudusNode({ parameters: getAllParameters({ limit: 7 }), store });
		expect(out.map((i) => i.json.Id)).toEqual(expectedIds.slice(0, 7));
		expect(pages()).toEqual(['1x7']);
	});

	it('a Limit above 1000 gives exactly Limit records', async () => {
		const [out] = await runNexudusNode({ parameters: getAllParameters({ limit: 1500 }), store });
		expect(out.map((i) => i.json.Id)).toEqual(expectedIds.slice(0, 1500));
		expect(pages()).toEqual(['1x1000', '2x1000']);
	});

	it('Only Open with a Limit pages on until exactly Limit matches', async () => {
		const [out] = await runNexudusNode({
			parameters: getAllParameters({ limit: 700, filters: { onlyOpen: true } }),
			store,
		});
		expect(out.map((i) => i.json.Id)).toEqual(openIds.slice(0, 700));
		expect(out.every((i) => i.json.IsOpen === true)).toBe(true);
		// About 334 open per page of 1000: three pages for 700.
		expect(pages()).toEqual(['1x1000', '2x1000', '3x1000']);
	});

	it('Only Open with a Limit stops as soon as it has enough', async () => {
		await runNexudusNode({
			parameters: getAllParameters({ limit: 300, filters: { onlyOpen: true } }),
			store,
		});
		expect(pages()).toEqual(['1x1000']);
	});

	it('Only Open with Return All gives every open record, and a Limit beyond the matches gives them all', async () => {
		const [all] = await runNexudusNode({
			parameters: getAllParameters({ returnAll: true, filters: { onlyOpen: true } }),
			store,
		});
		expect(all.map((i) => i.json.Id)).toEqual(openIds);
		expect(pages()).toEqual(['1x1000', '2x1000', '3x1000']);
		const [limited] = await runNexudusNode({
			parameters: getAllParameters({ limit: 5000, filters: { onlyOpen: true } }),
			store,
		});
		expect(limited).toHaveLength(openIds.length);
	});
});
