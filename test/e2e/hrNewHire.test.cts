// examples/hr-new-hire.json in real n8n 2.x and 1.x (the built package from its npm tarball)
// against the emulator: issue 22's Done-when. 20 hires (accents, a mixed-case e-mail, 5 with an
// end date, 15 without, 2 already members, one Company profile sharing an Individual's e-mail),
// one fault of each kind on Coworker Create; run twice; then offboard one.
// The example runs as shipped except its Webhook, replaced by a Code node of the same name that
// emits the 20 requests' bodies, and a 2 s Timeout on Find or Create (for the timeout fault).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import type { Emulator, FaultSpec } from '../emulator/server.cjs';
import { DEMO, startEmulator } from '../emulator/server.cjs';
import { nexudusHome, REPO } from './fixtures/nexudus.cjs';
import { chainWorkflow } from './fixtures/workflows.cjs';
import type { N8nHome, N8nMajor } from './n8n.cjs';
import { executeWorkflow, importWorkflows, outputItems, removeTempDirs } from './n8n.cjs';

const CREDENTIAL = { id: 'nexudusEmulator01', name: 'Nexudus (local emulator)' };
const COWORKERS = '/api/spaces/coworkers';
const SLOW = 600_000;

afterAll(() => removeTempDirs());

const FIRST = [
	'Lucía',
	'José',
	'Zoë',
	'Łukasz',
	'Ingrid',
	'Noël',
	'María José',
	'Søren',
	'Çelik',
	'Ana',
	'Björn',
	'Chloé',
	'Iñaki',
	'Renée',
	'Ahmed',
	'Dvořák',
	'Ève',
];
const existing = DEMO.coworkers;

function hires(jane: string, grace: string) {
	const list: Array<Record<string, unknown>> = FIRST.map((first, i) => ({
		fullName: `${first} Núñez-${i + 1}`,
		email: i === 0 ? 'Lucia.NUNEZ.1@Example.com' : `hire${i + 1}@example.com`,
		location: 'Madrid - Gran Vía',
		startDate: '2026-03-02',
		...(i < 5 ? { endDate: '2026-08-31' } : {}),
		accessCard: `CARD-${String(i + 1).padStart(4, '0')}`,
		kit: ['laptop', 'headset', 'welcome pack'],
	}));
	list.push(
		{
			fullName: 'Jane Doe',
			email: jane.toUpperCase(),
			location: 'Madrid - Gran Vía',
			startDate: '2026-03-02',
			accessCard: 'CARD-0018',
			kit: ['laptop', 'headset', 'welcome pack'],
		},
		{
			fullName: 'Grace Park',
			email: ` ${grace} `,
			location: 'Madrid - Gran Vía',
			startDate: '2026-03-02',
			accessCard: 'CARD-0019',
			kit: ['laptop', 'headset', 'welcome pack'],
		},
		{
			fullName: 'Jane Doe Consulting',
			email: jane,
			type: 'Company',
			location: 'Madrid - Gran Vía',
			startDate: '2026-03-02',
			accessCard: 'CARD-0020',
			kit: ['laptop', 'headset', 'welcome pack'],
		},
	);
	return list;
}

const FAULTS: FaultSpec[] = [
	{ method: 'POST', path: COWORKERS, kind: '500-after-write' },
	{ method: 'POST', path: COWORKERS, kind: '500' },
	{ method: 'POST', path: COWORKERS, kind: 'drop-after-write' },
	{ method: 'POST', path: COWORKERS, kind: '504-late-commit', delayMs: 3_000 },
	{ method: 'POST', path: COWORKERS, kind: 'html-200-after-write' },
	{ method: 'POST', path: COWORKERS, kind: '200-no-id-after-write' },
	{ method: 'POST', path: COWORKERS, kind: 'slow', delayMs: 3_000 },
];

