import { searchTeams } from '../../../../nodes/Nexudus/methods/listSearch';
import type { Emulator } from '../../../emulator/server.cjs';
import { startEmulator } from '../../../emulator/server.cjs';
import { adminStore, loadOptionsContext } from '../../../support/n8nCore.cjs';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ seed: 'demo' });
});
afterAll(async () => await emulator.close());

describe('searchTeams (the Teams picker of Coworker Create and Update)', () => {
	it('lists the teams by name, and filters by a part of the name', async () => {
		const store = adminStore(emulator.url);
		const all = await searchTeams.call(
			loadOptionsContext(store, {}, 'parameters.additionalFields'),
		);
		expect(all.results).toEqual([
			{ name: 'Acme Robotics', value: '7001' },
			{ name: 'Design Guild', value: '7002' },
		]);
		const some = await searchTeams.call(
			loadOptionsContext(store, {}, 'parameters.additionalFields'),
			'guild',
		);
		expect(some.results).toEqual([{ name: 'Design Guild', value: '7002' }]);
		const request = emulator.requests.filter((r) => r.path === '/api/spaces/teams').at(-1)!;
		expect(request.query).toMatchObject({ Team_Name: 'guild', orderBy: 'Name' });
	});
});
