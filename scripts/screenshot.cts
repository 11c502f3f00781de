/**
 * Screenshots of the package in the n8n editor, for the README:
 *   docs/workflow.jpg    the onboarding example after a run in the editor
 *   docs/node-panel.jpg  the 'Assign asset' node panel (input, parameters, output)
 *   docs/panel-<operation>.jpg  each operation's parameters, as a new node shows them
 *   docs/panel-trigger.jpg  the Nexudus Trigger's panel in the "member joins" example
 * Starts the same sandbox as `npm run demo` and drives Debian's Chromium with playwright-core:
 *   npx tsx scripts/screenshot.cts [--debug] [--trigger-only]
 *   (--debug saves each step and PNG copies in /tmp/nexudus-screenshot-steps/; --trigger-only
 *   makes docs/panel-trigger.jpg alone)
 */
import { existsSync, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import type * as Playwright from 'playwright-core';
import type { Page } from 'playwright-core';

import { importWorkflows } from '../test/e2e/n8n.cjs';
import { DEMO } from '../test/emulator/server.cjs';
import {
	CREDENTIAL,
	ONBOARDING_WORKFLOW_ID,
	REPO,
	log,
	prepareSandbox,
	startEditor,
	stopOnSignals,
	type Sandbox,
} from './demo.cjs';

// Under tsx on Node 20, `import` of playwright-core's bundle fails inside tsx's loader
// ("Cannot read properties of undefined (reading 'exports')"); a plain require does not.
const { chromium } = createRequire(__filename)('playwright-core') as typeof Playwright;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DOCS = path.join(REPO, 'docs');
const VIEWPORT = { width: 1400, height: 900 };
const NODE_NAME = 'Assign asset';
const PANELS_WORKFLOW_ID = 'nexudusPanels0001';
const TRIGGER_WORKFLOW_ID = 'nexudusTrigOnboard01';
const TRIGGER_NODE_NAME = 'When a member joins';

const pick = (value: number, cachedResultName: string) => ({
	__rl: true,
	mode: 'list',
	value: String(value),
	cachedResultName,
});

/** One Nexudus node per operation, filled in as a user would, to show each panel. */
const PANEL_NODES: Array<{ operation: string; parameters: Record<string, unknown> }> = [
	{
		operation: 'create',
		parameters: {
			coworker: pick(DEMO.coworkers.luciaFernandez, 'Lucía Fernández'),
			location: pick(DEMO.businesses.madrid, 'Madrid - Gran Vía'),
			inventoryAsset: pick(DEMO.inventoryAssets.madridMonitor1, 'Monitor Dell U2723QE 27" 01'),
			assignedFrom: '2026-01-12T09:00:00',
		},
	},
	{
		operation: 'get',
		parameters: { coworkerInventoryAsset: { __rl: true, mode: 'id', value: '5001' } },
	},
	{ operation: 'getAll', parameters: { returnAll: false, limit: 50 } },
	{
		operation: 'update',
		parameters: { coworkerInventoryAsset: { __rl: true, mode: 'id', value: '5001' } },
	},
	{
		operation: 'endAssignment',
		parameters: { coworkerInventoryAsset: { __rl: true, mode: 'id', value: '5001' } },
	},
	{
		operation: 'delete',
		parameters: { coworkerInventoryAsset: { __rl: true, mode: 'id', value: '5001' } },
	},
];

function panelsWorkflow(): object {
	return {
		id: PANELS_WORKFLOW_ID,
		name: 'Panels (screenshots)',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {},
		nodes: PANEL_NODES.map(({ operation, parameters }, index) => ({
			id: `panel-${operation}`,
			name: `Nexudus ${operation}`,
			type: 'n8n-nodes-nexudus.nexudus',
			typeVersion: 1,
			position: [index * 240, 0],
			credentials: { nexudusOAuth2Api: CREDENTIAL },
			parameters: { resource: 'coworkerInventoryAsset', operation, ...parameters },
		})),
	};
}

/** Opens each operation's node and saves its panel. */
async function panelShots(page: Page, url: string): Promise<void> {
	await page.goto(`${url}/workflow/${PANELS_WORKFLOW_ID}`, { waitUntil: 'domcontentloaded' });
	await nodeOnCanvas(page, `Nexudus ${PANEL_NODES[0].operation}`).waitFor({ timeout: 60_000 });
	await page.waitForTimeout(1500);
	await dismissPopups(page);
	for (const { operation } of PANEL_NODES) {
		await nodeOnCanvas(page, `Nexudus ${operation}`).dblclick();
		const ndv = page.locator('[data-test-id="ndv"]').first();
		await ndv.waitFor({ timeout: 30_000 });
		await page.waitForTimeout(1500);
		const file = path.join(DOCS, `panel-${operation}.jpg`);
		await page.screenshot({ path: file, type: 'jpeg', quality: 85 });
		log(`Saved ${path.relative(REPO, file)}`);
		// A lossless copy to look at (and to check labels in) outside the README.
		if (debugDir) await page.screenshot({ path: path.join(debugDir, `panel-${operation}.png`) });
		await page.keyboard.press('Escape');
		await page.waitForTimeout(800);
	}
}

/** The trigger example's trigger node, opened as a user opens it. */
async function triggerShot(page: Page, url: string): Promise<void> {
	await page.goto(`${url}/workflow/${TRIGGER_WORKFLOW_ID}`, { waitUntil: 'domcontentloaded' });
	await nodeOnCanvas(page, TRIGGER_NODE_NAME).waitFor({ timeout: 60_000 });
	await page.waitForTimeout(1500);
	await dismissPopups(page);
	await nodeOnCanvas(page, TRIGGER_NODE_NAME).dblclick();
	await page.locator('[data-test-id="ndv"]').first().waitFor({ timeout: 30_000 });
	await page.waitForTimeout(2500);
	await fs.mkdir(DOCS, { recursive: true });
	const file = path.join(DOCS, 'panel-trigger.jpg');
	await page.screenshot({ path: file, type: 'jpeg', quality: 85 });
	log(`Saved ${path.relative(REPO, file)}`);
	if (debugDir) {
		await fs.mkdir(debugDir, { recursive: true });
		await page.screenshot({ path: path.join(debugDir, 'panel-trigger.png') });
	}
	await page.keyboard.press('Escape');
}

let debugDir: string | undefined;
let step = 0;

async function debugShot(page: Page, name: string): Promise<void> {
	if (!debugDir) return;
	await fs.mkdir(debugDir, { recursive: true });
	const file = path.join(debugDir, `${String(++step).padStart(2, '0')}-${name}.jpg`);
	await page.screenshot({ path: file, type: 'jpeg', quality: 80 });
}

/** Closes what n8n may pop up over the canvas (banners, tours, "what's new", toasts). */
async function dismissPopups(page: Page): Promise<void> {
	for (let i = 0; i < 3; i++) {
		await page.keyboard.press('Escape').catch(() => undefined);
	}
	const closers = [
		'.el-dialog__headerbtn',
		'.el-message-box__headerbtn',
		'[data-test-id="banner-close"], [data-test-id="banners-close"]',
		'.el-notification__closeBtn',
		'[data-test-id="close-button"]',
	];
	for (const selector of closers) {
		for (const el of await page.locator(selector).all()) {
			if (await el.isVisible().catch(() => false))
				await el.click({ timeout: 2000 }).catch(() => undefined);
		}
	}
}

async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
	await page.goto(`${url}/signin`, { waitUntil: 'domcontentloaded' });
	const emailInput = page
		.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]')
		.first();
	await emailInput.waitFor({ timeout: 60_000 });
	await emailInput.fill(email);
	await page.locator('input[type="password"]').first().fill(password);
	await debugShot(page, 'signin');
	await page.locator('[data-test-id="form-submit-button"], button[type="submit"]').first().click();
	await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 60_000 });
}

