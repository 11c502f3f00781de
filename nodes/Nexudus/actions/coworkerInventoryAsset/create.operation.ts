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
import { isOpenAssignment, nexudusInstant } from '../../helpers/simplify';
import { nexudusApiRequest, nexudusListAll } from '../../transport';
import type { PacingSettings } from '../../transport/pacing';

import { ENDPOINT } from './shared';

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
		description:
			'When the assignment starts. Accepts ISO 8601 (2025-01-15 or 2025-01-15T10:30), yyyy-MM-dd HH:mm, RFC 2822 or epoch seconds/milliseconds; without an offset the time is read in the workflow time zone. Sent to Nexudus in UTC.',
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
				description:
					'When the assignment ends (same formats as Assigned From). Leave empty while the member keeps the asset.',
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
			displayName: 'If the Asset Is Already Assigned',
			name: 'ifAssigned',
			type: 'options',
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
				'What to do when the asset already has an assignment that overlaps the new one: one with no Assigned To or an Assigned To after the new Assigned From (and, when the new one has an Assigned To, starting before it). Checking costs one list request and needs the CoworkerInventoryAsset-List role.',
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

interface Assignment extends IDataObject {
	CoworkerId: number;
	BusinessId: number;
	InventoryAssetId: number;
	AssignedFrom: string;
	AssignedTo?: string;
	Notes?: string;
}

/** Existing assignments of the asset that overlap the new one, latest start first. */
async function findOverlapping(
	this: IExecuteFunctions,
	assignment: Assignment,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<IDataObject[]> {
	const records = await nexudusListAll.call(this, {
		endpoint: ENDPOINT,
		qs: { CoworkerInventoryAsset_InventoryAsset: assignment.InventoryAssetId },
		role: 'CoworkerInventoryAsset-List',
		itemIndex,
		pacing,
	});
	const newFrom = Date.parse(assignment.AssignedFrom);
	const newTo = assignment.AssignedTo === undefined ? undefined : Date.parse(assignment.AssignedTo);
	return records
		.filter((record) => {
			// Open at the new start: no end, or an end after it.
			if (!isOpenAssignment(record, newFrom)) return false;
			// A new assignment that ends does not clash with one starting at or after its end.
			const from = nexudusInstant(record.AssignedFrom);
			return newTo === undefined || from === undefined || from < newTo;
		})
		.sort(
			(a, b) =>
				(nexudusInstant(b.AssignedFrom) ?? 0) - (nexudusInstant(a.AssignedFrom) ?? 0) ||
				Number(b.Id) - Number(a.Id),
		);
}

function describeClash(assignment: Assignment, overlapping: IDataObject[]): string {
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

/** After a 5xx or a lost answer: the assignment made by this very request, if it exists. */
async function findCreated(
	this: IExecuteFunctions,
	assignment: Assignment,
	sentAt: number,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<IDataObject | undefined> {
	// The list filter takes minutes and its upper bound is that minute's start: widen it by one.
	const from = Date.parse(assignment.AssignedFrom);
	const minute = (time: number) => new Date(time).toISOString().slice(0, 16);
	const candidates = await nexudusListAll.call(this, {
		endpoint: ENDPOINT,
		qs: {
			CoworkerInventoryAsset_Coworker: assignment.CoworkerId,
			CoworkerInventoryAsset_InventoryAsset: assignment.InventoryAssetId,
			CoworkerInventoryAsset_Business: assignment.BusinessId,
			from_CoworkerInventoryAsset_AssignedFrom: minute(from),
			to_CoworkerInventoryAsset_AssignedFrom: minute(from + 60_000),
		},
		role: 'CoworkerInventoryAsset-List',
		itemIndex,
		pacing,
	});
	const instant = (value: unknown) =>
		typeof value === 'string' && value !== '' ? Date.parse(value) : undefined;
	// Same assignment, made since this request was first sent (older twins are not ours).
	const ours = candidates.filter(
		(record) =>
			instant(record.AssignedFrom) === instant(assignment.AssignedFrom) &&
			instant(record.AssignedTo) === instant(assignment.AssignedTo) &&
			(instant(record.CreatedOn) ?? sentAt) >= sentAt - 120_000,
	);
	if (ours.length === 0) return undefined;
	// List records have no Notes: read the candidates whole to tell apart same-time twins.
	const full = (await nexudusApiRequest.call(this, {
		method: 'GET',
		endpoint: ENDPOINT,
		qs: { id: `[${ours.map((record) => String(record.Id)).join(',')}]` },
		role: 'CoworkerInventoryAsset-Read',
		itemIndex,
		pacing,
	})) as IDataObject[];
	const notes = (value: unknown) => (typeof value === 'string' ? value : '');
	return (Array.isArray(full) ? full : [])
		.filter((record) => notes(record.Notes) === notes(assignment.Notes))
		.sort((a, b) => Number(b.Id) - Number(a.Id))[0];
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
	const assignment: Assignment = {
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

	const ifAssigned = typeof options.ifAssigned === 'string' ? options.ifAssigned : 'createAnyway';
	if (ifAssigned === 'skip' || ifAssigned === 'error') {
		const overlapping = await findOverlapping.call(this, assignment, itemIndex, pacing);
		if (overlapping.length > 0) {
			const reason = describeClash(assignment, overlapping);
			if (ifAssigned === 'error') {
				throw new NodeOperationError(this.getNode(), reason, {
					description:
						'Nothing was created. End that assignment first (operation End Assignment), or set the option "If the Asset Is Already Assigned" to Create Anyway or Skip.',
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

	const sentAt = Date.now();
	const response = (await nexudusApiRequest.call(this, {
		method: 'POST',
		endpoint: ENDPOINT,
		body: assignment,
		role: 'CoworkerInventoryAsset-Create',
		itemIndex,
		pacing,
		findCreated: async () => await findCreated.call(this, assignment, sentAt, itemIndex, pacing),
	})) as IDataObject;

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
