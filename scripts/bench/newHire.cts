/**
 * The bench's "new hire" row (issue 22): N HR new hires, some already members, through Coworker
 * Find or Create, then three kit items each by Create Assignment with Coworker By Email, Location
 * By Name and Inventory Asset By Kind, in real n8n against the emulator enforcing every documented
 * Nexudus limit at Nexudus's own minute. The figure that matters is requests per new hire.
 */
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';

import { floorMs, scaledNexudusLimits } from '../../test/e2e/fixtures/queueScenario.cjs';
import { nexudusHome, REPO } from '../../test/e2e/fixtures/nexudus.cjs';
import {
	executeWorkflow,
	importWorkflows,
	outputItems,
	type ExecutionResult,
} from '../../test/e2e/n8n.cjs';
import { DEMO, startEmulator, type RecordedRequest } from '../../test/emulator/server.cjs';

const CREDENTIAL = { id: 'nexudusEmulator01', name: 'Nexudus (local emulator)' };
const WORKFLOW_ID = 'benchNewHire00001';
const KIT = ['laptop', 'headset', 'welcome pack'];
const LOCATION = 'Madrid - Gran Vía';
/** Round trip of one Nexudus answer, as in the other throttled rows (100 ms × scale 1). */
const LATENCY_MS = 100;
const FIND_OR_CREATE = 'Find or create member';
const KIT_NODE = 'Kit by kind';
const NOTIFY = 'Notify HR';

export const NEW_HIRE_START =
	'<!-- new-hire: start (npm run bench -- --only newhire replaces this section) -->';
export const NEW_HIRE_END = '<!-- new-hire: end -->';

export interface NewHireFigures {
	hires: number;
	existing: number;
	membersCreated: number;
	membersExpected: number;
	memberDuplicates: number;
	kitsCreated: number;
	kitsExpected: number;
	kitDuplicates: number;
	errorItems: string[];
	requests: number;
	admitted: number;
	writes: number;
	throttled: number;
	byEndpoint: Array<[string, number]>;
	nodeMs?: number;
	processMs: number;
	writeFloorMs: number;
	allLimitsFloorMs: number;
	runError?: string;
}

/** N hires: the first `existing` are the demo's members (one e-mail in capitals, one padded). */
function hires(n: number, existing: Array<{ FullName: string; Email: string }>) {
	return Array.from({ length: n }, (_, i) => {
		const known = existing[i];
		const email = known
			? i === 0
				? known.Email.toUpperCase()
				: ` ${known.Email} `
			: i === existing.length
				? `Nueva.CONTRATACION.${i + 1}@Example.com`
				: `hire${i + 1}@example.com`;
		return {
			fullName: known ? known.FullName : `Núñez Ibáñez ${i + 1}`,
			email,
			location: LOCATION,
			startDate: '2026-03-02',
			// A quarter of the hires are fixed-term.
			...(i % 4 === 1 ? { endDate: '2026-08-31' } : {}),
			kit: KIT,
		};
	});
}

/**
 * examples/hr-new-hire.json as shipped, minus its door-card step (not part of this row): the
 * Webhook becomes a Code node of the same name emitting the bodies, and Kit by kind names the
 * member By Email (the e-mail HR sent), so the run's e-mail cache is what finds them.
 */
function workflow(items: object[]) {
	const example = JSON.parse(readFileSync(path.join(REPO, 'examples', 'hr-new-hire.json'), 'utf8'));
	const byName = (name: string) => {
		const node = example.nodes.find((n: { name: string }) => n.name === name);
		if (!node) throw new Error(`examples/hr-new-hire.json has no node "${name}"`);
		return node;
	};
	const hire = byName('New hire');
	const kit = byName(KIT_NODE);
	kit.parameters.coworker = { __rl: true, mode: 'email', value: '={{ $json.email }}' };
	const nodes = [
		{
			id: 'bench-0',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [-240, 0],
			parameters: {},
		},
		{
			id: hire.id,
			name: 'New hire',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: hire.position,
			parameters: {
				jsCode: `return ${JSON.stringify(items)}.map((body) => ({ json: { body } }));`,
			},
		},
		byName(FIND_OR_CREATE),
		byName('One item per kit piece'),
		kit,
		byName(NOTIFY),
	];
	const to = (node: string) => [{ node, type: 'main', index: 0 }];
	return {
		...example,
		id: WORKFLOW_ID,
		name: 'Bench: new hire, Find or Create + 3 kit items',
		nodes,
		connections: {
			Start: { main: [to('New hire')] },
			'New hire': { main: [to(FIND_OR_CREATE)] },
			[FIND_OR_CREATE]: { main: [to('One item per kit piece'), to(NOTIFY)] },
			'One item per kit piece': { main: [to(KIT_NODE)] },
			[KIT_NODE]: { main: [[], to(NOTIFY)] },
		},
	};
}

