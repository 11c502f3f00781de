// The Nexudus behaviours where n8n's own code takes part, in real n8n 2.x with the package from
// its tarball: a redirect to another origin (n8n's HTTP stack), and two n8n processes on one
// account and one credential store (n8n saves each new token there), as queue-mode workers are.
import { DEMO, startEmulator, type Emulator } from '../emulator/server.cjs';
import { startRedirectTarget, type RedirectTarget } from '../emulator/redirect.cjs';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { REPO, nexudusHome, workflowOf } from './fixtures/nexudus.cjs';
import {
	executeWorkflow,
	importWorkflows,
	outputItems,
	ownPorts,
	removeTempDirs,
	type ExecutionResult,
	type N8nHome,
} from './n8n.cjs';

const SLOW = 300_000;
const ENDPOINT = '/api/spaces/coworkerinventoryassets';
const CREDENTIAL = { id: 'nexudusReliab01', name: 'Nexudus (reliability)' };
const PER_PROCESS = 40;
const MADRID_MONITOR_2 = 3013;

let emulator: Emulator;
let home: N8nHome;

beforeAll(async () => {
	emulator = await startEmulator({ seed: 'demo' });
	home = await nexudusHome(2, emulator.url, CREDENTIAL);
}, SLOW);
afterAll(async () => {
	await emulator?.close();
	removeTempDirs();
});

function creates(id: string, label: string, count: number, month: number) {
	const items = Array.from({ length: count }, (_, i) => ({
		note: `${label}-${i}`,
		from: `2035-${String(month).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}T${String(8 + Math.floor(i / 28)).padStart(2, '0')}:00:00Z`,
	}));
	const workflow = workflowOf(
		id,
		items,
		{
			operation: 'create',
			coworker: { __rl: true, mode: 'id', value: DEMO.coworkers.oliviaBennett },
			location: { __rl: true, mode: 'id', value: DEMO.businesses.newYork },
			inventoryAsset: { __rl: true, mode: 'id', value: DEMO.inventoryAssets.newYorkHotDesk1 },
			assignedFrom: '={{ $json.from }}',
			// Items assign the same asset on purpose: no If Already Assigned check (default Skip).
			ifAssigned: 'createAnyway',
			additionalFields: { notes: '={{ $json.note }}' },
			// Nexudus's limits with the minute as 2 s, as the emulator plays them below.
			options: { writeWindowSeconds: 2, minIntervalMs: 10 },
		},
		{ credential: CREDENTIAL, onError: 'continueErrorOutput' },
	);
	return { workflow, items };
}

const stored = (note: string) =>
	emulator.db.coworkerInventoryAssets.filter((r) => r.Notes === note);

/** The onboarding example as a user runs it: Stop Workflow on error, the given kit. */
function onboarding(id: string, kit: string[]) {
	const workflow = JSON.parse(
		readFileSync(path.join(REPO, 'examples', 'onboarding-starter-kit.json'), 'utf8'),
	) as { id: string; nodes: Array<Record<string, any>> };
	workflow.id = id;
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-nexudus.nexudus') {
			delete node.onError;
			node.credentials = { nexudusOAuth2Api: CREDENTIAL };
		}
		for (const field of node.parameters?.assignments?.assignments ?? []) {
			if (field.name === 'kit') field.value = JSON.stringify(kit);
		}
	}
	return workflow;
}

