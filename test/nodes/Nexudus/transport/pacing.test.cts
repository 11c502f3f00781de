import { nexudusApiRequest } from '../../../../nodes/Nexudus/transport';
import type { PacingSettings } from '../../../../nodes/Nexudus/transport/pacing';
import {
	ExecutionCancelledError,
	NEXUDUS_PACING,
	PacingLimitError,
	maxWaitMs,
	pacerFor,
	waitFor,
} from '../../../../nodes/Nexudus/transport/pacing';
import { pacingFrom } from '../../../../nodes/Nexudus/helpers/parameters';
import type { Emulator } from '../../../emulator/server.cjs';
import { DEMO, startEmulator } from '../../../emulator/server.cjs';
import type { CredentialStore } from '../../../support/n8nCore.cjs';
import { adminStore, loadOptionsContext, runNexudusNode } from '../../../support/n8nCore.cjs';

const settings = (overrides: Partial<PacingSettings> = {}): PacingSettings => ({
	minIntervalMs: 100,
	writesPerMinute: 60,
	windowMs: 60_000,
	maxRetries: 10,
	...overrides,
});

let keys = 0;
const freshPacer = () => pacerFor(`unit-test-${++keys}|${Math.random()}`);

describe('NEXUDUS_PACING', () => {
	it('holds the documented Nexudus limits', () => {
		expect(NEXUDUS_PACING).toEqual({
			minIntervalMs: 100,
			writesPerMinute: 60,
			maxRetries: 10,
			windowMs: 60_000,
			requestsPerMinute: 120,
			requestsPerHour: 5_000,
			writesPerDay: 5_000,
		});
	});
});

describe('AccountPacer', () => {
	it('is one pacer per account key', () => {
		expect(pacerFor('https://a|x@example.com')).toBe(pacerFor('https://a|x@example.com'));
		expect(pacerFor('https://a|x@example.com')).not.toBe(pacerFor('https://a|y@example.com'));
	});

	it('waits the minimum interval after the previous answer, not after its send', () => {
		const pacer = freshPacer();
		const s = settings();
		expect(pacer.waitBeforeSend(false, s, 1_000)).toBe(0);
		// Sent at 1000, answered at 1_080 (a stalled or slow send): Nexudus saw it by 1_080 at the latest.
		pacer.answered(false, 1_080);
		expect(pacer.waitBeforeSend(false, s, 1_100)).toBe(80);
		expect(pacer.waitBeforeSend(true, s, 1_180)).toBe(0);
		expect(pacer.waitBeforeSend(false, s, 5_000)).toBe(0);
	});

	it('no interval when the minimum is 0', () => {
		const pacer = freshPacer();
		const s = settings({ minIntervalMs: 0 });
		pacer.answered(false, 10);
		expect(pacer.waitBeforeSend(false, s, 10)).toBe(0);
	});

	it('keeps writes under the limit per window (+50 ms margin); reads are not counted', () => {
		const pacer = freshPacer();
		const s = settings({ minIntervalMs: 0, writesPerMinute: 2, windowMs: 1_000 });
		pacer.answered(true, 0);
		pacer.answered(false, 0);
		expect(pacer.waitBeforeSend(true, s, 0)).toBe(0);
		pacer.answered(true, 10);
		expect(pacer.waitBeforeSend(false, s, 10)).toBe(0);
		expect(pacer.waitBeforeSend(true, s, 10)).toBe(1_040);
		pacer.answered(true, 1_060);
		expect(pacer.waitBeforeSend(true, s, 1_060)).toBe(0);
	});

	it('writes per minute 0 turns write pacing off', () => {
		const pacer = freshPacer();
		const s = settings({ minIntervalMs: 0, writesPerMinute: 0, windowMs: 1_000 });
		for (let i = 0; i < 100; i++) pacer.answered(true, 7);
		expect(pacer.waitBeforeSend(true, s, 7)).toBe(0);
	});

	it('forgets writes older than the window', () => {
		const pacer = freshPacer();
		const s = settings({ minIntervalMs: 0, writesPerMinute: 1, windowMs: 1_000 });
		pacer.answered(true, 0);
		expect(pacer.waitBeforeSend(true, s, 500)).toBe(550);
		expect(pacer.waitBeforeSend(true, s, 5_000)).toBe(0);
	});

	it('holdUntil delays everyone on the account, and never moves back', () => {
		const pacer = freshPacer();
		const s = settings({ minIntervalMs: 10 });
		pacer.holdUntil(2_000);
		pacer.holdUntil(1_500);
		expect(pacer.waitBeforeSend(false, s, 1_000)).toBe(1_000);
		expect(pacer.waitBeforeSend(false, s, 2_000)).toBe(0);
	});

	it('runs paced requests one at a time, in the order they came', async () => {
		const pacer = freshPacer();
		const s = settings({ minIntervalMs: 5 });
		const log: string[] = [];
		let inFlight = 0;
		await Promise.all(
			[1, 2, 3].map(
				async (n) =>
					await pacer.run(false, s, async () => {
						inFlight++;
						log.push(`start ${n} (${inFlight} in flight)`);
						await new Promise((resolve) => setTimeout(resolve, 10));
						inFlight--;
					}),
			),
		);
		expect(log).toEqual([
			'start 1 (1 in flight)',
			'start 2 (1 in flight)',
			'start 3 (1 in flight)',
		]);
	});

	it('with pacing off, requests run concurrently', async () => {
		const pacer = freshPacer();
		const s = settings({ minIntervalMs: 0, writesPerMinute: 0 });
		let peak = 0;
		let inFlight = 0;
		await Promise.all(
			[1, 2, 3].map(
				async () =>
					await pacer.run(true, s, async () => {
						peak = Math.max(peak, ++inFlight);
						await new Promise((resolve) => setTimeout(resolve, 10));
						inFlight--;
					}),
			),
		);
		expect(peak).toBe(3);
	});
});

