// Coworker Create, Find or Create and Update (issue 22) through n8n-core's real request path
// against the emulator: what is sent, what is matched, and that nothing is created twice.
import type { Emulator, FaultSpec } from '../../../../emulator/server.cjs';
import { DEMO, startEmulator } from '../../../../emulator/server.cjs';
import type { CredentialStore } from '../../../../support/n8nCore.cjs';
import { adminStore, newExecution, runNexudusNode } from '../../../../support/n8nCore.cjs';

const COWORKERS = '/api/spaces/coworkers';
const b = DEMO.businesses;

let emulator: Emulator;
let store: CredentialStore;

beforeAll(async () => {
	emulator = await startEmulator({ seed: 'demo' });
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.faults.clear();
	emulator.setLimits(false);
	emulator.clearRequests();
	store = adminStore(emulator.url);
});

const FAST = { minIntervalMs: 0, writesPerMinute: 0, timeoutSeconds: 1 };

function memberParameters(
	operation: 'create' | 'findOrCreate',
	overrides: Record<string, unknown> = {},
) {
	return {
		resource: 'coworker',
		operation,
		fullName: '={{ $json.name }}',
		email: '={{ $json.email }}',
		location: { __rl: true, mode: 'name', value: '={{ $json.location ?? "Madrid - Gran Vía" }}' },
		coworkerType: '={{ $json.type ?? "Individual" }}',
		additionalFields: {},
		options: FAST,
		...overrides,
	};
}

const posts = () => emulator.requests.filter((r) => r.method === 'POST' && r.path === COWORKERS);
const withEmail = (email: string) =>
	emulator.db.coworkers.filter((c) => c.Email.toLowerCase() === email.toLowerCase());

describe('Coworker > Create', () => {
	it('sends the required fields: the home location country and time zone, the neutral enums, CreateUser off', async () => {
		const [out] = await runNexudusNode({
			parameters: memberParameters('create', {
				additionalFields: {
					position: 'Engineer',
					tariffId: 9001,
					billingDay: 5,
					renewalDate: '2026-02-01',
					accessCardId: '04A1B2C3',
					teams: { team: [{ team: { __rl: true, mode: 'name', value: 'acme robotics' } }] },
				},
			}),
			items: [{ name: 'Lucía Fernández Ñúñez', email: ' New.Hire1@Example.com ' }],
			timezone: 'Europe/Madrid',
			store,
		});
		expect(out[0].json).toMatchObject({
			FullName: 'Lucía Fernández Ñúñez',
			Email: 'New.Hire1@Example.com',
			created: true,
		});
		const body = posts()[0].body as Record<string, unknown>;
		expect(body).toMatchObject({
			FullName: 'Lucía Fernández Ñúñez',
			Email: 'New.Hire1@Example.com',
			CoworkerType: 1,
			InvoicingBusinessId: b.madrid,
			CountryId: 724,
			SimpleTimeZoneId: 95,
			Gender: 1,
			TaxRateType: 1,
			MondayAttendance: 5,
			SundayAttendance: 5,
			CreateUser: false,
			Position: 'Engineer',
			TariffId: 9001,
			BillingDay: 5,
			RenewalDate: '2026-01-31T23:00:00Z',
			AccessCardId: '04A1B2C3',
			Teams: [7001],
		});
		expect(emulator.db.welcomeEmails).toEqual([]);
		expect(emulator.requests.some((r) => r.path === `/api/sys/businesses/${b.madrid}`)).toBe(true);
	});

	it('bad input fails the item naming the field, and sends nothing for it', async () => {
		const [out] = await runNexudusNode({
			parameters: memberParameters('create'),
			items: [
				{ name: '', email: 'x@example.com' },
				{ name: 'No Mail', email: 'not-an-email' },
				{ name: 'Nowhere', email: 'n@example.com', location: 'Atlantis' },
				{ name: 'Plan-less', email: 'p@example.com' },
			],
			onError: 'continueRegularOutput',
			store,
		});
		expect(out.map((item) => String(item.json.error))).toEqual([
			expect.stringMatching(/^Invalid Full Name/),
			expect.stringMatching(/^Invalid Email: "not-an-email"/),
			expect.stringMatching(/no location is named "Atlantis"/),
			'undefined',
		]);
		expect(posts()).toHaveLength(1);
	});
});