async function openWorkflow(page: Page, url: string): Promise<void> {
	await page.goto(`${url}/workflow/${ONBOARDING_WORKFLOW_ID}`, { waitUntil: 'domcontentloaded' });
	await nodeOnCanvas(page).waitFor({ timeout: 60_000 });
	await page.waitForTimeout(1500);
	await dismissPopups(page);
	await debugShot(page, 'workflow-opened');
}

function nodeOnCanvas(page: Page, name = NODE_NAME) {
	return page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).first();
}

async function fitView(page: Page): Promise<void> {
	const fit = page.locator('[data-test-id="zoom-to-fit"]');
	if (await fit.isVisible().catch(() => false)) await fit.click();
	else await page.keyboard.press('1');
	await page.waitForTimeout(800);
}

async function executeInEditor(page: Page): Promise<void> {
	const button = page.locator('[data-test-id="execute-workflow-button"]').first();
	await button.waitFor({ timeout: 30_000 });
	await button.click();
	// n8n marks every node that ran with a success check; wait for the last ones.
	await page
		.locator(
			'[data-test-id="canvas-node"][data-node-name="Assigned"] [data-test-id="canvas-node-status-success"]',
		)
		.waitFor({ timeout: 90_000 });
	await page.waitForTimeout(1500);
	await dismissPopups(page);
}

