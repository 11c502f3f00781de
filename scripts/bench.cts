/**
 * Benchmark: this package in real, pinned n8n against the local Nexudus emulator, next to n8n's own
 * HTTP Request node doing the same work.
 *   npm run bench                 full run (~9-12 min): prints the table, writes docs/benchmarks.md
 *   npm run bench -- --quick      smaller N and time scale (~2-3 min); prints only, unless --out
 *   npm run bench -- --only queue the queue-mode scenarios alone (~7 min: events through n8n's Webhook
 *                                 node, then through the Nexudus Trigger): prints their table and
 *                                 replaces only the queue-mode section of docs/benchmarks.md
 *   npm run bench -- --only newhire the new-hire row alone (~2 min: Find or Create + 3 kit items per
 *                                 hire, every Nexudus limit): replaces only its section
 * Options: --scale <s> (time scale, default 0.2; quick 0.1), --n <creates> (default 300; quick
 * 120), --fast-n <items> (unthrottled, default 500; quick 200), --rounds <r> (unthrottled rounds,
 * default 3; quick 1), --records <n> (Get Many, default 10000), --out <file>, --no-build (use dist/
 * as it is), --queue-scale <s> (default 0.75, as the test), --queue-events <n> (default 50), --queue-workers <w>
 * (default 2), --hires <n> (new-hire row, default 20), --only queue|newhire.
 * The queue-mode scenario needs redis-server and PostgreSQL (Debian packages) besides.
 * Needs the pinned n8n (`npm run install-n8n`). One n8n process runs at a time.
 */
import { spawn } from 'node:child_process';
import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import {
	runQueueScenario,
	type QueueFigures,
	type QueueLoad,
} from '../test/e2e/fixtures/queueScenario.cjs';
import { chainWorkflow } from '../test/e2e/fixtures/workflows.cjs';
import {
	NEW_HIRE_END,
	NEW_HIRE_START,
	newHireOk,
	newHireSection,
	runNewHire,
	writeSection,
} from './bench/newHire.cjs';
import {
	createN8nHome,
	executeWorkflow,
	findN8n,
	importCredentials,
	importWorkflows,
	packPackage,
	removeTempDirs,
	type ExecutionResult,
	type N8nHome,
} from '../test/e2e/n8n.cjs';
import { DEMO, startEmulator, type Emulator } from '../test/emulator/server.cjs';

const REPO = path.resolve(__dirname, '..');
const ENDPOINT = '/api/spaces/coworkerinventoryassets';
const DEFAULT_OUT = path.join(REPO, 'docs', 'benchmarks.md');
const NEXUDUS_WRITES_PER_WINDOW = 60;
const NEXUDUS_WINDOW_MS = 60_000;
const NEXUDUS_MIN_INTERVAL_MS = 100;
const NEXUDUS_RETRY_AFTER_S = 1;
/** Round trip of one Nexudus call (real time), scaled like the limits on the throttled emulator. */
const ROUND_TRIP_MS = 100;
const SCALE_MIN = 0.01;

const started = Date.now();
function log(line: string): void {
	const s = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
	process.stderr.write(`[bench ${s}s] ${line}\n`);
}

// --- options -----------------------------------------------------------------------------------

interface Config {
	quick: boolean;
	scale: number;
	n: number;
	fastN: number;
	rounds: number;
	records: number;
	out?: string;
	build: boolean;
	only?: 'queue' | 'newhire';
	hires: number;
	queueScale: number;
	queueEvents: number;
	queueWorkers: number;
}

function readConfig(): Config {
	const { values } = parseArgs({
		options: {
			quick: { type: 'boolean', default: false },
			scale: { type: 'string' },
			n: { type: 'string' },
			'fast-n': { type: 'string' },
			rounds: { type: 'string' },
			records: { type: 'string' },
			out: { type: 'string' },
			'no-build': { type: 'boolean', default: false },
			only: { type: 'string' },
			'queue-scale': { type: 'string' },
			'queue-events': { type: 'string' },
			'queue-workers': { type: 'string' },
			hires: { type: 'string' },
		},
		allowPositionals: false,
	});
	const quick = values.quick ?? false;
	const num = (raw: string | undefined, fallback: number, name: string, min: number) => {
		if (raw === undefined) return fallback;
		const value = Number(raw);
		if (!Number.isFinite(value) || value < min)
			throw new Error(`--${name} must be a number >= ${min}`);
		return value;
	};
	return {
		quick,
		scale: num(values.scale, quick ? 0.1 : 0.2, 'scale', SCALE_MIN),
		n: Math.round(num(values.n, quick ? 120 : 300, 'n', 1)),
		fastN: Math.round(num(values['fast-n'], quick ? 200 : 500, 'fast-n', 1)),
		rounds: Math.round(num(values.rounds, quick ? 1 : 3, 'rounds', 1)),
		records: Math.round(num(values.records, 10_000, 'records', 1)),
		out: values.out ?? (quick ? undefined : DEFAULT_OUT),
		build: !values['no-build'],
		only: values.only === undefined ? undefined : onlyValue(values.only),
		queueScale: num(values['queue-scale'], 0.75, 'queue-scale', SCALE_MIN),
		queueEvents: Math.round(num(values['queue-events'], 50, 'queue-events', 1)),
		queueWorkers: Math.round(num(values['queue-workers'], 2, 'queue-workers', 1)),
		hires: Math.round(num(values.hires, 20, 'hires', 1)),
	};
}

function onlyValue(value: string): 'queue' | 'newhire' {
	if (value !== 'queue' && value !== 'newhire')
		throw new Error(`--only takes one scenario: queue or newhire (got "${value}")`);
	return value;
}

// --- scaled limits and floors ------------------------------------------------------------------

interface Scaled {
	minIntervalMs: number;
	windowMs: number;
	retryAfterSeconds: number;
	latencyMs: number;
	/** n8n HTTP Request batching interval a user would set for "one request per second". */
	batchIntervalMs: number;
}

function scaled(s: number): Scaled {
	return {
		minIntervalMs: NEXUDUS_MIN_INTERVAL_MS * s,
		windowMs: NEXUDUS_WINDOW_MS * s,
		retryAfterSeconds: NEXUDUS_RETRY_AFTER_S * s,
		latencyMs: Math.round(ROUND_TRIP_MS * s),
		batchIntervalMs: Math.round(1000 * s),
	};
}

