// The Nexudus behaviours our first emulator did not play, each as an emulator switch, driven
// through n8n-core's real request path. Each scenario prints its figures (afterAll), so the same
// file run against an older node gives the "before" column.
import type { Emulator } from '../../emulator/server.cjs';
import { DEMO, DEMO_PASSWORD, startEmulator } from '../../emulator/server.cjs';
import type { RedirectTarget } from '../../emulator/redirect.cjs';
import { startRedirectTarget } from '../../emulator/redirect.cjs';
import type { CredentialStore } from '../../support/n8nCore.cjs';
import { pacerFor } from '../../../nodes/Nexudus/transport/pacing';
import { processClientId } from '../../../nodes/Nexudus/helpers/clientId';
import { bindToken } from '../../../nodes/Nexudus/transport/tokenBinding';
import { adminStore, runNexudusNode } from '../../support/n8nCore.cjs';

const ENDPOINT = '/api/spaces/coworkerinventoryassets';
const SLOW = 60_000;

let emulator: Emulator;
let store: CredentialStore;
let run = 0;
const figures: string[] = [];

beforeAll(async () => {
	emulator = await startEmulator({ seed: 'demo' });
});
afterAll(async () => {
	console.log(`reliability scenarios:\n${figures.join('\n')}`);
	await emulator.close();
});
beforeEach(() => {
	emulator.faults.clear();
	emulator.setLimits(false);
	emulator.setSwitches({
		datesWithoutZ: false,
		ignorePage: false,
		oneSessionPerClient: true,
		redirect: false,
	});
	emulator.forceRetryAfter(false);
	emulator.clearRequests();
	store = adminStore(emulator.url);
});

const byId = (value: number) => ({ __rl: true, mode: 'id', value });

/** Creates with a unique note per item, on a day of its own so no two runs share a minute. */
function createParameters(options: Record<string, unknown> = {}) {
	run++;
	return {
		resource: 'coworkerInventoryAsset',
		operation: 'create',
		coworker: byId(DEMO.coworkers.ethanPatel),
		location: byId(DEMO.businesses.madrid),
		inventoryAsset: byId(DEMO.inventoryAssets.madridMonitor1),
		assignedFrom: `={{ "2034-${String((run % 12) + 1).padStart(2, '0')}-" + String($json.day).padStart(2, "0") + "T09:00:00" }}`,
		// Items assign the same asset on purpose: no If Already Assigned check (default Skip).
		ifAssigned: 'createAnyway',
		additionalFields: { notes: '={{ $json.note }}' },
		options: { minIntervalMs: 0, writesPerMinute: 0, ...options },
	};
}

function itemsFor(label: string, count: number) {
	return Array.from({ length: count }, (_, i) => ({
		note: `${label}-${run + 1}-${i}`,
		day: (i % 28) + 1,
	}));
}

const stored = (note: string) =>
	emulator.db.coworkerInventoryAssets.filter((r) => r.Notes === note);

describe('exactly once when a create may have been applied', () => {
	it('a 500 after the commit, records dated without Z, n8n on TZ=Europe/Berlin: created once', async () => {
		// jest.config.js runs every test in Europe/Berlin: local time is not UTC here.
		expect(new Date(2025, 0, 15).getTimezoneOffset()).toBe(-60);
		emulator.setSwitches({ datesWithoutZ: true });
		emulator.faults.add({ method: 'POST', path: ENDPOINT, kind: '500-after-write' });
		const items = itemsFor('no-z', 1);
		const [out] = await runNexudusNode({
			parameters: createParameters({ timeoutSeconds: 2 }),
			items,
			store,
			onError: 'continueErrorOutput',
		});
		const records = stored(items[0].note);
		figures.push(`500 after commit, no Z, TZ Berlin: ${records.length} record(s) for 1 item`);
		expect(records).toHaveLength(1);
		expect(out[0].json.Id).toBe(records[0].Id);
	});

	it(
		'a gateway 504 at once, Nexudus committing 3 s later: created once, found by the lookups',
		async () => {
			emulator.faults.add({
				method: 'POST',
				path: ENDPOINT,
				kind: '504-late-commit',
				delayMs: 3_000,
			});
			const items = itemsFor('late', 1);
			const [out] = await runNexudusNode({
				parameters: createParameters({ timeoutSeconds: 10 }),
				items,
				store,
				onError: 'continueErrorOutput',
			});
			await emulator.lateCommitsDone();
			const records = stored(items[0].note);
			const posts = emulator.requests.filter((r) => r.method === 'POST' && r.path === ENDPOINT);
			figures.push(
				`504 then commit 3 s later: ${records.length} record(s) for 1 item, ${posts.length} POST(s)`,
			);
			expect(records).toHaveLength(1);
			expect(posts).toHaveLength(1);
			expect(out[0].json.Id).toBe(records[0].Id);
		},
		SLOW,
	);
});