function exampleWorkflow(items: object[]) {
	const example = JSON.parse(readFileSync(path.join(REPO, 'examples', 'hr-new-hire.json'), 'utf8'));
	example.nodes = example.nodes.map((node: Record<string, any>) => {
		if (node.name === 'New hire') {
			return {
				id: node.id,
				name: 'New hire',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: node.position,
				parameters: {
					jsCode: `return ${JSON.stringify(items)}.map((body) => ({ json: { body } }));`,
				},
			};
		}
		if (node.name === 'Find or create member') node.parameters.options = { timeoutSeconds: 2 };
		return node;
	});
	example.nodes.push({
		id: 'hire-0',
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [-240, 0],
		parameters: {},
	});
	example.connections.Start = { main: [[{ node: 'New hire', type: 'main', index: 0 }]] };
	return example;
}

function offboardingWorkflow(email: string, card: string) {
	const credentials = { nexudusOAuth2Api: CREDENTIAL };
	return chainWorkflow('nexudusOffboardE2e1', 'Offboard one hire', [
		{
			name: 'Leaver',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			parameters: {
				jsCode: `return [{ json: { email: ${JSON.stringify(email)}, card: ${JSON.stringify(card)} } }];`,
			},
		},
		{
			name: 'End kit',
			type: 'n8n-nodes-nexudus.nexudus',
			typeVersion: 1,
			credentials,
			parameters: {
				resource: 'coworkerInventoryAsset',
				operation: 'endAssignment',
				scope: 'allOfCoworker',
				coworker: { __rl: true, mode: 'email', value: '={{ $json.email }}' },
				options: {},
			},
			extra: { alwaysOutputData: true },
		},
		{
			name: 'Clear door access',
			type: 'n8n-nodes-nexudus.nexudus',
			typeVersion: 1,
			credentials,
			parameters: {
				resource: 'coworker',
				operation: 'update',
				coworker: { __rl: true, mode: 'email', value: "={{ $('Leaver').first().json.email }}" },
				updateFields: {},
				clear: ['accessCardId', 'keyFobNumber', 'accessPincode'],
				options: {},
			},
			extra: { executeOnce: true },
		},
	]);
}

