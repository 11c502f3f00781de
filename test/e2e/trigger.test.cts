// The Nexudus Trigger in real n8n (server mode, workflows activated through the REST API as the
// editor does), with Nexudus's deliveries coming from the emulator: the two trigger examples as
// shipped, signatures (Nexudus's ASCII form, a non-ASCII secret), event tokens, refused bodies,
// repeated deliveries, deactivation, and re-creation of a webhook deleted in
// Nexudus on the next activation (a restart of n8n).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import type { DeliveryAttempt, Emulator } from '../emulator/server.cjs';
import { DEMO, signBody, startEmulator, webhooksOf } from '../emulator/server.cjs';
import {
	activateWorkflow as activate,
	deactivateWorkflow as deactivate,
	executionItems,
	executionsSettled,
	listExecutions as executions,
	until,
} from './fixtures/activation.cjs';
import { nexudusHome, REPO } from './fixtures/nexudus.cjs';
import type { N8nHome, N8nMajor, N8nServer } from './n8n.cjs';
import { importWorkflows, removeTempDirs, startN8nServer } from './n8n.cjs';

const CREDENTIAL = { id: 'nexudusEmulator01', name: 'Nexudus (local emulator)' };
// Not ASCII: Nexudus signs with its ASCII form (each character above U+007F is '?').
const SECRET = 'e2e-clé-secrète-ñ';
const SLOW = 900_000;
// At most 21 characters: n8n saves no static data for a longer workflow id (isWorkflowIdValid).
const ONBOARDING = 'nexudusTrigOnboard01';
const OFFBOARDING = 'nexudusTrigOffboard01';

afterAll(() => removeTempDirs());

/** An example as shipped, in a workflow time zone other than UTC (where a date without offset would shift). */
function example(file: string): Record<string, unknown> {
	const workflow = JSON.parse(readFileSync(path.join(REPO, 'examples', file), 'utf8'));
	return { ...workflow, settings: { ...workflow.settings, timezone: 'Europe/Berlin' } };
}

/** Waits until the workflow has `count` finished executions, all successful. */
async function finished(server: N8nServer, id: string, count: number) {
	const runs = await executionsSettled(server, id, count);
	expect(runs.map((run) => run.status)).toEqual(Array(count).fill('success'));
	return runs;
}

async function fire(
	emulator: Emulator,
	event: Record<string, unknown>,
): Promise<{ record: Record<string, any>; attempts: DeliveryAttempt[] }> {
	const answer = await fetch(`${emulator.url}/_emulator/events`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(event),
	});
	const fired = (await answer.json()) as { record: Record<string, any>; deliveryIds: number[] };
	expect(answer.status).toBe(200);
	const attempts = (await (
		await fetch(`${emulator.url}/_emulator/deliveries?wait=1`)
	).json()) as DeliveryAttempt[];
	return {
		record: fired.record,
		attempts: attempts.filter((attempt) => fired.deliveryIds.includes(attempt.deliveryId)),
	};
}

const assignmentsOf = (emulator: Emulator, coworkerId: number) =>
	emulator.db.coworkerInventoryAssets.filter((record) => record.CoworkerId === coworkerId);