/** The earliest the N-th write can pass 60 a minute and one request per 100 ms, from the first. */
function writeFloorMs(writes: number): number {
	const last = Math.max(writes - 1, 0);
	return Math.floor(last / 60) * 60_000 + (last % 60) * 100;
}

function endpointOf(r: RecordedRequest): string {
	const p = r.path.replace(/\/\d+(?=\/|$)/g, '/{id}');
	return `${r.method} ${p}`;
}

function nodeTime(result: ExecutionResult, name: string): number | undefined {
	const t = result.runData[name]?.[0]?.executionTime;
	return typeof t === 'number' ? t : undefined;
}

export async function runNewHire(opts: {
	hires: number;
	timeoutMs?: number;
	log: (line: string) => void;
}): Promise<NewHireFigures> {
	const limits = scaledNexudusLimits(1);
	const emulator = await startEmulator({ seed: 'demo', latencyMs: LATENCY_MS });
	try {
		for (const [name, sku] of [
			['Laptop', 'LAP'],
			['Headset', 'HDS'],
			['Welcome pack', 'WPK'],
		]) {
			for (let n = 1; n <= opts.hires + 2; n++) {
				emulator.db.addInventoryAsset({
					Name: `${name} ${String(n).padStart(3, '0')}`,
					Sku: `MAD-${sku}-${n}`,
					BusinessId: DEMO.businesses.madrid,
				});
			}
		}
		const known = [DEMO.coworkers.janeDoe, DEMO.coworkers.gracePark]
			.slice(0, Math.max(0, Math.min(2, opts.hires - 1)))
			.map((id) => emulator.db.coworker(id)!);
		const items = hires(opts.hires, known);
		opts.log('new hire: npm pack + fresh n8n home...');
		const home = await nexudusHome(2, emulator.url, CREDENTIAL);
		await importWorkflows(home, [workflow(items)]);

		const membersBefore = emulator.db.coworkers.length;
		const kitsBefore = emulator.db.coworkerInventoryAssets.length;
		emulator.setLimits(limits);
		emulator.clearRequests();
		opts.log(
			`new hire: ${opts.hires} hires (${known.length} already members) x ${KIT.length} kit items, every Nexudus limit...`,
		);
		const result = await executeWorkflow(home, WORKFLOW_ID, {
			timeoutMs: opts.timeoutMs ?? 900_000,
		});

		const perHire = items.map((hire, i) => {
			const email = hire.email.trim().toLowerCase();
			return emulator.db.coworkers.filter(
				(c, index) =>
					c.Email.toLowerCase() === email &&
					c.CoworkerType === 'Individual' &&
					(i < known.length || index >= membersBefore),
			);
		});
		const kitsOf = (id: number) =>
			emulator.db.coworkerInventoryAssets.slice(kitsBefore).filter((a) => a.CoworkerId === id);
		const kitCounts = perHire.map((members) =>
			members[0] ? kitsOf(Number(members[0].Id)).length : 0,
		);
		const requests = emulator.requests;
		const admitted = requests.filter((r) => r.status !== 409 && r.status !== 0);
		const writes = admitted.filter((r) => r.method !== 'GET' && r.path.startsWith('/api/spaces/'));
		const byEndpoint = new Map<string, number>();
		for (const r of requests)
			byEndpoint.set(endpointOf(r), (byEndpoint.get(endpointOf(r)) ?? 0) + 1);
		const notified = result.runData[NOTIFY] ? outputItems(result, NOTIFY) : [];
		const times = [nodeTime(result, FIND_OR_CREATE), nodeTime(result, KIT_NODE)];
		const figures: NewHireFigures = {
			hires: opts.hires,
			existing: known.length,
			membersCreated: emulator.db.coworkers.length - membersBefore,
			membersExpected: opts.hires - known.length,
			memberDuplicates: perHire.reduce((sum, members) => sum + Math.max(0, members.length - 1), 0),
			kitsCreated: emulator.db.coworkerInventoryAssets.length - kitsBefore,
			kitsExpected: KIT.length * opts.hires,
			kitDuplicates: kitCounts.reduce((sum, count) => sum + Math.max(0, count - KIT.length), 0),
			errorItems: notified.map((i) =>
				String(i.json?.message ?? i.json?.error ?? JSON.stringify(i.json)),
			),
			requests: requests.length,
			admitted: admitted.length,
			writes: writes.length,
			throttled: requests.filter((r) => r.status === 409).length,
			byEndpoint: [...byEndpoint.entries()].sort((a, b) => b[1] - a[1]),
			nodeMs: times.every((t) => t !== undefined) ? times[0]! + times[1]! : undefined,
			processMs: result.ms,
			writeFloorMs: writeFloorMs(writes.length),
			allLimitsFloorMs: floorMs(admitted.length, writes.length, limits),
			runError: result.ok ? undefined : result.error?.message,
		};
		opts.log(
			`  ${figures.membersCreated} members, ${figures.kitsCreated} kit items, ${figures.requests} requests ` +
				`(${(figures.requests / figures.hires).toFixed(2)} per new hire), ${figures.throttled} 409s` +
				(figures.runError ? `, run failed: ${figures.runError}` : ''),
		);
		return figures;
	} finally {
		await emulator.close().catch(() => undefined);
	}
}

