import type { INodeParameters } from 'n8n-workflow';

import {
	searchCoworkers,
	searchInventoryAssets,
	searchLocations,
} from '../../../../nodes/Nexudus/methods/listSearch';
import type { Emulator } from '../../../emulator/server.cjs';
import { DEMO, startEmulator } from '../../../emulator/server.cjs';
import type { CredentialStore } from '../../../support/n8nCore.cjs';
import { adminStore, loadOptionsContext as contextFor } from '../../../support/n8nCore.cjs';

/** The pickers run while the Inventory Asset parameter is being filled. */
const loadOptionsContext = (store: CredentialStore, current: INodeParameters = {}) =>
	contextFor(store, current, 'parameters.inventoryAsset');

let emulator: Emulator;
let store: CredentialStore;
const added: number[] = [];

beforeAll(async () => {
	emulator = await startEmulator({ seed: 'demo' });
	// 60 more coworkers, so that the picker needs more than one page of 50.
	for (let n = 1; n <= 60; n++) {
		const name = `Zz Picker ${String(n).padStart(2, '0')}`;
		added.push(
			emulator.db.addCoworker({
				FullName: name,
				Email: `picker${n}@paging.example.org`,
				InvoicingBusinessId: DEMO.businesses.madrid,
			}).Id,
		);
	}
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.clearRequests();
	emulator.faults.clear();
	emulator.setLimits(false);
	store = adminStore(emulator.url);
});

const listRequests = (path: string) =>
	emulator.requests.filter((r) => r.method === 'GET' && r.path === path);

describe('searchCoworkers', () => {
	it('lists coworkers by name with "Name (email)" labels and string Ids, 50 a page', async () => {
		const result = await searchCoworkers.call(loadOptionsContext(store));
		expect(result.results).toHaveLength(50);
		expect(result.results[0]).toEqual({
			name: 'Andrés Romero (andres.romero@example.com)',
			value: String(DEMO.coworkers.andresRomero),
		});
		const names = result.results.map((r) => r.name);
		expect([...names].sort((a, b) => a.localeCompare(b))).toEqual(names);
		expect(result.paginationToken).toBe('2');
		const [request] = listRequests('/api/spaces/coworkers');
		expect(request.query).toEqual({ orderBy: 'FullName', dir: 'Ascending', page: '1', size: '50' });
		expect(request.headers.authorization).toMatch(/^Bearer \S+$/);
		expect(store.logins).toBe(1);
	});

	it('follows the pagination token to the last page, which has no token', async () => {
		const ctx = loadOptionsContext(store);
		const first = await searchCoworkers.call(ctx);
		const second = await searchCoworkers.call(ctx, undefined, first.paginationToken);
		expect(second.paginationToken).toBeUndefined();
		expect(first.results.length + second.results.length).toBe(emulator.db.coworkers.length);
		const values = new Set([...first.results, ...second.results].map((r) => r.value));
		expect(values.size).toBe(emulator.db.coworkers.length);
		expect(listRequests('/api/spaces/coworkers').map((r) => r.query.page)).toEqual(['1', '2']);
		expect(second.results.at(-1)).toEqual({
			name: 'Zz Picker 60 (picker60@paging.example.org)',
			value: String(added[59]),
		});
	});

	it('treats a bad pagination token as the first page', async () => {
		await searchCoworkers.call(loadOptionsContext(store), '', 'garbage');
		expect(listRequests('/api/spaces/coworkers')[0].query.page).toBe('1');
	});

	it('filters by name (trimmed, case-insensitive)', async () => {
		const result = await searchCoworkers.call(loadOptionsContext(store), '  carter ');
		expect(result).toEqual({
			results: [
				{
					name: 'Emily Carter (emily.carter@example.com)',
					value: String(DEMO.coworkers.emilyCarter),
				},
			],
			paginationToken: undefined,
		});
		expect(listRequests('/api/spaces/coworkers')[0].query.Coworker_FullName).toBe('carter');
		expect(listRequests('/api/spaces/coworkers')[0].query.Coworker_Email).toBeUndefined();
	});

	it('filters by email when the text has an @', async () => {
		const result = await searchCoworkers.call(loadOptionsContext(store), 'michael.chen@');
		expect(result.results).toEqual([
			{
				name: 'Michael Chen (michael.chen@example.com)',
				value: String(DEMO.coworkers.michaelChen),
			},
		]);
		expect(listRequests('/api/spaces/coworkers')[0].query).toMatchObject({
			Coworker_Email: 'michael.chen@',
		});
		expect(listRequests('/api/spaces/coworkers')[0].query.Coworker_FullName).toBeUndefined();
	});

	it('filtered results page too, by name and by email', async () => {
		const ctx = loadOptionsContext(store);
		for (const filter of ['zz picker', '@paging.example.org']) {
			const first = await searchCoworkers.call(ctx, filter);
			expect(first.results).toHaveLength(50);
			expect(first.paginationToken).toBe('2');
			const second = await searchCoworkers.call(ctx, filter, first.paginationToken);
			expect(second.results.map((r) => r.value)).toEqual(added.slice(50).map(String));
			expect(second.paginationToken).toBeUndefined();
		}
	});

	it('no match: empty results', async () => {
		expect(await searchCoworkers.call(loadOptionsContext(store), 'nobody-by-this-name')).toEqual({
			results: [],
			paginationToken: undefined,
		});
	});

	it('logs in again when the stored token has expired', async () => {
		const ctx = loadOptionsContext(store);
		await searchCoworkers.call(ctx, 'carter');
		emulator.expireAllTokens();
		emulator.clearRequests();
		const result = await searchCoworkers.call(loadOptionsContext(store), 'carter');
		expect(result.results).toHaveLength(1);
		expect(store.logins).toBe(2);
		expect(emulator.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'GET /api/spaces/coworkers 401',
			'POST /api/token 200',
			'GET /api/spaces/coworkers 200',
		]);
	});

	it('a token still refused after logging in again gives the 401 message, naming the role', async () => {
		emulator.faults.add({ method: 'GET', path: '/api/spaces/coworkers', kind: '401', times: 3 });
		await expect(searchCoworkers.call(loadOptionsContext(store), 'carter')).rejects.toMatchObject({
			message:
				'Nexudus refused the request (401) even with a fresh login: the user may lack the Coworker-List role',
		});
	});
});