describe('every documented limit', () => {
	// Real time: the Write Window no longer scales the read limits (issue 20), so neither can a test.
	it('125 Gets with Request Interval 0 under 120 requests a minute: none fails, the 121st waits for the minute', async () => {
		// An emulator (an account) of its own: this pacing's counts must not slow the other tests.
		const own = await startEmulator({ seed: 'demo' });
		try {
			const id = own.db.coworkerInventoryAssets[0].Id;
			own.setLimits({
				minIntervalMs: 0,
				writesPerWindow: 60,
				windowMs: 60_000,
				retryAfterSeconds: 1,
				requestsPerMinute: 120,
				requestsPerHour: 5_000,
				writesPerDay: 5_000,
				computeRetryAfter: true,
			});
			const [out] = await runNexudusNode({
				parameters: {
					resource: 'coworkerInventoryAsset',
					operation: 'get',
					coworkerInventoryAsset: byId(id),
					options: { minIntervalMs: 0, writesPerMinute: 0, writeWindowSeconds: 1 },
				},
				items: Array.from({ length: 125 }, () => ({})),
				store: adminStore(own.url),
				onError: 'continueErrorOutput',
			});
			const failed = out.filter((item) => item.json.error).length;
			const { throttled } = own.stats();
			const gets = own.requests.filter((r) => r.method === 'GET' && r.status === 200);
			figures.push(
				`125 Gets at 120/min, Request Interval 0: ${failed} failed, ${throttled} throttled`,
			);
			expect(gets.length).toBe(125);
			expect(gets[120].at - gets[0].at).toBeGreaterThanOrEqual(59_000);
			expect(failed).toBe(0);
			// The login counts for Nexudus but is not a node request: at most that one is throttled.
			expect(throttled).toBeLessThanOrEqual(1);
		} finally {
			await own.close();
		}
	}, 120_000);

	it('Retry-After: 100000000 once: that item fails at once saying so, the next execution is not held', async () => {
		const id = emulator.db.coworkerInventoryAssets[0].Id;
		emulator.faults.add({
			method: 'GET',
			path: ENDPOINT,
			kind: '409',
			retryAfterSeconds: 100_000_000,
		});
		const parameters = {
			resource: 'coworkerInventoryAsset',
			operation: 'get',
			coworkerInventoryAsset: byId(id),
			options: {},
		};
		const start = Date.now();
		const [first] = await runNexudusNode({ parameters, store, onError: 'continueRegularOutput' });
		const [second] = await runNexudusNode({ parameters, store, onError: 'continueRegularOutput' });
		const ms = Date.now() - start;
		figures.push(
			`Retry-After 100000000 once: 2 executions took ${ms} ms; second ${second[0].json.error ? 'failed' : 'succeeded'}`,
		);
		expect(first[0].json.error).toMatch(
			/^Nexudus asked to wait \d+(\.\d)? h \(Retry-After\) before the next request$/,
		);
		expect(second[0].json.Id).toBe(id);
		expect(ms).toBeLessThan(5_000);
	});
});

describe('a limit that cannot be met within the run', () => {
	it('5,000 writes a day used up: creates fail at once saying so, nothing is sent, reads still go', async () => {
		// An account of its own, whose day of writes this process has used up.
		const own = await startEmulator({ seed: 'demo' });
		try {
			const pacer = pacerFor(`${own.url}|admin@example.com`);
			const now = Date.now();
			for (let i = 0; i < 5_000; i++) pacer.answered(true, now - 3_600_000 + i);
			const start = Date.now();
			const [out] = await runNexudusNode({
				parameters: createParameters({ minIntervalMs: 1 }),
				items: itemsFor('daily-cap', 3),
				store: adminStore(own.url),
				onError: 'continueRegularOutput',
			});
			const ms = Date.now() - start;
			const posts = own.requests.filter((r) => r.method === 'POST' && r.path === ENDPOINT).length;
			figures.push(`daily write cap used up, 3 creates: ${posts} sent, failed in ${ms} ms`);
			expect(posts).toBe(0);
			expect(ms).toBeLessThan(2_000);
			for (const item of out) {
				expect(item.json.error).toMatch(
					/^Nexudus's limit of 5000 writes a day per account is used up for the next \d+\.\d h: nothing was sent$/,
				);
			}
			const id = own.db.coworkerInventoryAssets[0].Id;
			const [read] = await runNexudusNode({
				parameters: {
					resource: 'coworkerInventoryAsset',
					operation: 'get',
					coworkerInventoryAsset: byId(id),
					options: {},
				},
				store: adminStore(own.url),
			});
			expect(read[0].json.Id).toBe(id);
		} finally {
			await own.close();
		}
	});
});

