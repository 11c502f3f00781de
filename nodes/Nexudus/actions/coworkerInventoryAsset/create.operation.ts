import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	coworkerLocator,
	inventoryAssetLocator,
	locationLocator,
	optionsCollection,
} from '../common.descriptions';
import {
	assertDateOrder,
	assertExpressionNotEmpty,
	readIdParameter,
	pacingFrom,
	toNexudusDate,
	toNotesText,
	toRequiredNexudusDate,
} from '../../helpers/parameters';
import { invalidParameterError } from '../../helpers/errors';
import type { NexudusRequest } from '../../transport';
import {
	DEFAULT_TIMEOUT_MS,
	MAX_FAULT_RETRIES,
	NexudusMaybeAppliedError,
	cancelSignal,
	nexudusApiRequest,
} from '../../transport';
import type { PacingSettings } from '../../transport/pacing';
import { waitFor } from '../../transport/pacing';

import { assertAssetAtLocation } from '../inventoryAsset/inventoryAsset';
import type { NewAssignment } from './shared';
import { ENDPOINT, findCreated, findOverlapping } from './shared';

const properties: INodeProperties[] = [
	coworkerLocator,
	locationLocator,
	inventoryAssetLocator,
	{
		displayName: 'Assigned From',
		name: 'assignedFrom',
		type: 'dateTime',
		default: '',
		required: true,
		placeholder: 'e.g. 2025-01-15T10:30',
		description: 'When the coworker gets the asset',
		hint: 'ISO 8601, yyyy-MM-dd HH:mm, RFC 2822 or epoch; a time without an offset is in the workflow time zone',
	},
	{
		displayName: 'If Already Assigned',
		name: 'ifAssigned',
		type: 'options',
		options: [
			{
				name: 'Skip',
				value: 'skip',
				description:
					'Create nothing and output the open assignment, marked "skipped": true (a re-run does not assign twice)',
			},
			{
				name: 'Error',
				value: 'error',
				description: 'Fail the item, naming the open assignment; nothing is created',
			},
			{
				name: 'Create Anyway',
				value: 'createAnyway',
				description: 'Create the assignment without checking',
			},
		],
		default: 'skip',
		description: 'What to do when the asset already has an open assignment that overlaps this one',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Assigned To',
				name: 'assignedTo',
				type: 'dateTime',
				default: '',
				placeholder: 'e.g. 2025-06-30T18:00',
				description:
					'When the coworker gives the asset back (same formats as Assigned From); leave out while they keep it',
			},
			{
				displayName: 'Notes',
				name: 'notes',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: 'Free-text notes stored on the assignment',
			},
		],
	},
	optionsCollection(
		{
			displayName: 'If Assigned (Old Option)',
			name: 'ifAssigned',
			type: 'options',
			// Kept so that workflows saved before the top-level "If Already Assigned" keep their
			// choice (n8n drops values of options it no longer knows); new nodes do not show it.
			displayOptions: { show: { '@version': [1] } },
			options: [
				{
					name: 'Create Anyway',
					value: 'createAnyway',
					description: 'Create the assignment without checking, as the Nexudus API does',
				},
				{
					name: 'Error',
					value: 'error',
					description:
						"Fail the item with an error naming the open assignment's ID and coworker; nothing is created",
				},
				{
					name: 'Skip',
					value: 'skip',
					description:
						'Create nothing and output the existing open assignment, marked "skipped": true with a "reason"',
				},
			],
			default: 'createAnyway',
			description:
				'The choice saved before If Already Assigned moved to the main panel; used while that one is left at Skip',
		},
		{
			displayName: 'Return Raw Response',
			name: 'rawResponse',
			type: 'boolean',
			default: false,
			description:
				"Whether to output Nexudus's whole answer instead of the new ID with the values sent",
		},
	),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['coworkerInventoryAsset'], operation: ['create'] } },
	properties,
);


