import type {
	IHookFunctions,
	ILoadOptionsFunctions,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { queryLocations } from './actions/location/location';
import { EVENT_OPTIONS } from './trigger/events';
import { receiveDelivery } from './trigger/receive';
import { deleteOwn, remember, wantedWebhooks } from './trigger/registration';
import type { RememberedWebhook } from './trigger/webhook';
import { createWebhook, findOwnWebhooks, isIntact } from './trigger/webhook';

/** "Member: Created, Contract: Cancelled" as the panel names them, or "5 events" when more than 2. */
const SUBTITLE = `={{ ($parameter["events"] || []).length > 2 ? $parameter["events"].length + " events" : ($parameter["events"] || []).map((event) => (${JSON.stringify(
	Object.fromEntries(EVENT_OPTIONS.map((option) => [option.value, option.name])),
)})[event] || event).join(", ") }}`;

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
					'Whether a delivery Nexudus sends again (the same signed body, to any of its URLs) within the window starts nothing; it is still answered 200',
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
				remember(this, matched, wanted);
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
				remember(this, created, wanted);
				if (failure !== undefined) {
					// All or nothing: a half-registered trigger would miss events without saying so.
					await deleteOwn(this);
					throw failure;
				}
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const failure = await deleteOwn(this);
				return failure === undefined;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery(this);
	}
}