describe('one account, several executions', () => {
	it('a wrong password on 25 items set to continue: one login, 25 item errors', async () => {
		store = adminStore(emulator.url, { password: 'wrong-password' });
		const [out] = await runNexudusNode({
			parameters: createParameters(),
			items: itemsFor('wrong-pw', 25),
			store,
			onError: 'continueRegularOutput',
		});
		const logins = emulator.requests.filter((r) => r.path === '/api/token').length;
		figures.push(`wrong password, 25 items: ${logins} login(s)`);
		expect(logins).toBe(1);
		expect(out).toHaveLength(25);
		for (const item of out)
			expect(item.json.error).toMatch(/^Nexudus login failed: wrong email or password/);
	});

	it('two executions at once on one credential, one session per client ID: one login, no 401', async () => {
		emulator.setSwitches({ oneSessionPerClient: true });
		const both = await Promise.all(
			['exec-a', 'exec-b'].map(async (label) => {
				const items = itemsFor(label, 15);
				const [out] = await runNexudusNode({ parameters: createParameters(), items, store });
				return { out, items };
			}),
		);
		const logins = emulator.requests.filter((r) => r.path === '/api/token').length;
		const unauthorized = emulator.requests.filter((r) => r.status === 401).length;
		figures.push(
			`two executions x 15 items: ${logins} login(s), ${emulator.requests.length} requests, ${unauthorized} 401s`,
		);
		expect(logins).toBe(1);
		expect(unauthorized).toBe(0);
		for (const { out, items } of both) {
			expect(out).toHaveLength(15);
			for (const { note } of items) expect(stored(note)).toHaveLength(1);
		}
	});

	it('another process logs in during the run: after the 401 its token is taken from the credential store, no login', async () => {
		const parameters = {
			resource: 'coworkerInventoryAsset',
			operation: 'get',
			coworkerInventoryAsset: byId(emulator.db.coworkerInventoryAssets[0].Id),
			options: { minIntervalMs: 400 },
		};
		await runNexudusNode({ parameters, store });
		emulator.clearRequests();
		// Between this run's two requests, something logs in with this process's own client ID
		// (voiding our token: other n8n processes have client IDs of their own), and n8n saves the
		// new token in the store.
		const otherProcess = (async () => {
			await new Promise((resolve) => setTimeout(resolve, 200));
			const other = await fetch(`${emulator.url}/api/token`, {
				method: 'POST',
				headers: {
					'Content-Type': 'application/x-www-form-urlencoded',
					client_id: processClientId('n8n-nodes-nexudus'),
				},
				body: new URLSearchParams({
					grant_type: 'password',
					username: 'admin@example.com',
					password: DEMO_PASSWORD,
				}),
			});
			// n8n saves it bound to the credential, as preAuthentication returns it.
			store.data.accessToken = bindToken(
				((await other.json()) as { access_token: string }).access_token,
				store.data,
			);
		})();
		const [out] = await runNexudusNode({ parameters, items: [{}, {}], store });
		await otherProcess;
		const log = emulator.requests.map(
			(r) => `${r.method} ${r.path.replace(/\d+$/, ':id')} ${r.status}`,
		);
		const ourLogins = log.filter((line) => line.startsWith('POST /api/token')).length - 1;
		figures.push(
			`another process logs in mid-run: ${ourLogins} login(s) of ours, ${out.length} of 2 items read`,
		);
		// The other process's login only; our voided token is refused once, then theirs is used.
		expect(log.filter((line) => line.startsWith('POST /api/token'))).toHaveLength(1);
		expect(log.filter((line) => line.endsWith(' 401'))).toHaveLength(1);
		expect(log.filter((line) => line === `GET ${ENDPOINT}/:id 200`)).toHaveLength(2);
		expect(out).toHaveLength(2);
	});
});

