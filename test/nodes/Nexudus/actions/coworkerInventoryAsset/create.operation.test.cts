import type { Emulator } from '../../../../emulator/server.cjs';
import { startEmulator } from '../../../../emulator/server.cjs';
import type { CredentialStore } from '../../../../support/n8nCore.cjs';
import { adminStore, credentialStore, runNexudusNode } from '../../../../support/n8nCore.cjs';
import { processClientId } from '../../../../../nodes/Nexudus/helpers/clientId';

const ENDPOINT = '/api/spaces/coworkerinventoryassets';

let emulator: Emulator;
let store: CredentialStore;
let coworker: number;
let business: number;
let asset: number;
let otherBusinessAsset: number | undefined;

beforeAll(async () => {
	emulator = await startEmulator({ seed: 'demo' });
	const db = emulator.db;
	coworker = db.coworkers[0].Id;
	business = db.businesses[0].Id;
	asset = db.inventoryAssets.find((a) => a.BusinessId === business)!.Id;
	otherBusinessAsset = db.inventoryAssets.find((a) => a.BusinessId !== business)?.Id;
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.clearRequests();
	emulator.faults.clear();
	emulator.setLimits(false);
	store = adminStore(emulator.url);
});

function byId(value: number | string) {
	return { __rl: true, mode: 'id', value };
}

function createParameters(overrides: Record<string, unknown> = {}) {
	return {
		resource: 'coworkerInventoryAsset',
		operation: 'create',
		coworker: byId(coworker),
		location: byId(business),
		inventoryAsset: byId(asset),
		assignedFrom: '2025-01-15T10:30:00',
		// These tests create the same asset again and again: If Already Assigned's check (the
		// default Skip) is tested in its own describe below.
		ifAssigned: 'createAnyway',
		additionalFields: {},
		options: {},
		...overrides,
	};
}

const creates = () => emulator.requests.filter((r) => r.method === 'POST' && r.path === ENDPOINT);

