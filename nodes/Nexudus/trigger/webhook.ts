import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { NexudusContext } from '../transport';
import { NexudusMaybeAppliedError, nexudusApiRequest, nexudusListAll } from '../transport';
import type { WebhookActionName } from './events';
import { webhookActionName, webhookActionNumber } from './events';

/** Queries about Nexudus webhooks (/api/sys/webhooks) and the locations they are bound to. */
export const WEBHOOKS_ENDPOINT = '/api/sys/webhooks';

export interface WebhookSpec {
	BusinessId: number;
	Action: WebhookActionName;
	URL: string;
	Name: string;
	Description: string;
}

/** What the trigger remembers of a webhook it created. */
export interface RememberedWebhook {
	Id: number;
	BusinessId: number;
	Action: WebhookActionName;
}

function isNotFound(error: unknown): boolean {
	return error instanceof NodeApiError && error.httpCode === '404';
}

/** Whether Nexudus still has the webhook as it was created: active, same URL, action and location. */
export function isIntact(
	record: IDataObject | undefined,
	expected: Pick<RememberedWebhook, 'Action' | 'BusinessId'>,
	url: string,
): boolean {
	return (
		record !== undefined &&
		record.Active === true &&
		record.URL === url &&
		webhookActionName(record.Action) === expected.Action &&
		Number(record.BusinessId) === expected.BusinessId
	);
}

/** The account's webhooks at this URL for this action and location (to find a create whose answer was lost). */
export async function findWebhooks(ctx: NexudusContext, spec: WebhookSpec): Promise<IDataObject[]> {
	const records = await nexudusListAll.call(ctx, {
		endpoint: WEBHOOKS_ENDPOINT,
		role: 'WebHook-List',
		qs: { WebHook_Business: spec.BusinessId, WebHook_URL: spec.URL },
	});
	return records.filter(
		(record) =>
			record.URL === spec.URL &&
			Number(record.BusinessId) === spec.BusinessId &&
			webhookActionName(record.Action) === spec.Action,
	);
}

/**
 * The account's webhooks that deliver to this trigger node: n8n's URL for the node is unique
 * (it holds the node's webhook Id), so a webhook at that URL, with or without our ?event=, is ours.
 * Read from Nexudus, not only from what the node remembers: n8n may lose the node's static data.
 */
export async function findOwnWebhooks(
	ctx: NexudusContext,
	nodeUrl: string,
): Promise<IDataObject[]> {
	const records = await nexudusListAll.call(ctx, {
		endpoint: WEBHOOKS_ENDPOINT,
		role: 'WebHook-List',
	});
	return records.filter(
		(record) =>
			typeof record.URL === 'string' &&
			(record.URL === nodeUrl || record.URL.startsWith(`${nodeUrl}?`)),
	);
}

/** Registers one webhook (one action at one location) and returns its Id. */
export async function createWebhook(ctx: NexudusContext, spec: WebhookSpec): Promise<number> {
	let answer: IDataObject | undefined;
	let failure: unknown;
	try {
		answer = (await nexudusApiRequest.call(ctx, {
			method: 'POST',
			endpoint: WEBHOOKS_ENDPOINT,
			role: 'WebHook-Create',
			subject: `webhook for ${spec.Action} at location ${spec.BusinessId}`,
			body: {
				BusinessId: spec.BusinessId,
				Name: spec.Name,
				// The number: what eWebhookAction stores (see events.ts).
				Action: webhookActionNumber(spec.Action),
				URL: spec.URL,
				Description: spec.Description,
				Active: true,
			},
		})) as IDataObject;
	} catch (error) {
		failure = error;
	}
	if (failure instanceof NexudusMaybeAppliedError) {
		// The answer was lost: the webhook may exist; a second one would deliver every event twice.
		const [existing] = await findWebhooks(ctx, spec);
		if (existing) return Number(existing.Id);
	}
	if (failure !== undefined) throw failure;
	const id = Number((answer?.Value as IDataObject | undefined)?.Id);
	if (!Number.isInteger(id) || id <= 0) {
		const message = 'Nexudus registered the webhook but did not answer its Id';
		throw new NodeApiError(
			ctx.getNode(),
			{ message },
			{
				message,
				description:
					'Deactivate and activate the workflow again; check Settings > Integrations > Webhooks in Nexudus for a leftover one.',
			},
		);
	}
	return id;
}

/** Deletes a webhook; one Nexudus no longer has counts as deleted. */
export async function deleteWebhook(
	ctx: NexudusContext,
	id: number,
): Promise<'deleted' | 'already gone'> {
	let failure: unknown;
	try {
		await nexudusApiRequest.call(ctx, {
			method: 'DELETE',
			endpoint: `${WEBHOOKS_ENDPOINT}/${id}`,
			role: 'WebHook-Delete',
			subject: `webhook ${id}`,
		});
		return 'deleted';
	} catch (error) {
		failure = error;
	}
	if (isNotFound(failure)) return 'already gone';
	throw failure;
}
