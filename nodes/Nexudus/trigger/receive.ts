import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { utcDatesOut } from '../helpers/dates';
import { simplifyEventRecord } from '../helpers/simplify';
import { parseDelivery } from './body';
import { deliveryKey, isRepeatedDelivery } from './deliveries';
import { EVENT_QUERY, TOKEN_QUERY, isValidEventToken } from './eventToken';
import type { WebhookActionName } from './events';
import { isWebhookActionName } from './events';
import { chosenEvents, nodeIdentity, registration, webhookSecret } from './registration';
import type { SignedForm } from './signature';
import { SIGNATURE_HEADER, signedBytes, verifiedForm } from './signature';

interface Refusal {
	status: 400 | 401;
	/** Answered to the sender. */
	message: string;
	/** Logged for the admin (never the secret, a token or a signature). */
	log: string;
}

type DeliveryEvent = { event: WebhookActionName } | Refusal;

const TOKEN_FIX =
	'deactivate and activate the workflow so n8n registers its Nexudus webhooks again';

/**
 * The event of a delivery, from the URL it came to. With a shared secret the URL's token must be
 * the one for that event and node; without a secret nothing a sender sends is checked.
 */
function deliveryEvent(ctx: IWebhookFunctions, secret: string): DeliveryEvent {
	const events = chosenEvents(ctx);
	const query = ctx.getQueryData() as IDataObject;
	const named = query[EVENT_QUERY];
	const watched = isWebhookActionName(named) && events.includes(named) ? named : undefined;
	if (secret === '') {
		const event = watched ?? (named === undefined && events.length === 1 ? events[0] : undefined);
		if (event) return { event };
		const message = 'The webhook URL names no event this trigger watches';
		return { status: 400, message, log: message };
	}
	if (query[TOKEN_QUERY] !== undefined) {
		if (watched && isValidEventToken(secret, watched, nodeIdentity(ctx), query[TOKEN_QUERY]))
			return { event: watched };
		return {
			status: 401,
			message: "The webhook URL's event token is wrong",
			log: `the webhook URL's event token is wrong (or the Webhook Shared Secret changed since the webhooks were registered); if the secret changed, ${TOKEN_FIX}`,
		};
	}
	// A webhook an older version registered, before the node registers it again with tokens.
	const { webhooks, eventTokens } = registration(ctx);
	const legacy = Array.isArray(webhooks) && webhooks.length > 0 && eventTokens !== true;
	const event = watched ?? (named === undefined && events.length === 1 ? events[0] : undefined);
	if (legacy && event) {
		ctx.logger.warn(
			`Nexudus Trigger: a delivery came to a webhook registered by an older version of the node, without an event token; ${TOKEN_FIX}`,
			{ workflowId: ctx.getWorkflow().id, node: ctx.getNode().name },
		);
		return { event };
	}
	return {
		status: 401,
		message: 'The webhook URL has no event token',
		log: `the webhook URL has no event token; if the webhooks were registered before the Webhook Shared Secret was set, ${TOKEN_FIX}`,
	};
}

function refuse(ctx: IWebhookFunctions, refusal: Refusal): IWebhookResponseData {
	// Nothing starts, so say why where an admin looks.
	ctx.logger.warn(`Nexudus Trigger: refused a delivery (${refusal.status}): ${refusal.log}`, {
		workflowId: ctx.getWorkflow().id,
		node: ctx.getNode().name,
	});
	// A failure answer: Nexudus records it and sends the delivery again.
	ctx.getResponseObject().status(refusal.status).json({ message: refusal.message });
	return { noWebhookResponse: true };
}

/** One Nexudus delivery: checked (signature, event, body), then one item per record. */
export async function receiveDelivery(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = ctx.getRequestObject();
	const secret = await webhookSecret(ctx);
	const rawBody = (request as { rawBody?: unknown }).rawBody;
	const raw = Buffer.isBuffer(rawBody) ? rawBody : undefined;
	let form: SignedForm = 'raw';
	if (secret !== '') {
		const header = request.headers[SIGNATURE_HEADER];
		const verified = raw === undefined ? undefined : verifiedForm(secret, raw, header);
		if (verified === undefined) {
			return refuse(ctx, {
				status: 401,
				message: 'The X-Nexudus-Hook-Signature header is missing or wrong',
				log: `the X-Nexudus-Hook-Signature header is ${header === undefined ? 'missing' : 'wrong'}; check that the credential's Webhook Shared Secret is the one in Nexudus (Settings > Integrations)`,
			});
		}
		form = verified;
	}

	const named = deliveryEvent(ctx, secret);
	if ('status' in named) return refuse(ctx, named);
	const { event } = named;

	const parsed = parseDelivery(raw);
	if ('problem' in parsed) {
		return refuse(ctx, { status: 400, message: parsed.problem, log: parsed.problem });
	}

	if (ctx.getNodeParameter('skipRepeats', true) as boolean) {
		const minutes = Number(ctx.getNodeParameter('repeatWindowMinutes', 60));
		// Test (Execute step, mode manual) and production deliveries of one event are separate.
		const channel = ctx.getMode() === 'manual' ? 'test' : 'production';
		// Keyed on what the signature covers: a signed body sent again to another event's URL is a
		// repeat too. Without a secret nothing is signed, so the event counts.
		const signed = signedBytes(raw as Buffer, form);
		const key = deliveryKey(secret === '' ? event : undefined, signed, channel);
		const workflow = ctx.getWorkflow();
		const node = ctx.getNode();
		const scope = `${workflow.id ?? ''}|${node.id ?? node.name}|${channel}`;
		if (isRepeatedDelivery(ctx.getWorkflowStaticData('node'), scope, key, minutes * 60_000)) {
			return { webhookResponse: { received: true, repeated: true } };
		}
	}

	const simplify = ctx.getNodeParameter('simplify', true) as boolean;
	const items: INodeExecutionData[] = parsed.records.map((record) => {
		const json: IDataObject = {
			event,
			...utcDatesOut(simplify ? simplifyEventRecord(event, record) : record),
		};
		// The trigger's own field wins over a record field of the same name.
		json.event = event;
		return { json };
	});
	return { workflowData: [items] };
}
