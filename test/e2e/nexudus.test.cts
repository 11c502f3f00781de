// The built package, installed in real n8n from its npm tarball, against the emulator.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import type { Emulator, RecordedRequest } from '../emulator/server.cjs';
import { DEMO, startEmulator } from '../emulator/server.cjs';
import { nexudusHome, workflowOf } from './fixtures/nexudus.cjs';
import type { ExecutionResult, N8nHome, N8nMajor } from './n8n.cjs';
import {
	executeWorkflow,
	executeWorkflows,
	importWorkflows,
	outputItems,
	removeTempDirs,
} from './n8n.cjs';

const REPO = path.resolve(__dirname, '..', '..');
const ENDPOINT = '/api/spaces/coworkerinventoryassets';
const CREDENTIAL = { id: 'nexudusE2e00001', name: 'Nexudus (e2e emulator)' };
const SLOW = 300_000;
const { businesses, coworkers, inventoryAssets: assets } = DEMO;

afterAll(() => removeTempDirs());

/** The Nexudus node set to create, reading each field from the item. */
function nexudusWorkflow(
	id: string,
	items: object[],
	parameters: Record<string, unknown>,
	extra: { onError?: string; timezone?: string } = {},
) {
	return workflowOf(
		id,
		items,
		{
			operation: 'create',
			coworker: { __rl: true, mode: 'id', value: '={{ $json.coworker }}' },
			location: { __rl: true, mode: 'id', value: '={{ $json.location }}' },
			inventoryAsset: { __rl: true, mode: 'id', value: '={{ $json.asset }}' },
			assignedFrom: '={{ $json.from }}',
			// Items assign the same asset on purpose: no If Already Assigned check (default Skip).
			ifAssigned: 'createAnyway',
			additionalFields: { notes: '={{ $json.note }}' },
			...parameters,
		},
		{ ...extra, credential: CREDENTIAL },
	);
}

function item(note: string, from: string, overrides: Record<string, unknown> = {}) {
	return {
		coworker: coworkers.luciaFernandez,
		location: businesses.madrid,
		asset: assets.madridChair1,
		from,
		note,
		...overrides,
	};
}

const BATCH = [
	item('batch-ok-1', '2025-02-01 09:00'),
	item('batch-bad-date', 'someday'),
	item('batch-unknown-coworker', '2025-02-01', { coworker: 99999999 }),
	item('batch-ok-2', '2025-02-02 09:00'),
	item('batch-wrong-location', '2025-02-03', { asset: assets.newYorkChair1 }),
];

function createsWithNote(emulator: Emulator, prefix: string): RecordedRequest[] {
	return emulator.requests.filter(
		(r) =>
			r.method === 'POST' &&
			r.path === ENDPOINT &&
			String((r.body as { Notes?: string } | undefined)?.Notes ?? '').startsWith(prefix),
	);
}

function storedWithNote(emulator: Emulator, prefix: string) {
	return emulator.db.coworkerInventoryAssets.filter((r) => String(r.Notes ?? '').startsWith(prefix));
}

// Never skipped: without the pinned n8n every test fails with the command that installs it.
const majors: N8nMajor[] = [2, 1];