function describeClash(assignment: NewAssignment, overlapping: IDataObject[]): string {
	const [first, ...others] = overlapping;
	const name =
		typeof first.CoworkerFullName === 'string' && first.CoworkerFullName !== ''
			? ` (${first.CoworkerFullName})`
			: '';
	const until =
		typeof first.AssignedTo === 'string' && first.AssignedTo !== ''
			? ` until ${first.AssignedTo}`
			: ' with no end';
	const more = others.length
		? `; ${others.length} more overlapping: ${others.map((record) => String(record.Id)).join(', ')}`
		: '';
	return `Inventory asset ${assignment.InventoryAssetId} is already assigned to coworker ${String(first.CoworkerId)}${name} by assignment ${String(first.Id)}, from ${String(first.AssignedFrom)}${until}${more}`;
}

const IF_ASSIGNED = ['skip', 'error', 'createAnyway'];

/**
 * If Already Assigned: the top-level parameter (default Skip). A workflow saved before it
 * existed may hold the choice in Options ("If the Asset Is Already Assigned"): that choice is
 * kept unless the top-level parameter was changed from its default.
 */
function readIfAssigned(ctx: IExecuteFunctions, options: IDataObject, itemIndex: number): string {
	const value = ctx.getNodeParameter('ifAssigned', itemIndex, 'skip') as unknown;
	if (!IF_ASSIGNED.includes(value as string)) {
		throw invalidParameterError(
			ctx.getNode(),
			'If Already Assigned',
			value,
			'If Already Assigned must be skip, error or createAnyway. Nothing was sent for this item.',
			itemIndex,
		);
	}
	if (value === 'skip' && IF_ASSIGNED.includes(options.ifAssigned as string)) {
		return options.ifAssigned as string;
	}
	return value as string;
}

const SKIPPED_FIELDS = [
	'Id',
	'CoworkerId',
	'CoworkerFullName',
	'BusinessId',
	'InventoryAssetId',
	'InventoryAssetName',
	'InventoryAssetSku',
	'AssignedFrom',
	'AssignedTo',
];

/**
 * When to look for a create that may have been applied, as parts of the Timeout option (the
 * time the node gives Nexudus to finish a request): at once (a 500 after the commit), then as
 * a commit behind a gateway error lands.
 */
const LOOKUPS_AT = [0, 1 / 15, 1 / 6, 1 / 3, 2 / 3, 1];

/**
 * Creates the assignment once. When the answer says nothing sure (a 5xx, a gateway error, a
 * lost connection), Nexudus may have made it, or may still be making it: look for it over a
 * window (a gateway can answer 504 seconds before the commit lands), and send again only when
 * it did not appear.
 */
