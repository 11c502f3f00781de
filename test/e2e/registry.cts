// A package registry on 127.0.0.1 that serves one package from its `npm pack` tarball, as
// registry.npmjs.org serves a published one: n8n's own community-package installer
// (N8N_COMMUNITY_PACKAGES, N8N_REINSTALL_MISSING_PACKAGES) then installs it through
// N8N_COMMUNITY_PACKAGES_REGISTRY with no internet. The routes are those n8n and npm use:
// the packument, one version's manifest, the tarball.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawnSync } from 'node:child_process';

export interface LocalRegistry {
	url: string;
	name: string;
	version: string;
	/** `sha512-...`, the `dist.integrity` npm shows, usable as a checksum in N8N_COMMUNITY_PACKAGES. */
	integrity: string;
	/** Every request, in order: `GET /n8n-nodes-nexudus/-/n8n-nodes-nexudus-0.1.0.tgz 200`. */
	requests: string[];
	/** How many times the tarball was downloaded. */
	tarballDownloads(): number;
	close(): Promise<void>;
}

export async function startLocalRegistry(tarball: string): Promise<LocalRegistry> {
	const bytes = await fs.readFile(tarball);
	const listed = spawnSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' });
	if (listed.status !== 0)
		throw new Error(`cannot read package.json from ${tarball}: ${listed.stderr}`);
	const manifest = JSON.parse(listed.stdout) as { name: string; version: string } & Record<
		string,
		unknown
	>;
	const { name, version } = manifest;
	const integrity = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
	const shasum = createHash('sha1').update(bytes).digest('hex');
	const tarballPath = `/${name}/-/${name}-${version}.tgz`;
	const requests: string[] = [];

	const server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://registry');
		const pathname = decodeURIComponent(url.pathname);
		const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		const versionDoc = {
			...manifest,
			_id: `${name}@${version}`,
			dist: { tarball: `${base}${tarballPath}`, integrity, shasum },
		};
		const send = (status: number, body: Buffer | object, type = 'application/json') => {
			requests.push(`${req.method} ${pathname} ${status}`);
			const payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
			res.writeHead(status, { 'content-type': type, 'content-length': payload.length });
			res.end(payload);
		};
		if (req.method !== 'GET' && req.method !== 'HEAD')
			return send(405, { error: 'method not allowed' });
		if (pathname === `/${name}`) {
			return send(200, {
				_id: name,
				name,
				'dist-tags': { latest: version },
				versions: { [version]: versionDoc },
				time: { [version]: new Date(0).toISOString() },
			});
		}
		if (pathname === `/${name}/${version}` || pathname === `/${name}/latest`)
			return send(200, versionDoc);
		if (pathname === tarballPath) return send(200, bytes, 'application/octet-stream');
		return send(404, { error: 'not found' });
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	server.unref();
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		name,
		version,
		integrity,
		requests,
		tarballDownloads: () => requests.filter((r) => r === `GET ${tarballPath} 200`).length,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