/** Ends the run early on purpose (--trigger-only). */
class Done extends Error {}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			debug: { type: 'boolean', default: false },
			'trigger-only': { type: 'boolean', default: false },
		},
	});
	if (values.debug) debugDir = path.join(os.tmpdir(), 'nexudus-screenshot-steps');
	if (!existsSync(CHROMIUM)) {
		throw new Error(
			`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium) or set CHROMIUM_PATH.`,
		);
	}
	let sandbox: Sandbox | undefined;
	stopOnSignals(() => sandbox);
	let code = 0;
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	try {
		sandbox = await prepareSandbox();
		await importWorkflows(sandbox.home, [panelsWorkflow()]);
		const n8n = await startEditor(sandbox);
		log(`n8n is up at ${n8n.url}; signing in with Chromium...`);
		const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
		page.setDefaultTimeout(30_000);
		await signIn(page, n8n.url, n8n.owner.email, n8n.owner.password);
		log('Opening the Nexudus Trigger of the "member joins" example...');
		await triggerShot(page, n8n.url);
		if (values['trigger-only']) throw new Done();
		await openWorkflow(page, n8n.url);

		log('Executing the workflow in the editor...');
		await executeInEditor(page);
		await fitView(page);
		await fs.mkdir(DOCS, { recursive: true });
		const workflowJpg = path.join(DOCS, 'workflow.jpg');
		await page.screenshot({ path: workflowJpg, type: 'jpeg', quality: 85 });
		log(`Saved ${path.relative(REPO, workflowJpg)}`);

		log(`Opening the '${NODE_NAME}' node...`);
		await nodeOnCanvas(page).dblclick();
		await page.locator('[data-test-id="ndv"]').first().waitFor({ timeout: 30_000 });
		await page.waitForTimeout(2000);
		const panelJpg = path.join(DOCS, 'node-panel.jpg');
		await page.screenshot({ path: panelJpg, type: 'jpeg', quality: 85 });
		log(`Saved ${path.relative(REPO, panelJpg)}`);
		await page.keyboard.press('Escape');

		log('Opening a node of each operation...');
		await panelShots(page, n8n.url);
	} catch (error) {
		if (error instanceof Done) {
			await browser.close().catch(() => undefined);
			await sandbox?.stop();
			process.exit(0);
		}
		console.error(`screenshot failed: ${(error as Error).stack ?? error}`);
		if (debugDir) {
			const pages = browser.contexts().flatMap((c) => c.pages());
			if (pages[0]) await debugShot(pages[0], 'failure').catch(() => undefined);
		}
		code = 1;
	}
	await browser.close().catch(() => undefined);
	await sandbox?.stop();
	process.exit(code);
}

void main();