describe('nothing leaves for another host', () => {
	let target: RedirectTarget;
	beforeAll(async () => {
		target = await startRedirectTarget();
	});
	afterAll(async () => await target.close());
	beforeEach(() => target.clear());

	it.each([
		['/api/token', [/^\/api\/token$/]],
		['the create', [new RegExp(`^${ENDPOINT}$`)]],
	])(
		'the Base URL answers 307 to another origin on %s: an error naming it, nothing sent there',
		async (_label, paths) => {
			// A token from before, so that the create is what gets redirected in the second case.
			if (_label === 'the create')
				await runNexudusNode({
					parameters: {
						resource: 'coworkerInventoryAsset',
						operation: 'get',
						coworkerInventoryAsset: byId(emulator.db.coworkerInventoryAssets[0].Id),
						options: {},
					},
					store,
				});
			emulator.setSwitches({ redirect: { to: target.url, paths } });
			const items = itemsFor('redirect', 1);
			const [out] = await runNexudusNode({
				parameters: createParameters(),
				items,
				store,
				onError: 'continueRegularOutput',
			});
			figures.push(
				`307 on ${_label}: ${target.received.length} request(s) reached the other host; item ${out[0].json.error ? 'failed' : `reported Id ${String(out[0].json.Id)}`}`,
			);
			expect(target.received).toHaveLength(0);
			expect(String(out[0].json.error)).toContain(new URL(target.url).origin);
			expect(out[0].json.Id).toBeUndefined();
			expect(stored(items[0].note)).toHaveLength(0);
		},
	);
});

describe('lists', () => {
	it('a list endpoint that ignores page: an error after page 2, not an endless read', async () => {
		// More than one page of 1000, all ended: Only Open must read every page.
		for (let i = 0; i < 1_100; i++) {
			emulator.db.addCoworkerInventoryAsset({
				CoworkerId: DEMO.coworkers.avaThompson,
				BusinessId: DEMO.businesses.madrid,
				InventoryAssetId: DEMO.inventoryAssets.madridHotDesk1,
				AssignedFrom: '2024-01-10T09:00:00Z',
				AssignedTo: '2024-02-10T09:00:00Z',
				Notes: null,
			});
		}
		emulator.setSwitches({ ignorePage: true });
		const [out] = await runNexudusNode({
			parameters: {
				resource: 'coworkerInventoryAsset',
				operation: 'getAll',
				returnAll: true,
				filters: { onlyOpen: true },
				options: {},
			},
			store,
			onError: 'continueRegularOutput',
		});
		const lists = emulator.requests.filter((r) => r.method === 'GET' && r.path === ENDPOINT).length;
		figures.push(
			`list ignoring page: ${lists} page request(s), item ${out[0].json.error ? 'failed' : 'succeeded'}`,
		);
		expect(lists).toBe(2);
		expect(out[0].json.error).toBe(
			`Nexudus answered page 1 again when asked for page 2 of ${ENDPOINT}`,
		);
	});
});

describe('End All Open Assignments', () => {
	it('a 403 after some succeeded: every other assignment is still tried, and each is reported', async () => {
		const me = DEMO.coworkers.gracePark;
		const ids = [
			DEMO.inventoryAssets.madridChair1,
			DEMO.inventoryAssets.madridLocker1,
			DEMO.inventoryAssets.madridHotDesk1,
		].map(
			(asset) =>
				emulator.db.addCoworkerInventoryAsset({
					CoworkerId: me,
					BusinessId: DEMO.businesses.madrid,
					InventoryAssetId: asset,
					AssignedFrom: '2025-01-10T09:00:00Z',
					AssignedTo: null,
					Notes: null,
				}).Id,
		);
		// The second is refused (a role limited to some locations, say), after the first was ended.
		emulator.faults.add({ method: 'GET', path: `${ENDPOINT}/${ids[1]}`, kind: '403' });
		const [out] = await runNexudusNode({
			parameters: {
				resource: 'coworkerInventoryAsset',
				operation: 'endAssignment',
				scope: 'allOfCoworker',
				coworker: byId(me),
				endDate: '2025-09-30T18:00:00Z',
				options: {},
			},
			store,
			onError: 'continueErrorOutput',
		});
		const endedIds = emulator.db.coworkerInventoryAssets
			.filter((r) => ids.includes(r.Id) && r.AssignedTo)
			.map((r) => r.Id);
		// n8n moves the error items to the error output after the node ran.
		const failed = out.filter((item) => item.json.error);
		const ended = out.filter((item) => !item.json.error);
		figures.push(
			`End All with a 403 on the 2nd of 3: ended ${endedIds.length}, reported failed ${failed.length}`,
		);
		expect(endedIds).toEqual([ids[0], ids[2]]);
		expect(ended.map((item) => item.json.Id)).toEqual([ids[0], ids[2]]);
		expect(failed).toHaveLength(1);
		expect(failed[0].json.error).toBe(
			`Could not end assignment ${ids[1]}: The Nexudus user lacks the CoworkerInventoryAsset-Read role (403)`,
		);
	});
});
