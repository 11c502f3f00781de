import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	DEMO,
	DISABLE_AFTER_FAILURES,
	startEmulator,
	type DeliveryAttempt,
	type Emulator,
} from './server.cjs';
import * as client from './client.cjs';
import { dotnetAsciiBytes, serializeObject, signBody } from './webhooks.cjs';
import type { CallOptions } from './client.cjs';

/** Webhooks: the /api/sys/webhooks entity, events fired over the control API, and Nexudus's deliveries. */

/** Independent of the emulator: .NET's ASCIIEncoding is '?' for each UTF-16 code unit above U+007F. */
const dotnetAscii = (text: string) => Buffer.from(text.replace(/[^\x00-\x7f]/g, '?'), 'latin1');
const dotnetHmac = (secret: string, body: string) =>
	createHmac('sha256', dotnetAscii(secret)).update(dotnetAscii(body)).digest('hex').toUpperCase();
const utf8Hmac = (secret: string, body: string) =>
	createHmac('sha256', secret).update(Buffer.from(body, 'utf8')).digest('hex').toUpperCase();

interface Received {
	headers: Record<string, string | string[] | undefined>;
	body: string;
	url: string;
}

/** A receiver standing in for n8n: answers each delivery with the next status of `statuses` (then 200). */
async function startReceiver(
	statuses: number[] = [],
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
	const received: Received[] = [];
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push({
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
				url: req.url ?? '',
			});
			res.writeHead(statuses.shift() ?? 200);
			res.end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/hook`,
		received,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

let emulator: Emulator;
let token: string;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;

beforeEach(async () => {
	emulator = await startEmulator({ seed: 'demo' });
	token = await client.adminToken(emulator.url);
	await control('POST', '/_emulator/webhook-settings', { retryDelayMs: 5 });
});

afterEach(async () => {
	await emulator.close();
	await receiver?.close();
	receiver = undefined;
});

const api = (method: string, path: string, options: CallOptions = {}) =>
	client.call(emulator.url, method, path, { token, ...options });
const control = (method: string, path: string, json?: unknown) =>
	client.call(emulator.url, method, path, json === undefined ? {} : { json });

async function register(overrides: Record<string, unknown> = {}): Promise<number> {
	const answer = await api('POST', '/api/sys/webhooks', {
		json: {
			BusinessId: DEMO.businesses.madrid,
			Name: 'n8n',
			Action: 3,
			URL: receiver?.url ?? 'http://127.0.0.1:9/none',
			Active: true,
			...overrides,
		},
	});
	expect(answer.status).toBe(200);
	expect(answer.body.WasSuccessful).toBe(true);
	return answer.body.Value.Id as number;
}

async function deliveries(): Promise<DeliveryAttempt[]> {
	return (await control('GET', '/_emulator/deliveries?wait=1')).body as DeliveryAttempt[];
}

describe('/api/sys/webhooks', () => {
	test('create takes Action as a number or a name and answers it as the number', async () => {
		const byNumber = await register({ Action: 3 });
		const byName = await register({ Action: 'CoworkerContractCancel' });
		expect((await api('GET', `/api/sys/webhooks/${byNumber}`)).body).toMatchObject({
			Action: 3,
			Active: true,
			ErrorCount: 0,
			LastError: null,
		});
		expect((await api('GET', `/api/sys/webhooks/${byName}`)).body.Action).toBe(11);
	});

	test('create validates location, name, action and URL', async () => {
		const answer = await api('POST', '/api/sys/webhooks', {
			json: { BusinessId: 999, Name: '', Action: 'Nope', URL: 'ftp://x' },
		});
		expect(answer.status).toBe(400);
		expect(answer.body.Errors.map((e: { PropertyName: string }) => e.PropertyName)).toEqual([
			'BusinessId',
			'Name',
			'Action',
			'URL',
		]);
		expect((await api('GET', '/api/sys/webhooks')).body.TotalItems).toBe(0);
	});

	test('list filters by WebHook_Business, WebHook_Action (number or name), WebHook_URL, WebHook_Active, in the paging envelope', async () => {
		const a = await register({ Action: 3, URL: 'http://127.0.0.1:1/a' });
		const b = await register({ Action: 11, URL: 'http://127.0.0.1:1/b' });
		const c = await register({
			Action: 3,
			URL: 'http://127.0.0.1:1/a',
			BusinessId: DEMO.businesses.newYork,
			Active: false,
		});
		const ids = async (qs: string) =>
			(await api('GET', `/api/sys/webhooks?${qs}`)).body.Records.map((r: { Id: number }) => r.Id);
		expect(await ids(`WebHook_Business=${DEMO.businesses.madrid}`)).toEqual([a, b]);
		expect(await ids('WebHook_Action=3')).toEqual([a, c]);
		expect(await ids('WebHook_Action=CoworkerContractCancel')).toEqual([b]);
		expect(await ids('WebHook_URL=/a')).toEqual([a, c]);
		expect(await ids('WebHook_Active=false')).toEqual([c]);
		const page = (await api('GET', '/api/sys/webhooks?page=2&size=2')).body;
		expect(page).toMatchObject({
			CurrentPage: 2,
			TotalItems: 3,
			TotalPages: 2,
			HasNextPage: false,
			HasPreviousPage: true,
		});
		expect(page.Records.map((r: { Id: number }) => r.Id)).toEqual([c]);
		expect((await api('GET', '/api/sys/webhooks?WebHook_Action=Nope')).status).toBe(400);
	});

	test('PUT replaces the whole record; DELETE removes it, then 404', async () => {
		const id = await register();
		const record = (await api('GET', `/api/sys/webhooks/${id}`)).body;
		expect(
			(await api('PUT', '/api/sys/webhooks', { json: { ...record, Active: false } })).status,
		).toBe(200);
		expect((await api('GET', `/api/sys/webhooks/${id}`)).body.Active).toBe(false);
		// Fields left out are cleared, as on every Nexudus PUT: here the URL, which is required.
		expect(
			(
				await api('PUT', '/api/sys/webhooks', {
					json: { Id: id, BusinessId: record.BusinessId, Name: 'x', Action: 3 },
				})
			).status,
		).toBe(400);
		expect((await api('DELETE', `/api/sys/webhooks/${id}`)).body.WasSuccessful).toBe(true);
		expect((await api('GET', `/api/sys/webhooks/${id}`)).status).toBe(404);
		expect((await api('DELETE', `/api/sys/webhooks/${id}`)).status).toBe(404);
	});

	test('each route needs its WebHook-* role', async () => {
		const limited = (await client.login(emulator.url, 'limited@example.com')).access_token;
		const as = (method: string, path: string, json?: unknown) =>
			client.call(emulator.url, method, path, { token: limited, json });
		expect((await as('GET', '/api/sys/webhooks')).body.Message).toMatch(/WebHook-List/);
		expect((await as('POST', '/api/sys/webhooks', {})).body.Message).toMatch(/WebHook-Create/);
		expect((await as('PUT', '/api/sys/webhooks', {})).body.Message).toMatch(/WebHook-Edit/);
		expect((await as('GET', '/api/sys/webhooks/7001')).body.Message).toMatch(/WebHook-Read/);
		expect((await as('DELETE', '/api/sys/webhooks/7001')).status).toBe(403);
	});
});

describe('events and deliveries', () => {
	test('a member created is stored and delivered, as a JSON array of one, to the matching active webhooks only', async () => {
		receiver = await startReceiver();
		const matching = await register({
			Action: 'CoworkerCreate',
			URL: `${receiver.url}?event=CoworkerCreate`,
		});
		await register({ Action: 'CoworkerCreate', BusinessId: DEMO.businesses.newYork });
		await register({ Action: 'CoworkerUpdate' });
		await register({ Action: 'CoworkerCreate', Active: false });
		const fired = await control('POST', '/_emulator/events', {
			action: 'CoworkerCreate',
			record: { FullName: 'Nora Vidal', Email: 'nora@example.com' },
			businessId: DEMO.businesses.madrid,
		});
		expect(fired.status).toBe(200);
		expect(fired.body.webhookIds).toEqual([matching]);
		const member = fired.body.record;
		expect(member).toMatchObject({
			FullName: 'Nora Vidal',
			InvoicingBusinessId: DEMO.businesses.madrid,
		});
		expect((await api('GET', `/api/spaces/coworkers/${member.Id}`)).body.Email).toBe(
			'nora@example.com',
		);
		const attempts = await deliveries();
		expect(attempts).toHaveLength(1);
		expect(attempts[0]).toMatchObject({
			webhookId: matching,
			action: 'CoworkerCreate',
			attempt: 1,
			status: 200,
			signature: null,
		});
		expect(receiver.received).toHaveLength(1);
		expect(receiver.received[0].url).toBe('/hook?event=CoworkerCreate');
		expect(receiver.received[0].headers['x-nexudus-hook-signature']).toBeUndefined();
		expect(JSON.parse(receiver.received[0].body)).toEqual([member]);
		expect((await api('GET', `/api/sys/webhooks/${matching}`)).body.LastTrigger).not.toBeNull();
	});

	test('datesWithoutZ: deliveries carry the dates without Z; the store and the control answer keep it', async () => {
		receiver = await startReceiver();
		await register({ Action: 'CoworkerCreate' });
		emulator.setSwitches({ datesWithoutZ: true });
		const fired = await control('POST', '/_emulator/events', {
			action: 'CoworkerCreate',
			record: { FullName: 'Nora Vidal', Email: 'nora@example.com' },
			businessId: DEMO.businesses.madrid,
		});
		await deliveries();
		const createdOn = fired.body.record.CreatedOn as string;
		expect(createdOn).toMatch(/Z$/);
		const [delivered] = JSON.parse(receiver.received[0].body) as Array<Record<string, unknown>>;
		expect(delivered.CreatedOn).toBe(createdOn.slice(0, -1));
		expect(delivered.FullName).toBe('Nora Vidal');
	});

	test("with a shared secret, each delivery carries Nexudus's signature: uppercase hex HMAC-SHA256 of the ASCII form of secret and body; the secret is never echoed", async () => {
		receiver = await startReceiver();
		await register();
		const settings = await control('POST', '/_emulator/webhook-settings', { secret: 's3cret' });
		expect(settings.body).toEqual({ secretSet: true, retryDelayMs: 5, deliverTwice: false });
		await control('POST', '/_emulator/events', {
			action: 3,
			record: { FullName: 'Ana Ruiz', Email: 'ana@example.com' },
		});
		await deliveries();
		const [delivery] = receiver.received;
		// The member's location is "Madrid - Gran Vía": signed as "Madrid - Gran V?a".
		expect(delivery.body).toContain('"InvoicingBusinessName":"Madrid - Gran Vía"');
		const expected = dotnetHmac('s3cret', delivery.body);
		expect(delivery.headers['x-nexudus-hook-signature']).toBe(expected);
		expect(expected).toMatch(/^[0-9A-F]{64}$/);
		await control('POST', '/_emulator/webhook-settings', { secret: null });
		await control('POST', '/_emulator/events', {
			action: 3,
			record: { FullName: 'Bo Li', Email: 'bo@example.com' },
		});
		await deliveries();
		expect(receiver.received[1].headers['x-nexudus-hook-signature']).toBeUndefined();
	});

	test("accents, an emoji and a non-ASCII secret: the body goes out as UTF-8 with the real characters, signed as Nexudus's code signs it (each UTF-16 code unit above U+007F is '?', an emoji '??'); switch webhookSigning 'utf8' signs the bytes sent", async () => {
		receiver = await startReceiver();
		await register();
		const secret = 'clé-secrète-ñ';
		await control('POST', '/_emulator/webhook-settings', { secret });
		const record = {
			FullName: 'Lucía Fernández',
			Email: 'lucia.fernandez@example.com',
			Address: 'Gran Vía 28',
			Notes: 'Welcome 🎉 to the space',
		};
		await control('POST', '/_emulator/events', { action: 3, record });
		await deliveries();
		const ascii = receiver.received[0];
		const sent = JSON.parse(ascii.body) as Array<Record<string, unknown>>;
		expect(sent[0]).toMatchObject(record);
		expect(ascii.headers['content-type']).toBe('application/json');
		// What Nexudus hashes: the text with '?' for each code unit above U+007F.
		const signedText = ascii.body.replace(/[^\x00-\x7f]/g, '?');
		expect(signedText).toContain('"FullName":"Luc?a Fern?ndez"');
		expect(signedText).toContain('"Notes":"Welcome ?? to the space"');
		const expected = createHmac('sha256', Buffer.from('cl?-secr?te-?', 'latin1'))
			.update(Buffer.from(signedText, 'latin1'))
			.digest('hex')
			.toUpperCase();
		expect(ascii.headers['x-nexudus-hook-signature']).toBe(expected);
		expect(expected).not.toBe(utf8Hmac(secret, ascii.body));

		emulator.setSwitches({ webhookSigning: 'utf8' });
		await control('POST', '/_emulator/events', {
			action: 3,
			record: { ...record, Email: 'lucia.2@example.com' },
		});
		await deliveries();
		const utf8 = receiver.received[1];
		expect(utf8.body).toContain('Lucía Fernández');
		expect(utf8.headers['x-nexudus-hook-signature']).toBe(utf8Hmac(secret, utf8.body));
		expect(utf8.headers['x-nexudus-hook-signature']).not.toBe(dotnetHmac(secret, utf8.body));
		expect((await control('POST', '/_emulator/switches', { webhookSigning: 'nope' })).status).toBe(
			400,
		);
	});

	test('the body is JsonConvert.SerializeObject(new[] { dto }): compact, fields in order, non-ASCII as is, U+0085, U+2028 and U+2029 escaped', () => {
		const record = {
			Id: 1,
			FullName: 'Zoë "Z" Ø',
			Notes: 'a\nb\u2028c\u0085d\u2029e\u0001🎉',
			Nothing: null,
			Left: undefined,
			Tags: ['x', 2, true],
		};
		expect(serializeObject([record])).toBe(
			'[{"Id":1,"FullName":"Zoë \\"Z\\" Ø","Notes":"a\\nb\\u2028c\\u0085d\\u2029e\\u0001🎉","Nothing":null,"Tags":["x",2,true]}]',
		);
		expect(JSON.parse(serializeObject([record]))).toEqual([
			{
				Id: 1,
				FullName: record.FullName,
				Notes: record.Notes,
				Nothing: null,
				Tags: ['x', 2, true],
			},
		]);
		expect(dotnetAsciiBytes('í🎉a').toString('latin1')).toBe('???a');
		expect(signBody('k', 'í')).toBe(signBody('k', '?'));
		expect(signBody('k', 'í', 'utf8')).not.toBe(signBody('k', '?', 'utf8'));
	});

	test('a failed delivery is retried; success resets ErrorCount', async () => {
		receiver = await startReceiver([500, 503]);
		const id = await register();
		await control('POST', '/_emulator/events', {
			action: 'CoworkerCreate',
			record: { FullName: 'Cy Doe', Email: 'cy@example.com' },
		});
		const attempts = await deliveries();
		expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
			[1, 500],
			[2, 503],
			[3, 200],
		]);
		expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
		expect((await api('GET', `/api/sys/webhooks/${id}`)).body).toMatchObject({
			ErrorCount: 0,
			LastError: null,
			Active: true,
		});
	});

	test(`after ${DISABLE_AFTER_FAILURES} failures in a row the webhook is disabled, with ErrorCount and LastError`, async () => {
		receiver = await startReceiver(Array(20).fill(500));
		const id = await register();
		await control('POST', '/_emulator/events', {
			action: 'CoworkerCreate',
			record: { FullName: 'Di Roe', Email: 'di@example.com' },
		});
		expect(await deliveries()).toHaveLength(DISABLE_AFTER_FAILURES);
		expect((await api('GET', `/api/sys/webhooks/${id}`)).body).toMatchObject({
			ErrorCount: 10,
			LastError: 'HTTP 500',
			Active: false,
		});
		// Disabled: the next event goes nowhere.
		const next = await control('POST', '/_emulator/events', {
			action: 'CoworkerCreate',
			record: { FullName: 'Ed Poe', Email: 'ed@example.com' },
		});
		expect(next.body.webhookIds).toEqual([]);
	});

	test('an unreachable URL counts as a failure with the connection error', async () => {
		const id = await register({ URL: 'http://127.0.0.1:9/closed' });
		await control('POST', '/_emulator/events', {
			action: 'CoworkerCreate',
			record: { FullName: 'Fi Moe', Email: 'fi@example.com' },
		});
		const attempts = await deliveries();
		expect(attempts[0].status).toBe(0);
		expect((await api('GET', `/api/sys/webhooks/${id}`)).body.ErrorCount).toBe(
			DISABLE_AFTER_FAILURES,
		);
	});

	test('deliverTwice (per event or as a setting) sends the same body twice', async () => {
		receiver = await startReceiver();
		await register();
		await control('POST', '/_emulator/events', {
			action: 'CoworkerCreate',
			record: { FullName: 'Gil Ng', Email: 'gil@example.com' },
			deliverTwice: true,
		});
		await deliveries();
		expect(receiver.received).toHaveLength(2);
		expect(receiver.received[0].body).toBe(receiver.received[1].body);
		await control('POST', '/_emulator/webhook-settings', { deliverTwice: true });
		await control('POST', '/_emulator/events', {
			action: 'CoworkerCreate',
			record: { FullName: 'Hu Yi', Email: 'hu@example.com' },
		});
		const attempts = await deliveries();
		expect(
			attempts
				.filter((a) => a.deliveryId === attempts[2].deliveryId)
				.map((a) => a.copy)
				.sort(),
		).toEqual([1, 2]);
	});

	test('contract events: create, cancel (by contract or member) and delete change the contracts and deliver them', async () => {
		receiver = await startReceiver();
		await register({ Action: 'CoworkerContractCancel' });
		const member = DEMO.coworkers.luciaFernandez;
		const created = await control('POST', '/_emulator/events', {
			action: 'CoworkerContractCreate',
			record: { CoworkerId: member, TariffName: 'Hot Desk' },
		});
		expect(created.body.record).toMatchObject({
			CoworkerId: member,
			TariffName: 'Hot Desk',
			Cancelled: false,
			BusinessId: DEMO.businesses.madrid,
		});
		expect(created.body.webhookIds).toEqual([]);
		const cancelled = await control('POST', '/_emulator/events', {
			action: 'CoworkerContractCancel',
			record: { CoworkerId: member, CancellationDate: '2026-01-31T18:00:00Z' },
		});
		expect(cancelled.body.record).toMatchObject({
			Id: created.body.record.Id,
			Cancelled: true,
			CancellationDate: '2026-01-31T18:00:00Z',
		});
		await deliveries();
		expect(JSON.parse(receiver.received[0].body)).toEqual([cancelled.body.record]);
		await control('POST', '/_emulator/events', {
			action: 'CoworkerContractDelete',
			record: { Id: created.body.record.Id },
		});
		expect((await control('GET', '/_emulator/db/coworkercontracts')).body).toEqual([]);
		expect(
			(
				await control('POST', '/_emulator/events', {
					action: 'CoworkerContractCancel',
					record: { Id: 1 },
				})
			).status,
		).toBe(400);
	});

	test('member update and delete; bad events are refused with the field named', async () => {
		const member = DEMO.coworkers.javierMoreno;
		const updated = await control('POST', '/_emulator/events', {
			action: 'CoworkerUpdate',
			record: { Id: member, Email: 'new@example.com' },
		});
		expect(updated.body.record.Email).toBe('new@example.com');
		await control('POST', '/_emulator/events', {
			action: 'CoworkerDelete',
			record: { Id: member },
		});
		expect((await api('GET', `/api/spaces/coworkers/${member}`)).status).toBe(404);
		expect((await control('POST', '/_emulator/events', { action: 'Nope' })).body.Message).toMatch(
			/^action:/,
		);
		expect(
			(await control('POST', '/_emulator/events', { action: 'CoworkerCreate', record: {} })).body
				.Message,
		).toMatch(/FullName/);
		expect(
			(
				await control('POST', '/_emulator/events', {
					action: 'CoworkerCreate',
					record: { FullName: 'X', Email: 'x@e.com' },
					businessId: 5,
				})
			).body.Message,
		).toMatch(/^businessId/);
	});

	test('reset forgets webhooks, contracts, deliveries and settings', async () => {
		await register();
		await control('POST', '/_emulator/webhook-settings', { secret: 'x', deliverTwice: true });
		await control('POST', '/_emulator/reset', { seed: 'demo' });
		expect((await control('GET', '/_emulator/db/webhooks')).body).toEqual([]);
		expect((await control('GET', '/_emulator/webhook-settings')).body).toEqual({
			secretSet: false,
			retryDelayMs: 1000,
			deliverTwice: false,
		});
		expect(
			(await control('POST', '/_emulator/webhook-settings', { retryDelayMs: -1 })).status,
		).toBe(400);
	});
});
