// The one create-once (nodes/Nexudus/actions/createOnce.ts), through the assignment create on
// n8n-core's real request path: issue 20 points 5 (a create without Value.Id, a 2xx that is not
// Nexudus's JSON) and 9 (exactly once must not depend on the Timeout option).
import type { Emulator } from '../../../emulator/server.cjs';
import { DEMO, startEmulator } from '../../../emulator/server.cjs';
import type { CredentialStore } from '../../../support/n8nCore.cjs';
import { adminStore, runNexudusNode } from '../../../support/n8nCore.cjs';

const ENDPOINT = '/api/spaces/coworkerinventoryassets';

let emulator: Emulator;
let store: CredentialStore;
let run = 0;

beforeAll(async () => {
	emulator = await startEmulator({ seed: 'demo' });
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.faults.clear();
	emulator.setLimits(false);
	emulator.clearRequests();
	store = adminStore(emulator.url);
});

/** One create with a note of its own, on a day of its own. */
function parameters(options: Record<string, unknown>) {
	run++;
	return {
		note: `create-once-${run}`,
		parameters: {
			resource: 'coworkerInventoryAsset',
			operation: 'create',
			coworker: { __rl: true, mode: 'id', value: DEMO.coworkers.ethanPatel },
			location: { __rl: true, mode: 'id', value: DEMO.businesses.madrid },
			inventoryAsset: { __rl: true, mode: 'id', value: DEMO.inventoryAssets.madridMonitor1 },
			assignedFrom: `2036-0${(run % 9) + 1}-1${run % 10}T09:00:00Z`,
			ifAssigned: 'createAnyway',
			additionalFields: { notes: `create-once-${run}` },
			options: { minIntervalMs: 0, writesPerMinute: 0, ...options },
		},
	};
}

const stored = (note: string) =>
	emulator.db.coworkerInventoryAssets.filter((r) => r.Notes === note);
const posts = () => emulator.requests.filter((r) => r.method === 'POST' && r.path === ENDPOINT);

describe('issue 20 point 9: exactly once whatever the Timeout', () => {
	it('Timeout 1 s, a gateway 504 then a commit 3 s later: one record, one POST', async () => {
		emulator.faults.add({
			method: 'POST',
			path: ENDPOINT,
			kind: '504-late-commit',
			delayMs: 3_000,
		});
		const { note, parameters: p } = parameters({ timeoutSeconds: 1 });
		const [out] = await runNexudusNode({ parameters: p, store, onError: 'continueErrorOutput' });
		await emulator.lateCommitsDone();
		console.log(
			`504 + commit 3 s later, Timeout 1 s: ${stored(note).length} record(s), ${posts().length} POST(s)`,
		);
		expect(stored(note)).toHaveLength(1);
		expect(posts()).toHaveLength(1);
		expect(out[0].json.Id).toBe(stored(note)[0].Id);
	}, 60_000);
});

describe('issue 20 point 5: a create answer that is not a sure success', () => {
	it('200 WasSuccessful true with Value null (applied): looked up, the real Id output, not sent again', async () => {
		emulator.faults.add({ method: 'POST', path: ENDPOINT, kind: '200-no-id-after-write' });
		const { note, parameters: p } = parameters({ timeoutSeconds: 1 });
		const [out] = await runNexudusNode({ parameters: p, store, onError: 'continueErrorOutput' });
		console.log(
			`200 without Value.Id: output Id ${String(out[0].json.Id)}, ${stored(note).length} record(s)`,
		);
		expect(stored(note)).toHaveLength(1);
		expect(out[0].json.Id).toBe(stored(note)[0].Id);
		expect(posts()).toHaveLength(1);
	});

	it('200 without Value.Id and nothing found: fails saying it may have been applied, never resends', async () => {
		// The answer says done but the record is not found: nothing sure.
		emulator.faults.add({ method: 'POST', path: ENDPOINT, kind: '200-no-id-nothing-kept' });
		const { note, parameters: p } = parameters({ timeoutSeconds: 0.5 });
		const [out] = await runNexudusNode({ parameters: p, store, onError: 'continueErrorOutput' });
		expect(out[0].json.error).toBe(
			'Nexudus answered the create as done but gave no Id of the new record',
		);
		expect(String(out[0].json.message)).toMatch(/may have been applied.*did not send it again/);
		expect(stored(note)).toHaveLength(0);
		expect(posts()).toHaveLength(1);
	}, 60_000);

	it('an HTML 200 page after the write: looked up, found, not sent again', async () => {
		emulator.faults.add({ method: 'POST', path: ENDPOINT, kind: 'html-200-after-write' });
		const { note, parameters: p } = parameters({ timeoutSeconds: 1 });
		const [out] = await runNexudusNode({ parameters: p, store, onError: 'continueErrorOutput' });
		console.log(
			`HTML 200 after the write: output Id ${String(out[0].json.Id)}, ${stored(note).length} record(s)`,
		);
		expect(stored(note)).toHaveLength(1);
		expect(out[0].json.Id).toBe(stored(note)[0].Id);
		expect(posts()).toHaveLength(1);
	});
});