describe('Create Coworker Inventory Asset through n8n-core', () => {
	it('logs in, sends the assignment in UTC and outputs the new Id with the values sent', async () => {
		const [out] = await runNexudusNode({
			parameters: createParameters({
				additionalFields: { assignedTo: '2025-06-30 18:00', notes: 'Starter kit' },
			}),
			timezone: 'Europe/Madrid',
			store,
		});
		expect(out).toHaveLength(1);
		const id = out[0].json.Id as number;
		expect(id).toBeGreaterThan(0);
		expect(out[0].json).toEqual({
			Id: id,
			CoworkerId: coworker,
			BusinessId: business,
			InventoryAssetId: asset,
			AssignedFrom: '2025-01-15T09:30:00Z',
			AssignedTo: '2025-06-30T16:00:00Z',
			Notes: 'Starter kit',
		});
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(creates()).toHaveLength(1);
		expect(creates()[0].body).toEqual({
			CoworkerId: coworker,
			BusinessId: business,
			InventoryAssetId: asset,
			AssignedFrom: '2025-01-15T09:30:00Z',
			AssignedTo: '2025-06-30T16:00:00Z',
			Notes: 'Starter kit',
		});
		const token = emulator.requests.find((r) => r.path === '/api/token')!;
		// The credential's Client ID, tagged with this n8n process (one Nexudus session per process).
		expect(token.clientId).toBe(processClientId('n8n-nodes-nexudus'));
		expect(creates()[0].headers.authorization).toMatch(/^Bearer \S+/);
		const stored = emulator.db.coworkerInventoryAssets.find((r) => r.Id === id)!;
		expect(stored.AssignedFrom).toBe('2025-01-15T09:30:00Z');
		expect(store.logins).toBe(1);
	});

	it('accepts ids as digit strings and numbers, and gives the raw response on request', async () => {
		const [out] = await runNexudusNode({
			parameters: createParameters({
				coworker: byId(String(coworker)),
				location: { __rl: true, mode: 'list', value: String(business) },
				options: { rawResponse: true },
			}),
			store,
		});
		expect(out[0].json).toMatchObject({ WasSuccessful: true, Value: { Id: expect.any(Number) } });
		expect(out[0].json.Message).toContain('successfully created');
	});

	it('reuses the stored token and logs in again once after a 401', async () => {
		await runNexudusNode({ parameters: createParameters(), store });
		expect(store.logins).toBe(1);
		emulator.expireAllTokens();
		emulator.clearRequests();
		const [out] = await runNexudusNode({ parameters: createParameters(), store });
		expect(out[0].json.Id).toEqual(expect.any(Number));
		expect(store.logins).toBe(2);
		// The asset's location is checked first (one read), then the assignment is sent.
		expect(emulator.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			`GET /api/spaces/inventoryassets/${asset} 401`,
			'POST /api/token 200',
			`GET /api/spaces/inventoryassets/${asset} 200`,
			`POST ${ENDPOINT} 200`,
		]);
		expect(creates().filter((r) => r.status === 200)).toHaveLength(1);
	});

	it('turns bad input into per-item errors that name the field and value, and sends nothing for them', async () => {
		const items = [
			{ from: '2025-01-15' },
			{ from: 'next tuesday' },
			{ from: '2025-02-30' },
			{ from: '2025-03-01', to: '2025-02-01' },
			{ from: '2025-01-15', coworker: 'abc' },
			{ from: '2025-01-15', coworker: -4 },
			{ from: '' },
		];
		const [out] = await runNexudusNode({
			parameters: createParameters({
				assignedFrom: '={{ $json.from }}',
				coworker: { __rl: true, mode: 'id', value: `={{ $json.coworker ?? ${coworker} }}` },
				// Every item gets an end (an empty one would be open-ended).
				additionalFields: { assignedTo: '={{ $json.to ?? "2030-12-31" }}' },
			}),
			items,
			onError: 'continueRegularOutput',
			store,
		});
		expect(out).toHaveLength(items.length);
		expect(out.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(out[0].json.Id).toEqual(expect.any(Number));
		expect(out[1].json.error).toBe('Invalid Assigned From: "next tuesday"');
		expect(out[2].json.error).toBe('Invalid Assigned From: "2025-02-30"');
		expect(out[3].json.error).toContain('Invalid Assigned To');
		expect(out[3].json.message).toContain('before Assigned From');
		expect(out[4].json.error).toBe('Invalid Coworker: "abc"');
		expect(out[4].json.message).toContain('positive whole number');
		expect(out[5].json.error).toBe('Invalid Coworker: -4');
		expect(out[6].json.error).toBe('Invalid Assigned From: ""');
		for (const item of out.slice(1)) {
			expect(Object.keys(item.json).sort()).toEqual(['error', 'message']);
		}
		expect(creates()).toHaveLength(1);
	});

	it('maps a 400 with Errors[] and a 200 with WasSuccessful false to item errors with every detail', async () => {
		const parameters = createParameters({
			coworker: byId('={{ $json.coworker }}'),
			inventoryAsset: byId('={{ $json.asset }}'),
		});
		const items = [
			{ coworker: 99999999, asset },
			...(otherBusinessAsset ? [{ coworker, asset: otherBusinessAsset }] : []),
		];
		const [out] = await runNexudusNode({
			parameters,
			items,
			onError: 'continueErrorOutput',
			store,
		});
		// Nexudus's field names become the parameters' names, with Nexudus's words and what to do.
		expect(out[0].json.error).toBe('Coworker: no customer with this Id');
		expect(out[0].json.message).toBe(
			'Nexudus reported:\nCoworker: no customer with this Id (sent: 99999999). Pick the member in Coworker, or check the Id given By ID.',
		);
		if (otherBusinessAsset) {
			// Caught before sending: the asset is at another location.
			expect(out[1].json.error).toMatch(/^Inventory Asset \d+ \(.+\) is at .+, not at .+$/);
			expect(out[1].json.message).toContain('Nothing was sent.');
		}
	});

	it('stops on the first failure when not continuing, naming the item', async () => {
		await expect(
			runNexudusNode({
				parameters: createParameters({ assignedFrom: '={{ $json.from }}' }),
				items: [{ from: '2025-01-15' }, { from: 'soon' }, { from: '2025-01-16' }],
				store,
			}),
		).rejects.toMatchObject({
			message: 'Invalid Assigned From: "soon"',
			context: { itemIndex: 1 },
		});
		expect(creates()).toHaveLength(1);
	});

	it('waits out 409 throttling and creates every item exactly once', async () => {
		emulator.faults.add({ method: 'POST', path: ENDPOINT, kind: '409', times: 3 });
		const [out] = await runNexudusNode({
			parameters: createParameters({ assignedFrom: '={{ $json.from }}' }),
			items: [{ from: '2025-01-01' }, { from: '2025-01-02' }],
			store,
		});
		expect(out.map((item) => typeof item.json.Id)).toEqual(['number', 'number']);
		expect(creates().filter((r) => r.status === 409)).toHaveLength(3);
		expect(creates().filter((r) => r.status === 200)).toHaveLength(2);
	});

	it('says which role is missing on a 403', async () => {
		store = credentialStore({
			email: 'limited@example.com',
			password: 'demo-password',
			baseUrl: emulator.url,
		});
		await expect(runNexudusNode({ parameters: createParameters(), store })).rejects.toMatchObject({
			message: 'The Nexudus user lacks the CoworkerInventoryAsset-Create role (403)',
		});
	});

	it('explains a wrong password without revealing it', async () => {
		store = credentialStore({
			email: 'admin@example.com',
			password: 'S3cret-wrong-pass',
			totpSecret: '',
			baseUrl: emulator.url,
		});
		const [out] = await runNexudusNode({
			parameters: createParameters(),
			onError: 'continueRegularOutput',
			store,
		});
		expect(out[0].json.error).toContain('Nexudus login failed: wrong email or password');
		expect(JSON.stringify(out)).not.toContain('S3cret-wrong-pass');
		expect(creates()).toHaveLength(0);
	});

	it('never puts the token or password in outputs or errors', async () => {
		const [out] = await runNexudusNode({
			parameters: createParameters({ coworker: byId(99999999) }),
			onError: 'continueRegularOutput',
			store,
		});
		const serialized = JSON.stringify(out);
		expect(serialized).not.toContain('demo-password');
		expect(serialized).not.toContain(String(store.data.accessToken));
	});

	it('reports a refused connection clearly', async () => {
		store = adminStore('http://127.0.0.1:9');
		const [out] = await runNexudusNode({
			parameters: createParameters(),
			onError: 'continueRegularOutput',
			store,
		});
		expect(out[0].json.error).toContain('could not reach http://127.0.0.1:9');
	});

	it('refuses a plain-http Base URL that is not loopback', async () => {
		store = adminStore('http://nexudus.example.com');
		const [out] = await runNexudusNode({
			parameters: createParameters(),
			onError: 'continueRegularOutput',
			store,
		});
		expect(out[0].json.error).toContain('uses plain http');
		expect(emulator.requests).toHaveLength(0);
	});
});