describe('waitFor', () => {
	it('waits about the time asked, and not at all for 0 or less', async () => {
		let start = Date.now();
		await waitFor(120);
		expect(Date.now() - start).toBeGreaterThanOrEqual(115);
		start = Date.now();
		await waitFor(-50);
		await waitFor(0);
		expect(Date.now() - start).toBeLessThan(20);
	});

	it('throws at once when the execution is already cancelled', async () => {
		const controller = new AbortController();
		controller.abort();
		await expect(waitFor(10_000, controller.signal)).rejects.toBeInstanceOf(
			ExecutionCancelledError,
		);
		await expect(waitFor(0, controller.signal)).rejects.toThrow(
			'The execution was cancelled while waiting for Nexudus',
		);
	});

	it('stops a long wait within about 200 ms of the cancel', async () => {
		const controller = new AbortController();
		const start = Date.now();
		setTimeout(() => controller.abort(), 50);
		await expect(waitFor(10_000, controller.signal)).rejects.toBeInstanceOf(
			ExecutionCancelledError,
		);
		expect(Date.now() - start).toBeLessThan(400);
	});
});

describe('every documented Nexudus limit', () => {
	const all = settings({
		minIntervalMs: 0,
		requestsPerMinute: 120,
		requestsPerHour: 5_000,
		writesPerDay: 5_000,
	});

	it('120 requests a minute: the 121st read waits for the oldest to leave the minute', () => {
		const pacer = freshPacer();
		for (let i = 0; i < 120; i++) pacer.answered(false, 1_000 + i * 10, all);
		expect(pacer.nextTurn(false, all, 2_200)).toEqual({
			wait: 1_000 + 60_050 - 2_200,
			limit: '120 requests a minute',
		});
	});

	it('5,000 requests an hour', () => {
		const pacer = freshPacer();
		const hourly = { ...all, requestsPerMinute: 0 };
		for (let i = 0; i < 5_000; i++) pacer.answered(false, i * 100, hourly);
		const turn = pacer.nextTurn(false, hourly, 500_000);
		expect(turn.limit).toBe('5000 requests an hour');
		expect(turn.wait).toBe(3_600_050 - 500_000);
	});

	it('5,000 writes a day; reads still go', () => {
		const pacer = freshPacer();
		const daily = { ...all, writesPerMinute: 0, requestsPerMinute: 0, requestsPerHour: 0 };
		for (let i = 0; i < 5_000; i++) pacer.answered(true, i * 1_000, daily);
		const turn = pacer.nextTurn(true, daily, 5_000_000);
		expect(turn.limit).toBe('5000 writes a day');
		expect(turn.wait).toBe(86_400_050 - 5_000_000);
		expect(pacer.nextTurn(false, daily, 5_000_000).wait).toBe(0);
	});

	it('a wait longer than 15 minutes fails at once with the limit and the wait, sending nothing', async () => {
		const pacer = freshPacer();
		const tiny = {
			...all,
			windowMs: 100,
			writesPerMinute: 0,
			requestsPerMinute: 0,
			requestsPerHour: 0,
			writesPerDay: 2,
		};
		const now = Date.now();
		pacer.answered(true, now, tiny);
		pacer.answered(true, now, tiny);
		let sent = 0;
		const start = Date.now();
		const error = await pacer
			.run(true, { ...tiny, minIntervalMs: 1 }, async () => ++sent)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(PacingLimitError);
		// A day is a day, whatever the Write Window (it no longer scales the other limits).
		expect((error as Error).message).toMatch(
			/^Nexudus's limit of 2 writes a day per account is used up for the next 24\.0 h$/,
		);
		expect(sent).toBe(0);
		expect(Date.now() - start).toBeLessThan(100);
	});

	it("a 409 halves this process's share of every limit, and answers grow it back", () => {
		const pacer = freshPacer();
		const s = settings({ minIntervalMs: 100 });
		pacer.answered(false, 1_000, s);
		expect(pacer.waitBeforeSend(false, s, 1_000)).toBe(100);
		pacer.throttled();
		pacer.throttled();
		expect(pacer.share).toBe(0.5);
		expect(pacer.waitBeforeSend(false, s, 1_000)).toBe(200);
		for (let i = 0; i < 16; i++) pacer.progressed(2_000);
		expect(pacer.share).toBe(1);
	});
});

