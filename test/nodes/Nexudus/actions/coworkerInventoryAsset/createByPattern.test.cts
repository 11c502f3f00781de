/**
 * Create with the Inventory Asset given By Kind, the coworker By Email and the location By
 * Name: what an HR event knows ("a monitor for jane@example.com at Madrid - Gran Vía").
 */
import type { Emulator } from '../../../../emulator/server.cjs';
import { DEMO, startEmulator } from '../../../../emulator/server.cjs';
import type { CredentialStore } from '../../../../support/n8nCore.cjs';
import { adminStore, runNexudusNode } from '../../../../support/n8nCore.cjs';

const ENDPOINT = '/api/spaces/coworkerinventoryassets';
const { coworkers: c, businesses: b } = DEMO;
const KIT = ['desk', 'chair', 'monitor'];

let emulator: Emulator;
let store: CredentialStore;

beforeEach(async () => {
	emulator = await startEmulator({ seed: 'demo' });
	store = adminStore(emulator.url);
});
afterEach(async () => await emulator.close());

/** The onboarding's Nexudus node: every field mapped from the item. */
function kitParameters(overrides: Record<string, unknown> = {}) {
	return {
		resource: 'coworkerInventoryAsset',
		operation: 'create',
		coworker: { __rl: true, mode: 'email', value: '={{ $json.email }}' },
		location: { __rl: true, mode: 'name', value: '={{ $json.location }}' },
		inventoryAsset: { __rl: true, mode: 'pattern', value: '={{ $json.kind }}' },
		assignedFrom: '={{ $json.start }}',
		additionalFields: { notes: '=Starter kit: {{ $json.kind }}' },
		options: {},
		...overrides,
	};
}

const kitItems = (email: string, location = 'Madrid - Gran Vía', kit = KIT) =>
	kit.map((kind) => ({ email, location, kind, start: '2026-01-12 09:00' }));

const creates = () => emulator.requests.filter((r) => r.method === 'POST' && r.path === ENDPOINT);

