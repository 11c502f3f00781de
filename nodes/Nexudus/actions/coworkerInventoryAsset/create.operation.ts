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
import { invalidParameterError, quoteForMessage } from '../../helpers/errors';
import type { PacingSettings } from '../../transport/pacing';
import { nexudusInstant } from '../../helpers/simplify';

import { assertAssetAtLocation, assetLabel } from '../inventoryAsset/inventoryAsset';
import { createOnce, lookupSchedule } from '../createOnce';
import { locationName } from '../location/location';
import { coworkerIdOf, locationIdOf, locatorParts } from '../locators';

import { firstFree, heldByCoworker, matchingAssets, withStock } from './assetPick';
import type { NewAssignment } from './shared';
import { ENDPOINT, findCreated, findOverlapping } from './shared';

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

/** Creates the assignment once (see createOnce), found again by its own fields after a fault. */
async function createExactlyOnce(
	this: IExecuteFunctions,
	assignment: NewAssignment,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<IDataObject> {
	const { response } = await createOnce.call(this, {
		request: {
			method: 'POST',
			endpoint: ENDPOINT,
			body: assignment,
			role: 'CoworkerInventoryAsset-Create',
			itemIndex,
			pacing,
		},
		lookup: async (sentAt) => await findCreated.call(this, assignment, sentAt, itemIndex, pacing),
		schedule: lookupSchedule(pacing),
		what: 'the assignment',
		checkIn: "the coworker's assignments",
	});
	return response;
}

/** The output of an item that created nothing because an open assignment is already there. */
function skippedItem(
	ctx: IExecuteFunctions,
	existing: IDataObject,
	reason: string,
	itemIndex: number,
): INodeExecutionData[] {
	const json: IDataObject = {};
	for (const field of SKIPPED_FIELDS) {
		if (existing[field] !== undefined) json[field] = existing[field];
	}
	return ctx.helpers.constructExecutionMetaData(
		ctx.helpers.returnJsonArray({
			...json,
			skipped: true,
			reason: `${reason}. Nothing was created.`,
		}),
		{ itemData: { item: itemIndex } },
	);
}

function createdItem(
	ctx: IExecuteFunctions,
	assignment: NewAssignment,
	response: IDataObject,
	options: IDataObject,
	itemIndex: number,
	picked?: IDataObject,
): INodeExecutionData[] {
	const value = (response.Value ?? {}) as IDataObject;
	const json: IDataObject = options.rawResponse
		? response
		: {
				Id: value.Id,
				CoworkerId: assignment.CoworkerId,
				BusinessId: assignment.BusinessId,
				InventoryAssetId: assignment.InventoryAssetId,
				// By Kind: which asset the member got.
				...(picked
					? { InventoryAssetName: picked.Name ?? null, InventoryAssetSku: picked.Sku ?? null }
					: {}),
				AssignedFrom: assignment.AssignedFrom,
				AssignedTo: assignment.AssignedTo ?? null,
				Notes: assignment.Notes ?? null,
			};
	return ctx.helpers.constructExecutionMetaData(ctx.helpers.returnJsonArray(json), {
		itemData: { item: itemIndex },
	});
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

/**
 * After a By Kind create: another member's assignment of the picked asset that overlaps ours and
 * was created before ours or at the same time (a later one's own run reports it), as a sentence.
 */
async function raceClash(
	ctx: IExecuteFunctions,
	candidate: NewAssignment,
	createdId: unknown,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<string | undefined> {
	const overlapping = await findOverlapping.call(ctx, candidate, itemIndex, pacing);
	const ownId = Number(createdId);
	const own = overlapping.find((record) => Number(record.Id) === ownId);
	const ownCreated = nexudusInstant(own?.CreatedOn);
	const other = overlapping.find((record) => {
		if (Number(record.Id) === ownId || Number(record.CoworkerId) === candidate.CoworkerId)
			return false;
		const created = nexudusInstant(record.CreatedOn);
		return (
			!Number.isFinite(ownId) ||
			Number(record.Id) < ownId ||
			(created !== undefined && ownCreated !== undefined && created <= ownCreated)
		);
	});
	if (!other) return undefined;
	const until =
		typeof other.AssignedTo === 'string' && other.AssignedTo !== ''
			? ` until ${other.AssignedTo}`
			: ' with no end';
	return `Inventory asset ${candidate.InventoryAssetId} is also held by coworker ${String(other.CoworkerId)} (assignment ${String(other.Id)}, from ${String(other.AssignedFrom)}${until}): another execution picked the same asset at the same time.`;
}

/**
 * By Kind: the member's matching assignment (skipped, or an error), else the free
 * matching asset with the lowest Id, created. Items of one location take turns, so no two get
 * the same asset.
 */
async function createFromPattern(
	ctx: IExecuteFunctions,
	assignment: NewAssignment,
	pattern: string,
	ifAssigned: string,
	options: IDataObject,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<INodeExecutionData[]> {
	return await withStock(ctx, assignment.BusinessId, itemIndex, pacing, async (stock) => {
		const matching = matchingAssets(stock, pattern);
		const shown = quoteForMessage(pattern);
		const holding = async (held: IDataObject) => {
			const asset = matching.find(
				(candidate) => Number(candidate.Id) === Number(held.InventoryAssetId),
			) ?? {
				Id: held.InventoryAssetId,
				Name: held.InventoryAssetName,
				Sku: held.InventoryAssetSku,
			};
			const site = await locationName(ctx, assignment.BusinessId, itemIndex, pacing);
			const until =
				typeof held.AssignedTo === 'string' && held.AssignedTo !== ''
					? ` until ${held.AssignedTo}`
					: ' with no end';
			const reason = `Coworker ${assignment.CoworkerId} already holds ${assetLabel(asset)}, which matches ${shown}, at ${site} by assignment ${String(held.Id)}, from ${String(held.AssignedFrom)}${until}`;
			if (ifAssigned === 'error') {
				throw new NodeOperationError(ctx.getNode(), reason, {
					description:
						'Nothing was created. End that assignment first (operation End Assignment), or set If Already Assigned to Skip, or to Create Anyway to give the member another one.',
					itemIndex,
				});
			}
			return skippedItem(
				ctx,
				{ ...held, InventoryAssetName: asset.Name, InventoryAssetSku: asset.Sku },
				reason,
				itemIndex,
			);
		};
		if (ifAssigned !== 'createAnyway') {
			const held = heldByCoworker(stock, matching, assignment);
			if (held) return await holding(held);
		}
		for (;;) {
			const asset = firstFree(stock, matching, assignment);
			if (!asset) {
				const site = await locationName(ctx, assignment.BusinessId, itemIndex, pacing);
				const taken = matching.map((candidate) => String(candidate.Id));
				throw new NodeOperationError(
					ctx.getNode(),
					`No free inventory asset matches ${shown} at ${site}`,
					{
						description:
							matching.length === 0
								? `Nothing was sent. No asset of ${site} has ${shown} in its name or SKU: check the text, or the location.`
								: `Nothing was sent. ${matching.length} assets match (${taken.slice(0, 10).join(', ')}${taken.length > 10 ? ', ...' : ''}), all assigned from ${assignment.AssignedFrom} or taken by earlier items of this run. End an assignment, add assets in Nexudus, or widen the text.`,
						itemIndex,
					},
				);
			}
			const assetId = Number(asset.Id);
			stock.claimed.add(assetId);
			const candidate: NewAssignment = { ...assignment, InventoryAssetId: assetId };
			if (ifAssigned !== 'createAnyway') {
				// The run's list may be stale: another execution may have taken the asset since.
				const fresh = await findOverlapping.call(ctx, candidate, itemIndex, pacing);
				if (fresh.length > 0) {
					stock.assignments.push(...fresh);
					const own = fresh.find((record) => Number(record.CoworkerId) === assignment.CoworkerId);
					if (own) return await holding(own);
					continue;
				}
			}
			const response = await createExactlyOnce.call(ctx, candidate, itemIndex, pacing);
			const value = (response.Value ?? {}) as IDataObject;
			stock.assignments.push({
				...candidate,
				Id: value.Id,
				AssignedTo: candidate.AssignedTo ?? null,
				InventoryAssetName: asset.Name,
				InventoryAssetSku: asset.Sku,
			});
			const created = createdItem(ctx, candidate, response, options, itemIndex, asset);
			// Two executions may both pass the fresh check before either create lands: one more look.
			const clash = await raceClash(ctx, candidate, value.Id, itemIndex, pacing);
			if (clash)
				created[0].json.warning = `${clash} Nothing was deleted: end one of them in Nexudus.`;
			return created;
		}
	});
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