// --- against the emulator, which enforces the same limits with 409s ------------------------------

const ENDPOINT = '/api/spaces/coworkerinventoryassets';
const LIMITS = { minIntervalMs: 20, writesPerWindow: 3, windowMs: 1_000, retryAfterSeconds: 0.05 };
/** Same limits as the emulator's. */
const PACING: PacingSettings = {
	minIntervalMs: 20,
	writesPerMinute: 3,
	windowMs: 1_000,
	maxRetries: 0,
};

let emulator: Emulator;
let store: CredentialStore;

beforeAll(async () => {
	emulator = await startEmulator({ seed: 'demo' });
	store = adminStore(emulator.url);
	// Log in once without limits, so that the paced requests below are the only ones counted.
	await nexudusApiRequest.call(loadOptionsContext(store), {
		method: 'GET',
		endpoint: '/api/sys/businesses',
		role: 'Business-List',
	});
	expect(store.logins).toBe(1);
});
afterAll(async () => await emulator.close());
beforeEach(async () => {
	emulator.faults.clear();
	emulator.setLimits(LIMITS);
	// Let the pacer's queue from an earlier test drain.
	await new Promise((resolve) => setTimeout(resolve, 60));
	emulator.clearRequests();
});

function gaps(at: number[]): number[] {
	return at.slice(1).map((time, i) => time - at[i]);
}