/** "N / write limit": N writes at 60 per window, as a steady rate. */
function rateFloorMs(n: number, sc: Scaled): number {
	return (n / NEXUDUS_WRITES_PER_WINDOW) * sc.windowMs;
}

/**
 * The earliest the N-th write can be accepted under the emulator's rules, counted from the first
 * write: bursts of 60 at the minimum interval, each burst one window after the previous one.
 */
function exactFloorMs(n: number, sc: Scaled): number {
	const last = n - 1;
	return (
		Math.floor(last / NEXUDUS_WRITES_PER_WINDOW) * sc.windowMs +
		(last % NEXUDUS_WRITES_PER_WINDOW) * sc.minIntervalMs
	);
}

// --- build, n8n home, credentials ---------------------------------------------------------------

function run(cmd: string, args: string[]): Promise<{ code: number; output: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (b: Buffer) => (output += b.toString('utf8')));
		child.stderr.on('data', (b: Buffer) => (output += b.toString('utf8')));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code: code ?? 1, output }));
	});
}

async function login(emulator: Emulator): Promise<string> {
	const res = await fetch(`${emulator.url}/api/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'password',
			username: 'admin@example.com',
			password: 'demo-password',
		}).toString(),
	});
	const body = (await res.json()) as { access_token?: string };
	if (!res.ok || !body.access_token) throw new Error(`emulator login failed: ${res.status}`);
	return body.access_token;
}

interface Target {
	label: string;
	emulator: Emulator;
	nexudusCredential: { id: string; name: string };
	headerCredential: { id: string; name: string };
}

async function credentialsFor(targets: Target[]) {
	const list = [];
	for (const t of targets) {
		list.push({
			...t.nexudusCredential,
			type: 'nexudusOAuth2Api',
			data: {
				email: 'admin@example.com',
				password: 'demo-password',
				totpSecret: '',
				clientId: 'n8n-nodes-nexudus',
				baseUrl: t.emulator.url,
				accessToken: '',
			},
		});
		// As a user would: log in once by hand, paste the token into a Header Auth credential.
		list.push({
			...t.headerCredential,
			type: 'httpHeaderAuth',
			data: { name: 'Authorization', value: `Bearer ${await login(t.emulator)}` },
		});
	}
	return list;
}

// --- workflows ----------------------------------------------------------------------------------

/** A Code node that emits n assignment items, each with a unique Notes marker. */
function itemsNode(n: number, marker: string) {
	const { businesses, coworkers, inventoryAssets } = DEMO;
	const jsCode = [
		`const base = Date.UTC(2025, 5, 1, 9, 0, 0);`,
		`return Array.from({ length: ${n} }, (_, i) => ({ json: {`,
		`  coworker: ${coworkers.luciaFernandez},`,
		`  location: ${businesses.madrid},`,
		`  asset: ${inventoryAssets.madridChair1},`,
		`  from: new Date(base + i * 60000).toISOString().replace('.000Z', 'Z'),`,
		`  note: '${marker}-' + i,`,
		`} }));`,
	].join('\n');
	return { name: 'Items', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode } };
}

const NODE_NAME = 'Node';

function nexudusCreateWorkflow(id: string, n: number, marker: string, t: Target, options: object) {
	return chainWorkflow(id, `Bench ${id}`, [
		itemsNode(n, marker),
		{
			name: NODE_NAME,
			type: 'n8n-nodes-nexudus.nexudus',
			typeVersion: 1,
			credentials: { nexudusOAuth2Api: t.nexudusCredential },
			parameters: {
				resource: 'coworkerInventoryAsset',
				operation: 'create',
				coworker: { __rl: true, mode: 'id', value: '={{ $json.coworker }}' },
				location: { __rl: true, mode: 'id', value: '={{ $json.location }}' },
				inventoryAsset: { __rl: true, mode: 'id', value: '={{ $json.asset }}' },
				assignedFrom: '={{ $json.from }}',
				additionalFields: { notes: '={{ $json.note }}' },
				// The same work as the HTTP Request node: one POST per item, no duplicate check
				// (the default, Skip, reads the asset's assignments first: one request more per item).
				ifAssigned: 'createAnyway',
				options,
			},
		},
	]);
}

/** n8n's HTTP Request node 4.2 posting the same body, with the Header Auth credential. */
function httpCreateWorkflow(
	id: string,
	n: number,
	marker: string,
	t: Target,
	batchIntervalMs?: number,
	body: 'json' | 'fields' = 'json',
) {
	const jsonBody = [
		'={',
		'  "CoworkerId": {{ $json.coworker }},',
		'  "BusinessId": {{ $json.location }},',
		'  "InventoryAssetId": {{ $json.asset }},',
		'  "AssignedFrom": "{{ $json.from }}",',
		'  "Notes": "{{ $json.note }}"',
		'}',
	].join('\n');
	return chainWorkflow(id, `Bench ${id}`, [
		itemsNode(n, marker),
		{
			name: NODE_NAME,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			credentials: { httpHeaderAuth: t.headerCredential },
			parameters: {
				method: 'POST',
				url: `${t.emulator.url}${ENDPOINT}`,
				authentication: 'genericCredentialType',
				genericAuthType: 'httpHeaderAuth',
				sendBody: true,
				contentType: 'json',
				...(body === 'json'
					? { specifyBody: 'json', jsonBody }
					: // "Using Fields Below", the node's default: one expression per field, as in our node.
						{
							specifyBody: 'keypair',
							bodyParameters: {
								parameters: [
									{ name: 'CoworkerId', value: '={{ $json.coworker }}' },
									{ name: 'BusinessId', value: '={{ $json.location }}' },
									{ name: 'InventoryAssetId', value: '={{ $json.asset }}' },
									{ name: 'AssignedFrom', value: '={{ $json.from }}' },
									{ name: 'Notes', value: '={{ $json.note }}' },
								],
							},
						}),
				options:
					batchIntervalMs === undefined
						? {}
						: { batching: { batch: { batchSize: 1, batchInterval: batchIntervalMs } } },
			},
			// "Continue" (regular output): failed items are counted instead of stopping the run.
			extra: { onError: 'continueRegularOutput' },
		},
	]);
}

function getManyWorkflow(id: string, t: Target) {
	return chainWorkflow(id, `Bench ${id}`, [
		{
			name: NODE_NAME,
			type: 'n8n-nodes-nexudus.nexudus',
			typeVersion: 1,
			credentials: { nexudusOAuth2Api: t.nexudusCredential },
			parameters: {
				resource: 'coworkerInventoryAsset',
				operation: 'getAll',
				returnAll: true,
				filters: {},
				options: {},
			},
		},
	]);
}

// --- measuring ----------------------------------------------------------------------------------

/**
 * Peak resident memory (VmHWM, kB) of the n8n process running `n8n execute --id=<workflowId>`,
 * found in /proc by its command line and read every 50 ms until it exits: VmHWM is the kernel's
 * own high-water mark, so sampling only has to happen once before exit to catch the peak.
 */
let currentN8nPid: number | undefined;

function sampleRss(workflowId: string) {
	let pid: number | undefined;
	let peakKb = 0;
	const needle = `--id=${workflowId}`;
	const find = () => {
		for (const entry of readdirSync('/proc')) {
			if (!/^\d+$/.test(entry)) continue;
			try {
				const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
				if (cmd.includes('execute') && cmd.includes(needle)) return Number(entry);
			} catch {
				// gone
			}
		}
		return undefined;
	};
	const timer = setInterval(() => {
		try {
			pid ??= find();
			if (pid === undefined) return;
			currentN8nPid = pid;
			const status = readFileSync(`/proc/${pid}/status`, 'utf8');
			const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
			peakKb = Math.max(peakKb, kb);
		} catch {
			// exited
		}
	}, 50);
	return {
		stop: () => {
			clearInterval(timer);
			currentN8nPid = undefined;
			return { pid, peakMb: peakKb / 1024 };
		},
	};
}

interface Measured {
	result: ExecutionResult;
	/** The node's own time from n8n's run data (task data executionTime), ms. */
	nodeMs?: number;
	/** The whole `n8n execute` process, start-up included, ms. */
	processMs: number;
	peakMb: number;
	items: Array<{ json: Record<string, any> }>;
}

async function runMeasured(
	home: N8nHome,
	workflowId: string,
	timeoutMs: number,
): Promise<Measured> {
	const sampler = sampleRss(workflowId);
	const result = await executeWorkflow(home, workflowId, { timeoutMs });
	const { peakMb } = sampler.stop();
	const task = result.runData[NODE_NAME]?.[0];
	const items = (task?.data?.main?.[0] ?? []) as Measured['items'];
	return {
		result,
		nodeMs: typeof task?.executionTime === 'number' ? task.executionTime : undefined,
		processMs: result.ms,
		peakMb,
		items,
	};
}

function storedWith(emulator: Emulator, marker: string) {
	const prefix = `${marker}-`;
	return emulator.db.coworkerInventoryAssets.filter((r) =>
		String(r.Notes ?? '').startsWith(prefix),
	);
}

interface CreateRow {
	label: string;
	n: number;
	created: number;
	lost: number;
	duplicates: number;
	errorItems: number;
	requests: number;
	throttled: number;
	nodeMs?: number;
	processMs: number;
	peakMb: number;
	firstError?: string;
	runError?: string;
}

function createRow(
	label: string,
	n: number,
	marker: string,
	emulator: Emulator,
	m: Measured,
): CreateRow {
	const stored = storedWith(emulator, marker);
	const distinct = new Set(stored.map((r) => r.Notes)).size;
	const posts = emulator.requests.filter((r) => r.method === 'POST' && r.path === ENDPOINT);
	const errors = m.items.filter((i) => i.json?.error !== undefined);
	const first = errors[0]?.json.error;
	const firstError =
		first === undefined
			? undefined
			: typeof first === 'string'
				? first
				: String(first.message ?? JSON.stringify(first));
	return {
		label,
		n,
		created: distinct,
		lost: n - distinct,
		duplicates: stored.length - distinct,
		errorItems: errors.length,
		requests: posts.length,
		throttled: posts.filter((r) => r.status === 409).length,
		nodeMs: m.nodeMs,
		processMs: m.processMs,
		peakMb: m.peakMb,
		firstError,
		runError: m.result.ok ? undefined : m.result.error?.message,
	};
}

// --- formatting ---------------------------------------------------------------------------------

const sec = (ms: number | undefined) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
const ratio = (a: number | undefined, b: number) =>
	a === undefined ? 'n/a' : `${(a / b).toFixed(3)}×`;
const mb = (v: number) => (v > 0 ? `${Math.round(v)} MB` : 'n/a');
const pass = (ok: boolean | undefined) => (ok === undefined ? 'pending' : ok ? 'PASS' : 'MISS');

function table(header: string[], rows: string[][]): string {
	const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
	return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

async function machine() {
	const cpus = os.cpus();
	const commit = await run('git', ['rev-parse', '--short', 'HEAD']);
	const dirty = await run('git', ['status', '--porcelain', '--', 'nodes', 'credentials']);
	return {
		cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
		memory: `${Math.round(os.totalmem() / 2 ** 30)} GB`,
		os: `${os.type()} ${os.release()}`,
		node: process.version,
		commit: `${commit.output.trim()}${dirty.output.trim() ? ' (with uncommitted changes)' : ''}`,
	};
}

// --- queue mode -------------------------------------------------------------------------------

/** The burst once per way in: posted to n8n's Webhook node, then delivered to the Nexudus Trigger. */
async function runQueue(cfg: Config): Promise<QueueFigures[]> {
	const all: QueueFigures[] = [];
	for (const via of ['webhook', 'trigger'] as QueueLoad[]) {
		log(
			`queue mode via ${via}: ${cfg.queueEvents} onboarding events x 3 assets, main + ${cfg.queueWorkers} workers, ` +
				`scale ${cfg.queueScale} (minute ${60 * cfg.queueScale} s)`,
		);
		all.push(
			await runQueueScenario({
				via,
				scale: cfg.queueScale,
				events: cfg.queueEvents,
				assetsPerEvent: 3,
				workers: cfg.queueWorkers,
				log: (line) => log(`  ${line}`),
			}),
		);
	}
	return all;
}

/** The trigger's own goals: its webhook registered once, every delivery answered 2xx. */
function triggerOk(q: QueueFigures): boolean {
	const t = q.trigger;
	return (
		!t ||
		(t.webhooksCreated === t.webhooksExpected &&
			t.webhooksAfter === t.webhooksExpected &&
			t.deliveriesNot2xx.length === 0)
	);
}

/** The queue-mode goals: each item once, within 1.2x the floor, a login per worker, no failure. */
function queueOk(q: QueueFigures): boolean {
	return (
		q.lost === 0 &&
		q.duplicated === 0 &&
		q.errorItems.length === 0 &&
		q.webhookFailures.length === 0 &&
		(q.statuses.success ?? 0) === q.events &&
		q.ratio <= 1.2 &&
		q.logins <= q.workers &&
		triggerOk(q)
	);
}

const QUEUE_START =
	'<!-- queue-mode: start (npm run bench -- --only queue replaces this section) -->';
const QUEUE_END = '<!-- queue-mode: end -->';

const WORKLOAD: Record<QueueLoad, string> = {
	webhook: 'onboarding webhooks (Webhook node)',
	trigger: 'members created (Nexudus Trigger)',
};

function queueSection(
	qs: QueueFigures[],
	host: Awaited<ReturnType<typeof machine>>,
	n8nVersion: string,
) {
	const [q] = qs;
	const statusesOf = (f: QueueFigures) =>
		Object.entries(f.statuses)
			.map(([status, count]) => `${count} ${status}`)
			.join(', ');
	const row = table(
		[
			'Workload (queue mode, throttled emulator)',
			'Created',
			'Lost',
			'Duplicated',
			'Failed items',
			'Executions',
			'Logins',
			'409s received',
			'Elapsed',
			'Floor',
			'÷ floor',
		],
		qs.map((f) => [
			`${f.events} ${WORKLOAD[f.via]} × 3 assets, main + ${f.workers} workers`,
			`${f.created} / ${f.items}`,
			String(f.lost),
			String(f.duplicated),
			String(f.errorItems.length),
			statusesOf(f) || 'none',
			`${f.logins}${f.trigger ? ` (+${f.trigger.activationLogins} at activation)` : ''} (goal ≤ ${f.workers})`,
			String(f.throttled),
			sec(f.elapsedMs),
			sec(f.floorMs),
			ratio(f.elapsedMs, f.floorMs),
		]),
	);
	const goals = table(
		['Goal (queue mode)', 'Figure', 'Result'],
		qs.flatMap((f) => {
			const via = ` (${f.via})`;
			const rows = [
				[
					'Every item exactly once' + via,
					`${f.lost} lost, ${f.duplicated} duplicated`,
					pass(f.lost === 0 && f.duplicated === 0),
				],
				[
					'No item fails (no "kept throttling")' + via,
					`${f.errorItems.length} error items, ${f.statuses.success ?? 0}/${f.events} executions succeeded`,
					pass(f.errorItems.length === 0 && (f.statuses.success ?? 0) === f.events),
				],
				[
					'Burst within 1.20 × the floor' + via,
					ratio(f.elapsedMs, f.floorMs),
					pass(f.ratio <= 1.2),
				],
				[
					'Logins ≤ one per worker' + via,
					`${f.logins} for ${f.workers} workers`,
					pass(f.logins <= f.workers),
				],
			];
			if (f.trigger) {
				const t = f.trigger;
				rows.push(
					[
						'Webhook registered once (event × location)' + via,
						`${t.webhooksCreated} created, ${t.webhooksAfter} active after, ${t.webhooksExpected} wanted`,
						pass(
							t.webhooksCreated === t.webhooksExpected && t.webhooksAfter === t.webhooksExpected,
						),
					],
					[
						'Every delivery answered 2xx' + via,
						`${t.deliveryAttempts - t.deliveriesNot2xx.length} of ${t.deliveryAttempts} attempts`,
						pass(t.deliveriesNot2xx.length === 0),
					],
				);
			}
			return rows;
		}),
	);
	const tableText = [
		...qs.map(
			(f) =>
				`Queue mode via ${f.via}: ${f.events} events × 3 assets = ${f.items} creates, time scale ${f.scale} (minute ${60 * f.scale} s). ` +
				`${f.requestsAdmitted} requests admitted (${f.writesAdmitted} writes); floor ${sec(f.floorMs)}.`,
		),
		'',
		row,
		'',
		goals,
		...qs.flatMap((f) =>
			f.errorItems.length
				? ['', `First error items (${f.via}): ${f.errorItems.slice(0, 3).join(' | ')}`]
				: [],
		),
	].join('\n');
	const doc = `${QUEUE_START}
## Queue mode: one account, several workers

Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC at ${host.commit}, n8n ${n8nVersion}, by \`npm run bench\` (or \`-- --only queue\`, which
replaces only this section). Two runs, each on a fresh Redis, PostgreSQL, n8n and emulator: the
events posted to n8n's Webhook node, then as Nexudus sends them to the Nexudus Trigger.

${tableText}

**Set-up.** Redis (\`redis-server\`) and PostgreSQL started on 127.0.0.1; one n8n main process
(\`EXECUTIONS_MODE=queue\`, receives the webhooks and enqueues) and ${q.workers} \`n8n worker\` processes
(concurrency 10 each), each with its own n8n home and the package unpacked from its \`npm pack\`
tarball; one credential in n8n's database, never logged in before (empty token). The workflow is
Webhook (POST, answers at once) → Split Out (one item per asset) → Nexudus Create (If Already
Assigned: Skip, the default; On Error: error output) → NoOp / NoOp, activated with
\`n8n publish:workflow\`. ${q.events} webhooks are posted at once, each for a new member and three
assets of their own, so every one of the ${q.items} assignments is a distinct record.

**Through the Nexudus Trigger.** The workflow is Nexudus Trigger (Member: Created, Madrid; the
credential's Webhook Shared Secret set as in Nexudus) → Code (the member's three kit items, by
email) → the same Nexudus Create. Published with \`n8n publish:workflow\` before start, with
\`WEBHOOK_URL\` at the main process: at start the main process registers the Nexudus webhook (one
per event × location). Then ${q.events} members are created at once in the emulator; each event is
delivered as Nexudus does (a JSON array, signed with the shared secret, retried on failure) and
answered by the main process, which enqueues the execution. *Elapsed* runs from the first event.

**Limits.** The emulator enforces every documented Nexudus limit per account, time-scaled by
s = ${q.scale}: one request per 100 ms × s, 120 requests and 60 writes a minute, 5,000 requests an hour,
5,000 writes and 200,000 requests a day, the minute, hour and day × s; past any of them it answers
409 with \`Retry-After: ${q.scale}\` (Nexudus's fixed 1 s × s). One session per client ID: every login voids
the token before it. Each answer takes ${Math.round(100 * q.scale)} ms (100 ms × s). The node's Options carry the same scale
(Request Interval ${100 * q.scale} ms, Write Window ${60 * q.scale} s); nothing else is set.

**Counting.** Created / duplicated: the emulator's records per (coworker, asset) of the burst.
Executions and failed items: read from n8n's database (\`execution_entity\`, the run data of
\`execution_data\`). Logins: password grants the emulator answered during the burst (the trigger's
registration at start logs in once before it, shown apart). *Elapsed*: from the first
webhook posted (or event fired) to the last execution's \`stoppedAt\`. *Floor*: the earliest the requests Nexudus
admitted during the burst (${qs.map((f) => `${f.via}: ${f.requestsAdmitted}, of them ${f.writesAdmitted} writes`).join('; ')}; logins included) can all pass its limits, from the first to the
last, each sent as soon as every limit allows (the emulator's own limiter on a virtual clock); each
create needs three (the asset's location check, the open-assignment check, the POST).
${QUEUE_END}
`;
	return { table: tableText, doc };
}

/** Replaces the queue-mode section of the benchmark page (or appends it), leaving the rest. */
async function writeQueueSection(file: string, section: string): Promise<void> {
	await writeSection(file, section, { start: QUEUE_START, end: QUEUE_END });
}

// --- main ---------------------------------------------------------------------------------------

async function main(): Promise<number> {
	const cfg = readConfig();
	const sc = scaled(cfg.scale);
	const install = findN8n(2);
	if (!cfg.only)
		log(
			`scale ${cfg.scale}: window ${sc.windowMs} ms, min interval ${sc.minIntervalMs} ms, ` +
				`Retry-After ${sc.retryAfterSeconds} s, latency ${sc.latencyMs} ms; N ${cfg.n}, ` +
				`unthrottled N ${cfg.fastN}, Get Many ${cfg.records} records`,
		);
	if (cfg.build) {
		log('npm run build...');
		const b = await run('npm', ['run', 'build']);
		if (b.code !== 0) throw new Error(`npm run build failed:\n${b.output.slice(-4000)}`);
	}
	if (cfg.only === 'queue') {
		const queue = await runQueue(cfg);
		const section = queueSection(queue, await machine(), install.version);
		console.log(section.table);
		const out = cfg.out ?? DEFAULT_OUT;
		await writeQueueSection(out, section.doc);
		log(`replaced the queue-mode section of ${path.relative(REPO, out)}`);
		return queue.every(queueOk) ? 0 : 1;
	}
	if (cfg.only === 'newhire') {
		const figures = await runNewHire({ hires: cfg.hires, log });
		const section = newHireSection(figures, await machine(), install.version);
		console.log(section.table);
		const out = cfg.out ?? DEFAULT_OUT;
		await writeSection(out, section.doc, {
			start: NEW_HIRE_START,
			end: NEW_HIRE_END,
			before: QUEUE_START,
		});
		log(`replaced the new-hire section of ${path.relative(REPO, out)}`);
		return newHireOk(figures) ? 0 : 1;
	}
	log('npm pack + fresh n8n home...');
	const home = await createN8nHome(install, { packageTarball: await packPackage(REPO) });

	const limits = {
		minIntervalMs: sc.minIntervalMs,
		writesPerWindow: NEXUDUS_WRITES_PER_WINDOW,
		windowMs: sc.windowMs,
		retryAfterSeconds: sc.retryAfterSeconds,
	};
	// Limits are set after the logins below (setLimits also resets the emulator's counters).
	const limited = await startEmulator({ seed: 'demo', latencyMs: sc.latencyMs });
	const fast = await startEmulator({ seed: 'demo', latencyMs: 0, limits: false });
	const emulators = [limited, fast];
	try {
		const targets: Record<'limited' | 'fast', Target> = {
			limited: {
				label: 'limited',
				emulator: limited,
				nexudusCredential: { id: 'benchNexudusLimited1', name: 'Nexudus (limited emulator)' },
				headerCredential: { id: 'benchHeaderLimited01', name: 'Nexudus token (limited emulator)' },
			},
			fast: {
				label: 'fast',
				emulator: fast,
				nexudusCredential: { id: 'benchNexudusFast0001', name: 'Nexudus (unthrottled emulator)' },
				headerCredential: {
					id: 'benchHeaderFast00001',
					name: 'Nexudus token (unthrottled emulator)',
				},
			},
		};
		await importCredentials(home, await credentialsFor(Object.values(targets)));

		const paced = {
			minIntervalMs: sc.minIntervalMs,
			writesPerMinute: NEXUDUS_WRITES_PER_WINDOW,
			writeWindowSeconds: sc.windowMs / 1000,
		};
		const unpaced = { minIntervalMs: 0, writesPerMinute: 0 };
		const ids = {
			node: 'benchNodeLimited0001',
			httpDefault: 'benchHttpDefault0001',
			httpBatch: 'benchHttpBatch000001',
			nodeFast: 'benchNodeFast0000001',
			httpFast: 'benchHttpFast0000001',
			httpFieldsFast: 'benchHttpFields00001',
			getMany: 'benchGetMany00000001',
		};
		await importWorkflows(home, [
			nexudusCreateWorkflow(ids.node, cfg.n, 'node-limited', targets.limited, paced),
			httpCreateWorkflow(ids.httpDefault, cfg.n, 'http-default', targets.limited),
			httpCreateWorkflow(ids.httpBatch, cfg.n, 'http-batch', targets.limited, sc.batchIntervalMs),
			nexudusCreateWorkflow(ids.nodeFast, cfg.fastN, 'node-fast', targets.fast, unpaced),
			httpCreateWorkflow(ids.httpFast, cfg.fastN, 'http-fast', targets.fast),
			httpCreateWorkflow(
				ids.httpFieldsFast,
				cfg.fastN,
				'http-fields-fast',
				targets.fast,
				undefined,
				'fields',
			),
			getManyWorkflow(ids.getMany, targets.fast),
		]);

		// 1. N creates under the scaled Nexudus limits.
		const creates: CreateRow[] = [];
		const throttledRuns: Array<[string, string, string]> = [
			[ids.node, 'node-limited', 'n8n-nodes-nexudus (default options, time-scaled)'],
			[ids.httpDefault, 'http-default', 'HTTP Request, default settings (On Error: Continue)'],
			[
				ids.httpBatch,
				'http-batch',
				`HTTP Request, batching 1 item per ${sc.batchIntervalMs} ms (1 s scaled), Continue`,
			],
		];
		for (const [id, marker, label] of throttledRuns) {
			limited.setLimits(limits);
			limited.clearRequests();
			log(`${label}: ${cfg.n} creates...`);
			const m = await runMeasured(home, id, 180_000 + 3 * exactFloorMs(cfg.n, sc));
			const row = createRow(label, cfg.n, marker, limited, m);
			creates.push(row);
			log(
				`  created ${row.created}, lost ${row.lost}, dup ${row.duplicates}, 409s ${row.throttled}, ` +
					`node ${sec(row.nodeMs)}${row.runError ? `, run failed: ${row.runError}` : ''}`,
			);
		}

		// 2. Unthrottled: the node's own overhead, in interleaved rounds (this machine is noisy).
		const fastRuns: Array<[string, string, string]> = [
			[ids.nodeFast, 'node-fast', 'n8n-nodes-nexudus (pacing options 0), 5 fields mapped'],
			[ids.httpFast, 'http-fast', 'HTTP Request, JSON body (1 expression)'],
			[
				ids.httpFieldsFast,
				'http-fields-fast',
				'HTTP Request, Using Fields Below (5 fields mapped)',
			],
		];
		const overhead: OverheadRow[] = fastRuns.map(([, , label]) => ({
			label,
			n: cfg.fastN,
			runs: [],
		}));
		for (let round = 1; round <= cfg.rounds; round++) {
			for (const [index, [id, marker, label]] of fastRuns.entries()) {
				// Each run starts from the same store, so no run pays for the records of another.
				fast.db.coworkerInventoryAssets.splice(0);
				fast.clearRequests();
				log(
					`round ${round}/${cfg.rounds}, ${label}: ${cfg.fastN} creates, no limits, no latency...`,
				);
				const m = await runMeasured(home, id, 180_000);
				const row = createRow(label, cfg.fastN, marker, fast, m);
				overhead[index].runs.push(row);
				log(`  created ${row.created}, node ${sec(row.nodeMs)}, process ${sec(row.processMs)}`);
			}
		}

		// 3. Get Many, Return All over `records` records.
		fast.db.coworkerInventoryAssets.splice(0);
		for (let i = 0; i < cfg.records; i++) {
			fast.db.addCoworkerInventoryAsset({
				CoworkerId: DEMO.coworkers.luciaFernandez,
				BusinessId: DEMO.businesses.madrid,
				InventoryAssetId: DEMO.inventoryAssets.madridChair1,
				AssignedFrom: new Date(Date.UTC(2024, 0, 1) + i * 60_000)
					.toISOString()
					.replace('.000Z', 'Z'),
				Notes: `seed-${i}`,
			});
		}
		fast.clearRequests();
		log(`Get Many, Return All over ${cfg.records} records...`);
		const gm = await runMeasured(home, ids.getMany, 300_000);
		const listCalls = fast.requests.filter((r) => r.method === 'GET' && r.path === ENDPOINT);
		const pending = !gm.result.ok && /SCAFFOLD/.test(JSON.stringify(gm.result.error ?? ''));
		const getMany = {
			ok: gm.result.ok,
			pending,
			error: gm.result.ok ? undefined : gm.result.error?.message,
			items: gm.items.length,
			requests: listCalls.length,
			expected: Math.ceil(cfg.records / 1000),
			pageSizes: [...new Set(listCalls.map((r) => r.query.size ?? '(none)'))],
			nodeMs: gm.nodeMs,
			processMs: gm.processMs,
			peakMb: gm.peakMb,
		};
		log(
			pending
				? 'Get Many is still the scaffold (SCAFFOLD): row marked pending'
				: `  ${getMany.items} items in ${getMany.requests} list requests, node ${sec(getMany.nodeMs)}, peak ${mb(getMany.peakMb)}`,
		);

		// 4. New hire: Find or Create + 3 kit items (its own emulator and n8n home).
		const newHire = await runNewHire({ hires: cfg.hires, log });
		// 5. Queue mode: Redis, PostgreSQL, main + workers (its own emulator and n8n homes).
		const queue = await runQueue(cfg);
		const host = await machine();
		const report = render(cfg, sc, creates, overhead, getMany, host, install.version);
		const newHireReport = newHireSection(newHire, host, install.version);
		const queueReport = queueSection(queue, host, install.version);
		console.log(`${report.tables}\n\n${newHireReport.table}\n\n${queueReport.table}`);
		if (cfg.out) {
			await fs.mkdir(path.dirname(cfg.out), { recursive: true });
			await fs.writeFile(
				cfg.out,
				`${report.doc.trimEnd()}\n\n${newHireReport.doc.trimEnd()}\n\n${queueReport.doc}`,
			);
			log(`wrote ${path.relative(REPO, cfg.out)}`);
		}
		log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
		return 0;
	} finally {
		for (const e of emulators) await e.close().catch(() => undefined);
		removeTempDirs();
	}
}

interface OverheadRow {
	label: string;
	n: number;
	runs: CreateRow[];
}

function median(values: number[]): number | undefined {
	if (values.length === 0) return undefined;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The median node time of a workload's rounds; undefined when a round failed or lost items. */
function medianNodeMs(row: OverheadRow): number | undefined {
	const complete = row.runs.every((r) => r.nodeMs !== undefined && r.lost === 0 && !r.runError);
	return complete ? median(row.runs.map((r) => r.nodeMs!)) : undefined;
}

interface GetManyRow {
	ok: boolean;
	pending: boolean;
	error?: string;
	items: number;
	requests: number;
	expected: number;
	pageSizes: string[];
	nodeMs?: number;
	processMs: number;
	peakMb: number;
}

function render(
	cfg: Config,
	sc: Scaled,
	creates: CreateRow[],
	overhead: OverheadRow[],
	gm: GetManyRow,
	host: Awaited<ReturnType<typeof machine>>,
	n8nVersion: string,
) {
	const exact = exactFloorMs(cfg.n, sc);
	const rate = rateFloorMs(cfg.n, sc);
	const [node] = creates;
	const nodeOk = node.lost === 0 && node.duplicates === 0 && !node.runError;
	const wallOk = node.nodeMs !== undefined && node.nodeMs <= 1.1 * exact;

	const createTable = table(
		[
			'Workload (throttled emulator)',
			'Created',
			'Lost',
			'Duplicated',
			'409s received',
			'Node time',
			'÷ exact floor',
			'÷ N/limit floor',
			'n8n process',
		],
		creates.map((r) => [
			r.label,
			`${r.created} / ${r.n}`,
			String(r.lost),
			String(r.duplicates),
			String(r.throttled),
			sec(r.nodeMs),
			ratio(r.nodeMs, exact),
			ratio(r.nodeMs, rate),
			sec(r.processMs),
		]),
	);

	const ips = (n: number, ms: number | undefined) => (ms ? (n / ms) * 1000 : undefined);
	const rowIps = (r: OverheadRow) => ips(r.n, medianNodeMs(r));
	const [nodeFast, ...httpFast] = overhead;
	// Held to the fastest HTTP Request set-up, whatever the number of expressions it evaluates.
	const fastestHttp = httpFast.reduce((best, r) =>
		(rowIps(r) ?? 0) > (rowIps(best) ?? 0) ? r : best,
	);
	const throughputOk =
		rowIps(nodeFast) !== undefined &&
		rowIps(fastestHttp) !== undefined &&
		rowIps(nodeFast)! >= rowIps(fastestHttp)!;
	const rounds = (r: OverheadRow, cell: (run: CreateRow) => string) => r.runs.map(cell).join(' · ');
	const overheadTable = table(
		[
			'Workload (no limits, no latency)',
			'Created, each round',
			'Node time, each round',
			'Median node time',
			'Items/s (median)',
			'÷ node',
			'n8n process, each round',
			'Peak RSS (max)',
		],
		overhead.map((r) => [
			r.label,
			rounds(r, (run) => `${run.created}/${run.n}`),
			rounds(r, (run) => sec(run.nodeMs)),
			sec(medianNodeMs(r)),
			rowIps(r)?.toFixed(1) ?? 'n/a',
			ratio(medianNodeMs(r), medianNodeMs(nodeFast) ?? 1),
			rounds(r, (run) => sec(run.processMs)),
			mb(Math.max(...r.runs.map((run) => run.peakMb))),
		]),
	);

	const getManyOk = gm.pending
		? undefined
		: gm.ok && gm.items === cfg.records && gm.requests === gm.expected;
	const getManyTable = table(
		[
			'Get Many, Return All',
			'Records out',
			'List requests',
			'Node time',
			'n8n process',
			'Peak RSS (n8n process)',
		],
		[
			gm.pending
				? [
						`${cfg.records} records`,
						'pending (operation is a scaffold)',
						'pending',
						'pending',
						sec(gm.processMs),
						'pending',
					]
				: [
						`${cfg.records} records${gm.ok ? '' : ` (run failed: ${gm.error})`}`,
						String(gm.items),
						`${gm.requests} (goal ${gm.expected})`,
						sec(gm.nodeMs),
						sec(gm.processMs),
						mb(gm.peakMb),
					],
		],
	);

	const goals = table(
		['Goal', 'Figure', 'Result'],
		[
			[
				'0 lost, 0 duplicated (node, throttled)',
				`${node.lost} lost, ${node.duplicates} duplicated`,
				pass(nodeOk),
			],
			[
				'Wall time ≤ 1.10 × floor (exact floor)',
				`${ratio(node.nodeMs, exact)} exact, ${ratio(node.nodeMs, rate)} N/limit`,
				pass(wallOk),
			],
			[
				'Unthrottled throughput ≥ HTTP Request (its fastest set-up)',
				`${rowIps(nodeFast)?.toFixed(1) ?? 'n/a'} vs ${rowIps(fastestHttp)?.toFixed(1) ?? 'n/a'} items/s, ${fastestHttp.label} (${ratio(rowIps(nodeFast), rowIps(fastestHttp) ?? 1)})`,
				pass(throughputOk),
			],
			[
				`Get Many Return All in ceil(N/1000) = ${gm.expected} requests`,
				gm.pending ? 'pending' : `${gm.requests} requests`,
				pass(getManyOk),
			],
		],
	);

	const errorLines = creates
		.filter((r) => r.firstError)
		.map((r) => `${r.label}: ${r.errorItems} error items, the first: ${r.firstError}`);
	const tables = [
		`N = ${cfg.n} creates, time scale ${cfg.scale} (window ${sc.windowMs / 1000} s, min interval ${sc.minIntervalMs} ms). ` +
			`Exact floor ${sec(exact)}, N/limit floor ${sec(rate)}.`,
		'',
		createTable,
		'',
		overheadTable,
		'',
		getManyTable,
		'',
		goals,
		...(errorLines.length ? ['', ...errorLines] : []),
	].join('\n');

	const errorSamples = creates
		.filter((r) => r.firstError)
		.map((r) => `- ${r.label}: ${r.errorItems} error items, the first: \`${r.firstError}\``);
	const failedRuns = [...creates, ...overhead.flatMap((r) => r.runs)]
		.filter((r) => r.runError)
		.map((r) => `- ${r.label}: the execution failed: ${r.runError}`);

	const doc = `# Benchmarks

Generated by \`npm run bench\` (\`scripts/bench.cts\`) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.
Do not edit by hand: run it again.

- n8n ${n8nVersion} (pinned, \`n8n execute\`, one process per workload), Node ${process.version} for the script
- Machine: ${host.cpu}, ${host.memory} RAM, ${host.os}
- Package: n8n-nodes-nexudus at ${host.commit}, built and installed from its \`npm pack\` tarball
- Mode: ${cfg.quick ? 'quick' : 'full'}; time scale s = ${cfg.scale}; N = ${cfg.n}; unthrottled N = ${cfg.fastN} × ${cfg.rounds} rounds; Get Many over ${cfg.records} records

${tables}

## What each row is

**Throttled creates.** The emulator enforces Nexudus's documented limits, time-scaled by s: at most
${NEXUDUS_WRITES_PER_WINDOW} writes in any sliding window of 60 s × s = ${sc.windowMs / 1000} s, one request per 100 ms × s = ${sc.minIntervalMs} ms, and
past either it answers \`409\` with an empty body and \`Retry-After: ${sc.retryAfterSeconds}\` (1 s × s) without processing the
request. Every answer takes ${sc.latencyMs} ms (a ${ROUND_TRIP_MS} ms round trip × s). Each workflow is Manual Trigger → Code (N
items, each with a unique Notes marker) → the node under test, all creating coworker inventory
assets; each runs in its own \`n8n execute\` process, and the emulator's counters are reset before each.

- *n8n-nodes-nexudus*: Create with default settings except the time-scaled limits in Options
  (Minimum Interval ${sc.minIntervalMs} ms, Writes per Minute 60, Write Limit Window ${sc.windowMs / 1000} s); Max Retries left at 10; On Error left at Stop.
- *HTTP Request, default settings*: n8n-nodes-base.httpRequest 4.2, POST \`/api/spaces/coworkerinventoryassets\`,
  JSON body from the item's fields, Header Auth credential \`Authorization: Bearer <token>\` (the token from
  one \`POST /api/token\` made by the script, as a user would paste it). No batching, no Retry On Fail.
  The only change from defaults: Settings > On Error = **Continue** (regular output), so failed items are
  counted instead of stopping the run at the first one.
- *HTTP Request, batching*: the same plus Options > Batching, 1 item per batch, interval ${sc.batchIntervalMs} ms: the
  "one request per second" a user would set, time-scaled like the emulator (1000 ms × s).

Time scaling shrinks Nexudus's limits but not n8n's own time per request (several ms): the HTTP
Request node's default run spreads its requests over a few seconds, so more of them pass the scaled
minimum interval than would pass Nexudus's real 100 ms one (the issue saw 1 of 100 created). Its lost
count here is a lower bound of what a real run loses.

**Counting.** Created = distinct Notes markers of the run found in the emulator's store; lost = N − created;
duplicated = stored records beyond one per marker. 409s = POSTs the emulator answered with 409.

**Floors.** The *exact floor* is the earliest the N-th write can be accepted under the emulator's rules,
counted from the first write: bursts of 60 writes at the minimum interval, each burst one window
after the previous one: floor((N−1)/60) × window + ((N−1) mod 60) × min interval = ${sec(exact)}.
The *N/limit floor* is N / (60 per window) × window = ${sec(rate)}: the steady rate. The exact
floor is the stricter (smaller when N is a multiple of 60, as here by default); **the goal (≤ 1.10 ×)
is held to the exact floor**, and both ratios are shown.

**Time.** *Node time* is the node's own \`executionTime\` in n8n's run data (the task data of that
node), so n8n start-up, the Code node and the credential import are left out; the node's one login
request is in it. *n8n process* is the whole \`n8n execute\` process, start-up included (dominated by start-up).

**Unthrottled.** A second emulator with no limits and no latency; its assignments are emptied before
every run, so each run starts from the same store. Three workloads run in ${cfg.rounds} interleaved round(s), each
run in its own \`n8n execute\` process; the table shows every round and the median, and the goal compares
medians. Items/s = N / median node time; ÷ node = the workload's median node time ÷ the node's.

- *n8n-nodes-nexudus*: Create with the pacing options at 0 (Minimum Interval 0, Writes per Minute 0);
  Coworker, Location and Inventory Asset (By ID), Assigned From and Notes are each an expression mapping
  the item's field: five expressions per item.
- *HTTP Request, JSON body*: as in the throttled rows, one expression for the whole body, evaluated once per item.
- *HTTP Request, Using Fields Below*: the HTTP Request node's default body mode, one expression per field:
  the same five expressions per item as the node.

Both HTTP Request set-ups send all items' requests at once and wait for them together; the node runs
8 items at a time when pacing is off. n8n 2.x evaluates every expression in an isolated V8 context (its
default \`vm\` expression engine), a fixed cost per expression, so the number of expressions per item
weighs on both nodes; the goal is held to the faster HTTP Request set-up.
${cfg.rounds > 1 ? '' : 'A single round, on a shared 2-core machine: expect ±15% between runs.\n'}
**Get Many.** The unthrottled emulator's assignments are replaced by ${cfg.records} records, then the node runs
Get Many with Return All (other parameters at their defaults, pacing defaults). List requests = GETs to
\`/api/spaces/coworkerinventoryassets\` the emulator received (page sizes asked: ${gm.pageSizes.join(', ') || 'n/a'}). Peak RSS = the
kernel's high-water mark (\`VmHWM\` in \`/proc/<pid>/status\`) of the main \`n8n execute\` process (found by its
command line, read every 50 ms until it exits), i.e. n8n itself plus the 10,000 items and their
output; the Code-node task runner is a separate process and not counted. For scale, the peak RSS of
the unthrottled runs above is shown too.

${errorSamples.length ? `## Errors seen\n\n${errorSamples.join('\n')}\n` : ''}${failedRuns.length ? `${failedRuns.join('\n')}\n` : ''}`;
	return { tables, doc };
}

if (require.main === module) {
	// Ctrl-C: stop the n8n this script started (its own process group) and delete the temp homes.
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.once(signal, () => {
			if (currentN8nPid !== undefined) {
				try {
					process.kill(-currentN8nPid, 'SIGKILL');
				} catch {
					// already gone
				}
			}
			removeTempDirs();
			process.exit(130);
		});
	}
	main().then(
		(code) => process.exit(code),
		(error) => {
			console.error(`bench failed: ${(error as Error).stack ?? error}`);
			removeTempDirs();
			process.exit(1);
		},
	);
}
