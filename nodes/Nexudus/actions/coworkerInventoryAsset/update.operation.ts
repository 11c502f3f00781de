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

import type { WritableAssignment } from './shared';
import { fetchAssignment, putAssignment, writableFields } from './shared';

const properties: INodeProperties[] = [
	{
		...assignmentLocator,
		description:
			'The assignment to change. By ID takes its numeric Id, as output by Create, Get or Get Many (field Id).',
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description:
			'The fields to change; every field left out keeps its current value (the node reads the whole assignment and sends it back with these changes). At least one is needed.',
		options: [
			{
				displayName: 'Assigned From',
				name: 'assignedFrom',
				type: 'dateTime',
				default: '',
				description:
					'New start of the assignment. Accepts ISO 8601 (2025-01-15 or 2025-01-15T10:30), yyyy-MM-dd HH:mm, RFC 2822 or epoch seconds/milliseconds; without an offset the time is read in the workflow time zone. Sent to Nexudus in UTC.',
			},
			{
				displayName: 'Assigned To',
				name: 'assignedTo',
				type: 'dateTime',
				default: '',
				description:
					'New end of the assignment (same formats as Assigned From). Must not be before Assigned From. An empty value is an error unless Clear Assigned To is on; to remove the end date, use Clear Assigned To.',
			},
			{
				displayName: 'Clear Assigned To',
				name: 'clearAssignedTo',
				type: 'boolean',
				default: false,
				description:
					'Whether to empty Assigned To, which reopens the assignment (the member has the asset again, with no end). Assigned To must then be left out or empty.',
			},
			{
				...coworkerLocator,
				required: false,
				description:
					'Give the assignment to another member (Nexudus coworker). By ID takes the numeric coworker Id.',
			},
			{
				...inventoryAssetLocator,
				required: false,
				description:
					'Change the asset (desk, chair, monitor, locker...). It must belong to the assignment\'s location (change Location too when it does not). By ID takes the numeric inventory asset Id.',
			},
			{
				...locationLocator,
				required: false,
				description:
					'Move the assignment to another Nexudus location (business). The asset must belong to it: change Inventory Asset too. By ID takes the numeric BusinessId.',
			},
			{
				displayName: 'Notes',
				name: 'notes',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description:
					'Replaces the notes stored on the assignment. An empty value clears them.',
			},
		],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['coworkerInventoryAsset'], operation: ['update'] } },
	properties,
);

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
function readChanges(ctx: IExecuteFunctions, itemIndex: number): Changes {
	const fields = ctx.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const timeZone = ctx.getTimezone();
	const changes: Changes = {};
	if ('coworker' in fields) {
		changes.CoworkerId = readIdParameter(ctx, 'updateFields.coworker', 'Coworker', itemIndex);
	}
	if ('location' in fields) {
		changes.BusinessId = readIdParameter(ctx, 'updateFields.location', 'Location', itemIndex);
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
	if (Object.keys(changes).length === 0) {
		throw invalidParameterError(ctx.getNode(), 'Update Fields', fields, NOTHING_TO_UPDATE, itemIndex);
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
	const changes = readChanges(this, itemIndex);
	const pacing = readPacing(this, itemIndex);

	const current = writableFields(await fetchAssignment.call(this, id, itemIndex, pacing));
	const merged: WritableAssignment = { ...current, ...changes, Id: id };

	// One date may be new and the other the stored one: check the pair that would be saved.
	const from = nexudusInstant(merged.AssignedFrom);
	const to = nexudusInstant(merged.AssignedTo);
	if (from !== undefined && to !== undefined && to < from) {
		const which = (field: 'AssignedFrom' | 'AssignedTo') =>
			field in changes ? 'new' : 'current';
		throw invalidParameterError(
			this.getNode(),
			'AssignedTo' in changes ? 'Assigned To' : 'Assigned From',
			'AssignedTo' in changes ? merged.AssignedTo : merged.AssignedFrom,
			`Assigned To (${which('AssignedTo')}: ${String(merged.AssignedTo)}) would be before Assigned From (${which('AssignedFrom')}: ${merged.AssignedFrom}) on assignment ${id}: an assignment cannot end before it starts. Change both dates, or use Clear Assigned To to reopen it. Nothing was sent.`,
			itemIndex,
		);
	}

	await putAssignment.call(this, merged, itemIndex, pacing);
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray({ ...merged }), {
		itemData: { item: itemIndex },
	});
}
