/**
 * Issue 14: a re-run does not assign twice (If Already Assigned defaults to Skip), the asset
 * and the location are checked against each other before anything is sent, Nexudus's field
 * errors speak the parameters' names, Get Many's Id filters are pickers, and the assignment
 * picker tells same-named assets apart.
 */
import { Nexudus } from '../../../../../nodes/Nexudus/Nexudus.node';
import { searchCoworkerInventoryAssets, searchInventoryAssets } from '../../../../../nodes/Nexudus/methods/listSearch';
import { DEFAULT_USERS, DEMO_PASSWORD } from '../../../../emulator/auth.cjs';
import type { Emulator } from '../../../../emulator/server.cjs';
import { DEMO, startEmulator } from '../../../../emulator/server.cjs';
import type { CredentialStore } from '../../../../support/n8nCore.cjs';
import {
	adminStore,
	credentialStore,
	loadOptionsContext,
	runNexudusNode,
} from '../../../../support/n8nCore.cjs';

const ENDPOINT = '/api/spaces/coworkerinventoryassets';
const { businesses: b, coworkers: c, inventoryAssets: a } = DEMO;

let emulator: Emulator;
let store: CredentialStore;

beforeAll(async () => {
	emulator = await startEmulator({
		seed: 'demo',
		users: [
			...DEFAULT_USERS,
			// May write and list assignments, but not read an inventory asset.
			{
				email: 'writer@example.com',
				password: DEMO_PASSWORD,
				roles: ['CoworkerInventoryAsset-Create', 'CoworkerInventoryAsset-List'],
			},
		],
	});
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.clearRequests();
	emulator.faults.clear();
	emulator.setLimits(false);
	store = adminStore(emulator.url);
});

const byId = (value: number | string) => ({ __rl: true, mode: 'id', value });
const posts = () => emulator.requests.filter((r) => r.method === 'POST' && r.path === ENDPOINT);
const puts = () => emulator.requests.filter((r) => r.method === 'PUT' && r.path === ENDPOINT);
const assetReads = () =>
	emulator.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/spaces/inventoryassets/'));

function create(overrides: Record<string, unknown> = {}) {
	return {
		resource: 'coworkerInventoryAsset',
		operation: 'create',
		coworker: byId(c.pabloNavarro),
		location: byId(b.madrid),
		inventoryAsset: byId(a.madridHotDesk1),
		assignedFrom: '2025-09-01T09:00:00Z',
		additionalFields: {},
		options: {},
		...overrides,
	};
}