describe.each(majors)('Nexudus node in real n8n %d.x', (major) => {
	let emulator: Emulator;
	let home: N8nHome;
	let results: Record<string, ExecutionResult>;
	let onboardingAgainCreates = -1;
	let onboardingAgainRequests: string[] = [];
	const ids = {
		onboarding: 'nexudusOnboarding01',
		errorOutput: `e2eErrOut${major}0001`,
		continueRegular: `e2eContinue${major}001`,
		timezones: `e2eTimezones${major}01`,
		tokenExpiry: `e2eTokenExp${major}001`,
		throttled: `e2eThrottle${major}001`,
		stop: `e2eStop${major}000001`,
	};

	beforeAll(async () => {
		emulator = await startEmulator({
			seed: 'demo',
			// Mid-run token expiry: the third create of that workflow finds its token gone.
			onRequest: (request) => {
				const notes = String((request.body as { Notes?: string } | undefined)?.Notes ?? '');
				if (request.method === 'POST' && notes === 'token-2' && request.status === 200) {
					emulator.expireAllTokens();
				}
			},
		});
		home = await nexudusHome(major, emulator.url, CREDENTIAL);
		const onboarding = JSON.parse(
			readFileSync(path.join(REPO, 'examples', 'onboarding-starter-kit.json'), 'utf8'),
		);
		onboarding.nodes.find((n: { name: string }) => n.name === 'Assign asset').credentials = {
			nexudusOAuth2Api: CREDENTIAL,
		};
		const tokenItems = [1, 2, 3, 4].map((n) =>
			item(`token-${n}`, `2025-04-0${n} 09:00`, { asset: assets.madridMonitor1 }),
		);
		const throttledItems = [1, 2, 3, 4, 5, 6].map((n) =>
			item(`throttle-${n}`, `2025-05-0${n} 09:00`, { asset: assets.madridLocker1 }),
		);
		await importWorkflows(home, [
			onboarding,
			nexudusWorkflow(ids.errorOutput, BATCH, {}, { onError: 'continueErrorOutput' }),
			nexudusWorkflow(
				ids.continueRegular,
				BATCH.map((i) => ({ ...i, note: i.note.replace('batch', 'regular') })),
				{},
				{ onError: 'continueRegularOutput' },
			),
			nexudusWorkflow(
				ids.timezones,
				[
					// Madrid: CET (+01:00) before 2025-03-30, CEST (+02:00) after.
					item('tz-madrid-winter', '2025-03-29 10:00'),
					item('tz-madrid-summer', '2025-03-31 10:00'),
					item('tz-offset-wins', '2025-03-31T10:00:00-05:00'),
				],
				{},
				{ timezone: 'Europe/Madrid' },
			),
			nexudusWorkflow(
				`${ids.timezones}ny`,
				[
					// New York: EDT (-04:00) until 2025-11-02 02:00, EST (-05:00) after.
					item('tz-ny-summer', '2025-11-01 10:00'),
					item('tz-ny-winter', '2025-11-03 10:00'),
				],
				{},
				{ timezone: 'America/New_York' },
			),
			nexudusWorkflow(ids.tokenExpiry, tokenItems, {}),
			nexudusWorkflow(ids.throttled, throttledItems, {}),
			nexudusWorkflow(ids.stop, BATCH.map((i) => ({ ...i, note: i.note.replace('batch', 'stop') })), {}),
		]);
		// Throttling in the middle of a run: 2 writes per 2 s window, 409 with Retry-After: 1.
		const start = Date.now();
		results = await executeWorkflows(home, [
			ids.onboarding,
			ids.errorOutput,
			ids.continueRegular,
			ids.timezones,
			`${ids.timezones}ny`,
			ids.tokenExpiry,
		]);
		emulator.setLimits({ minIntervalMs: 100, writesPerWindow: 2, windowMs: 2000, retryAfterSeconds: 1 });
		Object.assign(results, await executeWorkflows(home, [ids.throttled]));
		emulator.setLimits(false);
		results[ids.stop] = await executeWorkflow(home, ids.stop);
		// The same HR event again (a re-run, a repeated webhook): nothing may be assigned twice.
		const before = emulator.requests.length;
		results.onboardingAgain = await executeWorkflow(home, ids.onboarding);
		const again = emulator.requests.slice(before);
		onboardingAgainCreates = again.filter((r) => r.method === 'POST' && r.path === ENDPOINT).length;
		onboardingAgainRequests = again.filter((r) => r.path !== '/api/token').map((r) => `${r.method} ${r.path}`);
		// eslint-disable-next-line no-console
		console.log(`n8n ${major}.x: e2e workflows ran in ${Math.round((Date.now() - start) / 1000)} s`);
	}, SLOW * 2);

	afterAll(async () => await emulator?.close());

	it('onboarding example: from an email, a location name and kit kinds, assigns a free desk, chair and monitor', () => {
		const result = results[ids.onboarding];
		expect(result.ok).toBe(true);
		const assigned = outputItems(result, 'Assign asset', 0);
		// The lowest free Id of each kind at Madrid: monitor 3012 is Lucía's, and chair 3009 went to
		// her in the batch workflows that ran before (executeBatch runs in Id order).
		expect(assigned.map((i) => [i.json.InventoryAssetId, i.json.InventoryAssetName])).toEqual([
			[3001, 'Hot desk 01'],
			[3010, 'Ergonomic chair Herman Miller Aeron 02'],
			[3013, 'Monitor Dell U2723QE 27" 02'],
		]);
		for (const { json } of assigned) {
			expect(json.Id).toEqual(expect.any(Number));
			expect(json.CoworkerId).toBe(coworkers.janeDoe);
			expect(emulator.db.coworkerInventoryAsset(json.Id)?.CoworkerId).toBe(coworkers.janeDoe);
			// 09:00 in Europe/Madrid (the example's time zone) in winter is 08:00 UTC.
			expect(json.AssignedFrom).toBe('2026-01-12T08:00:00Z');
		}
		expect(outputItems(result, 'Assign asset', 1)).toEqual([]);
	});

	it('onboarding example run again for the same member: creates nothing, every item skipped with its assignment', () => {
		const result = results.onboardingAgain;
		expect(result.ok).toBe(true);
		expect(onboardingAgainCreates).toBe(0);
		// 3 + N requests for N = 1 member: her email, the locations, the location's assets and assignments.
		expect(onboardingAgainRequests).toEqual([
			'GET /api/spaces/coworkers',
			'GET /api/sys/businesses',
			'GET /api/spaces/inventoryassets',
			`GET ${ENDPOINT}`,
		]);
		const first = outputItems(results[ids.onboarding], 'Assign asset', 0);
		const again = outputItems(result, 'Assign asset', 0);
		expect(again.map((i) => [i.json.skipped, i.json.Id, i.json.InventoryAssetId])).toEqual(
			first.map((i) => [true, i.json.Id, i.json.InventoryAssetId]),
		);
		expect(again[0].json.reason).toMatch(/^Coworker 2021 already holds Hot desk 01 \(MAD-HDK-01\), which matches "desk", at Madrid - Gran Vía by assignment \d+/);
		expect(emulator.db.coworkerInventoryAssets.filter((r) => r.CoworkerId === coworkers.janeDoe)).toHaveLength(3);
	});

	it('Continue (using error output): good items on output 0, bad ones on output 1 with the reason and the input fields', () => {
		const result = results[ids.errorOutput];
		expect(result.ok).toBe(true);
		const ok = outputItems(result, 'Nexudus', 0);
		const failed = outputItems(result, 'Nexudus', 1);
		expect(ok.map((i) => i.json.Notes)).toEqual(['batch-ok-1', 'batch-ok-2']);
		expect(ok.every((i) => typeof i.json.Id === 'number')).toBe(true);
		expect(failed.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }, { item: 4 }]);
		// n8n merges the input item's fields into each error item.
		expect(failed.map((i) => i.json.note)).toEqual([
			'batch-bad-date',
			'batch-unknown-coworker',
			'batch-wrong-location',
		]);
		expect(failed[2].json.asset).toBe(assets.newYorkChair1);
		expect(failed[0].json.message).toContain('Use ISO 8601');
		expect(failed[0].json.error).toBe('Invalid Assigned From: "someday"');
		expect(failed[1].json.error).toMatch(/^Coworker: /);
		expect(failed[1].json.message).toContain('(sent: 99999999)');
		// Checked before sending: the asset's site and the chosen one, by name.
		expect(failed[2].json.error).toMatch(/is at New York - SoHo, not at Madrid - Gran Vía$/);
		// Bad input is never sent; what Nexudus refused is not stored.
		expect(createsWithNote(emulator, 'batch-bad-date')).toHaveLength(0);
		expect(storedWithNote(emulator, 'batch-')).toHaveLength(2);
	});

	it('Continue: error items stay on the main output, in order', () => {
		const result = results[ids.continueRegular];
		expect(result.ok).toBe(true);
		const out = outputItems(result, 'Nexudus', 0);
		expect(out.map((i) => (i.json.error ? `error: ${String(i.json.error)}` : `Id ${typeof i.json.Id}`))).toEqual([
			'Id number',
			'error: Invalid Assigned From: "someday"',
			expect.stringMatching(/^error: Coworker: /),
			'Id number',
			expect.stringContaining('is at New York - SoHo, not at Madrid - Gran Vía'),
		]);
		expect(storedWithNote(emulator, 'regular-')).toHaveLength(2);
	});

	it('stop on error: the execution fails, naming the item, after creating the items before it', () => {
		const result = results[ids.stop];
		expect(result.ok).toBe(false);
		expect(result.error?.node).toBe('Nexudus');
		expect(result.error?.message).toContain('Invalid Assigned From: "someday"');
		// n8n's own run report carries the failing item's index.
		expect(result.stdout).toMatch(/"itemIndex":\s*1\b/);
		expect(storedWithNote(emulator, 'stop-').map((r) => r.Notes)).toEqual(['stop-ok-1']);
	});

	it('dates typed in the workflow time zone reach Nexudus as the right UTC instants, across DST', () => {
		expect(results[ids.timezones].ok).toBe(true);
		expect(results[`${ids.timezones}ny`].ok).toBe(true);
		const sent = (note: string) =>
			(createsWithNote(emulator, note)[0]?.body as { AssignedFrom?: string } | undefined)?.AssignedFrom;
		expect(sent('tz-madrid-winter')).toBe('2025-03-29T09:00:00Z');
		expect(sent('tz-madrid-summer')).toBe('2025-03-31T08:00:00Z');
		expect(sent('tz-offset-wins')).toBe('2025-03-31T15:00:00Z');
		expect(sent('tz-ny-summer')).toBe('2025-11-01T14:00:00Z');
		expect(sent('tz-ny-winter')).toBe('2025-11-03T15:00:00Z');
	});

	it('the token expiring mid-run: the node logs in again and nothing is lost or doubled', () => {
		const result = results[ids.tokenExpiry];
		expect(result.ok).toBe(true);
		expect(outputItems(result, 'Nexudus', 0).map((i) => i.json.Notes)).toEqual([
			'token-1',
			'token-2',
			'token-3',
			'token-4',
		]);
		// Refused once; the next send logs in first (no resend with the refused token).
		expect(createsWithNote(emulator, 'token-3').map((r) => r.status)).toEqual([401, 200]);
		expect(storedWithNote(emulator, 'token-').map((r) => r.Notes)).toEqual([
			'token-1',
			'token-2',
			'token-3',
			'token-4',
		]);
	});

	it('throttling (409) mid-run: every item is created exactly once', () => {
		const result = results[ids.throttled];
		expect(result.ok).toBe(true);
		expect(outputItems(result, 'Nexudus', 0)).toHaveLength(6);
		const statuses = createsWithNote(emulator, 'throttle-').map((r) => r.status);
		expect(statuses.filter((s) => s === 409).length).toBeGreaterThan(0);
		expect(statuses.filter((s) => s === 200)).toHaveLength(6);
		expect(storedWithNote(emulator, 'throttle-').map((r) => r.Notes)).toEqual(
			[1, 2, 3, 4, 5, 6].map((n) => `throttle-${n}`),
		);
	});
});