describe('pacing against an emulator that enforces the same limits', () => {
	it('reads in a row are spaced by the pacing interval, and none is throttled', async () => {
		const ctx = loadOptionsContext(store);
		for (let i = 0; i < 10; i++) {
			await nexudusApiRequest.call(ctx, {
				method: 'GET',
				endpoint: i % 2 ? '/api/sys/businesses' : '/api/spaces/coworkers',
				role: 'Business-List',
				pacing: { ...PACING, minIntervalMs: 40 },
			});
		}
		expect(emulator.requests.map((r) => r.status)).toEqual(Array(10).fill(200));
		const spacing = gaps(emulator.requests.map((r) => r.at));
		for (const gap of spacing) expect(gap).toBeGreaterThanOrEqual(20);
		// The spacing comes from the pacer (40 ms after each answer), not from the round trip.
		expect(
			[...spacing].sort((a, b) => a - b)[Math.floor(spacing.length / 2)],
		).toBeGreaterThanOrEqual(40);
	});

	it('concurrent reads are queued minIntervalMs apart; a rare 409 from timer jitter is retried', async () => {
		const ctx = loadOptionsContext(store);
		const answers = await Promise.all(
			Array.from(
				{ length: 8 },
				async () =>
					await nexudusApiRequest.call(ctx, {
						method: 'GET',
						endpoint: '/api/sys/businesses',
						role: 'Business-List',
						pacing: { ...PACING, maxRetries: 3 },
					}),
			),
		);
		expect(answers).toHaveLength(8);
		const accepted = emulator.requests.filter((r) => r.status === 200);
		expect(accepted).toHaveLength(8);
		for (const gap of gaps(accepted.map((r) => r.at))) expect(gap).toBeGreaterThanOrEqual(20);
	});

	// A stall between deciding to send and the bytes leaving (GC, another workflow's CPU work)
	// must not bunch requests up: the pacer measures from answers, not from send decisions.
	it('keeps requests apart even after an event-loop stall', async () => {
		const ctx = loadOptionsContext(store);
		const stall = setTimeout(() => {
			const until = Date.now() + 80;
			while (Date.now() < until) {
				// busy: the event loop is blocked, as during a long synchronous task
			}
		}, 2);
		try {
			await Promise.all(
				Array.from(
					{ length: 3 },
					async () =>
						await nexudusApiRequest.call(ctx, {
							method: 'GET',
							endpoint: '/api/sys/businesses',
							role: 'Business-List',
							pacing: PACING,
						}),
				),
			);
		} finally {
			clearTimeout(stall);
		}
		expect(emulator.requests.map((r) => r.status)).toEqual([200, 200, 200]);
		for (const gap of gaps(emulator.requests.map((r) => r.at)))
			expect(gap).toBeGreaterThanOrEqual(20);
	});

	it('concurrent writes stay under writesPerWindow per window, and none is throttled', async () => {
		const ctx = loadOptionsContext(store);
		const start = Date.now();
		const answers = (await Promise.all(
			Array.from(
				{ length: 5 },
				async (_, day) =>
					await nexudusApiRequest.call(ctx, {
						method: 'POST',
						endpoint: ENDPOINT,
						role: 'CoworkerInventoryAsset-Create',
						body: {
							CoworkerId: DEMO.coworkers.pabloNavarro,
							BusinessId: DEMO.businesses.madrid,
							InventoryAssetId: DEMO.inventoryAssets.madridChair1,
							AssignedFrom: `2031-03-0${day + 1}T09:00:00Z`,
						},
						pacing: PACING,
					}),
			),
		)) as Array<{ WasSuccessful: boolean; Value: { Id: number } }>;
		expect(answers.map((a) => a.WasSuccessful)).toEqual([true, true, true, true, true]);
		expect(new Set(answers.map((a) => a.Value.Id)).size).toBe(5);
		const writes = emulator.requests.filter((r) => r.method === 'POST');
		expect(writes.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
		const at = writes.map((r) => r.at);
		for (let i = 3; i < at.length; i++) expect(at[i] - at[i - 3]).toBeGreaterThanOrEqual(1_000);
		for (const gap of gaps(at)) expect(gap).toBeGreaterThanOrEqual(20);
		expect(Date.now() - start).toBeGreaterThanOrEqual(1_000);
	});

	it('the node paces its items by the Options interval (runNexudusNode), with no 409', async () => {
		const [out] = await runNexudusNode({
			parameters: {
				resource: 'coworkerInventoryAsset',
				operation: 'create',
				coworker: { __rl: true, mode: 'id', value: DEMO.coworkers.martaGil },
				location: { __rl: true, mode: 'id', value: DEMO.businesses.madrid },
				inventoryAsset: { __rl: true, mode: 'id', value: DEMO.inventoryAssets.madridMonitor1 },
				assignedFrom: '={{ $json.from }}',
				// Items assign the same asset on purpose: no If Already Assigned check (default Skip).
				ifAssigned: 'createAnyway',
				additionalFields: {},
				options: { minIntervalMs: 40, maxRetries: 0 },
			},
			items: [1, 2, 3].map((n) => ({ from: `2031-04-0${n}T09:00:00Z` })),
			store,
		});
		expect(out.map((item) => typeof item.json.Id)).toEqual(['number', 'number', 'number']);
		// The asset's location check (one read per run), then the three creates.
		expect(emulator.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
			'GET 200',
			'POST 200',
			'POST 200',
			'POST 200',
		]);
		const spacing = gaps(emulator.requests.map((r) => r.at));
		for (const gap of spacing) expect(gap).toBeGreaterThanOrEqual(20);
		expect(Math.max(...spacing)).toBeGreaterThanOrEqual(40);
	});

	it('a 409 holds the whole account for Retry-After, then the request goes through', async () => {
		emulator.setLimits({ ...LIMITS, retryAfterSeconds: 0.3 });
		emulator.faults.add({ method: 'GET', path: '/api/sys/businesses', kind: '409' });
		const ctx = loadOptionsContext(store);
		const [a, b] = await Promise.all([
			nexudusApiRequest.call(ctx, {
				method: 'GET',
				endpoint: '/api/sys/businesses',
				role: 'Business-List',
				pacing: { ...PACING, maxRetries: 2 },
			}),
			(async () => {
				await new Promise((resolve) => setTimeout(resolve, 5));
				return await nexudusApiRequest.call(ctx, {
					method: 'GET',
					endpoint: '/api/spaces/coworkers',
					role: 'Coworker-List',
					pacing: { ...PACING, maxRetries: 2 },
				});
			})(),
		]);
		expect(a).toBeDefined();
		expect(b).toBeDefined();
		const [throttled, ...rest] = emulator.requests;
		expect(throttled.status).toBe(409);
		// The other caller was queued behind the hold too (its slot was reserved before the 409
		// came back, so it may go first); every request after the 409 answer respects the hold.
		const later = rest.filter((r) => r.at - throttled.at > 100);
		expect(later.length).toBeGreaterThanOrEqual(1);
		const resend = rest.find((r) => r.path === '/api/sys/businesses')!;
		expect(resend.status).toBe(200);
		expect(resend.at - throttled.at).toBeGreaterThanOrEqual(295);
	});
});