describe('If Already Assigned: a re-run of a half-failed execution assigns nothing twice', () => {
	it('is a top-level Create parameter, shown in the main panel, defaulting to Skip', () => {
		const properties = new Nexudus().description.properties;
		const parameter = properties.find((p) => p.name === 'ifAssigned' && p.displayOptions?.show?.operation?.includes('create'));
		expect(parameter).toMatchObject({ type: 'options', default: 'skip' });
		expect(parameter!.displayName.length).toBeLessThanOrEqual(24);
		expect((parameter!.options as Array<{ value: string }>).map((o) => o.value).sort()).toEqual([
			'createAnyway',
			'error',
			'skip',
		]);
		// The old choice under Options stays for version 1 nodes only (saved workflows).
		const options = properties.find((p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes('create'));
		const legacy = (options!.options as Array<{ name: string; displayOptions?: unknown }>).find((o) => o.name === 'ifAssigned');
		expect(legacy?.displayOptions).toEqual({ show: { '@version': [1] } });
	});

	it('by default, running the same items again outputs the existing assignments marked skipped', async () => {
		const items = [{ asset: a.madridHotDesk1 + 1 }, { asset: a.madridHotDesk1 + 2 }];
		const parameters = create({ inventoryAsset: byId('={{ $json.asset }}') });
		const [first] = await runNexudusNode({ parameters, items, store });
		expect(first.map((i) => i.json.skipped)).toEqual([undefined, undefined]);
		const [again] = await runNexudusNode({ parameters, items, store });
		expect(again.map((i) => i.json.skipped)).toEqual([true, true]);
		expect(again.map((i) => i.json.Id)).toEqual(first.map((i) => i.json.Id));
		expect(posts()).toHaveLength(2);
		for (const asset of [a.madridHotDesk1 + 1, a.madridHotDesk1 + 2]) {
			const open = emulator.db.coworkerInventoryAssets.filter((r) => r.InventoryAssetId === asset && r.AssignedTo === null);
			expect(open).toHaveLength(1);
		}
	});

	it('reads the old Options choice of saved workflows; a top-level choice other than Skip wins', async () => {
		const asset = a.madridHotDesk1 + 3;
		await runNexudusNode({ parameters: create({ inventoryAsset: byId(asset) }), store });
		// Saved before: options.ifAssigned, no top-level parameter.
		const [legacy] = await runNexudusNode({
			parameters: create({ inventoryAsset: byId(asset), options: { ifAssigned: 'error' } }),
			onError: 'continueErrorOutput',
			store,
		});
		expect(legacy[0].json.error).toContain(`Inventory asset ${asset} is already assigned`);
		expect(legacy[0].json.message).toContain('set If Already Assigned to Skip or Create Anyway');
		const [legacyAnyway] = await runNexudusNode({
			parameters: create({ inventoryAsset: byId(asset), options: { ifAssigned: 'createAnyway' } }),
			store,
		});
		expect(legacyAnyway[0].json.skipped).toBeUndefined();
		const [topWins] = await runNexudusNode({
			parameters: create({
				inventoryAsset: byId(asset),
				ifAssigned: 'error',
				options: { ifAssigned: 'createAnyway' },
			}),
			onError: 'continueErrorOutput',
			store,
		});
		expect(topWins[0].json.error).toContain('is already assigned');
		expect(posts()).toHaveLength(2);
	});

	it('refuses a value that is none of the choices, sending nothing', async () => {
		const [out] = await runNexudusNode({
			parameters: create({ ifAssigned: '={{ "maybe" }}' }),
			onError: 'continueErrorOutput',
			store,
		});
		expect(out[0].json.error).toBe('Invalid If Already Assigned: "maybe"');
		expect(emulator.requests.filter((r) => r.path !== '/api/token')).toHaveLength(0);
	});
});

describe('Inventory Asset and Location are checked against each other before sending', () => {
	it('Create: fails the item naming both sites, with what to do, and sends nothing', async () => {
		const [out] = await runNexudusNode({
			parameters: create({ inventoryAsset: byId(a.newYorkHotDesk1) }),
			onError: 'continueErrorOutput',
			store,
		});
		expect(out[0].json).toEqual({
			error: `Inventory Asset ${a.newYorkHotDesk1} (Hot desk 01) is at New York - SoHo, not at Madrid - Gran Vía`,
			message:
				"Nothing was sent. Pick an asset of Madrid - Gran Vía in Inventory Asset (with Location set, the list shows only that location's assets), or change Location to New York - SoHo.",
		});
		expect(posts()).toHaveLength(0);
		expect(emulator.requests.filter((r) => r.path === ENDPOINT)).toHaveLength(0);
	});

	it('reads each distinct asset once per run, however many items name it', async () => {
		const items = [
			{ asset: a.madridMonitor1 + 1, coworker: c.martaGil },
			{ asset: a.newYorkMonitor1, coworker: c.martaGil },
			{ asset: a.madridMonitor1 + 1, coworker: c.diegoSerrano },
			{ asset: a.newYorkMonitor1, coworker: c.diegoSerrano },
		];
		const [out] = await runNexudusNode({
			parameters: create({
				coworker: byId('={{ $json.coworker }}'),
				inventoryAsset: byId('={{ $json.asset }}'),
				ifAssigned: 'createAnyway',
			}),
			items,
			onError: 'continueRegularOutput',
			store,
		});
		expect(out.map((i) => (i.json.error ? 'error' : 'created'))).toEqual(['created', 'error', 'created', 'error']);
		expect(assetReads().map((r) => r.path).sort()).toEqual(
			[`/api/spaces/inventoryassets/${a.madridMonitor1 + 1}`, `/api/spaces/inventoryassets/${a.newYorkMonitor1}`].sort(),
		);
		// The sites' names are read once too.
		expect(emulator.requests.filter((r) => r.path.startsWith('/api/sys/businesses/'))).toHaveLength(2);
	});

	it('an asset that does not exist fails before sending, naming the parameter', async () => {
		const [out] = await runNexudusNode({
			parameters: create({ inventoryAsset: byId(3999) }),
			items: [{}, {}],
			onError: 'continueErrorOutput',
			store,
		});
		for (const item of out) {
			expect(item.json).toEqual({
				error: 'Inventory Asset 3999 does not exist in Nexudus',
				message:
					'Nothing was sent. Pick an asset of the chosen location in Inventory Asset, or check the Id given By ID (the asset may have been deleted).',
			});
		}
		expect(assetReads()).toHaveLength(1);
		expect(posts()).toHaveLength(0);
	});

	it('a user without the InventoryAsset-Read role still creates (Nexudus checks the pair itself)', async () => {
		const writer = credentialStore({ email: 'writer@example.com', password: DEMO_PASSWORD, baseUrl: emulator.url });
		const [ok] = await runNexudusNode({
			parameters: create({ inventoryAsset: byId(a.madridLocker1 + 1), ifAssigned: 'createAnyway' }),
			store: writer,
		});
		expect(ok[0].json.Id).toEqual(expect.any(Number));
		// ...and Nexudus's own refusal then names the parameter.
		const [bad] = await runNexudusNode({
			parameters: create({ inventoryAsset: byId(a.newYorkLocker1 + 1), ifAssigned: 'createAnyway' }),
			onError: 'continueErrorOutput',
			store: writer,
		});
		expect(bad[0].json.error).toBe('Inventory Asset: the asset does not belong to this location');
		expect(bad[0].json.message).toBe(
			`Nexudus reported:\nInventory Asset: the asset does not belong to this location (sent: ${a.newYorkLocker1 + 1}). Pick an asset of the chosen location in Inventory Asset, or change Location to the asset's.`,
		);
	});

	it("Update: a new location that is not the asset's fails before the PUT; a matching pair is saved", async () => {
		const record = emulator.db.addCoworkerInventoryAsset({
			CoworkerId: c.carmenRuiz,
			BusinessId: b.madrid,
			InventoryAssetId: a.madridChair1 + 1,
			AssignedFrom: '2025-02-01T09:00:00Z',
			AssignedTo: null,
		});
		const update = (updateFields: Record<string, unknown>) => ({
			resource: 'coworkerInventoryAsset',
			operation: 'update',
			coworkerInventoryAsset: byId(record.Id),
			updateFields,
			options: {},
		});
		const [moved] = await runNexudusNode({
			parameters: update({ location: byId(b.newYork) }),
			onError: 'continueErrorOutput',
			store,
		});
		expect(moved[0].json.error).toBe(
			`Inventory Asset ${a.madridChair1 + 1} (Ergonomic chair Herman Miller Aeron 02) is at Madrid - Gran Vía, not at New York - SoHo`,
		);
		expect(puts()).toHaveLength(0);
		const [both] = await runNexudusNode({
			parameters: update({ location: byId(b.newYork), inventoryAsset: byId(a.newYorkChair1 + 1) }),
			store,
		});
		expect(both[0].json).toMatchObject({ BusinessId: b.newYork, InventoryAssetId: a.newYorkChair1 + 1 });
		expect(puts()).toHaveLength(1);
		// Notes only: no asset read.
		emulator.clearRequests();
		await runNexudusNode({ parameters: update({ notes: 'x' }), store });
		expect(assetReads()).toHaveLength(0);
	});
});

describe('Get Many: Coworker, Location and Inventory Asset filters are pickers', () => {
	const getAll = (filters: Record<string, unknown>) => ({
		resource: 'coworkerInventoryAsset',
		operation: 'getAll',
		returnAll: true,
		filters,
		simplify: false,
		options: {},
	});
	const lists = () => emulator.requests.filter((r) => r.method === 'GET' && r.path === ENDPOINT);

	it('are resource locators with From List and By ID (and By Email, By Name)', () => {
		const filters = new Nexudus().description.properties.find(
			(p) => p.name === 'filters' && p.displayOptions?.show?.operation?.includes('getAll'),
		);
		const locators = (filters!.options as Array<{ name: string; type: string; modes?: Array<{ name: string; typeOptions?: { searchListMethod?: string } }> }>).filter(
			(o) => ['coworkerId', 'locationId', 'inventoryAssetId'].includes(o.name),
		);
		expect(locators.map((o) => [o.name, o.type, o.modes?.map((m) => m.name), o.modes?.[0].typeOptions?.searchListMethod])).toEqual([
			['coworkerId', 'resourceLocator', ['list', 'id', 'email'], 'searchCoworkers'],
			['inventoryAssetId', 'resourceLocator', ['list', 'id'], 'searchInventoryAssets'],
			['locationId', 'resourceLocator', ['list', 'id', 'name'], 'searchLocations'],
		]);
	});

	it('read the locator shape (From List and By ID) and the plain Id of saved workflows', async () => {
		await runNexudusNode({
			parameters: getAll({
				coworkerId: { __rl: true, mode: 'list', value: String(c.luciaFernandez) },
				locationId: byId(b.madrid),
				inventoryAssetId: String(a.madridMonitor1),
			}),
			store,
		});
		expect(lists()[0].query).toMatchObject({
			CoworkerInventoryAsset_Coworker: String(c.luciaFernandez),
			CoworkerInventoryAsset_Business: String(b.madrid),
			CoworkerInventoryAsset_InventoryAsset: String(a.madridMonitor1),
		});
	});

	it('an empty filter means no filter, in either shape', async () => {
		await runNexudusNode({
			parameters: getAll({ coworkerId: { __rl: true, mode: 'list', value: '' }, locationId: '' }),
			store,
		});
		expect(Object.keys(lists()[0].query).filter((k) => k.startsWith('CoworkerInventoryAsset_'))).toEqual([]);
	});

	it('a bad plain Id never says "pick it from the list"; a locator does', async () => {
		const [out] = await runNexudusNode({
			parameters: getAll({ locationId: '={{ $json.plain }}' }),
			items: [{ plain: 'abc' }],
			onError: 'continueRegularOutput',
			store,
		});
		expect(out[0].json.error).toBe('Invalid Location: "abc"');
		expect(out[0].json.message).not.toContain('pick it from the list');
		const [locator] = await runNexudusNode({
			parameters: getAll({ locationId: byId('={{ $json.id }}') }),
			items: [{ id: 'abc' }],
			onError: 'continueRegularOutput',
			store,
		});
		expect(locator[0].json.message).toContain('pick it from the list');
		expect(lists()).toHaveLength(0);
	});
});

describe('Pickers tell same-named records apart', () => {
	it('Inventory Asset without a location names each asset\'s site; with one, lists only its assets', async () => {
		const all = await searchInventoryAssets.call(loadOptionsContext(store, {}, 'parameters.inventoryAsset'), 'Locker 01');
		expect(all.results.map((r) => r.name).sort()).toEqual([
			'Locker 01 (MAD-LCK-01) · Madrid - Gran Vía',
			'Locker 01 (NYC-LCK-01) · New York - SoHo',
		]);
		const madrid = await searchInventoryAssets.call(
			loadOptionsContext(store, { location: byId(b.madrid) }, 'parameters.inventoryAsset'),
			'Locker',
		);
		expect(madrid.results).toEqual([
			{ name: 'Locker 01 (MAD-LCK-01)', value: String(a.madridLocker1) },
			{ name: 'Locker 02 (MAD-LCK-02)', value: String(a.madridLocker1 + 1) },
		]);
		// Get Many's Location filter narrows its Inventory Asset filter.
		const filtered = await searchInventoryAssets.call(
			loadOptionsContext(
				store,
				{ operation: 'getAll', filters: { locationId: byId(b.newYork) } },
				'parameters.filters.inventoryAssetId',
			),
			'Locker 01',
		);
		expect(filtered.results).toEqual([{ name: 'Locker 01 (NYC-LCK-01)', value: String(a.newYorkLocker1) }]);
	});

	it('the assignment picker shows the asset with its SKU, the site and the dates', async () => {
		const result = await searchCoworkerInventoryAssets.call(
			loadOptionsContext(store, { operation: 'get' }, 'parameters.coworkerInventoryAsset'),
			'Olivia',
		);
		expect(result.results).toContainEqual({
			name: 'Olivia Bennett: Locker 01 (NYC-LCK-01) · New York - SoHo · 2025-03-10 – open',
			value: '5006',
		});
		const javier = await searchCoworkerInventoryAssets.call(
			loadOptionsContext(store, { operation: 'get' }, 'parameters.coworkerInventoryAsset'),
			'Javier',
		);
		expect(javier.results).toContainEqual({
			name: 'Javier Moreno: Locker 01 (MAD-LCK-01) · Madrid - Gran Vía · 2024-10-01 – 2025-03-31',
			value: '5003',
		});
	});
});