describe.each([2, 1] as N8nMajor[])('Nexudus Trigger in n8n %i.x (server mode)', (major) => {
	let emulator: Emulator;
	let home: N8nHome;
	let server: N8nServer | undefined;
	/** Deliveries the trigger did not answer as it must (checked softly, asserted later). */
	const untrusted: string[] = [];

	beforeAll(async () => {
		emulator = await startEmulator({ seed: 'demo' });
		await fetch(`${emulator.url}/_emulator/webhook-settings`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ secret: SECRET, retryDelayMs: 300 }),
		});
		home = await nexudusHome(major, emulator.url, CREDENTIAL, { webhookSecret: SECRET });
		// The address Nexudus must reach: n8n's production webhook base.
		home.env.WEBHOOK_URL = `http://127.0.0.1:${home.env.N8N_PORT}/`;
		await importWorkflows(home, [
			example('trigger-member-joins-starter-kit.json'),
			example('trigger-membership-cancelled-collect-assets.json'),
		]);
	}, SLOW);

	afterAll(async () => {
		await server?.stop();
		await emulator?.close();
	});

	test(
		'activation registers the webhooks; a member created (Lucía, signed as Nexudus signs) gets the starter kit; forged, relabelled, non-array and repeated deliveries start nothing; a cancelled membership ends the assignments; a webhook deleted in Nexudus comes back on the next activation; deactivation removes them',
		async () => {
			try {
				await scenario();
			} catch (error) {
				console.log(`n8n ${major}.x: deliveries wrongly handled: ${JSON.stringify(untrusted)}`);
				console.log(`n8n ${major}.x output:\n${server?.output().slice(-6000) ?? '(not started)'}`);
				throw error;
			}
		},
		SLOW,
	);

	async function scenario(): Promise<void> {
		server = await startN8nServer(home);
		await activate(server, ONBOARDING);
		await activate(server, OFFBOARDING);
		const base = `http://127.0.0.1:${home.env.N8N_PORT}/webhook/`;
		const hooks = () => webhooksOf(emulator.db).webhooks;
		const requests = () =>
			emulator.requests
				.filter((r) => r.path.startsWith('/api/sys/webhooks'))
				.map((r) => `${r.method} ${r.path} ${r.status}`);
		await until('4 webhooks registered', async () => hooks().length >= 4, 30_000).catch((error) => {
			throw new Error(
				`${(error as Error).message}; webhook requests: ${requests().join(', ') || 'none'}`,
			);
		});
		expect(
			hooks()
				.map((w) => [w.Action, w.BusinessId, w.Active])
				.sort(),
		).toEqual([
			[11, DEMO.businesses.madrid, true],
			[11, DEMO.businesses.newYork, true],
			[3, DEMO.businesses.madrid, true],
			[3, DEMO.businesses.newYork, true],
		]);
		for (const webhook of hooks()) expect(webhook.URL.startsWith(base)).toBe(true);

		// 1. Delivered twice (a repeat): both answered 200, one execution, the kit once.
		const twice = await fire(emulator, {
			action: 'CoworkerCreate',
			record: { FullName: 'Omar Haddad', Email: 'omar.haddad@example.com' },
			businessId: DEMO.businesses.newYork,
			deliverTwice: true,
		});
		expect(twice.attempts.map((a) => a.status)).toEqual([200, 200]);
		await finished(server, ONBOARDING, 1);
		await new Promise((resolve) => setTimeout(resolve, 3000));
		expect(await executions(server, ONBOARDING)).toHaveLength(1);
		expect(
			assignmentsOf(emulator, twice.record.Id as number)
				.map((a) => a.InventoryAssetId)
				.sort(),
		).toEqual([3017, 3026, 3030]);

		// 2. Forged: a wrong signature, none, or a signature of other bytes get 401; nothing starts.
		const newYorkHook = hooks().find(
			(w) => w.Action === 3 && w.BusinessId === DEMO.businesses.newYork,
		)!;
		const forgedBody = JSON.stringify([{ ...twice.record, Id: 999, FullName: 'Mallory' }]);
		for (const signature of [
			signBody('not-the-secret', forgedBody),
			undefined,
			signBody(SECRET, `${forgedBody} `),
		]) {
			const answer = await fetch(newYorkHook.URL, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					...(signature ? { 'X-Nexudus-Hook-Signature': signature } : {}),
				},
				body: forgedBody,
			});
			expect(answer.status).toBe(401);
		}

		// 2b. Omar's captured delivery (real signature) relabelled: the URL without its token, or
		// another event with this token, gets 401; a signed body that is not a JSON array of
		// records gets 400, whatever its Content-Type. Checked softly so a failure here still lets
		// the Lucía delivery below run; asserted after it.
		const [captured] = twice.attempts;
		const url = new URL(newYorkHook.URL);
		if (!/^[0-9a-f]{32}$/.test(url.searchParams.get('token') ?? ''))
			untrusted.push(`registered URL without an event token: ${url.search}`);
		const withoutToken = new URL(url);
		withoutToken.searchParams.delete('token');
		const relabelled = new URL(url);
		relabelled.searchParams.set('event', 'CoworkerContractCancel');
		const single = JSON.stringify(twice.record);
		const sends: Array<[string, string, string, string, number]> = [
			['no token', withoutToken.href, captured.body, 'application/json', 401],
			['another event', relabelled.href, captured.body, 'application/json', 401],
			['one object', url.href, single, 'application/json', 400],
			['one object as a form', url.href, single, 'application/x-www-form-urlencoded', 400],
			['an empty array', url.href, '[]', 'application/json', 400],
		];
		for (const [name, target, text, contentType, expected] of sends) {
			const answer = await fetch(target, {
				method: 'POST',
				headers: {
					'content-type': contentType,
					'X-Nexudus-Hook-Signature': signBody(SECRET, text),
				},
				body: text,
			});
			if (answer.status !== expected) untrusted.push(`${name}: ${answer.status}, not ${expected}`);
		}

		// 3. Member created at Madrid: Lucía Fernández, Gran Vía 28, an emoji in a note, signed as
		// Nexudus signs it (ASCII form, non-ASCII secret): 200 at once, the kit assigned. Nexudus
		// sends its dates without offset here (datesWithoutZ): the kit starts at the member's
		// CreatedOn instant.
		emulator.setSwitches({ datesWithoutZ: true });
		const joined = await fire(emulator, {
			action: 'CoworkerCreate',
			record: {
				FullName: 'Lucía Fernández',
				Email: 'lucia.nueva@example.com',
				Address: 'Gran Vía 28',
				Notes: 'Bienvenida 🎉',
			},
			businessId: DEMO.businesses.madrid,
		});
		const [signed] = joined.attempts;
		expect(signed.body).toContain('Lucía Fernández');
		expect(signed.signature).toBe(signBody(SECRET, signed.body));
		expect(signed.signature).not.toBe(signBody(SECRET, signed.body, 'utf8'));
		expect(joined.attempts.map((a) => a.status)).toEqual([200]);
		const runs = await finished(server, ONBOARDING, 2);
		emulator.setSwitches({ datesWithoutZ: false });
		const summaries = await Promise.all(
			runs.map(async (run) => (await executionItems(server!, run.id, 'Kit assigned'))[0]),
		);
		expect(summaries.map((summary) => summary.member).sort()).toEqual([
			'Lucía Fernández',
			'Omar Haddad',
		]);
		const kitSummary = summaries.find((summary) => summary.member === 'Lucía Fernández');
		expect(kitSummary).toMatchObject({ member: 'Lucía Fernández', skipped: [] });
		const kit = assignmentsOf(emulator, joined.record.Id as number);
		expect(kit.map((a) => [a.InventoryAssetId, a.Notes, a.AssignedTo]).sort()).toEqual([
			[3002, 'Starter kit: hot desk', null],
			[3011, 'Starter kit: chair', null],
			[3015, 'Starter kit: locker', null],
		]);
		expect(
			kit.every(
				(a) =>
					a.BusinessId === DEMO.businesses.madrid && a.AssignedFrom === joined.record.CreatedOn,
			),
		).toBe(true);
		expect(untrusted).toEqual([]);
		await new Promise((resolve) => setTimeout(resolve, 2000));
		expect(await executions(server, ONBOARDING)).toHaveLength(2); // Omar + Lucía, none from the forgeries

		// 4. A membership cancelled: the member's open assignments at the contract's location end on
		// the cancellation date.
		const lucia = DEMO.coworkers.luciaFernandez;
		const cancelled = await fire(emulator, {
			action: 'CoworkerContractCancel',
			// Without offset, as Nexudus may send it: UTC.
			record: { CoworkerId: lucia, CancellationDate: '2026-02-27T17:00:00' },
		});
		expect(cancelled.attempts.map((a) => a.status)).toEqual([200]);
		const [offboarding] = await finished(server, OFFBOARDING, 1);
		const [summary] = await executionItems(server, offboarding.id, 'Assets to collect');
		expect(summary).toMatchObject({ coworker: 'Lucía Fernández', toCollect: 2, notEnded: [] });
		expect(summary.collect.map((a: { asset: string }) => a.asset).sort()).toEqual([
			'Dedicated desk 01',
			'Monitor Dell U2723QE 27" 01',
		]);
		expect(assignmentsOf(emulator, lucia).filter((a) => a.AssignedTo === null)).toEqual([]);
		expect(assignmentsOf(emulator, lucia).map((a) => a.AssignedTo)).toEqual([
			'2026-02-27T17:00:00Z',
			'2026-02-27T17:00:00Z',
		]);

		// 5. Deleted in Nexudus while n8n is down. At start-up n8n 1.x runs checkExists (false: the
		// webhook is missing) and create; n8n 2.x does not run the webhook methods at start-up for a
		// workflow whose webhooks it already knows, so there it comes back on the next activation.
		await server.stop();
		server = undefined;
		const madridHook = hooks().find(
			(w) => w.Action === 3 && w.BusinessId === DEMO.businesses.madrid,
		)!;
		const deleted = madridHook.Id;
		const madridMember = () =>
			hooks().filter((w) => w.Action === 3 && w.BusinessId === DEMO.businesses.madrid);
		webhooksOf(emulator.db).webhooks.splice(hooks().indexOf(madridHook), 1);
		server = await startN8nServer(home);
		if (major === 1) {
			await until(
				'the Madrid member webhook back after the restart',
				async () => madridMember().length === 1,
			);
		} else {
			await new Promise((resolve) => setTimeout(resolve, 5000));
			expect(madridMember()).toEqual([]);
			await deactivate(server, ONBOARDING);
			await activate(server, ONBOARDING);
			await until(
				'the Madrid member webhook back after deactivate and activate',
				async () => madridMember().length === 1,
			);
		}
		expect(madridMember()[0].Id).not.toBe(deleted);
		// All four again, none twice (n8n's static data may be stale: the node also reads Nexudus).
		await until('4 webhooks', async () => hooks().length === 4, 30_000);
		expect(
			hooks()
				.map((w) => `${w.Action}@${w.BusinessId}`)
				.sort(),
		).toEqual(['11@1001', '11@1002', '3@1001', '3@1002']);
		const again = await fire(emulator, {
			action: 'CoworkerCreate',
			record: { FullName: 'Pia Lund', Email: 'pia.lund@example.com' },
			businessId: DEMO.businesses.madrid,
		});
		expect(again.attempts.map((a) => a.status)).toEqual([200]);
		await finished(server, ONBOARDING, 3);

		// 6. Deactivated: n8n deletes its webhooks in Nexudus.
		await deactivate(server, ONBOARDING);
		await deactivate(server, OFFBOARDING);
		await until('no webhook left', async () => hooks().length === 0, 30_000);
	}
});
