import { createHmac } from 'node:crypto';

import { NexudusTrigger } from '../../../nodes/Nexudus/NexudusTrigger.node';
import { forgetDeliveries } from '../../../nodes/Nexudus/trigger/deliveries';
import { DEMO, startEmulator, webhooksOf, type Emulator } from '../../emulator/server.cjs';
import { serializeObject, signBody } from '../../emulator/webhooks.cjs';
import { adminStore, type CredentialStore } from '../../support/n8nCore.cjs';
import { TriggerHarness } from '../../support/triggerCore.cjs';

/** The trigger's activation against the emulator, and its handling of deliveries. */

let emulator: Emulator;
let store: CredentialStore;

beforeEach(async () => {
	emulator = await startEmulator({ seed: 'demo' });
	store = adminStore(emulator.url);
	forgetDeliveries();
});

afterEach(async () => {
	await emulator.close();
});

const { madrid, newYork } = DEMO.businesses;
const registered = () => webhooksOf(emulator.db).webhooks;

function harness(
	parameters: Record<string, unknown> = {},
	credentials: Record<string, string> = {},
): TriggerHarness {
	if (Object.keys(credentials).length > 0) store = adminStore(emulator.url, credentials);
	return new TriggerHarness(store, {
		events: ['CoworkerCreate'],
		locations: [madrid],
		...parameters,
	} as never);
}

