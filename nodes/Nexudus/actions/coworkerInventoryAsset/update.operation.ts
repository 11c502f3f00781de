import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	assignmentLocator,
	coworkerLocator,
	inventoryAssetLocator,
	locationLocator,
	optionsCollection,
} from '../common.descriptions';
import { isEmptyDate } from '../../helpers/dates';
import { invalidParameterError, showValue } from '../../helpers/errors';
import {
	assertDateOrder,
	assertExpressionNotEmpty,
	readIdParameter,
	readPacing,
	toNotesText,
	toRequiredNexudusDate,
} from '../../helpers/parameters';
import { nexudusInstant } from '../../helpers/simplify';

import { assertAssetAtLocation } from '../inventoryAsset/inventoryAsset';
import { coworkerIdOf, locationIdOf, locatorParts } from '../locators';
import type { WritableAssignment } from './shared';
import { fetchAssignment, putAssignment, writableFields } from './shared';

const properties: INodeProperties[] = [
	{
		...assignmentLocator,
		description: 'The assignment to change; By ID takes the Id that Create, Get or Get Many output',
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description:
			'The fields to change (at least one); every field left out keeps its current value',
		// Where, what, then when: Location comes before the Inventory Asset its list depends on.
		options: [
			{
				...coworkerLocator,
				required: false,
				description: 'Give the assignment to another member (Nexudus coworker)',
			},
			{
				...locationLocator,
				required: false,
				description:
					'Move the assignment to another Nexudus location (business); change Inventory Asset too, to one of its assets',
			},
			{
				...inventoryAssetLocator,
				required: false,
				description:
					"Change the asset (desk, chair, monitor, locker...); it must belong to the assignment's location",
			},
			{
				displayName: 'Assigned From',
				name: 'assignedFrom',
				type: 'dateTime',
				default: '',
				placeholder: 'e.g. 2025-01-15T10:30',
				description: 'New start of the assignment',
				hint: 'ISO 8601, yyyy-MM-dd HH:mm, RFC 2822 or epoch; a time without an offset is in the workflow time zone',
			},
			{
				displayName: 'Assigned To',
				name: 'assignedTo',
				type: 'dateTime',
				default: '',
				placeholder: 'e.g. 2025-06-30T18:00',
				description:
					'New end of the assignment, not before Assigned From (same formats); to remove the end, use Clear Assigned To',
			},
			{
				displayName: 'Clear Assigned To',
				name: 'clearAssignedTo',
				type: 'boolean',
				default: false,
				description:
					'Whether to empty Assigned To, which reopens the assignment (the member has the asset again, with no end)',
			},
			{
				displayName: 'Notes',
				name: 'notes',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: 'Replaces the notes stored on the assignment; an empty value clears them',
			},
		],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['coworkerInventoryAsset'], operation: ['update'] } },
	properties,
);

/** Coworker By Email and Location By Name: looked up once everything else is checked. */
interface Lookups {
	coworker?: unknown;
	location?: unknown;
}

interface Changes {
	CoworkerId?: number;
	BusinessId?: number;
	InventoryAssetId?: number;
	AssignedFrom?: string;
	AssignedTo?: string | null;
	Notes?: string | null;
}

const NOTHING_TO_UPDATE =
	'Nothing to update: add at least one field under Update Fields (Coworker, Location, Inventory Asset, Assigned From, Assigned To, Clear Assigned To or Notes).';

