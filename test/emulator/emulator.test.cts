import {
	DEMO,
	DEMO_TOTP_SECRET,
	MINIMAL,
	startEmulator,
	totp,
	type Emulator,
	type EmulatorOptions,
} from './server.cjs';
import { base32Decode, hotp } from './totp.cjs';
import * as client from './client.cjs';
import { ASSIGNMENTS, PASSWORD, sleep, validAssignment, type CallOptions } from './client.cjs';

let emulator: Emulator;

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
	emulator = await startEmulator({ seed: 'minimal', ...options });
	return emulator;
}

afterEach(async () => {
	await emulator?.close();
});

// Bound to the emulator the current test started.
const call = (method: string, path: string, options?: CallOptions) =>
	client.call(emulator.url, method, path, options);
const login = (email?: string, headers?: Record<string, string>) =>
	client.login(emulator.url, email, headers);
const adminToken = () => client.adminToken(emulator.url);

describe('totp', () => {
	it('matches the RFC 6238 SHA1 test vectors (6 digits)', () => {
		const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // "12345678901234567890"
		expect(base32Decode(secret).toString()).toBe('12345678901234567890');
		expect(totp(secret, 59_000)).toBe('287082');
		expect(totp(secret, 1_111_111_109_000)).toBe('081804');
		expect(hotp(base32Decode(secret), 0)).toBe('755224');
	});
});

describe('POST /api/token', () => {
	beforeEach(() => start());

	it('logs in with a form body', async () => {
		const answer = await call('POST', '/api/token', {
			form: { grant_type: 'password', username: 'admin@example.com', password: PASSWORD },
		});
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(answer.body).toEqual({
			access_token: expect.any(String),
			token_type: 'bearer',
			expires_in: 604799,
			refresh_token: expect.any(String),
		});
	});

	it('refuses a JSON body', async () => {
		const answer = await call('POST', '/api/token', {
			json: { grant_type: 'password', username: 'admin@example.com', password: PASSWORD },
		});
		expect(answer.status).toBe(400);
		expect(answer.body).toEqual({ error: 'unsupported_grant_type' });
	});

	it('refuses a bad password or an unknown user', async () => {
		for (const [username, password] of [
			['admin@example.com', 'wrong'],
			['nobody@example.com', PASSWORD],
		]) {
			const answer = await call('POST', '/api/token', {
				form: { grant_type: 'password', username, password },
			});
			expect(answer.status).toBe(400);
			expect(answer.body).toEqual({
				error: 'invalid_grant',
				error_description: 'The user name or password is incorrect.',
			});
		}
	});

	it('requires a valid totp code when the user has two-factor on', async () => {
		const form = { grant_type: 'password', username: '2fa@example.com', password: PASSWORD };
		const missing = await call('POST', '/api/token', { form });
		expect(missing.status).toBe(400);
		expect(missing.body.error).toBe('invalid_grant');
		expect(missing.body.error_description).toMatch(/two-factor/i);

		const current = totp(DEMO_TOTP_SECRET);
		const wrong = String((Number(current) + 500_000) % 1_000_000).padStart(6, '0');
		const rejected = await call('POST', '/api/token', { form: { ...form, totp: wrong } });
		expect(rejected.status).toBe(400);
		expect(rejected.body.error_description).toMatch(/two-factor/i);

		const accepted = await call('POST', '/api/token', { form: { ...form, totp: current } });
		expect(accepted.status).toBe(200);
		const previousStep = totp(DEMO_TOTP_SECRET, Date.now() - 30_000);
		const drift = await call('POST', '/api/token', { form: { ...form, totp: previousStep } });
		expect(drift.status).toBe(200);
		const tooOld = totp(DEMO_TOTP_SECRET, Date.now() - 120_000);
		if (![current, previousStep].includes(tooOld)) {
			const old = await call('POST', '/api/token', { form: { ...form, totp: tooOld } });
			expect(old.status).toBe(400);
		}
	});

	it('refreshes a token pair and voids the old refresh token', async () => {
		const first = await login('admin@example.com', { client_id: 'n8n' });
		const refresh = (refresh_token: string, client_id = 'n8n') =>
			call('POST', '/api/token', {
				form: { grant_type: 'refresh_token', refresh_token },
				headers: { client_id },
			});
		const second = await refresh(first.refresh_token);
		expect(second.status).toBe(200);
		expect(second.body.access_token).not.toBe(first.access_token);
		expect(second.body.refresh_token).not.toBe(first.refresh_token);
		expect((await call('GET', ASSIGNMENTS, { token: second.body.access_token })).status).toBe(200);

		const reused = await refresh(first.refresh_token);
		expect(reused.status).toBe(400);
		expect(reused.body.error).toBe('invalid_grant');
		expect((await refresh(second.body.refresh_token, 'other-client')).status).toBe(400);
	});

	it('voids older access tokens on a new login with the same client_id only', async () => {
		const a1 = await login('admin@example.com', { client_id: 'a' });
		const b1 = await login('admin@example.com', { client_id: 'b' });
		const a2 = await login('admin@example.com', { client_id: 'a' });
		expect((await call('GET', ASSIGNMENTS, { token: a1.access_token })).status).toBe(401);
		expect((await call('GET', ASSIGNMENTS, { token: b1.access_token })).status).toBe(200);
		expect((await call('GET', ASSIGNMENTS, { token: a2.access_token })).status).toBe(200);
	});
});

