import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { locationLocator, optionsCollection, returnAllAndLimit } from '../common.descriptions';
import { assertExpressionNotEmpty, readLimit, readPacing } from '../../helpers/parameters';
import { invalidParameterError } from '../../helpers/errors';
import { nexudusListAll } from '../../transport';
import { locationIdOf } from '../locators';

import { COWORKERS_ENDPOINT, simplifyCoworker } from './coworker';

const properties: INodeProperties[] = [
	...returnAllAndLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Only return coworkers that match every filter added here',
		options: [
			{
				displayName: 'Active Only',
				name: 'activeOnly',
				type: 'boolean',
				default: true,
				description:
					'Whether to return only active members (Nexudus keeps former members as inactive coworkers)',
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'e.g. jane@example.com',
				default: '',
				description:
					'Only coworkers whose email contains this text (Nexudus compares case-insensitively)',
			},
			{
				...locationLocator,
				name: 'location',
				required: false,
				description: 'Only coworkers invoiced by this location (InvoicingBusinessId in the output)',
			},
			{
				displayName: 'Name',
				name: 'fullName',
				type: 'string',
				placeholder: 'e.g. Jane Doe',
				default: '',
				description: 'Only coworkers whose full name contains this text',
			},
		],
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description:
			'Whether to output only the ID, name, email, company, type, location (InvoicingBusinessId) and Active instead of the whole Nexudus record',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['coworker'], operation: ['getAll'] } },
	properties,
);

const TEXT_FILTERS: Array<[field: string, label: string, param: string]> = [
	['email', 'Email', 'Coworker_Email'],
	['fullName', 'Name', 'Coworker_FullName'],
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const pacing = readPacing(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : readLimit(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;

	const qs: IDataObject = { orderBy: 'Id', dir: 'Ascending' };
	for (const [field, label, param] of TEXT_FILTERS) {
		if (!(field in filters)) continue;
		// A mapping that found nothing must not list every member.
		assertExpressionNotEmpty(this, `filters.${field}`, label, filters[field], itemIndex, {
			means: 'no filter',
			expected: 'a text',
			onPurpose: `remove ${label} from Filters to list without it`,
		});
		const value = filters[field];
		if (typeof value !== 'string' && typeof value !== 'number') {
			if (value === undefined || value === null) continue;
			throw invalidParameterError(
				this.getNode(),
				label,
				value,
				`${label} must be a text.`,
				itemIndex,
			);
		}
		if (String(value).trim() !== '') qs[param] = String(value).trim();
	}
	if ('activeOnly' in filters) {
		assertExpressionNotEmpty(
			this,
			'filters.activeOnly',
			'Active Only',
			filters.activeOnly,
			itemIndex,
			{
				means: 'no filter',
				expected: 'true or false',
				onPurpose: 'remove Active Only from Filters to list every member',
			},
		);
		if (filters.activeOnly === true) qs.Coworker_Active = true;
	}
	if ('location' in filters) {
		const { value } = (filters.location ?? {}) as IDataObject;
		assertExpressionNotEmpty(this, 'filters.location', 'Location', value, itemIndex, {
			means: 'no filter',
			expected: 'a location',
			onPurpose: 'remove Location from Filters to list without it',
		});
		if (!(value === undefined || value === null || String(value).trim() === '')) {
			qs.Coworker_InvoicingBusiness = await locationIdOf(
				this,
				filters.location,
				'Location',
				itemIndex,
				pacing,
			);
		}
	}

	// Both filter names are inferred: should Nexudus ignore them, the node still keeps only matches.
	const keepActive = qs.Coworker_Active === true;
	const locationId = qs.Coworker_InvoicingBusiness;
	const keep =
		keepActive || locationId !== undefined
			? (record: IDataObject) =>
					(!keepActive || record.Active === true) &&
					(locationId === undefined || Number(record.InvoicingBusinessId) === Number(locationId))
			: undefined;
	const records = await nexudusListAll.call(
		this,
		{ endpoint: COWORKERS_ENDPOINT, qs, role: 'Coworker-List', itemIndex, pacing },
		limit,
		keep,
	);
	const json = simplify ? records.map(simplifyCoworker) : records;
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json), {
		itemData: { item: itemIndex },
	});
}
