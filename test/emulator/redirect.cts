import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The "other origin" a redirect points at. It plays a successful Nexudus so that a client that
 * follows the redirect carries on as if nothing happened, and it keeps everything it was sent:
 * tests read it to prove that no password and no Bearer token left for another host.
 */

export interface ReceivedRequest {
	/** Arrival, ms since epoch. */
	at: number;
	method: string;
	/** Path and query, as sent. */
	url: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	/** The raw body ('' without one). */
	body: string;
}

export interface RedirectTarget {
	url: string;
	port: number;
	/** Every request except GET /_received, in arrival order. */
	received: ReceivedRequest[];
	clear(): void;
	close(): Promise<void>;
}

export const REDIRECT_TARGET_ID = 999999;

function answer(res: ServerResponse, status: number, body: unknown): void {
	const payload = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(payload),
	});
	res.end(payload);
}

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** What a successful Nexudus would answer, so that only the recording tells the difference. */
function reply(res: ServerResponse, method: string, path: string): void {
	if (/^\/api\/token$/i.test(path)) {
		return answer(res, 200, {
			access_token: 'redirect-target-access-token',
			token_type: 'bearer',
			expires_in: 604799,
			refresh_token: 'redirect-target-refresh-token',
		});
	}
	if (method === 'GET') {
		const id = /\/(\d+)$/.exec(path)?.[1];
		if (id) return answer(res, 200, { Id: Number(id) });
		return answer(res, 200, {
			Records: [],
			CurrentPage: 1,
			CurrentPageSize: 25,
			CurrentOrderField: 'Id',
			CurrentSortDirection: 'Ascending',
			FirstItem: 0,
			LastItem: 0,
			TotalItems: 0,
			TotalPages: 0,
			HasNextPage: false,
			HasPreviousPage: false,
		});
	}
	return answer(res, 200, {
		Status: 200,
		Message: 'The record was saved.',
		Value: method === 'DELETE' ? null : { Id: REDIRECT_TARGET_ID },
		WasSuccessful: true,
		Errors: null,
	});
}

export interface RedirectTargetOptions {
	/** Where it listens; default 127.0.0.1 (another port is already another origin). */
	host?: string;
	/** The host name put in `url`, e.g. 'localhost' for an origin that differs by name too. */
	urlHost?: string;
}

export async function startRedirectTarget(
	options: RedirectTargetOptions = {},
): Promise<RedirectTarget> {
	const host = options.host ?? '127.0.0.1';
	const received: ReceivedRequest[] = [];
	const server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://target');
		const method = (req.method ?? 'GET').toUpperCase();
		readBody(req)
			.then((body) => {
				if (url.pathname === '/_received') {
					if (method === 'DELETE') received.length = 0;
					return answer(res, 200, received);
				}
				received.push({
					at: Date.now(),
					method,
					url: req.url ?? '/',
					path: url.pathname,
					headers: { ...req.headers },
					body,
				});
				reply(res, method, url.pathname);
			})
			.catch(() => answer(res, 500, { Message: 'An error has occurred.' }));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	const name = options.urlHost ?? host;
	return {
		url: `http://${name.includes(':') ? `[${name}]` : name}:${port}`,
		port,
		received,
		clear: () => {
			received.length = 0;
		},
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.close((error) => (error ? reject(error) : resolve()));
				server.closeAllConnections();
			}),
	};
}