describe('Coworker > Find or Create', () => {
	it('matches e-mail (spaces and case aside) and type; a Company profile sharing the e-mail is another member', async () => {
		const existing = emulator.db.coworkers.find((c) => c.Id === DEMO.coworkers.janeDoe)!;
		const [out] = await runNexudusNode({
			parameters: memberParameters('findOrCreate'),
			items: [
				{ name: 'Jane Doe', email: `  ${existing.Email.toUpperCase()} ` },
				{ name: 'Jane Doe Ltd', email: existing.Email, type: 'Company' },
				{ name: 'Jane Doe Ltd', email: existing.Email, type: 'Company' },
			],
			store,
		});
		expect(out[0].json).toMatchObject({
			Id: existing.Id,
			created: false,
			matchedBy: 'email and type',
		});
		expect(out[1].json).toMatchObject({ created: true, CoworkerType: 'Company' });
		// The run learnt the member it created: the third item finds it with no request.
		expect(out[2].json).toMatchObject({ Id: out[1].json.Id, created: false });
		expect(posts()).toHaveLength(1);
		expect(
			emulator.requests.filter((r) => r.method === 'GET' && r.path === COWORKERS),
		).toHaveLength(1);
	});

	it('several of one type: the home location breaks the tie; a tie it cannot break is an item error listing them', async () => {
		const email = 'twin@example.com';
		const one = emulator.db.addCoworker({
			FullName: 'Twin M',
			Email: email,
			InvoicingBusinessId: b.madrid,
		});
		const two = emulator.db.addCoworker({
			FullName: 'Twin NY',
			Email: email,
			InvoicingBusinessId: b.newYork,
		});
		const three = emulator.db.addCoworker({
			FullName: 'Twin NY 2',
			Email: email,
			InvoicingBusinessId: b.newYork,
		});
		const [out] = await runNexudusNode({
			parameters: memberParameters('findOrCreate'),
			items: [
				{ name: 'Twin', email },
				{ name: 'Twin', email, location: 'New York - SoHo' },
			],
			onError: 'continueRegularOutput',
			store,
		});
		expect(out[0].json).toMatchObject({
			Id: one.Id,
			created: false,
			matchedBy: 'email, type and home location',
		});
		expect(out[1].json.error).toBe(
			`2 Individual coworkers have the email "twin@example.com" at home location ${b.newYork}: ${two.Id} (Twin NY), ${three.Id} (Twin NY 2)`,
		);
		expect(posts()).toHaveLength(0);
	});

	it('a Create Assignment By Email after Find or Create in the same execution finds the new member with no request', async () => {
		const execution = newExecution();
		const items = [{ name: 'Cache Hire', email: 'Cache.Hire@example.com' }];
		const [member] = await runNexudusNode({
			parameters: memberParameters('findOrCreate'),
			items,
			store,
			execution,
		});
		expect(member[0].json).toMatchObject({ created: true });
		const lookups = () =>
			emulator.requests.filter((r) => r.method === 'GET' && r.path === COWORKERS).length;
		expect(lookups()).toBe(1);
		const [kit] = await runNexudusNode({
			parameters: {
				resource: 'coworkerInventoryAsset',
				operation: 'create',
				coworker: { __rl: true, mode: 'email', value: 'cache.hire@example.com' },
				location: { __rl: true, mode: 'id', value: b.madrid },
				inventoryAsset: { __rl: true, mode: 'pattern', value: 'locker' },
				assignedFrom: '2026-03-02',
				options: FAST,
			},
			store,
			execution,
		});
		expect(kit[0].json).toMatchObject({ CoworkerId: member[0].json.Id });
		expect(lookups()).toBe(1);
	});

	it('two executions at once with the same e-mail create one member', async () => {
		const items = [{ name: 'Race Hire', email: 'race.hire@example.com' }];
		const runs = await Promise.all([
			runNexudusNode({ parameters: memberParameters('findOrCreate'), items, store }),
			runNexudusNode({
				parameters: memberParameters('findOrCreate'),
				items,
				store: adminStore(emulator.url),
			}),
		]);
		expect(withEmail('race.hire@example.com')).toHaveLength(1);
		expect(runs.map(([out]) => out[0].json.created).sort()).toEqual([false, true]);
	});

	const FAULTS: Array<[string, FaultSpec]> = [
		['a 500 after the commit', { method: 'POST', path: COWORKERS, kind: '500-after-write' }],
		['a 500 before the commit', { method: 'POST', path: COWORKERS, kind: '500' }],
		[
			'a dropped connection after the commit',
			{ method: 'POST', path: COWORKERS, kind: 'drop-after-write' },
		],
		[
			'a 504 then a commit 3 s later',
			{ method: 'POST', path: COWORKERS, kind: '504-late-commit', delayMs: 3_000 },
		],
		[
			'an HTML 200 page after the commit',
			{ method: 'POST', path: COWORKERS, kind: 'html-200-after-write' },
		],
		['a 200 without Value.Id', { method: 'POST', path: COWORKERS, kind: '200-no-id-after-write' }],
	];
	it.each(FAULTS)(
		'%s on Coworker Create: one member, found again, not created twice',
		async (label, fault) => {
			const email = `fault-${label.replace(/\W+/g, '-')}@example.com`;
			emulator.faults.add(fault);
			const [out] = await runNexudusNode({
				parameters: memberParameters('findOrCreate'),
				items: [{ name: 'Fault Hire', email }],
				onError: 'continueErrorOutput',
				store,
			});
			await emulator.lateCommitsDone();
			expect(out[0].json.error).toBeUndefined();
			expect(withEmail(email)).toHaveLength(1);
			expect(out[0].json).toMatchObject({ Id: withEmail(email)[0].Id, created: true });
		},
		60_000,
	);
});