describe('Create: If the Asset Is Already Assigned', () => {
	// Hot desks 02-05 of the first location: no other test assigns them.
	const HOT_DESK_3 = 3003;
	const HOT_DESK_4 = 3004;
	const HOT_DESK_5 = 3005;
	const HOT_DESK_2 = 3002;
	const lists = () => emulator.requests.filter((r) => r.method === 'GET' && r.path === ENDPOINT);

	function guarded(
		assetId: number,
		ifAssigned: string | undefined,
		extra: Record<string, unknown> = {},
	) {
		return createParameters({
			inventoryAsset: byId(assetId),
			assignedFrom: '2025-09-01T09:00:00Z',
			// Not given: the parameter's default (Skip).
			ifAssigned,
			...extra,
		});
	}

	it('Skip: creates nothing and outputs the open assignment, marked skipped with a reason', async () => {
		const existing = emulator.db.addCoworkerInventoryAsset({
			CoworkerId: 2004,
			BusinessId: business,
			InventoryAssetId: HOT_DESK_3,
			AssignedFrom: '2025-06-01T09:00:00Z',
			AssignedTo: null,
			Notes: 'Taken',
		});
		const [out] = await runNexudusNode({ parameters: guarded(HOT_DESK_3, 'skip'), store });
		expect(out).toHaveLength(1);
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(out[0].json).toMatchObject({
			Id: existing.Id,
			CoworkerId: 2004,
			CoworkerFullName: 'Pablo Navarro',
			BusinessId: business,
			InventoryAssetId: HOT_DESK_3,
			AssignedFrom: '2025-06-01T09:00:00Z',
			AssignedTo: null,
			skipped: true,
		});
		expect(out[0].json.reason).toBe(
			`Inventory asset ${HOT_DESK_3} is already assigned to coworker 2004 (Pablo Navarro) by assignment ${existing.Id}, from 2025-06-01T09:00:00Z with no end. Nothing was created.`,
		);
		expect(creates()).toHaveLength(0);
		expect(lists()).toHaveLength(1);
		expect(lists()[0].query.CoworkerInventoryAsset_InventoryAsset).toBe(String(HOT_DESK_3));
	});

	it('Error: a per-item error naming the open assignment and its coworker, nothing created', async () => {
		const existing = emulator.db.addCoworkerInventoryAsset({
			CoworkerId: 2005,
			BusinessId: business,
			InventoryAssetId: HOT_DESK_4,
			AssignedFrom: '2025-06-01T09:00:00Z',
			// Ends after the new one starts: still overlapping.
			AssignedTo: '2025-12-31T18:00:00Z',
		});
		const [out] = await runNexudusNode({
			parameters: guarded(HOT_DESK_4, 'error'),
			onError: 'continueErrorOutput',
			store,
		});
		expect(out[0].json.error).toBe(
			`Inventory asset ${HOT_DESK_4} is already assigned to coworker 2005 (Marta Gil) by assignment ${existing.Id}, from 2025-06-01T09:00:00Z until 2025-12-31T18:00:00Z`,
		);
		expect(out[0].json.message).toContain('End that assignment first');
		expect(creates()).toHaveLength(0);
	});

	it('Skip and Error create when nothing overlaps: an ended assignment, or one starting after the new one ends', async () => {
		emulator.db.addCoworkerInventoryAsset({
			CoworkerId: 2006,
			BusinessId: business,
			InventoryAssetId: HOT_DESK_5,
			AssignedFrom: '2025-01-01T09:00:00Z',
			AssignedTo: '2025-09-01T09:00:00Z',
		});
		emulator.db.addCoworkerInventoryAsset({
			CoworkerId: 2007,
			BusinessId: business,
			InventoryAssetId: HOT_DESK_5,
			AssignedFrom: '2025-12-01T09:00:00Z',
			AssignedTo: null,
		});
		// Back to back: the first ends when the second starts, and both fit between the two above.
		const [out] = await runNexudusNode({
			parameters: guarded(HOT_DESK_5, '={{ $json.mode }}', {
				assignedFrom: '={{ $json.from }}',
				additionalFields: { assignedTo: '={{ $json.to }}' },
			}),
			items: [
				{ mode: 'skip', from: '2025-09-01T09:00:00Z', to: '2025-10-15T09:00:00Z' },
				{ mode: 'error', from: '2025-10-15T09:00:00Z', to: '2025-11-30T18:00:00Z' },
			],
			store,
		});
		expect(out.map((i) => typeof i.json.Id)).toEqual(['number', 'number']);
		expect(out.map((i) => i.json.skipped)).toEqual([undefined, undefined]);
		expect(creates()).toHaveLength(2);
	});

	it('Skip is the default: nothing created for an asset already assigned', async () => {
		const [out] = await runNexudusNode({ parameters: guarded(HOT_DESK_3, undefined), store });
		expect(out[0].json).toMatchObject({ InventoryAssetId: HOT_DESK_3, skipped: true });
		expect(lists()).toHaveLength(1);
		expect(creates()).toHaveLength(0);
	});

	it('Create Anyway does not look and creates a second open assignment', async () => {
		const [out] = await runNexudusNode({ parameters: guarded(HOT_DESK_3, 'createAnyway'), store });
		expect(out[0].json.Id).toEqual(expect.any(Number));
		expect(lists()).toHaveLength(0);
		expect(creates()).toHaveLength(1);
	});

	it('items of one run see each other: the second of two identical items is skipped', async () => {
		const [out] = await runNexudusNode({
			parameters: guarded(HOT_DESK_2, 'skip'),
			items: [{}, {}],
			store,
		});
		expect(out[0].json.skipped).toBeUndefined();
		expect(out[1].json).toMatchObject({ Id: out[0].json.Id, skipped: true });
		expect(creates()).toHaveLength(1);
	});
});

