// The docker compose recipe for queue mode (examples/docker/compose.yaml), read as docker compose
// reads it (YAML merge keys included). The queue-mode e2e takes its package install from here,
// so the recipe and the test install the package the same way.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export const COMPOSE_FILE = path.resolve(
	__dirname,
	'..',
	'..',
	'examples',
	'docker',
	'compose.yaml',
);

export interface ComposeService {
	image?: string;
	command?: string | string[];
	environment?: Record<string, string | number | boolean | null>;
	depends_on?: Record<string, { condition?: string }>;
	healthcheck?: { test?: string | string[] };
	ports?: string[];
	volumes?: string[];
}

export interface Compose {
	services: Record<string, ComposeService>;
}

export function readCompose(file = COMPOSE_FILE): Compose {
	return parse(readFileSync(file, 'utf8'), { merge: true }) as Compose;
}

/** n8n's official image, on n8n's registry or Docker Hub, and its tag. */
const N8N_IMAGE = /^(?:docker\.n8n\.io\/)?n8nio\/n8n:(.+)$/;

export function n8nImageTag(service: ComposeService): string | undefined {
	return N8N_IMAGE.exec(service.image ?? '')?.[1];
}

/** The services that run n8n, with the n8n command each runs (start, worker, webhook). */
export function n8nServices(
	compose: Compose,
): Array<{ name: string; command: string; service: ComposeService }> {
	return Object.entries(compose.services)
		.filter(([, service]) => n8nImageTag(service) !== undefined)
		.map(([name, service]) => ({
			name,
			command: [service.command ?? 'start'].flat().join(' '),
			service,
		}));
}

/** What installs community packages: the variables n8n reads for it. */
export const PACKAGE_INSTALL_VARIABLE =
	/^N8N_(?:COMMUNITY_PACKAGES|REINSTALL_MISSING_PACKAGES|UNVERIFIED_PACKAGES)/;

/**
 * The package-install environment of one n8n service of the recipe, as strings (what a process
 * gets). Throws unless every n8n service has the same one, so there is one to take.
 */
export function packageInstallEnv(compose: Compose = readCompose()): Record<string, string> {
	const envs = n8nServices(compose).map(({ name, service }) => {
		const env: Record<string, string> = {};
		for (const [key, value] of Object.entries(service.environment ?? {})) {
			if (PACKAGE_INSTALL_VARIABLE.test(key) && value !== null) env[key] = String(value);
		}
		return { name, env };
	});
	if (envs.length === 0) throw new Error(`${COMPOSE_FILE} has no n8n service`);
	const first = JSON.stringify(envs[0].env);
	const other = envs.find(({ env }) => JSON.stringify(env) !== first);
	if (other) {
		throw new Error(
			`${COMPOSE_FILE}: ${other.name} installs packages differently from ${envs[0].name}`,
		);
	}
	return envs[0].env;
}

/** The packages N8N_COMMUNITY_PACKAGES lists: `[{"name", "version", "checksum"}]`. */
export function communityPackages(
	env: Record<string, string>,
): Array<{ name: string; version?: string; checksum?: string }> {
	return JSON.parse(env.N8N_COMMUNITY_PACKAGES ?? '[]');
}
