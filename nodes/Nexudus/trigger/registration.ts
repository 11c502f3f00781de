import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { queryLocations } from '../actions/location/location';
import { CREDENTIAL_TYPE } from '../transport';
import { TOKEN_QUERY, eventToken, eventUrl } from './eventToken';
import type { WebhookActionName } from './events';
import { eventLabel, isWebhookActionName } from './events';
import type { RememberedWebhook, WebhookSpec } from './webhook';
import { deleteWebhook, findOwnWebhooks } from './webhook';

/** What the trigger keeps in the node's static data about its registration. */
export interface Registration {
	webhooks?: RememberedWebhook[];
	/** True when the registered URLs carry event tokens (older versions registered none). */
	eventTokens?: boolean;
}

/** The credential's webhook shared secret; '' when none. A pasted one often ends in a newline. */
export async function webhookSecret(ctx: IHookFunctions | IWebhookFunctions): Promise<string> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	return typeof credentials.webhookSecret === 'string' ? credentials.webhookSecret.trim() : '';
}

/** The node's webhook identity: its webhook Id, in both its test and production URLs. */
export function nodeIdentity(ctx: IHookFunctions | IWebhookFunctions): string {
	const node = ctx.getNode();
	return node.webhookId ?? `${ctx.getWorkflow().id ?? ''}/${node.name}`;
}

export function chosenEvents(ctx: IHookFunctions | IWebhookFunctions): WebhookActionName[] {
	const events = ctx.getNodeParameter('events', []) as unknown[];
	const unknown = events.filter((event) => !isWebhookActionName(event));
	if (unknown.length > 0 || events.length === 0) {
		throw new NodeOperationError(
			ctx.getNode(),
			events.length === 0
				? 'No event chosen in Events'
				: `Unknown event in Events: ${unknown.map(String).join(', ')}`,
			{ description: 'Pick one or more events from the Events list.' },
		);
	}
	return [...new Set(events as WebhookActionName[])];
}

/** The chosen locations, or every location of the account when none is chosen. */
async function chosenLocations(ctx: IHookFunctions): Promise<number[]> {
	const raw = ctx.getNodeParameter('locations', []) as unknown[];
	const ids = raw.map((value) => Number(value));
	const bad = raw.filter((_value, index) => !Number.isInteger(ids[index]) || ids[index] <= 0);
	if (bad.length > 0) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Locations holds ${bad.map(String).join(', ')}, which is not a location Id`,
			{
				description:
					'Pick the locations from the list, or leave Locations empty for every location.',
			},
		);
	}
	if (ids.length > 0) return [...new Set(ids)];
	const all = (await queryLocations(ctx, 'Name'))
		.map((record) => Number(record.Id))
		.filter((id) => Number.isInteger(id));
	if (all.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'The Nexudus account has no location to watch', {
			description: "Check that the credential's user can see the locations (role Business-List).",
		});
	}
	return all;
}

/**
 * One webhook per event and location, as Nexudus binds each webhook to one action and one
 * location. With a shared secret each URL carries its event's token; a URL registered by an
 * older version (no token) or with another secret is then not what is wanted, and is replaced.
 */
export async function wantedWebhooks(ctx: IHookFunctions): Promise<WebhookSpec[]> {
	const events = chosenEvents(ctx);
	const locations = await chosenLocations(ctx);
	const secret = await webhookSecret(ctx);
	const identity = nodeIdentity(ctx);
	const base = ctx.getNodeWebhookUrl('default') as string;
	const workflow = ctx.getWorkflow();
	const specs: WebhookSpec[] = [];
	for (const action of events) {
		const token = secret === '' ? undefined : eventToken(secret, action, identity);
		for (const businessId of locations) {
			specs.push({
				BusinessId: businessId,
				Action: action,
				URL: eventUrl(base, action, token),
				Name: `n8n: ${eventLabel(action)}`,
				Description: `Created by n8n for workflow "${workflow.name ?? ''}" (${workflow.id ?? ''}); n8n deletes it when the workflow is deactivated.`,
			});
		}
	}
	return specs;
}

export function registration(ctx: IHookFunctions | IWebhookFunctions): Registration {
	return ctx.getWorkflowStaticData('node') as Registration;
}

function remembered(ctx: IHookFunctions): RememberedWebhook[] {
	const { webhooks } = registration(ctx);
	return Array.isArray(webhooks) ? webhooks : [];
}

/** Remembers the registered webhooks, and whether their URLs carry event tokens. */
export function remember(ctx: IHookFunctions, webhooks: RememberedWebhook[], specs: WebhookSpec[]) {
	const data = ctx.getWorkflowStaticData('node') as IDataObject;
	data.webhooks = webhooks as unknown as IDataObject[];
	data.eventTokens = specs.some((spec) => new URL(spec.URL).searchParams.has(TOKEN_QUERY));
}

/**
 * Deletes this node's webhooks: those it remembers and those Nexudus has at its URL (static data
 * can be lost, e.g. overwritten when n8n saves the workflow). Those not deleted stay remembered.
 */
export async function deleteOwn(ctx: IHookFunctions): Promise<unknown> {
	const data = ctx.getWorkflowStaticData('node');
	const ids = new Set(remembered(ctx).map((webhook) => webhook.Id));
	let failure: unknown;
	try {
		for (const record of await findOwnWebhooks(ctx, ctx.getNodeWebhookUrl('default') as string))
			ids.add(Number(record.Id));
	} catch (error) {
		// Without WebHook-List, what the node remembers is all it can delete.
		failure = error;
	}
	const left: RememberedWebhook[] = [];
	for (const id of ids) {
		try {
			await deleteWebhook(ctx, id);
		} catch (error) {
			failure ??= error;
			const known = remembered(ctx).find((webhook) => webhook.Id === id);
			if (known) left.push(known);
		}
	}
	if (left.length > 0) data.webhooks = left as unknown as IDataObject[];
	else {
		delete data.webhooks;
		delete data.eventTokens;
	}
	return failure;
}
