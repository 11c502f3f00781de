// registry.npmjs.org for one package, on 127.0.0.1: n8n's own community-package installer
// (N8N_COMMUNITY_PACKAGES, N8N_REINSTALL_MISSING_PACKAGES) then installs the package's `npm pack`
// tarball as it would install the published version, with no internet. n8n only lets a licensed
// instance change the registry (N8N_COMMUNITY_PACKAGES_REGISTRY is an enterprise feature), so the
// registry keeps its real address: an HTTPS proxy, set in npm's own config (n8n installs by
// running npm), answers for registry.npmjs.org with a certificate from a throwaway CA
// (NODE_EXTRA_CA_CERTS) and refuses every other host. The n8n process itself gets no proxy
// variable, so its own traffic (the node's requests) goes as it always does; its own look-up of
// the version then fails or finds nothing and n8n falls back to `npm view`, which gets the proxy. Routes: the packument, one version's manifest, the tarball.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const REGISTRY_HOST = 'registry.npmjs.org';

export interface LocalRegistry {
	name: string;
	version: string;
	/** `sha512-...`, the `dist.integrity` npm shows, usable as a checksum in N8N_COMMUNITY_PACKAGES. */
	integrity: string;
	/** The proxy that answers for registry.npmjs.org: give it to npm only (see npmSetup). */
	proxyUrl: string;
	/** The CA of its certificate, for NODE_EXTRA_CA_CERTS. */
	caFile: string;
	/** Every request, in order: `GET /n8n-nodes-nexudus/-/n8n-nodes-nexudus-0.1.0.tgz 200`, `CONNECT api.n8n.io:443 403`. */
	requests: string[];
	/** How many times the tarball was downloaded. */
	tarballDownloads(): number;
	close(): Promise<void>;
}

function openssl(args: string[], cwd: string): void {
	const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
}

/** A CA valid for two days and a certificate it signed for registry.npmjs.org. */
async function certificates(dir: string): Promise<{ ca: string; key: Buffer; cert: Buffer }> {
	const subject = (cn: string) => ['-subj', `/CN=${cn}`];
	openssl(
		[
			'req',
			'-x509',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-keyout',
			'ca.key',
			'-out',
			'ca.pem',
			'-days',
			'2',
			...subject('n8n-nodes-nexudus e2e CA'),
			'-addext',
			'basicConstraints=critical,CA:TRUE',
			'-addext',
			'keyUsage=critical,keyCertSign,cRLSign',
		],
		dir,
	);
	openssl(
		[
			'req',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-keyout',
			'leaf.key',
			'-out',
			'leaf.csr',
			...subject(REGISTRY_HOST),
		],
		dir,
	);
	await fs.writeFile(
		path.join(dir, 'leaf.ext'),
		`subjectAltName=DNS:${REGISTRY_HOST}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`,
	);
	openssl(
		[
			'x509',
			'-req',
			'-in',
			'leaf.csr',
			'-CA',
			'ca.pem',
			'-CAkey',
			'ca.key',
			'-CAcreateserial',
			'-out',
			'leaf.pem',
			'-days',
			'2',
			'-extfile',
			'leaf.ext',
		],
		dir,
	);
	return {
		ca: path.join(dir, 'ca.pem'),
		key: await fs.readFile(path.join(dir, 'leaf.key')),
		cert: await fs.readFile(path.join(dir, 'leaf.pem')),
	};
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
	const versionDoc = {
		...manifest,
		_id: `${name}@${version}`,
		dist: { tarball: `https://${REGISTRY_HOST}${tarballPath}`, integrity, shasum },
	};
	const requests: string[] = [];
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexudus-registry-'));
	const tls = await certificates(dir);

	const registry = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
		const pathname = decodeURIComponent(
			new URL(req.url ?? '/', `https://${REGISTRY_HOST}`).pathname,
		);
		const send = (status: number, body: Buffer | object, type = 'application/json') => {
			requests.push(`${req.method} ${pathname} ${status}`);
			const payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
			res.writeHead(status, { 'content-type': type, 'content-length': payload.length });
			res.end(req.method === 'HEAD' ? undefined : payload);
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

	// The proxy: CONNECT registry.npmjs.org:443 reaches the registry above, anything else is refused
	// at once (n8n's calls to api.n8n.io fail fast, as they do offline).
	const proxy = http.createServer((req, res) => {
		requests.push(`${req.method} ${req.url} 403`);
		res.writeHead(403).end();
	});
	proxy.on('connect', (req, socket, head) => {
		if (req.url !== `${REGISTRY_HOST}:443`) {
			requests.push(`CONNECT ${req.url} 403`);
			socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
			return;
		}
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		if (head.length > 0) socket.unshift(head);
		registry.emit('connection', socket);
	});
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	proxy.unref();
	const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
	return {
		name,
		version,
		integrity,
		proxyUrl,
		caFile: tls.ca,
		requests,
		tarballDownloads: () => requests.filter((r) => r === `GET ${tarballPath} 200`).length,
		close: async () => {
			proxy.closeAllConnections();
			registry.closeAllConnections();
			await new Promise<void>((resolve) => proxy.close(() => resolve()));
			await fs.rm(dir, { recursive: true, force: true });
		},
	};
}

/**
 * npm's settings for one n8n home: a user npmrc with the proxy and a cache of its own (what npm
 * fetches as registry.npmjs.org must not reach the machine's npm cache), and the CA. Returns the
 * environment variables that point npm (run by n8n) at them.
 */
export async function npmSetup(
	registry: LocalRegistry,
	homeDir: string,
): Promise<Record<string, string>> {
	const npmrc = path.join(homeDir, '.npmrc');
	await fs.writeFile(
		npmrc,
		`https-proxy=${registry.proxyUrl}\ncache=${path.join(homeDir, '.npm')}\nupdate-notifier=false\naudit=false\nfund=false\n`,
	);
	return { npm_config_userconfig: npmrc, NODE_EXTRA_CA_CERTS: registry.caFile };
}