async function createExactlyOnce(
	this: IExecuteFunctions,
	assignment: NewAssignment,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<IDataObject> {
	const request: NexudusRequest = {
		method: 'POST',
		endpoint: ENDPOINT,
		body: assignment,
		role: 'CoworkerInventoryAsset-Create',
		itemIndex,
		pacing,
	};
	const signal = cancelSignal(this);
	const window = pacing.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	for (let resent = 0; ; resent++) {
		const sentAt = Date.now();
		const outcome = await nexudusApiRequest.call(this, request).then(
			(answer) => ({ answer: answer as IDataObject }),
			(error: unknown) => ({ error }),
		);
		if ('answer' in outcome) return outcome.answer;
		if (!(outcome.error instanceof NexudusMaybeAppliedError)) throw outcome.error;
		const uncertain = outcome.error;
		const lookupsFrom = Date.now();
		for (const at of LOOKUPS_AT) {
			await waitFor(lookupsFrom + at * window - Date.now(), signal);
			let found: IDataObject | undefined;
			try {
				found = await findCreated.call(this, assignment, sentAt, itemIndex, pacing);
			} catch (lookupError) {
				throw new NodeOperationError(this.getNode(), uncertain.message, {
					description: `The create may have been applied: looking it up failed too (${(lookupError as Error).message}). Check the coworker's assignments in Nexudus before running this item again.`,
					itemIndex,
				});
			}
			if (found) return { WasSuccessful: true, Value: found, recoveredAfterFault: true };
		}
		if (resent >= Math.min(MAX_FAULT_RETRIES, pacing.maxRetries)) {
			uncertain.description = `${uncertain.description ? `${uncertain.description} ` : ''}Nothing was created: after each failed try the node looked for the assignment for ${Math.round(window / 1000)} s and found none.`;
			throw uncertain;
		}
	}
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const timeZone = this.getTimezone();
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const pacing = pacingFrom(options);

	// Everything is validated before anything is sent.
	const assignment: NewAssignment = {
		CoworkerId: readIdParameter(this, 'coworker', 'Coworker', itemIndex),
		BusinessId: readIdParameter(this, 'location', 'Location', itemIndex),
		InventoryAssetId: readIdParameter(this, 'inventoryAsset', 'Inventory Asset', itemIndex),
		AssignedFrom: toRequiredNexudusDate(
			this,
			this.getNodeParameter('assignedFrom', itemIndex, ''),
			'Assigned From',
			itemIndex,
			timeZone,
		),
	};
	assertExpressionNotEmpty(
		this,
		'additionalFields.assignedTo',
		'Assigned To',
		additionalFields.assignedTo,
		itemIndex,
		{
			means: 'an open-ended assignment (the member keeps the asset)',
			expected: 'a date',
			onPurpose: 'remove Assigned To from Additional Fields to create an open-ended assignment',
		},
	);
	const assignedTo = toNexudusDate(this, additionalFields.assignedTo, 'Assigned To', itemIndex, timeZone);
	assertDateOrder(this, assignment.AssignedFrom, assignedTo, itemIndex);
	if (assignedTo !== undefined) assignment.AssignedTo = assignedTo;
	const notes = toNotesText(this, additionalFields.notes, itemIndex);
	if (typeof notes === 'string' && notes !== '') assignment.Notes = notes;

	const ifAssigned = readIfAssigned(this, options, itemIndex);

	await assertAssetAtLocation(
		this,
		assignment.InventoryAssetId,
		assignment.BusinessId,
		itemIndex,
		pacing,
	);

	if (ifAssigned === 'skip' || ifAssigned === 'error') {
		const overlapping = await findOverlapping.call(this, assignment, itemIndex, pacing);
		if (overlapping.length > 0) {
			const reason = describeClash(assignment, overlapping);
			if (ifAssigned === 'error') {
				throw new NodeOperationError(this.getNode(), reason, {
					description:
						'Nothing was created. End that assignment first (operation End Assignment), or set If Already Assigned to Skip or Create Anyway.',
					itemIndex,
				});
			}
			const existing: IDataObject = {};
			for (const field of SKIPPED_FIELDS) {
				if (overlapping[0][field] !== undefined) existing[field] = overlapping[0][field];
			}
			return this.helpers.constructExecutionMetaData(
				this.helpers.returnJsonArray({ ...existing, skipped: true, reason: `${reason}. Nothing was created.` }),
				{ itemData: { item: itemIndex } },
			);
		}
	}

	const response = await createExactlyOnce.call(this, assignment, itemIndex, pacing);

	const value = (response.Value ?? {}) as IDataObject;
	const json: IDataObject = options.rawResponse
		? response
		: {
				Id: value.Id,
				CoworkerId: assignment.CoworkerId,
				BusinessId: assignment.BusinessId,
				InventoryAssetId: assignment.InventoryAssetId,
				AssignedFrom: assignment.AssignedFrom,
				AssignedTo: assignment.AssignedTo ?? null,
				Notes: assignment.Notes ?? null,
			};
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json), {
		itemData: { item: itemIndex },
	});
}