describe('in real n8n 2.x', () => {
	it(
		'the Base URL answers 307 to another origin, on /api/token and then on the create: nothing reaches it',
		async () => {
			const target: RedirectTarget = await startRedirectTarget();
			try {
				const login = creates('e2eReliabRedir1', 'redirect-login', 1, 1);
				const create = creates('e2eReliabRedir2', 'redirect-create', 1, 2);
				await importWorkflows(home, [login.workflow, create.workflow]);

				emulator.setSwitches({ redirect: { to: target.url, paths: [/^\/api\/token$/] } });
				const first = await executeWorkflow(home, 'e2eReliabRedir1');
				const [loginError] = outputItems(first, 'Nexudus', 1);
				expect(String(loginError?.json.error)).toContain(`redirect to ${target.url}`);

				emulator.setSwitches({
					redirect: { to: target.url, paths: [new RegExp(`^${ENDPOINT}$`)] },
				});
				const second = await executeWorkflow(home, 'e2eReliabRedir2');
				const [createError] = outputItems(second, 'Nexudus', 1);
				expect(String(createError?.json.error)).toBe(
					`Nexudus answered 307 with a redirect to ${target.url}; the node does not follow it`,
				);
				expect(outputItems(second, 'Nexudus', 0)).toEqual([]);

				expect(target.received).toEqual([]);
				expect(stored('redirect-create-0')).toHaveLength(0);
			} finally {
				emulator.setSwitches({ redirect: false });
				await target.close();
			}
		},
		SLOW,
	);

	it(
		'a half-failed onboarding run again after the fix: the assets already assigned are skipped, none twice',
		async () => {
			emulator.setLimits(false);
			// First run: Madrid has no "sofa", so the third item stops the run.
			await importWorkflows(home, [
				onboarding('e2eReliabRerun1', ['desk', 'chair', 'sofa']),
				// The example's own kit.
				onboarding('e2eReliabRerun2', ['desk', 'chair', 'monitor']),
			]);
			const first = await executeWorkflow(home, 'e2eReliabRerun1');
			expect(first.ok).toBe(false);
			expect(first.error?.message).toBe(
				'No free inventory asset matches "sofa" at Madrid - Gran Vía',
			);
			const held = () =>
				emulator.db.coworkerInventoryAssets.filter(
					(r) =>
						r.CoworkerId === DEMO.coworkers.janeDoe && r.AssignedFrom === '2026-01-12T08:00:00Z',
				);
			expect(held()).toHaveLength(2);
			// Run again with the monitor fixed: desk and chair come out skipped, the monitor is made.
			const second = await executeWorkflow(home, 'e2eReliabRerun2');
			expect(second.ok).toBe(true);
			const out = outputItems(second, 'Assign asset', 0);
			expect(out.map((item) => Boolean(item.json.skipped))).toEqual([true, true, false]);
			expect(
				held()
					.map((r) => r.InventoryAssetId)
					.sort(),
			).toEqual([3001, 3009, MADRID_MONITOR_2].sort());
		},
		SLOW,
	);

	it(
		"issue 20 point 5: a 2xx that is not Nexudus's JSON is never a success (maintenance page, captive portal)",
		async () => {
			emulator.setLimits(false);
			const fast = { minIntervalMs: 0, maxRetries: 2, timeoutSeconds: 2 };
			const byId = (value: number) => ({ __rl: true, mode: 'id', value });
			const open = emulator.db.coworkerInventoryAssets.find((r) => !r.AssignedTo)!;
			const before = emulator.db.coworkerInventoryAssets.length;
			const run = (id: string, parameters: Record<string, unknown>) =>
				workflowOf(
					id,
					[{}],
					{ options: fast, ...parameters },
					{ credential: CREDENTIAL, onError: 'continueErrorOutput' },
				);
			await importWorkflows(home, [
				run('e2eReliabHtml01', { operation: 'getAll', returnAll: true }),
				run('e2eReliabHtml02', { operation: 'delete', coworkerInventoryAsset: byId(open.Id) }),
				run('e2eReliabHtml03', {
					operation: 'create',
					coworker: byId(DEMO.coworkers.oliviaBennett),
					location: byId(open.BusinessId),
					inventoryAsset: byId(open.InventoryAssetId),
					assignedFrom: '2037-01-01T09:00:00Z',
					ifAssigned: 'skip',
					additionalFields: {},
				}),
				run('e2eReliabHtml04', {
					operation: 'create',
					coworker: byId(DEMO.coworkers.oliviaBennett),
					location: byId(DEMO.businesses.newYork),
					inventoryAsset: byId(DEMO.inventoryAssets.newYorkHotDesk1),
					assignedFrom: '2037-02-01T09:00:00Z',
					ifAssigned: 'createAnyway',
					additionalFields: { notes: 'html-after-write' },
				}),
				run('e2eReliabHtml05', {
					resource: 'inventoryAsset',
					operation: 'update',
					inventoryAsset: byId(DEMO.inventoryAssets.newYorkMonitor1),
					updateFields: { description: 'checked' },
				}),
			]);
			const list = new RegExp(`^${ENDPOINT}$`);
			const record = new RegExp(`^${ENDPOINT}/\\d+$`);
			try {
				// Get Many: an error naming the page, not 0 items.
				emulator.setSwitches({ foreignPages: { paths: [list], methods: ['GET'] } });
				const many = await executeWorkflow(home, 'e2eReliabHtml01');
				expect(outputItems(many, 'Nexudus', 0)).toEqual([]);
				expect(String(outputItems(many, 'Nexudus', 1)[0]?.json.error)).toContain(
					'is not Nexudus\'s: an HTML page (HTTP 200, text/html) starting "<!DOCTYPE html>',
				);

				// If Already Assigned = Skip: the overlap check cannot be read, so nothing is created.
				emulator.clearRequests();
				const skip = await executeWorkflow(home, 'e2eReliabHtml03');
				expect(String(outputItems(skip, 'Nexudus', 1)[0]?.json.error)).toContain(
					"is not Nexudus's",
				);
				expect(emulator.requests.filter((r) => r.method === 'POST' && r.path === ENDPOINT)).toEqual(
					[],
				);
				expect(emulator.db.coworkerInventoryAssets).toHaveLength(before);

				// Delete: no deleted: true while the record is still there.
				emulator.setSwitches({ foreignPages: { paths: [record], methods: ['DELETE'] } });
				const deleted = await executeWorkflow(home, 'e2eReliabHtml02');
				expect(outputItems(deleted, 'Nexudus', 0)).toEqual([]);
				expect(String(outputItems(deleted, 'Nexudus', 1)[0]?.json.error)).toContain(
					"is not Nexudus's",
				);
				expect(emulator.db.coworkerInventoryAssets.some((r) => r.Id === open.Id)).toBe(true);

				// Update: its read answered by the page, nothing is sent (SKU and Value kept).
				const asset = emulator.db.inventoryAssets.find(
					(a) => a.Id === DEMO.inventoryAssets.newYorkMonitor1,
				)!;
				const kept = [asset.Sku, asset.Value];
				emulator.setSwitches({
					foreignPages: { paths: [/^\/api\/spaces\/inventoryassets\/\d+$/], methods: ['GET'] },
				});
				emulator.clearRequests();
				const update = await executeWorkflow(home, 'e2eReliabHtml05');
				expect(String(outputItems(update, 'Nexudus', 1)[0]?.json.error)).toContain(
					"is not Nexudus's",
				);
				expect(emulator.requests.filter((r) => r.method === 'PUT')).toEqual([]);
				expect([asset.Sku, asset.Value]).toEqual(kept);

				// A create answered by the page after it was applied: looked up, one record, its Id.
				emulator.setSwitches({ foreignPages: false });
				emulator.faults.add({ method: 'POST', path: ENDPOINT, kind: 'html-200-after-write' });
				const create = await executeWorkflow(home, 'e2eReliabHtml04');
				const made = stored('html-after-write');
				expect(made).toHaveLength(1);
				expect(outputItems(create, 'Nexudus', 0)[0]?.json.Id).toBe(made[0].Id);
			} finally {
				emulator.setSwitches({ foreignPages: false });
				emulator.faults.clear();
			}
		},
		SLOW,
	);

	it(
		`two n8n processes on one account and one credential store, ${PER_PROCESS} creates each: each item exactly once`,
		async () => {
			// Every documented limit, the minute as 2 s; one session per client ID.
			emulator.setLimits({
				minIntervalMs: 10,
				writesPerWindow: 60,
				windowMs: 2_000,
				retryAfterSeconds: 1,
				requestsPerMinute: 120,
				requestsPerHour: 5_000,
				writesPerDay: 5_000,
				timeScale: 2 / 60,
				computeRetryAfter: true,
			});
			emulator.setSwitches({ oneSessionPerClient: true });
			const a = creates('e2eReliabProcA1', 'process-a', PER_PROCESS, 3);
			const b = creates('e2eReliabProcB1', 'process-b', PER_PROCESS, 4);
			await importWorkflows(home, [a.workflow, b.workflow]);
			// The stored token is refused: both processes must log in again, or take the other's.
			emulator.expireAllTokens();
			emulator.clearRequests();
			const results: ExecutionResult[] = await Promise.all([
				executeWorkflow(home, 'e2eReliabProcA1'),
				executeWorkflow(home, 'e2eReliabProcB1', { env: await ownPorts() }),
			]);
			emulator.setLimits(false);
			const stats = emulator.stats();
			for (const result of results) {
				if (!result.runData.Nexudus)
					throw new Error(
						`an n8n process failed: ${result.error?.message}\n${result.stdout.slice(-1500)}\n${result.stderr.slice(-1500)}`,
					);
			}
			const failed = results.flatMap((result) => outputItems(result, 'Nexudus', 1));
			const created = [...a.items, ...b.items].filter(
				({ note }) => stored(note).length === 1,
			).length;
			console.log(
				`two n8n processes x ${PER_PROCESS} creates: ${created} created once, ${failed.length} failed, ` +
					`${stats.logins} logins, ${stats.throttled} throttled, ${stats.requests} requests`,
			);
			expect(failed.map((item) => item.json.error)).toEqual([]);
			for (const { note } of [...a.items, ...b.items]) expect(stored(note)).toHaveLength(1);
			// Each process logs in at most once, with a client ID of its own (so neither voids the
			// other's token), and not at all when the other's token is in the store by then.
			expect(stats.logins).toBeLessThanOrEqual(2);
		},
		SLOW,
	);
});
