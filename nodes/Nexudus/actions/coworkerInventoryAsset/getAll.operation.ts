import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	coworkerLocator,
	inventoryAssetLocator,
	locationLocator,
	optionsCollection,
	returnAllAndLimit,
} from '../common.descriptions';
import { toNexudusFilterDate } from '../../helpers/dates';
import { invalidParameterError } from '../../helpers/errors';
import {
	assertExpressionNotEmpty,
	readPacing,
	toNexudusDate,
	toNexudusId,
} from '../../helpers/parameters';
import { isOpenAssignment, simplifyAssignment, simplifyProperty } from '../../helpers/simplify';
import type { NexudusRequest } from '../../transport';
import { nexudusListAll } from '../../transport';

import { coworkerIdOf, locationIdOf, locatorParts } from '../locators';
import type { PacingSettings } from '../../transport/pacing';

import { ENDPOINT } from './shared';

/** Id order keeps paging stable while records are added. Nexudus's `dir` wording lives here. */
const ORDER = { orderBy: 'Id', dir: 'Ascending' };

const properties: INodeProperties[] = [
	...returnAllAndLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Only return assignments that match every filter added here',
		options: [
			{
				displayName: 'Assigned From After',
				name: 'assignedFromAfter',
				type: 'dateTime',
				default: '',
				placeholder: 'e.g. 2025-01-15T10:30',
				description:
					'Only assignments that start at or after this moment (Nexudus compares to the minute)',
				hint: 'ISO 8601, yyyy-MM-dd HH:mm, RFC 2822 or epoch; a time without an offset is in the workflow time zone',
			},
			{
				displayName: 'Assigned From Before',
				name: 'assignedFromBefore',
				type: 'dateTime',
				default: '',
				placeholder: 'e.g. 2025-01-31T18:00',
				description:
					'Only assignments that start at or before this moment, which must not be earlier than Assigned From After',
				hint: 'ISO 8601, yyyy-MM-dd HH:mm, RFC 2822 or epoch; a time without an offset is in the workflow time zone',
			},
			{
				...coworkerLocator,
				name: 'coworkerId',
				required: false,
				description:
					'Only assignments of this member: the Nexudus coworker ID (CoworkerId in the output)',
			},
			{
				...inventoryAssetLocator,
				name: 'inventoryAssetId',
				required: false,
				description:
					'Only assignments of this asset: the Nexudus inventory asset ID (InventoryAssetId in the output)',
			},
			{
				...locationLocator,
				name: 'locationId',
				required: false,
				description:
					'Only assignments at this location: the Nexudus location (business) ID (BusinessId in the output)',
			},
			{
				displayName: 'Only Open Assignments',
				name: 'onlyOpen',
				type: 'boolean',
				default: false,
				description:
					'Whether to return only assignments the member still has (Assigned To empty or in the future); Limit still counts matches',
			},
		],
	},
	simplifyProperty,
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['coworkerInventoryAsset'], operation: ['getAll'] } },
	properties,
);

/** Whether a filter value is given By Email or By Name (a lookup request). */
const lookedUp = (raw: unknown) => ['email', 'name'].includes(locatorParts(raw).mode);

/** Id filters: Nexudus query parameter for each filter field, with its name for messages. */
const ID_FILTERS: Array<[field: string, label: string, param: string]> = [
	['coworkerId', 'Coworker', 'CoworkerInventoryAsset_Coworker'],
	['locationId', 'Location', 'CoworkerInventoryAsset_Business'],
	['inventoryAssetId', 'Inventory Asset', 'CoworkerInventoryAsset_InventoryAsset'],
];

/**
 * An Id filter's value: a resource locator (From List or By ID), or the plain Id that workflows
 * saved before the filters were locators hold. Empty means no filter; an expression that
 * evaluates to empty is an error (a mapping that found nothing must not list everything).
 */
