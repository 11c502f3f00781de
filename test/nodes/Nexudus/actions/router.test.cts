// The per-item loop: order, pairedItem, and a few items at once when pacing is off.
import type { Emulator } from '../../../emulator/server.cjs';
import { DEMO, startEmulator } from '../../../emulator/server.cjs';
import type { CredentialStore } from '../../../support/n8nCore.cjs';
import { adminStore, runNexudusNode } from '../../../support/n8nCore.cjs';

const ENDPOINT = '/api/spaces/coworkerinventoryassets';
let emulator: Emulator;
let store: CredentialStore;

beforeAll(async () => {
	emulator = await startEmulator({ seed: 'demo', latencyMs: 150 });
	store = adminStore(emulator.url);
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.clearRequests());

function parameters(options: Record<string, unknown>) {
	return {
		resource: 'coworkerInventoryAsset',
		operation: 'create',
		coworker: { __rl: true, mode: 'id', value: '={{ $json.coworker }}' },
		location: { __rl: true, mode: 'id', value: DEMO.businesses.newYork },
		inventoryAsset: { __rl: true, mode: 'id', value: DEMO.inventoryAssets.newYorkHotDesk1 },
		assignedFrom: '={{ $json.from }}',
		// Every item assigns the same desk: the order is what is tested, not If Already Assigned.
		ifAssigned: 'createAnyway',
		additionalFields: { notes: '={{ $json.note }}' },
		options,
	};
}

const items = Array.from({ length: 6 }, (_, i) => ({
	coworker: i === 3 ? 99999999 : DEMO.coworkers.gracePark,
	from: `2034-01-0${i + 1}`,
	note: `router-${i}`,
}));

const posts = () => emulator.requests.filter((r) => r.method === 'POST' && r.path === ENDPOINT);

it('with pacing off, sends several items at once and keeps the output in input order', async () => {
	const [out] = await runNexudusNode({
		parameters: parameters({ minIntervalMs: 0, writesPerMinute: 0 }),
		items,
		onError: 'continueRegularOutput',
		store,
	});
	expect(out.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
	expect(out.map((item) => item.json.Notes ?? `error: ${String(item.json.error)}`)).toEqual([
		'router-0',
		'router-1',
		'router-2',
		expect.stringMatching(/^error: Coworker: /),
		'router-4',
		'router-5',
	]);
	// The first item goes alone (it logs in); each answer takes 150 ms, and items 1 to 5 all
	// arrived before any of them could have been answered.
	const arrivals = posts().map((r) => r.at);
	expect(arrivals[1] - arrivals[0]).toBeGreaterThanOrEqual(150);
	const rest = arrivals.slice(1);
	expect(Math.max(...rest) - Math.min(...rest)).toBeLessThan(150);
	expect(emulator.requests.filter((r) => r.path === '/api/token')).toHaveLength(1);
});

it('with pacing on (the default), sends one item at a time', async () => {
	await runNexudusNode({
		parameters: parameters({ minIntervalMs: 1, writesPerMinute: 0 }),
		items: items.slice(0, 3).map((item) => ({ ...item, note: `${item.note}-paced` })),
		store,
	});
	const arrivals = posts().map((r) => r.at);
	for (let i = 1; i < arrivals.length; i++) expect(arrivals[i] - arrivals[i - 1]).toBeGreaterThanOrEqual(150);
});

it('stop mode with pacing off: throws the first failing item, by index', async () => {
	await expect(
		runNexudusNode({
			parameters: parameters({ minIntervalMs: 0, writesPerMinute: 0 }),
			items: items.map((item, i) => ({ ...item, coworker: i >= 3 ? 99999999 : item.coworker, note: `${item.note}-stop` })),
			store,
		}),
	).rejects.toMatchObject({ context: { itemIndex: 3 } });
});
