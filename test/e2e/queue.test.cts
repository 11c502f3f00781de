// n8n's queue mode for real: Redis, PostgreSQL, a main process receiving 50 onboarding events
// and two `n8n worker` processes running the executions, all on one Nexudus account (the
// emulator enforcing every documented limit, time-scaled, with one session per client ID).
// Twice: the events posted to n8n's Webhook node, then as Nexudus sends them to the Nexudus
// Trigger (members created, signed deliveries to the webhook the main process registered).
// Each n8n process installs the package as the docker compose recipe does (test/e2e/queue.cts;
// test/e2e/queueInstall.test.cts checks that install on its own, webhook process included).
// Needs redis-server and PostgreSQL (Debian packages; .ci/run installs them).
import {
	floorMs,
	runQueueScenario,
	scaledNexudusLimits,
	type QueueFigures,
	type QueueLoad,
} from './fixtures/queueScenario.cjs';

/**
 * Nexudus's own minute: the node paces reads by the real 120 a minute and 5,000 an hour whatever
 * its Write Limit Window says (issue 20), so a time-scaled emulator would measure a floor the node
 * may not use. Each scenario takes about 4 minutes.
 */
const SCALE = 1;
const EVENTS = 50;
const WORKERS = 2;

describe('the floor the limits allow', () => {
	const limits = scaledNexudusLimits(1);
	it('is the interval alone while no per-minute limit is reached', () => {
		expect(floorMs(10, 0, limits)).toBeCloseTo(900, 0);
	});
	it('waits a minute for each 120 requests past the first 120', () => {
		// 121 requests: 120 at 100 ms apart, the 121st when the first leaves the minute.
		expect(floorMs(121, 0, limits)).toBeCloseTo(60_000, 0);
		expect(floorMs(450, 150, limits)).toBeCloseTo(3 * 60_000 + 89 * 100, 0);
	});
	it('counts writes against their own limit: 61 writes take a minute even with few requests', () => {
		expect(floorMs(61, 61, limits)).toBeCloseTo(60_000, 0);
	});
});

/** The goals of the issue, the same whichever way the events come in. */
function burstGoals(
	via: QueueLoad,
	title: string,
	extra: (figures: () => QueueFigures) => void = () => undefined,
) {
	describe(title, () => {
		let figures: QueueFigures;

		beforeAll(async () => {
			figures = await runQueueScenario({
				via,
				scale: SCALE,
				events: EVENTS,
				assetsPerEvent: 3,
				workers: WORKERS,
				log: (line) => process.stderr.write(`[queue ${via}] ${line}\n`),
			});
			console.log(
				`queue mode via ${via}: ${JSON.stringify({
					...figures,
					errorItems: figures.errorItems.slice(0, 5),
					trigger: figures.trigger && {
						...figures.trigger,
						deliveriesNot2xx: figures.trigger.deliveriesNot2xx.slice(0, 5),
					},
				})}`,
			);
		}, 900_000);

		it('every event started an execution and every execution succeeded (read from n8n)', () => {
			expect(figures.webhookFailures).toEqual([]);
			expect(figures.statuses).toEqual({ success: EVENTS });
		});

		it('every assignment exactly once: 150 distinct (coworker, asset) records, none lost, none twice', () => {
			expect({
				created: figures.created,
				lost: figures.lost,
				duplicated: figures.duplicated,
			}).toEqual({
				created: EVENTS * 3,
				lost: 0,
				duplicated: 0,
			});
		});

		it('no item failed (none "kept throttling")', () => {
			expect(figures.errorItems).toEqual([]);
		});

		it('at most one login per worker: the workers never void each other', () => {
			// Through the trigger, the workers may start on the token the main process got at activation.
			expect(figures.logins).toBeGreaterThanOrEqual(via === 'webhook' ? 1 : 0);
			expect(figures.logins).toBeLessThanOrEqual(WORKERS);
			for (const count of Object.values(figures.loginsByClient)) expect(count).toBe(1);
		});

		it('the burst finishes within 1.2x the floor of the requests it needed', () => {
			// Each create: the asset's location check, the open-assignment check, the POST.
			expect(figures.writesAdmitted).toBe(EVENTS * 3);
			expect(figures.requestsAdmitted).toBeGreaterThanOrEqual(EVENTS * 3 * 3);
			expect(figures.ratio).toBeLessThanOrEqual(1.2);
		});

		extra(() => figures);
	});
}

burstGoals('webhook', 'n8n 2.x in queue mode: main + two workers on one Nexudus account');

burstGoals(
	'trigger',
	'n8n 2.x in queue mode, events from the Nexudus Trigger: main + two workers on one Nexudus account',
	(figures) => {
		it('the main process registered the webhook at start, once: one per event × location, still there after', () => {
			const trigger = figures().trigger!;
			expect(trigger).toBeDefined();
			expect(trigger.webhooksExpected).toBe(1);
			expect({ created: trigger.webhooksCreated, after: trigger.webhooksAfter }).toEqual({
				created: 1,
				after: 1,
			});
			// One login for the registration (the credential had no token yet).
			expect(trigger.activationLogins).toBe(1);
		});

		it('Nexudus delivered each event once, signed, and every delivery was answered 2xx', () => {
			const trigger = figures().trigger!;
			expect(trigger.deliveriesNot2xx).toEqual([]);
			expect(trigger.deliveryAttempts).toBe(EVENTS);
		});
	},
);
