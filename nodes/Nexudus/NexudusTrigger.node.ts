import type {
	IDataObject,
	IHookFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError, jsonParse } from 'n8n-workflow';

import { utcDatesOut } from './helpers/dates';
import { simplifyEventRecord } from './helpers/simplify';
import { CREDENTIAL_TYPE } from './transport';
import type { WebhookActionName } from './trigger/events';
import { EVENT_OPTIONS, eventLabel, isWebhookActionName } from './trigger/events';
import { deliveryKey, isRepeatedDelivery } from './trigger/deliveries';
import { SIGNATURE_HEADER, isValidSignature } from './trigger/signature';
import type { RememberedWebhook, WebhookSpec } from './trigger/webhook';
import { createWebhook, deleteWebhook, findOwnWebhooks, isIntact } from './trigger/webhook';
import { queryLocations } from './actions/location/location';

/** The query parameter that tells the trigger which event a delivery is (Nexudus's body does not say). */
const EVENT_QUERY = 'event';

function webhookUrl(base: string, action: WebhookActionName): string {
	return `${base}${base.includes('?') ? '&' : '?'}${EVENT_QUERY}=${action}`;
}

function chosenEvents(ctx: IHookFunctions | IWebhookFunctions): WebhookActionName[] {
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

/** One webhook per event and location, as Nexudus binds each webhook to one action and one location. */
async function wantedWebhooks(ctx: IHookFunctions): Promise<WebhookSpec[]> {
	const events = chosenEvents(ctx);
	const locations = await chosenLocations(ctx);
	const base = ctx.getNodeWebhookUrl('default') as string;
	const workflow = ctx.getWorkflow();
	const specs: WebhookSpec[] = [];
	for (const action of events) {
		for (const businessId of locations) {
			specs.push({
				BusinessId: businessId,
				Action: action,
				URL: webhookUrl(base, action),
				Name: `n8n: ${eventLabel(action)}`,
				Description: `Created by n8n for workflow "${workflow.name ?? ''}" (${workflow.id ?? ''}); n8n deletes it when the workflow is deactivated.`,
			});
		}
	}
	return specs;
}

function remembered(ctx: IHookFunctions): RememberedWebhook[] {
	const data = ctx.getWorkflowStaticData('node');
	return Array.isArray(data.webhooks) ? (data.webhooks as unknown as RememberedWebhook[]) : [];
}

/**
 * Deletes this node's webhooks: those it remembers and those Nexudus has at its URL (static data
 * can be lost, e.g. overwritten when n8n saves the workflow). Those not deleted stay remembered.
 */
async function deleteOwn(ctx: IHookFunctions): Promise<unknown> {
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
	else delete data.webhooks;
	return failure;
}

/** "Member: Created, Contract: Cancelled" as the panel names them, or "5 events" when more than 2. */
const SUBTITLE = `={{ ($parameter["events"] || []).length > 2 ? $parameter["events"].length + " events" : ($parameter["events"] || []).map((event) => (${JSON.stringify(
	Object.fromEntries(EVENT_OPTIONS.map((option) => [option.value, option.name])),
)})[event] || event).join(", ") }}`;

const isJsonContainer = (value: unknown): value is object =>
	typeof value === 'object' && value !== null;

/**
 * The delivery's JSON. n8n parses only Content-Type application/json; otherwise the body is
 * read from the raw bytes. Undefined when they are not JSON either.
 */
function deliveryBody(parsed: unknown, raw: Buffer | undefined): unknown {
	const unparsed =
		!isJsonContainer(parsed) ||
		(!Array.isArray(parsed) && Object.keys(parsed).length === 0 && (raw?.length ?? 0) > 0);
	if (!unparsed) return parsed;
	try {
		const body = jsonParse<unknown>(raw?.toString('utf8') ?? '');
		return isJsonContainer(body) ? body : undefined;
	} catch {
		return undefined;
	}
}

export class NexudusTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nexudus Trigger',
		name: 'nexudusTrigger',
		icon: { light: 'file:../../icons/nexudus.svg', dark: 'file:../../icons/nexudus.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: SUBTITLE,
		description:
			'Starts the workflow when members, contracts, bookings and more change in Nexudus Spaces',
		defaults: { name: 'Nexudus Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'nexudusOAuth2Api', required: true }],
		triggerPanel: {
			header: '',
			executionsHelp: {
				inactive:
					"<b>While building your workflow</b>, click 'Execute step', then make the change in Nexudus (for example, create a member at a chosen location). n8n registers temporary webhooks in Nexudus for that one test.<br /><br /><b>Once you're happy with your workflow</b>, <a data-key='activate'>activate</a> it. n8n then registers one Nexudus webhook per event and location, and every matching change in Nexudus starts the workflow. Those executions show up in the executions list, not in the editor.",
				active:
					"<b>While building your workflow</b>, click 'Execute step', then make the change in Nexudus (for example, create a member at a chosen location). n8n registers temporary webhooks in Nexudus for that one test.<br /><br /><b>Your workflow is active</b>: its webhooks are registered in Nexudus (Settings > Integrations > Webhooks) and every matching change starts it. Those executions show up in the executions list, not in the editor.",
			},
			activationHint:
				"Once you've finished building your workflow, <a data-key='activate'>activate</a> it: n8n registers its webhooks in Nexudus and removes them when you deactivate it.",
		},
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					"Set the credential's Webhook Shared Secret to the one in Nexudus (Settings > Integrations): without it anyone with the URL can start this workflow; with a wrong one Nexudus disables the webhooks after 10 failed deliveries.",
				name: 'signatureNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [],
				options: EVENT_OPTIONS,
				description:
					'What happens in Nexudus that starts the workflow; each event becomes one Nexudus webhook per location',
			},
			{
				displayName: 'Location Names or IDs',
				name: 'locations',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getLocations' },
				default: [],
				description:
					'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				hint: 'Empty means every location at activation (a location added later is watched only after re-activating); each event × location is one Nexudus webhook',
			},
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: true,
				description:
					'Whether to output only the main fields of members and contracts (and the plain fields of other records) instead of the whole Nexudus record',
			},
			{
				displayName: 'Skip Repeated Deliveries',
				name: 'skipRepeats',
				type: 'boolean',
				default: true,
				description:
					'Whether a delivery Nexudus sends again (same event, same body) within the window starts nothing; it is still answered 200',
			},
			{
				displayName: 'Repeat Window (Minutes)',
				name: 'repeatWindowMinutes',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10080 },
				default: 60,
				description: 'How long a delivery is remembered to recognise a repeat of it',
				displayOptions: { show: { skipRepeats: [true] } },
			},
		],
	};

	methods = {
		loadOptions: {
			async getLocations(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return (await queryLocations(this, 'Name')).map((record) => ({
					name: String(record.Name ?? `location ${String(record.Id)}`),
					value: Number(record.Id),
				}));
			},
		},
	};

	webhookMethods = {
		default: {
			/** True only if every wanted webhook is remembered and still active in Nexudus as created. */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const wanted = await wantedWebhooks(this);
				const found = await findOwnWebhooks(this, this.getNodeWebhookUrl('default') as string);
				// Exactly one intact webhook per event and location, and nothing else at our URL.
				if (found.length !== wanted.length) return false;
				const matched: RememberedWebhook[] = [];
				for (const spec of wanted) {
					// Removed or disabled in Nexudus (by hand, or after 10 failed deliveries): create again.
					const record = found.find((candidate) => isIntact(candidate, spec, spec.URL));
					if (!record) return false;
					matched.push({ Id: Number(record.Id), BusinessId: spec.BusinessId, Action: spec.Action });
				}
				this.getWorkflowStaticData('node').webhooks = matched as unknown as IDataObject[];
				return true;
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const wanted = await wantedWebhooks(this);
				// What is left of an earlier registration goes first, so no event is delivered twice.
				const leftover = await deleteOwn(this);
				if (leftover !== undefined) throw leftover;
				const created: RememberedWebhook[] = [];
				let failure: unknown;
				for (const spec of wanted) {
					try {
						created.push({
							Id: await createWebhook(this, spec),
							BusinessId: spec.BusinessId,
							Action: spec.Action,
						});
					} catch (error) {
						failure = error;
						break;
					}
				}
				const data = this.getWorkflowStaticData('node');
				if (failure !== undefined) {
					// All or nothing: a half-registered trigger would miss events without saying so.
					data.webhooks = created as unknown as IDataObject[];
					await deleteOwn(this);
					throw failure;
				}
				data.webhooks = created as unknown as IDataObject[];
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const failure = await deleteOwn(this);
				return failure === undefined;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const credentials = await this.getCredentials(CREDENTIAL_TYPE);
		// A pasted secret often carries a newline; Nexudus signs with the secret alone.
		const secret =
			typeof credentials.webhookSecret === 'string' ? credentials.webhookSecret.trim() : '';
		const rawBody = (request as { rawBody?: unknown }).rawBody;
		const raw = Buffer.isBuffer(rawBody) ? rawBody : undefined;
		if (
			secret !== '' &&
			(raw === undefined || !isValidSignature(secret, raw, request.headers[SIGNATURE_HEADER]))
		) {
			// Nothing starts, so say why where an admin looks; never the secret or the expected signature.
			this.logger.warn(
				`Nexudus Trigger: refused a delivery (401): the X-Nexudus-Hook-Signature header is ${request.headers[SIGNATURE_HEADER] === undefined ? 'missing' : 'wrong'}; check that the credential's Webhook Shared Secret is the one in Nexudus (Settings > Integrations)`,
				{ workflowId: this.getWorkflow().id, node: this.getNode().name },
			);
			const response = this.getResponseObject();
			response
				.status(401)
				.json({ message: 'The X-Nexudus-Hook-Signature header is missing or wrong' });
			return { noWebhookResponse: true };
		}

		const events = chosenEvents(this);
		const named = this.getQueryData() as IDataObject;
		const event =
			isWebhookActionName(named[EVENT_QUERY]) && events.includes(named[EVENT_QUERY])
				? named[EVENT_QUERY]
				: events.length === 1
					? events[0]
					: 'Unknown';

		const body = deliveryBody(this.getBodyData() as unknown, raw);
		if (body === undefined) {
			// Answered as a failure, so Nexudus records it and sends it again.
			this.getResponseObject().status(400).json({ message: 'The delivery body is not JSON' });
			return { noWebhookResponse: true };
		}
		const records = (Array.isArray(body) ? body : [body]).filter(
			(record): record is IDataObject =>
				typeof record === 'object' && record !== null && !Array.isArray(record),
		);
		if (records.length === 0) return { webhookResponse: { received: true, records: 0 } };

		if (this.getNodeParameter('skipRepeats', true) as boolean) {
			const minutes = Number(this.getNodeParameter('repeatWindowMinutes', 60));
			// Test (Execute step, mode manual) and production deliveries of one event are separate.
			const channel = this.getMode() === 'manual' ? 'test' : 'production';
			const key = deliveryKey(event, raw ?? Buffer.from(JSON.stringify(body)), channel);
			const workflow = this.getWorkflow();
			const node = this.getNode();
			const scope = `${workflow.id ?? ''}|${node.id ?? node.name}|${channel}`;
			if (isRepeatedDelivery(this.getWorkflowStaticData('node'), scope, key, minutes * 60_000)) {
				return { webhookResponse: { received: true, repeated: true } };
			}
		}

		const simplify = this.getNodeParameter('simplify', true) as boolean;
		const items: INodeExecutionData[] = records.map((record) => ({
			json: { event, ...utcDatesOut(simplify ? simplifyEventRecord(event, record) : record) },
		}));
		return { workflowData: [items] };
	}
}