describe('issue 20 point 7: the read limits hold whatever Request Interval and Write Window say', () => {
	const reads = { ...NEXUDUS_PACING, minIntervalMs: 0 };

	it('Request Interval 0 keeps 120 requests a minute: the 121st read waits for the minute', async () => {
		const pacer = freshPacer();
		let sent = 0;
		await Promise.all(
			Array.from({ length: 120 }, () => pacer.run(false, reads, async () => ++sent)),
		);
		expect(sent).toBe(120);
		const { wait, limit } = pacer.nextTurn(false, reads, Date.now());
		expect(limit).toBe('120 requests a minute');
		expect(wait).toBeGreaterThan(55_000);
	});

	it('Write Window 1 s scales Writes per Minute only: not the read limits, not the longest wait', () => {
		const pacer = freshPacer();
		const oneSecond = { ...NEXUDUS_PACING, minIntervalMs: 0, windowMs: 1_000 };
		const now = 1_000_000;
		for (let i = 0; i < 120; i++) pacer.answered(false, now, oneSecond);
		expect(pacer.nextTurn(false, oneSecond, now + 2_000).wait).toBe(60_050 - 2_000);
		expect(maxWaitMs(oneSecond)).toBe(5 * 60_000);
		expect(maxWaitMs({ ...NEXUDUS_PACING, windowMs: 3_600_000, maxRequestMs: 3_600_000 })).toBe(
			15 * 60_000,
		);
	});

	it('numbers given as text are read; other text, negatives and fractions of whole options are refused', () => {
		expect(
			pacingFrom({ minIntervalMs: '250', maxRetries: ' 3 ', writeWindowSeconds: '0.5' }),
		).toMatchObject({
			minIntervalMs: 250,
			maxRetries: 3,
			windowMs: 500,
		});
		expect(() => pacingFrom({ minIntervalMs: 'fast' })).toThrow('Invalid Request Interval: "fast"');
		expect(() => pacingFrom({ maxRetries: -1 })).toThrow('Invalid Max Retries: -1');
		expect(() => pacingFrom({ writesPerMinute: 1.5 })).toThrow('Invalid Writes per Minute: 1.5');
		expect(() => pacingFrom({ timeoutSeconds: '' })).toThrow('Invalid Timeout (Seconds): ""');
		expect(() => pacingFrom({ maxRequestSeconds: 0 })).toThrow('Invalid Max Time per Request: 0');
	});
});