describe.each([2, 1] as N8nMajor[])('HR new hire example in real n8n %d.x', (major) => {
	let emulator: Emulator;
	let home: N8nHome;
	const figures: string[] = [];

	beforeAll(async () => {
		emulator = await startEmulator({ seed: 'demo' });
		for (const [name, sku] of [
			['Laptop', 'LAP'],
			['Headset', 'HDS'],
			['Welcome pack', 'WPK'],
		]) {
			for (let n = 1; n <= 22; n++) {
				emulator.db.addInventoryAsset({
					Name: `${name} ${String(n).padStart(2, '0')}`,
					Sku: `MAD-${sku}-${n}`,
					BusinessId: DEMO.businesses.madrid,
				});
			}
		}
		home = await nexudusHome(major, emulator.url, CREDENTIAL);
	}, SLOW);
	afterAll(async () => {
		console.log(`n8n ${major}.x, HR new hire:\n${figures.join('\n')}`);
		await emulator?.close();
	});

	it(
		'20 hires, one fault of each kind on Coworker Create: 18 new members, 20 kits of 3, cards set, nothing duplicated or lost; a second run creates nothing; offboarding ends the kit and clears the card',
		async () => {
			const jane = emulator.db.coworker(existing.janeDoe)!.Email;
			const grace = emulator.db.coworker(existing.gracePark)!.Email;
			const items = hires(jane, grace);
			const membersBefore = emulator.db.coworkers.length;
			const assignmentsBefore = emulator.db.coworkerInventoryAssets.length;
			const workflow = exampleWorkflow(items);
			await importWorkflows(home, [
				workflow,
				offboardingWorkflow('hire6@example.com', 'CARD-0006'),
			]);
			for (const fault of FAULTS) emulator.faults.add(fault);
			emulator.clearRequests();

			const first = await executeWorkflow(home, workflow.id, { timeoutMs: SLOW });
			await emulator.lateCommitsDone();
			if (first.error) console.log(JSON.stringify(first.error).slice(0, 3000));
			expect(first.error).toBeUndefined();
			const requests = emulator.requests.length;
			const created = emulator.db.coworkers.length - membersBefore;
			const kits = emulator.db.coworkerInventoryAssets.length - assignmentsBefore;
			// Notify HR runs only when an item failed.
			const notified = first.runData['Notify HR'] ? outputItems(first, 'Notify HR').length : 0;
			if (notified > 0)
				console.log(
					JSON.stringify(outputItems(first, 'Notify HR').map((i) => i.json)).slice(0, 3000),
				);
			const emails = items.map(
				(hire) => `${String(hire.email).trim().toLowerCase()}|${String(hire.type ?? 'Individual')}`,
			);
			const perHire = emails.map((key) => {
				const [email, type] = key.split('|');
				return emulator.db.coworkers.filter(
					(c) => c.Email.toLowerCase() === email && c.CoworkerType === type,
				);
			});
			figures.push(
				`run 1: ${created} members created, ${kits} kit assignments, ${notified} items to Notify HR, faults left ${emulator.faults.pending().length}, ${requests} requests (${(requests / 20).toFixed(1)} per new hire)`,
			);
			expect(emulator.faults.pending()).toEqual([]);
			expect(created).toBe(18);
			expect(perHire.map((members) => members.length)).toEqual(items.map(() => 1));
			expect(kits).toBe(60);
			expect(notified).toBe(0);
			for (const [index, [member]] of perHire.entries()) {
				// Start 2026-03-02 in the workflow's Europe/Madrid; the 5 fixed-term hires end 2026-08-31.
				const kit = emulator.db.coworkerInventoryAssets.filter(
					(a) => a.CoworkerId === member.Id && a.AssignedFrom === '2026-03-01T23:00:00Z',
				);
				expect(kit).toHaveLength(3);
				expect(kit.map((a) => a.AssignedTo)).toEqual(
					kit.map(() => (index < 5 ? '2026-08-30T22:00:00Z' : null)),
				);
				expect(member.Fields?.AccessCardId ?? null).toBe(items[index].accessCard);
			}
			expect(emulator.db.coworker(perHire[0][0].Id)!.FullName).toBe('Lucía Núñez-1');

			emulator.clearRequests();
			const second = await executeWorkflow(home, workflow.id, { timeoutMs: SLOW });
			expect(second.error).toBeUndefined();
			const writes = emulator.requests.filter((r) => r.method !== 'GET' && r.path !== '/api/token');
			figures.push(
				`run 2: ${writes.length} writes, ${outputItems(second, 'Kit by kind').filter((i) => i.json.skipped).length} kit items skipped, ${emulator.requests.length} requests`,
			);
			expect(writes).toEqual([]);
			expect(emulator.db.coworkers.length - membersBefore).toBe(18);

			// A permanent hire (no end date): the kit is open until offboarding ends it.
			const leaver = perHire[5][0];
			const kitOf = () =>
				emulator.db.coworkerInventoryAssets.filter((a) => a.CoworkerId === leaver.Id);
			expect(kitOf().filter((a) => a.AssignedTo === null)).toHaveLength(3);
			const off = await executeWorkflow(home, 'nexudusOffboardE2e1', { timeoutMs: SLOW });
			expect(off.error).toBeUndefined();
			const stillOpen = kitOf().filter((a) => a.AssignedTo === null);
			figures.push(
				`offboarding: ${outputItems(off, 'End kit').length} assignments ended, ${stillOpen.length} still open, card ${String(leaver.Fields?.AccessCardId)}`,
			);
			expect(outputItems(off, 'End kit')).toHaveLength(3);
			expect(stillOpen).toEqual([]);
			expect(leaver.Fields?.AccessCardId).toBeNull();
			// Offboarding again: nothing left to end or clear, nothing written.
			emulator.clearRequests();
			const again = await executeWorkflow(home, 'nexudusOffboardE2e1', { timeoutMs: SLOW });
			expect(again.error).toBeUndefined();
			const rewrites = emulator.requests.filter(
				(r) => r.method !== 'GET' && r.path !== '/api/token',
			);
			figures.push(`offboarding again: ${rewrites.length} writes`);
			expect(rewrites).toEqual([]);
		},
		SLOW * 2,
	);
});