describe('activation (webhookMethods.default)', () => {
	test('create registers one webhook per event and location, with the action number and the event in the URL', async () => {
		const trigger = harness({
			events: ['CoworkerCreate', 'CoworkerContractCancel'],
			locations: [madrid, newYork],
		});
		expect(await trigger.checkExists()).toBe(false);
		expect(await trigger.create()).toBe(true);
		const webhooks = registered();
		expect(webhooks.map((w) => [w.Action, w.BusinessId, w.URL, w.Active])).toEqual([
			[3, madrid, `${trigger.url}?event=CoworkerCreate`, true],
			[3, newYork, `${trigger.url}?event=CoworkerCreate`, true],
			[11, madrid, `${trigger.url}?event=CoworkerContractCancel`, true],
			[11, newYork, `${trigger.url}?event=CoworkerContractCancel`, true],
		]);
		expect(webhooks[0].Name).toBe('n8n: Member: Created');
		expect(webhooks[0].Description).toMatch(/workflow "Onboarding" \(wf-trigger\)/);
		expect(trigger.remembered().map((w) => w.Id)).toEqual(webhooks.map((w) => w.Id));
		expect(await trigger.checkExists()).toBe(true);
	});

	test('no location chosen: every location of the account', async () => {
		const trigger = harness({ locations: [] });
		await trigger.activate();
		expect(
			registered()
				.map((w) => w.BusinessId)
				.sort(),
		).toEqual([madrid, newYork]);
	});

	test.each([
		[
			'deleted in Nexudus',
			(id: number) =>
				webhooksOf(emulator.db).webhooks.splice(
					webhooksOf(emulator.db).webhooks.findIndex((w) => w.Id === id),
					1,
				),
		],
		[
			'disabled in Nexudus (after 10 failed deliveries)',
			(id: number) => {
				(webhooksOf(emulator.db).webhooks.find((w) => w.Id === id) as { Active: boolean }).Active =
					false;
			},
		],
		[
			'pointed elsewhere',
			(id: number) => {
				(webhooksOf(emulator.db).webhooks.find((w) => w.Id === id) as { URL: string }).URL =
					'http://elsewhere/';
			},
		],
	])(
		'a webhook %s makes checkExists false; create replaces all, with no duplicate',
		async (_name, change) => {
			const trigger = harness({ events: ['CoworkerCreate', 'CoworkerUpdate'] });
			await trigger.activate();
			const [first] = trigger.remembered();
			change(first.Id);
			expect(await trigger.checkExists()).toBe(false);
			await trigger.create();
			expect(registered().map((w) => [w.Action, w.Active])).toEqual([
				[3, true],
				[2, true],
			]);
			expect(registered().map((w) => w.Id)).not.toContain(first.Id);
			expect(await trigger.checkExists()).toBe(true);
		},
	);

	test('static data lost (n8n saved the workflow over it): the webhooks are found by URL in Nexudus, never duplicated', async () => {
		const trigger = harness({ locations: [madrid, newYork] });
		await trigger.activate();
		const ids = registered().map((w) => w.Id);
		delete trigger.staticData['node:Nexudus Trigger'];
		expect(await trigger.checkExists()).toBe(true);
		expect(trigger.remembered().map((w) => w.Id)).toEqual(ids);
		delete trigger.staticData['node:Nexudus Trigger'];
		await trigger.create();
		expect(registered()).toHaveLength(2);
		expect(registered().map((w) => w.Id)).not.toContain(ids[0]);
		delete trigger.staticData['node:Nexudus Trigger'];
		expect(await trigger.delete()).toBe(true);
		expect(registered()).toEqual([]);
	});

	test("another workflow's webhooks (another URL) are left alone", async () => {
		await harness().activate();
		const other = registered()[0];
		other.URL = 'http://n8n.test/webhook/another-node/webhook?event=CoworkerCreate';
		const trigger = harness();
		await trigger.activate();
		await trigger.delete();
		expect(registered().map((w) => w.Id)).toEqual([other.Id]);
	});

	test('changed events: checkExists false, and create leaves only the new set', async () => {
		const trigger = harness();
		await trigger.activate();
		trigger.parameters.events = ['CoworkerContractCancel'];
		expect(await trigger.checkExists()).toBe(false);
		await trigger.create();
		expect(registered().map((w) => w.Action)).toEqual([11]);
	});

	test('a create failing midway deletes the ones already created and names the problem', async () => {
		const trigger = harness({ events: ['CoworkerCreate'], locations: [madrid, 4242] });
		await expect(trigger.create()).rejects.toThrow(/Location: is not a valid location/);
		expect(registered()).toEqual([]);
		expect(trigger.remembered()).toEqual([]);
		// The first one was created, then deleted.
		expect(
			emulator.requests
				.filter((r) => r.path === '/api/sys/webhooks' && r.method === 'POST')
				.map((r) => r.status),
		).toEqual([200, 400]);
		expect(emulator.requests.filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([
			200,
		]);
	});

	test('delete removes every webhook; one already gone in Nexudus (404) counts as deleted', async () => {
		const trigger = harness({ locations: [madrid, newYork] });
		await trigger.activate();
		webhooksOf(emulator.db).webhooks.splice(0, 1);
		expect(await trigger.delete()).toBe(true);
		expect(registered()).toEqual([]);
		expect(trigger.remembered()).toEqual([]);
		// The one gone was remembered: its DELETE got 404.
		expect(
			emulator.requests
				.filter((r) => r.method === 'DELETE')
				.map((r) => r.status)
				.sort(),
		).toEqual([200, 404]);
	});

	test('a lost create answer (500 after the write) reuses the webhook Nexudus made instead of a second one', async () => {
		const trigger = harness();
		emulator.faults.add({
			kind: '500-after-write',
			method: 'POST',
			path: /\/api\/sys\/webhooks$/,
			times: 1,
		});
		await trigger.create();
		expect(registered()).toHaveLength(1);
		expect(trigger.remembered().map((w) => w.Id)).toEqual([registered()[0].Id]);
	});

	test('a user without the WebHook-* roles is told which role is missing, before anything is created', async () => {
		const trigger = harness({}, { email: 'limited@example.com' });
		await expect(trigger.create()).rejects.toThrow(
			'The Nexudus user lacks the WebHook-List role (403)',
		);
		expect(registered()).toEqual([]);
	});

	test("the Locations picker lists the account's locations by name", async () => {
		const options = await new NexudusTrigger().methods.loadOptions.getLocations.call(
			harness().loadOptionsContext(),
		);
		expect(options).toEqual([
			{ name: 'Madrid - Gran Vía', value: madrid },
			{ name: 'New York - SoHo', value: newYork },
		]);
	});
});

const member = {
	Id: 2101,
	FullName: 'Nora Vidal',
	Email: 'nora@example.com',
	CoworkerType: 'Individual',
	InvoicingBusinessId: madrid,
	Active: true,
	Notes: 'x',
	Custom: { Deep: 1 },
};
const body = JSON.stringify([member]);
const sign = (secret: string, text: string) =>
	createHmac('sha256', secret).update(Buffer.from(text, 'utf8')).digest('hex').toUpperCase();

/** The query of the URL the trigger registered in Nexudus for this event (activating it first). */
async function registeredQuery(
	trigger: TriggerHarness,
	event: string,
): Promise<Record<string, string>> {
	if (trigger.remembered().length === 0) await trigger.activate();
	const hook = registered().find((w) => new URL(w.URL).searchParams.get('event') === event);
	if (!hook) throw new Error(`no webhook registered for ${event}`);
	return Object.fromEntries(new URL(hook.URL).searchParams);
}

describe('deliveries (webhook)', () => {
	test('one item per record, with the event; Simplify keeps the main member fields', async () => {
		const trigger = harness({ events: ['CoworkerCreate', 'CoworkerUpdate'] });
		const two = JSON.stringify([member, { ...member, Id: 2102 }]);
		const { result } = await trigger.deliver({ body: two, query: { event: 'CoworkerUpdate' } });
		expect(result.workflowData?.[0].map((item) => item.json)).toEqual([
			{
				event: 'CoworkerUpdate',
				Id: 2101,
				FullName: 'Nora Vidal',
				Email: 'nora@example.com',
				CoworkerType: 'Individual',
				InvoicingBusinessId: madrid,
				Active: true,
			},
			{
				event: 'CoworkerUpdate',
				Id: 2102,
				FullName: 'Nora Vidal',
				Email: 'nora@example.com',
				CoworkerType: 'Individual',
				InvoicingBusinessId: madrid,
				Active: true,
			},
		]);
	});

	test('Simplify off gives the whole record', async () => {
		const { result } = await harness({ simplify: false }).deliver({
			body,
			query: { event: 'CoworkerCreate' },
		});
		expect(result.workflowData?.[0][0].json).toEqual({ event: 'CoworkerCreate', ...member });
	});

	test('an event the node was not set up for is not believed from the URL: 400, nothing starts', async () => {
		const two = harness({ events: ['CoworkerCreate', 'CoworkerDelete'] });
		for (const query of [{ event: 'CoworkerUpdate' }, {}] as Array<Record<string, string>>) {
			const { result, response } = await two.deliver({ body, query });
			expect(result).toEqual({ noWebhookResponse: true });
			expect(response.status).toBe(400);
		}
		const single = await harness().deliver({ body, query: {} });
		expect(single.result.workflowData?.[0][0].json.event).toBe('CoworkerCreate');
	});

	test('with a shared secret: the right signature starts the workflow; a wrong, missing or re-serialized one gets 401 and starts nothing', async () => {
		const trigger = harness({ skipRepeats: false }, { webhookSecret: 'shh' });
		const query = await registeredQuery(trigger, 'CoworkerCreate');
		const ok = await trigger.deliver({
			body,
			query,
			headers: { 'X-Nexudus-Hook-Signature': sign('shh', body) },
		});
		expect(ok.result.workflowData?.[0]).toHaveLength(1);
		const spaced = ' ' + body; // the same JSON, other bytes: signed over the raw body only
		const wrong: Array<Record<string, string>> = [
			{ 'X-Nexudus-Hook-Signature': sign('other', body) },
			{},
			{ 'X-Nexudus-Hook-Signature': sign('shh', spaced) },
		];
		for (const headers of wrong) {
			const bad = await trigger.deliver({ body, query, headers });
			expect(bad.result).toEqual({ noWebhookResponse: true });
			expect(bad.response.status).toBe(401);
		}
	});

	test('a refused delivery is logged as a warning without the secret or the expected signature', async () => {
		const trigger = harness({}, { webhookSecret: 'shh' });
		const query = await registeredQuery(trigger, 'CoworkerCreate');
		const wrong = await trigger.deliver({
			body,
			query,
			headers: { 'X-Nexudus-Hook-Signature': sign('other', body) },
		});
		expect(wrong.response.status).toBe(401);
		expect(wrong.warnings).toHaveLength(1);
		expect(wrong.warnings[0]).toMatch(
			/X-Nexudus-Hook-Signature header is wrong.*Webhook Shared Secret/,
		);
		expect(wrong.warnings[0]).not.toContain('shh');
		expect(wrong.warnings[0]).not.toContain(sign('shh', body));
		expect(wrong.warnings[0].toLowerCase()).not.toContain(sign('shh', body).toLowerCase());
		const missing = await trigger.deliver({ body, query });
		expect(missing.warnings[0]).toMatch(/header is missing/);
		const ok = await trigger.deliver({
			body,
			query,
			headers: { 'X-Nexudus-Hook-Signature': sign('shh', body) },
		});
		expect(ok.warnings).toEqual([]);
		expect(ok.result.workflowData?.[0]).toHaveLength(1);
	});

	test('a secret pasted with spaces or a trailing newline is trimmed', async () => {
		const trigger = harness({}, { webhookSecret: ' shh\n' });
		const { result, response } = await trigger.deliver({
			body,
			query: await registeredQuery(trigger, 'CoworkerCreate'),
			headers: { 'X-Nexudus-Hook-Signature': sign('shh', body) },
		});
		expect(response.status).toBeUndefined();
		expect(result.workflowData?.[0]).toHaveLength(1);
	});

	test('without a secret, an unsigned delivery is accepted', async () => {
		const { result } = await harness().deliver({ body });
		expect(result.workflowData?.[0]).toHaveLength(1);
	});

	test('a repeated delivery starts nothing, and static data that n8n kept recognises one after a restart too; off, both start', async () => {
		const trigger = harness();
		expect((await trigger.deliver({ body })).result.workflowData).toBeDefined();
		expect((await trigger.deliver({ body })).result).toEqual({
			webhookResponse: { received: true, repeated: true },
		});
		forgetDeliveries();
		expect((await trigger.deliver({ body })).result.webhookResponse).toEqual({
			received: true,
			repeated: true,
		});
		// Another body (e.g. a later update) is not a repeat.
		expect(
			(await trigger.deliver({ body: JSON.stringify([{ ...member, UpdatedOn: 'later' }]) })).result
				.workflowData,
		).toBeDefined();
		const off = harness({ skipRepeats: false });
		expect((await off.deliver({ body })).result.workflowData).toBeDefined();
		expect((await off.deliver({ body })).result.workflowData).toBeDefined();
	});

	test('a test delivery (Execute step) of the same event does not make the production one a repeat', async () => {
		const trigger = harness();
		expect((await trigger.deliver({ body, mode: 'manual' })).result.workflowData).toBeDefined();
		expect((await trigger.deliver({ body })).result.workflowData).toBeDefined();
		expect((await trigger.deliver({ body })).result.webhookResponse).toEqual({
			received: true,
			repeated: true,
		});
		expect((await trigger.deliver({ body, mode: 'manual' })).result.webhookResponse).toEqual({
			received: true,
			repeated: true,
		});
	});

	test.each([
		['undefined (another Content-Type)', undefined],
		['text (text/plain)', body],
		['an empty object', {}],
	])('a JSON body n8n did not parse (%s) is read from the raw body', async (_name, parsed) => {
		const { result } = await harness().deliver({ body, parsed });
		expect(result.workflowData?.[0].map((item) => item.json.Id)).toEqual([2101]);
	});

	test('a body that is not JSON gets 400 and starts nothing', async () => {
		for (const text of ['not json', '', '"text"']) {
			const { result, response } = await harness({ skipRepeats: false }).deliver({
				body: text,
				parsed: text,
			});
			expect(result).toEqual({ noWebhookResponse: true });
			expect(response.status).toBe(400);
		}
	});

	test('an empty array is no Nexudus delivery: 400, nothing starts', async () => {
		const { result, response } = await harness().deliver({ body: '[]' });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.status).toBe(400);
	});
});

