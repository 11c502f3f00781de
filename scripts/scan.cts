/**
 * The community-package scanner's own analysis, run locally (its CLI only scans published
 * packages): once on the source as the scanner lints it, once on the packed tarball as n8n
 * installs it. Exits 1 when either fails.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

interface Analysis {
	passed: boolean;
	message?: string;
	details?: string;
}

async function main() {
	const repo = resolve(__dirname, '..');
	const scanner = (await import(
		'@n8n/scan-community-package/scanner/scanner.mjs' as string
	)) as {
		analyzePackage: (dir: string, patterns?: string[]) => Promise<Analysis>;
		SOURCE_FILE_PATTERNS: string[];
	};

	const packDir = mkdtempSync(join(tmpdir(), 'nexudus-scan-'));
	execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: repo, stdio: 'pipe' });
	const tarball = readdirSync(packDir).find((name) => name.endsWith('.tgz'));
	if (!tarball) throw new Error('npm pack produced no tarball (run npm run build first)');
	execFileSync('tar', ['-xzf', join(packDir, tarball), '-C', packDir]);
	const unpacked = join(packDir, 'package');

	const source = await scanner.analyzePackage(repo, scanner.SOURCE_FILE_PATTERNS);
	const packed = await scanner.analyzePackage(unpacked, ['**/*.js', 'package.json']);
	let ok = true;
	for (const [label, result] of [
		[`source (${scanner.SOURCE_FILE_PATTERNS.join(', ')})`, source],
		[`packed tarball ${tarball}`, packed],
	] as const) {
		console.log(`scanner analysis of ${label}: ${result.passed ? 'passed' : 'FAILED'}`);
		if (!result.passed) {
			ok = false;
			console.log(result.message ?? '', result.details ?? '');
		}
	}
	process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