/** Reads and checks every update field; throws a per-item error before anything is sent. */
function readChanges(ctx: IExecuteFunctions, itemIndex: number, lookups: Lookups): Changes {
	const fields = ctx.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const timeZone = ctx.getTimezone();
	const changes: Changes = {};
	if ('coworker' in fields) {
		const coworker = ctx.getNodeParameter('updateFields.coworker', itemIndex, undefined);
		if (locatorParts(coworker).mode === 'email') lookups.coworker = coworker;
		else changes.CoworkerId = readIdParameter(ctx, 'updateFields.coworker', 'Coworker', itemIndex);
	}
	if ('location' in fields) {
		const location = ctx.getNodeParameter('updateFields.location', itemIndex, undefined);
		if (locatorParts(location).mode === 'name') lookups.location = location;
		else changes.BusinessId = readIdParameter(ctx, 'updateFields.location', 'Location', itemIndex);
	}
	if ('inventoryAsset' in fields) {
		changes.InventoryAssetId = readIdParameter(
			ctx,
			'updateFields.inventoryAsset',
			'Inventory Asset',
			itemIndex,
		);
	}
	if ('assignedFrom' in fields) {
		changes.AssignedFrom = toRequiredNexudusDate(
			ctx,
			fields.assignedFrom,
			'Assigned From',
			itemIndex,
			timeZone,
		);
	}
	if ('clearAssignedTo' in fields) {
		assertExpressionNotEmpty(
			ctx,
			'updateFields.clearAssignedTo',
			'Clear Assigned To',
			fields.clearAssignedTo,
			itemIndex,
			{
				means: 'off (the end date is not cleared)',
				expected: 'true or false',
				onPurpose: 'remove Clear Assigned To from Update Fields to leave the end date alone',
			},
		);
	}
	const clear = fields.clearAssignedTo === true;
	const assignedToGiven = 'assignedTo' in fields && !isEmptyDate(fields.assignedTo);
	if (clear && assignedToGiven) {
		throw invalidParameterError(
			ctx.getNode(),
			'Clear Assigned To',
			true,
			`Clear Assigned To and Assigned To (${showValue(fields.assignedTo)}) contradict each other: turn Clear Assigned To off to set a new end, or leave Assigned To empty to reopen the assignment.`,
			itemIndex,
		);
	}
	if (clear) {
		changes.AssignedTo = null;
	} else if (assignedToGiven) {
		changes.AssignedTo = toRequiredNexudusDate(
			ctx,
			fields.assignedTo,
			'Assigned To',
			itemIndex,
			timeZone,
		);
	} else if ('assignedTo' in fields) {
		throw invalidParameterError(
			ctx.getNode(),
			'Assigned To',
			fields.assignedTo ?? '',
			'Assigned To is empty. To reopen the assignment turn on Clear Assigned To; to keep the current end, remove Assigned To from Update Fields.',
			itemIndex,
		);
	}
	if ('notes' in fields) {
		assertExpressionNotEmpty(ctx, 'updateFields.notes', 'Notes', fields.notes, itemIndex, {
			means: 'clearing the notes stored on the assignment',
			expected: 'a text',
			onPurpose:
				'set Notes to a fixed empty value (not an expression) to clear them, or remove Notes from Update Fields to keep them',
		});
		const notes = toNotesText(ctx, fields.notes, itemIndex);
		changes.Notes = notes === undefined || notes === null || notes === '' ? null : notes;
	}
	if (Object.keys(changes).length === 0 && Object.keys(lookups).length === 0) {
		throw invalidParameterError(
			ctx.getNode(),
			'Update Fields',
			fields,
			NOTHING_TO_UPDATE,
			itemIndex,
		);
	}
	if (changes.AssignedFrom !== undefined && typeof changes.AssignedTo === 'string') {
		assertDateOrder(ctx, changes.AssignedFrom, changes.AssignedTo, itemIndex);
	}
	return changes;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const id = readIdParameter(this, 'coworkerInventoryAsset', 'Coworker Inventory Asset', itemIndex);
	const lookups: Lookups = {};
	const changes = readChanges(this, itemIndex, lookups);
	const pacing = readPacing(this, itemIndex);
	if ('coworker' in lookups) {
		changes.CoworkerId = await coworkerIdOf(this, lookups.coworker, 'Coworker', itemIndex, pacing);
	}
	if ('location' in lookups) {
		changes.BusinessId = await locationIdOf(this, lookups.location, 'Location', itemIndex, pacing);
	}

	const current = writableFields(await fetchAssignment.call(this, id, itemIndex, pacing));
	const merged: WritableAssignment = { ...current, ...changes, Id: id };

	// One date may be new and the other the stored one: check the pair that would be saved.
	const from = nexudusInstant(merged.AssignedFrom);
	const to = nexudusInstant(merged.AssignedTo);
	if (from !== undefined && to !== undefined && to < from) {
		const which = (field: 'AssignedFrom' | 'AssignedTo') => (field in changes ? 'new' : 'current');
		throw invalidParameterError(
			this.getNode(),
			'AssignedTo' in changes ? 'Assigned To' : 'Assigned From',
			'AssignedTo' in changes ? merged.AssignedTo : merged.AssignedFrom,
			`Assigned To (${which('AssignedTo')}: ${String(merged.AssignedTo)}) would be before Assigned From (${which('AssignedFrom')}: ${merged.AssignedFrom}) on assignment ${id}: an assignment cannot end before it starts. Change both dates, or use Clear Assigned To to reopen it. Nothing was sent.`,
			itemIndex,
		);
	}

	// A new asset or a new location: the pair that would be saved must agree.
	if (changes.InventoryAssetId !== undefined || changes.BusinessId !== undefined) {
		await assertAssetAtLocation(
			this,
			merged.InventoryAssetId,
			merged.BusinessId,
			itemIndex,
			pacing,
		);
	}

	await putAssignment.call(this, merged, itemIndex, pacing);
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray({ ...merged }), {
		itemData: { item: itemIndex },
	});
}
