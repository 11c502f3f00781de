/**
 * The README and the docs/ pages: every relative link and anchor resolves, the anchors the node
 * and the credential link to exist in the README, and the README stays short enough to pack.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..');
const REPO_URL = 'https://github.com/n8n-nodes-nexudus/n8n-nodes-nexudus';
// Other engineers' notes waiting to be merged into the pages; not published.
const SKIP = new Set(['_pending']);

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function slug(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/<[^>]+>/g, '')
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	let fenced = false;
	for (const line of markdown.split('\n')) {
		if (line.startsWith('```')) fenced = !fenced;
		const heading = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
		if (!heading) continue;
		const base = slug(heading[1].replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
		const n = seen.get(base) ?? 0;
		seen.set(base, n + 1);
		anchors.add(n === 0 ? base : `${base}-${n}`);
	}
	return anchors;
}

function markdownFiles(): string[] {
	const docs = join(REPO, 'docs');
	const files = ['README.md', 'CHANGELOG.md'];
	for (const name of readdirSync(docs)) {
		if (SKIP.has(name)) continue;
		if (name.endsWith('.md')) files.push(join('docs', name));
	}
	return files;
}

/** Links outside code: `[text](target)` and `![alt](target)`. */
function linksOf(markdown: string): string[] {
	const links: string[] = [];
	let fenced = false;
	for (const line of markdown.split('\n')) {
		if (line.startsWith('```')) fenced = !fenced;
		if (fenced) continue;
		const plain = line.replace(/`[^`]*`/g, '');
		for (const m of plain.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) links.push(m[1]);
	}
	return links;
}

function problemsIn(file: string): string[] {
	const text = readFileSync(join(REPO, file), 'utf8');
	const problems: string[] = [];
	for (const link of linksOf(text)) {
		if (/^[a-z]+:/i.test(link)) continue;
		const [path, anchor] = link.split('#') as [string, string | undefined];
		const target = path === '' ? join(REPO, file) : resolve(dirname(join(REPO, file)), path);
		if (!target.startsWith(REPO) || !existsSync(target)) {
			problems.push(`${file}: ${link} (no such file)`);
			continue;
		}
		if (anchor === undefined) continue;
		if (statSync(target).isDirectory() || !target.endsWith('.md')) {
			problems.push(`${file}: ${link} (an anchor into something that is not a page)`);
		} else if (!anchorsOf(readFileSync(target, 'utf8')).has(anchor)) {
			problems.push(`${file}: ${link} (no heading #${anchor} in ${relative(REPO, target)})`);
		}
	}
	return problems;
}

describe('the README and docs/', () => {
	it('computes anchors as GitHub does', () => {
		expect(slug('Naming records without Ids: By Email, By Name, By Kind')).toBe(
			'naming-records-without-ids-by-email-by-name-by-kind',
		);
		expect(slug('Install in n8n')).toBe('install-in-n8n');
		expect([...anchorsOf('# A\n## Get\n```\n# not a heading\n```\n### Get\n')]).toEqual([
			'a',
			'get',
			'get-1',
		]);
	});

	it.each(markdownFiles())('%s: every relative link and anchor resolves', (file) => {
		expect(problemsIn(file)).toEqual([]);
	});

	it('has the anchors the node, the trigger and the credential link to', () => {
		const sources = [
			'nodes/Nexudus/Nexudus.node.json',
			'nodes/Nexudus/NexudusTrigger.node.json',
			'credentials/NexudusOAuth2Api.credentials.ts',
		];
		const readme = anchorsOf(readFileSync(join(REPO, 'README.md'), 'utf8'));
		const used: string[] = [];
		for (const source of sources) {
			const text = readFileSync(join(REPO, source), 'utf8');
			for (const m of text.matchAll(
				/https:\/\/github\.com\/n8n-nodes-nexudus\/n8n-nodes-nexudus#([\w-]+)/g,
			)) {
				used.push(m[1]);
			}
		}
		expect(used).toEqual(
			expect.arrayContaining(['credential-set-up', 'nexudus-trigger', 'readme']),
		);
		// #readme is GitHub's anchor for the README itself.
		expect(used.filter((anchor) => anchor !== 'readme' && !readme.has(anchor))).toEqual([]);
		const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
			homepage: string;
		};
		expect(pkg.homepage).toBe(`${REPO_URL}#readme`);
	});

	it('keeps the README to about 200 lines, the reference one link away in docs/', () => {
		const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
		expect(readme.trimEnd().split('\n').length).toBeLessThanOrEqual(200);
		for (const page of [
			'reference',
			'trigger',
			'reliability',
			'scale',
			'install',
			'emulator',
			'development',
			'releasing',
		]) {
			expect(readme).toContain(`](docs/${page}.md)`);
		}
	});
});