describe('Create By Kind, By Email and By Name', () => {
	it('assigns the free matching asset with the lowest Id to the coworker of the email; a second run creates nothing', async () => {
		const [first] = await runNexudusNode({
			parameters: kitParameters(),
			items: kitItems('jane@example.com'),
			store,
			timezone: 'Europe/Madrid',
		});
		expect(first.map((item) => item.json)).toEqual([
			expect.objectContaining({
				CoworkerId: c.janeDoe,
				BusinessId: b.madrid,
				InventoryAssetId: 3001,
				InventoryAssetName: 'Hot desk 01',
				InventoryAssetSku: 'MAD-HDK-01',
				AssignedFrom: '2026-01-12T08:00:00Z',
				Notes: 'Starter kit: desk',
			}),
			expect.objectContaining({
				InventoryAssetId: 3009,
				InventoryAssetName: 'Ergonomic chair Herman Miller Aeron 01',
			}),
			// 3012 is Lucía's: the next monitor.
			expect.objectContaining({ InventoryAssetId: 3013, InventoryAssetSku: 'MAD-MON-02' }),
		]);
		expect(first.every((item) => typeof item.json.Id === 'number')).toBe(true);
		const stored = emulator.db.coworkerInventoryAssets.filter((r) => r.CoworkerId === c.janeDoe);
		expect(stored.map((r) => r.InventoryAssetId)).toEqual([3001, 3009, 3013]);

		emulator.clearRequests();
		const [second] = await runNexudusNode({
			parameters: kitParameters(),
			items: kitItems('JANE@example.com'),
			store,
			timezone: 'Europe/Madrid',
		});
		expect(creates()).toHaveLength(0);
		expect(
			second.map((item) => [item.json.skipped, item.json.Id, item.json.InventoryAssetId]),
		).toEqual([
			[true, first[0].json.Id, 3001],
			[true, first[1].json.Id, 3009],
			[true, first[2].json.Id, 3013],
		]);
		expect(second[2].json.reason).toBe(
			`Coworker ${c.janeDoe} already holds Monitor Dell U2723QE 27" 02 (MAD-MON-02), which matches "monitor", at Madrid - Gran Vía by assignment ${String(first[2].json.Id)}, from 2026-01-12T08:00:00Z with no end. Nothing was created.`,
		);
		expect(second.map((item) => item.pairedItem)).toEqual([0, 1, 2].map((item) => ({ item })));
	});

	it('never gives two items of a run the same asset, also with pacing off (8 items in flight)', async () => {
		const members = [c.javierMoreno, c.carmenRuiz, c.pabloNavarro, c.martaGil, c.diegoSerrano];
		const items = members.map((id) => ({
			email: emulator.db.coworker(id)!.Email,
			location: 'MADRID - GRAN VÍA',
			kind: 'monitor',
			start: '2026-01-12',
		}));
		const [out] = await runNexudusNode({
			parameters: kitParameters({ options: { minIntervalMs: 0, writesPerMinute: 0 } }),
			items: [...items, { ...items[0], email: 'jane@example.com' }],
			store,
			onError: 'continueRegularOutput',
		});
		expect(out.slice(0, 5).map((item) => item.json.InventoryAssetId)).toEqual([
			3013, 3031, 3032, 3033, 3034,
		]);
		expect(out.slice(0, 5).map((item) => item.json.CoworkerId)).toEqual(members);
		// Madrid's six monitors are all held now: the item fails, naming the location and the text.
		expect(out[5].json).toEqual({
			error: 'No free inventory asset matches "monitor" at Madrid - Gran Vía',
			message:
				'Nothing was sent. 6 assets match (3012, 3013, 3031, 3032, 3033, 3034), all assigned from 2026-01-12T00:00:00Z or taken by earlier items of this run. End an assignment, add assets in Nexudus, or widen the text.',
		});
		expect(creates()).toHaveLength(5);
	});

	it('one member, the same kind twice in a run: the second is skipped; Create Anyway gives another; Error fails the item', async () => {
		const items = kitItems('jane@example.com', 'Madrid - Gran Vía', ['MAD-MON', 'monitor']);
		const [skip] = await runNexudusNode({ parameters: kitParameters(), items, store });
		expect(skip.map((item) => [item.json.InventoryAssetId, item.json.skipped ?? false])).toEqual([
			[3013, false],
			[3013, true],
		]);
		const [error] = await runNexudusNode({
			parameters: kitParameters({ ifAssigned: 'error' }),
			items: items.slice(1),
			store,
			onError: 'continueRegularOutput',
		});
		expect(error[0].json.error).toMatch(
			/^Coworker 2021 already holds Monitor Dell U2723QE 27" 02 \(MAD-MON-02\), which matches "monitor"/,
		);
		const [anyway] = await runNexudusNode({
			parameters: kitParameters({ ifAssigned: 'createAnyway' }),
			items: items.slice(1),
			store,
		});
		expect(anyway[0].json).toMatchObject({ CoworkerId: c.janeDoe, InventoryAssetId: 3031 });
		expect(creates()).toHaveLength(2);
	});

	/** Assigns `asset` to `coworker` in Nexudus as soon as the run has read the location's assignments. */
	function anotherExecutionAssigns(coworker: number, asset: number): () => void {
		const timer = setInterval(() => {
			const listed = emulator.requests.some(
				(r) => r.path === ENDPOINT && r.query.CoworkerInventoryAsset_Business !== undefined,
			);
			if (!listed) return;
			clearInterval(timer);
			emulator.db.addCoworkerInventoryAsset({
				CoworkerId: coworker,
				BusinessId: b.madrid,
				InventoryAssetId: asset,
				AssignedFrom: '2025-06-01T09:00:00Z',
				AssignedTo: null,
			});
		}, 5);
		return () => clearInterval(timer);
	}

	it('an asset taken after the run read the location (another execution) is not assigned twice: the next one is taken', async () => {
		const stop = anotherExecutionAssigns(c.martaGil, 3013);
		try {
			const [out] = await runNexudusNode({
				parameters: kitParameters(),
				items: kitItems('jane@example.com', 'Madrid - Gran Vía', ['monitor']),
				store,
			});
			expect(out[0].json).toMatchObject({ CoworkerId: c.janeDoe, InventoryAssetId: 3031 });
		} finally {
			stop();
		}
		const holders = (asset: number) =>
			emulator.db.coworkerInventoryAssets
				.filter((r) => r.InventoryAssetId === asset)
				.map((r) => r.CoworkerId);
		expect([holders(3013), holders(3031)]).toEqual([[c.martaGil], [c.janeDoe]]);
	});

	it('the same member onboarded by another execution meanwhile: skipped, nothing created', async () => {
		const stop = anotherExecutionAssigns(c.janeDoe, 3013);
		try {
			const [out] = await runNexudusNode({
				parameters: kitParameters(),
				items: kitItems('jane@example.com', 'Madrid - Gran Vía', ['monitor']),
				store,
			});
			expect(out[0].json).toMatchObject({
				CoworkerId: c.janeDoe,
				InventoryAssetId: 3013,
				skipped: true,
			});
		} finally {
			stop();
		}
		expect(creates()).toHaveLength(0);
	});

	it('another execution that takes the same asset between the fresh check and the create: a warning names it, nothing is deleted', async () => {
		// Runs once the run has checked the picked asset afresh: the other execution's create lands first.
		let other: number | undefined;
		const timer = setInterval(() => {
			if (
				!emulator.requests.some(
					(r) => r.path === ENDPOINT && r.query.CoworkerInventoryAsset_InventoryAsset !== undefined,
				)
			)
				return;
			clearInterval(timer);
			other = emulator.db.addCoworkerInventoryAsset({
				CoworkerId: c.martaGil,
				BusinessId: b.madrid,
				InventoryAssetId: 3013,
				AssignedFrom: '2026-01-12T08:00:00Z',
				AssignedTo: null,
			}).Id;
		}, 1);
		let out;
		try {
			[out] = await runNexudusNode({
				parameters: kitParameters(),
				items: kitItems('jane@example.com', 'Madrid - Gran Vía', ['monitor']),
				store,
			});
		} finally {
			clearInterval(timer);
		}
		expect(other).toBeDefined();
		expect(out[0].json).toMatchObject({ CoworkerId: c.janeDoe, InventoryAssetId: 3013 });
		expect(out[0].json.warning).toBe(
			`Inventory asset 3013 is also held by coworker ${c.martaGil} (assignment ${other}, from 2026-01-12T08:00:00Z with no end): another execution picked the same asset at the same time. Nothing was deleted: end one of them in Nexudus.`,
		);
		const holders = emulator.db.coworkerInventoryAssets
			.filter((r) => r.InventoryAssetId === 3013)
			.map((r) => r.CoworkerId);
		expect(holders.sort()).toEqual([c.martaGil, c.janeDoe].sort());
		// Two looks at the asset: the fresh check before the create, one more after it.
		expect(
			emulator.requests.filter(
				(r) => r.path === ENDPOINT && r.query.CoworkerInventoryAsset_InventoryAsset === '3013',
			),
		).toHaveLength(2);
	});

	it('no race, no warning', async () => {
		const [out] = await runNexudusNode({
			parameters: kitParameters(),
			items: kitItems('jane@example.com', 'Madrid - Gran Vía', ['monitor']),
			store,
		});
		expect(out[0].json).toMatchObject({ CoworkerId: c.janeDoe, InventoryAssetId: 3013 });
		expect(out[0].json).not.toHaveProperty('warning');
	});

	it('bad input fails the item before anything is sent: empty text, unknown email, unknown location', async () => {
		const [out] = await runNexudusNode({
			parameters: kitParameters(),
			items: [
				{
					email: 'jane@example.com',
					location: 'Madrid - Gran Vía',
					kind: ' ',
					start: '2026-01-12',
				},
				{
					email: 'nobody@example.com',
					location: 'Madrid - Gran Vía',
					kind: 'desk',
					start: '2026-01-12',
				},
				{ email: 'jane@example.com', location: 'Madrid', kind: 'desk', start: '2026-01-12' },
				{
					email: 'jane@example.com',
					location: 'Madrid - Gran Vía',
					kind: 'sofa',
					start: '2026-01-12',
				},
			],
			store,
			onError: 'continueRegularOutput',
		});
		expect(out.map((item) => item.json.error)).toEqual([
			'Invalid Inventory Asset: " "',
			'Coworker: no coworker has the email "nobody@example.com"',
			'Location: no location is named "Madrid"',
			'No free inventory asset matches "sofa" at Madrid - Gran Vía',
		]);
		expect(out[3].json.message).toBe(
			'Nothing was sent. No asset of Madrid - Gran Vía has "sofa" in its name or SKU: check the text, or the location.',
		);
		expect(
			emulator.requests.filter((r) => r.method !== 'GET' && r.path !== '/api/token'),
		).toHaveLength(0);
	});
});