describe('authentication and roles', () => {
	const denied = { Message: 'Authorization has been denied for this request.' };

	it('answers 401 without a token, with a bad one, and after expiry', async () => {
		await start();
		expect(await call('GET', ASSIGNMENTS)).toMatchObject({ status: 401, body: denied });
		expect(await call('GET', ASSIGNMENTS, { token: 'nope' })).toMatchObject({
			status: 401,
			body: denied,
		});
		const pair = await login();
		expect((await call('GET', ASSIGNMENTS, { token: pair.access_token })).status).toBe(200);
		emulator.expireAllTokens();
		expect(await call('GET', ASSIGNMENTS, { token: pair.access_token })).toMatchObject({
			status: 401,
			body: denied,
		});
		const refreshed = await call('POST', '/api/token', {
			form: { grant_type: 'refresh_token', refresh_token: pair.refresh_token },
		});
		expect(refreshed.status).toBe(200);
	});

	it('honours tokenTtlSeconds', async () => {
		await start({ tokenTtlSeconds: 0 });
		const pair = await login();
		expect(pair.expires_in).toBe(0);
		expect((await call('GET', ASSIGNMENTS, { token: pair.access_token })).status).toBe(401);
	});

	it('answers 403 naming the missing role', async () => {
		await start();
		const token = (await login('limited@example.com')).access_token;
		expect((await call('GET', ASSIGNMENTS, { token })).status).toBe(200);
		expect((await call('GET', '/api/spaces/coworkers', { token })).status).toBe(200);
		const create = await call('POST', ASSIGNMENTS, { token, json: validAssignment() });
		expect(create.status).toBe(403);
		expect(create.body).toEqual({
			Message:
				'You do not have permission to perform this action. Required role: CoworkerInventoryAsset-Create',
		});
		expect(emulator.db.coworkerInventoryAssets).toHaveLength(0);
		const read = await call('GET', `${ASSIGNMENTS}/5001`, { token });
		expect(read.body.Message).toMatch(/Required role: CoworkerInventoryAsset-Read$/);
	});
});

