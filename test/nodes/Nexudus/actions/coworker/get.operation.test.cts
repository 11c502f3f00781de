import type { Emulator } from '../../../../emulator/server.cjs';
import { DEMO, startEmulator } from '../../../../emulator/server.cjs';
import type { CredentialStore } from '../../../../support/n8nCore.cjs';
import { adminStore, runNexudusNode } from '../../../../support/n8nCore.cjs';

const COWORKERS = '/api/spaces/coworkers';
const { coworkers: c, businesses: b } = DEMO;

let emulator: Emulator;
let store: CredentialStore;

beforeAll(async () => {
	emulator = await startEmulator({ seed: 'demo' });
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.clearRequests();
	store = adminStore(emulator.url);
});

function getParameters(coworker: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
	return { resource: 'coworker', operation: 'get', coworker: { __rl: true, ...coworker }, options: {}, ...overrides };
}

const apiRequests = () =>
	emulator.requests.filter((r) => r.path.startsWith('/api/spaces')).map((r) => `${r.method} ${r.path}`);

describe('Coworker: Get', () => {
	it('by Id outputs the simplified coworker', async () => {
		const [out] = await runNexudusNode({ parameters: getParameters({ mode: 'id', value: String(c.janeDoe) }), store });
		expect(out).toEqual([
			{
				json: {
					Id: c.janeDoe,
					FullName: 'Jane Doe',
					Email: 'jane@example.com',
					CompanyName: null,
					CoworkerType: 'Individual',
					InvoicingBusinessId: b.madrid,
					Active: true,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(apiRequests()).toEqual([`GET ${COWORKERS}/${c.janeDoe}`]);
	});

	it('by email (case and spaces aside), the whole record with Simplify off', async () => {
		const [out] = await runNexudusNode({
			parameters: getParameters({ mode: 'email', value: '  Jane@Example.COM ' }, { simplify: false }),
			store,
		});
		// The whole GET record: the stored member, its home location's country and time zone, and
		// the write-only flags Nexudus shows empty.
		expect(out[0].json).toMatchObject({ ...emulator.db.coworker(c.janeDoe) });
		expect(out[0].json).toMatchObject({ CountryId: 724, SimpleTimeZoneId: 95, CreateUser: false });
		expect(out[0].json).toHaveProperty('UniqueId');
	});

	it('looks each distinct email up once per run, whatever the number of items', async () => {
		const [out] = await runNexudusNode({
			parameters: getParameters({ mode: 'email', value: '={{ $json.email }}' }),
			items: [
				{ email: 'jane@example.com' },
				{ email: 'grace.park@example.com' },
				{ email: 'JANE@example.com' },
			],
			store,
		});
		expect(out.map((item) => item.json.Id)).toEqual([c.janeDoe, c.gracePark, c.janeDoe]);
		const lookups = emulator.requests.filter((r) => r.path === COWORKERS);
		expect(lookups.map((r) => r.query.Coworker_Email)).toEqual(['jane@example.com', 'grace.park@example.com']);
	});

	it('an email that is only part of an address matches nobody; no match and several matches are item errors, never a guess', async () => {
		const twin = emulator.db.addCoworker({
			FullName: 'Grace Park (New York)',
			Email: 'GRACE.PARK@example.com',
			InvoicingBusinessId: b.newYork,
		});
		try {
			const [out] = await runNexudusNode({
				parameters: getParameters({ mode: 'email', value: '={{ $json.email }}' }),
				items: [
					{ email: 'grace.park@' },
					{ email: 'nobody@example.com' },
					{ email: 'grace.park@example.com' },
					{ email: 'jane@example.com' },
					// Nexudus's filter matches it (part of grace.park@example.com); the node does not.
					{ email: 'park@example.com' },
				],
				store,
				onError: 'continueRegularOutput',
			});
			expect(out[0].json).toEqual({
				error: 'Invalid Coworker: "grace.park@" is not an email address',
				message: expect.stringContaining('Nothing was sent'),
			});
			expect(out[1].json).toEqual({
				error: 'Coworker: no coworker has the email "nobody@example.com"',
				message: expect.stringContaining('the member must exist in Nexudus first'),
			});
			expect(out[2].json).toEqual({
				error: `Coworker: 2 coworkers have the email "grace.park@example.com": ${c.gracePark} (Grace Park), ${twin.Id} (Grace Park (New York))`,
				message: expect.stringContaining('does not guess'),
			});
			expect(out[3].json.Id).toBe(c.janeDoe);
			expect(out[4].json.error).toBe('Coworker: no coworker has the email "park@example.com"');
			expect(out.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
			// No read of a coworker for the failed items.
			expect(apiRequests().filter((r) => r.startsWith(`GET ${COWORKERS}/`))).toEqual([`GET ${COWORKERS}/${c.janeDoe}`]);
		} finally {
			emulator.db.coworkers.splice(emulator.db.coworkers.indexOf(twin), 1);
		}
	});

	it('an unknown Id is a 404 item error', async () => {
		const [out] = await runNexudusNode({
			parameters: getParameters({ mode: 'id', value: '99999' }),
			store,
			onError: 'continueRegularOutput',
		});
		expect(out[0].json.error).toMatch(/coworker 99999/i);
	});
});