async function idFilter(
	ctx: IExecuteFunctions,
	filters: IDataObject,
	field: string,
	label: string,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<number | undefined> {
	const raw = filters[field];
	const { value } = locatorParts(raw);
	assertExpressionNotEmpty(ctx, `filters.${field}`, label, value, itemIndex, {
		means: 'no filter',
		expected: 'an Id',
		onPurpose: `remove ${label} from Filters to list without it`,
	});
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		return undefined;
	}
	if (field === 'coworkerId') return await coworkerIdOf(ctx, raw, label, itemIndex, pacing);
	if (field === 'locationId') return await locationIdOf(ctx, raw, label, itemIndex, pacing);
	return toNexudusId(ctx, value, label, itemIndex, { fromList: locatorParts(raw).isLocator });
}

/**
 * The server-side query for the filters; every value is checked before anything is sent (the
 * lookups By Email and By Name come last).
 */
async function filterQuery(
	ctx: IExecuteFunctions,
	filters: IDataObject,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<IDataObject> {
	const qs: IDataObject = {};
	const timeZone = ctx.getTimezone();
	for (const [field, label] of [
		['assignedFromAfter', 'Assigned From After'],
		['assignedFromBefore', 'Assigned From Before'],
		['onlyOpen', 'Only Open Assignments'],
	]) {
		assertExpressionNotEmpty(ctx, `filters.${field}`, label, filters[field], itemIndex, {
			means: 'no filter',
			expected: field === 'onlyOpen' ? 'true or false' : 'a date',
			onPurpose: `remove ${label} from Filters to list without it`,
		});
	}
	const after = toNexudusDate(
		ctx,
		filters.assignedFromAfter,
		'Assigned From After',
		itemIndex,
		timeZone,
	);
	const before = toNexudusDate(
		ctx,
		filters.assignedFromBefore,
		'Assigned From Before',
		itemIndex,
		timeZone,
	);
	if (after !== undefined && before !== undefined && Date.parse(before) < Date.parse(after)) {
		throw invalidParameterError(
			ctx.getNode(),
			'Assigned From Before',
			filters.assignedFromBefore,
			`Assigned From Before (${before}) is earlier than Assigned From After (${after}), so no assignment could match. Swap the dates or clear one of them.`,
			itemIndex,
		);
	}
	if (after !== undefined)
		qs.from_CoworkerInventoryAsset_AssignedFrom = toNexudusFilterDate(after, 'UTC');
	if (before !== undefined)
		qs.to_CoworkerInventoryAsset_AssignedFrom = toNexudusFilterDate(before, 'UTC');
	// Plain Ids are checked before any lookup is sent.
	const ordered = [...ID_FILTERS].sort(
		([a], [b]) => Number(lookedUp(filters[a])) - Number(lookedUp(filters[b])),
	);
	for (const [field, label, param] of ordered) {
		const id =
			field in filters ? await idFilter(ctx, filters, field, label, itemIndex, pacing) : undefined;
		if (id !== undefined) qs[param] = id;
	}
	return qs;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	let limit: number | undefined;
	if (!returnAll) {
		const raw = this.getNodeParameter('limit', itemIndex, 50) as unknown;
		const value = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
		if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
			throw invalidParameterError(
				this.getNode(),
				'Limit',
				raw,
				'Limit must be a whole number of at least 1, or turn on Return All.',
				itemIndex,
			);
		}
		limit = value;
	}

	const pacing = readPacing(this, itemIndex);
	const request: Omit<NexudusRequest, 'method'> = {
		endpoint: ENDPOINT,
		qs: { ...(await filterQuery(this, filters, itemIndex, pacing)), ...ORDER },
		role: 'CoworkerInventoryAsset-List',
		itemIndex,
		pacing,
	};

	const now = Date.now();
	const records =
		filters.onlyOpen === true
			? await nexudusListAll.call(this, request, limit, (record) => isOpenAssignment(record, now))
			: await nexudusListAll.call(this, request, limit);

	const json = simplify ? records.map((record) => simplifyAssignment(record, now)) : records;
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json), {
		itemData: { item: itemIndex },
	});
}