describe('POST /api/spaces/coworkerinventoryassets', () => {
	let token: string;
	beforeEach(async () => {
		await start();
		token = await adminToken();
	});

	it('creates a record', async () => {
		const answer = await call('POST', ASSIGNMENTS, {
			token,
			json: validAssignment({ AssignedTo: '2025-02-01T18:00:00+01:00', Notes: 'Near window' }),
		});
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({
			Status: 200,
			Message: 'CoworkerInventoryAsset was successfully created.',
			Value: { Id: expect.any(Number) },
			OpenInDialog: false,
			OpenInWindow: false,
			RedirectURL: null,
			JavaScript: null,
			UpdatedOn: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
			UpdatedBy: 'admin@example.com',
			Errors: null,
			WasSuccessful: true,
		});
		const stored = emulator.db.coworkerInventoryAsset(answer.body.Value.Id);
		expect(stored).toMatchObject({
			CoworkerId: MINIMAL.coworkers.ana,
			BusinessId: MINIMAL.businesses.main,
			InventoryAssetId: MINIMAL.inventoryAssets.desk,
			AssignedFrom: '2025-01-15T10:30:00Z',
			AssignedTo: '2025-02-01T17:00:00Z',
			Notes: 'Near window',
			UpdatedBy: 'admin@example.com',
		});
	});

	it('allows duplicates, like the real API', async () => {
		await call('POST', ASSIGNMENTS, { token, json: validAssignment() });
		await call('POST', ASSIGNMENTS, { token, json: validAssignment() });
		const mine = emulator.db.coworkerInventoryAssets.filter(
			(record) => record.CoworkerId === MINIMAL.coworkers.ana,
		);
		expect(mine).toHaveLength(2);
	});

	it.each(['CoworkerId', 'BusinessId', 'InventoryAssetId', 'AssignedFrom'])(
		'answers 400 when %s is missing or null',
		async (field) => {
			for (const value of [undefined, null]) {
				const answer = await call('POST', ASSIGNMENTS, {
					token,
					json: validAssignment({ [field]: value }),
				});
				expect(answer.status).toBe(400);
				expect(answer.body).toEqual({
					Message: `${field}: is a required field`,
					Value: null,
					Errors: [{ AttemptedValue: null, Message: 'is a required field', PropertyName: field }],
					WasSuccessful: false,
				});
			}
			expect(emulator.db.coworkerInventoryAssets).toHaveLength(0);
		},
	);

	it('answers 400 for non-integer ids and unparseable dates, listing every error', async () => {
		const answer = await call('POST', ASSIGNMENTS, {
			token,
			json: validAssignment({ CoworkerId: 'abc', BusinessId: 1.5, AssignedTo: 'someday' }),
		});
		expect(answer.status).toBe(400);
		expect(answer.body.Message).toBe(
			'CoworkerId: is not a valid integer, BusinessId: is not a valid integer, AssignedTo: is not a valid date',
		);
		expect(answer.body.Errors).toEqual([
			{ AttemptedValue: 'abc', Message: 'is not a valid integer', PropertyName: 'CoworkerId' },
			{ AttemptedValue: 1.5, Message: 'is not a valid integer', PropertyName: 'BusinessId' },
			{ AttemptedValue: 'someday', Message: 'is not a valid date', PropertyName: 'AssignedTo' },
		]);
	});

	it('accepts ids as digit strings, as JSON.NET does', async () => {
		const answer = await call('POST', ASSIGNMENTS, {
			token,
			json: validAssignment({ CoworkerId: String(MINIMAL.coworkers.ben) }),
		});
		expect(answer.body.WasSuccessful).toBe(true);
		expect(emulator.db.coworkerInventoryAssets[0].CoworkerId).toBe(MINIMAL.coworkers.ben);
	});

	it.each([
		['CoworkerId', 9999, 'no customer with this Id'],
		['BusinessId', 9999, 'no location with this Id'],
		['InventoryAssetId', 9999, 'no inventory asset with this Id'],
	])('answers 400 for an unknown %s', async (field, value, text) => {
		const answer = await call('POST', ASSIGNMENTS, {
			token,
			json: validAssignment({ [field]: value }),
		});
		expect(answer.status).toBe(400);
		expect(answer.body.Message).toBe(`${field}: ${text}`);
		expect(answer.body.Errors).toEqual([
			{ AttemptedValue: value, Message: text, PropertyName: field },
		]);
	});

	it('answers HTTP 200 with WasSuccessful false when the asset is at another location', async () => {
		const other = emulator.db.addBusiness({ Name: 'Elsewhere' });
		const answer = await call('POST', ASSIGNMENTS, {
			token,
			json: validAssignment({ BusinessId: other.Id }),
		});
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({
			Status: 500,
			Message: 'InventoryAssetId: the asset does not belong to this location',
			Value: null,
			WasSuccessful: false,
			Errors: [
				{
					AttemptedValue: MINIMAL.inventoryAssets.desk,
					Message: 'the asset does not belong to this location',
					PropertyName: 'InventoryAssetId',
				},
			],
		});
		expect(emulator.db.coworkerInventoryAssets).toHaveLength(0);
	});

	it('answers HTTP 200 with WasSuccessful false when AssignedTo is before AssignedFrom', async () => {
		const answer = await call('POST', ASSIGNMENTS, {
			token,
			json: validAssignment({ AssignedTo: '2025-01-01T00:00:00Z' }),
		});
		expect(answer.status).toBe(200);
		expect(answer.body.WasSuccessful).toBe(false);
		expect(answer.body.Status).toBe(500);
		expect(answer.body.Errors).toHaveLength(1);
		expect(answer.body.Errors[0].PropertyName).toBe('AssignedTo');
		expect(emulator.db.coworkerInventoryAssets).toHaveLength(0);
	});

	it('answers 415 to a body that is not JSON', async () => {
		const answer = await call('POST', ASSIGNMENTS, {
			token,
			headers: { 'Content-Type': 'text/plain' },
		});
		expect(answer.status).toBe(415);
	});
});