describe('Create: dates given as numbers, empty expressions, notes of other types, long values', () => {
	it('refuses implausible dates with the likely cause, per item, sending nothing for them', async () => {
		const items = [
			{ from: 15 },
			{ from: 2025 },
			{ from: 45672 },
			{ from: '20250115103000' },
			{ from: 20250115103000 },
			{ from: 1736937000, to: 45672 },
			{ from: 1736937000 },
		];
		const [out] = await runNexudusNode({
			parameters: createParameters({
				assignedFrom: '={{ $json.from }}',
				additionalFields: { assignedTo: '={{ $json.to ?? "2030-12-31" }}' },
			}),
			items,
			onError: 'continueRegularOutput',
			store,
		});
		expect(out.map((item) => item.json.error)).toEqual([
			'Invalid Assigned From: 15',
			'Invalid Assigned From: 2025',
			'Invalid Assigned From: 45672',
			'Invalid Assigned From: "20250115103000"',
			'Invalid Assigned From: 20250115103000',
			'Invalid Assigned To: 45672',
			undefined,
		]);
		const messages = out.map((item) => String(item.json.message));
		expect(messages[0]).toMatch(
			/^Read as epoch seconds it is 1970-01-01T00:00:15Z, outside the supported years 1980 to 2100\. Use ISO 8601/,
		);
		expect(messages[1]).toMatch(/^It looks like a year; give a whole date such as 2025-01-15\./);
		expect(messages[2]).toMatch(
			/^It looks like a spreadsheet serial date \(days since 1899-12-30; 45672 is 2025-01-15\): format that column as a date, or convert it\./,
		);
		expect(messages[3]).toMatch(/^It looks like a compact date; write it as 2025-01-15T10:30:00\./);
		expect(messages[4]).toMatch(/^It looks like a compact date; write it as 2025-01-15T10:30:00\./);
		expect(messages[5]).toMatch(/^It looks like a spreadsheet serial date/);
		expect(out[6].json).toMatchObject({
			AssignedFrom: '2025-01-15T10:30:00Z',
			AssignedTo: '2030-12-31T00:00:00Z',
		});
		expect(creates()).toHaveLength(1);
	});

	it('an Assigned To expression that evaluates to empty creates an open-ended assignment, as a blank field does', async () => {
		// HR data: fixed-term hires have an end date, permanent ones none.
		const items = [{}, { to: null }, { to: '' }, { to: '   ' }, { to: '2025-06-30' }];
		const [out] = await runNexudusNode({
			parameters: createParameters({ additionalFields: { assignedTo: '={{ $json.to }}' } }),
			items,
			onError: 'continueRegularOutput',
			store,
		});
		expect(out.map((item) => item.json.error)).toEqual([
			undefined,
			undefined,
			undefined,
			undefined,
			undefined,
		]);
		expect(out.slice(0, 4).map((item) => item.json.AssignedTo)).toEqual([null, null, null, null]);
		expect(out[4].json).toMatchObject({ AssignedTo: '2025-06-30T00:00:00Z' });
		expect(creates()).toHaveLength(5);
		expect(
			creates()
				.slice(0, 4)
				.every((r) => !('AssignedTo' in (r.body as object))),
		).toBe(true);

		const [blank] = await runNexudusNode({
			parameters: createParameters({ additionalFields: { assignedTo: '' } }),
			store,
		});
		expect(blank[0].json).toMatchObject({ Id: expect.any(Number), AssignedTo: null });
		expect(creates()).toHaveLength(6);
	});

	it('shows a long expression shortened (Update Notes, a field that still refuses empty)', async () => {
		const expression = `{{ $json.to ?? $json.${'fallback'.repeat(20)} }}`;
		const [out] = await runNexudusNode({
			parameters: {
				resource: 'coworkerInventoryAsset',
				operation: 'update',
				coworkerInventoryAsset: byId(5001),
				updateFields: { notes: `=${expression}` },
				options: {},
			},
			onError: 'continueRegularOutput',
			store,
		});
		expect(out[0].json.error).toBe(
			`Invalid Notes: the expression ${expression.slice(0, 80)}… (${expression.length} characters) evaluated to empty (undefined)`,
		);
		expect(emulator.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
	});

	it('sends numbers and booleans as Notes text and refuses objects and arrays', async () => {
		const items = [{ notes: 42 }, { notes: true }, { notes: { text: 'hi' } }, { notes: ['a'] }];
		const [out] = await runNexudusNode({
			parameters: createParameters({ additionalFields: { notes: '={{ $json.notes }}' } }),
			items,
			onError: 'continueRegularOutput',
			store,
		});
		expect(out[0].json).toMatchObject({ Notes: '42' });
		expect(out[1].json).toMatchObject({ Notes: 'true' });
		expect(out[2].json).toEqual({
			error: 'Invalid Notes: {"text":"hi"}',
			message:
				'Notes must be text, but the value is an object. Map a text field (for example {{ $json.notes }}), or turn the value into text in the expression (for example {{ JSON.stringify($json.details) }}).',
		});
		expect(out[3].json.error).toBe('Invalid Notes: ["a"]');
		expect(String(out[3].json.message)).toContain('the value is an array');
		expect(creates().map((request) => (request.body as { Notes?: string }).Notes)).toEqual([
			'42',
			'true',
		]);
	});

	it('shows at most 80 characters of a huge bad value, with its length', async () => {
		const huge = 'x'.repeat(10000);
		const [out] = await runNexudusNode({
			parameters: createParameters({ assignedFrom: '={{ $json.from }}' }),
			items: [{ from: huge }],
			onError: 'continueRegularOutput',
			store,
		});
		expect(out[0].json.error).toBe(
			`Invalid Assigned From: "${'x'.repeat(80)}"… (10000 characters)`,
		);
		expect(String(out[0].json.message).length).toBeLessThan(600);
		expect(creates()).toHaveLength(0);
	});
});