describe('searchLocations', () => {
	it('lists locations by name', async () => {
		const result = await searchLocations.call(loadOptionsContext(store));
		expect(result).toEqual({
			results: [
				{ name: expect.stringMatching(/Madrid/), value: String(DEMO.businesses.madrid) },
				{ name: expect.stringMatching(/New York/), value: String(DEMO.businesses.newYork) },
			],
			paginationToken: undefined,
		});
		expect(listRequests('/api/sys/businesses')[0].query).toEqual({
			orderBy: 'Name',
			dir: 'Ascending',
			page: '1',
			size: '50',
		});
	});

	it('filters by name', async () => {
		const result = await searchLocations.call(loadOptionsContext(store), 'york');
		expect(result.results.map((r) => r.value)).toEqual([String(DEMO.businesses.newYork)]);
		expect(listRequests('/api/sys/businesses')[0].query.Business_Name).toBe('york');
	});
});

describe('searchInventoryAssets', () => {
	const location = (value: string | number, mode = 'list'): INodeParameters => ({
		location: { __rl: true, mode, value },
	});

	it('narrows the assets to the chosen location, labelled "Name (Sku)"', async () => {
		const result = await searchInventoryAssets.call(
			loadOptionsContext(store, location(String(DEMO.businesses.newYork))),
		);
		const expected = emulator.db.inventoryAssets
			.filter((a) => a.BusinessId === DEMO.businesses.newYork)
			.sort((a, b) => a.Name.localeCompare(b.Name) || a.Id - b.Id);
		expect(expected.length).toBeGreaterThan(0);
		expect(result.results.map((r) => r.value)).toEqual(expected.map((a) => String(a.Id)));
		expect(result.results[0].name).toBe(
			expected[0].Sku ? `${expected[0].Name} (${expected[0].Sku})` : expected[0].Name,
		);
		expect(listRequests('/api/spaces/inventoryassets')[0].query.InventoryAsset_Business).toBe(
			String(DEMO.businesses.newYork),
		);
	});

	it('in Update, takes the location from Update Fields', async () => {
		const ctx = loadOptionsContext(store, {
			operation: 'update',
			updateFields: location(DEMO.businesses.newYork, 'id'),
		});
		await searchInventoryAssets.call(ctx);
		expect(listRequests('/api/spaces/inventoryassets')[0].query.InventoryAsset_Business).toBe(
			String(DEMO.businesses.newYork),
		);
	});

	it("the Inventory Asset resource picks the asset itself: Update's new Location does not narrow the list", async () => {
		const ctx = loadOptionsContext(store, {
			resource: 'inventoryAsset',
			operation: 'update',
			updateFields: location(DEMO.businesses.newYork, 'id'),
		});
		await searchInventoryAssets.call(ctx);
		expect(
			listRequests('/api/spaces/inventoryassets')[0].query.InventoryAsset_Business,
		).toBeUndefined();
	});

	it('in Update without a location, lists every asset', async () => {
		const ctx = loadOptionsContext(store, { operation: 'update', updateFields: {} });
		await searchInventoryAssets.call(ctx);
		expect(
			listRequests('/api/spaces/inventoryassets')[0].query.InventoryAsset_Business,
		).toBeUndefined();
	});

	it('takes the location from By ID mode too, and combines it with the name filter', async () => {
		const ctx = loadOptionsContext(store, location(DEMO.businesses.madrid, 'id'));
		const result = await searchInventoryAssets.call(ctx, 'locker');
		const expected = emulator.db.inventoryAssets.filter(
			(a) => a.BusinessId === DEMO.businesses.madrid && /locker/i.test(a.Name),
		);
		expect(expected.length).toBeGreaterThan(0);
		expect(result.results.map((r) => Number(r.value)).sort()).toEqual(
			expected.map((a) => a.Id).sort(),
		);
		expect(listRequests('/api/spaces/inventoryassets')[0].query).toMatchObject({
			InventoryAsset_Business: String(DEMO.businesses.madrid),
			InventoryAsset_Name: 'locker',
		});
	});

	it('resolves a location given By Name with one list of the locations, and narrows to it', async () => {
		const result = await searchInventoryAssets.call(
			loadOptionsContext(store, location('  madrid -  gran vía ', 'name')),
		);
		const expected = emulator.db.inventoryAssets.filter(
			(a) => a.BusinessId === DEMO.businesses.madrid,
		);
		expect(result.results.map((r) => Number(r.value)).sort()).toEqual(
			expected.map((a) => a.Id).sort(),
		);
		// Narrowed: the labels need no site.
		expect(result.results.every((r) => !r.name.includes(' · '))).toBe(true);
		expect(listRequests('/api/sys/businesses')).toHaveLength(1);
		expect(listRequests('/api/spaces/inventoryassets')[0].query.InventoryAsset_Business).toBe(
			String(DEMO.businesses.madrid),
		);
	});

	it('a name that matches no location lists every asset, each naming its site, with that same one list', async () => {
		const result = await searchInventoryAssets.call(
			loadOptionsContext(store, location('Madrid', 'name')),
		);
		expect(result.results).toHaveLength(Math.min(50, emulator.db.inventoryAssets.length));
		expect(result.results[0].name).toMatch(/ · /);
		expect(listRequests('/api/sys/businesses')).toHaveLength(1);
		expect(
			listRequests('/api/spaces/inventoryassets')[0].query.InventoryAsset_Business,
		).toBeUndefined();
	});

	it.each([
		['empty', ''],
		['an expression', '={{ $json.location }}'],
		['not an id', 'Madrid'],
	])('lists every asset when the location is %s', async (_label, value) => {
		const result = await searchInventoryAssets.call(
			loadOptionsContext(store, location(value, 'id')),
		);
		expect(result.results).toHaveLength(Math.min(50, emulator.db.inventoryAssets.length));
		expect(
			listRequests('/api/spaces/inventoryassets')[0].query.InventoryAsset_Business,
		).toBeUndefined();
	});
});
