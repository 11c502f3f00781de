import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyMode,
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
	readIdParameter,
	pacingFrom,
	toNexudusDate,
	toNotesText,
	toRequiredNexudusDate,
} from '../../helpers/parameters';
import { invalidParameterError } from '../../helpers/errors';

import { assertAssetAtLocation } from '../inventoryAsset/inventoryAsset';
import { coworkerIdOf, locationIdOf, locatorParts } from '../locators';

import { createFromPattern } from './createByKind';
import { createExactlyOnce, createdItem, skippedItem } from './createOutput';
import type { NewAssignment } from './shared';
import { findOverlapping } from './shared';

/** By Kind: "a monitor" rather than "monitor 3013", for kits named by kind. */
const byPattern: { modes: INodePropertyMode[] } = {
	modes: [
		{
			displayName: 'By Kind',
			name: 'pattern',
			type: 'string',
			placeholder: 'e.g. monitor',
			hint: 'Any free asset of the location whose name or SKU contains this text, e.g. monitor or MAD-MON (lowest ID first); see If Already Assigned',
		},
	],
};

const properties: INodeProperties[] = [
	coworkerLocator,
	locationLocator,
	{
		...inventoryAssetLocator,
		description:
			'The desk, chair, monitor or other asset; By Kind takes any free one that matches, e.g. monitor',
		modes: [...(inventoryAssetLocator.modes ?? []), ...byPattern.modes],
	},
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
					'Create nothing and output the open assignment (By Kind: the member\'s matching one), marked "skipped": true',
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
		description:
			'What to do when the asset (By Kind: a matching asset of the coworker) already has an open assignment that overlaps',
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

/** The Inventory Asset parameter: an Id, or (By Kind) the text a free asset must match. */
function readAssetChoice(
	ctx: IExecuteFunctions,
	itemIndex: number,
): { id: number } | { pattern: string } {
	const raw = ctx.getNodeParameter('inventoryAsset', itemIndex, undefined) as unknown;
	const { mode, value } = locatorParts(raw);
	if (mode !== 'pattern')
		return { id: readIdParameter(ctx, 'inventoryAsset', 'Inventory Asset', itemIndex) };
	const pattern =
		typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	if (pattern === '') {
		throw invalidParameterError(
			ctx.getNode(),
			'Inventory Asset',
			value,
			"By Kind needs a text that the asset's name or SKU contains, such as monitor or MAD-MON. Nothing was sent for this item.",
			itemIndex,
		);
	}
	return { pattern };
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const timeZone = this.getTimezone();
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const pacing = pacingFrom(options);

	// Everything is validated before anything is sent; the lookups (By Email, By Name) come last.
	const coworker = this.getNodeParameter('coworker', itemIndex, undefined) as unknown;
	const location = this.getNodeParameter('location', itemIndex, undefined) as unknown;
	if (locatorParts(coworker).mode !== 'email')
		readIdParameter(this, 'coworker', 'Coworker', itemIndex);
	if (locatorParts(location).mode !== 'name')
		readIdParameter(this, 'location', 'Location', itemIndex);
	const choice = readAssetChoice(this, itemIndex);
	const assignedFrom = toRequiredNexudusDate(
		this,
		this.getNodeParameter('assignedFrom', itemIndex, ''),
		'Assigned From',
		itemIndex,
		timeZone,
	);
	// Empty (a blank field, or an expression that gives nothing: a permanent hire's missing end
	// date) means open-ended, as in n8n's own nodes.
	const assignedTo = toNexudusDate(
		this,
		additionalFields.assignedTo,
		'Assigned To',
		itemIndex,
		timeZone,
	);
	assertDateOrder(this, assignedFrom, assignedTo, itemIndex);
	const notes = toNotesText(this, additionalFields.notes, itemIndex);
	const ifAssigned = readIfAssigned(this, options, itemIndex);

	const assignment: NewAssignment = {
		CoworkerId: await coworkerIdOf(this, coworker, 'Coworker', itemIndex, pacing),
		BusinessId: await locationIdOf(this, location, 'Location', itemIndex, pacing),
		InventoryAssetId: 'id' in choice ? choice.id : 0,
		AssignedFrom: assignedFrom,
	};
	if (assignedTo !== undefined) assignment.AssignedTo = assignedTo;
	if (typeof notes === 'string' && notes !== '') assignment.Notes = notes;

	if ('pattern' in choice) {
		return await createFromPattern(
			this,
			assignment,
			choice.pattern,
			ifAssigned,
			options,
			itemIndex,
			pacing,
		);
	}

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
			return skippedItem(this, overlapping[0], reason, itemIndex);
		}
	}

	const response = await createExactlyOnce.call(this, assignment, itemIndex, pacing);
	return createdItem(this, assignment, response, options, itemIndex);
}