const sec = (ms: number | undefined) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
const ratio = (a: number | undefined, b: number) =>
	a === undefined || b <= 0 ? 'n/a' : `${(a / b).toFixed(3)}×`;
const line = (cells: string[]) => `| ${cells.join(' | ')} |`;

export function newHireOk(f: NewHireFigures): boolean {
	return (
		!f.runError &&
		f.membersCreated === f.membersExpected &&
		f.kitsCreated === f.kitsExpected &&
		f.memberDuplicates === 0 &&
		f.kitDuplicates === 0 &&
		f.errorItems.length === 0
	);
}

export function newHireSection(f: NewHireFigures, host: { commit: string }, n8nVersion: string) {
	const creates = f.membersCreated + f.kitsCreated;
	const header = [
		'Workload (every Nexudus limit, its own minute)',
		'Members created',
		'Kit items created',
		'Lost',
		'Duplicated',
		'Requests',
		'Per new hire',
		'Per create',
		'409s received',
		'Node time',
		'Write floor',
		'÷ write floor',
		'÷ all-limits floor',
	];
	const lost =
		f.membersExpected -
		Math.min(f.membersCreated, f.membersExpected) +
		(f.kitsExpected - Math.min(f.kitsCreated, f.kitsExpected));
	const row = [
		`new hire: Find or Create + 3 kit items, ${f.hires} hires (${f.existing} already members)`,
		`${f.membersCreated} / ${f.membersExpected}`,
		`${f.kitsCreated} / ${f.kitsExpected}`,
		String(lost),
		String(f.memberDuplicates + f.kitDuplicates),
		String(f.requests),
		(f.requests / f.hires).toFixed(2),
		creates ? (f.requests / creates).toFixed(2) : 'n/a',
		String(f.throttled),
		sec(f.nodeMs),
		sec(f.writeFloorMs),
		ratio(f.nodeMs, f.writeFloorMs),
		ratio(f.nodeMs, f.allLimitsFloorMs),
	];
	const tableText = [
		`New hire: ${f.hires} hires × ${KIT.length} kit items; ${f.requests} requests (${f.admitted} admitted, ${f.writes} writes). ` +
			`Write floor ${sec(f.writeFloorMs)}, all-limits floor ${sec(f.allLimitsFloorMs)}.`,
		'',
		line(header),
		line(header.map(() => '---')),
		line(row),
		'',
		`Requests by endpoint: ${f.byEndpoint.map(([endpoint, count]) => `${endpoint} ${count}`).join(', ')}.`,
		...(f.errorItems.length
			? ['', `Error items (${f.errorItems.length}), the first: ${f.errorItems[0]}`]
			: []),
		...(f.runError ? ['', `The execution failed: ${f.runError}`] : []),
	].join('\n');
	const doc = `${NEW_HIRE_START}
## New hire: Find or Create + 3 kit items

Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC at ${host.commit}, n8n ${n8nVersion}, by \`npm run bench\` (or \`-- --only newhire\`, which
replaces only this section).

${tableText}

**Workflow.** \`examples/hr-new-hire.json\` as shipped, without its door-card step: a Code node
named New hire emits the ${f.hires} bodies (${f.existing} of them the e-mails of existing members, one in capitals, one
with spaces around it; one new e-mail in mixed case; accents in names; a quarter with an end date) →
Coworker Find or Create (e-mail, Individual, Location By Name) → Code (one item per kit piece) →
Create Assignment with Coworker **By Email** (the e-mail as HR sent it), Location By Name, Inventory
Asset By Kind (laptop, headset, welcome pack; If Already Assigned: Skip, the default) → error outputs
to a NoOp. Every Nexudus node at its default Options. One \`n8n execute\` process, one emulator
with ${f.hires + 2} assets of each kind at Madrid.

**Limits.** The emulator enforces every documented Nexudus limit per account at Nexudus's own
minute (scale 1, not time-scaled: the node paces reads by the real 120 a minute whatever its Write
Window says): one request per 100 ms, 120 requests and 60 writes a minute, 5,000 requests an hour,
5,000 writes and 200,000 requests a day; past any of them \`409\` with \`Retry-After: 1\`. Each answer
takes ${LATENCY_MS} ms.

**Counting.** *Requests*: every request the emulator received during the run, the node's login and
any 409 included; *per new hire* = requests ÷ ${f.hires}; *per create* = requests ÷ records created
(members + kit items). Lost / duplicated: members per (e-mail, type) and kit items per member against
the ${f.membersExpected} + ${f.kitsExpected} expected. *Node time*: the \`executionTime\` of Find or Create plus that of Kit
by kind in n8n's run data. *Write floor*: the earliest the ${f.writes} writes can pass 60 a minute and
one request per 100 ms, first to last: floor((W−1)/60) × 60 s + ((W−1) mod 60) × 100 ms. The
*all-limits floor* adds the reads: the ${f.admitted} admitted requests through the emulator's own limiter on a
virtual clock. The machine is shared (2 cores, other runs in parallel), so times are noisy: the
request counts are the figures to compare.

**Where the requests go.** Per hire: one e-mail lookup (Find or Create), and the POST for a
new member. Per kit item: the picked asset's open assignments read again just before the POST
(another execution may have taken it), the POST, and one more read after it (two executions picking
the same asset at once). Per node run: the location by name; once per run, the node's login, the
home location's record (country, time zone) and the location's stock (its assets and assignments).
Kit by kind's By Email sends nothing: the run's e-mail cache learned each member in Find or Create.
${NEW_HIRE_END}
`;
	return { table: tableText, doc };
}

/** Replaces the section between `start` and `end` in the benchmark page, or adds it `before` a marker. */
export async function writeSection(
	file: string,
	section: string,
	markers: { start: string; end: string; before?: string },
): Promise<void> {
	let doc = '';
	try {
		doc = await fs.readFile(file, 'utf8');
	} catch {
		doc = '# Benchmarks\n';
	}
	const start = doc.indexOf(markers.start);
	const end = doc.indexOf(markers.end);
	const before = markers.before ? doc.indexOf(markers.before) : -1;
	const next =
		start >= 0 && end > start
			? `${doc.slice(0, start)}${section.trimEnd()}${doc.slice(end + markers.end.length)}`
			: before >= 0
				? `${doc.slice(0, before)}${section.trimEnd()}\n\n${doc.slice(before)}`
				: `${doc.trimEnd()}\n\n${section}`;
	await fs.mkdir(path.dirname(file), { recursive: true });
	await fs.writeFile(file, next.endsWith('\n') ? next : `${next}\n`);
}