describe('Coworker > Update and By Access Card', () => {
	function secretMember() {
		const member = emulator.db.addCoworker({
			FullName: 'Offboard Me',
			Email: `off-${Date.now()}@example.com`,
			InvoicingBusinessId: b.madrid,
		});
		member.Fields = {
			AccessCardId: `CARD-${member.Id}`,
			KeyFobNumber: 'FOB-1',
			AccessPincode: '4321',
			ZoomAccessToken: 'zoom-secret',
			DoordeckPrivateKey: 'doordeck-secret',
			AvatarUrl: 'https://cdn.example.com/a.png',
			MobilePhone: '+34 600 000 000',
		};
		return member;
	}

	it('finds the member by card, clears card, fob and PIN; tokens, avatar and other fields untouched; no welcome e-mail', async () => {
		const member = secretMember();
		const parameters = {
			resource: 'coworker',
			operation: 'update',
			coworker: { __rl: true, mode: 'accessCard', value: `CARD-${member.Id}` },
			updateFields: {},
			clear: ['accessCardId', 'keyFobNumber', 'accessPincode'],
			options: FAST,
		};
		const [out] = await runNexudusNode({ parameters, store });
		expect(out[0].json).toMatchObject({ Id: member.Id, updated: true, AccessCardId: null });
		expect(member.Fields).toMatchObject({
			AccessCardId: null,
			KeyFobNumber: null,
			AccessPincode: null,
			ZoomAccessToken: 'zoom-secret',
			DoordeckPrivateKey: 'doordeck-secret',
			AvatarUrl: 'https://cdn.example.com/a.png',
			MobilePhone: '+34 600 000 000',
		});
		const put = emulator.requests.find((r) => r.method === 'PUT')!.body as Record<string, unknown>;
		for (const name of [
			'CreateUser',
			'NewAvatarUrl',
			'ClearAvatarFile',
			'ZoomAccessToken',
			'DoordeckPrivateKey',
		]) {
			expect(put).not.toHaveProperty(name);
		}
		expect(emulator.db.welcomeEmails).toEqual([]);
		// Again by Id: nothing left to clear, nothing sent (idempotent offboarding).
		emulator.clearRequests();
		const [again] = await runNexudusNode({
			parameters: { ...parameters, coworker: { __rl: true, mode: 'id', value: member.Id } },
			store,
		});
		expect(again[0].json).toMatchObject({ updated: false, changedFields: [] });
		expect(emulator.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
	});

	it('sets fields without touching the masked PIN; a record it could not read is never PUT', async () => {
		const member = secretMember();
		const [out] = await runNexudusNode({
			parameters: {
				resource: 'coworker',
				operation: 'update',
				coworker: { __rl: true, mode: 'id', value: member.Id },
				updateFields: { accessCardId: 'NEW-CARD', position: 'Lead' },
				options: FAST,
			},
			store,
		});
		expect(out[0].json).toMatchObject({
			updated: true,
			changedFields: ['AccessCardId', 'Position'],
		});
		expect(member.Fields).toMatchObject({
			AccessCardId: 'NEW-CARD',
			Position: 'Lead',
			AccessPincode: '4321',
			ZoomAccessToken: 'zoom-secret',
		});

		emulator.clearRequests();
		emulator.faults.add({ method: 'GET', path: `${COWORKERS}/${member.Id}`, kind: '403' });
		const [failed] = await runNexudusNode({
			parameters: {
				resource: 'coworker',
				operation: 'update',
				coworker: { __rl: true, mode: 'id', value: member.Id },
				updateFields: { position: 'X' },
				options: FAST,
			},
			onError: 'continueRegularOutput',
			store,
		});
		expect(failed[0].json.error).toBeDefined();
		expect(emulator.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
		expect(member.Fields?.Position).toBe('Lead');
	});

	it('the emulator keeps masked fields only when a PUT leaves them out: echoing the GET overwrites them', async () => {
		// The control that makes the Update test meaningful: a naive read-merge-PUT corrupts.
		const member = secretMember();
		const login = await fetch(`${emulator.url}/api/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: `grant_type=password&username=admin%40example.com&password=${encodeURIComponent(String(store.data.password))}`,
		});
		const { access_token: token } = (await login.json()) as { access_token: string };
		const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
		const read = await fetch(`${emulator.url}${COWORKERS}/${member.Id}`, { headers });
		const record = (await read.json()) as Record<string, unknown>;
		expect(record).toMatchObject({
			AccessPincode: '********',
			ZoomAccessToken: '********',
			CreateUser: false,
		});
		const put = await fetch(`${emulator.url}${COWORKERS}`, {
			method: 'PUT',
			headers,
			body: JSON.stringify(record),
		});
		expect(put.status).toBe(200);
		expect(member.Fields).toMatchObject({ AccessPincode: '********', ZoomAccessToken: '********' });
	});
});
