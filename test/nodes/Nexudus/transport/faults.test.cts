// Every fault the emulator can inject, on a batch of creates through the node (n8n-core's real
// request path): each item must end exactly once, created once or on the error output with its
// reason. Nothing duplicated, nothing silently dropped.
import type { Emulator, FaultSpec } from '../../../emulator/server.cjs';
import { DEMO, startEmulator } from '../../../emulator/server.cjs';
import type { CredentialStore } from '../../../support/n8nCore.cjs';
import { adminStore, runNexudusNode } from '../../../support/n8nCore.cjs';

const ENDPOINT = '/api/spaces/coworkerinventoryassets';
const ITEMS = 5;

let emulator: Emulator;
let store: CredentialStore;
let run = 0;

beforeAll(async () => {
	emulator = await startEmulator({ seed: 'demo' });
	store = adminStore(emulator.url);
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.faults.clear();
	emulator.setLimits(false);
});

/** Runs ITEMS creates with a unique marker per item; returns the node's output and the marker. */
async function createBatch(options: Record<string, unknown> = {}) {
	const marker = `fault-run-${++run}`;
	const items = Array.from({ length: ITEMS }, (_, i) => ({
		note: `${marker}-item-${i}`,
		day: i + 1,
	}));
	const [out] = await runNexudusNode({
		parameters: {
			resource: 'coworkerInventoryAsset',
			operation: 'create',
			coworker: { __rl: true, mode: 'id', value: DEMO.coworkers.luciaFernandez },
			location: { __rl: true, mode: 'id', value: DEMO.businesses.madrid },
			inventoryAsset: { __rl: true, mode: 'id', value: DEMO.inventoryAssets.madridLocker1 },
			assignedFrom: `={{ "2033-0${(run % 9) + 1}-" + String($json.day).padStart(2, "0") + " 09:00:45" }}`,
			// Items assign the same asset on purpose: no If Already Assigned check (default Skip).
			ifAssigned: 'createAnyway',
			additionalFields: { notes: '={{ $json.note }}' },
			// A 1 s Timeout: a create that may have been applied is looked for during 1 s.
			options: {
				minIntervalMs: 0,
				writesPerMinute: 0,
				maxRetries: 3,
				timeoutSeconds: 1,
				...options,
			},
		},
		items,
		onError: 'continueErrorOutput',
		store,
	});
	return { out, items };
}

function assertEachItemEndsExactlyOnce(
	out: Awaited<ReturnType<typeof createBatch>>['out'],
	items: Array<{ note: string }>,
) {
	expect(out.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
	for (const [index, { note }] of items.entries()) {
		const stored = emulator.db.coworkerInventoryAssets.filter((r) => r.Notes === note);
		const json = out[index].json;
		if (json.error) {
			expect(stored).toHaveLength(0);
			expect(String(json.error).length).toBeGreaterThan(10);
		} else {
			expect(stored).toHaveLength(1);
			expect(json.Id).toBe(stored[0].Id);
		}
	}
}

const FAULTS: Array<[string, FaultSpec]> = [
	['a burst of 409 throttling', { method: 'POST', path: ENDPOINT, kind: '409', times: 3 }],
	['a 500 before the write', { method: 'POST', path: ENDPOINT, kind: '500', times: 2 }],
	['a 500 after the write', { method: 'POST', path: ENDPOINT, kind: '500-after-write', times: 2 }],
	['a 502 gateway page', { method: 'POST', path: ENDPOINT, kind: '502' }],
	['a dropped connection before the write', { method: 'POST', path: ENDPOINT, kind: 'drop' }],
	[
		'a dropped connection after the write',
		{ method: 'POST', path: ENDPOINT, kind: 'drop-after-write', times: 2 },
	],
	['an expired token', { method: 'POST', path: ENDPOINT, kind: '401' }],
	['a failing lookup after a lost answer', { method: 'GET', path: ENDPOINT, kind: '500' }],
];

describe.each(FAULTS)('under %s', (_label, fault) => {
	it('every item is created exactly once', async () => {
		if (fault.method === 'GET') {
			emulator.faults.add({ method: 'POST', path: ENDPOINT, kind: 'drop-after-write' });
		}
		emulator.faults.add(fault);
		const { out, items } = await createBatch();
		expect(out.filter((item) => item.json.error)).toEqual([]);
		assertEachItemEndsExactlyOnce(out, items);
		expect(emulator.faults.pending()).toEqual([]);
		// No answer from Nexudus (a gateway page, a dropped connection): the node looks for the
		// create for at least 30 s whatever the 1 s Timeout (a commit may still land), then resends.
	}, 90_000);
});

it('a slow answer past the time-out: looked up after waiting, created exactly once', async () => {
	emulator.faults.add({ method: 'POST', path: ENDPOINT, kind: 'slow', delayMs: 1_500 });
	const { out, items } = await createBatch({ timeoutSeconds: 1 });
	expect(out.filter((item) => item.json.error)).toEqual([]);
	assertEachItemEndsExactlyOnce(out, items);
}, 15_000);

// The batches above used most of the account's 120 requests a minute: Request Interval 0 does not
// lift that limit (issue 20), so this one may wait for the minute to free up.
it('faults beyond the retries: those items go to the error output with the reason, the rest are created once', async () => {
	emulator.faults.add({ method: 'POST', path: ENDPOINT, kind: '500', times: 4 });
	// Paced, so the items go one by one and the first one meets all four faults.
	const { out, items } = await createBatch({ maxRetries: 3, minIntervalMs: 1 });
	expect(out[0].json.error).toBe('Nexudus had an internal error (HTTP 500)');
	expect(out.slice(1).every((item) => typeof item.json.Id === 'number')).toBe(true);
	assertEachItemEndsExactlyOnce(out, items);
}, 90_000);