/** Issue 20: what real Nexudus sends is accepted, and nothing else starts the workflow. */
describe('trust: Nexudus signatures, event tokens, bodies (issue 20)', () => {
	const lucia = {
		Id: 2201,
		FullName: 'Lucía Fernández',
		Email: 'lucia.fernandez@example.com',
		Address: 'Gran Vía 28',
		CityName: 'Madrid',
		Notes: 'Bienvenida 🎉 a la comunidad',
		CoworkerType: 'Individual',
		InvoicingBusinessId: madrid,
		Active: true,
	};
	// As Nexudus writes it: JsonConvert.SerializeObject(new[] { dto }), sent as UTF-8.
	const luciaBody = serializeObject([lucia]);
	const SECRET = 'clé-secrète-ñ';
	// Points 2 and 3 use an ASCII secret and body, where both signature forms are the same bytes.
	const PLAIN_SECRET = 'plain-ascii-secret';

	test('point 1: a "member created" for Lucía Fernández at Gran Vía 28 with an emoji in a note, signed as Nexudus signs it (ASCII form) with a non-ASCII secret, starts the workflow with the real characters', async () => {
		const trigger = harness({ simplify: false, skipRepeats: false }, { webhookSecret: SECRET });
		const query = await registeredQuery(trigger, 'CoworkerCreate');
		const nexudus = await trigger.deliver({
			body: luciaBody,
			query,
			headers: { 'X-Nexudus-Hook-Signature': signBody(SECRET, luciaBody) },
		});
		expect(nexudus.response.status).toBeUndefined();
		expect(nexudus.result.workflowData?.[0].map((item) => item.json)).toEqual([
			{ event: 'CoworkerCreate', ...lucia },
		]);
		// The same delivery signed over its UTF-8 bytes (secret likewise) is accepted too.
		const utf8 = await trigger.deliver({
			body: luciaBody,
			query,
			headers: { 'X-Nexudus-Hook-Signature': signBody(SECRET, luciaBody, 'utf8') },
		});
		expect(utf8.result.workflowData?.[0][0].json.FullName).toBe('Lucía Fernández');
		// An ASCII secret with an accented body, in Nexudus's form.
		const ascii = harness({ skipRepeats: false }, { webhookSecret: 'shh' });
		const asciiQuery = await registeredQuery(ascii, 'CoworkerCreate');
		const plain = await ascii.deliver({
			body: luciaBody,
			query: asciiQuery,
			headers: { 'X-Nexudus-Hook-Signature': signBody('shh', luciaBody) },
		});
		expect(plain.result.workflowData?.[0][0].json.FullName).toBe('Lucía Fernández');
	});

	test('point 1: the ASCII form covers every ASCII byte: a changed letter, a BMP character for the emoji, or the secret without its accents get 401 and start nothing', async () => {
		const trigger = harness({ skipRepeats: false }, { webhookSecret: SECRET });
		const query = await registeredQuery(trigger, 'CoworkerCreate');
		const signature = signBody(SECRET, luciaBody);
		const forged = [
			{ body: luciaBody.replace('Fernández', 'Fernandez'), signature },
			{ body: luciaBody.replace('🎉', 'é'), signature },
			{ body: luciaBody.replace('2201', '2202'), signature },
			{ body: luciaBody, signature: signBody('cle-secrete-n', luciaBody) },
			{ body: luciaBody, signature: signBody('clé-secrète-ñ ', luciaBody) },
		];
		for (const { body: text, signature: header } of forged) {
			const bad = await trigger.deliver({
				body: text,
				query,
				headers: { 'X-Nexudus-Hook-Signature': header },
			});
			expect(bad.result).toEqual({ noWebhookResponse: true });
			expect(bad.response.status).toBe(401);
		}
	});

	test("point 1: the ASCII form does not say which non-ASCII character was signed: a copy with 'Lucéa' for 'Lucía' carries a valid signature, and the repeat memory (keyed on the signed form) takes it for the same delivery", async () => {
		const trigger = harness({}, { webhookSecret: SECRET });
		const query = await registeredQuery(trigger, 'CoworkerCreate');
		const headers = { 'X-Nexudus-Hook-Signature': signBody(SECRET, luciaBody) };
		const first = await trigger.deliver({ body: luciaBody, query, headers });
		expect(first.result.workflowData?.[0][0].json.FullName).toBe('Lucía Fernández');
		const swapped = await trigger.deliver({
			body: luciaBody.replace('Lucía', 'Lucéa'),
			query,
			headers,
		});
		expect(swapped.result).toEqual({ webhookResponse: { received: true, repeated: true } });
	});

	test('point 2: the URLs carry a token per event, derived from the secret and the node; a signed delivery relabelled (another ?event with this token, no token, no query, a changed token) gets 401 and starts nothing', async () => {
		const trigger = harness(
			{ events: ['CoworkerCreate', 'CoworkerContractCancel'], skipRepeats: false },
			{ webhookSecret: PLAIN_SECRET },
		);
		const create = await registeredQuery(trigger, 'CoworkerCreate');
		const cancel = await registeredQuery(trigger, 'CoworkerContractCancel');
		expect(create.token).toMatch(/^[0-9a-f]{32}$/);
		expect(cancel.token).toMatch(/^[0-9a-f]{32}$/);
		expect(cancel.token).not.toBe(create.token);
		const headers = { 'X-Nexudus-Hook-Signature': signBody(PLAIN_SECRET, body) };
		const ok = await trigger.deliver({ body, query: create, headers });
		expect(ok.result.workflowData?.[0][0].json.event).toBe('CoworkerCreate');
		const relabelled: Array<Record<string, string>> = [
			{ event: 'CoworkerContractCancel', token: create.token },
			{ event: 'CoworkerContractCancel' },
			{},
			{ event: 'CoworkerCreate' },
			{ event: 'CoworkerCreate', token: create.token.toUpperCase() },
			{ event: 'CoworkerUpdate', token: create.token },
		];
		for (const query of relabelled) {
			const bad = await trigger.deliver({ body, query, headers });
			expect([JSON.stringify(query), bad.result, bad.response.status]).toEqual([
				JSON.stringify(query),
				{ noWebhookResponse: true },
				401,
			]);
			expect(bad.warnings.join('\n')).not.toContain(create.token);
		}
	});

	test('point 2: the repeat memory is keyed on the signed body: a captured delivery sent again to another event URL (with that URL’s own token) starts nothing', async () => {
		const trigger = harness(
			{ events: ['CoworkerCreate', 'CoworkerContractCancel'] },
			{ webhookSecret: PLAIN_SECRET },
		);
		const create = await registeredQuery(trigger, 'CoworkerCreate');
		const cancel = await registeredQuery(trigger, 'CoworkerContractCancel');
		const headers = { 'X-Nexudus-Hook-Signature': signBody(PLAIN_SECRET, body) };
		const first = await trigger.deliver({ body, query: create, headers });
		expect(first.result.workflowData?.[0][0].json.event).toBe('CoworkerCreate');
		const relabelled = await trigger.deliver({ body, query: cancel, headers });
		expect(relabelled.result).toEqual({ webhookResponse: { received: true, repeated: true } });
	});

	test("point 2: the trigger's own event field wins over a record field named event, with Simplify on or off", async () => {
		for (const simplify of [true, false]) {
			const trigger = harness(
				{ events: ['CoworkerContractCancel'], simplify, skipRepeats: false },
				{ webhookSecret: PLAIN_SECRET },
			);
			const query = await registeredQuery(trigger, 'CoworkerContractCancel');
			const text = JSON.stringify([{ Id: 8001, CoworkerId: 2201, event: 'CoworkerCreate' }]);
			const { result } = await trigger.deliver({
				body: text,
				query,
				headers: { 'X-Nexudus-Hook-Signature': signBody(PLAIN_SECRET, text) },
			});
			const [item] = result.workflowData?.[0] ?? [];
			expect(item.json.event).toBe('CoworkerContractCancel');
			expect(Object.keys(item.json)[0]).toBe('event');
			webhooksOf(emulator.db).webhooks.length = 0;
		}
	});

	test('point 2, upgrade: webhooks the previous version registered (no token) still start the workflow, with a warning, until activation re-registers them with tokens; then a tokenless delivery gets 401', async () => {
		// The previous version: URLs ?event=... only, static data without eventTokens.
		const trigger = harness({ events: ['CoworkerCreate', 'CoworkerUpdate'] });
		await trigger.activate();
		delete (trigger.staticData['node:Nexudus Trigger'] as Record<string, unknown>).eventTokens;
		const legacyUrls = registered().map((w) => w.URL);
		expect(legacyUrls.every((url) => !url.includes('token='))).toBe(true);
		trigger.store = adminStore(emulator.url, { webhookSecret: PLAIN_SECRET });
		const headers = { 'X-Nexudus-Hook-Signature': signBody(PLAIN_SECRET, body) };
		const legacy = await trigger.deliver({
			body,
			query: { event: 'CoworkerUpdate' },
			headers,
		});
		expect(legacy.result.workflowData?.[0][0].json.event).toBe('CoworkerUpdate');
		expect(legacy.warnings.join('\n')).toMatch(
			/registered by an older version.*deactivate and activate the workflow/,
		);
		// Activation (n8n 1.x at start-up, or deactivate + activate): the old URLs are not what is
		// wanted, so all are replaced, none left twice.
		expect(await trigger.checkExists()).toBe(false);
		await trigger.create();
		expect(registered()).toHaveLength(2);
		expect(registered().every((w) => /[?&]token=[0-9a-f]{32}$/.test(w.URL))).toBe(true);
		expect(registered().some((w) => legacyUrls.includes(w.URL))).toBe(false);
		expect(await trigger.checkExists()).toBe(true);
		const other = JSON.stringify([{ ...member, UpdatedOn: '2026-03-01T10:00:00Z' }]);
		const afterwards = await trigger.deliver({
			body: other,
			query: { event: 'CoworkerUpdate' },
			headers: { 'X-Nexudus-Hook-Signature': signBody(PLAIN_SECRET, other) },
		});
		expect(afterwards.response.status).toBe(401);
		const tokened = await trigger.deliver({
			body: other,
			query: await registeredQuery(trigger, 'CoworkerUpdate'),
			headers: { 'X-Nexudus-Hook-Signature': signBody(PLAIN_SECRET, other) },
		});
		expect(tokened.result.workflowData?.[0][0].json.event).toBe('CoworkerUpdate');
		// Static data lost: a tokenless delivery is not taken for an old registration.
		delete trigger.staticData['node:Nexudus Trigger'];
		const lost = await trigger.deliver({
			body,
			query: { event: 'CoworkerUpdate' },
			headers,
		});
		expect(lost.response.status).toBe(401);
	});

	test('point 3: the raw body is read as JSON whatever the Content-Type: the same signed bytes sent as form-urlencoded start one run with the real record', async () => {
		const trigger = harness({ simplify: false }, { webhookSecret: PLAIN_SECRET });
		const query = await registeredQuery(trigger, 'CoworkerCreate');
		const { result } = await trigger.deliver({
			body,
			query,
			headers: {
				'X-Nexudus-Hook-Signature': signBody(PLAIN_SECRET, body),
				'Content-Type': 'application/x-www-form-urlencoded',
			},
			// What n8n's urlencoded parser makes of a JSON text.
			parsed: { [body]: '' },
		});
		expect(result.workflowData?.[0].map((item) => item.json)).toEqual([
			{ event: 'CoworkerCreate', ...member },
		]);
	});

	test.each([
		['a single object', JSON.stringify(member), member],
		['form-urlencoded fields', 'FullName=Mallory&Id=1', { FullName: 'Mallory', Id: '1' }],
		['an empty array', '[]', []],
		['an array of a number', '[1]', [1]],
		['an array holding null', '[null]', [null]],
		['an array of an array', '[[{"Id":1}]]', [[{ Id: 1 }]]],
		['a record and a string', '[{"Id":1},"x"]', [{ Id: 1 }, 'x']],
		['a JSON string', '"[{}]"', '[{}]'],
	])(
		'point 3: %s, signed, is not a Nexudus delivery: 400, nothing starts',
		async (_name, text, parsed) => {
			const trigger = harness({ skipRepeats: false }, { webhookSecret: PLAIN_SECRET });
			const query = await registeredQuery(trigger, 'CoworkerCreate');
			const { result, response } = await trigger.deliver({
				body: text,
				query,
				headers: { 'X-Nexudus-Hook-Signature': signBody(PLAIN_SECRET, text) },
				parsed,
			});
			expect([result, response.status]).toEqual([{ noWebhookResponse: true }, 400]);
		},
	);
});