describe('request cost of an onboarding (By Email, By Name, By Kind)', () => {
	/** A location with `count` free desks, chairs and monitors, and `count` new members. */
	function berlin(count: number): string[] {
		const site = emulator.db.addBusiness({ Name: 'Berlin - Mitte' });
		for (const kind of ['Desk', 'Chair', 'Monitor']) {
			for (let n = 1; n <= count; n++)
				emulator.db.addInventoryAsset({
					Name: `${kind} ${n}`,
					Sku: `BER-${kind.toUpperCase()}-${n}`,
					BusinessId: site.Id,
				});
		}
		return Array.from({ length: count }, (_, n) => {
			const email = `new.member${n + 1}@example.com`;
			emulator.db.addCoworker({
				FullName: `New Member ${n + 1}`,
				Email: email,
				InvoicingBusinessId: site.Id,
			});
			return email;
		});
	}

	async function onboard(emails: string[]) {
		emulator.clearRequests();
		const [out] = await runNexudusNode({
			parameters: kitParameters(),
			items: emails.flatMap((email) => kitItems(email, 'Berlin - Mitte')),
			store,
		});
		const stats = emulator.stats();
		const api = emulator.requests.filter((r) => r.path !== '/api/token');
		return {
			out,
			logins: stats.logins,
			requests: api.length,
			writes: api.filter((r) => r.method === 'POST').length,
		};
	}

	it.each([1, 10])(
		'N = %i members, 3 kit items each: 3 + 10N requests, then 3 + N for the re-run that creates nothing',
		async (n) => {
			const emails = berlin(n);
			const first = await onboard(emails);
			expect(
				first.out.filter(
					(item) => item.json.skipped === undefined && typeof item.json.Id === 'number',
				),
			).toHaveLength(3 * n);
			expect(new Set(first.out.map((item) => item.json.InventoryAssetId)).size).toBe(3 * n);
			expect({ requests: first.requests, writes: first.writes }).toEqual({
				requests: 3 + 10 * n,
				writes: 3 * n,
			});
			const again = await onboard(emails);
			expect(again.out.every((item) => item.json.skipped === true)).toBe(true);
			expect({ requests: again.requests, writes: again.writes }).toEqual({
				requests: 3 + n,
				writes: 0,
			});
			// For the README: the figures as measured by the emulator.
			process.stdout.write(
				`onboarding N=${n}: first run ${first.requests} API requests (${first.writes} creates) + ${first.logins} login; re-run ${again.requests} requests (0 creates) + ${again.logins} login\n`,
			);
		},
		60_000,
	);
});