describe('lists and reads', () => {
	let token: string;
	beforeEach(async () => {
		await start({ seed: 'demo' });
		token = await adminToken();
	});

	it('pages coworkers with the Nexudus envelope', async () => {
		const answer = await call('GET', '/api/spaces/coworkers?page=2&size=8', { token });
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({
			CurrentPage: 2,
			CurrentPageSize: 8,
			CurrentOrderField: 'Id',
			CurrentSortDirection: 'Ascending',
			FirstItem: 9,
			LastItem: 16,
			TotalItems: 21,
			TotalPages: 3,
			HasNextPage: true,
			HasPreviousPage: true,
		});
		expect(answer.body.Records.map((r: { Id: number }) => r.Id)).toEqual([
			2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016,
		]);
		const last = await call('GET', '/api/spaces/coworkers?page=3&size=8', { token });
		expect(last.body).toMatchObject({ FirstItem: 17, LastItem: 21, HasNextPage: false });
	});

	it('defaults size to 25 and clamps it to 1000', async () => {
		for (let n = 0; n < 1010; n++) {
			emulator.db.addCoworker({
				FullName: `Bulk ${n}`,
				Email: `bulk${n}@example.com`,
				InvoicingBusinessId: DEMO.businesses.madrid,
			});
		}
		const defaults = await call('GET', '/api/spaces/coworkers', { token });
		expect(defaults.body.CurrentPageSize).toBe(25);
		expect(defaults.body.Records).toHaveLength(25);
		const clamped = await call('GET', '/api/spaces/coworkers?size=5000', { token });
		expect(clamped.body.CurrentPageSize).toBe(1000);
		expect(clamped.body.Records).toHaveLength(1000);
		expect(clamped.body.TotalItems).toBe(1031);
		expect(clamped.body.TotalPages).toBe(2);
	});

	it('sorts by orderBy and dir', async () => {
		for (const dir of ['Descending', '-1']) {
			const answer = await call('GET', `/api/sys/businesses?orderBy=Name&dir=${dir}`, { token });
			expect(answer.body.CurrentSortDirection).toBe('Descending');
			expect(answer.body.Records.map((r: { Name: string }) => r.Name)).toEqual([
				'New York - SoHo',
				'Madrid - Gran Vía',
			]);
		}
		const asc = await call('GET', '/api/sys/businesses?orderBy=Name&dir=1', { token });
		expect(asc.body.Records[0].Id).toBe(DEMO.businesses.madrid);
	});

	it('filters pickers', async () => {
		const byName = await call('GET', '/api/spaces/coworkers?Coworker_FullName=CHEN', { token });
		expect(byName.body.Records.map((r: { Id: number }) => r.Id)).toEqual([
			DEMO.coworkers.michaelChen,
		]);
		const byEmail = await call('GET', '/api/spaces/coworkers?Coworker_Email=grace.park@', {
			token,
		});
		expect(byEmail.body.TotalItems).toBe(1);
		const business = await call('GET', '/api/sys/businesses?Business_Name=soho', { token });
		expect(business.body.Records[0].Id).toBe(DEMO.businesses.newYork);
		const assets = await call(
			'GET',
			`/api/spaces/inventoryassets?InventoryAsset_Business=${DEMO.businesses.newYork}&InventoryAsset_Name=locker`,
			{ token },
		);
		expect(assets.body.Records.map((r: { Id: number }) => r.Id)).toEqual([3029, 3030]);
		const all = await call('GET', '/api/spaces/inventoryassets?size=100', { token });
		expect(all.body.TotalItems).toBe(38);
		const bad = await call('GET', '/api/spaces/inventoryassets?InventoryAsset_Business=x', {
			token,
		});
		expect(bad.status).toBe(400);
	});

	it('filters coworkers by location and active state, and assets by SKU', async () => {
		const ids = async (query: string) => {
			const answer = await call('GET', `${query}&size=1000`, { token });
			expect(answer.status).toBe(200);
			return answer.body.Records.map((r: { Id: number }) => r.Id) as number[];
		};
		const inNewYork = await ids(
			`/api/spaces/coworkers?Coworker_InvoicingBusiness=${DEMO.businesses.newYork}`,
		);
		expect(inNewYork).toEqual(Array.from({ length: 10 }, (_, n) => 2011 + n));
		emulator.db.coworker(DEMO.coworkers.gracePark)!.Active = false;
		expect(await ids('/api/spaces/coworkers?Coworker_Active=false')).toEqual([
			DEMO.coworkers.gracePark,
		]);
		const active = await ids('/api/spaces/coworkers?coworker_active=TRUE');
		expect(active).toHaveLength(20);
		expect(active).not.toContain(DEMO.coworkers.gracePark);
		const bad = await call('GET', '/api/spaces/coworkers?Coworker_Active=yes', { token });
		expect(bad.status).toBe(400);
		expect(await ids('/api/spaces/coworkers?Coworker_Email=jane@example.com')).toEqual([
			DEMO.coworkers.janeDoe,
		]);
		expect(await ids('/api/spaces/inventoryassets?InventoryAsset_Sku=mad-mon')).toEqual([
			3012, 3013, 3031, 3032, 3033, 3034,
		]);
	});

	it('inventory assets: create (AssignToType required), PUT replaces the whole record, delete', async () => {
		const ASSETS = '/api/spaces/inventoryassets';
		const refused = await call('POST', ASSETS, {
			token,
			json: { BusinessId: DEMO.businesses.madrid, Name: 'Desk 99' },
		});
		expect(refused.status).toBe(400);
		expect(refused.body.Errors.map((e: { PropertyName: string }) => e.PropertyName)).toEqual([
			'AssignToType',
		]);
		const noLocation = await call('POST', ASSETS, {
			token,
			json: { BusinessId: 9999, Name: '', AssignToType: 1 },
		});
		expect(noLocation.body.Errors.map((e: { PropertyName: string }) => e.PropertyName)).toEqual([
			'BusinessId',
			'Name',
		]);
		const created = await call('POST', ASSETS, {
			token,
			json: {
				BusinessId: DEMO.businesses.madrid,
				Name: 'Desk 99',
				Sku: 'MAD-DSK-99',
				Value: '300',
				AssignToType: 1,
			},
		});
		expect(created.body).toMatchObject({
			WasSuccessful: true,
			Message: 'InventoryAsset was successfully created.',
		});
		const id = created.body.Value.Id as number;
		expect(emulator.db.inventoryAsset(id)).toMatchObject({
			Name: 'Desk 99',
			Sku: 'MAD-DSK-99',
			Value: 300,
			AssignToType: 1,
		});
		// A field left out of a PUT is cleared.
		const put = await call('PUT', ASSETS, {
			token,
			json: { Id: id, BusinessId: DEMO.businesses.madrid, Name: 'Desk 99b' },
		});
		expect(put.body.WasSuccessful).toBe(true);
		expect(emulator.db.inventoryAsset(id)).toMatchObject({
			Name: 'Desk 99b',
			Sku: null,
			Value: null,
			AssignToType: 0,
		});
		const unknown = await call('PUT', ASSETS, {
			token,
			json: { Id: 99999, BusinessId: DEMO.businesses.madrid, Name: 'x' },
		});
		expect(unknown.status).toBe(400);
		expect((await call('DELETE', `${ASSETS}/${id}`, { token })).body.WasSuccessful).toBe(true);
		expect((await call('DELETE', `${ASSETS}/${id}`, { token })).status).toBe(404);
		expect(emulator.db.inventoryAsset(id)).toBeUndefined();
	});

	it('filters assignments by ids, names and date ranges', async () => {
		const ids = async (query: string) => {
			const answer = await call('GET', `${ASSIGNMENTS}?${query}`, { token });
			expect(answer.status).toBe(200);
			return answer.body.Records.map((r: { Id: number }) => r.Id);
		};
		const a = DEMO.coworkerInventoryAssets;
		expect(await ids(`CoworkerInventoryAsset_Coworker=${DEMO.coworkers.luciaFernandez}`)).toEqual([
			a.luciaDeskOpen,
			a.luciaMonitorOpen,
		]);
		expect(await ids(`CoworkerInventoryAsset_Business=${DEMO.businesses.newYork}`)).toEqual([
			a.emilyDeskOpen,
			a.michaelChairEnded,
			a.oliviaLockerOpen,
		]);
		expect(
			await ids(`CoworkerInventoryAsset_InventoryAsset=${DEMO.inventoryAssets.madridLocker1}`),
		).toEqual([a.javierLockerEnded]);
		expect(await ids('CoworkerInventoryAsset_InventoryAsset_Name=locker')).toEqual([
			a.javierLockerEnded,
			a.oliviaLockerOpen,
		]);
		expect(await ids('CoworkerInventoryAsset_Coworker_FullName=emily')).toEqual([a.emilyDeskOpen]);
		expect(
			await ids(
				'from_CoworkerInventoryAsset_AssignedFrom=2025-01-07T09:00&to_CoworkerInventoryAsset_AssignedFrom=2025-02-03T14:00',
			),
		).toEqual([a.luciaDeskOpen, a.luciaMonitorOpen, a.emilyDeskOpen]);
		// Open assignments (AssignedTo null) never match an AssignedTo range.
		expect(await ids('from_CoworkerInventoryAsset_AssignedTo=2000-01-01T00:00')).toEqual([
			a.javierLockerEnded,
			a.michaelChairEnded,
		]);
		expect(await ids('to_CoworkerInventoryAsset_AssignedTo=2025-02-01T00:00')).toEqual([
			a.michaelChairEnded,
		]);
		const bad = await call('GET', `${ASSIGNMENTS}?from_CoworkerInventoryAsset_AssignedFrom=soon`, {
			token,
		});
		expect(bad.status).toBe(400);
	});

	it('lists partial records but gets full ones', async () => {
		const list = await call('GET', ASSIGNMENTS, { token });
		const item = list.body.Records.find(
			(r: { Id: number }) => r.Id === DEMO.coworkerInventoryAssets.luciaDeskOpen,
		);
		expect(item).toBeDefined();
		expect(item).not.toHaveProperty('Notes');
		expect(item).not.toHaveProperty('UniqueId');
		expect(item).not.toHaveProperty('SystemId');
		expect(item.CoworkerFullName).toBe('Lucía Fernández');

		const full = await call('GET', `${ASSIGNMENTS}/${DEMO.coworkerInventoryAssets.luciaDeskOpen}`, {
			token,
		});
		expect(full.status).toBe(200);
		expect(Object.keys(full.body)).toEqual([
			'Id',
			'UniqueId',
			'CoworkerId',
			'CoworkerCoworkerType',
			'CoworkerFullName',
			'CoworkerBillingName',
			'CoworkerCompanyName',
			'CoworkerTeamNames',
			'BusinessId',
			'InventoryAssetId',
			'InventoryAssetName',
			'InventoryAssetSku',
			'InventoryAssetValue',
			'InventoryAssetUniqueId',
			'Notes',
			'AssignedFrom',
			'AssignedTo',
			'CreatedOn',
			'UpdatedOn',
			'UpdatedBy',
			'IsNew',
			'SystemId',
		]);
		expect(full.body).toMatchObject({
			Notes: 'Window side',
			InventoryAssetName: 'Dedicated desk 01',
			InventoryAssetSku: 'MAD-DDK-01',
			AssignedTo: null,
		});
	});

	it('gets several records as a plain array with ?id=[...]', async () => {
		const answer = await call('GET', `${ASSIGNMENTS}?id=[5001,5003,99]`, { token });
		expect(Array.isArray(answer.body)).toBe(true);
		expect(answer.body.map((r: { Id: number }) => r.Id)).toEqual([5001, 5003]);
		expect(answer.body[0]).toHaveProperty('Notes', 'Window side');
	});

	it('answers 404 for missing records and gets pickers by id', async () => {
		const missing = await call('GET', `${ASSIGNMENTS}/424242`, { token });
		expect(missing).toMatchObject({
			status: 404,
			body: { Message: 'CoworkerInventoryAsset not found' },
		});
		const coworker = await call('GET', `/api/spaces/coworkers/${DEMO.coworkers.gracePark}`, {
			token,
		});
		expect(coworker.body).toMatchObject({
			FullName: 'Grace Park',
			Email: 'grace.park@example.com',
		});
		const business = await call('GET', `/api/sys/businesses/${DEMO.businesses.madrid}`, { token });
		expect(business.body.Name).toBe('Madrid - Gran Vía');
		const asset = await call('GET', '/api/spaces/inventoryassets/3012', { token });
		expect(asset.body).toMatchObject({ BusinessId: DEMO.businesses.madrid, Sku: 'MAD-MON-01' });
		expect((await call('GET', '/api/spaces/coworkers/1', { token })).status).toBe(404);
	});

	it('answers 404 for unknown routes and 405 for a wrong method', async () => {
		const unknown = await call('GET', '/api/spaces/businesses', { token });
		expect(unknown.status).toBe(404);
		expect((await call('GET', '/nothing')).status).toBe(404);
		expect((await call('PATCH', `${ASSIGNMENTS}/5001`, { token, json: {} })).status).toBe(405);
	});
});

