/**
 * What `npm publish` would ship, checked: the node, the credential, their icons and codex, the
 * README, the LICENSE and package.json, and no build leftovers; under 80 kB packed.
 * Exits 1 with the reason otherwise. Needs `npm run build` first.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

// Issue 23's goal is 60 kB. The README now keeps to a page (58.0 kB with the code of then), but
// the Coworker writes and the trust checks added since bring the code alone past it (72.1 kB):
// the budget stays at 80 kB, where main had it, until that goal is met; it is not met today.
// A leftover such as tsconfig.tsbuildinfo (220 kB) still fails both this and the file checks.
const MAX_PACKED_BYTES = 80 * 1024;
const REQUIRED = [
	'package.json',
	'README.md',
	'LICENSE',
	'dist/index.js',
	'dist/nodes/Nexudus/Nexudus.node.js',
	'dist/nodes/Nexudus/Nexudus.node.json',
	'dist/credentials/NexudusOAuth2Api.credentials.js',
];
// Build leftovers and anything users do not run.
const FORBIDDEN: Array<[RegExp, string]> = [
	[/\.tsbuildinfo$/, 'TypeScript build info'],
	[/^dist\/package\.json$/, 'a copy of package.json compiled into dist'],
	[/^(test|scripts|examples|docs|\.github|\.ci)\//, 'development files'],
	[/(^|\/)\.env|\.tgz$/, 'local files'],
	[/\.test\.c?[jt]s$/, 'tests'],
];

interface PackResult {
	size: number;
	unpackedSize: number;
	files: Array<{ path: string; size: number }>;
}

const repo = resolve(__dirname, '..');
const [pack] = JSON.parse(
	execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: repo,
		encoding: 'utf8',
	}),
) as PackResult[];
const paths = pack.files.map((file) => file.path);
const problems: string[] = [];
for (const path of REQUIRED) {
	if (!paths.includes(path))
		problems.push(`missing ${path}${path.startsWith('dist/') ? ' (run npm run build)' : ''}`);
}
for (const path of paths) {
	const hit = FORBIDDEN.find(([pattern]) => pattern.test(path));
	if (hit) problems.push(`ships ${path}: ${hit[1]}`);
}
if (pack.size > MAX_PACKED_BYTES) {
	problems.push(`packed size ${pack.size} bytes is over the ${MAX_PACKED_BYTES}-byte budget`);
}
console.log(
	`npm pack: ${paths.length} files, ${(pack.size / 1024).toFixed(1)} kB packed, ` +
		`${(pack.unpackedSize / 1024).toFixed(1)} kB unpacked (budget ${MAX_PACKED_BYTES / 1024} kB packed)`,
);
if (problems.length > 0) {
	for (const problem of problems) console.log(`  FAIL ${problem}`);
	process.exit(1);
}
console.log('  ok: no build leftovers, everything users need is in');
