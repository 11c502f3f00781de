/**
 * The release workflows: every later version through npm's trusted publishing (no token, OIDC,
 * Node.js 22.14+ and npm 11.5.1+), the first one by token from GitHub Actions with provenance,
 * and neither without the CI checks on every supported Node.js. (`npm run validate-workflows`
 * checks their schema; this checks what they do.)
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const WORKFLOWS = path.resolve(__dirname, '..', '..', '.github', 'workflows');

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	env?: Record<string, string>;
}
interface Job {
	uses?: string;
	needs?: string | string[];
	permissions?: Record<string, string>;
	strategy?: { matrix?: { node?: number[] } };
	steps?: Step[];
}
interface Workflow {
	on: Record<string, unknown>;
	permissions?: Record<string, string>;
	jobs: Record<string, Job>;
}

const read = (file: string) => readFileSync(path.join(WORKFLOWS, file), 'utf8');
const workflow = (file: string) => parse(read(file)) as Workflow;
const publishStep = (job: Job) => job.steps?.find((s) => /npm publish/.test(s.run ?? ''));

describe('publish.yml: trusted publishing', () => {
	const text = read('publish.yml');
	const wf = workflow('publish.yml');
	const job = wf.jobs.publish;

	it('runs on version tags, after the CI checks', () => {
		expect(wf.on).toEqual({ push: { tags: ['v*.*.*'] } });
		expect(wf.jobs.test.uses).toBe('./.github/workflows/ci.yml');
		expect(job.needs).toBe('test');
	});

	it('publishes with the OIDC token and provenance, and no npm token at all', () => {
		expect(job.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
		expect(publishStep(job)?.run).toBe('npm publish --provenance --access public');
		expect(publishStep(job)?.env).toBeUndefined();
		expect(text).not.toMatch(/secrets\.|NODE_AUTH_TOKEN|NPM_TOKEN|_authToken/);
	});

	it('publishes on Node.js 22.14+ and makes sure of npm 11.5.1+', () => {
		const setup = job.steps?.find((s) => s.uses?.startsWith('actions/setup-node'));
		expect(Number(setup?.with?.['node-version'])).toBeGreaterThanOrEqual(24);
		const check = job.steps?.find(
			(s) => /22\.14\.0/.test(s.run ?? '') && /11\.5\.1/.test(s.run ?? ''),
		);
		expect(check).toBeDefined();
		const steps = job.steps ?? [];
		expect(steps.indexOf(check!)).toBeLessThan(steps.indexOf(publishStep(job)!));
	});

	it('stops with a pointer to the first release when the package is not on npm yet', () => {
		const guard = job.steps?.find((s) => /registry\.npmjs\.org/.test(s.run ?? ''));
		expect(guard?.run).toMatch(
			/"404" \]; then\n[^\n]*not on npm yet[\s\S]*First release workflow[\s\S]*exit 1/,
		);
	});
});

describe('first-release.yml: the first version, by token, with provenance, once', () => {
	const wf = workflow('first-release.yml');
	const job = wf.jobs.publish;

	it('runs by hand only, after the CI checks', () => {
		expect(Object.keys(wf.on)).toEqual(['workflow_dispatch']);
		expect(wf.jobs.test.uses).toBe('./.github/workflows/ci.yml');
		expect(job.needs).toBe('test');
	});

	it('publishes with a token and provenance, and refuses when the package exists', () => {
		expect(job.permissions?.['id-token']).toBe('write');
		expect(publishStep(job)?.run).toBe('npm publish --provenance --access public');
		expect(publishStep(job)?.env).toEqual({
			NODE_AUTH_TOKEN: '${{ secrets.NPM_FIRST_RELEASE_TOKEN }}',
		});
		const guard = job.steps?.find((s) => /registry\.npmjs\.org/.test(s.run ?? ''));
		expect(guard?.run).toMatch(/"200" \]; then\n[^\n]*already on npm[^\n]*\n\s*exit 1/);
	});
});

describe('ci.yml: the checks every release runs', () => {
	const wf = workflow('ci.yml');

	it('can be called by the release workflows', () => {
		expect(Object.keys(wf.on)).toEqual(
			expect.arrayContaining(['pull_request', 'push', 'workflow_call']),
		);
	});

	it('lints, builds and runs the unit tests on every supported Node.js, and the e2e tests', () => {
		expect(wf.jobs.checks.strategy?.matrix?.node).toEqual([20, 22, 24]);
		const runs = (job: Job) => (job.steps ?? []).map((s) => s.run ?? '').join('\n');
		for (const script of [
			'lint',
			'validate-workflows',
			'typecheck',
			'build',
			'scan',
			'pack-check',
			'test:unit',
		]) {
			expect(runs(wf.jobs.checks)).toContain(`npm run ${script}`);
		}
		expect(runs(wf.jobs.e2e)).toContain('npm test');
	});

	it('caches the n8n install by the pin, so moving the pin installs the new n8n', () => {
		expect(read('ci.yml')).toContain("hashFiles('n8n-versions.json', 'scripts/install-n8n.sh')");
	});
});