describe('PUT and DELETE', () => {
	let token: string;
	beforeEach(async () => {
		await start({ seed: 'demo' });
		token = await adminToken();
	});

	it('PUT replaces the record: omitted fields are cleared', async () => {
		const id = DEMO.coworkerInventoryAssets.javierLockerEnded;
		emulator.db.coworkerInventoryAsset(id)!.Notes = 'Key #14';
		const before = { ...emulator.db.coworkerInventoryAsset(id)! };
		const answer = await call('PUT', ASSIGNMENTS, {
			token,
			json: {
				Id: id,
				CoworkerId: before.CoworkerId,
				BusinessId: before.BusinessId,
				InventoryAssetId: before.InventoryAssetId,
				AssignedFrom: '2024-10-02T08:00:00Z',
			},
		});
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({
			Status: 200,
			Message: 'CoworkerInventoryAsset was successfully updated.',
			Value: { Id: id },
			WasSuccessful: true,
			Errors: null,
		});
		const after = emulator.db.coworkerInventoryAsset(id)!;
		expect(after).toMatchObject({
			AssignedFrom: '2024-10-02T08:00:00Z',
			AssignedTo: null,
			Notes: null,
			CreatedOn: before.CreatedOn,
			UniqueId: before.UniqueId,
		});
	});

	it('PUT validates like create and rejects an unknown or missing Id', async () => {
		const missingField = await call('PUT', ASSIGNMENTS, {
			token,
			json: { Id: 5001, CoworkerId: 2001, BusinessId: 1001, InventoryAssetId: 3006 },
		});
		expect(missingField.status).toBe(400);
		expect(missingField.body.Message).toBe('AssignedFrom: is a required field');
		expect(emulator.db.coworkerInventoryAsset(5001)!.AssignedFrom).toBe('2025-01-07T09:00:00Z');

		const body = {
			CoworkerId: 2001,
			BusinessId: 1001,
			InventoryAssetId: 3006,
			AssignedFrom: '2025-01-01',
		};
		const unknown = await call('PUT', ASSIGNMENTS, { token, json: { Id: 777, ...body } });
		expect(unknown.status).toBe(400);
		expect(unknown.body.Errors).toEqual([
			{ AttemptedValue: 777, Message: 'CoworkerInventoryAsset not found', PropertyName: 'Id' },
		]);
		const noId = await call('PUT', ASSIGNMENTS, { token, json: body });
		expect(noId.status).toBe(400);
		expect(noId.body.Message).toBe('Id: is a required field');
	});

	it('DELETE removes the record, then answers 404', async () => {
		const path = `${ASSIGNMENTS}/${DEMO.coworkerInventoryAssets.oliviaLockerOpen}`;
		const answer = await call('DELETE', path, { token });
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({
			Status: 200,
			WasSuccessful: true,
			Message: 'The record was deleted successfully.',
			Value: null,
			Errors: null,
		});
		expect(emulator.db.coworkerInventoryAssets).toHaveLength(5);
		expect((await call('DELETE', path, { token })).status).toBe(404);
	});
});

