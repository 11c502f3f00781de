import type { Emulator } from '../../../../emulator/server.cjs';
import { DEMO, startEmulator } from '../../../../emulator/server.cjs';
import type { CredentialStore } from '../../../../support/n8nCore.cjs';
import { adminStore, runNexudusNode } from '../../../../support/n8nCore.cjs';

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

function getAllParameters(
	filters: Record<string, unknown>,
	overrides: Record<string, unknown> = {},
) {
	return {
		resource: 'coworker',
		operation: 'getAll',
		returnAll: true,
		filters,
		options: {},
		...overrides,
	};
}

const ids = (out: Array<{ json: Record<string, unknown> }>) => out.map((item) => item.json.Id);

describe('Coworker: Get Many', () => {
	it('filters by location given By Name and by active state, on the server', async () => {
		const inactive = emulator.db.coworker(c.noahSullivan)!;
		inactive.Active = false;
		try {
			const [out] = await runNexudusNode({
				parameters: getAllParameters({
					location: { __rl: true, mode: 'name', value: 'new york - soho' },
					activeOnly: true,
				}),
				store,
			});
			expect(ids(out)).toEqual(Array.from({ length: 9 }, (_, n) => 2011 + n));
			expect(Object.keys(out[0].json)).toEqual([
				'Id',
				'FullName',
				'Email',
				'CompanyName',
				'CoworkerType',
				'InvoicingBusinessId',
				'Active',
			]);
			const list = emulator.requests.find((r) => r.path === '/api/spaces/coworkers')!;
			expect(list.query).toMatchObject({
				Coworker_InvoicingBusiness: String(b.newYork),
				Coworker_Active: 'true',
			});
			// The location name cost one list of the locations.
			expect(emulator.requests.filter((r) => r.path === '/api/sys/businesses')).toHaveLength(1);
		} finally {
			inactive.Active = true;
		}
	});

	it('keeps only active members of the location, within the Limit, when Nexudus ignores those filters', async () => {
		const inactive = emulator.db.coworker(2011)!;
		inactive.Active = false;
		emulator.setSwitches({ ignoreFilters: ['Coworker_Active', 'Coworker_InvoicingBusiness'] });
		try {
			const parameters = getAllParameters({
				location: { __rl: true, mode: 'id', value: String(b.newYork) },
				activeOnly: true,
			});
			const [out] = await runNexudusNode({ parameters, store });
			expect(ids(out)).toEqual(Array.from({ length: 9 }, (_, n) => 2012 + n));
			const [limited] = await runNexudusNode({
				parameters: { ...parameters, returnAll: false, limit: 2 },
				store,
			});
			expect(ids(limited)).toEqual([2012, 2013]);
			// The server answered members of every location and state; the node kept the matches.
			const lists = emulator.requests.filter((r) => r.path === '/api/spaces/coworkers');
			expect(lists[0].query).toMatchObject({
				Coworker_InvoicingBusiness: String(b.newYork),
				Coworker_Active: 'true',
			});
			expect(emulator.db.coworkers.some((r) => r.InvoicingBusinessId !== b.newYork)).toBe(true);
		} finally {
			inactive.Active = true;
			emulator.setSwitches({ ignoreFilters: [] });
		}
	});

	it('searches by part of the email or of the name, with a Limit', async () => {
		const [byEmail] = await runNexudusNode({
			parameters: getAllParameters({ email: 'park@' }),
			store,
		});
		expect(ids(byEmail)).toEqual([c.gracePark]);
		const [byName] = await runNexudusNode({
			parameters: getAllParameters({ fullName: 'a' }, { returnAll: false, limit: 3 }),
			store,
		});
		expect(byName).toHaveLength(3);
		expect(
			emulator.requests.filter((r) => r.path === '/api/spaces/coworkers').at(-1)!.query.size,
		).toBe('3');
	});

	it('an expression that finds nothing is an error, not the whole list; an unknown location lists the candidates', async () => {
		const [out] = await runNexudusNode({
			parameters: getAllParameters({ email: '={{ $json.missing }}' }),
			store,
			onError: 'continueRegularOutput',
		});
		expect(out[0].json.error).toMatch(/^Invalid Email: the expression/);
		const [unknown] = await runNexudusNode({
			parameters: getAllParameters({ location: { __rl: true, mode: 'name', value: 'Madrid' } }),
			store,
			onError: 'continueRegularOutput',
		});
		expect(unknown[0].json).toEqual({
			error: 'Location: no location is named "Madrid"',
			message: expect.stringContaining('Similar names: Madrid - Gran Vía (1001).'),
		});
		expect(emulator.requests.filter((r) => r.path === '/api/spaces/coworkers')).toHaveLength(0);
	});
});
