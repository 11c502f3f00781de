// The credential's "Test" button inside real n8n 2.x: the editor's POST /rest/credentials/test,
// against the Nexudus emulator. n8n logs in through preAuthentication, then sends the test request
// (GET /api/sys/businesses) and maps its status codes to the credential's rules.
import * as path from 'node:path';

import {
	DEFAULT_USERS,
	DEMO_PASSWORD,
	DEMO_TOTP_SECRET,
	startEmulator,
	type Emulator,
	type EmulatorUser,
} from '../emulator/server.cjs';
import { startRedirectTarget, type RedirectTarget } from '../emulator/redirect.cjs';
import {
	createN8nHome,
	findN8n,
	getFreePort,
	importCredentials,
	packPackage,
	removeTempDirs,
	startN8nServer,
	type N8nServer,
} from './n8n.cjs';

const REPO = path.resolve(__dirname, '..', '..');
const SLOW = 300_000;
const TYPE = 'nexudusOAuth2Api';
const STORED = { id: 'nexudusCredTest01', name: 'Nexudus (credential test)' };

// Logged in fine, but without Business-List: the test request answers 403.
const NO_LIST_USER: EmulatorUser = {
	email: 'nolist@example.com',
	password: DEMO_PASSWORD,
	roles: ['Coworker-List', 'InventoryAsset-List', 'CoworkerInventoryAsset-List'],
};

interface TestResult {
	status: 'OK' | 'Error';
	message: string;
}

// Never skipped: without the pinned n8n every test fails with the command that installs it.
describe('credential test button in n8n 2.x (POST /rest/credentials/test)', () => {
	let emulator: Emulator;
	let n8n: N8nServer;

	const good = () => ({
		email: 'admin@example.com',
		password: DEMO_PASSWORD,
		totpSecret: '',
		clientId: 'n8n-nodes-nexudus',
		baseUrl: emulator.url,
	});

	/** What the editor sends when the user clicks "Test" (or saves) with these field values. */
	async function testCredential(data: Record<string, unknown>): Promise<TestResult> {
		const res = await n8n.request('/rest/credentials/test', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ credentials: { ...STORED, type: TYPE, data } }),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`POST /rest/credentials/test: HTTP ${res.status} ${text}`);
		return JSON.parse(text).data as TestResult;
	}

	beforeAll(async () => {
		emulator = await startEmulator({ seed: 'minimal', users: [...DEFAULT_USERS, NO_LIST_USER] });
		const home = await createN8nHome(findN8n(2), { packageTarball: await packPackage(REPO) });
		await importCredentials(home, [{ ...STORED, type: TYPE, data: good() }]);
		n8n = await startN8nServer(home);
	}, SLOW);

	afterAll(async () => {
		await n8n?.stop();
		await emulator?.close();
		removeTempDirs();
	}, 60_000);

	describe('the Base URL answers 307 to another origin', () => {
		let target: RedirectTarget;
		beforeAll(async () => {
			target = await startRedirectTarget();
		});
		afterAll(async () => {
			emulator.setSwitches({ redirect: false });
			await target.close();
		});

		it.each([
			['on /api/token: the password never goes there', '^/api/token$'],
			['on the test request: the token never goes there', '^/api/sys/businesses$'],
		])('%s', async (_label, path) => {
			target.clear();
			emulator.setSwitches({ redirect: { to: target.url, paths: [new RegExp(path)] } });
			try {
				const result = await testCredential(good());
				expect(result.status).toBe('Error');
				expect(target.received).toEqual([]);
			} finally {
				emulator.setSwitches({ redirect: false });
			}
		});
	});

	it('succeeds with the right login', async () => {
		const result = await testCredential(good());
		expect(result).toEqual(expect.objectContaining({ status: 'OK' }));
		const paths = emulator.requests.map((r) => `${r.method} ${r.path}`);
		expect(paths).toEqual(expect.arrayContaining(['POST /api/token', 'GET /api/sys/businesses']));
	});

	// Issue 20 point 10: the Test button's URL follows the node's Base URL rules.
	it.each([
		['a trailing space', (url: string) => `${url} `],
		['a trailing slash and spaces', (url: string) => `  ${url}/  `],
		['a query', (url: string) => `${url}/?tenant=1`],
	])(
		'succeeds with %s in the Base URL, listing at the same URL as the node',
		async (_label, baseUrl) => {
			emulator.clearRequests();
			const result = await testCredential({ ...good(), baseUrl: baseUrl(emulator.url) });
			expect(result).toEqual(expect.objectContaining({ status: 'OK' }));
			const listed = emulator.requests.filter((r) => r.path === '/api/sys/businesses');
			expect(listed.map((r) => `${r.status} ${JSON.stringify(r.query)}`)).toEqual([
				'200 {"page":"1","size":"1"}',
			]);
		},
	);

	it('succeeds for the stored credential as the editor sends it (secrets redacted)', async () => {
		const res = await n8n.request(`/rest/credentials/${STORED.id}?includeData=true`);
		expect(res.status).toBe(200);
		const { data: stored } = (await res.json()) as { data: { data: Record<string, unknown> } };
		// The editor never receives the password back, only a placeholder n8n swaps for it.
		expect(stored.data.password).not.toBe(DEMO_PASSWORD);
		await expect(testCredential(stored.data)).resolves.toEqual(
			expect.objectContaining({ status: 'OK' }),
		);
	});

	it('fails with a clear message for a wrong password', async () => {
		const result = await testCredential({ ...good(), password: 'not-the-password' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Nexudus login failed: wrong email or password/);
		expect(result.message).not.toContain('not-the-password');
	});

	it('fails with the 403 rule message for a user without Business-List', async () => {
		const result = await testCredential({ ...good(), email: NO_LIST_USER.email });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/may not list locations: give it the Business-List role/);
	});

	it('fails with a Base URL hint when the Base URL path is wrong', async () => {
		const result = await testCredential({ ...good(), baseUrl: `${emulator.url}/not-nexudus` });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/HTTP 404 .*Check the Base URL/);
	});

	it('fails with a reach hint when nothing answers at the Base URL', async () => {
		const result = await testCredential({
			...good(),
			baseUrl: `http://127.0.0.1:${await getFreePort()}`,
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/could not reach .* \(connection refused\)/);
	});

	describe('a user with two-factor authentication', () => {
		const twoFactor = () => ({ ...good(), email: '2fa@example.com' });

		it('succeeds with the right secret', async () => {
			const result = await testCredential({ ...twoFactor(), totpSecret: DEMO_TOTP_SECRET });
			expect(result).toEqual(expect.objectContaining({ status: 'OK' }));
		});

		it('fails and points at the Two-Factor Secret when it is missing', async () => {
			const result = await testCredential(twoFactor());
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/fill in the Two-Factor Secret/);
		});

		it('fails and names the two-factor code when the secret is wrong', async () => {
			const result = await testCredential({ ...twoFactor(), totpSecret: 'GEZDGNBVGY3TQOJQ' });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/the two-factor code was rejected/);
			expect(result.message).not.toContain('GEZDGNBVGY3TQOJQ');
		});

		it('fails clearly when the secret is not base32, quoting none of its characters', async () => {
			const result = await testCredential({ ...twoFactor(), totpSecret: 'JBSW#Y3DP!' });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/not a valid base32 secret/);
			expect(result.message).not.toMatch(/[#!]/);
		});
	});
});