describe('rate limits', () => {
	it('answers 409 with Retry-After and an empty body when requests come too fast', async () => {
		await start({
			limits: { minIntervalMs: 200, writesPerWindow: 100, windowMs: 1000, retryAfterSeconds: 0.05 },
		});
		const token = await adminToken();
		await sleep(120);
		const throttled = await call('GET', ASSIGNMENTS, { token });
		expect(throttled.status).toBe(409);
		expect(throttled.headers.get('retry-after')).toBe('0.05');
		expect(throttled.text).toBe('');
		// 200 ms after the login but only 100 ms after the throttled request: that one did not count.
		await sleep(100);
		expect((await call('GET', ASSIGNMENTS, { token })).status).toBe(200);
		expect((await call('GET', ASSIGNMENTS, { token })).status).toBe(409);
		emulator.setLimits(false);
		expect((await call('GET', ASSIGNMENTS, { token })).status).toBe(200);
	});

	it('throttles writes beyond the window, and a throttled write changes nothing', async () => {
		await start({
			limits: { minIntervalMs: 0, writesPerWindow: 2, windowMs: 60_000, retryAfterSeconds: 1 },
		});
		const token = await adminToken();
		const statuses: number[] = [];
		for (let n = 0; n < 3; n++) {
			statuses.push((await call('POST', ASSIGNMENTS, { token, json: validAssignment() })).status);
		}
		expect(statuses).toEqual([200, 200, 409]);
		expect(emulator.db.coworkerInventoryAssets).toHaveLength(2);
		expect((await call('GET', ASSIGNMENTS, { token })).status).toBe(200);
		expect(emulator.requests.map((request) => request.status)).toEqual([200, 200, 200, 409, 200]);
	});
});

describe('faults', () => {
	let token: string;
	beforeEach(async () => {
		await start();
		token = await adminToken();
	});

	const create = () => call('POST', ASSIGNMENTS, { token, json: validAssignment() });
	const count = () => emulator.db.coworkerInventoryAssets.length;

	it('500 answers an error without writing', async () => {
		emulator.faults.add({ method: 'POST', path: ASSIGNMENTS, kind: '500' });
		const answer = await create();
		expect(answer).toMatchObject({ status: 500, body: { Message: 'An error has occurred.' } });
		expect(count()).toBe(0);
		expect((await create()).status).toBe(200);
		expect(count()).toBe(1);
	});

	it('500-after-write writes, then answers 500', async () => {
		emulator.faults.add({ kind: '500-after-write', path: /coworkerinventoryassets$/ });
		expect((await create()).status).toBe(500);
		expect(count()).toBe(1);
	});

	it('502 answers a gateway error page', async () => {
		emulator.faults.add({ kind: '502', times: 2 });
		const first = await create();
		expect(first.status).toBe(502);
		expect(first.headers.get('content-type')).toBe('text/html');
		expect((await create()).status).toBe(502);
		expect(count()).toBe(0);
		expect((await create()).status).toBe(200);
	});

	it('drop closes the connection without writing; drop-after-write writes first', async () => {
		emulator.faults.add({ kind: 'drop', method: 'POST' });
		await expect(create()).rejects.toThrow();
		expect(count()).toBe(0);
		emulator.faults.add({ kind: 'drop-after-write', method: 'POST' });
		await expect(create()).rejects.toThrow();
		expect(count()).toBe(1);
		expect(emulator.requests.slice(-2).map((request) => request.status)).toEqual([0, 0]);
	});

	it('slow delays the answer', async () => {
		emulator.faults.add({ kind: 'slow', delayMs: 300 });
		const started = Date.now();
		expect((await create()).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	});

	it('401 answers as for an expired token, and 409 as a throttle', async () => {
		emulator.faults.add({ kind: '401' });
		emulator.faults.add({ kind: '409' });
		expect(await call('GET', ASSIGNMENTS, { token })).toMatchObject({
			status: 401,
			body: { Message: 'Authorization has been denied for this request.' },
		});
		const throttled = await call('GET', ASSIGNMENTS, { token });
		expect(throttled.status).toBe(409);
		expect(throttled.headers.get('retry-after')).toBe('1');
		expect(throttled.text).toBe('');
		expect((await call('GET', ASSIGNMENTS, { token })).status).toBe(200);
	});

	it('matches on method and path, in order; pending and clear', async () => {
		emulator.faults.add({ kind: '500', method: 'DELETE' });
		emulator.faults.add({ kind: '502', path: '/api/spaces/coworkers' });
		emulator.faults.add({ kind: '409', path: ASSIGNMENTS, times: 3 });
		expect((await call('GET', '/api/spaces/coworkers/2001', { token })).status).toBe(502);
		expect((await call('GET', `${ASSIGNMENTS}/1`, { token })).status).toBe(409);
		expect(emulator.faults.pending()).toEqual([
			{ kind: '500', method: 'DELETE', remaining: 1 },
			{ kind: '409', path: ASSIGNMENTS, remaining: 2 },
		]);
		emulator.faults.clear();
		expect(emulator.faults.pending()).toEqual([]);
		expect(() => emulator.faults.add({ kind: 'boom' as '500' })).toThrow(/Unknown fault kind/);
	});
});

describe('request recording', () => {
	it('records method, path, query, headers, body, status and client id', async () => {
		await start({ latencyMs: 50 });
		const started = Date.now();
		const token = (await login('admin@example.com', { client_id: 'n8n-nexudus' })).access_token;
		expect(Date.now() - started).toBeGreaterThanOrEqual(45);
		await call('POST', ASSIGNMENTS, { token, json: validAssignment() });
		await call('GET', `${ASSIGNMENTS}?page=2&size=5`, { token });
		await call('GET', '/_emulator/requests');

		expect(emulator.requests).toHaveLength(3);
		const [tokenCall, createCall, listCall] = emulator.requests;
		expect(tokenCall).toMatchObject({
			seq: 1,
			method: 'POST',
			path: '/api/token',
			status: 200,
			clientId: 'n8n-nexudus',
			body: { grant_type: 'password', username: 'admin@example.com', password: PASSWORD },
		});
		expect(createCall).toMatchObject({ seq: 2, status: 200, body: validAssignment() });
		expect(createCall.headers.authorization).toBe(`Bearer ${token}`);
		expect(listCall).toMatchObject({ method: 'GET', query: { page: '2', size: '5' }, status: 200 });
		expect(listCall.at).toBeGreaterThanOrEqual(started);
		emulator.clearRequests();
		expect(emulator.requests).toHaveLength(0);
	});
});

describe('control API', () => {
	beforeEach(() => start({ seed: 'demo' }));

	it('drives faults, tokens, limits, reset and the db over HTTP without being recorded', async () => {
		const token = await adminToken();
		const fault = await call('POST', '/_emulator/faults', {
			json: { kind: '500', method: 'GET', path: 'coworkerinventoryassets/\\d+$' },
		});
		expect(fault.status).toBe(200);
		expect((await call('GET', `${ASSIGNMENTS}/5001`, { token })).status).toBe(500);
		expect((await call('POST', '/_emulator/faults', { json: { kind: 'nope' } })).status).toBe(400);

		const requests = await call('GET', '/_emulator/requests?since=1');
		expect(requests.body.map((r: { path: string; status: number }) => [r.path, r.status])).toEqual([
			[`${ASSIGNMENTS}/5001`, 500],
		]);

		await call('POST', '/_emulator/expire-tokens');
		expect((await call('GET', ASSIGNMENTS, { token })).status).toBe(401);

		const limits = {
			minIntervalMs: 10_000,
			writesPerWindow: 1,
			windowMs: 1000,
			retryAfterSeconds: 2,
		};
		expect((await call('POST', '/_emulator/limits', { json: limits })).status).toBe(200);
		const fresh = await adminToken();
		const throttled = await call('GET', ASSIGNMENTS, { token: fresh });
		expect(throttled.status).toBe(409);
		expect(throttled.headers.get('retry-after')).toBe('2');
		expect((await call('POST', '/_emulator/limits', { json: false })).status).toBe(200);
		expect((await call('GET', ASSIGNMENTS, { token: fresh })).status).toBe(200);

		const db = await call('GET', '/_emulator/db/coworkerinventoryassets');
		expect(db.body).toHaveLength(6);
		expect(db.body[0]).toMatchObject({ Id: 5001, Notes: 'Window side' });

		await call('POST', '/_emulator/faults', { json: [{ kind: '502' }, { kind: 'drop' }] });
		expect((await call('GET', '/_emulator/faults')).body).toHaveLength(2);
		expect((await call('POST', '/_emulator/reset', { json: { seed: 'empty' } })).status).toBe(200);
		expect(emulator.requests).toHaveLength(0);
		expect(emulator.faults.pending()).toHaveLength(0);
		expect(emulator.db.coworkers).toHaveLength(0);
		expect((await call('GET', '/_emulator/nothing')).status).toBe(404);
		expect(emulator.requests.every((request) => !request.path.startsWith('/_emulator'))).toBe(true);
	});
});
